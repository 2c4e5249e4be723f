// OTLP/JSON ExportLogsServiceRequest -> LogRecord[].

import type { LogRecord } from '../../../model/telemetry';
import type { OtlpLimits } from '../limits';
import { logProblem } from '../validate';
import type { Decoded } from '../validate';
import { anyValue, attributes, countItem, decodeJson, droppedCount, keep } from './common';
import { get, hexId, int32, text, uint32, uint64 } from './values';
import type { Ctx, Json } from './values';

const NAMES = ['resourceLogs', 'scopeLogs', 'logRecords'] as const;

export function decodeLogsJson(root: Json, limits: OtlpLimits): Decoded<LogRecord> {
  return decodeJson<LogRecord>(root, limits, NAMES, (c, o, resource, scope, out) => {
    countItem(c);
    const a = attributes(c, o, 'attributes', 'attributes');
    c.path.push('body');
    const body = anyValue(c, o['body'], 0);
    c.path.pop();
    const sev = get(o, 'severityNumber', 'severity_number');
    const log: LogRecord = {
      resource,
      scope,
      timeUnixNano: uint64(c, get(o, 'timeUnixNano', 'time_unix_nano'), 'timeUnixNano'),
      observedTimeUnixNano: uint64(
        c,
        get(o, 'observedTimeUnixNano', 'observed_time_unix_nano'),
        'observedTimeUnixNano',
      ),
      severityNumber:
        typeof sev === 'string' && sev.startsWith('SEVERITY_NUMBER_')
          ? severityFromName(c, sev)
          : sev === undefined
            ? 0
            : int32(c, sev, 'severityNumber'),
      severityText: text(c, get(o, 'severityText', 'severity_text'), 'severityText'),
      body,
      attributes: a.values,
      droppedAttributesCount: droppedCount(c, o) + a.dropped,
      flags: uint32(c, o['flags'], 'flags'),
      traceId: hexId(c, get(o, 'traceId', 'trace_id'), 'traceId', 16),
      spanId: hexId(c, get(o, 'spanId', 'span_id'), 'spanId', 8),
      eventName: text(c, get(o, 'eventName', 'event_name'), 'eventName'),
    };
    keep(c, log, logProblem, out);
  });
}

const SEVERITY_BASE: Record<string, number> = {
  TRACE: 1,
  DEBUG: 5,
  INFO: 9,
  WARN: 13,
  ERROR: 17,
  FATAL: 21,
};

function severityFromName(c: Ctx, name: string): number {
  if (name === 'SEVERITY_NUMBER_UNSPECIFIED') return 0;
  const m = /^SEVERITY_NUMBER_([A-Z]+)([234]?)$/.exec(name);
  const base = m === null ? undefined : SEVERITY_BASE[m[1] as string];
  if (m === null || base === undefined) {
    c.path.push('severityNumber');
    const e = c.path.error(`unknown enum value ${JSON.stringify(name)}`);
    c.path.pop();
    throw e;
  }
  return base + (m[2] === '' ? 0 : Number(m[2]) - 1);
}
