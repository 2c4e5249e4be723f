// A search's statements with as few native calls as node-api allows. Each
// async call into DuckDB resumes on an event-loop turn, and during ingest
// a turn waits behind decode, appender flushes and GC. `read` in params.ts
// makes three per statement (extract, prepare, execute: it runs texts of
// several statements too); a search's texts are single statements, so
// here: prepare and execute, or one call without parameters. Either way the
// result is materialized and its chunks are read without further calls.

import type { DuckDBConnection, DuckDBMaterializedResult, DuckDBValue } from '@duckdb/node-api';

import { readPrepared, split } from './params';
import type { Params } from './params';

async function materialized(
  conn: DuckDBConnection,
  sql: string,
  params: Params | undefined,
): Promise<DuckDBMaterializedResult> {
  if (params === undefined) return conn.run(sql);
  const prepared = await conn.prepare(sql);
  try {
    const { values, types } = split(params);
    prepared.bind(values, types);
    return await prepared.run();
  } finally {
    prepared.destroySync();
  }
}

/** The rows as arrays. `params` undefined: the statement must have none. */
export async function readRows(
  conn: DuckDBConnection,
  sql: string,
  params?: Params,
): Promise<DuckDBValue[][]> {
  // A search's text varies with its shape only (the fields given, the
  // tag's slots), so a repeated search runs a kept statement: one native
  // call instead of two (prepare, execute), each resumed by an event-loop
  // turn that waits behind ingest.
  if (params !== undefined) return (await readPrepared(conn, sql, params)).getRows();
  const result = await materialized(conn, sql, params);
  const out: DuckDBValue[][] = [];
  for (let i = 0; i < result.chunkCount; i++)
    for (const r of result.getChunk(i).getRows()) out.push(r);
  return out;
}

/** The rows as objects keyed by column name (duplicates renamed, as getRowObjects does). */
export async function readRowObjects(
  conn: DuckDBConnection,
  sql: string,
  params?: Params,
): Promise<Record<string, DuckDBValue>[]> {
  const result = await materialized(conn, sql, params);
  const names = result.deduplicatedColumnNames();
  const out: Record<string, DuckDBValue>[] = [];
  for (let i = 0; i < result.chunkCount; i++)
    for (const r of result.getChunk(i).getRowObjects(names)) out.push(r);
  return out;
}
