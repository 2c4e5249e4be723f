// OTLP/JSON ExportTraceServiceRequest -> Span[].

import type { Span, SpanEvent, SpanKind, SpanLink, StatusCode } from '../../../model/telemetry';
import type { OtlpLimits } from '../limits';
import { spanProblem } from '../validate';
import type { Decoded } from '../validate';
import { attributes, countItem, decodeJson, droppedCount, keep } from './common';
import { arr, enumValue, get, hexId, obj, text, uint32, uint64 } from './values';
import type { Ctx, Json, JsonObject } from './values';

const KINDS = [
  'SPAN_KIND_UNSPECIFIED',
  'SPAN_KIND_INTERNAL',
  'SPAN_KIND_SERVER',
  'SPAN_KIND_CLIENT',
  'SPAN_KIND_PRODUCER',
  'SPAN_KIND_CONSUMER',
];
const CODES = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'];

const NAMES = ['resourceSpans', 'scopeSpans', 'spans'] as const;

export function decodeTracesJson(root: Json, limits: OtlpLimits): Decoded<Span> {
  return decodeJson<Span>(root, limits, NAMES, (c, o, resource, scope, out) => {
    countItem(c);
    const a = attributes(c, o, 'attributes', 'attributes');
    const span: Span = {
      traceId: hexId(c, get(o, 'traceId', 'trace_id'), 'traceId', 16),
      spanId: hexId(c, get(o, 'spanId', 'span_id'), 'spanId', 8),
      parentSpanId: hexId(c, get(o, 'parentSpanId', 'parent_span_id'), 'parentSpanId', 8),
      traceState: text(c, get(o, 'traceState', 'trace_state'), 'traceState'),
      flags: uint32(c, o['flags'], 'flags'),
      name: text(c, o['name'], 'name'),
      kind: enumValue(c, o['kind'], 'kind', KINDS) as SpanKind,
      startTimeUnixNano: uint64(
        c,
        get(o, 'startTimeUnixNano', 'start_time_unix_nano'),
        'startTimeUnixNano',
      ),
      endTimeUnixNano: uint64(
        c,
        get(o, 'endTimeUnixNano', 'end_time_unix_nano'),
        'endTimeUnixNano',
      ),
      attributes: a.values,
      droppedAttributesCount: droppedCount(c, o) + a.dropped,
      events: events(c, get(o, 'events', 'events')),
      droppedEventsCount: uint32(
        c,
        get(o, 'droppedEventsCount', 'dropped_events_count'),
        'droppedEventsCount',
      ),
      links: links(c, get(o, 'links', 'links')),
      droppedLinksCount: uint32(
        c,
        get(o, 'droppedLinksCount', 'dropped_links_count'),
        'droppedLinksCount',
      ),
      status: status(c, o['status']),
      resource,
      scope,
    };
    keep(c, span, spanProblem, out);
  });
}

function events(c: Ctx, v: Json): SpanEvent[] {
  const list = arr(c, v, 'events');
  const out: SpanEvent[] = [];
  for (let i = 0; i < list.length; i++) {
    c.path.push('events', i);
    countItem(c);
    const o: JsonObject = obj(c, list[i], '') ?? {};
    const a = attributes(c, o, 'attributes', 'attributes');
    out.push({
      timeUnixNano: uint64(c, get(o, 'timeUnixNano', 'time_unix_nano'), 'timeUnixNano'),
      name: text(c, o['name'], 'name'),
      attributes: a.values,
      droppedAttributesCount: droppedCount(c, o) + a.dropped,
    });
    c.path.pop(true);
  }
  return out;
}

function links(c: Ctx, v: Json): SpanLink[] {
  const list = arr(c, v, 'links');
  const out: SpanLink[] = [];
  for (let i = 0; i < list.length; i++) {
    c.path.push('links', i);
    countItem(c);
    const o: JsonObject = obj(c, list[i], '') ?? {};
    const a = attributes(c, o, 'attributes', 'attributes');
    out.push({
      traceId: hexId(c, get(o, 'traceId', 'trace_id'), 'traceId', 16),
      spanId: hexId(c, get(o, 'spanId', 'span_id'), 'spanId', 8),
      traceState: text(c, get(o, 'traceState', 'trace_state'), 'traceState'),
      attributes: a.values,
      droppedAttributesCount: droppedCount(c, o) + a.dropped,
      flags: uint32(c, o['flags'], 'flags'),
    });
    c.path.pop(true);
  }
  return out;
}

function status(c: Ctx, v: Json): Span['status'] {
  c.path.push('status');
  const o = obj(c, v, '') ?? {};
  const s = {
    code: enumValue(c, o['code'], 'code', CODES) as StatusCode,
    message: text(c, o['message'], 'message'),
  };
  c.path.pop();
  return s;
}
