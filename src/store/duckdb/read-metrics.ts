// Prometheus-model reads. Label matching runs in JS against the catalog's
// copy of the series table (small), with the same rules as the in-memory
// store (src/store/labels.ts); only samples and exemplars are read from SQL.

import type { DuckDBConnection } from '@duckdb/node-api';
import { LIST, UINTEGER, listValue } from '@duckdb/node-api';

import type {
  Labels,
  PromExemplar,
  PromMetadata,
  PromMetricType,
  SeriesExemplars,
  SeriesSamples,
} from '../../model/telemetry';
import { labelsMatch, labelsMatchAny } from '../labels';
import type { LabelMatcher, MsRange } from '../store';
import type { Catalog } from './catalog';
import { asNum, asStr } from './codec';
import { big, read, text } from './params';
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

export async function selectSeries(
  conn: DuckDBConnection,
  catalog: Catalog,
  matchers: readonly LabelMatcher[],
  range: MsRange,
): Promise<SeriesSamples[]> {
  const refs = sortedRefs(catalog, (l) => labelsMatch(l, matchers));
  if (refs.length === 0) return [];
  const rows = await read(conn, query('samples'), { series_ids: idList(refs), ...msParams(range) });
  const byId = new Map<number, { t: number; v: number }[]>();
  for (const [id, t, v] of rows.getRows()) {
    const sid = asNum(id!);
    let list = byId.get(sid);
    if (list === undefined) byId.set(sid, (list = []));
    list.push({ t: asNum(t!), v: asNum(v!) });
  }
  return refs
    .filter((r) => byId.has(r.id))
    .map((r) => ({ labels: r.labels, samples: byId.get(r.id)! }));
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
