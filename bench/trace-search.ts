// Issue 5's trace search benchmark: a store holding 1M (or 10M) spans of
// shop-like traces, then Jaeger API reads timed one at a time over loopback:
// the search service + tag + min duration, limit 20 (goals: p50 < 50 ms,
// p99 < 200 ms) and trace by id (goal < 20 ms).
//
//   npm run build && node dist/bench/trace-search.js [--spans 1000000] [--runs 200] [--clients 4] [--timeout S]
//     [--memory-limit 512MB] [--probe-seconds 5] [--settle-seconds 30]
//   node dist/bench/trace-search.js --spans 10000000 --dir /var/tmp/ts10m     # keeps the store
//   node dist/bench/trace-search.js --spans 10000000 --dir /var/tmp/ts10m --skip-load
//   node dist/bench/trace-search.js --dir /var/tmp/ts10m --skip-load --whole-range
//
// --whole-range: after the HTTP reads, with the backend stopped, opens the
// store read-only in this process and times `searchTraces` without the
// recent-spans hint, so each search scans the whole range (what a backend
// pays before it knows where its newest spans are, and when the newest
// windows hold too few matches): several filters, a hash of each answer.
//
// Loading goes through `otel-lab serve` (OTLP/HTTP protobuf, 512-span batches,
// durable DuckDB store, the node flags `otel-lab start` gives it), trace
// start times spread over the 30 minutes before the load began. While it
// loads, bench/mem-probe.ts inside the backend samples RSS, V8 and DuckDB
// memory every --probe-seconds; the table of memory against spans stored is
// printed after the load and every sample kept in DIR/mem-probe.jsonl. The backend is then restarted on the same directory, so
// the reads see a store as reopened, not the writer's warm state, and the
// first runs are reported apart (cold). Without --dir the store lives in a
// temporary directory that is removed at the end. Loopback only.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  cpuSeconds,
  machineLine,
  percentile,
  post,
  sleep,
  startBackendProcess,
  type BackendProcess,
  watchdog,
  watchProcess,
} from './metrics-ingest.procs';
import { SEARCH, SPANS_PER_TRACE, searchPath, traceBatch, traceIdHex } from './trace-search.shop';
import { BACKEND_NODE_ARGS } from '../src/cli/start-plan';
import { createHash } from 'node:crypto';
import { DuckDBInstance } from '@duckdb/node-api';
import { Catalog } from '../src/store/duckdb/catalog';
import { DB_FILE_NAME, prepareConnection } from '../src/store/duckdb/open';
import { searchTraces } from '../src/store/duckdb/search';
import type { TraceQuery } from '../src/store/store';
import { readProbe } from './mem-probe';
import type { ProbeSample } from './mem-probe';

const TRACES_PER_BATCH = 64;
const WINDOW_MS = 30 * 60_000;
// 10M spans is over a GB: the default 2GB size retention must not trim the store mid-run.
// --memory-limit M adds serve's own option (DuckDB memory_limit; default 512MB).
const SERVE_ARGS = ['--retention-size', '100GB'];

interface LoadInfo {
  readonly run: number;
  readonly traces: number;
  readonly loadStartMs: number;
}

/** The backend as `otel-lab start` runs it, with the memory probe writing to `probeFile`. */
async function startProbedBackend(
  dataDir: string,
  probeFile: string,
  probeSeconds: number,
): Promise<BackendProcess> {
  const saved = process.env['BENCH_BACKEND_NODE_ARGS'];
  process.env['BENCH_BACKEND_NODE_ARGS'] = [
    ...BACKEND_NODE_ARGS,
    '--require',
    join(__dirname, 'mem-probe.js'),
    saved ?? '',
  ].join(' ');
  process.env['OTEL_LAB_MEM_PROBE'] = probeFile;
  process.env['OTEL_LAB_MEM_PROBE_MS'] = String(probeSeconds * 1000);
  try {
    return await startBackendProcess(dataDir, SERVE_ARGS);
  } finally {
    if (saved === undefined) delete process.env['BENCH_BACKEND_NODE_ARGS'];
    else process.env['BENCH_BACKEND_NODE_ARGS'] = saved;
    delete process.env['OTEL_LAB_MEM_PROBE'];
  }
}

const mib = (b: number): string => (b / 2 ** 20).toFixed(0);

/** Memory against spans acknowledged: about `rows` rows, evenly spaced in spans, plus the last. */
function memTable(
  samples: readonly ProbeSample[],
  acked: readonly [number, number][],
  rows = 16,
): string {
  const spansAt = (t: number): number => {
    let n = 0;
    for (const [at, done] of acked) if (at <= t) n = done;
    return n;
  };
  const total = acked.at(-1)?.[1] ?? 0;
  const lines = [
    '| spans stored | RSS MiB | anon | file | V8 heap used / total | external | DuckDB memory (duckdb_memory) | top DuckDB tags MiB | anon - V8 - DuckDB |',
    '|---:|---:|---:|---:|---:|---:|---:|---|---:|',
  ];
  let next = 0;
  samples.forEach((s, i) => {
    const n = spansAt(s.t);
    if (n < next && i !== samples.length - 1) return;
    next = n + total / rows;
    const tags = Object.entries(s.duckdb)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([k, v]) => `${k} ${mib(v)}`)
      .join(', ');
    const rest = s.rssAnon - s.heapTotal - s.external - s.duckdbTotal;
    lines.push(
      `| ${n.toLocaleString('en-US')} | ${mib(s.rss)} | ${mib(s.rssAnon)} | ${mib(s.rssFile)} | ${mib(s.heapUsed)} / ${mib(s.heapTotal)} | ${mib(s.external)} | ${mib(s.duckdbTotal)} | ${tags} | ${mib(rest)} |`,
    );
  });
  return lines.join('\n');
}

async function load(
  dir: string,
  spans: number,
  clients: number,
  probeSeconds: number,
  settleSeconds: number,
): Promise<LoadInfo & { rate: number }> {
  const dataDir = join(dir, 'data');
  const probeFile = join(dir, 'mem-probe.jsonl');
  rmSync(probeFile, { force: true });
  const run = Date.now() % 2 ** 31;
  const traces = Math.ceil(spans / SPANS_PER_TRACE);
  const loadStartMs = Date.now();
  const at = (n: number): number => loadStartMs - WINDOW_MS + Math.floor((n / traces) * WINDOW_MS);
  const backend = await startProbedBackend(dataDir, probeFile, probeSeconds);
  const acked: [number, number][] = [];
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  let next = 0;
  let done = 0;
  const t0 = performance.now();
  const usage = watchProcess(backend.pid);
  const progress = setInterval(() => {
    acked.push([Date.now(), done]);
    const last = readProbe(probeFile).at(-1);
    process.stderr.write(
      `\rloaded ${done} spans, ${((performance.now() - t0) / 1000).toFixed(0)} s, backend RSS ${last ? mib(last.rss) : '?'} MiB   `,
    );
  }, 1000);
  try {
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (next < traces) {
          const first = next;
          const count = Math.min(TRACES_PER_BATCH, traces - first);
          next += count;
          const b = traceBatch(run, first, count, at);
          for (;;) {
            const res = await post(agent, backend.otlpPort, '/v1/traces', b.body, {
              'Content-Type': 'application/x-protobuf',
            });
            if (res.status === 200) break;
            if (res.status !== 503)
              throw new Error(`load: HTTP ${res.status} ${res.body.slice(0, 300)}`);
            await sleep(50);
          }
          done += b.spans;
        }
      }),
    );
  } finally {
    clearInterval(progress);
    process.stderr.write('\n');
    agent.destroy();
  }
  const rate = done / ((performance.now() - t0) / 1000);
  acked.push([Date.now(), done]);
  const u = usage();
  console.error(
    `load: ${Math.round(rate)} spans/s, backend CPU ${u.cpuPercent.toFixed(0)} %, RSS peak ${u.rssPeakMiB.toFixed(0)} MiB; idle ${settleSeconds} s`,
  );
  // Idle after the load: does RSS come down once the writes stop?
  await sleep(settleSeconds * 1000);
  const samples = readProbe(probeFile);
  console.log(`\n## backend memory while loading · ${machineLine()}`);
  console.log(
    `${done} spans over OTLP/HTTP at ${Math.round(rate)} spans/s (${clients} clients x 512 spans), then ${settleSeconds} s idle (last row); sampled every ${probeSeconds} s in the backend (bench/mem-probe.ts); peak RSS ${u.rssPeakMiB.toFixed(0)} MiB\n`,
  );
  console.log(memTable(samples, acked));
  await backend.stop();
  return { run, traces, loadStartMs, rate };
}

interface JaegerTrace {
  readonly traceID: string;
}

async function timedGet(url: string): Promise<{ ms: number; n: number; data: JaegerTrace[] }> {
  const t0 = performance.now();
  const res = await fetch(url);
  const body = (await res.json()) as { data?: JaegerTrace[] };
  const ms = performance.now() - t0;
  if (res.status !== 200)
    throw new Error(`${url}: HTTP ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
  return { ms, n: body.data?.length ?? 0, data: body.data ?? [] };
}

/**
 * The search's right answer: the 20 most recent slow traces (trace n is slow
 * when n % 20 == 7, and later n start later). A fast wrong answer shows here.
 */
function expectedSearch(info: LoadInfo): Set<string> {
  const out = new Set<string>();
  for (let n = info.traces - 1; n >= 0 && out.size < Number(SEARCH.limit); n--)
    if (n % 20 === 7) out.add(traceIdHex(info.run, n));
  return out;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      spans: { type: 'string', default: '1000000' },
      runs: { type: 'string', default: '200' },
      clients: { type: 'string', default: '4' },
      dir: { type: 'string' },
      'skip-load': { type: 'boolean', default: false },
      timeout: { type: 'string' },
      'probe-seconds': { type: 'string', default: '5' },
      'settle-seconds': { type: 'string', default: '30' },
      'memory-limit': { type: 'string' },
      'whole-range': { type: 'boolean', default: false },
    },
  });
  if (values['memory-limit'] !== undefined)
    SERVE_ARGS.push('--memory-limit', values['memory-limit']);
  const runs = Math.max(5, Number(values.runs));
  const tmp =
    values.dir === undefined ? mkdtempSync(join(tmpdir(), 'otel-lab-trace-search-')) : undefined;
  const dir = values.dir !== undefined ? resolve(values.dir) : (tmp as string);
  const dataDir = join(dir, 'data');
  const infoFile = join(dir, 'trace-search.json');
  // Default bound: 10 min plus the load at a slow 5,000 spans/s.
  const spans = values['skip-load'] ? 0 : Number(values.spans);
  watchdog(Number(values.timeout ?? 600 + spans / 5000), () => {
    if (tmp !== undefined) rmSync(tmp, { recursive: true, force: true });
  });
  try {
    let info: LoadInfo;
    let loadRate: number | undefined;
    if (values['skip-load']) {
      if (!existsSync(infoFile))
        throw new Error(`${infoFile} missing: load first (without --skip-load)`);
      info = JSON.parse(readFileSync(infoFile, 'utf8')) as LoadInfo;
    } else {
      mkdirSync(dir, { recursive: true });
      const loaded = await load(
        dir,
        Number(values.spans),
        Math.max(1, Number(values.clients)),
        Number(values['probe-seconds']),
        Number(values['settle-seconds']),
      );
      info = { run: loaded.run, traces: loaded.traces, loadStartMs: loaded.loadStartMs };
      loadRate = loaded.rate;
      writeFileSync(infoFile, JSON.stringify(info));
    }
    const diskMiB =
      Number(execFileSync('du', ['-sk', dataDir], { encoding: 'utf8' }).split('\t')[0]) / 1024;

    const backend = await startProbedBackend(dataDir, join(dir, 'mem-probe.reads.jsonl'), 5);
    try {
      const fromMs = info.loadStartMs - WINDOW_MS - 60_000;
      const search = `${backend.api}${searchPath(fromMs, Date.now() + 60_000)}`;
      const byId = (i: number): string =>
        `${backend.api}/jaeger/api/traces/${traceIdHex(info.run, (i * 104_729) % info.traces)}`;
      const cold = { search: 0, byId: 0 };
      const first = await timedGet(search);
      cold.search = first.ms;
      const want = expectedSearch(info);
      const right =
        first.data.length === want.size &&
        first.data.every((t) => want.has(t.traceID.padStart(32, '0')));
      cold.byId = (await timedGet(byId(0))).ms;
      const s: number[] = [];
      const b: number[] = [];
      let hits = Infinity;
      let misses = 0;
      const usage = watchProcess(backend.pid);
      for (let i = 1; i <= runs; i++) {
        const r = await timedGet(search);
        s.push(r.ms);
        hits = Math.min(hits, r.n);
        const t = await timedGet(byId(i));
        b.push(t.ms);
        if (t.n !== 1) misses++;
      }
      const u = usage();
      // By id alone, no search between: the backend's CPU per read (all its
      // threads, DuckDB's included) is what a busy machine does not blur.
      const cpu0 = cpuSeconds(backend.pid);
      const alone: number[] = [];
      for (let i = runs + 1; i <= 2 * runs; i++) {
        const t = await timedGet(byId(i));
        alone.push(t.ms);
        if (t.n !== 1) misses++;
      }
      const cpuPerRead = ((cpuSeconds(backend.pid) - cpu0) * 1000) / runs;
      const f = (x: number): string => x.toFixed(1);
      console.log(`\n## trace search · ${machineLine()}`);
      console.log(
        `${info.traces * SPANS_PER_TRACE} spans (${info.traces} traces of ${SPANS_PER_TRACE}) in a durable DuckDB store, ${f(diskMiB)} MiB on disk (${f((diskMiB * 2 ** 20) / (info.traces * SPANS_PER_TRACE))} B/span)${loadRate ? `; loaded over OTLP/HTTP at ${Math.round(loadRate)} spans/s` : ''}`,
      );
      console.log(
        `search ${JSON.stringify(SEARCH)}, 1 in 20 traces slow; ${runs} runs each after one cold run; backend RSS ${u.rssEndMiB.toFixed(0)} MiB\n`,
      );
      console.log('| read | cold ms | p50 ms | p99 ms | max ms | goal | met |');
      console.log('|---|---:|---:|---:|---:|---|---|');
      const p = (xs: number[], q: number): number => percentile(xs, q);
      console.log(
        `| search (returned ${hits} traces; the 20 most recent matches: ${right ? 'yes' : 'NO'}) | ${f(cold.search)} | ${f(p(s, 0.5))} | ${f(p(s, 0.99))} | ${f(Math.max(...s))} | p50 < 50, p99 < 200 | ${p(s, 0.5) < 50 && p(s, 0.99) < 200 ? 'yes' : 'no'} |`,
      );
      console.log(
        `| trace by id (${misses} not found) | ${f(cold.byId)} | ${f(p(b, 0.5))} | ${f(p(b, 0.99))} | ${f(Math.max(...b))} | < 20 | ${p(b, 0.99) < 20 ? 'yes (p99)' : p(b, 0.5) < 20 ? 'p50 only' : 'no'} |`,
      );
      console.log(
        `| trace by id alone, ${runs} more traces (backend CPU ${cpuPerRead.toFixed(2)} ms per read) | | ${f(p(alone, 0.5))} | ${f(p(alone, 0.99))} | ${f(Math.max(...alone))} | < 20 | ${p(alone, 0.99) < 20 ? 'yes (p99)' : p(alone, 0.5) < 20 ? 'p50 only' : 'no'} |`,
      );
    } finally {
      await backend.stop();
    }
    if (values['whole-range']) await wholeRange(join(dataDir, DB_FILE_NAME), runs);
  } finally {
    if (tmp !== undefined) rmSync(tmp, { recursive: true, force: true });
  }
}

const MS_100 = 100_000_000n;
const WHOLE_RANGE: Record<string, Omit<TraceQuery, 'range' | 'limit'>> = {
  'service + rpc.method + minDuration 100ms': {
    service: 'recommendation',
    attributes: { 'rpc.method': 'ListRecommendations' },
    minDuration: MS_100,
  },
  'service + resource attribute (service.version)': {
    service: 'recommendation',
    attributes: { 'service.version': '1.11.0' },
  },
  'service + minDuration, no tag': { service: 'recommendation', minDuration: MS_100 },
  'no service, one tag': { attributes: { 'rpc.method': 'ListRecommendations' } },
  '4 tags, the 4th a resource attribute': {
    service: 'recommendation',
    attributes: {
      'rpc.method': 'ListRecommendations',
      'rpc.service': 'oteldemo.RecommendationService',
      'rpc.system': 'grpc',
      'service.namespace': 'opentelemetry-demo',
    },
  },
  'a tag no span has': { service: 'recommendation', attributes: { 'rpc.method': 'Nope' } },
};

/** Whole-range recent-first searches in process, on the store as the backend left it. */
async function wholeRange(file: string, runs: number): Promise<void> {
  const db = await DuckDBInstance.create(file, {
    access_mode: 'READ_ONLY',
    threads: '2',
    memory_limit: '512MB',
  });
  const conn = await db.connect();
  try {
    await prepareConnection(conn);
    const catalog = new Catalog();
    await catalog.load(conn);
    const range = { start: -(1n << 63n), end: (1n << 63n) - 1n };
    const n = Math.min(runs, 21);
    console.log(`\n## whole-range search in process · ${machineLine()}`);
    console.log(`searchTraces without the recent-spans hint, limit 20, ${n} runs each\n`);
    console.log('| filter | traces | answer | p50 ms | max ms |');
    console.log('|---|---:|---|---:|---:|');
    for (const [name, f] of Object.entries(WHOLE_RANGE)) {
      const ms: number[] = [];
      let ids: string[] = [];
      for (let i = 0; i < n; i++) {
        const t0 = performance.now();
        const r = await searchTraces(conn, catalog, { range, limit: 20, ...f });
        ms.push(performance.now() - t0);
        ids = r.summaries.map((x) => x.traceId);
      }
      const answer = createHash('sha1').update(ids.join(',')).digest('hex').slice(0, 8);
      console.log(
        `| ${name} | ${ids.length} | ${answer} | ${percentile(ms, 0.5).toFixed(1)} | ${Math.max(...ms).toFixed(1)} |`,
      );
    }
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
