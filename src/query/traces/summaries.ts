// Trace search results in the two shapes clients read: the lab UI's list
// rows (microseconds, as Jaeger's UI uses) from the store's summaries, and
// Jaeger api/v3's `TraceSummary` (nanoseconds as decimal strings, per
// proto3 JSON) from whole traces, since it counts errors per service.

import { StatusCode } from '../../model/telemetry';
import type { Span } from '../../model/telemetry';
import type { TraceSort, TraceSummary } from '../../store/store';
import { serviceNameOf, toMicros } from './to-jaeger';

export const TRACE_SORTS: readonly TraceSort[] = ['recent', 'longest', 'shortest', 'most-spans'];

export function parseTraceSort(text: string): TraceSort | undefined {
  return (TRACE_SORTS as readonly string[]).includes(text) ? (text as TraceSort) : undefined;
}

export interface LabTraceSummary {
  readonly traceID: string;
  readonly rootService: string;
  readonly rootOperation: string;
  /** Microseconds since the epoch. */
  readonly startTime: number;
  /** Microseconds. */
  readonly duration: number;
  readonly spanCount: number;
  readonly errorCount: number;
  readonly services: Readonly<Record<string, number>>;
}

export function toLabSummary(s: TraceSummary): LabTraceSummary {
  return {
    traceID: s.traceId,
    rootService: s.rootService,
    rootOperation: s.rootName,
    startTime: toMicros(s.startTimeUnixNano),
    duration: toMicros(s.durationNano),
    spanCount: s.spanCount,
    errorCount: s.errorCount,
    services: { ...s.services },
  };
}

export interface V3ServiceSummary {
  readonly name: string;
  readonly spanCount: number;
  readonly errorSpanCount: number;
}

export interface V3TraceSummary {
  readonly traceId: string;
  readonly rootServiceName: string;
  readonly rootOperationName: string;
  readonly minStartTimeUnixNano: string;
  readonly maxEndTimeUnixNano: string;
  readonly spanCount: number;
  readonly errorSpanCount: number;
  readonly orphanSpanCount: number;
  readonly services: V3ServiceSummary[];
}

/**
 * Jaeger's v3 `TraceSummary` from a whole trace, as Jaeger's own fallback
 * computes it: the root is the earliest span without a parent, errors are
 * spans with status ERROR (per service too, no propagation), orphans are
 * spans whose parent is not in the trace; services sorted by name.
 */
export function toV3Summary(traceId: string, spans: readonly Span[]): V3TraceSummary {
  const ids = new Set(spans.map((s) => s.spanId));
  let root: Span | undefined;
  let min: bigint | undefined;
  let max: bigint | undefined;
  let errors = 0;
  let orphans = 0;
  const services = new Map<string, { spanCount: number; errorSpanCount: number }>();
  for (const s of spans) {
    if (min === undefined || s.startTimeUnixNano < min) min = s.startTimeUnixNano;
    if (max === undefined || s.endTimeUnixNano > max) max = s.endTimeUnixNano;
    if (s.parentSpanId === '') {
      if (root === undefined || s.startTimeUnixNano < root.startTimeUnixNano) root = s;
    } else if (!ids.has(s.parentSpanId)) {
      orphans++;
    }
    const failed = s.status.code === StatusCode.ERROR;
    if (failed) errors++;
    const name = serviceNameOf(s.resource);
    const svc = services.get(name) ?? { spanCount: 0, errorSpanCount: 0 };
    svc.spanCount++;
    if (failed) svc.errorSpanCount++;
    services.set(name, svc);
  }
  return {
    traceId,
    rootServiceName: root === undefined ? '' : serviceNameOf(root.resource),
    rootOperationName: root?.name ?? '',
    minStartTimeUnixNano: (min ?? 0n).toString(),
    maxEndTimeUnixNano: (max ?? 0n).toString(),
    spanCount: spans.length,
    errorSpanCount: errors,
    orphanSpanCount: orphans,
    services: [...services.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, c]) => ({ name, ...c })),
  };
}
