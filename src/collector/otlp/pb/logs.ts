// ExportLogsServiceRequest (logs.proto) -> LogRecord[].

import type { AnyValue, InstrumentationScope, LogRecord, Resource } from '../../../model/telemetry';
import { AttrSet } from '../attributes';
import type { OtlpLimits } from '../limits';
import { logProblem } from '../validate';
import type { Decoded } from '../validate';
import { readAnyValue, readAttribute } from './common';
import { decodeItems } from './envelope';
import { fields, WIRE_I32, WIRE_I64, WIRE_LEN, WIRE_VARINT } from './reader';
import type { Reader } from './reader';

const t = (n: number, w: number): number => (n << 3) | w;
const LOG_FIELDS = fields(1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12);

const NAMES = ['resourceLogs', 'scopeLogs', 'logRecords'] as const;

export function decodeLogsProto(bytes: Uint8Array, limits: OtlpLimits): Decoded<LogRecord> {
  return decodeItems(bytes, limits, NAMES, readLog, logProblem);
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
  let flags = 0;
  let traceId = '';
  let spanId = '';
  let eventName = '';
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
        readAttribute(r, end, attrs);
        break;
      case t(7, WIRE_VARINT):
        attrs.sentDropped = r.varint32();
        break;
      case t(8, WIRE_I32):
        flags = r.fixed32();
        break;
      case t(9, WIRE_LEN):
        traceId = r.idField('traceId', end, 16);
        break;
      case t(10, WIRE_LEN):
        spanId = r.idField('spanId', end, 8);
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
    droppedAttributesCount: attrs.droppedCount,
    flags,
    traceId,
    spanId,
    eventName,
  };
}
