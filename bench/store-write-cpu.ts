// JS cost of one store.write per span, the part that competes with decode
// for the event loop: decoded shop-like batches (the ingest benchmark's
// payload) written into an in-memory DuckDB store with one thread, fastest
// of several rounds (min filters out a shared machine's noise).
//
//   node dist/bench/store-write-cpu.js [rounds=8] [spansPerWrite=20480]

import { loadavg } from 'node:os';

import type { Span } from '../src/model/telemetry';
import { decodeRequest } from '../src/collector/otlp/decode';
import { DEFAULT_LIMITS } from '../src/collector/otlp/limits';
import { createDuckDbStore } from '../src/store/duckdb';
import { tracePayload } from './ingest-payload';

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 8);
  const perWrite = Number(process.argv[3] ?? 20_480);
  const requests = Math.max(1, Math.round(perWrite / 512));
  const batches: Span[][] = [];
  for (let b = 0; b < 4; b++) {
    const spans: Span[] = [];
    for (let r = 0; r < requests; r++) {
      const d = decodeRequest('traces', 'protobuf', tracePayload(512, b * 1000 + r + 1), DEFAULT_LIMITS);
      for (const s of d.batch.spans ?? []) spans.push(s);
    }
    batches.push(spans);
  }
  const store = await createDuckDbStore({ dataDir: ':memory:', threads: 1 });
  const perSpanUs: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const spans = batches[i % batches.length]!;
    const t0 = performance.now();
    await store.write({ spans });
    perSpanUs.push(((performance.now() - t0) * 1000) / spans.length);
  }
  await store.close();
  perSpanUs.sort((a, b) => a - b);
  console.log(
    JSON.stringify({
      benchmark: `store.write into :memory: DuckDB (threads 1), ${batches[0]!.length} spans per write`,
      usPerSpanMin: Number(perSpanUs[0]!.toFixed(2)),
      usPerSpanMedian: Number(perSpanUs[Math.floor(perSpanUs.length / 2)]!.toFixed(2)),
      spansPerSecondAtMin: Math.round(1e6 / perSpanUs[0]!),
      loadAverage: Number(loadavg()[0]!.toFixed(1)),
    }),
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
