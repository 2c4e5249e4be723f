// Brings a database to the schema this code expects, one migration per
// transaction, recording each in schema_version. A database newer than the
// code is refused rather than touched.

import type { DuckDBConnection } from '@duckdb/node-api';

import { StoreOpenError } from './errors';
import { inTransaction } from './params';
import { migrations, sqlFile } from './sql';

export async function schemaVersion(conn: DuckDBConnection): Promise<number> {
  await conn.run(sqlFile('schema-version'));
  const reader = await conn.runAndReadAll(
    'SELECT coalesce(max(version), 0)::INTEGER FROM schema_version',
  );
  return Number(reader.getRows()[0]?.[0] ?? 0);
}

export function latestSchemaVersion(): number {
  return migrations().length;
}

/** Applies migrations above the current version up to `target` (default: latest). */
export async function migrate(
  conn: DuckDBConnection,
  where: string,
  target = latestSchemaVersion(),
): Promise<number> {
  const current = await schemaVersion(conn);
  const latest = latestSchemaVersion();
  if (current > latest) {
    throw new StoreOpenError(
      `${where} holds schema version ${current}, but this otel-lab knows versions up to ${latest}: ` +
        'upgrade otel-lab, or point --data-dir (OTEL_LAB_DATA_DIR) at another directory. The data was not touched.',
    );
  }
  for (const m of migrations()) {
    if (m.version <= current || m.version > target) continue;
    try {
      await inTransaction(conn, async () => {
        await conn.run(m.sql);
        await conn.run('INSERT INTO schema_version (version) VALUES ($v)', { v: m.version });
      });
    } catch (err) {
      throw new StoreOpenError(
        `migration ${m.name} failed on ${where} (${(err as Error).message}); the database was left at schema version ${m.version - 1}, ` +
          'untouched. Report this as a bug; meanwhile run the previous otel-lab or use another --data-dir.',
        { cause: err },
      );
    }
  }
  return Math.max(current, Math.min(target, latest));
}
