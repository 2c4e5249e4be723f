// The store's own guard: a batch is checked whole before anything is stored,
// so a bad item rejects the write and nothing of it lands. The collector
// validates wire input first; this catches programming errors and keeps
// every store's all-or-nothing promise the same.

import type {
  LogRecord,
  MetricPoint,
  PromMetadata,
  SeriesExemplars,
  SeriesSamples,
  Span,
  TelemetryBatch,
} from '../model/telemetry';

const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;
const MAX_INT64 = (1n << 63n) - 1n;
const UINT32 = 0xffff_ffff;

export class InvalidBatchError extends Error {
  override readonly name = 'InvalidBatchError';
}

function fail(what: string, index: number, why: string): never {
  throw new InvalidBatchError(`${what}[${index}]: ${why}; nothing from this batch was stored`);
}

function checkUint(what: string, i: number, field: string, v: number, max = UINT32): void {
  if (!Number.isInteger(v) || v < 0 || v > max) {
    fail(what, i, `${field} must be an integer from 0 to ${max}`);
  }
}

function checkTime(what: string, i: number, field: string, t: bigint): void {
  if (typeof t !== 'bigint' || t < 0n || t > MAX_INT64) {
    fail(what, i, `${field} must be a non-negative int64 bigint`);
  }
}

function checkSpan(s: Span, i: number): void {
  if (!TRACE_ID.test(s.traceId)) {
    fail('spans', i, `traceId ${JSON.stringify(s.traceId)} is not 32 lowercase hex chars`);
  }
  if (!SPAN_ID.test(s.spanId)) {
    fail('spans', i, `spanId ${JSON.stringify(s.spanId)} is not 16 lowercase hex chars`);
  }
  if (s.parentSpanId !== '' && !SPAN_ID.test(s.parentSpanId)) {
    fail('spans', i, 'parentSpanId is neither empty nor 16 hex chars');
  }
  checkTime('spans', i, 'startTimeUnixNano', s.startTimeUnixNano);
  checkTime('spans', i, 'endTimeUnixNano', s.endTimeUnixNano);
  if (s.endTimeUnixNano < s.startTimeUnixNano) {
    fail('spans', i, 'endTimeUnixNano is before startTimeUnixNano');
  }
  checkUint('spans', i, 'kind', s.kind, 5);
  checkUint('spans', i, 'status.code', s.status.code, 2);
  checkUint('spans', i, 'flags', s.flags);
  checkUint('spans', i, 'droppedAttributesCount', s.droppedAttributesCount);
  checkUint('spans', i, 'droppedEventsCount', s.droppedEventsCount);
  checkUint('spans', i, 'droppedLinksCount', s.droppedLinksCount);
  for (const l of s.links) {
    if (!TRACE_ID.test(l.traceId) || !SPAN_ID.test(l.spanId)) {
      fail('spans', i, 'a link has a malformed trace or span id');
    }
  }
  for (const e of s.events) checkTime('spans', i, 'event timeUnixNano', e.timeUnixNano);
}

function checkLog(l: LogRecord, i: number): void {
  if (l.traceId !== '' && !TRACE_ID.test(l.traceId)) {
    fail('logs', i, 'traceId is neither empty nor 32 hex chars');
  }
  if (l.spanId !== '' && !SPAN_ID.test(l.spanId)) {
    fail('logs', i, 'spanId is neither empty nor 16 hex chars');
  }
  checkTime('logs', i, 'timeUnixNano', l.timeUnixNano);
  checkTime('logs', i, 'observedTimeUnixNano', l.observedTimeUnixNano);
  checkUint('logs', i, 'severityNumber', l.severityNumber, 255);
  checkUint('logs', i, 'flags', l.flags);
  checkUint('logs', i, 'droppedAttributesCount', l.droppedAttributesCount);
}

function checkPoint(p: MetricPoint, i: number): void {
  if (p.name === '') fail('metrics', i, 'metric name is empty');
  checkTime('metrics', i, 'timeUnixNano', p.timeUnixNano);
  checkTime('metrics', i, 'startTimeUnixNano', p.startTimeUnixNano);
  checkUint('metrics', i, 'flags', p.flags);
  for (const e of p.exemplars) {
    if (e.traceId !== '' && !TRACE_ID.test(e.traceId)) {
      fail('metrics', i, 'an exemplar traceId is malformed');
    }
    if (e.spanId !== '' && !SPAN_ID.test(e.spanId)) {
      fail('metrics', i, 'an exemplar spanId is malformed');
    }
  }
}

function checkSamples(s: SeriesSamples, i: number): void {
  if (!s.labels['__name__']) fail('samples', i, 'series has no __name__ label');
  for (const smp of s.samples) {
    if (!Number.isSafeInteger(smp.t)) {
      fail('samples', i, `timestamp ${smp.t} is not an integer of milliseconds`);
    }
    if (typeof smp.v !== 'number') fail('samples', i, 'sample value is not a number');
  }
}

function checkExemplars(s: SeriesExemplars, i: number): void {
  if (!s.seriesLabels['__name__']) fail('exemplars', i, 'series has no __name__ label');
  for (const e of s.exemplars) {
    if (!Number.isSafeInteger(e.t)) {
      fail('exemplars', i, `timestamp ${e.t} is not an integer of milliseconds`);
    }
  }
}

function checkMetadata(m: PromMetadata, i: number): void {
  if (m.metric === '') fail('metadata', i, 'metric name is empty');
}

type Check<T> = (item: T, index: number) => void;

function parts(batch: TelemetryBatch): [readonly unknown[], Check<never>][] {
  return [
    [batch.spans ?? [], checkSpan],
    [batch.logs ?? [], checkLog],
    [batch.metrics ?? [], checkPoint],
    [batch.samples ?? [], checkSamples],
    [batch.exemplars ?? [], checkExemplars],
    [batch.metadata ?? [], checkMetadata],
  ];
}

/** Throws InvalidBatchError naming the first bad item. */
export function validateBatch(batch: TelemetryBatch): void {
  for (const [items, check] of parts(batch)) {
    (items as never[]).forEach((item, i) => check(item, i));
  }
}

/** The same, yielding to the event loop every `chunk` items so a huge batch does not stall reads. */
export async function validateBatchInTurns(batch: TelemetryBatch, chunk: number): Promise<void> {
  let n = 0;
  for (const [items, check] of parts(batch)) {
    for (let i = 0; i < items.length; i++) {
      check(items[i] as never, i);
      if (++n % chunk === 0) await new Promise((resolve) => setImmediate(resolve));
    }
  }
}
