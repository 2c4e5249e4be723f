// Item-level checks shared by both decoders: an item failing them is rejected
// alone (partial success) and the rest of the request kept. They mirror what
// the store refuses (store/validate.ts) because the write queue merges
// requests into one atomic store.write: one bad item must never fail the
// writes of other clients.

import type { LogRecord, MetricPoint, Span } from '../../model/telemetry';

/** What a decoder keeps of a request: the items that passed, and what it refused. */
export interface Decoded<T> {
  readonly items: T[];
  /** Items refused one by one (partial success). */
  readonly rejected: number;
  /** Why the first refused item was refused, with its path; '' when none. */
  readonly rejectReason: string;
}

const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);
const MAX_INT64 = (1n << 63n) - 1n;

/** Why a span cannot be stored, or '' when it can. */
export function spanProblem(s: Span): string {
  if (s.traceId === '' || s.traceId === ZERO_TRACE) return 'span has an empty or all-zero traceId';
  if (s.spanId === '' || s.spanId === ZERO_SPAN) return 'span has an empty or all-zero spanId';
  if (s.startTimeUnixNano > MAX_INT64 || s.endTimeUnixNano > MAX_INT64)
    return 'span time is past the int64 range';
  if (s.endTimeUnixNano < s.startTimeUnixNano)
    return 'span ends before it starts (endTimeUnixNano < startTimeUnixNano)';
  for (let i = 0; i < s.events.length; i++) {
    if ((s.events[i]?.timeUnixNano ?? 0n) > MAX_INT64)
      return `events[${i}].timeUnixNano is past the int64 range`;
  }
  for (let i = 0; i < s.links.length; i++) {
    const l = s.links[i];
    if (l !== undefined && (l.traceId === '' || l.spanId === ''))
      return `links[${i}] has an empty traceId or spanId`;
  }
  return '';
}

export function logProblem(l: LogRecord): string {
  if (l.timeUnixNano > MAX_INT64 || l.observedTimeUnixNano > MAX_INT64)
    return 'log time is past the int64 range';
  return '';
}

export function pointProblem(p: MetricPoint): string {
  if (p.name === '') return 'metric has an empty name';
  if (p.timeUnixNano > MAX_INT64 || p.startTimeUnixNano > MAX_INT64)
    return 'data point time is past the int64 range';
  if (
    p.type === 'histogram' &&
    p.bucketCounts.length !== 0 &&
    p.bucketCounts.length !== p.explicitBounds.length + 1
  ) {
    return `histogram point has ${p.bucketCounts.length} bucketCounts for ${p.explicitBounds.length} explicitBounds (expected ${p.explicitBounds.length + 1})`;
  }
  return '';
}
