// A small PromQL range-query benchmark (not part of the tests): 300 span-metric
// series and one histogram over 24 hours at 15 s, queried at a 1 minute step
// like a Grafana panel. Run: npx tsx bench/promql.ts

import { rangeQuery } from '../src/query/promql/engine';
import { MemorySeriesSource } from '../src/query/promql/testfile';

const scrapes = 5760;
const source = new MemorySeriesSource();
for (let s = 0; s < 300; s++) {
  const samples = Array.from({ length: scrapes }, (_, i) => ({ t: i * 15_000, v: i * (s + 1) }));
  source.add(
    { __name__: 'calls_total', service_name: `svc${s % 12}`, span_name: `op${s}` },
    samples,
  );
}
for (let b = 0; b < 10; b++) {
  const le = b === 9 ? '+Inf' : String(2 ** b);
  source.add(
    { __name__: 'duration_milliseconds_bucket', le },
    Array.from({ length: scrapes }, (_, i) => ({ t: i * 15_000, v: i * (b + 1) })),
  );
}

const queries = [
  'sum by (service_name) (rate(calls_total[5m]))',
  'histogram_quantile(0.95, sum by (le) (rate(duration_milliseconds_bucket[5m])))',
  'max_over_time(sum(rate(calls_total[5m]))[30m:1m])',
];

async function main(): Promise<void> {
  for (const q of queries) {
    const started = process.hrtime.bigint();
    const r = await rangeQuery(source, q, 0, 86_400_000, 60_000);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const series = r.resultType === 'matrix' ? r.series.length : 0;
    console.log(`${ms.toFixed(0).padStart(6)} ms  ${series} series  ${q}`);
  }
}

void main();
