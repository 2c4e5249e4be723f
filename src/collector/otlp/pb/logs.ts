// ExportLogsServiceRequest (logs.proto) -> LogRecord[].

import type { AnyValue, InstrumentationScope, LogRecord, Resource } from '../../../model/telemetry';
import { AttrSet } from '../attributes';
import type { OtlpLimits } from '../limits';
import { logProblem } from '../validate';
import { readAnyValue, readAttribute } from './common';
import { readEnvelope } from './envelope';
import { fields, Reader, WIRE_I32, WIRE_I64, WIRE_LEN, WIRE_VARINT } from './reader';

const t = (n: number, w: number): number => (n << 3) | w;
const LOG_FIELDS = fields(1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12);

export interface DecodedLogs {
  logs: LogRecord[];
  rejected: number;
  rejectReason: string;
}

export function decodeLogsProto(bytes: Uint8Array, limits: OtlpLimits): DecodedLogs {
  const r = new Reader(bytes, limits);
  const logs: LogRecord[] = [];
  readEnvelope(r, ['resourceLogs', 'scopeLogs', 'logRecords'], (rr, end, resource, scope) => {
    rr.countItem();
    const log = readLog(rr, end, resource, scope);
    const bad = logProblem(log);
    if (bad === '') logs.push(log);
    else rr.reject(bad);
  });
  return { logs, rejected: r.rejected, rejectReason: r.rejectReason };
}

function readLog(
  r: Reader,
  end: number,
  resource: Resource,
  scope: InstrumentationScope,
): LogRecord {
  let time = 0n;
  let observed = 0n;
  let severityNumber = 0;
  let severityText = '';
  let body: AnyValue = null;
  const attrs = new AttrSet(r.limits.maxAttributesPerItem);
  let dropped = 0;
  let flags = 0;
  let traceId = '';
  let spanId = '';
  let eventName = '';
  let ai = 0;
  while (r.pos < end) {
    const tag = r.varint32();
    switch (tag) {
      case t(1, WIRE_I64):
        time = r.fixed64();
        break;
      case t(11, WIRE_I64):
        observed = r.fixed64();
        break;
      case t(2, WIRE_VARINT):
        severityNumber = r.varint32() | 0;
        break;
      case t(3, WIRE_LEN):
        severityText = r.value(end);
        break;
      case t(5, WIRE_LEN):
        r.path.push('body');
        body = readAnyValue(r, r.lenEnd(end), 0);
        r.path.pop();
        break;
      case t(6, WIRE_LEN):
        readAttribute(r, end, attrs, 'attributes', ai++);
        break;
      case t(7, WIRE_VARINT):
        dropped = r.varint32();
        break;
      case t(8, WIRE_I32):
        flags = r.fixed32();
        break;
      case t(9, WIRE_LEN):
        r.path.push('traceId');
        traceId = r.id(end, 16);
        r.path.pop();
        break;
      case t(10, WIRE_LEN):
        r.path.push('spanId');
        spanId = r.id(end, 8);
        r.path.pop();
        break;
      case t(12, WIRE_LEN):
        eventName = r.value(end);
        break;
      default:
        r.skip(tag, end, LOG_FIELDS);
    }
  }
  r.expectEnd(end);
  return {
    resource,
    scope,
    timeUnixNano: time,
    observedTimeUnixNano: observed,
    severityNumber,
    severityText,
    body,
    attributes: attrs.values,
    droppedAttributesCount: dropped + attrs.dropped,
    flags,
    traceId,
    spanId,
    eventName,
  };
}
