#!/usr/bin/env node
// Issue 5's PromQL benchmark: the dashboard's range queries over one hour at
// a 15 s step, on span metrics of 10 services, against our engine (behind
// our /prometheus API, over the memory store and over the DuckDB store on a
// file, the lab's real path) and a real Prometheus 2.x holding the same
// samples (promtool blocks). All are asked over loopback HTTP, one query at a
// time, in turns; answers are compared first, so a fast wrong answer shows.
//
//   npm run build && node bench/promql-vs-prometheus.mjs [--runs 10] [--hours 3] [--services 10] [--store both|memory|duckdb]
//     [--cache-bytes N] [--compact]
//
// --cache-bytes: the DuckDB store's sampleCacheBytes (0: every query reads
// its samples from SQL, as a first read does). --compact: before querying,
// the DuckDB store compacts every closed 10-minute block (as its retention
// timer does in the lab, one block a minute), so reads see the layout of a
// store that has been running.
//
// Ours runs in this process (the client shares its event loop); Prometheus
// is its own process. Takes about 10 s at 10 runs; removes its temp dirs. Needs /usr/bin/prometheus and /usr/bin/promtool
// (apt-get install prometheus) or PROMETHEUS_BIN / PROMTOOL_BIN.

import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const dist = (p) => require(path.join(root, 'dist', p));
const { generate } = dist('test/compat/prom-diff/data.js');
const { startPrometheus, missingPrometheus } = dist('test/compat/prom-diff/prometheus.js');
const { diffAnswers } = dist('test/compat/prom-diff/compare.js');
const { createMemoryStore } = dist('src/store/memory/index.js');
const { createDuckDbStore } = dist('src/store/duckdb/index.js');
const { createPrometheusApi } = dist('src/api/prometheus/index.js');
const { serve } = require('@hono/node-server');

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '10' },
    hours: { type: 'string', default: '3' },
    services: { type: 'string', default: '10' },
    store: { type: 'string', default: 'both' },
    'cache-bytes': { type: 'string' },
    compact: { type: 'boolean', default: false },
  },
});
const runs = Math.max(1, Number(values.runs));
if (!['both', 'memory', 'duckdb'].includes(values.store)) {
  console.error(`--store: both, memory or duckdb, not ${JSON.stringify(values.store)}`);
  process.exit(2);
}
const services = [
  'recommendation',
  'cart',
  'checkout',
  'currency',
  'email',
  'ad',
  'payment',
  'product-catalog',
  'quote',
  'shipping',
  'frontend-proxy',
  'accounting',
].slice(0, Math.max(2, Number(values.services)));

const B = 'traces_span_metrics_duration_milliseconds_bucket';
const queries = [
  `histogram_quantile(0.95, sum by (le, service_name) (rate(${B}[1m])))`,
  `histogram_quantile(0.99, sum(rate(${B}{service_name="recommendation"}[1m])) by (le))`,
  'sum by (service_name) (rate(traces_span_metrics_calls_total[1m]))',
  'sum by (span_name) (rate(traces_span_metrics_calls_total{status_code="STATUS_CODE_ERROR"}[1m]))',
];

function stats(ms) {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return { min: s[0], median: at(0.5), p90: at(0.9) };
}

async function timed(url) {
  const t0 = performance.now();
  const res = await fetch(url);
  const body = await res.json();
  return { ms: performance.now() - t0, answer: { status: res.status, body } };
}

const missing = missingPrometheus();
if (missing) {
  console.error(missing);
  process.exit(1);
}

const t = performance.now();
const data = generate({ services, hours: Number(values.hours) });
console.error(
  `data: ${services.length} services, ${data.series.length} series, ${data.sampleCount} samples (${((performance.now() - t) / 1000).toFixed(1)} s)`,
);
let t1 = performance.now();
const prom = await startPrometheus(data.series);
const promLoadMs = performance.now() - t1;

const kinds = values.store === 'both' ? ['memory', 'duckdb'] : [values.store];
const sides = [{ name: 'Prometheus', base: prom.base, close: async () => {} }];
const loads = [];
let tmp;
try {
  for (const kind of kinds) {
    t1 = performance.now();
    let store;
    if (kind === 'memory') store = createMemoryStore();
    else {
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'promql-bench-'));
      const cacheBytes = values['cache-bytes'];
      store = await createDuckDbStore({
        dataDir: tmp,
        ...(cacheBytes === undefined ? {} : { sampleCacheBytes: Number(cacheBytes) }),
      });
    }
    await store.write({ samples: data.series });
    if (kind === 'duckdb' && values.compact) {
      // Every block closed: "now" an hour past the data.
      const now = BigInt(data.endMs + 3600_000) * 1_000_000n;
      let blocks = 0;
      while ((await store.compactSamples(now)) !== undefined) blocks++;
      loads.push(`compacted ${blocks} blocks`);
    }
    loads.push(`${kind} ${((performance.now() - t1) / 1000).toFixed(1)} s`);
    const app = createPrometheusApi({ store });
    const server = await new Promise((resolve) => {
      const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
    });
    sides.push({
      name: kind,
      base: `http://127.0.0.1:${server.address().port}`,
      close: async () => {
        server.close();
        await store.close();
      },
    });
  }
} catch (err) {
  for (const s of sides) await s.close();
  await prom.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  throw err;
}

const end = data.endMs / 1000;
const range = `&start=${end - 3600}&end=${end}&step=15`;
const rows = [];
try {
  for (const q of queries) {
    const path = `/api/v1/query_range?query=${encodeURIComponent(q)}${range}`;
    const first = [];
    for (const s of sides) first.push(await timed(s.base + path));
    let agree = true;
    for (let i = 1; i < sides.length; i++) {
      const diff = diffAnswers(q, first[0].answer, first[i].answer, true);
      if (diff) {
        agree = false;
        console.error(`answers differ for ${q} (${sides[i].name}):\n${diff}`);
      }
    }
    const series = first[0].answer.body.data?.result?.length ?? 0;
    const ms = sides.map(() => []);
    // Take turns so that background load hits all sides alike.
    for (let r = 0; r < runs; r++)
      for (let i = 0; i < sides.length; i++) ms[i].push((await timed(sides[i].base + path)).ms);
    rows.push({ q, series, agree, stats: ms.map(stats) });
  }
} finally {
  for (const s of sides) await s.close();
  await prom.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
}

const f = (x) => x.toFixed(1);
console.log(
  `\n${new Date().toISOString()} · ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'} · node ${process.version} · ${prom.version} · load ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
console.log(
  `${services.length} services, ${data.series.length} series, ${data.sampleCount} samples over ${values.hours} h; loading: Prometheus ${(promLoadMs / 1000).toFixed(1)} s (promtool blocks + start), ours: ${loads.join(', ')}`,
);
console.log(
  `DuckDB store: sampleCacheBytes ${values['cache-bytes'] ?? 'default'}, ${values.compact ? 'compacted' : 'not compacted'}; range queries over 1 h at 15 s step (241 points); ${runs} runs each; ms: min / median / p90; ratio = ours median / Prometheus median\n`,
);
const ours = sides.slice(1);
console.log(
  `| query | series | agree | Prometheus (ms) | ${ours.map((s) => `${s.name} (ms) | ${s.name} / Prom`).join(' | ')} |`,
);
console.log(`|---|---|---|---|${ours.map(() => '---|---|').join('')}`);
for (const r of rows) {
  const p = r.stats[0];
  const cells = r.stats
    .slice(1)
    .map(
      (o) => `${f(o.min)} / ${f(o.median)} / ${f(o.p90)} | ${(o.median / p.median).toFixed(2)}×`,
    );
  console.log(
    `| \`${r.q}\` | ${r.series} | ${r.agree ? 'yes' : 'NO'} | ${f(p.min)} / ${f(p.median)} / ${f(p.p90)} | ${cells.join(' | ')} |`,
  );
}
