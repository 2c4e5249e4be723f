// Domain spans -> OTLP/JSON `TracesData`, what Jaeger's api/v3 answers.
//
// Follows the OTLP JSON encoding (hex ids, enums as numbers, 64-bit integers
// as decimal strings, bytes as base64) and, like Jaeger's jsonpb
// marshalling, leaves out fields that hold their default value.
// Spans are grouped by resource and scope object, which the decoders share
// by reference between the items of one batch.

import type {
  AnyValue,
  Attributes,
  InstrumentationScope,
  Resource,
  Span,
} from '../../model/telemetry';
import { bytesToBase64 } from './values';

export interface OtlpAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string;
  doubleValue?: number | string;
  bytesValue?: string;
  arrayValue?: { values: OtlpAnyValue[] };
  kvlistValue?: { values: OtlpKeyValue[] };
}

export interface OtlpKeyValue {
  key: string;
  value: OtlpAnyValue;
}

export type OtlpJsonObject = Record<string, unknown>;

export interface OtlpTracesData {
  resourceSpans: OtlpJsonObject[];
}

export function toOtlpAnyValue(v: AnyValue): OtlpAnyValue {
  if (v === null) return {};
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  if (typeof v === 'bigint') return { intValue: v.toString() };
  if (typeof v === 'number') {
    // Proto3 JSON spells the non-finite doubles as strings.
    return {
      doubleValue: Number.isFinite(v)
        ? v
        : Number.isNaN(v)
          ? 'NaN'
          : v > 0
            ? 'Infinity'
            : '-Infinity',
    };
  }
  if (v instanceof Uint8Array) return { bytesValue: bytesToBase64(v) };
  if (Array.isArray(v))
    return { arrayValue: { values: (v as readonly AnyValue[]).map(toOtlpAnyValue) } };
  return { kvlistValue: { values: toOtlpAttributes((v as { kvlist: Attributes }).kvlist) } };
}

export function toOtlpAttributes(attrs: Attributes): OtlpKeyValue[] {
  return Object.entries(attrs).map(([key, v]) => ({ key, value: toOtlpAnyValue(v) }));
}

/** Copies the entries of `fields` whose value is not the proto3 default. */
function compact(fields: Record<string, unknown>): OtlpJsonObject {
  const out: OtlpJsonObject = {};
  for (const [k, v] of Object.entries(fields)) {
    if (v === '' || v === 0 || v === '0' || v === false || v === undefined) continue;
    if (Array.isArray(v) && v.length === 0) continue;
    out[k] = v;
  }
  return out;
}

function resourceJson(r: Resource): OtlpJsonObject {
  return compact({
    attributes: toOtlpAttributes(r.attributes),
    droppedAttributesCount: r.droppedAttributesCount,
    entityRefs: (r.entityRefs ?? []).map((e) =>
      compact({
        schemaUrl: e.schemaUrl,
        type: e.type,
        idKeys: e.idKeys,
        descriptionKeys: e.descriptionKeys,
      }),
    ),
  });
}

function scopeJson(s: InstrumentationScope): OtlpJsonObject {
  return compact({
    name: s.name,
    version: s.version,
    attributes: toOtlpAttributes(s.attributes),
    droppedAttributesCount: s.droppedAttributesCount,
  });
}

export function toOtlpSpan(s: Span): OtlpJsonObject {
  return compact({
    traceId: s.traceId,
    spanId: s.spanId,
    traceState: s.traceState,
    parentSpanId: s.parentSpanId,
    flags: s.flags,
    name: s.name,
    kind: s.kind,
    startTimeUnixNano: s.startTimeUnixNano.toString(),
    endTimeUnixNano: s.endTimeUnixNano.toString(),
    attributes: toOtlpAttributes(s.attributes),
    droppedAttributesCount: s.droppedAttributesCount,
    events: s.events.map((e) =>
      compact({
        timeUnixNano: e.timeUnixNano.toString(),
        name: e.name,
        attributes: toOtlpAttributes(e.attributes),
        droppedAttributesCount: e.droppedAttributesCount,
      }),
    ),
    droppedEventsCount: s.droppedEventsCount,
    links: s.links.map((l) =>
      compact({
        traceId: l.traceId,
        spanId: l.spanId,
        traceState: l.traceState,
        attributes: toOtlpAttributes(l.attributes),
        droppedAttributesCount: l.droppedAttributesCount,
        flags: l.flags,
      }),
    ),
    droppedLinksCount: s.droppedLinksCount,
    // Jaeger always writes status (the snapshot has `"status": {}` for UNSET).
    status: compact({ message: s.status.message, code: s.status.code }),
  });
}

interface Group<T> {
  readonly json: OtlpJsonObject;
  readonly schemaUrl: string;
  readonly items: T[];
}

/**
 * Groups by content, not identity: a store may rebuild resource objects per
 * span, and one `resourceSpans` entry per span would be correct but noisy.
 */
function groupBy<K extends { readonly schemaUrl: string }, T>(
  items: readonly T[],
  keyOf: (t: T) => K,
  toJson: (k: K) => OtlpJsonObject,
): Group<T>[] {
  const seen = new Map<K, Group<T>>();
  const byContent = new Map<string, Group<T>>();
  for (const item of items) {
    const k = keyOf(item);
    let group = seen.get(k);
    if (group === undefined) {
      const json = toJson(k);
      const content = `${k.schemaUrl}\n${JSON.stringify(json)}`;
      group = byContent.get(content);
      if (group === undefined) {
        group = { json, schemaUrl: k.schemaUrl, items: [] };
        byContent.set(content, group);
      }
      seen.set(k, group);
    }
    group.items.push(item);
  }
  return [...byContent.values()];
}

export function toOtlpTracesData(spans: readonly Span[]): OtlpTracesData {
  const resourceSpans = groupBy(spans, (s) => s.resource, resourceJson).map((r) => ({
    resource: r.json,
    scopeSpans: groupBy(r.items, (s) => s.scope, scopeJson).map((sc) => ({
      scope: sc.json,
      spans: sc.items.map(toOtlpSpan),
      ...(sc.schemaUrl !== '' ? { schemaUrl: sc.schemaUrl } : {}),
    })),
    ...(r.schemaUrl !== '' ? { schemaUrl: r.schemaUrl } : {}),
  }));
  return { resourceSpans };
}
