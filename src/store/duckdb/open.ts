// Opening the database: data directory checks, DuckDB settings, migrations.
// Every failure becomes a StoreOpenError that names the path and what to do;
// nothing here deletes or rewrites a user's file.

import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';

import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';

import { StoreOpenError } from './errors';
import { latestSchemaVersion, migrate } from './migrate';
import { sqlFile } from './sql';

export const DB_FILE_NAME = 'otel-lab.duckdb';
export const MEMORY = ':memory:';
export { StoreOpenError };

export interface OpenOptions {
  readonly dataDir: string;
  readonly memoryLimit: string;
  readonly threads: number;
  /** WAL size that triggers an automatic checkpoint, e.g. '64MB'. */
  readonly checkpointThreshold?: string;
  readonly schemaVersion?: number;
}

export interface Opened {
  readonly instance: DuckDBInstance;
  readonly file: string;
  readonly version: number;
}

function prepareDir(dataDir: string): void {
  try {
    mkdirSync(dataDir, { recursive: true });
    if (!statSync(dataDir).isDirectory()) throw new Error('not a directory');
    accessSync(dataDir, constants.W_OK | constants.R_OK);
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new StoreOpenError(
      `cannot use ${dataDir} as the data directory (${why}): choose a writable directory with --data-dir or OTEL_LAB_DATA_DIR.`,
      { cause: err },
    );
  }
}

export function explainOpenFailure(file: string, err: unknown): StoreOpenError {
  const msg = (err as Error).message;
  if (/\block\b/i.test(msg)) {
    return new StoreOpenError(
      `${file} is in use by another process (${msg}). Stop the other otel-lab, or use another --data-dir.`,
      { cause: err },
    );
  }
  // DuckDB pairs a database with `<file>.wal`: move them together, or the next start discards the log.
  const advice = existsSync(`${file}.wal`)
    ? `The database and its log ${file}.wal were left as they are. If they are damaged, move both aside ` +
      `(mv ${file} ${file}.broken && mv ${file}.wal ${file}.broken.wal)`
    : `The file was left as it is. If it is damaged, move it aside (mv ${file} ${file}.broken)`;
  return new StoreOpenError(
    `cannot open the store ${file}: ${msg.replace(/[.!]+$/, '')}. ${advice} ` +
      `and otel-lab starts a new store there, or use another --data-dir.`,
    { cause: err },
  );
}

/** The first schema version the macros bind against (they read attribute_keysets). */
const MACROS_SCHEMA_VERSION = 4;

/**
 * Applies the per-connection SQL helpers (temporary macros). A store held at
 * an older schema version (only tests open one, to be migrated later) gets
 * none: its span reads are not available. By default, the latest version.
 */
export async function prepareConnection(
  conn: DuckDBConnection,
  version = latestSchemaVersion(),
): Promise<void> {
  if (version < MACROS_SCHEMA_VERSION) return;
  await conn.run(sqlFile('macros'));
}

export async function openDatabase(o: OpenOptions): Promise<Opened> {
  const inMemory = o.dataDir === MEMORY;
  if (!inMemory) prepareDir(o.dataDir);
  const file = inMemory ? MEMORY : path.join(o.dataDir, DB_FILE_NAME);
  const settings: Record<string, string> = {
    memory_limit: o.memoryLimit,
    threads: String(o.threads),
  };
  if (o.checkpointThreshold !== undefined) settings['checkpoint_threshold'] = o.checkpointThreshold;
  if (!inMemory) settings['temp_directory'] = path.join(o.dataDir, 'tmp');
  if (!inMemory && !existsSync(file) && existsSync(`${file}.wal`)) {
    // DuckDB would create a new database and delete this log, the only copy of what it holds.
    throw new StoreOpenError(
      `${file}.wal exists without ${file}: a new store would discard it. Put the database file back, ` +
        `or move the log aside too (mv ${file}.wal ${file}.orphan.wal), or use another --data-dir.`,
    );
  }
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(file, settings);
  } catch (err) {
    throw explainOpenFailure(file, err);
  }
  try {
    const conn = await instance.connect();
    try {
      const version = await migrate(conn, file, o.schemaVersion);
      return { instance, file, version };
    } finally {
      conn.closeSync();
    }
  } catch (err) {
    instance.closeSync();
    if (err instanceof StoreOpenError) throw err;
    throw explainOpenFailure(file, err);
  }
}
