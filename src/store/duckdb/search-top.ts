// A recent-first search ranks its candidate traces by start through the
// trace index, then reads the spans of the first `limit`: two statements,
// and during ingest each waits its turn on the event loop behind decode,
// appender flushes and GC (p99 ~22 ms). With every hot trace's window in
// memory, the answer is usually known before the cold index is read (cold
// rows only make an older start older still), so the candidates' cold
// windows and the spans of the traces expected on top are read in one
// statement. When the cold windows rank the traces otherwise, the caller
// reads the spans again (`spans` is left out).

import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';

import type { Span } from '../../model/telemetry';
import type { Catalog } from './catalog';
import { asBig, asNum, hexToBig, traceHex } from './codec';
import type { HotWindows, Window } from './hot-windows';
import type { SpanMarks } from './search';
import { rowToSpan, spansOfTraces } from './read-traces';
import { readRowObjects } from './search-read';
import type { TraceWindow } from './read-traces';
import { query } from './sql';

/**
 * search-top.sql's row naming the last span write its snapshot includes, at
 * least (schema 7; a scan of one column of the unindexed hot index).
 */
const SEEN_WRITES = 'UNION ALL BY NAME (SELECT max(write_seq) AS write_seq FROM trace_index_hot)';

/** As in spansInWindows: a wider joint window is read trace by trace. */
const MAX_JOINT_WINDOW_NS = 3_600n * 1_000_000_000n;

export interface TopRead {
  /** The candidates found, latest start first (ties by id), as traceWindows gives them. */
  readonly ranked: TraceWindow[];
  /** The spans of `ranked`'s first `limit` traces, when the read covered them. */
  readonly spans?: Map<string, Span[]>;
  /** What `mark` answered just before those spans were read. */
  readonly spansToken?: number;
}

/** Latest start first, ties by id: the order rankByStart gives. */
export function byStart(a: TraceWindow, b: TraceWindow): number {
  if (a.lo !== b.lo) return a.lo > b.lo ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

const literals = (ids: readonly string[]): string[] =>
  ids.map((id) => `${hexToBig(id).toString()}::UHUGEINT`);

/**
 * `ids`: distinct lowercase trace ids. Undefined when the guess cannot be
 * made (hot windows incomplete, no candidate hot, a joint window too wide):
 * rank and read as before. `maxSpans`: past this many spans read, `spans`
 * is left out (the caller summarizes those traces another way).
 */
export async function rankAndReadTop(
  conn: DuckDBConnection,
  catalog: Catalog,
  ids: readonly string[],
  limit: number,
  hot: HotWindows,
  maxSpans: number,
  marks: SpanMarks,
): Promise<TopRead | undefined> {
  // Memory first, then the query: its snapshot is no older (see getTrace).
  if (!hot.complete || ids.length === 0) return undefined;
  const windows = new Map<string, Window>();
  for (const id of ids) {
    const w = hot.get(id);
    if (w !== undefined) windows.set(id, w);
  }
  const guess = [...windows]
    .map(([id, w]) => ({ id, lo: w.lo, hi: w.hi }))
    .sort(byStart)
    .slice(0, limit);
  if (guess.length === 0) return undefined;
  let lo = guess[0]!.lo;
  let hi = guess[0]!.hi;
  for (const g of guess) {
    if (g.lo < lo) lo = g.lo;
    if (g.hi > hi) hi = g.hi;
  }
  if (hi - lo > MAX_JOINT_WINDOW_NS) return undefined;
  if (!Number.isSafeInteger(maxSpans) || maxSpans < 0)
    throw new RangeError(`maxSpans must be a safe non-negative integer, got ${maxSpans}`);
  const sql = query('search-top')
    .replaceAll('{{candidate_ids}}', () => literals(ids).join(', '))
    .replaceAll('{{of_top}}', () => spansOfTraces(literals(guess.map((g) => g.id))))
    .replaceAll('{{lo}}', lo.toString())
    .replaceAll('{{hi}}', hi.toString())
    .replaceAll('{{max_spans}}', String(maxSpans + 1))
    .replace('{{seen_writes}}', marks.recorded ? SEEN_WRITES : '');
  let spansToken = marks.mark();
  const rows = await readRowObjects(conn, sql);
  const spanRows: Record<string, DuckDBValue>[] = [];
  for (const r of rows) {
    const seen = r['write_seq'];
    if (seen !== null && seen !== undefined) {
      // Read in the same snapshot as the spans: exactly the writes they include.
      spansToken = Math.max(spansToken, asNum(seen));
      continue;
    }
    const wlo = r['lo'];
    if (wlo === null || wlo === undefined) {
      spanRows.push(r);
      continue;
    }
    const id = traceHex(r['trace_id']!);
    const cold = { lo: asBig(wlo), hi: asBig(r['hi']!) };
    const w = windows.get(id);
    windows.set(
      id,
      w === undefined
        ? cold
        : { lo: w.lo < cold.lo ? w.lo : cold.lo, hi: w.hi > cold.hi ? w.hi : cold.hi },
    );
  }
  const ranked = [...windows].map(([id, w]) => ({ id, lo: w.lo, hi: w.hi })).sort(byStart);
  const guessed = new Set(guess.map((g) => g.id));
  const top = ranked.slice(0, limit);
  const covered = top.every((t) => guessed.has(t.id) && t.lo >= lo && t.hi <= hi);
  if (!covered || spanRows.length > maxSpans) return { ranked };
  const wanted = new Set(top.map((t) => t.id));
  const mine = spanRows.filter((r) => wanted.has(traceHex(r['trace_id']!)));
  catalog.requireOwners(mine, 'a span');
  const spans = new Map<string, Span[]>();
  for (const r of mine) {
    const span = rowToSpan(r, catalog);
    const list = spans.get(span.traceId);
    if (list) list.push(span);
    else spans.set(span.traceId, [span]);
  }
  return { ranked, spans, spansToken };
}
