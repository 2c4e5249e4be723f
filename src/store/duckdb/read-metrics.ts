// Prometheus-model reads. Label matching runs in JS with the same rules as
// the in-memory store (src/store/labels.ts), against the catalog's bounded
// memory of the series table, or against the table's rows when memory lost
// some of the metric's series (series-index.ts); samples and exemplars are
// read from SQL by series id.

import type {
  DuckDBConnection,
  DuckDBPreparedStatement,
  DuckDBType,
  DuckDBValue,
} from '@duckdb/node-api';
import { LIST, UINTEGER, VARCHAR, listValue } from '@duckdb/node-api';
import duckdb from '@duckdb/node-bindings';

import type {
  Labels,
  PromExemplar,
  PromMetadata,
  PromMetricType,
  Sample,
  SeriesExemplars,
  SeriesSamples,
} from '../../model/telemetry';
import type { LabelMatcher, MsRange } from '../store';
import type { Catalog } from './catalog';
import { asNum, asStr } from './codec';
import { big, read, text, type Params } from './params';
import type { BlockSamples, SampleCache } from './sample-cache';
import { MAX_CACHED_SPAN_BLOCKS } from './sample-cache';
import type { SeriesRef } from './series-index';
import { query } from './sql';

function sortedRefs(
  conn: DuckDBConnection,
  catalog: Catalog,
  sets: readonly (readonly LabelMatcher[])[],
): Promise<SeriesRef[]> {
  return catalog.seriesIndex.refs(conn, sets);
}

const msParams = (r: MsRange) => ({
  min_t: big(BigInt(Math.ceil(r.minT))),
  max_t: big(BigInt(Math.floor(r.maxT))),
});
const idList = (refs: readonly SeriesRef[]) =>
  [listValue(refs.flatMap((r) => r.ids)), LIST(UINTEGER)] as const;
// The metric names settled samples are filed under (sample_metrics): a
// series' metric column is its __name__ label, or '' without one.
const metricOf = (r: SeriesRef | undefined): string => r?.labels['__name__'] ?? '';

// Every PromQL selector runs a samples query; preparing it once per reader
// connection saves its parse and plan each time. A connection runs one task
// at a time (the store's pool), so its statement is never bound twice at once.
type SamplesQuery =
  | 'samples'
  | 'samples-listed'
  | 'samples-metric'
  | 'samples-metric-listed'
  | 'samples-one'
  | 'samples-named';

// Up to this many series ids a read looks them up in a list (samples-listed.sql)
// rather than joining them (samples.sql): the list is searched per row that
// passes the id range, a join builds a hash table once. Even at 64 ids, past
// 128 the join is cheaper (204 ids: 5.6 vs 9.3 ms CPU, bench/promql.md).
export const MAX_LISTED_SERIES = 64;
const samplesStatements = new WeakMap<
  DuckDBConnection,
  Map<SamplesQuery, Promise<DuckDBPreparedStatement>>
>();

function samplesStatement(
  conn: DuckDBConnection,
  name: SamplesQuery,
): Promise<DuckDBPreparedStatement> {
  let forConn = samplesStatements.get(conn);
  if (!forConn) samplesStatements.set(conn, (forConn = new Map()));
  let stmt = forConn.get(name);
  if (!stmt) {
    const mine = conn.prepare(query(name));
    forConn.set(name, mine);
    mine.catch(() => forConn.delete(name));
    stmt = mine;
  }
  return stmt;
}

// Metric ids of sample_metrics, per connection (one database each): an id
// never changes once given, so a name found is kept. A name not found yet
// is looked up again next time, and its read names the metrics in SQL
// (samples-named.sql): compaction may intern it and move its rows between
// the lookup and the read. Metric names come from senders: past
// MAX_KEPT_METRIC_IDS a connection forgets them all and looks up again.
const metricIdsOf = new WeakMap<DuckDBConnection, Map<string, number>>();
const MAX_KEPT_METRIC_IDS = 10_000;

/** The metrics' ids in sample_metrics, or undefined when one has none yet. */
async function metricIds(
  conn: DuckDBConnection,
  names: readonly string[],
): Promise<number[] | undefined> {
  let known = metricIdsOf.get(conn);
  if (!known) metricIdsOf.set(conn, (known = new Map()));
  const missing = names.filter((n) => !known.has(n));
  if (missing.length > 0) {
    if (known.size + missing.length > MAX_KEPT_METRIC_IDS) known.clear();
    const rows = await read(conn, query('metric-ids'), {
      metrics: [listValue(missing), LIST(VARCHAR)],
    });
    for (const [m, id] of rows.getRows()) known.set(asStr(m!), asNum(id!));
  }
  const ids: number[] = [];
  for (const n of names) {
    const id = known.get(n);
    if (id === undefined) return undefined;
    ids.push(id);
  }
  return ids;
}

/** One series' samples as they arrive, with the rowid of each (a later write of a time wins). */
interface Pending {
  readonly s: Sample[];
  readonly r: number[];
  /** Rows so far came in (t, rowid) order, so duplicates were folded on the way. */
  ordered: boolean;
}

// Samples are made once, as they arrive: the engine reads them as they are
// (a first read of 50k samples made columns, then objects from them; both
// were garbage to collect).
function add(p: Pending, t: number, v: number, rowid: number): void {
  const last = p.s.length - 1;
  if (p.ordered && last >= 0) {
    const ls = p.s[last] as Sample;
    const lr = p.r[last] as number;
    if (t === ls.t && rowid > lr) {
      p.s[last] = { t, v };
      p.r[last] = rowid;
      return;
    }
    if (t < ls.t || (t === ls.t && rowid < lr)) p.ordered = false;
  }
  p.s.push({ t, v });
  p.r.push(rowid);
}

/** Samples in time order, one per timestamp: the highest rowid's. */
function settle(p: Pending): Sample[] {
  if (p.ordered) return p.s;
  const { s, r } = p;
  const order = s.map((_, i) => i);
  order.sort(
    (a, b) => (s[a] as Sample).t - (s[b] as Sample).t || (r[a] as number) - (r[b] as number),
  );
  const out: Sample[] = [];
  for (const i of order) {
    const x = s[i] as Sample;
    const n = out.length;
    if (n > 0 && (out[n - 1] as Sample).t === x.t) out[n - 1] = x;
    else out.push(x);
  }
  return out;
}

/** A copy of the bytes of column `i` of a result chunk of `n` rows of `width`-byte values. */
function columnBytes(chunk: duckdb.DataChunk, i: number, n: number, width: number): Uint8Array {
  return duckdb.vector_get_data(duckdb.data_chunk_get_vector(chunk, i), n * width);
}
const u32Column = (chunk: duckdb.DataChunk, i: number, n: number): Uint32Array => {
  const b = columnBytes(chunk, i, n, 4);
  return new Uint32Array(b.buffer, b.byteOffset, n);
};
const f64Column = (chunk: duckdb.DataChunk, i: number, n: number): Float64Array => {
  const b = columnBytes(chunk, i, n, 8);
  return new Float64Array(b.buffer, b.byteOffset, n);
};

/** The samples statement for these series and its parameters. */
function samplesQuery(
  refs: readonly SeriesRef[],
  names: readonly string[],
  ids: readonly number[] | undefined,
  wholeMetrics: boolean,
): [SamplesQuery, Params] {
  const seriesIds = refs.flatMap((r) => r.ids);
  if (ids === undefined)
    return [
      'samples-named',
      { series_ids: idList(refs), metrics: [listValue([...names]), LIST(VARCHAR)] },
    ];
  if (seriesIds.length === 1)
    return [
      'samples-one',
      { series_id: [seriesIds[0] ?? 0, UINTEGER], metric_id: [ids[0] ?? 0, UINTEGER] },
    ];
  const listed = seriesIds.length <= MAX_LISTED_SERIES;
  const params: Params = {
    series_ids: idList(refs),
    metric_ids: [listValue([...ids]), LIST(UINTEGER)],
    ...(listed
      ? { lo: [Math.min(...seriesIds), UINTEGER], hi: [Math.max(...seriesIds), UINTEGER] }
      : {}),
    ...(wholeMetrics || listed
      ? { metric_lo: [Math.min(...ids), UINTEGER], metric_hi: [Math.max(...ids), UINTEGER] }
      : {}),
  };
  const name: SamplesQuery = wholeMetrics
    ? listed
      ? 'samples-metric-listed'
      : 'samples-metric'
    : listed
      ? 'samples-listed'
      : 'samples';
  return [name, params];
}

/**
 * The samples of each ref with `minT <= t <= maxT`, in refs' order (a ref
 * without samples: none). `wholeMetrics`: the refs are every series of their
 * metrics.
 */
async function fetchSamples(
  conn: DuckDBConnection,
  refs: readonly SeriesRef[],
  minT: number,
  maxT: number,
  wholeMetrics: boolean,
): Promise<Sample[][]> {
  const names = [...new Set(refs.map(metricOf))];
  const ids = await metricIds(conn, names);
  const [name, chosen] = samplesQuery(refs, names, ids, wholeMetrics);
  const params: Params = { ...chosen, ...msParams({ minT, maxT }) };
  const values: Record<string, DuckDBValue> = {};
  const types: Record<string, DuckDBType> = {};
  for (const [k, [v, t]] of Object.entries(params)) {
    values[k] = v;
    types[k] = t;
  }
  // Column by column from each chunk: a PromQL query reads tens of thousands
  // of samples, and building a row array of DuckDB values for each costs
  // more than the query itself.
  const stmt = await samplesStatement(conn, name);
  stmt.bind(values, types);
  const result = await stmt.run();
  // A key stored under several ids is one series: its ids share one Pending.
  const pendings: Pending[] = [];
  const byId = new Map<number, Pending>();
  for (const r of refs) {
    const p: Pending = { s: [], r: [], ordered: true };
    pendings.push(p);
    for (const id of r.ids) byId.set(id, p);
  }
  let pending: Pending | undefined;
  let pendingId = -1;
  // A materialized result hands out its chunks synchronously: no round trip
  // to DuckDB's threads per chunk. Its columns are read as typed arrays (one
  // copy of each column's bytes: the bindings copy, never lend, native
  // memory; every column is NOT NULL, of a fixed width), not value by value
  // through node-api's vectors.
  for (let c = 0; c < result.chunkCount; c++) {
    const chunk = result.getChunk(c);
    const n = chunk.rowCount;
    const sids = u32Column(chunk.chunk, 0, n);
    const ts = f64Column(chunk.chunk, 1, n);
    const vs = f64Column(chunk.chunk, 2, n);
    const rs = f64Column(chunk.chunk, 3, n);
    for (let i = 0; i < n; i++) {
      const sid = sids[i] as number;
      // The table is written in time order, series interleaved: look up only on a change.
      if (sid !== pendingId || !pending) {
        pending = byId.get(sid);
        if (!pending) continue;
        pendingId = sid;
      }
      add(pending, ts[i] as number, vs[i] as number, rs[i] as number);
    }
  }
  return pendings.map(settle);
}

/** First index of samples sorted by time at or after `t`. */
function lowerBound(samples: readonly Sample[], from: number, to: number, t: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((samples[mid] as Sample).t < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Interleaved times and values of the samples with `fromT <= t < toT`. */
function blockOf(samples: readonly Sample[], fromT: number, toT: number, at: number): number[] {
  const from = lowerBound(samples, at, samples.length, fromT);
  const to = lowerBound(samples, from, samples.length, toT);
  const out = new Array<number>((to - from) * 2);
  for (let i = from; i < to; i++) {
    const x = samples[i] as Sample;
    out[(i - from) * 2] = x.t;
    out[(i - from) * 2 + 1] = x.v;
  }
  return out;
}

export async function selectSeries(
  conn: DuckDBConnection,
  catalog: Catalog,
  cache: SampleCache,
  matchers: readonly LabelMatcher[],
  range: MsRange,
): Promise<SeriesSamples[]> {
  const refs = await sortedRefs(conn, catalog, [matchers]);
  if (refs.length === 0) return [];
  // Only the metric named: the refs are all of its series.
  const wholeMetrics = matchers.every((m) => m.name === '__name__' && m.op === '=');
  const minT = Math.ceil(range.minT);
  const maxT = Math.floor(range.maxT);
  if (!(minT <= maxT)) return [];
  const lo = cache.blockOf(minT);
  const hi = cache.blockOf(maxT);
  if (!cache.enabled || !(hi - lo < MAX_CACHED_SPAN_BLOCKS)) {
    const found = await fetchSamples(conn, refs, minT, maxT, wholeMetrics);
    const out: SeriesSamples[] = [];
    // The query's range is the selector's: every sample found is in it.
    for (const [i, r] of refs.entries()) {
      const samples = found[i] as Sample[];
      if (samples.length > 0) out.push({ labels: r.labels, samples });
    }
    return out;
  }
  // Per block, each series' samples: from the cache where it holds every
  // series of the block, else from one query over the blocks it lacks.
  const parts: (readonly BlockSamples[])[] = [];
  let first = hi + 1;
  let last = lo - 1;
  for (let b = lo; b <= hi; b++) {
    const held: BlockSamples[] = [];
    for (const r of refs) {
      const s = cache.get(b, r.key);
      if (s === undefined) break;
      held.push(s);
    }
    if (held.length === refs.length) {
      cache.used(b);
      parts.push(held);
    } else {
      first = Math.min(first, b);
      last = b;
      parts.push([]);
    }
  }
  // Blocks just read: where each series' samples of the block start in
  // `found`, whose sample objects are used as they are.
  const freshAt: (number[] | undefined)[] = [];
  let found: Sample[][] = [];
  if (first <= last) {
    const snap = cache.snapshot(first, last);
    const fromT = first * cache.blockMs;
    found = await fetchSamples(conn, refs, fromT, (last + 1) * cache.blockMs - 1, wholeMetrics);
    const at = new Array<number>(refs.length).fill(0);
    for (let b = first; b <= last; b++) {
      const start = b * cache.blockMs;
      const fresh: BlockSamples[] = [];
      freshAt[b - lo] = [...at];
      for (const [i, r] of refs.entries()) {
        const s = blockOf(found[i] as Sample[], start, start + cache.blockMs, at[i] as number);
        const n = s.length / 2;
        at[i] = (at[i] as number) + n;
        // Taken before the cache may append to it.
        fresh.push({ data: s, n });
        cache.put(snap, b, r.key, s);
      }
      parts[b - lo] = fresh;
    }
  }
  const out: SeriesSamples[] = [];
  const lastPart = parts.length - 1;
  // Each series' first and last sample in range per block, then one array of the right size.
  const froms: number[] = [];
  const tos: number[] = [];
  for (const [i, r] of refs.entries()) {
    let total = 0;
    for (let k = 0; k <= lastPart; k++) {
      const { data, n } = (parts[k] as readonly BlockSamples[])[i] as BlockSamples;
      // Only the first and last blocks reach past the range.
      let from = 0;
      let to = n;
      if (k === 0) while (from < to && (data[from * 2] as number) < minT) from++;
      if (k === lastPart) while (to > from && (data[(to - 1) * 2] as number) > maxT) to--;
      froms[k] = from;
      tos[k] = to;
      total += to - from;
    }
    if (total === 0) continue;
    const samples = new Array<Sample>(total);
    let at = 0;
    for (let k = 0; k <= lastPart; k++) {
      const starts = freshAt[k];
      if (starts !== undefined) {
        const read = found[i] as Sample[];
        const base = starts[i] as number;
        for (let j = froms[k] as number; j < (tos[k] as number); j++)
          samples[at++] = read[base + j] as Sample;
        continue;
      }
      const { data } = (parts[k] as readonly BlockSamples[])[i] as BlockSamples;
      for (let j = froms[k] as number; j < (tos[k] as number); j++)
        samples[at++] = { t: data[j * 2] as number, v: data[j * 2 + 1] as number };
    }
    out.push({ labels: r.labels, samples });
  }
  return out;
}

/** Ids of the series with samples in the range. */
async function activeIds(conn: DuckDBConnection, range: MsRange): Promise<Set<number>> {
  const active = new Set<number>();
  for (const [id] of (await read(conn, query('active-series'), msParams(range))).getRows())
    active.add(asNum(id!));
  return active;
}

async function activeRefs(
  conn: DuckDBConnection,
  catalog: Catalog,
  sets: readonly (readonly LabelMatcher[])[],
  range: MsRange,
): Promise<SeriesRef[]> {
  const active = await activeIds(conn, range);
  return (await sortedRefs(conn, catalog, sets)).filter((r) => r.ids.some((id) => active.has(id)));
}

// Names and values need no series list: a visit without sorting or
// grouping, which matters when a metric has a million series.
export async function labelNames(
  conn: DuckDBConnection,
  catalog: Catalog,
  sets: readonly (readonly LabelMatcher[])[],
  range: MsRange,
): Promise<string[]> {
  const names = new Set<string>();
  const active = await activeIds(conn, range);
  await catalog.seriesIndex.visit(
    conn,
    sets,
    (_id, _key, labels) => {
      for (const k of Object.keys(labels)) names.add(k);
    },
    active,
  );
  return [...names].sort();
}

export async function labelValues(
  conn: DuckDBConnection,
  catalog: Catalog,
  name: string,
  sets: readonly (readonly LabelMatcher[])[],
  range: MsRange,
): Promise<string[]> {
  const metrics = catalog.seriesIndex.valuesInSql(sets);
  if (metrics !== undefined) {
    const rows = await read(conn, query('series-label-values'), {
      metrics: [listValue(metrics), LIST(VARCHAR)],
      name: text(name),
      ...msParams(range),
    });
    return rows
      .getRows()
      .map(([v]) => asStr(v!))
      .sort();
  }
  const values = new Set<string>();
  const active = await activeIds(conn, range);
  await catalog.seriesIndex.visit(
    conn,
    sets,
    (_id, _key, labels) => {
      const v = labels[name];
      if (v !== undefined) values.add(v);
    },
    active,
  );
  return [...values].sort();
}

export async function seriesLabels(
  conn: DuckDBConnection,
  catalog: Catalog,
  sets: readonly (readonly LabelMatcher[])[],
  range: MsRange,
): Promise<Labels[]> {
  return (await activeRefs(conn, catalog, sets, range)).map((r) => r.labels);
}

export async function exemplars(
  conn: DuckDBConnection,
  catalog: Catalog,
  sets: readonly (readonly LabelMatcher[])[],
  range: MsRange,
): Promise<SeriesExemplars[]> {
  const refs = await sortedRefs(conn, catalog, sets);
  if (refs.length === 0) return [];
  const rows = await read(conn, query('exemplars'), {
    series_ids: idList(refs),
    ...msParams(range),
  });
  const byId = new Map<number, PromExemplar[]>();
  for (const [id, t, v, labels] of rows.getRows()) {
    const sid = asNum(id!);
    let list = byId.get(sid);
    if (list === undefined) byId.set(sid, (list = []));
    list.push({
      labels: Object.fromEntries(JSON.parse(asStr(labels!)) as [string, string][]),
      t: asNum(t!),
      v: asNum(v!),
    });
  }
  const out: SeriesExemplars[] = [];
  for (const r of refs) {
    const list = r.ids.flatMap((id) => byId.get(id) ?? []);
    if (r.ids.length > 1) list.sort((x, y) => x.t - y.t);
    if (list.length > 0) out.push({ seriesLabels: r.labels, exemplars: list });
  }
  return out;
}

export async function metadata(conn: DuckDBConnection, metric?: string): Promise<PromMetadata[]> {
  const rows = await read(conn, query('metadata'), { metric: text(metric) });
  return rows.getRows().map(([m, type, help, unit]) => ({
    metric: asStr(m!),
    type: asStr(type!) as PromMetricType,
    help: asStr(help!),
    unit: asStr(unit!),
  }));
}
