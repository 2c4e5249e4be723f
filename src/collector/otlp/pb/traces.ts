// ExportTraceServiceRequest (trace.proto) -> Span[].

import type {
  InstrumentationScope,
  Resource,
  Span,
  SpanEvent,
  SpanKind,
  SpanLink,
  StatusCode,
} from '../../../model/telemetry';
import { AttrSet } from '../attributes';
import type { OtlpLimits } from '../limits';
import { spanProblem } from '../validate';
import type { Decoded } from '../validate';
import { readAttribute } from './common';
import { decodeItems } from './envelope';
import { fields, WIRE_I32, WIRE_I64, WIRE_LEN, WIRE_VARINT } from './reader';
import type { Reader } from './reader';

const t = (n: number, w: number): number => (n << 3) | w;
const SPAN_FIELDS = fields(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16);
const EVENT_FIELDS = fields(1, 2, 3, 4);
const LINK_FIELDS = fields(1, 2, 3, 4, 5, 6);
const STATUS_FIELDS = fields(2, 3);

const NAMES = ['resourceSpans', 'scopeSpans', 'spans'] as const;

export function decodeTracesProto(bytes: Uint8Array, limits: OtlpLimits): Decoded<Span> {
  return decodeItems(bytes, limits, NAMES, readSpan, spanProblem);
}

function readSpan(r: Reader, end: number, resource: Resource, scope: InstrumentationScope): Span {
  let traceId = '';
  let spanId = '';
  let parentSpanId = '';
  let traceState = '';
  let flags = 0;
  let name = '';
  let kind = 0;
  let start = 0n;
  let endTime = 0n;
  const attrs = new AttrSet(r.limits.maxAttributesPerItem);
  let events = NO_EVENTS;
  let droppedEvents = 0;
  let links = NO_LINKS;
  let droppedLinks = 0;
  let status: Span['status'] = NO_STATUS;
  while (r.pos < end) {
    const tag = r.varint32();
    switch (tag) {
      case t(1, WIRE_LEN):
        traceId = r.idField('traceId', end, 16);
        break;
      case t(2, WIRE_LEN):
        spanId = r.idField('spanId', end, 8);
        break;
      case t(3, WIRE_LEN):
        traceState = r.value(end);
        break;
      case t(4, WIRE_LEN):
        parentSpanId = r.idField('parentSpanId', end, 8);
        break;
      case t(16, WIRE_I32):
        flags = r.fixed32();
        break;
      case t(5, WIRE_LEN):
        name = r.value(end);
        break;
      case t(6, WIRE_VARINT):
        kind = r.varint32() | 0;
        break;
      case t(7, WIRE_I64):
        start = r.fixed64();
        break;
      case t(8, WIRE_I64):
        endTime = r.fixed64();
        break;
      case t(9, WIRE_LEN):
        readAttribute(r, end, attrs);
        break;
      case t(10, WIRE_VARINT):
        attrs.sentDropped = r.varint32();
        break;
      case t(11, WIRE_LEN):
        r.path.push('events', events.length);
        r.countItem();
        if (events === NO_EVENTS) events = [];
        events.push(readEvent(r, r.lenEnd(end)));
        r.path.pop(true);
        break;
      case t(12, WIRE_VARINT):
        droppedEvents = r.varint32();
        break;
      case t(13, WIRE_LEN):
        r.path.push('links', links.length);
        r.countItem();
        if (links === NO_LINKS) links = [];
        links.push(readLink(r, r.lenEnd(end)));
        r.path.pop(true);
        break;
      case t(14, WIRE_VARINT):
        droppedLinks = r.varint32();
        break;
      case t(15, WIRE_LEN):
        r.path.push('status');
        status = readStatus(r, r.lenEnd(end));
        r.path.pop();
        break;
      default:
        r.skip(tag, end, SPAN_FIELDS);
    }
  }
  r.expectEnd(end);
  return {
    traceId,
    spanId,
    parentSpanId,
    traceState,
    flags,
    name,
    kind: kind as SpanKind,
    startTimeUnixNano: start,
    endTimeUnixNano: endTime,
    attributes: attrs.values,
    droppedAttributesCount: attrs.droppedCount,
    events,
    droppedEventsCount: droppedEvents,
    links,
    droppedLinksCount: droppedLinks,
    status,
    resource,
    scope,
  };
}

const NO_STATUS: Span['status'] = Object.freeze({ code: 0, message: '' });
// Most spans have no events or links and a status without a message: they
// share these frozen values instead of allocating three objects each. The
// model types them readonly; the casts only let this decoder push into the
// arrays it creates itself.
const NO_EVENTS = Object.freeze([]) as readonly SpanEvent[] as SpanEvent[];
const NO_LINKS = Object.freeze([]) as readonly SpanLink[] as SpanLink[];
const STATUS_NO_MESSAGE: readonly Span['status'][] = [0, 1, 2].map((code) =>
  Object.freeze({ code: code as StatusCode, message: '' }),
);

function readEvent(r: Reader, end: number): SpanEvent {
  let time = 0n;
  let name = '';
  const attrs = new AttrSet(r.limits.maxAttributesPerItem);
  while (r.pos < end) {
    const tag = r.varint32();
    switch (tag) {
      case t(1, WIRE_I64):
        time = r.fixed64();
        break;
      case t(2, WIRE_LEN):
        name = r.value(end);
        break;
      case t(3, WIRE_LEN):
        readAttribute(r, end, attrs);
        break;
      case t(4, WIRE_VARINT):
        attrs.sentDropped = r.varint32();
        break;
      default:
        r.skip(tag, end, EVENT_FIELDS);
    }
  }
  r.expectEnd(end);
  return {
    timeUnixNano: time,
    name,
    attributes: attrs.values,
    droppedAttributesCount: attrs.droppedCount,
  };
}

function readLink(r: Reader, end: number): SpanLink {
  let traceId = '';
  let spanId = '';
  let traceState = '';
  const attrs = new AttrSet(r.limits.maxAttributesPerItem);
  let flags = 0;
  while (r.pos < end) {
    const tag = r.varint32();
    switch (tag) {
      case t(1, WIRE_LEN):
        traceId = r.idField('traceId', end, 16);
        break;
      case t(2, WIRE_LEN):
        spanId = r.idField('spanId', end, 8);
        break;
      case t(3, WIRE_LEN):
        traceState = r.value(end);
        break;
      case t(4, WIRE_LEN):
        readAttribute(r, end, attrs);
        break;
      case t(5, WIRE_VARINT):
        attrs.sentDropped = r.varint32();
        break;
      case t(6, WIRE_I32):
        flags = r.fixed32();
        break;
      default:
        r.skip(tag, end, LINK_FIELDS);
    }
  }
  r.expectEnd(end);
  return {
    traceId,
    spanId,
    traceState,
    attributes: attrs.values,
    droppedAttributesCount: attrs.droppedCount,
    flags,
  };
}

function readStatus(r: Reader, end: number): Span['status'] {
  let code = 0;
  let message = '';
  while (r.pos < end) {
    const tag = r.varint32();
    if (tag === t(2, WIRE_LEN)) message = r.value(end);
    else if (tag === t(3, WIRE_VARINT)) code = r.varint32() | 0;
    else r.skip(tag, end, STATUS_FIELDS);
  }
  r.expectEnd(end);
  if (message === '') {
    const shared = STATUS_NO_MESSAGE[code];
    if (shared !== undefined) return shared;
  }
  return { code: code as StatusCode, message };
}
