// JS cost of one store.write per span, the part that competes with decode
// for the event loop: decoded shop-like batches (the ingest benchmark's
// payload) written into an in-memory DuckDB store with one thread, fastest
// of several rounds (min filters out a shared machine's noise).
//
//   node dist/bench/store-write-cpu.js [rounds=8] [spansPerWrite=20480] [file]
//
// With `file`, a file store in a temporary directory (threads 2, the
// default): WAL writes, fsyncs and checkpoints then count too, and the CPU of
// all threads per span is printed beside the wall time. `cpuUsPerSpanMin` is
// the least CPU (all threads) one write took per span: on a shared machine
// the steadiest number here (wall time includes waiting for a core).

import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';

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
      const d = decodeRequest(
        'traces',
        'protobuf',
        tracePayload(512, b * 1000 + r + 1),
        DEFAULT_LIMITS,
      );
      for (const s of d.batch.spans ?? []) spans.push(s);
    }
    batches.push(spans);
  }
  const dir =
    process.argv[4] === 'file' ? mkdtempSync(path.join(tmpdir(), 'otel-lab-bench-')) : undefined;
  const store = await createDuckDbStore(
    dir === undefined ? { dataDir: ':memory:', threads: 1 } : { dataDir: dir },
  );
  const perSpanUs: number[] = [];
  const cpuPerSpanUs: number[] = [];
  const cpu0 = process.cpuUsage();
  let written = 0;
  for (let i = 0; i < rounds; i++) {
    const spans = batches[i % batches.length]!;
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    await store.write({ spans });
    const c = process.cpuUsage(c0);
    perSpanUs.push(((performance.now() - t0) * 1000) / spans.length);
    cpuPerSpanUs.push((c.user + c.system) / spans.length);
    written += spans.length;
  }
  const cpu = process.cpuUsage(cpu0);
  await store.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  perSpanUs.sort((a, b) => a - b);
  console.log(
    JSON.stringify({
      benchmark: `store.write into ${dir === undefined ? ':memory: DuckDB (threads 1)' : 'a DuckDB file'}, ${batches[0]!.length} spans per write`,
      usPerSpanMin: Number(perSpanUs[0]!.toFixed(2)),
      usPerSpanMedian: Number(perSpanUs[Math.floor(perSpanUs.length / 2)]!.toFixed(2)),
      spansPerSecondAtMin: Math.round(1e6 / perSpanUs[0]!),
      cpuUsPerSpanAllThreads: Number(((cpu.user + cpu.system) / written).toFixed(2)),
      cpuUsPerSpanMin: Number(Math.min(...cpuPerSpanUs).toFixed(2)),
      loadAverage: Number(loadavg()[0]!.toFixed(1)),
    }),
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
