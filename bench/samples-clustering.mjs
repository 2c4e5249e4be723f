#!/usr/bin/env node
// How much the samples table's row order costs a PromQL selector at the
// lab's scale: plain DuckDB (2 threads, 512 MB, a file in a temp dir), a
// synthetic samples table of 5,000 series every 2 s written in time order
// (as the lab writes), and the same rows in 30-minute (--block-minutes) blocks each ordered by
// (series_id, t) (what a compaction would leave). The last hour of 1, 12
// and 200 series with the store's samples.sql filter. Then the cost of such
// a compaction done in place on the time-ordered table, one 30-minute block
// at a time (keep the last write of a time, delete, insert ordered,
// checkpoint), and the same queries on the result.
//
//   node bench/samples-clustering.mjs [--hours 2] [--runs 15] [--block-minutes 30]
//
// About 1 minute at 2 h (18M rows); removes its temp dir.
//
// With --store, the same through the store itself (needs `npm run build`):
// a DuckDbStore with 5,000 series (labels written through store.write), the
// samples bulk-loaded in time order with SQL (the write path is not what is
// measured), then store.selectSeries for 1, 12 and 200 series over the last
// hour, before and after store.compactSamples has rewritten every closed
// block (now = the last sample's time: the newest block stays as written),
// and once more with every block compacted. Reports how long each block held
// the writer (its sort, then the swap transaction) and how long a one-sample
// write issued 5 ms after the compaction started waited.
//
//   npm run build && node bench/samples-clustering.mjs --store [--hours 2] [--runs 15]

import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fillSamplesStore } from './samples-store.mjs';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
const { DuckDBInstance, LIST, UINTEGER, BIGINT, listValue } = require('@duckdb/node-api');
const { values } = parseArgs({
  options: {
    hours: { type: 'string', default: '2' },
    runs: { type: 'string', default: '15' },
    store: { type: 'boolean', default: false },
    'block-minutes': { type: 'string', default: '30' },
  },
});
const hours = Math.max(1.1, Number(values.hours));
const runs = Math.max(1, Number(values.runs));
const blockMin = Math.max(1, Math.floor(Number(values['block-minutes'])));
const blockMs = blockMin * 60_000;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'samples-clustering-'));
if (values.store) {
  try {
    await storeBench();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  process.exit(0);
}
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
  await c.run(
    `CREATE TABLE blocks AS SELECT * FROM samples ORDER BY t // ${blockMs}, series_id, t`,
  );
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
    await measure(n, tables[1], `${blockMin}-min blocks by (series_id, t)`);
  }
  const compactions = [];
  for (let from = 0; from < end; from += blockMs) {
    const c0 = process.cpuUsage();
    const w = performance.now();
    await c.run('BEGIN');
    await c.run(
      `CREATE TEMP TABLE blk AS SELECT series_id, t, arg_max(v, rowid) AS v FROM samples
       WHERE t >= ${from} AND t < ${from + blockMs} GROUP BY series_id, t`,
    );
    await c.run(`DELETE FROM samples WHERE t >= ${from} AND t < ${from + blockMs}`);
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
    `\ncompacting each ${blockMin}-minute block (${count / BigInt(compactions.length)} rows): ${compactions.join(', ')}`,
  );
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}

async function storeBench() {
  const SERIES = 5000;
  const dist = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'dist', 'src');
  const { createDuckDbStore, DB_FILE_NAME } = require(
    path.join(dist, 'store', 'duckdb', 'index.js'),
  );
  const end = Math.round(hours * 3600_000);
  // Series ids follow creation order: g/h pick series whose ids are close
  // together (a metric whose series came in one export), sg/sh ones spread
  // over the whole id range.
  const labels = (i) => ({
    __name__: 'bench_m',
    s: `s${i}`,
    g: `g${Math.floor(i / 12)}`,
    h: `h${Math.floor(i / 200)}`,
    sg: `g${i % 417}`,
    sh: `h${i % 25}`,
  });
  const t0 = performance.now();
  await fillSamplesStore(
    { createDuckDbStore, DB_FILE_NAME, DuckDBInstance },
    { dir, series: SERIES, labels, endMs: end },
  );
  // Every run reads SQL: samples held between queries (sample-cache.ts) would answer all but the first.
  const store = await createDuckDbStore({ dataDir: dir, threads: 2, sampleCacheBytes: 0 });
  const { samples: count } = await store.stats();
  console.error(
    `${count} samples in ${SERIES} series, loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  const selectors = [
    [1, '', [{ name: 's', op: '=', value: 's3' }]],
    [12, ' close ids', [{ name: 'g', op: '=', value: 'g3' }]],
    [12, ' spread ids', [{ name: 'sg', op: '=', value: 'g3' }]],
    [200, ' close ids', [{ name: 'h', op: '=', value: 'h3' }]],
    [200, ' spread ids', [{ name: 'sh', op: '=', value: 'h3' }]],
  ];
  const rows = [];
  async function measure(label) {
    for (const [n, how, m] of selectors) {
      const matchers = [{ name: '__name__', op: '=', value: 'bench_m' }, ...m];
      const range = { minT: end - 3660_000, maxT: end };
      const ms = [];
      let cpu = 0;
      let got = 0;
      for (let i = 0; i < runs; i++) {
        const c0 = process.cpuUsage();
        const w = performance.now();
        const res = await store.selectSeries(matchers, range);
        ms.push(performance.now() - w);
        const d = process.cpuUsage(c0);
        cpu += (d.user + d.system) / 1000;
        got = res.reduce((k, s) => k + s.samples.length, 0);
        if (res.length !== n) throw new Error(`expected ${n} series, got ${res.length}`);
      }
      ms.sort((a, b) => a - b);
      rows.push(
        `| ${n}${how} | ${label} | ${got} | ${ms[0].toFixed(1)} / ${ms[Math.floor(runs / 2)].toFixed(1)} / ${(cpu / runs).toFixed(1)} |`,
      );
    }
  }
  const ns = (t) => BigInt(t) * 1_000_000n;
  const compactions = [];
  async function compactAll(nowMs) {
    for (;;) {
      const c0 = process.cpuUsage();
      const w = performance.now();
      const pending = store.compactSamples(ns(nowMs));
      // A write that arrives just after the compaction started waits for it.
      await new Promise((r) => setTimeout(r, 5));
      const wq = performance.now();
      await store.write({ samples: [{ labels: labels(1), samples: [{ t: end + 1, v: 1 }] }] });
      const waited = performance.now() - wq;
      const done = await pending;
      const d = process.cpuUsage(c0);
      if (done === undefined) return;
      compactions.push(
        `block ${done.block} (${done.rowsBefore} -> ${done.rowsAfter} rows): writer held by the sort ${(done.stageMs / 1000).toFixed(2)} s, ` +
          `by the swap transaction ${(done.wallMs / 1000).toFixed(2)} s${done.restaged ? ' (sorted again inside)' : ''}, ` +
          `${((d.user + d.system) / 1e6).toFixed(1)} s CPU, a write queued behind it waited ${(waited / 1000).toFixed(2)} s (total ${((performance.now() - w) / 1000).toFixed(1)} s)`,
      );
    }
  }
  try {
    await measure('as written (time order)');
    await compactAll(end);
    await measure('closed blocks compacted, newest block as written');
    await compactAll(end + 3600_000);
    await measure('every block compacted');
  } finally {
    await store.close();
  }
  console.log(
    `\nthrough DuckDbStore.selectSeries, last hour of ${hours} h; ${runs} runs; ms: min / median wall / mean CPU per selector`,
  );
  console.log('| series | layout | samples | ms |\n|---|---|---|---|');
  for (const r of rows) console.log(r);
  console.log(`\ncompactions:\n${compactions.join('\n')}`);
}
