// How long store.write holds the event loop in one turn (issue 4: reads
// during ingest wait behind it). Decoded shop-like 512-span requests are
// merged into groups (as the write queue's group commit does) and written
// one after another into a durable store in a temporary directory, with a
// short pause between writes; a 1 ms timer and monitorEventLoopDelay measure
// how late the loop runs meanwhile. In process, no HTTP: the write path only.
//
//   node dist/bench/write-turns.js [--group 1024] [--writes 150] [--pause-ms 5]
//
// Prints one JSON line: loop delay p50 / p99 / max (ms), the same bounded by
// the main thread's CPU (bench/loop-cpu.ts), the number of timer gaps over 5
// and 15 ms, CPU per span (all threads) and the load average.

import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

import type { Span } from '../src/model/telemetry';
import { decodeRequest } from '../src/collector/otlp/decode';
import { DEFAULT_LIMITS } from '../src/collector/otlp/limits';
import { createDuckDbStore } from '../src/store/duckdb';
import { meterLoopCpu } from './loop-cpu';
import { traceBatch } from './trace-search.shop';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      group: { type: 'string', default: '1024' },
      writes: { type: 'string', default: '150' },
      'pause-ms': { type: 'string', default: '5' },
    },
  });
  const group = Math.max(512, Number(values.group));
  const writes = Math.max(1, Number(values.writes));
  const pauseMs = Math.max(0, Number(values['pause-ms']));
  const perGroup = Math.round(group / 512);
  const run = Date.now() % 2 ** 31;
  let next = 0;
  const encode = (): Uint8Array => {
    const b = traceBatch(run, next, 64, () => Date.now());
    next += 64;
    return b.body;
  };
  const decoded = (body: Uint8Array): readonly Span[] =>
    decodeRequest('traces', 'protobuf', body, DEFAULT_LIMITS).batch.spans ?? [];
  // Encoded beforehand: encoding is the clients' work, decoding the receiver's.
  const bodies = Array.from({ length: writes * perGroup }, encode);
  const dir = mkdtempSync(path.join(tmpdir(), 'otel-lab-write-turns-'));
  const store = await createDuckDbStore({ dataDir: dir });
  try {
    // Warm-up: JIT and the catalog's first resources.
    for (let i = 0; i < 5; i++) await store.write({ spans: decoded(encode()) });
    const h = monitorEventLoopDelay({ resolution: 1 });
    const gaps: number[] = [];
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      gaps.push(now - last - 1);
      last = now;
    }, 1);
    h.enable();
    const meter = meterLoopCpu(1);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    let spans = 0;
    for (let w = 0; w < writes; w++) {
      const batch: Span[] = [];
      // Decoding is the receivers' work, one request per turn, not the write's.
      for (let r = 0; r < perGroup; r++) {
        for (const s of decoded(bodies[w * perGroup + r]!)) batch.push(s);
        await sleep(0);
      }
      await sleep(pauseMs);
      await store.write({ spans: batch });
      spans += batch.length;
    }
    const wallS = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(c0);
    h.disable();
    clearInterval(timer);
    const cpuDelays = (meter?.delays() ?? []).sort((a, b) => a - b);
    meter?.stop();
    const at = (q: number): number =>
      Number(
        (cpuDelays[Math.min(cpuDelays.length - 1, Math.floor(q * cpuDelays.length))] ?? 0).toFixed(
          2,
        ),
      );
    const ms = (ns: number): number => Math.round(ns / 1e4) / 100;
    console.log(
      JSON.stringify({
        group,
        writes,
        // monitorEventLoopDelay's values include its 1 ms resolution.
        loopDelayMs: { p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max) },
        // Lateness bounded by the main thread's CPU (bench/loop-cpu.ts): not inflated by preemption.
        cpuLateMs: { p50: at(0.5), p99: at(0.99), p999: at(0.999), max: at(1) },
        gapsOver5ms: gaps.filter((g) => g > 5).length,
        gapsOver15ms: gaps.filter((g) => g > 15).length,
        cpuUsPerSpan: Number(((cpu.user + cpu.system) / spans).toFixed(2)),
        spansPerSecond: Math.round(spans / wallS),
        loadAverage: Number(loadavg()[0]!.toFixed(1)),
      }),
    );
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
