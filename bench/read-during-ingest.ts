// Issue 4's "reads during ingest": first the backend's span ingest capacity
// (concurrent clients posting 512-span OTLP/HTTP protobuf batches of shop-like
// traces as fast as it acknowledges them), then reads while ingesting at half
// that rate: trace by id and a Jaeger tag search (service + tag + min
// duration, limit 20), latency p50/p95/p99/max, idle first for comparison.
//
//   npm run build && node dist/bench/read-during-ingest.js [--clients 4] [--capacity-seconds 10] [--seconds 120] [--idle-seconds 10] [--pool 2500] [--pool-rate 100000] [--read-gap-ms 200] [--timeout 600] [--probe] [--rate N]
//
// --seconds: how long the reads during ingest last; 120 by default (~500
// reads of each kind, so the p99 is the fifth slowest, not the second: 30 s
// runs until session 6 gave p99 44.6-49.0 where 120 s gave 45.0-62.3).
//
// --rate: ingest N spans/s during the reads instead of half the measured
// capacity, so that A/B runs on a shared machine ingest the same load.
//
// --probe loads this file into the backend too (node --require), where it
// times, per phase, the store calls, each SQL statement, the event loop's
// delay and its stalls with what ran during them (decode, appender flushes,
// GC), and prints that after the latencies (`installProbe` below).
//
// The capacity phase sends a pool of distinct batches encoded beforehand
// (--pool, 512 spans each, ~160 KB); past its end it re-sends them (counted in
// the output: give a pool of capacity x seconds / 512 for no repeats). The
// pool's traces start as if sent at --pool-rate spans/s from the moment it is
// encoded (as an app's spans would; until 2026-11-26 18:00 they were stamped
// with the clock while encoding, which packed ~1M spans into ~3.5 s and made
// every search read most of them). The half-rate phase encodes fresh batches,
// stamped with the clock, as it goes.
//
// The backend is `otel-lab serve` (durable DuckDB store in a temporary
// directory), its own process. The reads come from another process (this
// script forked with --reader), one request at a time, so neither the
// ingest clients nor the backend's event loop delay the clock that times
// them. Loopback only; the backend and its directory are removed at the end.

import { fork } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, stat as fsStat } from 'node:fs';
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
import {
  SEARCH,
  SPANS_PER_TRACE,
  searchPath,
  traceBatch,
  type TraceBatch,
} from './trace-search.shop';
import * as duckdb from '@duckdb/node-api';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { writeFileSync } from 'node:fs';
import * as decode from '../src/collector/otlp/decode';
import { DuckDbStore } from '../src/store/duckdb/duckdb-store';
import { SearchedSpans } from '../src/store/duckdb/search';
import * as toJaeger from '../src/query/traces/to-jaeger';
import { Server as HttpServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { meterLoopCpu, threadCpuClock } from './loop-cpu';

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
    // Wall-clock ms, for the probe's wait before the backend's handler.
    const sent = (performance.timeOrigin + t0).toFixed(3);
    const res = await fetch(job.api + path, { headers: { [SENT_HEADER]: sent } });
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

// ---- --probe: runs inside the backend (loaded with --require) ----

const PROBE_ENV = 'OTEL_LAB_READ_PROBE_OUT';
/** When the reader sent a request (wall-clock ms with fractions). */
const SENT_HEADER = 'x-probe-sent-ms';
type Fn = (this: unknown, ...args: unknown[]) => unknown;
interface Stat {
  n: number;
  p50: number;
  p99: number;
  max: number;
  sumMs: number;
}
interface PhaseReport {
  readonly phase: string;
  /** monitorEventLoopDelay at a 5 ms resolution: each value includes the 5 ms. */
  readonly loopDelay: { p50: number; p99: number; max: number };
  /** Lateness of a 5 ms timer beyond its 5 ms, bounded by the main thread's CPU meanwhile (bench/loop-cpu.ts). */
  readonly loopDelayCpu?: { p50: number; p99: number; max: number; over5: number; over15: number };
  /** Event-loop stalls over 20 ms: count, total ms, and ms of each kind of work inside them. */
  readonly stalls: { n: number; ms: number; inside: Record<string, number> };
  /** Store reads over 50 ms: how many, and how many of them overlapped a COMMIT over 50 ms (a checkpoint) or a stall. */
  readonly slowReads: { n: number; duringCommit: number; duringStall: number };
  readonly timings: Record<string, Stat>;
}

function stat(xs: number[]): Stat {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number): number => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
  const r = (x: number): number => Math.round(x * 10) / 10;
  return {
    n: s.length,
    p50: r(at(0.5)),
    p99: r(at(0.99)),
    max: r(at(1)),
    sumMs: r(s.reduce((a, b) => a + b, 0)),
  };
}

/**
 * Wraps `obj[name]`, timing each call (awaited when it returns a promise).
 * With `outerOnly`, calls made from inside a timed call on the same object
 * are not timed again (runAndReadAll calls run).
 */
function timeCalls(
  obj: object,
  name: string,
  label: (args: unknown[]) => string,
  done: (what: string, t0: number, ms: number) => void,
  outerOnly?: WeakSet<object>,
): void {
  const target = obj as Record<string, Fn>;
  const orig = target[name];
  if (typeof orig !== 'function') throw new Error(`probe: no ${name} to time`);
  target[name] = function (this: unknown, ...args: unknown[]): unknown {
    const self = this as object;
    if (outerOnly?.has(self)) return orig.apply(this, args);
    outerOnly?.add(self);
    const t0 = performance.now();
    const end = (): void => {
      outerOnly?.delete(self);
      done(label(args), t0, performance.now() - t0);
    };
    const out = orig.apply(this, args);
    if (out instanceof Promise) return out.finally(end);
    end();
    return out;
  };
}

/** What the first line of a statement says (our .sql files start with a comment). */
const sqlLabel = (args: unknown[]): string => {
  const sql = typeof args[0] === 'string' ? args[0].trim() : '';
  const line = sql.split('\n', 1)[0] ?? '';
  return `sql ${line.replace(/^--\s*/, '').slice(0, 48)}`;
};

const overlap = ([a, am]: [number, number], [b, bm]: [number, number]): boolean =>
  a < b + bm && b < a + am;

/**
 * Per Jaeger request: from the reader's send to the 'request' event (the
 * socket, the backend's event loop and HTTP parsing), and from there to the
 * response's last byte handed to the kernel (the handler: store calls,
 * Jaeger conversion, JSON, the write).
 */
function timeHttp(record: (what: string, t0: number, ms: number) => void): void {
  const emit = HttpServer.prototype.emit;
  HttpServer.prototype.emit = function (this: HttpServer, event: string, ...args: unknown[]) {
    if (event === 'request') {
      const req = args[0] as IncomingMessage;
      const res = args[1] as ServerResponse;
      const url = req.url ?? '';
      const kind = url.startsWith('/jaeger/api/traces?')
        ? 'search'
        : url.startsWith('/jaeger/api/traces/')
          ? 'by id'
          : undefined;
      const sent = Number(req.headers[SENT_HEADER]);
      if (kind !== undefined) {
        const t0 = performance.now();
        if (Number.isFinite(sent))
          record(`http ${kind}: send to handler`, 0, performance.timeOrigin + t0 - sent);
        res.once('finish', () =>
          record(`http ${kind}: handler to finish`, t0, performance.now() - t0),
        );
      }
    }
    return emit.apply(this, [event, ...args] as Parameters<typeof emit>);
  } as typeof emit;
}

function installProbe(out: string): void {
  let phase = 'capacity';
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  let timings = new Map<string, number[]>();
  let work: [string, number, number][] = [];
  let slow: [number, number][] = [];
  let commits: [number, number][] = [];
  let stalls: [number, number][] = [];
  const record = (what: string, t0: number, ms: number): void => {
    if (what === 'sql COMMIT' && ms > 50) commits.push([t0, ms]);
    if (/^store (get|search)/.test(what) && ms > 50) slow.push([t0, ms]);
    const list = timings.get(what);
    if (list === undefined) timings.set(what, [ms]);
    else list.push(ms);
  };
  const sync = (what: string, t0: number, ms: number): void => {
    record(what, t0, ms);
    if (ms > 2) work.push([what, t0, ms]);
  };
  const conn = duckdb.DuckDBConnection.prototype;
  const inCall = new WeakSet<object>();
  for (const m of ['runAndReadAll', 'runAndReadUntil', 'run'])
    timeCalls(conn, m, sqlLabel, record, inCall);
  // Kept prepared statements (readPrepared: a search's candidate statement, and others).
  timeCalls(
    duckdb.DuckDBPreparedStatement.prototype,
    'run',
    () => 'sql kept prepared statement',
    record,
  );
  for (const m of ['write', 'getTrace', 'getTraces', 'searchTraces'])
    timeCalls(DuckDbStore.prototype, m, () => `store ${m}`, record);
  timeCalls(decode, 'decodeRequest', () => 'decode', sync);
  timeHttp(record);
  timeCalls(toJaeger, 'toJaegerTrace', () => 'jaeger toJaegerTrace (per trace)', record);
  const stringify = JSON.stringify;
  JSON.stringify = function (...args: Parameters<typeof JSON.stringify>): string {
    const t0 = performance.now();
    const out = stringify.apply(JSON, args);
    // Responses, not the small JSON the store and decoders make.
    if (out !== undefined && out.length > 16_384)
      record('JSON.stringify over 16 kB', t0, performance.now() - t0);
    return out;
  } as typeof JSON.stringify;
  // Searches whose getTraces found traces missing from the searched-spans cache.
  const take = SearchedSpans.prototype.take;
  SearchedSpans.prototype.take = function (this: SearchedSpans, ids: readonly string[]) {
    const out = take.call(this, ids);
    if (ids.length > 1 && out.missing.length > 0)
      record('getTraces cache misses (value: traces re-read)', 0, out.missing.length);
    return out;
  };
  timeCalls(duckdb.DuckDBAppender.prototype, 'flushSync', () => 'appender flush', sync);
  // The same sync calls in main-thread CPU time, which preemption does not inflate.
  const clock = threadCpuClock();
  if (clock !== undefined) {
    const cpuTimed = (obj: object, name: string, label: string): void => {
      const target = obj as Record<string, Fn>;
      const orig = target[name]!;
      target[name] = function (this: unknown, ...args: unknown[]): unknown {
        const c0 = clock.ms();
        try {
          return orig.apply(this, args);
        } finally {
          record(`${label} (cpu)`, 0, clock.ms() - c0);
        }
      };
    };
    cpuTimed(decode, 'decodeRequest', 'decode');
    cpuTimed(duckdb.DuckDBAppender.prototype, 'flushSync', 'appender flush');
  }
  const meter = meterLoopCpu(5);
  // libuv's threadpool (4 threads unless UV_THREADPOOL_SIZE) runs DuckDB's
  // async statements, zlib and fs: a read's statement queues there when
  // COMMITs and others hold every thread. An fs.stat every 20 ms takes a pool
  // thread for microseconds, so its latency is the loop's wait plus the
  // pool's queue.
  const statFile = process.execPath;
  setInterval(() => {
    const t0 = performance.now();
    fsStat(statFile, () => record('threadpool: fs.stat latency', t0, performance.now() - t0));
  }, 20).unref();
  new PerformanceObserver((list) => {
    // kind 1 is a scavenge (young generation), 4 a mark-compact.
    for (const e of list.getEntries()) {
      const kind = (e as unknown as { detail?: { kind?: number } }).detail?.kind;
      sync(kind === 1 ? 'gc scavenge' : 'gc other', e.startTime, e.duration);
    }
  }).observe({ entryTypes: ['gc'] });
  let last = performance.now();
  setInterval(() => {
    const now = performance.now();
    if (now - last > 30) stalls.push([last, now - last - 10]);
    last = now;
  }, 10).unref();
  process.on('SIGUSR2', () => {
    const inside: Record<string, number> = {};
    for (const [t0, ms] of stalls)
      for (const [what, w0, wms] of work)
        if (w0 < t0 + ms && w0 + wms > t0) inside[what] = Math.round((inside[what] ?? 0) + wms);
    const report: PhaseReport = {
      phase,
      loopDelay: { p50: h.percentile(50) / 1e6, p99: h.percentile(99) / 1e6, max: h.max / 1e6 },
      ...(meter === undefined ? {} : { loopDelayCpu: cpuDelays(meter.delays()) }),
      stalls: { n: stalls.length, ms: Math.round(stalls.reduce((a, [, ms]) => a + ms, 0)), inside },
      slowReads: {
        n: slow.length,
        duringCommit: slow.filter((r) => commits.some((c) => overlap(r, c))).length,
        duringStall: slow.filter((r) => stalls.some((c) => overlap(r, c))).length,
      },
      timings: Object.fromEntries([...timings].map(([k, v]) => [k, stat(v)])),
    };
    writeFileSync(`${out}.${phase}.json`, JSON.stringify(report));
    phase = phase === 'capacity' ? 'idle' : 'busy';
    timings = new Map();
    work = [];
    slow = [];
    commits = [];
    stalls = [];
    h.reset();
    meter?.reset();
  });
}

function cpuDelays(xs: number[]): NonNullable<PhaseReport['loopDelayCpu']> {
  const s = stat(xs);
  return {
    p50: s.p50,
    p99: s.p99,
    max: s.max,
    over5: xs.filter((x) => x > 5).length,
    over15: xs.filter((x) => x > 15).length,
  };
}

/** The probe's report of one phase as markdown lines. */
function probeReport(file: string): string[] {
  if (!existsSync(file)) return [`(no probe report ${file})`];
  const r = JSON.parse(readFileSync(file, 'utf8')) as PhaseReport;
  const lines = [
    `\n### backend, ${r.phase} phase (probe)`,
    `event loop delay (monitorEventLoopDelay, its 5 ms included) p50 ${r.loopDelay.p50.toFixed(1)} / p99 ${r.loopDelay.p99.toFixed(1)} / max ${r.loopDelay.max.toFixed(1)} ms; ${r.stalls.n} stalls over 20 ms, ${r.stalls.ms} ms in all; inside them: ${JSON.stringify(r.stalls.inside)}`,
    r.loopDelayCpu === undefined
      ? '(no main-thread CPU clock here)'
      : `event loop lateness, main-thread CPU only (5 ms timer): p50 ${r.loopDelayCpu.p50} / p99 ${r.loopDelayCpu.p99} / max ${r.loopDelayCpu.max} ms; ${r.loopDelayCpu.over5} ticks over 5 ms, ${r.loopDelayCpu.over15} over 15 ms`,
    `store reads over 50 ms: ${r.slowReads.n}, of which ${r.slowReads.duringCommit} overlapped a COMMIT over 50 ms and ${r.slowReads.duringStall} a stall\n`,
    '| what | n | p50 ms | p99 ms | max ms | total ms |',
    '|---|---:|---:|---:|---:|---:|',
  ];
  for (const [k, v] of Object.entries(r.timings).sort(([, a], [, b]) => b.sumMs - a.sumMs))
    lines.push(`| ${k} | ${v.n} | ${v.p50} | ${v.p99} | ${v.max} | ${v.sumMs} |`);
  return lines;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      reader: { type: 'boolean', default: false },
      clients: { type: 'string', default: '4' },
      'capacity-seconds': { type: 'string', default: '10' },
      seconds: { type: 'string', default: '120' },
      'idle-seconds': { type: 'string', default: '10' },
      pool: { type: 'string', default: '2500' },
      'pool-rate': { type: 'string', default: '100000' },
      'read-gap-ms': { type: 'string', default: '200' },
      timeout: { type: 'string', default: '600' },
      probe: { type: 'boolean', default: false },
      rate: { type: 'string' },
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

  const poolRate = Math.max(1, Number(values['pool-rate']));
  const poolBase = Date.now();
  const pooled = (): TraceBatch => {
    const first = next;
    next += TRACES_PER_BATCH;
    return traceBatch(run, first, TRACES_PER_BATCH, (n) =>
      Math.floor(poolBase + (n * SPANS_PER_TRACE * 1000) / poolRate),
    );
  };
  const g0 = performance.now();
  const pool = Array.from({ length: Math.max(1, Number(values.pool)) }, pooled);
  console.error(
    `encoded ${pool.length} batches of 512 spans in ${((performance.now() - g0) / 1000).toFixed(1)} s`,
  );

  const dir = mkdtempSync(join(tmpdir(), 'otel-lab-read-during-ingest-'));
  watchdog(Number(values.timeout), () => rmSync(dir, { recursive: true, force: true }));
  const probeOut = join(dir, 'probe');
  if (values.probe) {
    const args = process.env['BENCH_BACKEND_NODE_ARGS'] ?? '';
    process.env['BENCH_BACKEND_NODE_ARGS'] = `${args} --require ${__filename}`;
    process.env[PROBE_ENV] = probeOut;
  }
  const backend = await startBackendProcess(join(dir, 'data'));
  // The probe reports the phase that just ended when told.
  const phaseEnded = (): void => {
    if (values.probe) backend.child.kill('SIGUSR2');
  };
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
    phaseEnded();
    const idle = await runReader({
      api: backend.api,
      seconds: idleSeconds,
      traceIds: ids,
      fromMs,
      gapMs,
    });
    phaseEnded();

    // 3. Reads while fresh batches arrive at half the capacity, paced.
    const target = values.rate === undefined ? capacity / 2 : Math.max(512, Number(values.rate));
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
    phaseEnded();

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
    if (values.probe) {
      await sleep(500);
      for (const phase of ['idle', 'busy'])
        console.log(probeReport(`${probeOut}.${phase}.json`).join('\n'));
    }
  } finally {
    agent.destroy();
    await stopChild(backend.child);
    rmSync(dir, { recursive: true, force: true });
  }
}

// Run as a script: the benchmark. Preloaded into the backend by --probe: the probe.
if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
} else {
  const out = process.env[PROBE_ENV];
  if (out !== undefined) installProbe(out);
}
