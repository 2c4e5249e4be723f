// Trace search. Summaries come from the trace index; for the default sort
// (most recent) only the traces of the latest matching spans are summarized,
// widening until the answer is provably the same as summarizing them all.

import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { INTEGER, LIST, UHUGEINT, listValue } from '@duckdb/node-api';

import type { TraceQuery, TraceSummary } from '../store';
import { asBig, asNum, asStr, traceHex } from './codec';
import { big, filterParams, limitParam, read, text, tiny } from './params';
import type { Params } from './params';
import { query } from './sql';

type Row = Record<string, DuckDBValue>;

/** Beyond this many candidate spans the shortcut gives up and summarizes every match. */
const MAX_CANDIDATES = 100_000;

export async function searchTraces(conn: DuckDBConnection, q: TraceQuery): Promise<TraceSummary[]> {
  if (!(q.limit >= 1)) return [];
  const filter: Params = { ...filterParams(q), kind: tiny(q.spanKind) };
  const limit = limitParam(q.limit);
  const rows =
    (q.sort ?? 'recent') === 'recent'
      ? await searchRecent(conn, filter, Number(limit[0]))
      : (
          await read(conn, query('search-traces'), { ...filter, sort: text(q.sort), limit })
        ).getRowObjects();
  return withServices(conn, rows);
}

/**
 * A trace starts no later than any of its spans. Take the traces of the K
 * latest matching spans; if the limit-th latest start among them is later
 * than the K-th latest matching span, no other matching trace can start
 * later, so the answer is exact. Otherwise K doubles.
 */
async function searchRecent(conn: DuckDBConnection, filter: Params, limit: number): Promise<Row[]> {
  for (let k = Math.max(64, limit * 4); ; k *= 2) {
    if (k > MAX_CANDIDATES) {
      return (
        await read(conn, query('search-traces'), {
          ...filter,
          sort: text('recent'),
          limit: limitParam(limit),
        })
      ).getRowObjects();
    }
    const spans = (
      await read(conn, query('latest-matching-spans'), { ...filter, k: [k, INTEGER] })
    ).getRows();
    if (spans.length === 0) return [];
    const ids = [...new Set(spans.map(([id]) => asBig(id!)))];
    const rows = (
      await read(conn, query('trace-summaries'), {
        trace_ids: [listValue(ids), LIST(UHUGEINT)],
        limit: limitParam(limit),
      })
    ).getRowObjects();
    const everyMatch = spans.length < k;
    const oldestCandidateSpan = asBig(spans[spans.length - 1]![1]!);
    const lastStart = rows.length >= limit ? asBig(rows[limit - 1]!['start_ns']!) : undefined;
    if (everyMatch || (lastStart !== undefined && lastStart > oldestCandidateSpan)) return rows;
  }
}

async function withServices(conn: DuckDBConnection, rows: readonly Row[]): Promise<TraceSummary[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => asBig(r['trace_id']!));
  let lo = asBig(rows[0]!['start_ns']!);
  let hi = lo;
  for (const r of rows) {
    const s = asBig(r['start_ns']!);
    const e = s + asBig(r['duration_ns']!);
    if (s < lo) lo = s;
    if (e > hi) hi = e;
  }
  const services = new Map<bigint, Record<string, number>>();
  const counts = await read(conn, query('trace-services'), {
    lo: big(lo),
    hi: big(hi),
    trace_ids: [listValue(ids), LIST(UHUGEINT)],
  });
  for (const r of counts.getRowObjects()) {
    const id = asBig(r['trace_id']!);
    const m = services.get(id) ?? {};
    m[asStr(r['service']!)] = asNum(r['n']!);
    services.set(id, m);
  }
  return rows.map((r) => {
    const id = asBig(r['trace_id']!);
    return {
      traceId: traceHex(id),
      rootService: asStr(r['root_service']!),
      rootName: asStr(r['root_name']!),
      startTimeUnixNano: asBig(r['start_ns']!),
      durationNano: asBig(r['duration_ns']!),
      spanCount: asNum(r['span_count']!),
      errorCount: asNum(r['error_count']!),
      services: sortKeys(services.get(id) ?? {}),
    };
  });
}

function sortKeys(m: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(m).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
