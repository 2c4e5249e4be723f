// Trace search results in the two shapes clients read: the lab UI's list
// rows (microseconds, as Jaeger's UI uses) and Jaeger api/v3's
// `TraceSummary` (nanoseconds as decimal strings, per proto3 JSON).

import type { Span } from '../../model/telemetry';
import type { TelemetryStore, TraceQuery, TraceSort, TraceSummary } from '../../store/store';
import { toMicros } from './to-jaeger';

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
}

export interface V3TraceSummary {
  readonly traceId: string;
  readonly rootServiceName: string;
  readonly rootOperationName: string;
  readonly minStartTimeUnixNano: string;
  readonly maxEndTimeUnixNano: string;
  readonly spanCount: number;
  readonly errorSpanCount: number;
  readonly services: V3ServiceSummary[];
}

/**
 * Jaeger's v3 summary. The store does not count errors or orphans per
 * service, so `services[].errorSpanCount` and `orphanSpanCount` are left out
 * rather than reported as a misleading 0.
 */
export function toV3Summary(s: TraceSummary): V3TraceSummary {
  return {
    traceId: s.traceId,
    rootServiceName: s.rootService,
    rootOperationName: s.rootName,
    minStartTimeUnixNano: s.startTimeUnixNano.toString(),
    maxEndTimeUnixNano: (s.startTimeUnixNano + s.durationNano).toString(),
    spanCount: s.spanCount,
    errorSpanCount: s.errorCount,
    services: Object.entries(s.services)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, spanCount]) => ({ name, spanCount })),
  };
}

const FETCH_CONCURRENCY = 8;

/**
 * A search that returns whole traces, in the order of the search (which the
 * query's `sort` decides). Traces deleted between the two reads (retention)
 * are skipped.
 */
export async function findTraces(
  store: TelemetryStore,
  query: TraceQuery,
): Promise<{ traceId: string; spans: Span[] }[]> {
  const summaries = await store.searchTraces(query);
  const out: ({ traceId: string; spans: Span[] } | undefined)[] = new Array(summaries.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < summaries.length) {
      const i = next++;
      const id = summaries[i]?.traceId ?? '';
      const spans = await store.getTrace(id);
      out[i] = spans.length > 0 ? { traceId: id, spans } : undefined;
    }
  };
  await Promise.all(Array.from({ length: Math.min(FETCH_CONCURRENCY, summaries.length) }, worker));
  return out.filter((t): t is { traceId: string; spans: Span[] } => t !== undefined);
}
