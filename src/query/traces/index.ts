// Trace search in Jaeger's and OTLP's shapes: pure conversions plus the
// one store-reading helper (findTraces) the HTTP layer uses.

export { parseGoDuration } from './duration';
export type { DurationResult } from './duration';
export { parseLogfmt } from './logfmt';
export type { LogfmtResult } from './logfmt';
export type {
  JaegerDependencyLink,
  JaegerError,
  JaegerKeyValue,
  JaegerLog,
  JaegerOperation,
  JaegerProcess,
  JaegerReference,
  JaegerResponse,
  JaegerSpan,
  JaegerTrace,
} from './jaeger-model';
export {
  NO_SERVICE_NAME,
  durationMicros,
  serviceNameOf,
  spanKindFromName,
  spanKindName,
  toJaegerTag,
  toJaegerTags,
  toJaegerTrace,
  toMicros,
} from './to-jaeger';
export { toOtlpAnyValue, toOtlpAttributes, toOtlpSpan, toOtlpTracesData } from './to-otlp-json';
export type { OtlpTracesData } from './to-otlp-json';
export { TRACE_SORTS, parseTraceSort, toLabSummary, toV3Summary } from './summaries';
export { MAX_SEARCH_SPANS, findTraces } from './find';
export type { FoundTraces } from './find';
export type { LabTraceSummary, V3TraceSummary } from './summaries';
export { anyValueToJson, anyValueToText, bigintToJson } from './values';
export type { JsonValue } from './values';
