#!/usr/bin/env node
// A first PromQL read (nothing held: sampleCacheBytes 0) at the lab's scale
// on a store whose settled blocks were compacted, with metrics as the lab
// has them: 5,000 series of 100 metrics created interleaved (a metric's
// series ids spread over the whole id range), every 2 s for an hour (9M
// samples). Selectors over the last ~59 minutes through
// DuckDbStore.selectSeries: a whole metric (50 series), 5 series of it, one
// series. CPU of this process per read (DuckDB's threads included), median
// of --runs. Run it against two builds to compare:
//
//   npm run build && node bench/promql-first-read.mjs [--runs 7] [--root <dir with dist/>]
//
// About 40 s, most of it building the store; removes its temp dir.

import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fillSamplesStore } from './samples-store.mjs';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '7' }, root: { type: 'string' } },
});
const here = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const root = path.resolve(values.root ?? here);
const require = createRequire(path.join(here, 'package.json'));
const { createDuckDbStore, DB_FILE_NAME } = require(
  path.join(root, 'dist/src/store/duckdb/index.js'),
);
const { DuckDBInstance } = require('@duckdb/node-api');
const SERIES = 5000;
const METRICS = 100;
const end = 3600_000 + 2000;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pq-first-'));
const labels = (i) => ({
  __name__: `m${i % METRICS}`,
  i: String(i),
  g: `g${Math.floor(i / METRICS / 10)}`,
});
await fillSamplesStore(
  { createDuckDbStore, DB_FILE_NAME, DuckDBInstance },
  { dir, series: SERIES, labels, endMs: end },
);
const store = await createDuckDbStore({ dataDir: dir, threads: 2, sampleCacheBytes: 0 });
const built = process.cpuUsage();
let blocks = 0;
while ((await store.compactSamples(BigInt(end + 3600_000) * 1_000_000n)) !== undefined) blocks++;
const cb = process.cpuUsage(built);
const name = (m) => ({ name: '__name__', op: '=', value: m });
const selectors = [
  ['m7 (50 series)', [name('m7')]],
  ['m7{g="g2"} (5 series)', [name('m7'), { name: 'g', op: '=', value: 'g2' }]],
  ['m7{i="2107"} (1 series)', [name('m7'), { name: 'i', op: '=', value: '2107' }]],
];
const range = { minT: end - 3600_000 + 60_000, maxT: end };
console.log(
  new Date().toISOString(),
  'load',
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' '),
  `root ${root}; ${SERIES} series of ${METRICS} metrics every 2 s for 1 h (9M samples); ${blocks} blocks compacted (${((cb.user + cb.system) / 1e6).toFixed(1)} s CPU)`,
);
const runs = Math.max(1, Number(values.runs));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const [label, m] of selectors) {
  const cpu = [];
  const wall = [];
  let n = 0;
  for (let r = 0; r < runs; r++) {
    const c0 = process.cpuUsage();
    const w0 = performance.now();
    const res = await store.selectSeries(m, range);
    const cu = process.cpuUsage(c0);
    wall.push(performance.now() - w0);
    cpu.push((cu.user + cu.system) / 1000);
    n = res.reduce((a, s) => a + s.samples.length, 0);
  }
  console.log(
    `${label}: ${n} samples, median ${median(cpu).toFixed(1)} ms CPU, ${median(wall).toFixed(1)} ms wall (min ${Math.min(...cpu).toFixed(1)} ms CPU)`,
  );
}
await store.close();
fs.rmSync(dir, { recursive: true, force: true });
