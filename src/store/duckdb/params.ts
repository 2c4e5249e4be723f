// Typed query parameters: DuckDB needs a type for a NULL, so every
// parameter carries one.

import type {
  DuckDBConnection,
  DuckDBDataChunk,
  DuckDBMaterializedResult,
  DuckDBPreparedStatement,
  DuckDBType,
  DuckDBValue,
} from '@duckdb/node-api';
import {
  BIGINT,
  DuckDBResultReader,
  INTEGER,
  LIST,
  UINTEGER,
  UTINYINT,
  VARCHAR,
  listValue,
} from '@duckdb/node-api';

import type { SpanFilter, TimeRange } from '../store';
import { asNum, listItems } from './codec';
import { query } from './sql';

export type Param = readonly [DuckDBValue, DuckDBType];
export type Params = Readonly<Record<string, Param>>;

/** Parameter values and their types as node-api takes them. */
export function split(params: Params): {
  values: Record<string, DuckDBValue>;
  types: Record<string, DuckDBType>;
} {
  const values: Record<string, DuckDBValue> = {};
  const types: Record<string, DuckDBType> = {};
  for (const [k, [v, t]] of Object.entries(params)) {
    values[k] = v;
    types[k] = t;
  }
  return { values, types };
}

/**
 * All rows of a materialized result. A materialized result holds its chunks
 * already: they are taken with the synchronous getChunk instead of
 * DuckDBResultReader's fetchChunk, each of which is a round trip through
 * libuv's thread pool and the event loop (delayed by milliseconds while
 * ingest keeps the loop busy), plus one more that only finds the end.
 */
async function readRows(result: DuckDBMaterializedResult): Promise<DuckDBResultReader> {
  let next = 0;
  const chunks = Object.create(result, {
    fetchChunk: {
      value: (): Promise<DuckDBDataChunk | null> =>
        Promise.resolve(next < result.chunkCount ? result.getChunk(next++) : null),
    },
  }) as DuckDBMaterializedResult;
  const reader = new DuckDBResultReader(chunks);
  await reader.readAll();
  return reader;
}

export async function read(
  conn: DuckDBConnection,
  sql: string,
  params: Params = {},
): Promise<DuckDBResultReader> {
  // Always with values (even none): the text is then run statement by
  // statement and the last one's rows come back (DuckDB's one-call query
  // would answer with the first statement's).
  const { values, types } = split(params);
  return readRows(await conn.run(sql, values, types));
}

/** Statements kept per connection by readPrepared: each holds a plan (a few kB). */
export const MAX_PREPARED_PER_CONNECTION = 32;

interface Kept {
  readonly statement: DuckDBPreparedStatement;
  busy: boolean;
  dropped: boolean;
}

const prepared = new WeakMap<DuckDBConnection, Map<string, Kept>>();

/**
 * `read` for a single statement run often with different parameters (its
 * text must not vary with the values, or each text would take a place):
 * prepared once per connection and kept, so a run skips DuckDB's parse and
 * plan and the round trips to extract and prepare it. DuckDB binds a kept
 * statement again by itself when a table it reads changes (a migration);
 * one that failed is dropped and prepared anew next time. At most
 * MAX_PREPARED_PER_CONNECTION per connection, the least recently used
 * dropped. A statement already running on the connection (two reads at
 * once) is not shared: the second read prepares its own.
 */
export async function readPrepared(
  conn: DuckDBConnection,
  sql: string,
  params: Params = {},
): Promise<DuckDBResultReader> {
  let kept = prepared.get(conn);
  if (kept === undefined) {
    kept = new Map();
    prepared.set(conn, kept);
  }
  let entry = kept.get(sql);
  if (entry?.busy === true) {
    const once = await conn.prepare(sql);
    try {
      return await runBound(once, params);
    } finally {
      once.destroySync();
    }
  }
  if (entry === undefined) {
    entry = { statement: await conn.prepare(sql), busy: false, dropped: false };
    if (kept.size >= MAX_PREPARED_PER_CONNECTION) {
      const [oldest, old] = kept.entries().next().value!;
      kept.delete(oldest);
      drop(old);
    }
  } else kept.delete(sql); // re-inserted below: the Map's order is recency
  kept.set(sql, entry);
  entry.busy = true;
  try {
    return await runBound(entry.statement, params);
  } catch (err) {
    if (kept.get(sql) === entry) kept.delete(sql);
    entry.dropped = true;
    throw err;
  } finally {
    entry.busy = false;
    if (entry.dropped) drop(entry);
  }
}

function drop(entry: Kept): void {
  entry.dropped = true;
  if (!entry.busy) entry.statement.destroySync();
}

async function runBound(
  statement: DuckDBPreparedStatement,
  params: Params,
): Promise<DuckDBResultReader> {
  const { values, types } = split(params);
  statement.clearBindings();
  statement.bind(values, types);
  return readRows(await statement.run());
}

/**
 * Runs a file of several statements one by one (DuckDB binds parameters per
 * statement), giving each only the parameters it names. Statements end with
 * a semicolon at the end of a line.
 */
/**
 * Runs `body` as one transaction on `conn`: COMMIT after it, ROLLBACK if it
 * or the commit fails (the error is rethrown; a failed ROLLBACK is not).
 */
export async function inTransaction<T>(conn: DuckDBConnection, body: () => Promise<T>): Promise<T> {
  await conn.run('BEGIN TRANSACTION');
  try {
    const out = await body();
    await conn.run('COMMIT');
    return out;
  } catch (err) {
    await conn.run('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

export async function runScript(
  conn: DuckDBConnection,
  sql: string,
  params: Params = {},
): Promise<void> {
  const statements = sql
    .split(/;\s*$/m)
    .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
    .filter((s) => s !== '');
  for (const stmt of statements) {
    const own: Record<string, Param> = {};
    for (const [k, v] of Object.entries(params))
      if (new RegExp(`\\$${k}\\b`).test(stmt)) own[k] = v;
    await read(conn, stmt, own);
  }
}

const MIN_I64 = -(1n << 63n);
const MAX_I64 = (1n << 63n) - 1n;
const clamp = (v: bigint): bigint => (v < MIN_I64 ? MIN_I64 : v > MAX_I64 ? MAX_I64 : v);

/** A LIMIT as DuckDB's INTEGER takes it: 0 for nonsense, at most 2^31-1. */
export function limitParam(n: number): Param {
  const v = Number.isNaN(n) ? 0 : Math.max(0, Math.min(2_147_483_647, Math.floor(n)));
  return [v, INTEGER];
}

export const big = (v: bigint | undefined): Param => [v === undefined ? null : clamp(v), BIGINT];
export const text = (v: string | undefined): Param => [v ?? null, VARCHAR];
export const tiny = (v: number | undefined): Param => [v ?? null, UTINYINT];

export function rangeParams(r: TimeRange): Params {
  return { start: big(r.start), end: big(r.end) };
}

/**
 * The exact JSON texts an attribute `key` whose text is `value` can be
 * stored as: `"key":"` + type tag + value + `"` for each type whose text
 * could be `value` (see values.ts). At most four.
 */
export function tagNeedles(key: string, value: string): string[] {
  const tags = ['s'];
  if (value === 'true' || value === 'false') tags.push('b');
  if (/^-?\d+$/.test(value)) tags.push('i');
  if (value !== '' && String(Number(value)) === value) tags.push('d');
  if (value === '') tags.push('n');
  if (value.startsWith('[')) tags.push('a');
  if (value.startsWith('{')) tags.push('k');
  if (Buffer.from(value, 'base64').toString('base64') === value) tags.push('x');
  return tags.slice(0, 4).map((t) => `${JSON.stringify(key)}:${JSON.stringify(t + value)}`);
}

const SLOTS = 3;

/** A span filter's parameters for spansMatching (via withSearchParams), except kind and status. */
export function filterParams(f: SpanFilter): Params {
  const tags = Object.entries(f.attributes ?? {});
  const slots: Record<string, Param> = {};
  for (let i = 0; i < SLOTS; i++) {
    const tag = tags[i];
    slots[`k${i + 1}`] = text(tag?.[0]);
    slots[`v${i + 1}`] = text(tag?.[1]);
    slots[`n${i + 1}`] = [
      listValue(tag === undefined ? [] : tagNeedles(tag[0], tag[1])),
      LIST(VARCHAR),
    ];
  }
  const rest = tags.slice(SLOTS);
  return {
    ...rangeParams(f.range),
    service: text(f.service),
    operation: text(f.operation),
    min_duration: big(f.minDuration),
    max_duration: big(f.maxDuration),
    ...slots,
    tag_keys: [listValue(rest.map(([k]) => k)), LIST(VARCHAR)],
    tag_values: [listValue(rest.map(([, v]) => v)), LIST(VARCHAR)],
  };
}

/** Longer needle lists (tag values are client text) are not remembered. */
const MAX_REMEMBERED_KEY = 1_024;

/**
 * The resource ids matching search tags, and the positions of tag keys in
 * the attribute key sets, remembered between searches: a search then needs
 * no resources or key sets read and no transaction. An entry is used only
 * if no change to those tables (a write adding resources or key sets,
 * retention deleting resources) was under way or ended between the moment
 * it was read and the end of the search using it.
 */
export class MatchingResources {
  private generation = 0;
  private changing = 0;
  private readonly byNeedles = new Map<string, readonly number[]>();
  private readonly positionsByKey = new Map<string, readonly number[]>();

  constructor(private readonly maxEntries = 1_000) {}

  /** Before the commit of a write that adds resources, or of retention. */
  changeStarted(): void {
    this.changing++;
    this.generation++;
    this.byNeedles.clear();
    this.positionsByKey.clear();
  }

  /** After that commit (or rollback). */
  changeEnded(): void {
    this.changing--;
    this.generation++;
    this.byNeedles.clear();
    this.positionsByKey.clear();
  }

  /** Taken before reading: undefined while a change is under way. */
  token(): number | undefined {
    return this.changing > 0 ? undefined : this.generation;
  }

  /** Whether what was read since `token()` gave this still holds. */
  valid(token: number | undefined): boolean {
    return token !== undefined && this.changing === 0 && token === this.generation;
  }

  get(needles: readonly string[]): readonly number[] | undefined {
    return this.byNeedles.get(JSON.stringify(needles));
  }

  put(token: number | undefined, needles: readonly string[], ids: readonly number[]): void {
    const key = JSON.stringify(needles);
    if (!this.valid(token) || key.length > MAX_REMEMBERED_KEY) return;
    if (this.byNeedles.size >= this.maxEntries) this.byNeedles.clear();
    this.byNeedles.set(key, ids);
  }

  /** A tag key's positions by key set id (see keysetPositions). */
  positions(key: string): readonly number[] | undefined {
    return this.positionsByKey.get(key);
  }

  putPositions(token: number | undefined, key: string, positions: readonly number[]): void {
    if (!this.valid(token) || key.length > MAX_REMEMBERED_KEY) return;
    if (this.positionsByKey.size >= this.maxEntries) this.positionsByKey.clear();
    this.positionsByKey.set(key, positions);
  }
}

/**
 * The parameters of a span search (spansMatching in search-filter.ts):
 * filterParams plus, for each tag, the ids of the resources whose
 * attributes match it (r1..r3 for the slots, tag_rids for the rest). `task` runs the span query with them.
 * They come from `remembered` when it knows them and nothing changed
 * meanwhile; otherwise they are read from the table in one transaction
 * with `task`, so both see the same resources.
 */
export async function withSearchParams<T>(
  conn: DuckDBConnection,
  f: SpanFilter,
  task: (params: Params) => Promise<T>,
  remembered?: MatchingResources,
): Promise<T> {
  const tags = Object.entries(f.attributes ?? {});
  if (tags.length === 0) return task(resourceIdParams(f, [], []));
  const needles = tags.map(([k, v]) => tagNeedles(k, v));
  const token = remembered?.token();
  if (remembered !== undefined && token !== undefined) {
    const known = needles.map((n) => remembered.get(n));
    const knownPositions = tags.map(([k]) => remembered.positions(k));
    if (known.every((ids) => ids !== undefined) && knownPositions.every((p) => p !== undefined)) {
      const out = await task(resourceIdParams(f, known, knownPositions));
      if (remembered.valid(token)) return out;
    }
  }
  const again = remembered?.token();
  const { out, ids, positions } = await inTransaction(conn, async () => {
    const rows = await read(conn, query('matching-resources'), {
      needles: [listValue(needles.map((n) => listValue(n))), LIST(LIST(VARCHAR))],
    });
    const ids: number[][] = tags.map(() => []);
    for (const [tag, list] of rows.getRows())
      ids[asNum(tag!) - 1] = listItems(list ?? null).map((v) => asNum(v));
    const positions = await keysetPositions(conn, tags);
    return { out: await task(resourceIdParams(f, ids, positions)), ids, positions };
  });
  needles.forEach((n, i) => remembered?.put(again, n, ids[i] ?? []));
  tags.forEach(([k], i) => remembered?.putPositions(again, k, positions[i] ?? []));
  return out;
}

/**
 * For each tag, its key's position in every key set, indexed by key set id
 * (1-based, as DuckDB indexes lists; 0 where the key set lacks it), so the
 * span query finds a slot by `p[keyset_id]` without joining attribute_keysets.
 * At most MAX_KEYSETS entries per tag (key set ids run from 1 without gaps).
 */
async function keysetPositions(
  conn: DuckDBConnection,
  tags: readonly (readonly [string, string])[],
): Promise<number[][]> {
  const rows = await read(conn, query('keyset-positions'), {
    keys: [listValue(tags.map(([k]) => k)), LIST(VARCHAR)],
  });
  const out: number[][] = tags.map(() => []);
  for (const [tag, id, pos] of rows.getRows()) {
    const list = out[asNum(tag!) - 1]!;
    const at = asNum(id!) - 1;
    while (list.length < at) list.push(0);
    list[at] = asNum(pos!);
  }
  return out;
}

function resourceIdParams(
  f: SpanFilter,
  ids: readonly (readonly number[])[],
  positions: readonly (readonly number[])[],
): Params {
  const rids = (i: number): Param => [listValue([...(ids[i] ?? [])]), LIST(UINTEGER)];
  const pos = (i: number): Param => [listValue([...(positions[i] ?? [])]), LIST(INTEGER)];
  return {
    ...filterParams(f),
    r1: rids(0),
    r2: rids(1),
    r3: rids(2),
    p1: pos(0),
    p2: pos(1),
    p3: pos(2),
    tag_rids: [listValue(ids.slice(SLOTS).map((l) => listValue([...l]))), LIST(LIST(UINTEGER))],
    tag_pos: [listValue(positions.slice(SLOTS).map((l) => listValue([...l]))), LIST(LIST(INTEGER))],
  };
}
