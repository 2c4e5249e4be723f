#!/usr/bin/env node
// PromQL samples held between queries (src/store/duckdb/sample-cache.ts) at
// the lab's scale: 5,000 series every 2 s for an hour (9M samples, written in
// time order as the lab does, not compacted), one selector of 12 series over
// the last ~59 minutes read through DuckDbStore.selectSeries: the first read
// (SQL), the same read again (held), then a write of every series at the
// newest time before each read (merged into what is held). About 30 s;
// removes its temp dir.
//
//   npm run build && node bench/promql-held-samples.mjs

import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fillSamplesStore } from './samples-store.mjs';
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const require = createRequire(path.join(root, 'package.json'));
const { createDuckDbStore, DB_FILE_NAME } = require(
  path.join(root, 'dist/src/store/duckdb/index.js'),
);
const { DuckDBInstance } = require('@duckdb/node-api');
const SERIES = 5000,
  end = 3600_000 + 2000;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pq-lab-'));
const labels = (i) => ({ __name__: 'm', i: String(i), g: `g${Math.floor(i / 12)}` });
await fillSamplesStore(
  { createDuckDbStore, DB_FILE_NAME, DuckDBInstance },
  { dir, series: SERIES, labels, endMs: end },
);
const store = await createDuckDbStore({ dataDir: dir, threads: 2 });
const m = [
  { name: '__name__', op: '=', value: 'm' },
  { name: 'g', op: '=', value: 'g7' },
];
const range = { minT: end - 3600_000 + 60_000, maxT: end };
const t = async (label) => {
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  const r = await store.selectSeries(m, range);
  const cu = process.cpuUsage(c0);
  console.log(
    label,
    `${r.length} series ${r.reduce((a, s) => a + s.samples.length, 0)} samples: ${(performance.now() - w0).toFixed(1)} ms wall, ${((cu.user + cu.system) / 1000).toFixed(1)} ms CPU`,
  );
};
console.log(
  new Date().toISOString(),
  'load',
  os.loadavg()[0].toFixed(2),
  `${SERIES} series every 2 s for 1 h (9M samples), time order; 12 series, last ~59 min`,
);
await t('first read  ');
for (let i = 0; i < 3; i++) await t('again       ');
// Ingest: one write of every series at the newest time, then read.
for (let i = 0; i < 3; i++) {
  await store.write({
    samples: Array.from({ length: SERIES }, (_, k) => ({
      labels: labels(k),
      samples: [{ t: end + i, v: 1 }],
    })),
  });
  await t('after write ');
}
await store.close();
fs.rmSync(dir, { recursive: true, force: true });
