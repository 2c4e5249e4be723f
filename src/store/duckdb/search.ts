// Trace search. For the default sort (most recent) only the traces of the
// latest matching spans are candidates, found in a time window that widens
// from the newest data back; the candidates are ranked through the trace
// index and the few returned traces are summarized from their spans, which
// the caller usually fetches next (see `SearchResult.spans`). The other sorts
// summarize every matching trace from the trace index.

import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { INTEGER } from '@duckdb/node-api';

import type { AnyValue, Attributes, Span } from '../../model/telemetry';
import { summarizeTrace } from '../memory/trace-summary';
import type { TraceQuery, TraceSummary } from '../store';
import type { Catalog } from './catalog';
import type { HotWindows } from './hot-windows';
import { asBig, asNum, asStr, hexToBig, traceHex } from './codec';
import { big, limitParam, read, text, tiny, withSearchParams } from './params';
import type { MatchingResources, Params } from './params';
import { spansInWindows, traceWindows, withTraceIds } from './read-traces';
import type { TraceWindow } from './read-traces';
import { spansMatching } from './search-filter';
import { readRows } from './search-read';
import { rankAndReadTop } from './search-top';
import { query } from './sql';

type Row = Record<string, DuckDBValue>;

/** Beyond this many candidate spans the shortcut gives up and summarizes every match. */
const MAX_CANDIDATES = 100_000;
/** Candidates ranked through the trace index (ids inlined as literals); more go through a scan. */
const MAX_INDEXED_CANDIDATES = 2_048;
/** Narrower windows tried before the whole range, each eight times the one before. */
const WINDOWS = 3;
const MIN_WINDOW_NS = 1_000_000_000n;
/** Spans of the returned traces read to summarize them; bigger traces are summarized in SQL. */
const MAX_SUMMARY_SPANS = 2_000;

export interface SearchResult {
  readonly summaries: TraceSummary[];
  /** The spans of the returned traces when the search read them (the recent sort, small traces). */
  readonly spans?: ReadonlyMap<string, Span[]>;
  /** What `mark` answered just before those spans were read. */
  readonly spansToken?: number;
}

/**
 * Where the store's newest spans are: the latest span start committed (or
 * later), and how far back from it the last row group's worth of spans
 * reach. Any values give the same answers; good ones save scanning row
 * groups that hold no answer.
 */
export interface RecentSpans {
  readonly newest: bigint;
  readonly width: bigint;
}

/** DuckDB's row group: the unit its zone maps skip, so the narrowest useful search window. */
export const ROW_GROUP_ROWS = 122_880;

/**
 * Where the newest row group's worth of stored spans begins and ends: a
 * search's first window before this process has written spans (a top-N
 * of every span's start: run it once, in the background, after opening;
 * 13 ms at 10M spans).
 */
export async function newestSpans(conn: DuckDBConnection): Promise<RecentSpans | undefined> {
  const rows = (
    await read(conn, query('newest-spans'), { k: [ROW_GROUP_ROWS, INTEGER] })
  ).getRows();
  const [newest, oldest] = rows[0] ?? [];
  if (newest === undefined || newest === null || oldest === undefined || oldest === null)
    return undefined;
  return { newest: asBig(newest), width: asBig(newest) - asBig(oldest) };
}

/** How a search tells which writes the spans it read include (see SearchedSpans). */
export interface SpanMarks {
  /** Called just before a read of spans: a token for writes the read surely includes. */
  readonly mark: () => number;
  /** write_seq exists (schema 7): a read of spans can learn its exact token too. */
  readonly recorded: boolean;
}

const NO_MARKS: SpanMarks = { mark: () => 0, recorded: false };

/**
 * Without `recent`, the recent sort scans the query's whole range at once.
 * `marks.mark` is called just before the returned traces' spans are read
 * (see `SearchedSpans.mark`). `hot`: as in getTrace, so ranking the candidates
 * probes only the cold trace index's ART instead of also scanning the
 * unindexed hot table (9 ms idle, 28 ms at p50 during ingest).
 */
export async function searchTraces(
  conn: DuckDBConnection,
  catalog: Catalog,
  q: TraceQuery,
  recent?: RecentSpans,
  marks: SpanMarks = NO_MARKS,
  resources?: MatchingResources,
  hot?: HotWindows,
): Promise<SearchResult> {
  if (!(q.limit >= 1)) return { summaries: [] };
  const limit = Number(limitParam(q.limit)[0]);
  if ((q.sort ?? 'recent') !== 'recent') return summarizeAll(conn, q, q.sort, limit, resources);
  return searchRecent(conn, catalog, q, limit, recent, marks, resources, hot);
}

/**
 * Every matching trace ranked through the trace index, the first `limit`
 * summarized: two statements, so that the ranking holds only numbers per
 * matching trace (search-traces.sql).
 */
async function summarizeAll(
  conn: DuckDBConnection,
  q: TraceQuery,
  sort: TraceQuery['sort'],
  limit: number,
  resources: MatchingResources | undefined,
): Promise<SearchResult> {
  const ranked = await withSearchParams(
    conn,
    q,
    async (filter) => {
      const m = spansMatching({ ...filter, kind: tiny(q.spanKind) });
      const sql = query('search-traces').replace('{{filter}}', () => m.where);
      return (
        await read(conn, sql, { ...m.params, sort: text(sort), limit: limitParam(limit) })
      ).getRows();
    },
    resources,
  );
  if (ranked.length === 0) return { summaries: [] };
  const ids = ranked.map((r) => asBig(r[0]!));
  const sql = withTraceIds(query('trace-summaries'), ids);
  const rows = (
    await read(conn, sql.sql, { ...sql.params, limit: limitParam(ids.length) })
  ).getRowObjects();
  // In the ranking's order (trace-summaries.sql gives the most recent first).
  const rank = new Map(ids.map((id, i) => [id, i]));
  const at = (r: Row): number => rank.get(asBig(r['trace_id']!)) ?? Number.MAX_SAFE_INTEGER;
  rows.sort((a, b) => at(a) - at(b));
  return { summaries: await withServices(conn, rows) };
}

interface Candidate {
  readonly id: string;
  readonly start: bigint;
  readonly window?: TraceWindow;
}

/**
 * A trace starts no later than any of its spans. Take the traces of the K
 * latest matching spans; if the limit-th latest start among them is later
 * than the K-th latest matching span, no other matching trace can start
 * later, so the answer is exact. Otherwise K doubles.
 */
async function searchRecent(
  conn: DuckDBConnection,
  catalog: Catalog,
  q: TraceQuery,
  limit: number,
  recent: RecentSpans | undefined,
  marks: SpanMarks,
  resources: MatchingResources | undefined,
  hot: HotWindows | undefined,
): Promise<SearchResult> {
  for (let k = Math.max(64, limit * 4); ; k *= 2) {
    if (k > MAX_CANDIDATES) return summarizeAll(conn, q, 'recent', limit, resources);
    const { spans, everyMatch } = await withSearchParams(
      conn,
      q,
      (filter) => latestMatchingSpans(conn, q, { ...filter, kind: tiny(q.spanKind) }, k, recent),
      resources,
    );
    if (spans.length === 0) return { summaries: [] };
    const ids = [...new Set(spans.map(([id]) => traceHex(id!)))];
    const read =
      hot === undefined || ids.length > MAX_INDEXED_CANDIDATES
        ? undefined
        : await rankAndReadTop(conn, catalog, ids, limit, hot, MAX_SUMMARY_SPANS, marks);
    const ranked =
      read?.ranked.map((w) => ({ id: w.id, start: w.lo, window: w })) ??
      (await rankByStart(conn, ids, limit, hot));
    const oldestCandidateSpan = asBig(spans[spans.length - 1]![1]!);
    const lastStart = ranked.length >= limit ? ranked[limit - 1]!.start : undefined;
    if (everyMatch || (lastStart !== undefined && lastStart > oldestCandidateSpan)) {
      const top = ranked.slice(0, limit);
      if (read?.spans !== undefined) return fromSpans(top, read.spans, read.spansToken);
      return summarize(conn, catalog, top, marks.mark, hot);
    }
  }
}

/**
 * The K latest matching spans: first among the newest row group's worth of
 * spans, then in a window eight times wider, until one holds K of them; the
 * fourth try covers the query's whole range. Spans are stored in arrival
 * order, which follows time, so the zone maps on start_ns skip the row
 * groups before the window (and a window narrower than one row group would
 * save nothing).
 */
async function latestMatchingSpans(
  conn: DuckDBConnection,
  q: TraceQuery,
  filter: Params,
  k: number,
  recent: RecentSpans | undefined,
): Promise<{ spans: DuckDBValue[][]; everyMatch: boolean }> {
  const newest = recent?.newest ?? q.range.end;
  const anchor = newest < q.range.end ? newest + 1n : q.range.end;
  const first = recent === undefined || recent.width < MIN_WINDOW_NS ? MIN_WINDOW_NS : recent.width;
  const m = spansMatching(filter);
  const sql = query('latest-matching-spans').replace('{{filter}}', () => m.where);
  for (let i = 0, width = first; ; i++, width *= 8n) {
    const from = anchor - width;
    // A window holding most of the range saves too little to be worth a second scan.
    const whole = recent === undefined || i >= WINDOWS || from - q.range.start <= width;
    const spans = await readRows(conn, sql, {
      ...m.params,
      start: big(whole ? q.range.start : from),
      k: [k, INTEGER],
    });
    if (spans.length >= k || whole) return { spans, everyMatch: spans.length < k };
  }
}

/** The traces' start times, latest first (ties by id), at least the first `limit`. */
async function rankByStart(
  conn: DuckDBConnection,
  ids: readonly string[],
  limit: number,
  hot: HotWindows | undefined,
): Promise<Candidate[]> {
  let out: Candidate[];
  if (ids.length <= MAX_INDEXED_CANDIDATES) {
    out = (await traceWindows(conn, ids, hot)).map((w) => ({ id: w.id, start: w.lo, window: w }));
  } else {
    const sql = withTraceIds(
      query('trace-summaries'),
      ids.map((id) => hexToBig(id)),
    );
    const rows = await read(conn, sql.sql, { ...sql.params, limit: limitParam(limit) });
    out = rows.getRowObjects().map((r) => ({
      id: traceHex(r['trace_id']!),
      start: asBig(r['start_ns']!),
    }));
  }
  return out.sort((a, b) =>
    a.start !== b.start ? (a.start > b.start ? -1 : 1) : a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
  );
}

/**
 * Summaries from the traces' own spans (the caller shows or fetches them
 * next, so they are returned too); traces too big to read whole are
 * summarized in SQL from the trace index instead.
 */
async function summarize(
  conn: DuckDBConnection,
  catalog: Catalog,
  top: readonly Candidate[],
  mark: () => number,
  hot: HotWindows | undefined,
): Promise<SearchResult> {
  const known = top.flatMap((c) => (c.window === undefined ? [] : [c.window]));
  const windows =
    known.length === top.length
      ? known
      : await traceWindows(
          conn,
          top.map((c) => c.id),
          hot,
        );
  const spansToken = mark();
  const spans = await spansInWindows(conn, catalog, windows, MAX_SUMMARY_SPANS, hot);
  if (spans === undefined) {
    const sql = withTraceIds(
      query('trace-summaries'),
      top.map((c) => hexToBig(c.id)),
    );
    const rows = await read(conn, sql.sql, { ...sql.params, limit: limitParam(top.length) });
    return { summaries: await withServices(conn, rows.getRowObjects()) };
  }
  return fromSpans(top, spans, spansToken);
}

function fromSpans(
  top: readonly Candidate[],
  spans: Map<string, Span[]>,
  spansToken: number | undefined,
): SearchResult {
  const summaries: TraceSummary[] = [];
  for (const c of top) {
    const list = spans.get(c.id);
    // A trace removed by retention since it was ranked is left out.
    if (list === undefined) continue;
    const s = summarizeTrace(c.id, list);
    summaries.push({ ...s, services: sortKeys(s.services) });
  }
  return spansToken === undefined ? { summaries, spans } : { summaries, spans, spansToken };
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
  const sql = withTraceIds(query('trace-services'), ids);
  const counts = await read(conn, sql.sql, { ...sql.params, lo: big(lo), hi: big(hi) });
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

/** A write's traces, or every trace (retention). */
type Touched = ReadonlySet<string> | 'all';

/**
 * The spans the latest searches read, kept for the getTraces that usually
 * follows a search (Jaeger's search answers whole traces): that read then
 * costs no query. Never stale: a write drops the traces it touches, and a
 * search does not keep a trace that a write overlapping it touched unless
 * its read is known to include that write (`mark`, or the write sequence
 * number the read found: see writeStarted).
 */
export class SearchedSpans {
  private readonly byTrace = new Map<string, { spans: Span[]; bytes: number }>();
  /** Estimated bytes held (`spanBytes`): attribute values are client text of up to 64 KiB each. */
  private held = 0;
  /** Writes started so far; the log holds the recent ones while searches run. */
  private seq = 0;
  private current: { seq: number; ids: Touched } | undefined;
  private readonly log: { seq: number; ids: Touched }[] = [];
  private logged = 0;
  /** Searches whose token is below this cannot tell what they overlapped. */
  private forgotten = 0;
  private searches = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly maxLoggedIds = 100_000,
  ) {}

  /** Writes are remembered from now until `searchEnded`. */
  searchStarted(): void {
    this.searches++;
  }

  /**
   * Between `searchStarted` and `searchEnded`, just before a read: the token
   * to give `searchEnded` for what that read found. Writes after it (and the
   * one under way) may be missing from that read.
   */
  mark(): number {
    const w = this.current;
    if (w === undefined) return this.seq;
    if (this.log[this.log.length - 1] !== w) this.remember(w);
    return w.seq - 1;
  }

  /** `found`: the spans the search read after `mark()` gave `token`, if any. */
  searchEnded(token: number | undefined, found: ReadonlyMap<string, Span[]> | undefined): void {
    this.searches--;
    if (token !== undefined && found !== undefined && token >= this.forgotten) {
      const touched = new Set<string>();
      let all = false;
      for (const e of this.log) {
        if (e.seq <= token) continue;
        if (e.ids === 'all') all = true;
        else for (const id of e.ids) touched.add(id);
      }
      if (!all) for (const [id, spans] of found) if (!touched.has(id)) this.put(id, spans);
    }
    if (this.searches === 0 && this.current === undefined) this.forget();
  }

  /**
   * Writes are numbered from `seq` on (what write_seq held at open): a
   * read's `seen` token then names writes of this process only.
   */
  resume(seq: number): void {
    if (seq > this.seq) this.seq = seq;
  }

  /**
   * Before a write of these traces (or 'all': retention) begins. Returns
   * its sequence number, which a span write records in write_seq within
   * its transaction: a read that finds n there includes every write up to
   * n (they commit in order), so n is a token for `searchEnded` as good as
   * `mark()`'s, and better while a write is under way.
   */
  writeStarted(ids: Touched): number {
    this.current = { seq: ++this.seq, ids };
    if (ids === 'all') {
      this.byTrace.clear();
      this.held = 0;
    } else {
      for (const id of ids) this.drop(id);
    }
    if (this.searches > 0) this.remember(this.current);
    return this.seq;
  }

  writeEnded(): void {
    this.current = undefined;
    if (this.searches === 0) this.forget();
  }

  private remember(w: { seq: number; ids: Touched }): void {
    this.log.push(w);
    this.logged += w.ids === 'all' ? 1 : w.ids.size;
    while (this.logged > this.maxLoggedIds && this.log.length > 0) {
      const old = this.log.shift()!;
      this.logged -= old.ids === 'all' ? 1 : old.ids.size;
      this.forgotten = old.seq;
    }
  }

  private forget(): void {
    this.log.length = 0;
    this.logged = 0;
  }

  /** The cached traces among `ids` (copies), and the ids left to read. */
  take(ids: readonly string[]): { found: Map<string, Span[]>; missing: string[] } {
    const found = new Map<string, Span[]>();
    const missing: string[] = [];
    for (const raw of ids) {
      const id = raw.toLowerCase();
      const entry = this.byTrace.get(id);
      if (entry === undefined) missing.push(raw);
      else found.set(id, [...entry.spans]);
    }
    return { found, missing };
  }

  private put(id: string, spans: Span[]): void {
    let bytes = 0;
    for (const s of spans) bytes += spanBytes(s);
    this.drop(id);
    if (bytes > this.maxBytes) return;
    this.byTrace.set(id, { spans, bytes });
    this.held += bytes;
    // Oldest first out (a Map iterates in insertion order).
    for (const [old, entry] of this.byTrace) {
      if (this.held <= this.maxBytes) break;
      this.byTrace.delete(old);
      this.held -= entry.bytes;
    }
  }

  private drop(id: string): void {
    const entry = this.byTrace.get(id);
    if (entry === undefined) return;
    this.byTrace.delete(id);
    this.held -= entry.bytes;
  }
}

/** A rough size of a span in memory: a fixed part plus its texts and values. */
export function spanBytes(s: Span): number {
  let n = 400 + s.name.length + attributesBytes(s.attributes) + s.status.message.length;
  for (const e of s.events) n += 100 + e.name.length + attributesBytes(e.attributes);
  for (const l of s.links) n += 100 + l.traceState.length + attributesBytes(l.attributes);
  return n;
}

function attributesBytes(attrs: Attributes): number {
  let n = 0;
  for (const k of Object.keys(attrs)) n += 40 + k.length + valueBytes(attrs[k] ?? null);
  return n;
}

function valueBytes(v: AnyValue): number {
  if (typeof v === 'string') return 16 + v.length * 2;
  if (v instanceof Uint8Array) return 64 + v.length;
  if (Array.isArray(v)) {
    let n = 16;
    for (const x of v as readonly AnyValue[]) n += valueBytes(x);
    return n;
  }
  if (v !== null && typeof v === 'object' && 'kvlist' in v) return 16 + attributesBytes(v.kvlist);
  return 16;
}
