// Issue 4's "reads during ingest": first the backend's span ingest capacity
// (concurrent clients posting 512-span OTLP/HTTP protobuf batches of shop-like
// traces as fast as it acknowledges them), then reads while ingesting at half
// that rate: trace by id and a Jaeger tag search (service + tag + min
// duration, limit 20), latency p50/p95/p99/max, idle first for comparison.
//
//   npm run build && node dist/bench/read-during-ingest.js [--clients 4] [--capacity-seconds 10] [--seconds 30] [--idle-seconds 10] [--pool 2000] [--read-gap-ms 200] [--timeout 600]
//
// The capacity phase sends a pool of distinct batches encoded beforehand
// (--pool, 512 spans each, ~160 KB); past its end it re-sends them (counted in
// the output: give a pool of capacity x seconds / 512 for no repeats). The
// half-rate phase encodes fresh batches as it goes.
//
// The backend is `otel-lab serve` (durable DuckDB store in a temporary
// directory), its own process. The reads come from another process (this
// script forked with --reader), one request at a time, so neither the
// ingest clients nor the backend's event loop delay the clock that times
// them. Loopback only; the backend and its directory are removed at the end.

import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  machineLine,
  percentile,
  post,
  sleep,
  startBackendProcess,
  stopChild,
  trackChild,
  watchdog,
  watchProcess,
} from './metrics-ingest.procs';
import { SEARCH, searchPath, traceBatch, type TraceBatch } from './trace-search.shop';

const TRACES_PER_BATCH = 64; // 512 spans
const HEADERS = { 'Content-Type': 'application/x-protobuf' };

interface ReaderJob {
  readonly api: string;
  readonly seconds: number;
  readonly traceIds: string[];
  readonly fromMs: number;
  readonly gapMs: number;
}

interface ReaderResult {
  readonly byId: number[];
  readonly search: number[];
  readonly searchHits: number[];
  readonly errors: string[];
}

/** The reader process: alternates trace-by-id and search, one at a time. */
async function reader(job: ReaderJob): Promise<ReaderResult> {
  const out: ReaderResult = { byId: [], search: [], searchHits: [], errors: [] };
  const get = async (path: string): Promise<{ ms: number; data: unknown[] }> => {
    const t0 = performance.now();
    const res = await fetch(job.api + path);
    const body = (await res.json()) as { data?: unknown[] };
    const ms = performance.now() - t0;
    if (res.status !== 200)
      throw new Error(`${path}: HTTP ${res.status} ${JSON.stringify(body).slice(0, 200)}`);
    return { ms, data: body.data ?? [] };
  };
  const end = Date.now() + job.seconds * 1000;
  let i = 0;
  while (Date.now() < end) {
    try {
      const tid = job.traceIds[(i * 7919) % job.traceIds.length] as string;
      const a = await get(`/jaeger/api/traces/${tid}`);
      if (a.data.length !== 1) out.errors.push(`trace ${tid}: ${a.data.length} traces`);
      out.byId.push(a.ms);
      const b = await get(searchPath(job.fromMs, Date.now() + 3_600_000));
      out.search.push(b.ms);
      out.searchHits.push(b.data.length);
    } catch (e) {
      out.errors.push(String(e));
    }
    i++;
    // A pause so that the reads sample the ingest rather than compete with it
    // (a search costs the backend tens of ms of CPU).
    await sleep(job.gapMs);
  }
  return out;
}

function runReader(job: ReaderJob): Promise<ReaderResult> {
  const child = trackChild(
    fork(__filename, ['--reader'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
  );
  return new Promise((ok, fail) => {
    child.once('message', (m) => ok(m as ReaderResult));
    child.once('exit', (code) => fail(new Error(`reader exited ${code} without a result`)));
    child.send(job);
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      reader: { type: 'boolean', default: false },
      clients: { type: 'string', default: '4' },
      'capacity-seconds': { type: 'string', default: '10' },
      seconds: { type: 'string', default: '30' },
      'idle-seconds': { type: 'string', default: '10' },
      pool: { type: 'string', default: '2000' },
      'read-gap-ms': { type: 'string', default: '200' },
      timeout: { type: 'string', default: '600' },
    },
  });
  if (values.reader) {
    process.once('message', (job) => {
      void reader(job as ReaderJob).then((r) => process.send?.(r, () => process.exit(0)));
    });
    return;
  }
  const clients = Math.max(1, Number(values.clients));
  const capSeconds = Number(values['capacity-seconds']);
  const seconds = Number(values.seconds);
  const idleSeconds = Number(values['idle-seconds']);
  const gapMs = Math.max(0, Number(values['read-gap-ms']));
  const run = Date.now() % 2 ** 31;
  const fromMs = Date.now() - 60_000;
  let next = 0;
  const fresh = (): TraceBatch => {
    const first = next;
    next += TRACES_PER_BATCH;
    return traceBatch(run, first, TRACES_PER_BATCH, () => Date.now());
  };

  const g0 = performance.now();
  const pool = Array.from({ length: Math.max(1, Number(values.pool)) }, fresh);
  console.error(
    `encoded ${pool.length} batches of 512 spans in ${((performance.now() - g0) / 1000).toFixed(1)} s`,
  );

  const dir = mkdtempSync(join(tmpdir(), 'otel-lab-read-during-ingest-'));
  watchdog(Number(values.timeout), () => rmSync(dir, { recursive: true, force: true }));
  const backend = await startBackendProcess(join(dir, 'data'));
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const send = async (b: TraceBatch): Promise<boolean> => {
    const res = await post(agent, backend.otlpPort, '/v1/traces', b.body, HEADERS);
    if (res.status === 200) return true;
    if (res.status === 503) return false;
    throw new Error(`ingest: HTTP ${res.status} ${res.body.slice(0, 300)}`);
  };
  try {
    // 1. Capacity: every client sends back to back; the pool cycles if it runs out.
    let acked = 0;
    let refused = 0;
    let n = 0;
    const capWatch = watchProcess(backend.pid);
    const c0 = performance.now();
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (performance.now() - c0 < capSeconds * 1000) {
          const b = pool[n++ % pool.length] as TraceBatch;
          if (await send(b)) acked += b.spans;
          else {
            refused++;
            await sleep(50);
          }
        }
      }),
    );
    const capacity = acked / ((performance.now() - c0) / 1000);
    const capUsage = capWatch();
    const reused = Math.max(0, n - pool.length);
    console.error(
      `capacity: ${Math.round(capacity)} spans/s (${refused} refused, ${reused} batches re-sent)`,
    );
    const ids = pool.slice(0, Math.min(pool.length, n)).flatMap((b) => b.traceIds);

    // 2. Reads with no ingest.
    await sleep(2000);
    const idle = await runReader({
      api: backend.api,
      seconds: idleSeconds,
      traceIds: ids,
      fromMs,
      gapMs,
    });

    // 3. Reads while fresh batches arrive at half the capacity, paced.
    const target = capacity / 2;
    let sent = 0;
    let late = 0;
    const refusedBefore = refused;
    const busyWatch = watchProcess(backend.pid);
    const i0 = performance.now();
    const reads = runReader({ api: backend.api, seconds, traceIds: ids, fromMs, gapMs });
    const inflight = new Set<Promise<void>>();
    while (performance.now() - i0 < seconds * 1000) {
      const due = ((performance.now() - i0) / 1000) * target;
      if (sent + 512 > due) {
        await sleep(Math.max(1, ((sent + 512 - due) / target) * 1000));
        continue;
      }
      if (inflight.size >= clients) {
        late++;
        await Promise.race(inflight);
        continue;
      }
      const b = fresh();
      sent += b.spans;
      const p = send(b).then(
        (ok) => {
          if (!ok) refused++;
          inflight.delete(p);
        },
        (e: unknown) => {
          inflight.delete(p);
          throw e;
        },
      );
      inflight.add(p);
    }
    await Promise.all(inflight);
    const ingestSecs = (performance.now() - i0) / 1000;
    const busyUsage = busyWatch();
    const busy = await reads;

    // Issue 4's goal applies to the reads during ingest: p99 under 50 ms.
    const row = (what: string, ms: number[], goal: boolean): string =>
      `| ${what} | ${ms.length} | ${[0.5, 0.95, 0.99].map((q) => percentile(ms, q).toFixed(1)).join(' | ')} | ${Math.max(...ms).toFixed(1)} | ${goal ? (percentile(ms, 0.99) < 50 ? 'yes' : 'no') : ''} |`;
    console.log(`\n## reads during ingest · ${machineLine()}`);
    console.log(
      `capacity: **${Math.round(capacity)} spans/s** (${clients} clients, 512-span batches, ${capSeconds} s, ${refused} refused with 503, ${reused} batches re-sent from the pool; backend CPU ${capUsage.cpuPercent.toFixed(0)} %, RSS peak ${capUsage.rssPeakMiB.toFixed(0)} MiB)`,
    );
    console.log(
      `then ${Math.round(sent / ingestSecs)} spans/s for ${ingestSecs.toFixed(0)} s (target ${Math.round(target)}; ${refused - refusedBefore} refused; ${late} times all ${clients} clients were still waiting; backend CPU ${busyUsage.cpuPercent.toFixed(0)} %, RSS peak ${busyUsage.rssPeakMiB.toFixed(0)} MiB)`,
    );
    const hits = busy.searchHits.length ? Math.min(...busy.searchHits) : 0;
    console.log(
      `search: ${JSON.stringify(SEARCH)} over the whole run (traces returned: min ${hits}); reads from a separate process, one at a time, ${gapMs} ms apart\n`,
    );
    console.log('| read | n | p50 ms | p95 ms | p99 ms | max ms | p99 < 50 ms |');
    console.log('|---|---:|---:|---:|---:|---:|---|');
    console.log(row('trace by id, idle', idle.byId, false));
    console.log(row('trace by id, during ingest', busy.byId, true));
    console.log(row('search, idle', idle.search, false));
    console.log(row('search, during ingest', busy.search, true));
    const errors = [...idle.errors, ...busy.errors];
    if (errors.length) console.log(`\nread errors: ${errors.length}; first: ${errors[0]}`);
  } finally {
    agent.destroy();
    await stopChild(backend.child);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
