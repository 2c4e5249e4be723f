// Trace reads: lookup by id through the trace index, service and
// operation lists, dependencies and the distributions the diagnosis uses.

import type { DuckDBConnection, DuckDBResultReader, DuckDBValue } from '@duckdb/node-api';
import { DuckDBMapValue, LIST, UHUGEINT, listValue } from '@duckdb/node-api';

import type { AnyValue, Attributes, Span, SpanKind, StatusCode } from '../../model/telemetry';
import { bucketsFromCounts } from '../span-match';
import type {
  AttributeDistribution,
  DependencyEdge,
  DurationDistribution,
  Operation,
  SpanFilter,
  TimeRange,
} from '../store';
import { decodeAttributes, decodeValue } from '../values';
import { ATTRIBUTE_SLOTS } from './catalog';
import type { Catalog } from './catalog';
import type { HotWindows, Window } from './hot-windows';
import {
  asBig,
  asNum,
  asStr,
  decodeSpanExtras,
  hexToBig,
  listItems,
  spanHex,
  traceHex,
} from './codec';
import {
  big,
  limitParam,
  rangeParams,
  read,
  readPrepared,
  text,
  tiny,
  withSearchParams,
} from './params';
import type { MatchingResources, Param, Params } from './params';
import { spansMatching } from './search-filter';
import { query } from './sql';

const TRACE_ID = /^[0-9a-f]{32}$/;

const SLOT_COLUMNS = Array.from({ length: ATTRIBUTE_SLOTS }, (_, i) => `a${i}`);

/** A span's attributes from its key set and slots, or its JSON (see migration 004). */
function spanAttributes(r: Record<string, DuckDBValue>, catalog: Catalog): Attributes {
  const ks = r['keyset_id'];
  if (ks === null || ks === undefined) return decodeAttributes(asStr(r['attributes_rest']!));
  const keys = catalog.keysets.get(asNum(ks));
  if (keys === undefined)
    throw new Error('a span refers to an attribute key set the store does not have');
  const out: Record<string, AnyValue> = {};
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const v = decodeValue(asStr(r[SLOT_COLUMNS[i]!] ?? null));
    // Keys are client text: '__proto__' must stay an own property.
    if (k === '__proto__')
      Object.defineProperty(out, k, {
        value: v,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    else out[k] = v;
  }
  return out;
}

/** A row of the spans table as a Span (exported for search-top.ts). */
export function rowToSpan(r: Record<string, DuckDBValue>, catalog: Catalog): Span {
  const resource = catalog.resources.get(asNum(r['resource_id']!));
  const scope = catalog.scopes.get(asNum(r['scope_id']!));
  if (resource === undefined || scope === undefined)
    throw new Error('a span refers to a resource or scope the store does not have');
  const start = asBig(r['start_ns']!);
  const x = decodeSpanExtras(r['extras'] ?? null);
  return {
    traceId: traceHex(r['trace_id']!),
    spanId: spanHex(r['span_id']!),
    parentSpanId: spanHex(r['parent_span_id'] ?? null),
    traceState: x.traceState,
    flags: asNum(r['flags']!),
    name: asStr(r['name']!),
    kind: asNum(r['kind']!) as SpanKind,
    startTimeUnixNano: start,
    endTimeUnixNano: start + asBig(r['duration_ns']!),
    attributes: spanAttributes(r, catalog),
    droppedAttributesCount: x.droppedAttributesCount,
    events: x.events,
    droppedEventsCount: x.droppedEventsCount,
    links: x.links,
    droppedLinksCount: x.droppedLinksCount,
    status: { code: asNum(r['status_code']!) as StatusCode, message: x.statusMessage },
    resource,
    scope,
  };
}

/** Two windows as one (either may be missing). */
function union(a: Window | undefined, b: Window | undefined): Window | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return { lo: a.lo < b.lo ? a.lo : b.lo, hi: a.hi > b.hi ? a.hi : b.hi };
}

/**
 * With `hot` complete, the hot part's windows come from memory, read
 * before the query so the query's snapshot is no older than what memory
 * held (a move that commits in between put the rows in cold); else the
 * query reads both parts. A trace with a window in memory is read in one
 * statement (trace-spans-hot.sql) unless it also has cold rows outside that
 * window; others take two: the window from the trace index, then the spans
 * in it (DuckDB skips row groups by start_ns only for a window it knows
 * when it plans the scan, not for one a subquery or join gives).
 */
export async function getTrace(
  conn: DuckDBConnection,
  catalog: Catalog,
  traceId: string,
  hot?: HotWindows,
): Promise<Span[]> {
  const id = traceId.toLowerCase();
  if (!TRACE_ID.test(id)) return [];
  const traceIdParam: Param = [hexToBig(id), UHUGEINT];
  const inMemory = hot?.complete === true;
  const hotWindow = inMemory ? hot.get(id) : undefined;
  let stored: Window | undefined;
  if (hotWindow !== undefined) {
    const rows = await readPrepared(conn, query('trace-spans-hot'), {
      trace_id: traceIdParam,
      lo: big(hotWindow.lo),
      hi: big(hotWindow.hi),
    });
    const objects = rows.getRowObjects();
    const last = objects.pop();
    stored = windowOf(last?.['cold_lo'], last?.['cold_hi']);
    if (stored === undefined || (stored.lo >= hotWindow.lo && stored.hi <= hotWindow.hi))
      return toSpans(objects, catalog);
  } else {
    const sql = query(inMemory ? 'trace-window-cold' : 'trace-window');
    const row = (await readPrepared(conn, sql, { trace_id: traceIdParam })).getRows()[0];
    stored = windowOf(row?.[0], row?.[1]);
  }
  const win = union(stored, hotWindow);
  if (win === undefined) return [];
  const rows = await readPrepared(conn, query('trace-spans'), {
    trace_id: traceIdParam,
    lo: big(win.lo),
    hi: big(win.hi),
  });
  return toSpans(rows.getRowObjects(), catalog);
}

function windowOf(lo: DuckDBValue | undefined, hi: DuckDBValue | undefined): Window | undefined {
  return lo === null || lo === undefined ? undefined : { lo: asBig(lo), hi: asBig(hi!) };
}

function toSpans(objects: Record<string, DuckDBValue>[], catalog: Catalog): Span[] {
  catalog.requireOwners(objects, 'a span');
  return objects.map((r) => rowToSpan(r, catalog));
}

/**
 * Up to this many traces, a scan of spans tests trace_id with
 * `list_contains([...], trace_id)`, which DuckDB evaluates inside the scan:
 * only the rows that pass have their other ~28 columns read. `IN (...)` is
 * a hash join above the scan (the scan keeps it only for zone maps), so
 * every row of the time window is read whole: for the 20 traces of a
 * search in a 34k-row window, 7.4 ms against 4.1 (bench/span-id-filter.mjs).
 * The list's test is linear in its length, the join's is not: at 64 ids
 * they cost the same.
 */
export const LISTED_TRACE_IDS = 32;

/**
 * A test of a spans row's trace_id for these traces, given as SQL literals
 * our code made from validated ids (at least one).
 */
export function spansOfTraces(literals: readonly string[]): string {
  if (literals.length === 0) throw new RangeError('spansOfTraces needs at least one trace');
  const list = literals.join(', ');
  return literals.length <= LISTED_TRACE_IDS
    ? `list_contains([${list}], trace_id)`
    : `trace_id IN (${list})`;
}

/** Ids inlined into a query as literals at most; more go as one list parameter. */
export const MAX_INLINE_IDS = 2_048;
const MAX_TRACE_ID = (1n << 128n) - 1n;

/**
 * A query's `{{trace_ids}}` filled in: numeric literals (DuckDB looks each
 * up in the trace index's ART; for `IN (SELECT unnest($list))` it scans the
 * whole table: 84-334 ms vs 3-16 ms at 12M spans) or, past
 * MAX_INLINE_IDS, the list as the parameter `$trace_ids`.
 */
export function withTraceIds(sql: string, ids: readonly bigint[]): { sql: string; params: Params } {
  for (const id of ids)
    if (id < 0n || id > MAX_TRACE_ID) throw new RangeError(`not a trace id: ${id}`);
  if (ids.length <= MAX_INLINE_IDS) {
    const literals = ids.length === 0 ? 'NULL' : ids.map((id) => `${id}::UHUGEINT`).join(', ');
    return { sql: sql.replaceAll('{{trace_ids}}', literals), params: {} };
  }
  return {
    sql: sql.replaceAll('{{trace_ids}}', 'SELECT unnest($trace_ids)'),
    params: { trace_ids: [listValue([...ids]), LIST(UHUGEINT)] },
  };
}

/** Windows wider than this are read trace by trace: one scan would cover too many row groups. */
const MAX_JOINT_WINDOW_NS = 3_600n * 1_000_000_000n;

/** Where a trace's spans start: from its trace-index rows. */
export interface TraceWindow {
  readonly id: string;
  readonly lo: bigint;
  readonly hi: bigint;
}

/** Valid, distinct, lowercase ids, as they are stored. */
function normalIds(traceIds: readonly string[]): string[] {
  return [...new Set(traceIds.map((t) => t.toLowerCase()).filter((t) => TRACE_ID.test(t)))];
}

/**
 * The time windows of the given traces (found ones only), through the
 * trace index; `hot` as in getTrace.
 */
export async function traceWindows(
  conn: DuckDBConnection,
  traceIds: readonly string[],
  hot?: HotWindows,
): Promise<TraceWindow[]> {
  const ids = normalIds(traceIds);
  if (ids.length === 0) return [];
  const inMemory = hot?.complete === true;
  const found = new Map<string, Window>();
  if (inMemory)
    for (const id of ids) {
      const w = hot.get(id);
      if (w !== undefined) found.set(id, w);
    }
  const literals = ids.map((id) => `${hexToBig(id).toString()}::UHUGEINT`).join(', ');
  const sql = query(inMemory ? 'trace-windows-cold' : 'trace-windows');
  const rows = await read(conn, sql.replaceAll('{{trace_ids}}', literals));
  for (const w of rows.getRowObjects()) {
    const id = traceHex(w['trace_id']!);
    found.set(id, union(found.get(id), { lo: asBig(w['lo']!), hi: asBig(w['hi']!) })!);
  }
  return [...found].map(([id, w]) => ({ id, lo: w.lo, hi: w.hi }));
}

/**
 * The spans of the traces whose windows are given, in one scan of their
 * joint window when it is narrow enough. With `maxSpans`, gives up (returns
 * undefined) once more spans than that come back: the caller wanted them
 * only if they are few.
 */
export async function spansInWindows(
  conn: DuckDBConnection,
  catalog: Catalog,
  windows: readonly TraceWindow[],
  maxSpans = Number.POSITIVE_INFINITY,
  hot?: HotWindows,
): Promise<Map<string, Span[]> | undefined> {
  const out = new Map<string, Span[]>();
  if (windows.length === 0) return out;
  let lo = windows[0]!.lo;
  let hi = windows[0]!.hi;
  for (const w of windows) {
    if (w.lo < lo) lo = w.lo;
    if (w.hi > hi) hi = w.hi;
  }
  if (hi - lo > MAX_JOINT_WINDOW_NS) {
    let n = 0;
    for (const w of windows) {
      const spans = await getTrace(conn, catalog, w.id, hot);
      n += spans.length;
      if (n > maxSpans) return undefined;
      if (spans.length > 0) out.set(w.id, spans);
    }
    return out;
  }
  const literals = windows.map((w) => `${hexToBig(w.id).toString()}::UHUGEINT`);
  const sql = query('traces-spans').replaceAll('{{of_traces}}', () => spansOfTraces(literals));
  const bounds = { lo: big(lo), hi: big(hi) };
  const values = { lo: bounds.lo[0], hi: bounds.hi[0] };
  const types = { lo: bounds.lo[1], hi: bounds.hi[1] };
  const rows =
    maxSpans === Number.POSITIVE_INFINITY
      ? await read(conn, sql, bounds)
      : await conn.runAndReadUntil(sql, maxSpans + 1, values, types);
  if (rows.currentRowCount > maxSpans || (maxSpans !== Number.POSITIVE_INFINITY && !rows.done))
    return undefined;
  const objects = rows.getRowObjects();
  catalog.requireOwners(objects, 'a span');
  for (const r of objects) {
    const span = rowToSpan(r, catalog);
    const list = out.get(span.traceId);
    if (list) list.push(span);
    else out.set(span.traceId, [span]);
  }
  return out;
}

export async function getTraces(
  conn: DuckDBConnection,
  catalog: Catalog,
  traceIds: readonly string[],
  hot?: HotWindows,
): Promise<Map<string, Span[]>> {
  const windows = await traceWindows(conn, traceIds, hot);
  return (
    (await spansInWindows(conn, catalog, windows, Number.POSITIVE_INFINITY, hot)) ??
    new Map<string, Span[]>()
  );
}

const ALL: TimeRange = { start: -(1n << 63n), end: (1n << 63n) - 1n };

export async function services(conn: DuckDBConnection, range?: TimeRange): Promise<string[]> {
  const rows = await read(conn, query('services'), rangeParams(range ?? ALL));
  return rows.getRows().map((r) => asStr(r[0]!));
}

export async function operations(
  conn: DuckDBConnection,
  service: string,
  kind?: SpanKind,
): Promise<Operation[]> {
  const rows = await read(conn, query('operations'), { service: text(service), kind: tiny(kind) });
  return rows.getRows().map((r) => ({ name: asStr(r[0]!), spanKind: asNum(r[1]!) as SpanKind }));
}

export async function dependencies(
  conn: DuckDBConnection,
  range: TimeRange,
): Promise<DependencyEdge[]> {
  const rows = await read(conn, query('dependencies'), rangeParams(range));
  return rows.getRows().map((r) => ({
    parent: asStr(r[0]!),
    child: asStr(r[1]!),
    callCount: asNum(r[2]!),
    errorCount: asNum(r[3]!),
  }));
}

/**
 * A statement over the spans `f` selects, its `{{filter}}` the search's own
 * WHERE clause (spansMatching: only the fields given, no joins), run with
 * `params` besides the filter's.
 */
async function readMatching(
  conn: DuckDBConnection,
  name: string,
  f: SpanFilter,
  params: Params,
  resources: MatchingResources | undefined,
): Promise<DuckDBResultReader> {
  return withSearchParams(
    conn,
    f,
    async (filter) => {
      const m = spansMatching({ ...filter, kind: tiny(undefined), status: tiny(f.status) });
      const sql = query(name).replace('{{filter}}', () => m.where);
      return read(conn, sql, { ...m.params, ...params });
    },
    resources,
  );
}

export async function durationDistribution(
  conn: DuckDBConnection,
  f: SpanFilter,
  resources?: MatchingResources,
): Promise<DurationDistribution> {
  const row = (await readMatching(conn, 'duration-distribution', f, {}, resources)).getRows()[0];
  const count = asNum(row?.[0] ?? 0);
  const q = listItems(row?.[1] ?? null).map((v) => asNum(v));
  const counts = new Map<number, number>();
  const hist = row?.[2];
  if (hist instanceof DuckDBMapValue)
    for (const e of hist.entries) counts.set(asNum(e.key), asNum(e.value));
  return {
    count,
    quantiles: { p50: q[0] ?? 0, p90: q[1] ?? 0, p95: q[2] ?? 0, p99: q[3] ?? 0, p999: q[4] ?? 0 },
    buckets: bucketsFromCounts(counts),
  };
}

export async function attributeDistribution(
  conn: DuckDBConnection,
  f: SpanFilter,
  maxValues: number,
  resources?: MatchingResources,
): Promise<AttributeDistribution> {
  const rows = await readMatching(
    conn,
    'attribute-distribution',
    f,
    { max_values: limitParam(Math.max(1, maxValues)) },
    resources,
  );
  let total = 0;
  const keys = new Map<
    string,
    { key: string; spanCount: number; values: { value: string; count: number }[] }
  >();
  for (const [k, keySpans, value, n] of rows.getRows()) {
    if (k === null) {
      total = asNum(keySpans!);
      continue;
    }
    const key = asStr(k!);
    let entry = keys.get(key);
    if (entry === undefined) {
      entry = { key, spanCount: asNum(keySpans!), values: [] };
      keys.set(key, entry);
    }
    if (entry.values.length < maxValues)
      entry.values.push({ value: asStr(value!), count: asNum(n!) });
  }
  return {
    spanCount: total,
    keys: [...keys.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
  };
}
