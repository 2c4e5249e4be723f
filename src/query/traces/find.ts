// Trace search returning whole traces (what Jaeger's /api/traces and
// api/v3 answer), bounded in spans as well as in traces: one search may not
// pull millions of spans into memory because each trace is huge.

import type { Span } from '../../model/telemetry';
import type { TelemetryStore, TraceQuery } from '../../store/store';

/** Default cap on the spans one search returns (the first trace is always kept). */
export const MAX_SEARCH_SPANS = 100_000;
const FETCH_CONCURRENCY = 8;

export interface FoundTraces {
  /** In the order of the search, which the query's `sort` decides. */
  readonly traces: { readonly traceId: string; readonly spans: Span[] }[];
  /** True when traces were left out to stay under the span cap. */
  readonly truncated: boolean;
}

export async function findTraces(
  store: TelemetryStore,
  query: TraceQuery,
  maxSpans: number = MAX_SEARCH_SPANS,
): Promise<FoundTraces> {
  const summaries = await store.searchTraces(query);
  // The summaries know each trace's size, so the cap is applied before fetching.
  let budget = maxSpans;
  let kept = 0;
  while (kept < summaries.length) {
    const n = summaries[kept]?.spanCount ?? 0;
    if (kept > 0 && n > budget) break;
    budget -= n;
    kept++;
  }
  const ids = summaries.slice(0, kept).map((s) => s.traceId);
  const out: ({ traceId: string; spans: Span[] } | undefined)[] = new Array(ids.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < ids.length) {
      const i = next++;
      const id = ids[i] ?? '';
      const spans = await store.getTrace(id);
      // A trace removed by retention between the two reads is skipped.
      out[i] = spans.length > 0 ? { traceId: id, spans } : undefined;
    }
  };
  await Promise.all(Array.from({ length: Math.min(FETCH_CONCURRENCY, ids.length) }, worker));
  return {
    traces: out.filter((t): t is { traceId: string; spans: Span[] } => t !== undefined),
    truncated: kept < summaries.length,
  };
}
