// Trace summaries and their sort orders, computed from whole traces.

import { StatusCode } from '../../model/telemetry';
import type { Span } from '../../model/telemetry';
import type { TraceSort, TraceSummary } from '../store';
import { serviceOf } from '../span-match';

export function summarizeTrace(traceId: string, spans: readonly Span[]): TraceSummary {
  let start = spans[0]?.startTimeUnixNano ?? 0n;
  let end = spans[0]?.endTimeUnixNano ?? 0n;
  let root: Span | undefined;
  let earliest: Span | undefined;
  let errorCount = 0;
  const services: Record<string, number> = {};
  for (const s of spans) {
    if (s.startTimeUnixNano < start) start = s.startTimeUnixNano;
    if (s.endTimeUnixNano > end) end = s.endTimeUnixNano;
    if (
      s.parentSpanId === '' &&
      (root === undefined || s.startTimeUnixNano < root.startTimeUnixNano)
    )
      root = s;
    if (earliest === undefined || s.startTimeUnixNano < earliest.startTimeUnixNano) earliest = s;
    if (s.status.code === StatusCode.ERROR) errorCount++;
    const svc = serviceOf(s);
    services[svc] = (services[svc] ?? 0) + 1;
  }
  const head = root ?? earliest;
  return {
    traceId,
    rootService: head ? serviceOf(head) : '',
    rootName: head?.name ?? '',
    startTimeUnixNano: start,
    durationNano: end - start,
    spanCount: spans.length,
    errorCount,
    services,
  };
}

/** Sort keys, each ending with the trace id so the order is total. */
export function compareSummaries(sort: TraceSort): (a: TraceSummary, b: TraceSummary) => number {
  const byId = (a: TraceSummary, b: TraceSummary): number =>
    a.traceId < b.traceId ? -1 : a.traceId > b.traceId ? 1 : 0;
  const big = (x: bigint, y: bigint): number => (x < y ? -1 : x > y ? 1 : 0);
  switch (sort) {
    case 'longest':
      return (a, b) => big(b.durationNano, a.durationNano) || byId(a, b);
    case 'shortest':
      return (a, b) => big(a.durationNano, b.durationNano) || byId(a, b);
    case 'most-spans':
      return (a, b) => b.spanCount - a.spanCount || byId(a, b);
    default:
      return (a, b) => big(b.startTimeUnixNano, a.startTimeUnixNano) || byId(a, b);
  }
}

export function summarizeTraces(
  byTrace: ReadonlyMap<string, readonly Span[]>,
  sort: TraceSort,
  limit: number,
): TraceSummary[] {
  return [...byTrace.entries()]
    .map(([id, spans]) => summarizeTrace(id, spans))
    .sort(compareSummaries(sort))
    .slice(0, Math.max(0, limit));
}
