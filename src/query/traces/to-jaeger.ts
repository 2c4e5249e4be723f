// OTel spans -> Jaeger's legacy JSON trace, with the conventions of
// Jaeger's own OTLP translator: span kind, status and scope become tags,
// events become logs, the parent becomes a CHILD_OF reference and links
// FOLLOWS_FROM references, resources become processes `p1`, `p2`, ...

import type { AnyValue, Attributes, Resource, Span, SpanKind } from '../../model/telemetry';
import type {
  JaegerKeyValue,
  JaegerLog,
  JaegerProcess,
  JaegerReference,
  JaegerSpan,
  JaegerTrace,
} from './jaeger-model';
import { anyValueToText, bigintToJson, bytesToBase64 } from './values';

/** What Jaeger calls a process whose resource has no `service.name`. */
export const NO_SERVICE_NAME = 'OTLPResourceNoServiceName';

const KIND_NAMES: Readonly<Record<number, string>> = {
  1: 'internal',
  2: 'server',
  3: 'client',
  4: 'producer',
  5: 'consumer',
};

/** Jaeger's name for an OTel span kind; '' for UNSPECIFIED. */
export function spanKindName(kind: SpanKind | number): string {
  return KIND_NAMES[kind] ?? '';
}

/** The inverse of spanKindName, for `spanKind=` parameters; undefined when unknown. */
export function spanKindFromName(name: string): SpanKind | undefined {
  const lower = name.toLowerCase().replace(/^span_kind_/, '');
  for (const [k, v] of Object.entries(KIND_NAMES)) {
    if (v === lower) return Number(k) as SpanKind;
  }
  return lower === 'unspecified' ? 0 : undefined;
}

export function toJaegerTag(key: string, v: AnyValue): JaegerKeyValue {
  if (typeof v === 'string') return { key, type: 'string', value: v };
  if (typeof v === 'boolean') return { key, type: 'bool', value: v };
  if (typeof v === 'bigint') {
    const j = bigintToJson(v);
    // Past 2^53 a JSON number would silently change the value; exact text is safer.
    return typeof j === 'number'
      ? { key, type: 'int64', value: j }
      : { key, type: 'string', value: j };
  }
  if (typeof v === 'number') {
    return Number.isFinite(v)
      ? { key, type: 'float64', value: v }
      : { key, type: 'string', value: anyValueToText(v) };
  }
  if (v instanceof Uint8Array) return { key, type: 'binary', value: bytesToBase64(v) };
  if (v === null) return { key, type: 'string', value: '' };
  return { key, type: 'string', value: anyValueToText(v) };
}

export function toJaegerTags(attrs: Attributes, skip?: string): JaegerKeyValue[] {
  const out: JaegerKeyValue[] = [];
  for (const [k, v] of Object.entries(attrs)) {
    if (k !== skip) out.push(toJaegerTag(k, v));
  }
  return out;
}

export function serviceNameOf(resource: Resource): string {
  const name = resource.attributes['service.name'];
  return typeof name === 'string' && name !== '' ? name : NO_SERVICE_NAME;
}

export function toMicros(ns: bigint): number {
  return Number(ns / 1000n);
}

export function durationMicros(start: bigint, end: bigint): number {
  return end > start ? Number((end - start) / 1000n) : 0;
}

function spanTags(span: Span): JaegerKeyValue[] {
  const tags = toJaegerTags(span.attributes);
  if (span.scope.name !== '')
    tags.push({ key: 'otel.scope.name', type: 'string', value: span.scope.name });
  if (span.scope.version !== '') {
    tags.push({ key: 'otel.scope.version', type: 'string', value: span.scope.version });
  }
  const kind = spanKindName(span.kind);
  if (kind !== '') tags.push({ key: 'span.kind', type: 'string', value: kind });
  if (span.status.code === 1) tags.push({ key: 'otel.status_code', type: 'string', value: 'OK' });
  if (span.status.code === 2) {
    tags.push({ key: 'otel.status_code', type: 'string', value: 'ERROR' });
    tags.push({ key: 'error', type: 'bool', value: true });
  }
  if (span.status.message !== '') {
    tags.push({ key: 'otel.status_description', type: 'string', value: span.status.message });
  }
  if (span.traceState !== '')
    tags.push({ key: 'w3c.tracestate', type: 'string', value: span.traceState });
  return tags;
}

function spanLogs(span: Span): JaegerLog[] {
  return span.events.map((e) => {
    const fields: JaegerKeyValue[] = [];
    if (e.name !== '') fields.push({ key: 'event', type: 'string', value: e.name });
    fields.push(...toJaegerTags(e.attributes));
    return { timestamp: toMicros(e.timeUnixNano), fields };
  });
}

function spanReferences(span: Span): JaegerReference[] {
  const refs: JaegerReference[] = [];
  if (span.parentSpanId !== '') {
    refs.push({ refType: 'CHILD_OF', traceID: span.traceId, spanID: span.parentSpanId });
  }
  for (const l of span.links)
    refs.push({ refType: 'FOLLOWS_FROM', traceID: l.traceId, spanID: l.spanId });
  return refs;
}

/**
 * One Jaeger trace from the spans of one trace id (in the order given).
 * Processes are numbered in order of first appearance; identical resources
 * (same service and tags) share a process, as Jaeger's dedupe does.
 */
export function toJaegerTrace(traceId: string, spans: readonly Span[]): JaegerTrace {
  const processes: Record<string, JaegerProcess> = {};
  const byResource = new Map<Resource, string>();
  const byContent = new Map<string, string>();
  const processIdOf = (resource: Resource): string => {
    const known = byResource.get(resource);
    if (known !== undefined) return known;
    const process: JaegerProcess = {
      serviceName: serviceNameOf(resource),
      tags: toJaegerTags(resource.attributes, 'service.name'),
    };
    const content = JSON.stringify(process);
    let id = byContent.get(content);
    if (id === undefined) {
      id = `p${byContent.size + 1}`;
      byContent.set(content, id);
      processes[id] = process;
    }
    byResource.set(resource, id);
    return id;
  };
  const jspans: JaegerSpan[] = spans.map((s) => {
    const flags = s.flags & 0xff;
    return {
      traceID: s.traceId,
      spanID: s.spanId,
      ...(flags !== 0 ? { flags } : {}),
      operationName: s.name,
      references: spanReferences(s),
      startTime: toMicros(s.startTimeUnixNano),
      duration: durationMicros(s.startTimeUnixNano, s.endTimeUnixNano),
      tags: spanTags(s),
      logs: spanLogs(s),
      processID: processIdOf(s.resource),
      warnings: null,
    };
  });
  return { traceID: traceId, spans: jspans, processes, warnings: null };
}
