// The catalog's memory of Prometheus series, bounded. Up to `max` series are
// held (id -> labels, key -> id); past that the oldest go, and the `series`
// table answers what memory no longer can:
// - a label read (selector, /series, /labels, /label/x/values) whose metric
//   lost series to eviction reads the series rows of its metric names from
//   SQL (all rows, streamed, without a metric-name equality) and applies the
//   matchers in TS;
// - a write looks up, by key, the stored ids of series it did not find in
//   memory (resolve), so an evicted series keeps its id.
// A key stored under two ids (a write that skipped resolve) reads as one series.

import type { DuckDBConnection } from '@duckdb/node-api';
import { LIST, VARCHAR, listValue } from '@duckdb/node-api';

import type { Labels } from '../../model/telemetry';
import { labelsMatchAny, matcherMatches } from '../labels';
import type { LabelMatcher } from '../store';
import { asNum, asStr } from './codec';
import { limitParam, read } from './params';
import { query } from './sql';

/** Series held in memory unless told otherwise (~280 B of heap each, bench/series-cardinality.md). */
export const DEFAULT_SERIES_ENTRIES = 200_000;
/** Metric names remembered as having lost series; past this, every metric counts as such. */
const EVICTED_METRICS_KEPT = 10_000;
/** Metric names a regex may select before a read looks at every series row instead. */
const MATCHED_METRICS_MAX = 10_000;
/** Keys per lookup query of a write. */
const KEYS_PER_QUERY = 2_048;

export interface SeriesEntry {
  readonly key: string;
  readonly labels: Labels;
}

/** A series as reads return it: every id stored under its key. */
export interface SeriesRef {
  readonly ids: number[];
  readonly key: string;
  readonly labels: Labels;
}

const metricOf = (labels: Labels): string => labels['__name__'] ?? '';
const parseLabels = (key: string): Labels =>
  Object.fromEntries(JSON.parse(key) as [string, string][]);

function byKey(a: SeriesRef, b: SeriesRef): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/** Adds a row to a key -> ref map; a second id of a key joins the first's ref. */
function collect(out: Map<string, SeriesRef>, id: number, key: string, labels: Labels): void {
  const ref = out.get(key);
  if (ref === undefined) out.set(key, { ids: [id], key, labels });
  else if (!ref.ids.includes(id)) ref.ids.push(id);
}

/** The metric names every matcher set pins with `__name__="..."`; undefined when one does not. */
export function pinnedMetrics(sets: readonly (readonly LabelMatcher[])[]): string[] | undefined {
  if (sets.length === 0) return undefined;
  const names = new Set<string>();
  for (const set of sets) {
    const m = set.find((x) => x.name === '__name__' && x.op === '=');
    if (m === undefined) return undefined;
    names.add(m.value);
  }
  return [...names];
}

/**
 * A label pair every matching series holds, as its key spells it (keys are
 * JSON arrays of [name, value] pairs, so the text appears in the key exactly
 * when the series has the pair); null when the sets name none.
 */
export function pairNeedle(sets: readonly (readonly LabelMatcher[])[]): string | null {
  if (sets.length !== 1) return null;
  const m = sets[0]?.find((x) => x.op === '=' && x.value !== '' && x.name !== '__name__');
  return m === undefined ? null : JSON.stringify([m.name, m.value]);
}

/**
 * The stored metric names the sets' `__name__` matchers select, when every
 * set has one (a regex, a negation) and they select a few thousand at most;
 * otherwise undefined (the read looks at every series row).
 */
async function metricsMatching(
  conn: DuckDBConnection,
  sets: readonly (readonly LabelMatcher[])[],
): Promise<string[] | undefined> {
  const byName = sets.map((set) => set.filter((m) => m.name === '__name__'));
  if (byName.length === 0 || byName.some((ms) => ms.length === 0)) return undefined;
  const out: string[] = [];
  const result = await conn.stream(query('series-metrics'));
  for (let chunk = await result.fetchChunk(); chunk; chunk = await result.fetchChunk()) {
    if (chunk.rowCount === 0) break;
    const names = chunk.getColumnVector(0);
    for (let i = 0; i < chunk.rowCount; i++) {
      const name = asStr(names.getItem(i)!);
      if (!byName.some((ms) => ms.every((m) => matcherMatches(m, name)))) continue;
      if (out.push(name) > MATCHED_METRICS_MAX) return undefined;
    }
  }
  return out;
}

export class SeriesIndex {
  readonly byId = new Map<number, SeriesEntry>();
  /** The same entries per metric name: a selector with `__name__="x"` walks x's series only. */
  private readonly byMetric = new Map<string, Map<number, SeriesEntry>>();
  private readonly ids = new Map<string, number>();
  /** Metrics with series on disk that memory lost; `allEvicted` when unknown. */
  private readonly evictedMetrics = new Set<string>();
  private allEvicted = false;
  private maxId = 0;

  constructor(private max = DEFAULT_SERIES_ENTRIES) {
    SeriesIndex.check(max);
  }

  private static check(max: number): void {
    if (!Number.isSafeInteger(max) || max < 1)
      throw new RangeError(`series entries must be a positive integer, got ${max}`);
  }

  get limit(): number {
    return this.max;
  }
  get size(): number {
    return this.byId.size;
  }
  /** True while memory holds every stored series. */
  get holdsAll(): boolean {
    return !this.allEvicted && this.evictedMetrics.size === 0;
  }
  /** The highest id seen since opening (ids are never reused while open). */
  get highestId(): number {
    return this.maxId;
  }

  /** Lowers or raises the bound; evicts at once when lowered. */
  setLimit(max: number): void {
    SeriesIndex.check(max);
    this.max = max;
    if (this.byId.size > max) this.trim();
  }

  idOf(key: string): number | undefined {
    return this.ids.get(key);
  }

  /** A stored (or just committed) series. */
  add(id: number, key: string, labels: Labels): void {
    this.byId.delete(id); // re-added: newest again
    const entry = { key, labels };
    this.byId.set(id, entry);
    this.ids.set(key, id);
    const metric = metricOf(labels);
    let ofMetric = this.byMetric.get(metric);
    if (ofMetric === undefined) this.byMetric.set(metric, (ofMetric = new Map()));
    ofMetric.set(id, entry);
    if (id > this.maxId) this.maxId = id;
    if (this.byId.size > this.max) this.trim();
  }

  /** Oldest first, down to 90% of the bound: one pass per tenth of it, not one per add. */
  private trim(): void {
    let n = this.byId.size - Math.floor(this.max * 0.9);
    for (const [id, e] of this.byId) {
      if (n-- <= 0) break;
      this.byId.delete(id);
      if (this.ids.get(e.key) === id) this.ids.delete(e.key);
      const metric = metricOf(e.labels);
      const ofMetric = this.byMetric.get(metric);
      ofMetric?.delete(id);
      if (ofMetric?.size === 0) this.byMetric.delete(metric);
      if (this.evictedMetrics.has(metric)) continue;
      if (this.evictedMetrics.size < EVICTED_METRICS_KEPT) this.evictedMetrics.add(metric);
      else this.allEvicted = true;
    }
  }

  /** The newest `max` stored series (retention calls it again after deleting rows). */
  async load(conn: DuckDBConnection): Promise<void> {
    const rows = (
      await read(conn, query('load-series'), { limit: limitParam(this.max + 1) })
    ).getRows();
    // Cleared only now: a read meanwhile saw the old entries, never none.
    this.byId.clear();
    this.ids.clear();
    this.byMetric.clear();
    this.evictedMetrics.clear();
    // One row more than the bound: some series stay on disk only, of any metric.
    this.allEvicted = rows.length > this.max;
    const kept = rows.slice(0, this.max).reverse();
    for (const [id, labels] of kept) {
      const key = asStr(labels!);
      this.add(asNum(id!), key, parseLabels(key));
    }
  }

  /** Whether a read with these matcher sets is answered by memory alone. */
  private inMemory(metrics: readonly string[] | undefined): boolean {
    if (this.holdsAll) return true;
    if (this.allEvicted || metrics === undefined) return false;
    return metrics.every((m) => !this.evictedMetrics.has(m));
  }

  /** Series matching any of the sets (none: every series), sorted by key. */
  async refs(
    conn: DuckDBConnection,
    sets: readonly (readonly LabelMatcher[])[],
  ): Promise<SeriesRef[]> {
    const out = new Map<string, SeriesRef>();
    await this.visit(conn, sets, (id, key, labels) => collect(out, id, key, labels));
    return [...out.values()].sort(byKey);
  }

  /**
   * The metric names to read a label's values for in SQL alone: when every
   * set is only `__name__="x"` and memory lost some of those series (else
   * undefined: the caller visits the series).
   */
  valuesInSql(sets: readonly (readonly LabelMatcher[])[]): string[] | undefined {
    const metrics = pinnedMetrics(sets);
    if (metrics === undefined || this.inMemory(metrics)) return undefined;
    return sets.every((set) => set.length === 1) ? metrics : undefined;
  }

  /**
   * Calls `f` for each series matching any of the sets, in no order (a key
   * stored under two ids comes twice); `only`, when given, skips other ids
   * before their labels are parsed.
   */
  async visit(
    conn: DuckDBConnection,
    sets: readonly (readonly LabelMatcher[])[],
    f: (id: number, key: string, labels: Labels) => void,
    only?: ReadonlySet<number>,
  ): Promise<void> {
    let metrics = pinnedMetrics(sets);
    if (metrics === undefined && !this.holdsAll) metrics = await metricsMatching(conn, sets);
    if (metrics?.length === 0) return;
    if (this.inMemory(metrics)) {
      const check = (id: number, s: SeriesEntry): void => {
        if ((only === undefined || only.has(id)) && labelsMatchAny(s.labels, sets))
          f(id, s.key, s.labels);
      };
      if (metrics === undefined) for (const [id, s] of this.byId) check(id, s);
      else for (const m of metrics) for (const [id, s] of this.byMetric.get(m) ?? []) check(id, s);
      return;
    }
    // Streamed chunk by chunk: nothing but the caller's result is kept.
    const needle = pairNeedle(sets);
    const result =
      metrics === undefined
        ? await conn.stream(query('series-all'), { needle }, { needle: VARCHAR })
        : await conn.stream(
            query('series-by-metric'),
            { metrics: listValue(metrics), needle },
            { metrics: LIST(VARCHAR), needle: VARCHAR },
          );
    for (let chunk = await result.fetchChunk(); chunk; chunk = await result.fetchChunk()) {
      if (chunk.rowCount === 0) break;
      const ids = chunk.getColumnVector(0);
      const keys = chunk.getColumnVector(1);
      for (let i = 0; i < chunk.rowCount; i++) {
        const id = asNum(ids.getItem(i)!);
        if (only !== undefined && !only.has(id)) continue;
        const key = asStr(keys.getItem(i)!);
        const labels = this.byId.get(id)?.labels ?? parseLabels(key);
        if (labelsMatchAny(labels, sets)) f(id, key, labels);
      }
    }
  }

  /**
   * The stored ids of keys memory does not hold (the lowest id of a key
   * stored twice). Found series go back into memory as the newest.
   */
  async resolve(
    conn: DuckDBConnection,
    wanted: ReadonlyMap<string, Labels>,
  ): Promise<Map<string, number>> {
    const found = new Map<string, number>();
    if (this.holdsAll) return found;
    const missing = [...wanted].filter(
      ([key, labels]) =>
        !this.ids.has(key) && (this.allEvicted || this.evictedMetrics.has(metricOf(labels))),
    );
    for (let i = 0; i < missing.length; i += KEYS_PER_QUERY) {
      const part = missing.slice(i, i + KEYS_PER_QUERY);
      const metrics = [...new Set(part.map(([, l]) => metricOf(l)))];
      const rows = await read(conn, query('series-by-keys'), {
        metrics: [listValue(metrics), LIST(VARCHAR)],
        keys: [listValue(part.map(([k]) => k)), LIST(VARCHAR)],
      });
      for (const [id, labels] of rows.getRows()) {
        const key = asStr(labels!);
        if (found.has(key)) continue;
        found.set(key, asNum(id!));
        this.add(asNum(id!), key, parseLabels(key));
      }
    }
    return found;
  }
}
