// Typed query parameters: DuckDB needs a type for a NULL, so every
// parameter carries one.

import type {
  DuckDBConnection,
  DuckDBResultReader,
  DuckDBType,
  DuckDBValue,
} from '@duckdb/node-api';
import { BIGINT, LIST, UTINYINT, VARCHAR, listValue } from '@duckdb/node-api';

import type { SpanFilter, TimeRange } from '../store';

export type Param = readonly [DuckDBValue, DuckDBType];
export type Params = Readonly<Record<string, Param>>;

export async function read(
  conn: DuckDBConnection,
  sql: string,
  params: Params = {},
): Promise<DuckDBResultReader> {
  const values: Record<string, DuckDBValue> = {};
  const types: Record<string, DuckDBType> = {};
  for (const [k, [v, t]] of Object.entries(params)) {
    values[k] = v;
    types[k] = t;
  }
  return conn.runAndReadAll(sql, values, types);
}

/**
 * Runs a file of several statements one by one (DuckDB binds parameters per
 * statement), giving each only the parameters it names. Statements end with
 * a semicolon at the end of a line.
 */
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

export const big = (v: bigint | undefined): Param => [v === undefined ? null : clamp(v), BIGINT];
export const text = (v: string | undefined): Param => [v ?? null, VARCHAR];
export const tiny = (v: number | undefined): Param => [v ?? null, UTINYINT];

export function rangeParams(r: TimeRange): Params {
  return { start: big(r.start), end: big(r.end) };
}

/** The parameters of the filtered_spans macro, except kind and status (query-specific). */
export function filterParams(f: SpanFilter): Params {
  const tags = Object.entries(f.attributes ?? {});
  return {
    ...rangeParams(f.range),
    service: text(f.service),
    operation: text(f.operation),
    min_duration: big(f.minDuration),
    max_duration: big(f.maxDuration),
    tag_keys: [listValue(tags.map(([k]) => k)), LIST(VARCHAR)],
    tag_values: [listValue(tags.map(([, v]) => v)), LIST(VARCHAR)],
  };
}
