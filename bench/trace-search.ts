// Issue 5's trace search benchmark: a store holding 1M (or 10M) spans of
// shop-like traces, then Jaeger API reads timed one at a time over loopback:
// the search service + tag + min duration, limit 20 (goals: p50 < 50 ms,
// p99 < 200 ms) and trace by id (goal < 20 ms).
//
//   npm run build && node dist/bench/trace-search.js [--spans 1000000] [--runs 200] [--clients 4] [--timeout S]
//   node dist/bench/trace-search.js --spans 10000000 --dir /var/tmp/ts10m     # keeps the store
//   node dist/bench/trace-search.js --spans 10000000 --dir /var/tmp/ts10m --skip-load
//
// Loading goes through `otel-lab serve` (OTLP/HTTP protobuf, 512-span batches,
// durable DuckDB store), trace start times spread over the 30 minutes before
// the load began. The backend is then restarted on the same directory, so
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
  machineLine,
  percentile,
  post,
  sleep,
  startBackendProcess,
  watchdog,
  watchProcess,
} from './metrics-ingest.procs';
import { SEARCH, SPANS_PER_TRACE, searchPath, traceBatch, traceIdHex } from './trace-search.shop';

const TRACES_PER_BATCH = 64;
const WINDOW_MS = 30 * 60_000;
// 10M spans is over a GB: the default 2GB size retention must not trim the store mid-run.
const SERVE_ARGS = ['--retention-size', '100GB'];

interface LoadInfo {
  readonly run: number;
  readonly traces: number;
  readonly loadStartMs: number;
}

async function load(
  dataDir: string,
  spans: number,
  clients: number,
): Promise<LoadInfo & { rate: number }> {
  const run = Date.now() % 2 ** 31;
  const traces = Math.ceil(spans / SPANS_PER_TRACE);
  const loadStartMs = Date.now();
  const at = (n: number): number => loadStartMs - WINDOW_MS + Math.floor((n / traces) * WINDOW_MS);
  const backend = await startBackendProcess(dataDir, SERVE_ARGS);
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  let next = 0;
  let done = 0;
  const t0 = performance.now();
  const usage = watchProcess(backend.pid);
  const progress = setInterval(
    () =>
      process.stderr.write(
        `\rloaded ${done} spans, ${((performance.now() - t0) / 1000).toFixed(0)} s   `,
      ),
    2000,
  );
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
  const u = usage();
  console.error(
    `load: ${Math.round(rate)} spans/s, backend CPU ${u.cpuPercent.toFixed(0)} %, RSS peak ${u.rssPeakMiB.toFixed(0)} MiB`,
  );
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
    },
  });
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
      const loaded = await load(dataDir, Number(values.spans), Math.max(1, Number(values.clients)));
      info = { run: loaded.run, traces: loaded.traces, loadStartMs: loaded.loadStartMs };
      loadRate = loaded.rate;
      writeFileSync(infoFile, JSON.stringify(info));
    }
    const diskMiB =
      Number(execFileSync('du', ['-sk', dataDir], { encoding: 'utf8' }).split('\t')[0]) / 1024;

    const backend = await startBackendProcess(dataDir, SERVE_ARGS);
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
    } finally {
      await backend.stop();
    }
  } finally {
    if (tmp !== undefined) rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
