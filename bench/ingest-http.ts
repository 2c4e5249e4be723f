// Ingest benchmark, issue 4's metrics in one command: concurrent clients POST
// OTLP/HTTP protobuf batches of 512 spans to the receiver, through the
// pipeline, into a store. Every request carries new traces (unique ids, time
// moving forward), so the store grows as it would under real traffic.
//
//   node dist/bench/ingest-http.js [--store duckdb|memory] [--dir DIR] [--seconds 10]
//     [--clients 4] [--decode-seconds 2] [--read-seconds 10] [--reads-per-second 20] [--read-load 0.5]
//     [--backend in-process|process] [--serve-js dist/src/cli/main.js] [--node-args='--cpu-prof --max-semi-space-size=32']
//
// Phases: (1) decode only, the ceiling; (2) ingest flat out for --seconds:
// spans/s acknowledged, CPU, RSS over time, bytes per span on disk; (3) ingest
// paced at half of (2)'s rate (--read-load; 0 for reads alone) for --read-seconds while a reader alternates
// trace-by-id and tag searches: their p50/p99. The clients run in this
// process (they cost CPU the server would otherwise have).
// `--backend process` sends to `otel-lab serve` in a child process instead
// (span metrics included, as users run it) and reports that process's CPU
// and RSS alone; phase 3 needs the store in this process, so it is skipped.

import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { startOtlpHttpReceiver } from '../src/collector/http/receiver';
import { decodeRequest } from '../src/collector/otlp/decode';
import { DEFAULT_LIMITS } from '../src/collector/otlp/limits';
import { IngestPipeline } from '../src/collector/pipeline';
import { DB_FILE_NAME, createDuckDbStore } from '../src/store/duckdb';
import { createMemoryStore } from '../src/store/memory';
import type { TelemetryStore } from '../src/store/store';
import { startServeChild } from './ingest-http.backend';
import type { ServeChild } from './ingest-http.backend';
import { FreshPayload } from './ingest-payload';

const SEED = 1_000_000;
const mib = (b: number): number => Math.round(b / 1048576);
const load = (): number => Number(loadavg()[0]!.toFixed(1));

function decodeOnly(payloads: readonly Buffer[], seconds: number): number {
  for (let i = 0; i < 200; i++)
    decodeRequest('traces', 'protobuf', payloads[i % payloads.length]!, DEFAULT_LIMITS);
  let spans = 0;
  const t0 = performance.now();
  for (let i = 0; performance.now() - t0 < seconds * 1000; i++)
    spans += decodeRequest(
      'traces',
      'protobuf',
      payloads[i % payloads.length]!,
      DEFAULT_LIMITS,
    ).accepted;
  return Math.round(spans / ((performance.now() - t0) / 1000));
}

function percentiles(ms: number[]): { n: number; p50: number; p99: number; max: number } {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number): number =>
    Number((s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0).toFixed(1));
  return { n: s.length, p50: at(0.5), p99: at(0.99), max: at(1) };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      store: { type: 'string', default: 'duckdb' },
      dir: { type: 'string' },
      seconds: { type: 'string', default: '10' },
      clients: { type: 'string', default: '4' },
      'decode-seconds': { type: 'string', default: '2' },
      'read-seconds': { type: 'string', default: '10' },
      'reads-per-second': { type: 'string', default: '20' },
      'read-load': { type: 'string', default: '0.5' },
      backend: { type: 'string', default: 'in-process' },
      'serve-js': { type: 'string' },
      'node-args': { type: 'string', default: '' },
    },
  });
  const seconds = Number(values.seconds);
  const clients = Number(values.clients);
  const child: ServeChild | undefined =
    values.backend === 'process'
      ? await startServeChild(
          values['serve-js'],
          values['node-args'].split(' ').filter((a) => a !== ''),
        )
      : undefined;
  if (child === undefined && values.backend !== 'in-process')
    throw new Error(`--backend ${values.backend}: in-process or process`);
  const readSeconds = child === undefined ? Number(values['read-seconds']) : 0;
  const readsPerSecond = Number(values['reads-per-second']);
  /** Ingest rate during the reads, as a fraction of the flat-out rate (0: reads alone, the baseline). */
  const readLoad = Number(values['read-load']);
  const loadBefore = load();

  const templates = Array.from({ length: 64 }, (_, i) => new FreshPayload(i + 1));
  const decodeRate = decodeOnly(
    templates.map((t, i) => t.copy(i + 1)),
    Number(values['decode-seconds']),
  );

  const dir =
    child === undefined && values.store === 'duckdb'
      ? (values.dir ?? mkdtempSync(join(tmpdir(), 'otel-lab-bench-')))
      : undefined;
  // A temporary store goes away however the run ends (a failed check exits early).
  if (values.dir === undefined && dir !== undefined)
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  const local =
    child === undefined
      ? await (async () => {
          const store: TelemetryStore =
            values.store === 'memory'
              ? createMemoryStore()
              : await createDuckDbStore({ dataDir: dir! });
          const pipeline = new IngestPipeline({ store });
          const rx = await startOtlpHttpReceiver({ port: 0, pipeline });
          return { store, pipeline, rx };
        })()
      : undefined;
  const port = child?.otlpPort ?? local!.rx.port;
  const cpuNow = (): number => {
    if (child !== undefined) return child.cpuSeconds();
    const c = process.cpuUsage();
    return (c.user + c.system) / 1e6;
  };
  const rssNow = (): number => child?.rssBytes() ?? process.memoryUsage().rss;
  const agent = new Agent({ keepAlive: true, maxSockets: clients });

  let copies = 0;
  const acked: number[] = []; // copy numbers acknowledged, most recent last
  let sent = 0;
  let refused = 0;
  const post = (body: Buffer): Promise<number> =>
    new Promise((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path: '/v1/traces',
          method: 'POST',
          agent,
          headers: { 'Content-Type': 'application/x-protobuf', 'Content-Length': body.length },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  /** `clients` loops posting new copies for `secs`; at most `rate` spans/s when given. */
  const ingest = async (secs: number, rate?: number): Promise<number> => {
    const t0 = Date.now();
    const sent0 = sent;
    let started = 0;
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (Date.now() - t0 < secs * 1000) {
          if (rate !== undefined) {
            const due = t0 + ((started * 512) / rate) * 1000;
            if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
          }
          started++;
          const n = SEED + copies++;
          const status = await post(templates[n % templates.length]!.copy(n));
          if (status === 200) {
            sent += 512;
            acked.push(n);
            if (acked.length > 4096) acked.splice(0, 2048);
          } else if (status === 503) {
            refused++;
            await new Promise((r) => setTimeout(r, 50));
          } else throw new Error(`unexpected HTTP ${status}`);
        }
      }),
    );
    return (sent - sent0) / ((Date.now() - t0) / 1000);
  };

  // Phase 2: flat out.
  const rss: number[] = [];
  const sampler = setInterval(() => rss.push(rssNow()), Math.max(200, (seconds * 1000) / 20));
  // This process's GC pauses (in-process backend only): the young generation's size shows here.
  let gcMs = 0;
  const gc = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcMs += e.duration;
  });
  gc.observe({ entryTypes: ['gc'] });
  const cpu0 = cpuNow();
  const t0 = performance.now();
  const rate = await ingest(seconds);
  const cpuSecs = cpuNow() - cpu0;
  const wall = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  gc.disconnect();

  // Phase 3: half the measured rate, with reads.
  const getTraceMs: number[] = [];
  const searchMs: number[] = [];
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  const store = local?.store;
  if (readSeconds > 0 && acked.length > 0 && store !== undefined) {
    loopDelay.enable();
    let stop = false;
    const reader = (async () => {
      for (let i = 0; !stop; i++) {
        const n =
          acked[acked.length - 1 - Math.floor(Math.random() * Math.min(acked.length, 1000))]!;
        const tpl = templates[n % templates.length]!;
        const r0 = performance.now();
        if (i % 2 === 0) {
          const head = tpl.traceHeads[i % tpl.traceHeads.length]!;
          const spans = await store.getTrace(FreshPayload.traceId(head, n));
          if (spans.length === 0) throw new Error(`acknowledged trace of copy ${n} not found`);
          getTraceMs.push(performance.now() - r0);
        } else {
          const end = 1_700_000_000_000_000_000n + BigInt(n + 1) * 1_000_000_000n;
          await store.searchTraces({
            range: { start: end - 300n * 1_000_000_000n, end },
            service: 'cart',
            attributes: { 'app.product.id': `OLJCESPC7Z${i % 10}` },
            limit: 20,
          });
          searchMs.push(performance.now() - r0);
        }
        await new Promise((r) => setTimeout(r, 1000 / readsPerSecond));
      }
    })();
    if (readLoad > 0) await ingest(readSeconds, rate * readLoad);
    else await new Promise((r) => setTimeout(r, readSeconds * 1000));
    stop = true;
    await reader;
    loopDelay.disable();
  }

  let storeSpans: number | null = null;
  let storeWrites: number | null = null;
  if (local !== undefined) {
    await local.rx.close();
    await local.pipeline.close();
    storeSpans = (await local.store.stats()).spans;
    storeWrites = local.pipeline.stats().storeWrites;
    await local.store.close();
  }
  await child?.stop();
  agent.destroy();
  const file = dir === undefined ? undefined : join(dir, DB_FILE_NAME);
  const fileBytes = file === undefined ? 0 : statSync(file).size;
  console.log(
    JSON.stringify(
      {
        benchmark:
          child === undefined
            ? `OTLP/HTTP protobuf ingest, ${clients} clients, 512 spans/request, ${values.store} store`
            : `OTLP/HTTP protobuf ingest, ${clients} clients, 512 spans/request, otel-lab serve in a child process (CPU and RSS are its own)`,
        serve:
          child === undefined
            ? null
            : { js: values['serve-js'] ?? 'this build', nodeArgs: values['node-args'] },
        decodeOnlySpansPerSecond: decodeRate,
        spansPerSecond: Math.round(rate),
        spansPerCpuSecond: Math.round((rate * wall) / cpuSecs),
        gcPauseUsPerSpan:
          child === undefined ? Number(((gcMs * 1000) / (rate * wall)).toFixed(2)) : null,
        cpuPercent: Math.round((cpuSecs / wall) * 100),
        rssMiB: {
          first: mib(rss[0] ?? 0),
          peak: mib(Math.max(...rss)),
          last: mib(rss.at(-1) ?? 0),
        },
        // Twenty samples over the flat-out run: flat once DuckDB's cache (memory_limit) is full?
        rssMiBOverTime: rss.map(mib).join(' '),
        storeSpans,
        bytesPerSpanOnDisk:
          storeSpans !== null && storeSpans > 0 && fileBytes > 0
            ? Math.round(fileBytes / storeSpans)
            : null,
        storeWrites,
        refused503: refused,
        readsDuringIngest:
          readSeconds > 0
            ? {
                ingestSpansPerSecond: Math.round(rate * readLoad),
                getTraceMs: percentiles(getTraceMs),
                tagSearchMs: percentiles(searchMs),
                eventLoopDelayMs: {
                  p50: Number((loopDelay.percentile(50) / 1e6).toFixed(1)),
                  p99: Number((loopDelay.percentile(99) / 1e6).toFixed(1)),
                  max: Number((loopDelay.max / 1e6).toFixed(1)),
                },
              }
            : null,
        loadAverage: { before: loadBefore, after: load() },
      },
      null,
      1,
    ),
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
