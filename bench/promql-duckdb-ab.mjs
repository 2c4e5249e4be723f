#!/usr/bin/env node
// A/B of two builds on the DuckDB store: the dashboard panels of
// bench/promql-vs-prometheus.mjs as in-process range queries (engine +
// store, no HTTP), each build on its own store file holding the same
// samples, builds interleaved query by query. Reports min / median wall and
// mean process CPU (DuckDB's threads included) per query: on a shared
// machine CPU and mins move less than medians.
//
//   npm run build && node bench/promql-duckdb-ab.mjs --other /path/to/other/checkout [--runs 30] [--hours 3] [--layout series|time] [--churn] [--cold]
//     [--cache-bytes N] [--compact]
//
// --churn: before every timed query, every series gets one more sample in the
// newest 10-minute block (as the lab's ingest appends every second; the
// write is not timed), so a build that holds samples between queries must
// keep that block current.
//
// --cold: every query starts with nothing held (a build with
// src/store/duckdb/sample-cache.ts gets an empty one before each query).
//
// --cache-bytes: both stores' sampleCacheBytes (0: every query reads its
// samples from SQL, a first read). --compact: every closed 10-minute block
// compacted before querying (the layout of a store that has been running),
// as in bench/promql-vs-prometheus.mjs.
//
// The other checkout must be built too (its dist/ and its SQL files are
// used). layout: `series` writes each series whole (as promql-vs-prometheus
// does), `time` 1-minute batches of all series (as the lab does). About
// 1 minute at 30 runs; removes its temp dirs.

import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
const here = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const { values } = parseArgs({
  options: {
    other: { type: 'string' },
    runs: { type: 'string', default: '30' },
    hours: { type: 'string', default: '3' },
    layout: { type: 'string', default: 'series' },
    churn: { type: 'boolean', default: false },
    cold: { type: 'boolean', default: false },
    'cache-bytes': { type: 'string' },
    compact: { type: 'boolean', default: false },
  },
});
if (!values.other || !fs.existsSync(path.join(values.other, 'dist/src/store/duckdb/index.js'))) {
  console.error('--other: a built checkout (with dist/src/store/duckdb/index.js) to compare with');
  process.exit(2);
}
const runs = Math.max(1, Number(values.runs));
const { generate } = require(path.join(here, 'dist/test/compat/prom-diff/data.js'));
const services = ['recommendation', 'cart', 'checkout', 'currency', 'email', 'ad', 'payment'];
services.push('product-catalog', 'quote', 'shipping');
const data = generate({ services, hours: Number(values.hours) });

const B = 'traces_span_metrics_duration_milliseconds_bucket';
const queries = [
  `histogram_quantile(0.95, sum by (le, service_name) (rate(${B}[1m])))`,
  `histogram_quantile(0.99, sum(rate(${B}{service_name="recommendation"}[1m])) by (le))`,
  'sum by (service_name) (rate(traces_span_metrics_calls_total[1m]))',
  'sum by (span_name) (rate(traces_span_metrics_calls_total{status_code="STATUS_CODE_ERROR"}[1m]))',
];

async function fill(store) {
  if (values.layout === 'series') return store.write({ samples: data.series });
  const start = data.endMs - Number(values.hours) * 3600_000 - 60_000;
  for (let from = start; from <= data.endMs; from += 60_000) {
    const batch = data.series
      .map((s) => ({
        labels: s.labels,
        samples: s.samples.filter((p) => p.t >= from && p.t < from + 60_000),
      }))
      .filter((s) => s.samples.length > 0);
    if (batch.length > 0) await store.write({ samples: batch });
  }
}

const sides = [];
try {
  for (const [name, root] of [
    ['this', here],
    ['other', path.resolve(values.other)],
  ]) {
    const { createDuckDbStore } = require(path.join(root, 'dist/src/store/duckdb/index.js'));
    const { rangeQuery } = require(path.join(root, 'dist/src/query/promql/engine.js'));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `promql-ab-${name}-`));
    const cacheBytes = values['cache-bytes'];
    const store = await createDuckDbStore({
      dataDir: dir,
      ...(cacheBytes === undefined ? {} : { sampleCacheBytes: Number(cacheBytes) }),
    });
    const cache = path.join(root, 'dist/src/store/duckdb/sample-cache.js');
    const SampleCache = fs.existsSync(cache) ? require(cache).SampleCache : undefined;
    sides.push({ name, root, dir, store, rangeQuery, SampleCache });
    await fill(store);
    // Every block closed: "now" an hour past the data.
    if (values.compact)
      while (
        (await store.compactSamples(BigInt(data.endMs + 3600_000) * 1_000_000n)) !== undefined
      );
  }
  const end = data.endMs;
  const rows = [];
  for (const q of queries) {
    const stats = sides.map(() => ({ ms: [], cpu: 0, answer: '' }));
    for (let run = 0; run < runs; run++) {
      for (const [i, s] of sides.entries()) {
        // Just past the last sample (still in its block, out of the window): an append.
        if (values.churn)
          await s.store.write({
            samples: data.series.map((x) => ({
              labels: x.labels,
              samples: [{ t: end + 1 + run, v: run }],
            })),
          });
        if (values.cold && s.SampleCache && 'sampleCache' in s.store)
          s.store.sampleCache = new s.SampleCache();
        const source = { select: (m, minT, maxT) => s.store.selectSeries(m, { minT, maxT }) };
        const c0 = process.cpuUsage();
        const w0 = performance.now();
        const res = await s.rangeQuery(source, q, end - 3600_000, end, 15_000);
        stats[i].ms.push(performance.now() - w0);
        const c = process.cpuUsage(c0);
        stats[i].cpu += (c.user + c.system) / 1000;
        if (run === 0) stats[i].answer = JSON.stringify(res);
      }
    }
    const agree = stats.every((st) => st.answer === stats[0].answer);
    const cells = stats.map((st) => {
      const s = st.ms.sort((a, b) => a - b);
      return `${s[0].toFixed(1)} / ${s[Math.floor(s.length / 2)].toFixed(1)} / ${(st.cpu / runs).toFixed(1)}`;
    });
    rows.push(`| \`${q}\` | ${agree ? 'yes' : 'NO'} | ${cells.join(' | ')} |`);
  }
  console.log(
    `\n${new Date().toISOString()} · load ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(
        ' ',
      )} · ${runs} runs each, ${values.layout} layout${values.churn ? ', a sample appended to every series before each query' : ''}${values.cold ? ', nothing held before each query' : ''}${values.compact ? ', compacted' : ''}${values['cache-bytes'] === undefined ? '' : `, sampleCacheBytes ${values['cache-bytes']}`}, ${data.sampleCount} samples; ms: min / median wall / mean CPU`,
  );
  console.log(`| query | same answer | this build | other (${values.other}) |\n|---|---|---|---|`);
  for (const r of rows) console.log(r);
} finally {
  for (const s of sides) {
    await s.store.close();
    fs.rmSync(s.dir, { recursive: true, force: true });
  }
}
