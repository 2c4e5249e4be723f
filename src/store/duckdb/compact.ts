// Giving disk space back. DuckDB reuses the blocks that deletes (retention)
// free, but its file never shrinks below its largest size. Compacting copies
// every table, index and row into a new file (`COPY FROM DATABASE`, rows in
// their stored order, so time-ordered spans keep their zone maps), checks
// the copy row for row count, and only then renames it over the store. The
// store is opened read-write for the copy, so DuckDB's file lock keeps any
// other process (a running `otel-lab serve`) out while it runs. An
// interrupted compaction leaves the store as it was and a `.compact` file
// that the next one removes.

import { closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

import type { DuckDBConnection } from '@duckdb/node-api';

import { StoreOpenError } from './errors';
import { DB_FILE_NAME, openDatabase } from './open';

export interface CompactOptions {
  readonly dataDir: string;
  /** DuckDB memory_limit while copying, e.g. '256MB'. */
  readonly memoryLimit?: string;
  readonly threads?: number;
}

export interface CompactResult {
  readonly file: string;
  readonly bytesBefore: number;
  readonly bytesAfter: number;
  /** Rows copied, by table. */
  readonly rows: Readonly<Record<string, number>>;
}

/** The copy's name while it is being written, beside the store. */
export const COMPACT_SUFFIX = '.compact';

const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;

function fsyncPath(file: string): void {
  const fd = openSync(file, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

async function rowCounts(
  conn: DuckDBConnection,
  database: string,
): Promise<Record<string, number>> {
  const tables = (
    await conn.runAndReadAll(
      `SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = $db AND NOT temporary ORDER BY ALL`,
      { db: database },
    )
  ).getRows();
  const out: Record<string, number> = {};
  for (const [schema, table] of tables) {
    const rows = await conn.runAndReadAll(
      `SELECT count(*) FROM ${quoteIdent(database)}.${quoteIdent(String(schema))}.${quoteIdent(String(table))}`,
    );
    out[`${String(schema)}.${String(table)}`] = Number(rows.getRows()[0]?.[0]);
  }
  return out;
}

/**
 * Rewrites the store in `dataDir` into a file holding only its live data.
 * Throws StoreOpenError (the path and what to do) when there is no store
 * there or another process has it open; the store is untouched then.
 */
export async function compactStore(o: CompactOptions): Promise<CompactResult> {
  const file = path.join(o.dataDir, DB_FILE_NAME);
  if (!existsSync(file))
    throw new StoreOpenError(
      `no store to compact at ${file}: give the data directory of an otel-lab store with --data-dir.`,
    );
  const copy = `${file}${COMPACT_SUFFIX}`;
  const bytesBefore = statSync(file).size;
  // Opening migrates an older store first and takes DuckDB's lock on the file.
  const opened = await openDatabase({
    dataDir: o.dataDir,
    memoryLimit: o.memoryLimit ?? '256MB',
    threads: o.threads ?? 2,
  });
  let rows: Record<string, number>;
  try {
    // Left by an interrupted compaction: never the store itself.
    rmSync(copy, { force: true });
    rmSync(`${copy}.wal`, { force: true });
    const conn = await opened.instance.connect();
    try {
      await conn.run('CHECKPOINT');
      const database = String(
        (await conn.runAndReadAll('SELECT current_database()')).getRows()[0]?.[0],
      );
      rows = await rowCounts(conn, database);
      await conn.run(`ATTACH ${sqlString(copy)} AS otel_lab_compact`);
      try {
        await conn.run(`COPY FROM DATABASE ${quoteIdent(database)} TO otel_lab_compact`);
        const copied = await rowCounts(conn, 'otel_lab_compact');
        const differ = Object.keys({ ...rows, ...copied }).filter((t) => rows[t] !== copied[t]);
        if (differ.length > 0)
          throw new Error(
            `the copy does not match the store (${differ
              .map((t) => `${t}: ${rows[t] ?? 'missing'} vs ${copied[t] ?? 'missing'}`)
              .join(', ')}); the store was left as it is`,
          );
        await conn.run('CHECKPOINT otel_lab_compact');
      } finally {
        await conn.run('DETACH DATABASE IF EXISTS otel_lab_compact');
      }
    } finally {
      conn.closeSync();
    }
  } catch (err) {
    rmSync(copy, { force: true });
    rmSync(`${copy}.wal`, { force: true });
    throw err;
  } finally {
    opened.instance.closeSync();
  }
  if (existsSync(`${copy}.wal`) || existsSync(`${file}.wal`)) {
    rmSync(copy, { force: true });
    throw new Error(
      `a write-ahead log was left beside ${file} or its copy after closing; the store was left as it is`,
    );
  }
  fsyncPath(copy);
  renameSync(copy, file);
  fsyncPath(o.dataDir);
  return { file, bytesBefore, bytesAfter: statSync(file).size, rows };
}

function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
