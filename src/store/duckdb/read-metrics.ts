// Prometheus-model reads. Label matching runs in JS against the catalog's
// copy of the series table (small), with the same rules as the in-memory
// store (src/store/labels.ts); only samples and exemplars are read from SQL.

import type {
  DuckDBConnection,
  DuckDBPreparedStatement,
  DuckDBType,
  DuckDBValue,
} from '@duckdb/node-api';
import { LIST, UINTEGER, listValue } from '@duckdb/node-api';

import type {
  Labels,
  PromExemplar,
  PromMetadata,
  PromMetricType,
  Sample,
  SeriesExemplars,
  SeriesSamples,
} from '../../model/telemetry';
import { labelsMatch, labelsMatchAny } from '../labels';
import type { LabelMatcher, MsRange } from '../store';
import type { Catalog } from './catalog';
import { asNum, asStr } from './codec';
import { big, read, text, type Params } from './params';
import { query } from './sql';

interface SeriesRef {
  readonly id: number;
  readonly key: string;
  readonly labels: Labels;
}

function sortedRefs(catalog: Catalog, keep: (l: Labels) => boolean): SeriesRef[] {
  const out: SeriesRef[] = [];
  for (const [id, s] of catalog.series)
    if (keep(s.labels)) out.push({ id, key: s.key, labels: s.labels });
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

const msParams = (r: MsRange) => ({
  min_t: big(BigInt(Math.ceil(r.minT))),
  max_t: big(BigInt(Math.floor(r.maxT))),
});
const idList = (refs: readonly SeriesRef[]) =>
  [listValue(refs.map((r) => r.id)), LIST(UINTEGER)] as const;

// Every PromQL selector runs the samples query; preparing it once per reader
// connection saves its parse and plan each time. A connection runs one task
// at a time (the store's pool), so its statement is never bound twice at once.
const samplesStatements = new WeakMap<DuckDBConnection, Promise<DuckDBPreparedStatement>>();

function samplesStatement(conn: DuckDBConnection): Promise<DuckDBPreparedStatement> {
  let stmt = samplesStatements.get(conn);
  if (!stmt) {
    stmt = conn.prepare(query('samples'));
    samplesStatements.set(conn, stmt);
    stmt.catch(() => samplesStatements.delete(conn));
  }
  return stmt;
}

export async function selectSeries(
  conn: DuckDBConnection,
  catalog: Catalog,
  matchers: readonly LabelMatcher[],
  range: MsRange,
): Promise<SeriesSamples[]> {
  const refs = sortedRefs(catalog, (l) => labelsMatch(l, matchers));
  if (refs.length === 0) return [];
  const params: Params = { series_ids: idList(refs), ...msParams(range) };
  const values: Record<string, DuckDBValue> = {};
  const types: Record<string, DuckDBType> = {};
  for (const [k, [v, t]] of Object.entries(params)) {
    values[k] = v;
    types[k] = t;
  }
  // Column by column from each chunk: a PromQL query reads tens of thousands
  // of samples, and building a row array of DuckDB values for each costs
  // more than the query itself.
  const stmt = await samplesStatement(conn);
  stmt.bind(values, types);
  const result = await stmt.run();
  const byId = new Map<number, Sample[]>();
  let list: Sample[] = [];
  let listId = -1;
  // A materialized result hands out its chunks synchronously: no round trip
  // to DuckDB's threads per chunk.
  for (let c = 0; c < result.chunkCount; c++) {
    const chunk = result.getChunk(c);
    const n = chunk.rowCount;
    const ids = chunk.getColumnVector(0);
    const ts = chunk.getColumnVector(1);
    const vs = chunk.getColumnVector(2);
    for (let i = 0; i < n; i++) {
      const sid = asNum(ids.getItem(i));
      // Rows come ordered by series, so the list changes rarely.
      if (sid !== listId) {
        const known = byId.get(sid);
        if (known) list = known;
        else byId.set(sid, (list = []));
        listId = sid;
      }
      const t = asNum(ts.getItem(i));
      const v = asNum(vs.getItem(i));
      // A timestamp written twice keeps the last value: samples.sql does that already; this
      // keeps it true for a query that returns both rows in write order instead.
      if (list.length > 0 && (list[list.length - 1] as Sample).t === t)
        list[list.length - 1] = { t, v };
      else list.push({ t, v });
    }
  }
  const out: SeriesSamples[] = [];
  for (const r of refs) {
    const samples = byId.get(r.id);
    if (samples) out.push({ labels: r.labels, samples });
  }
  return out;
}

async function activeRefs(
  conn: DuckDBConnection,
  catalog: Catalog,
  sets: readonly (readonly LabelMatcher[])[],
  range: MsRange,
): Promise<SeriesRef[]> {
  const active = new Set<number>();
  for (const [id] of (await read(conn, query('active-series'), msParams(range))).getRows())
    active.add(asNum(id!));
  return sortedRefs(catalog, (l) => labelsMatchAny(l, sets)).filter((r) => active.has(r.id));
}

export async function labelNames(
  conn: DuckDBConnection,
  catalog: Catalog,
  sets: readonly (readonly LabelMatcher[])[],
  range: MsRange,
): Promise<string[]> {
  const names = new Set<string>();
  for (const r of await activeRefs(conn, catalog, sets, range))
    for (const k of Object.keys(r.labels)) names.add(k);
  return [...names].sort();
}

export async function labelValues(
  conn: DuckDBConnection,
  catalog: Catalog,
  name: string,
  sets: readonly (readonly LabelMatcher[])[],
  range: MsRange,
): Promise<string[]> {
  const values = new Set<string>();
  for (const r of await activeRefs(conn, catalog, sets, range)) {
    const v = r.labels[name];
    if (v !== undefined) values.add(v);
  }
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
  const refs = sortedRefs(catalog, (l) => labelsMatchAny(l, sets));
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
  return refs
    .filter((r) => byId.has(r.id))
    .map((r) => ({ seriesLabels: r.labels, exemplars: byId.get(r.id)! }));
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
