#!/usr/bin/env node
// Issue 5's PromQL benchmark: the dashboard's range queries over one hour at
// a 15 s step, on span metrics of 10 services, against our engine (memory
// store behind our /prometheus API) and a real Prometheus 2.x holding the
// same samples (promtool blocks). Both are asked over loopback HTTP, one
// query at a time; answers are compared first, so a fast wrong answer shows.
//
//   npm run build && node bench/promql-vs-prometheus.mjs [--runs 10] [--hours 3] [--services 10]
//
// Ours runs in this process (the client shares its event loop); Prometheus
// is its own process. Needs /usr/bin/prometheus and /usr/bin/promtool
// (apt-get install prometheus) or PROMETHEUS_BIN / PROMTOOL_BIN.

import { createRequire } from 'node:module';
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
const { createPrometheusApi } = dist('src/api/prometheus/index.js');
const { serve } = require('@hono/node-server');

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '10' },
    hours: { type: 'string', default: '3' },
    services: { type: 'string', default: '10' },
  },
});
const runs = Math.max(1, Number(values.runs));
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
t1 = performance.now();
const store = createMemoryStore();
await store.write({ samples: data.series });
const oursLoadMs = performance.now() - t1;
const app = createPrometheusApi({ store });
const server = await new Promise((resolve) => {
  const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
});
const ours = `http://127.0.0.1:${server.address().port}`;

const end = data.endMs / 1000;
const range = `&start=${end - 3600}&end=${end}&step=15`;
const rows = [];
try {
  for (const q of queries) {
    const path = `/api/v1/query_range?query=${encodeURIComponent(q)}${range}`;
    const p0 = await timed(prom.base + path);
    const o0 = await timed(ours + path);
    const diff = diffAnswers(q, p0.answer, o0.answer, true);
    const series = p0.answer.body.data?.result?.length ?? 0;
    const pm = [];
    const om = [];
    // Alternate sides so that background load hits both alike.
    for (let i = 0; i < runs; i++) {
      pm.push((await timed(prom.base + path)).ms);
      om.push((await timed(ours + path)).ms);
    }
    rows.push({ q, series, agree: diff === undefined, prom: stats(pm), ours: stats(om) });
    if (diff) console.error(`answers differ for ${q}:\n${diff}`);
  }
} finally {
  server.close();
  await prom.stop();
}

const f = (x) => x.toFixed(1).padStart(8);
console.log(
  `\n${new Date().toISOString()} · ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'} · node ${process.version} · ${prom.version}`,
);
console.log(
  `${services.length} services, ${data.series.length} series, ${data.sampleCount} samples over ${values.hours} h; loading: Prometheus ${(promLoadMs / 1000).toFixed(1)} s (promtool blocks + start), ours ${(oursLoadMs / 1000).toFixed(1)} s (memory store write)`,
);
console.log(
  `range queries over 1 h at 15 s step (241 points); ${runs} runs each; ms: min / median / p90\n`,
);
console.log(
  '| query | series | agree | Prometheus (ms) | ours (ms) | ours / Prometheus (median) |',
);
console.log('|---|---|---|---|---|---|');
for (const r of rows) {
  const ratio = r.ours.median / r.prom.median;
  console.log(
    `| \`${r.q}\` | ${r.series} | ${r.agree ? 'yes' : 'NO'} | ${f(r.prom.min)} /${f(r.prom.median)} /${f(r.prom.p90)} | ${f(r.ours.min)} /${f(r.ours.median)} /${f(r.ours.p90)} | ${ratio.toFixed(2)}× |`,
  );
}
