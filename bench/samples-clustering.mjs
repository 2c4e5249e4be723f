#!/usr/bin/env node
// How much the samples table's row order costs a PromQL selector at the
// lab's scale: plain DuckDB (2 threads, 512 MB, a file in a temp dir), a
// synthetic samples table of 5,000 series every 2 s written in time order
// (as the lab writes), and the same rows in 30-minute blocks each ordered by
// (series_id, t) (what a compaction would leave). The last hour of 1, 12
// and 200 series with the store's samples.sql filter. Then the cost of such
// a compaction done in place on the time-ordered table, one 30-minute block
// at a time (keep the last write of a time, delete, insert ordered,
// checkpoint), and the same queries on the result.
//
//   node bench/samples-clustering.mjs [--hours 2] [--runs 15]
//
// About 1 minute at 2 h (18M rows); removes its temp dir.

import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
const { DuckDBInstance, LIST, UINTEGER, BIGINT, listValue } = require('@duckdb/node-api');
const { values } = parseArgs({
  options: { hours: { type: 'string', default: '2' }, runs: { type: 'string', default: '15' } },
});
const hours = Math.max(1.1, Number(values.hours));
const runs = Math.max(1, Number(values.runs));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'samples-clustering-'));
try {
  const db = await DuckDBInstance.create(path.join(dir, 'db'), {
    threads: '2',
    memory_limit: '512MB',
  });
  const c = await db.connect();
  const t0 = performance.now();
  const end = Math.round(hours * 3600_000);
  await c.run(
    `CREATE TABLE samples AS SELECT s::UINTEGER AS series_id, t::BIGINT AS t, random() AS v
     FROM range(0, ${end}, 2000) r(t), range(0, 5000) q(s) ORDER BY t, s`,
  );
  await c.run('CREATE TABLE blocks AS SELECT * FROM samples ORDER BY t // 1800000, series_id, t');
  const [[count]] = (await c.runAndReadAll('SELECT count(*) FROM samples')).getRows();
  console.error(
    `${count} rows in each table, built in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  const rows = [];
  const tables = ['samples', 'blocks'];
  async function measure(n, table, label) {
    const ids = Array.from({ length: n }, (_, i) => i * 7 + 3);
    {
      const stmt = await c.prepare(
        `SELECT series_id, t, v, rowid FROM ${table} WHERE series_id IN (SELECT unnest($ids)) AND t >= $a AND t <= $b`,
      );
      const ms = [];
      let cpu = 0;
      let got = 0;
      for (let i = 0; i < runs; i++) {
        stmt.bind(
          { ids: listValue(ids), a: BigInt(end - 3660_000), b: BigInt(end) },
          { ids: LIST(UINTEGER), a: BIGINT, b: BIGINT },
        );
        const c0 = process.cpuUsage();
        const w = performance.now();
        got = (await stmt.run()).rowCount;
        ms.push(performance.now() - w);
        const d = process.cpuUsage(c0);
        cpu += (d.user + d.system) / 1000;
      }
      ms.sort((a, b) => a - b);
      rows.push(
        `| ${n} | ${label} | ${got} | ${ms[0].toFixed(1)} / ${ms[Math.floor(runs / 2)].toFixed(1)} / ${(cpu / runs).toFixed(1)} |`,
      );
    }
  }
  for (const n of [1, 12, 200]) {
    await measure(n, tables[0], 'time order');
    await measure(n, tables[1], '30-min blocks by (series_id, t)');
  }
  const compactions = [];
  for (let from = 0; from < end; from += 1800_000) {
    const c0 = process.cpuUsage();
    const w = performance.now();
    await c.run('BEGIN');
    await c.run(
      `CREATE TEMP TABLE blk AS SELECT series_id, t, arg_max(v, rowid) AS v FROM samples
       WHERE t >= ${from} AND t < ${from + 1800_000} GROUP BY series_id, t`,
    );
    await c.run(`DELETE FROM samples WHERE t >= ${from} AND t < ${from + 1800_000}`);
    await c.run('INSERT INTO samples SELECT * FROM blk ORDER BY series_id, t');
    await c.run('DROP TABLE blk');
    await c.run('COMMIT');
    await c.run('CHECKPOINT');
    const d = process.cpuUsage(c0);
    compactions.push(
      `${((performance.now() - w) / 1000).toFixed(1)} s wall / ${((d.user + d.system) / 1e6).toFixed(1)} s CPU`,
    );
  }
  const [[after]] = (await c.runAndReadAll('SELECT count(*) FROM samples')).getRows();
  if (after !== count) throw new Error(`compaction changed the row count: ${count} -> ${after}`);
  for (const n of [1, 12, 200]) await measure(n, tables[0], 'time order, compacted in place');
  c.closeSync();
  console.log(`\n${runs} runs; ms: min / median wall / mean CPU per selector`);
  console.log('| series | layout | rows | ms |\n|---|---|---|---|');
  for (const r of rows) console.log(r);
  console.log(
    `\ncompacting each 30-minute block (${count / BigInt(compactions.length)} rows): ${compactions.join(', ')}`,
  );
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
