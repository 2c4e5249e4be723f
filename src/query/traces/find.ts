// Trace search returning whole traces (what Jaeger's /api/traces and
// api/v3 answer), bounded in spans as well as in traces: one search may not
// pull millions of spans into memory because each trace is huge.

import type { Span } from '../../model/telemetry';
import { MAX_TRACES_PER_READ } from '../../store/store';
import type { TelemetryStore, TraceQuery } from '../../store/store';

/** Default cap on the spans one search returns (the first trace is always kept). */
export const MAX_SEARCH_SPANS = 100_000;

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
  // One read for all of them: a search shows up to `limit` traces, and one
  // lookup per trace costs a round trip each.
  const found = new Map<string, Span[]>();
  for (let i = 0; i < ids.length; i += MAX_TRACES_PER_READ) {
    const part = await store.getTraces(ids.slice(i, i + MAX_TRACES_PER_READ));
    for (const [id, spans] of part) found.set(id, spans);
  }
  // A trace removed by retention between the two reads is skipped.
  const out = ids.map((traceId) => {
    const spans = found.get(traceId);
    return spans === undefined ? undefined : { traceId, spans };
  });
  return {
    traces: out.filter((t): t is { traceId: string; spans: Span[] } => t !== undefined),
    truncated: kept < summaries.length,
  };
}
