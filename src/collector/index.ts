// The collector's public face: what `otel-lab serve` and the api/ layer use.

export { startOtlpGrpcReceiver } from './grpc/receiver';
export type { OtlpGrpcOptions, RunningGrpcReceiver } from './grpc/receiver';
export { createOtlpHttpHandler, startOtlpHttpReceiver } from './http/receiver';
export type { OtlpHttpOptions, RunningReceiver } from './http/receiver';
export { decodeRequest } from './otlp/decode';
export type { DecodedRequest, Encoding, Signal } from './otlp/decode';
export { DecodeError } from './otlp/errors';
export { DEFAULT_LIMITS, resolveLimits } from './otlp/limits';
export type { OtlpLimits } from './otlp/limits';
export { IngestPipeline } from './pipeline';
export type {
  IngestResult,
  IngestStats,
  MetricTranslator,
  PipelineOptions,
  SignalStats,
  SpanMetricsSink,
} from './pipeline';
export { BackpressureError, WriteFailedError } from './write-queue';
