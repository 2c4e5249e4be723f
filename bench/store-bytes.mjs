// Bytes per span of a DuckDB store file: used blocks of the whole file, and
// the attribute columns of `spans` alone (the JSON `attributes` before
// schema 4; key set id, slots, remainder and the key set table from 4),
// copied into a fresh file and measured there, minus an empty file.
//
//   node bench/store-bytes.mjs <store.duckdb> [...more]
//
// Opens each file read-only (stop the store first); prints one JSON line per
// file. Needs a few seconds per million spans; the scratch files are removed.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DuckDBInstance } from '@duckdb/node-api';

const scratch = mkdtempSync(join(tmpdir(), 'store-bytes-'));
try {
  for (const file of process.argv.slice(2)) {
    const db = await DuckDBInstance.create(file, { access_mode: 'READ_ONLY' });
    const c = await db.connect();
    const one = async (sql) => (await c.runAndReadAll(sql)).getRows()[0];
    const used = async (schema) => {
      const [size, blocks] = await one(
        `SELECT block_size::BIGINT, used_blocks::BIGINT FROM pragma_database_size() WHERE database_name = '${schema}'`,
      );
      return Number(size) * Number(blocks);
    };
    const [spans] = await one('SELECT count(*)::BIGINT FROM spans');
    const whole = await used((await one('SELECT current_database()'))[0]);
    const cols = (
      await c.runAndReadAll(`SELECT column_name FROM duckdb_columns() WHERE table_name = 'spans'`)
    )
      .getRows()
      .map(([n]) => n)
      .filter((n) => /^(attributes|keyset_id|a\d+|attributes_rest)$/.test(n));
    const hasKeysets =
      (
        await one(
          `SELECT count(*)::INTEGER FROM duckdb_tables() WHERE table_name = 'attribute_keysets'`,
        )
      )[0] > 0;
    const out = join(scratch, `${Math.random().toString(36).slice(2)}.duckdb`);
    await c.run(`ATTACH '${out}' AS scratch (BLOCK_SIZE 16384, READ_WRITE)`);
    const empty = await used('scratch');
    await c.run(`CREATE TABLE scratch.attrs AS SELECT ${cols.join(', ')} FROM spans`);
    if (hasKeysets) await c.run('CREATE TABLE scratch.keysets AS SELECT * FROM attribute_keysets');
    await c.run('CHECKPOINT scratch');
    const attrs = (await used('scratch')) - empty;
    await c.run('DETACH scratch');
    const perSpan = (b) => Math.round((b / Number(spans)) * 10) / 10;
    console.log(
      JSON.stringify({
        file,
        spans: Number(spans),
        usedBytesPerSpan: perSpan(whole),
        attributeBytesPerSpan: perSpan(attrs),
        attributeColumns: cols.length,
      }),
    );
    c.closeSync();
    db.closeSync();
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
