// Issue 4's "RSS that stays flat as the store grows past 10M spans": the
// backend's RSS as a function of the spans it stores, over a long load.
//
//   npm run build && node dist/bench/rss-growth.js [--spans 25000000] [--clients 4]
//     [--idle-seconds 60] [--memory-limit 512MB] [--backend-env 'MALLOC_ARENA_MAX=2']
//     [--node-args '--max-semi-space-size=2'] [--csv FILE] [--dir DIR] [--timeout S]
//
// `otel-lab serve` runs as users run it (no node flags, no preloaded probe,
// durable store in DIR or a temporary directory removed at the end; size and
// age retention set out of the way so the store keeps every span). Clients
// POST OTLP/HTTP protobuf batches of 512 new spans (`FreshPayload`: unique
// trace ids, time moving forward) flat out until --spans are acknowledged,
// then stay idle for --idle-seconds. Every second: spans acknowledged, the
// backend's VmRSS / RssAnon / RssFile and CPU from /proc, the database file
// and WAL sizes. The samples go to --csv; the summary is a table by million
// spans stored (mean and max RSS, ingest rate), the 5-10M and 10M-end bands
// and the idle tail. --backend-env sets variables in the backend's
// environment only (glibc malloc reads them at start). Loopback only.

import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DB_FILE_NAME } from '../src/store/duckdb/open';
import { FreshPayload } from './ingest-payload';
import {
  cpuSeconds,
  machineLine,
  post,
  sleep,
  startBackendProcess,
  watchdog,
} from './metrics-ingest.procs';

const SPANS_PER_BATCH = 512;
const SEED = 1_000_000;
const MiB = 2 ** 20;

interface Sample {
  readonly s: number;
  readonly spans: number;
  readonly rss: number;
  readonly anon: number;
  readonly file: number;
  readonly cpu: number;
  readonly db: number;
  readonly wal: number;
  readonly load: number;
}

function statusKiB(pid: number): { rss: number; anon: number; file: number } {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (f: string): number => Number(new RegExp(`${f}:\\s+(\\d+) kB`).exec(text)?.[1] ?? 0);
  return { rss: kib('VmRSS') * 1024, anon: kib('RssAnon') * 1024, file: kib('RssFile') * 1024 };
}

const sizeOf = (f: string): number => (existsSync(f) ? statSync(f).size : 0);
const mib = (b: number): number => Math.round(b / MiB);

/** Variables given as `A=1 B=2` (values without spaces). */
function parseEnv(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of text.split(' ').filter((p) => p !== '')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new Error(`--backend-env: '${pair}' is not NAME=VALUE`);
    env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return env;
}

function band(samples: readonly Sample[], lo: number, hi: number): string {
  const s = samples.filter((x) => x.spans >= lo && x.spans < hi);
  if (s.length === 0) return 'no samples';
  const rss = s.map((x) => x.rss);
  const mean = rss.reduce((a, b) => a + b, 0) / rss.length;
  return `mean ${mib(mean)} MiB, max ${mib(Math.max(...rss))} MiB, min ${mib(Math.min(...rss))} MiB (${s.length} samples)`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      spans: { type: 'string', default: '25000000' },
      clients: { type: 'string', default: '4' },
      'idle-seconds': { type: 'string', default: '60' },
      'memory-limit': { type: 'string' },
      'backend-env': { type: 'string', default: '' },
      'node-args': { type: 'string', default: '' },
      csv: { type: 'string' },
      dir: { type: 'string' },
      timeout: { type: 'string' },
    },
  });
  const target = Number(values.spans);
  const clients = Number(values.clients);
  const idleSeconds = Number(values['idle-seconds']);
  if (!(target > 0) || !(clients > 0) || !(idleSeconds >= 0)) throw new Error('bad arguments');
  const dir = values.dir ?? mkdtempSync(join(tmpdir(), 'otel-lab-rss-'));
  const cleanup = (): void => {
    if (values.dir === undefined) rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', cleanup);
  watchdog(Number(values.timeout ?? 300 + target / 20_000), cleanup);
  const dataDir = join(dir, 'data');
  const dbFile = join(dataDir, DB_FILE_NAME);

  console.log(machineLine());
  const backendEnv = parseEnv(values['backend-env']);
  const saved = { ...process.env };
  Object.assign(process.env, backendEnv);
  process.env['BENCH_BACKEND_NODE_ARGS'] = values['node-args'];
  const extra = ['--retention-size', '100TB', '--retention-age', '9999w'];
  if (values['memory-limit'] !== undefined) extra.push('--memory-limit', values['memory-limit']);
  const backend = await startBackendProcess(dataDir, extra);
  for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
  Object.assign(process.env, saved);
  const pid = backend.pid;
  console.log(
    `serve pid ${pid}, env ${JSON.stringify(backendEnv)}, node args '${values['node-args']}', ${extra.join(' ')}`,
  );

  const templates = Array.from({ length: 64 }, (_, i) => new FreshPayload(i + 1));
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  let acked = 0;
  let copies = 0;
  let refused = 0;
  const t0 = performance.now();
  const cpu0 = cpuSeconds(pid);
  const samples: Sample[] = [];
  const sample = (): void => {
    const st = statusKiB(pid);
    samples.push({
      s: Math.round((performance.now() - t0) / 100) / 10,
      spans: acked,
      ...st,
      cpu: cpuSeconds(pid) - cpu0,
      db: sizeOf(dbFile),
      wal: sizeOf(`${dbFile}.wal`),
      load: loadavg()[0]!,
    });
  };
  sample();
  const timer = setInterval(sample, 1000);
  let nextReport = 1_000_000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      // A refused batch (503) is not sent again: the load goes on with the next number.
      while (copies * SPANS_PER_BATCH < target) {
        const n = SEED + copies++;
        const r = await post(
          agent,
          backend.otlpPort,
          '/v1/traces',
          templates[n % templates.length]!.copy(n),
          {
            'Content-Type': 'application/x-protobuf',
          },
        );
        if (r.status === 200) acked += SPANS_PER_BATCH;
        else if (r.status === 503) {
          refused++;
          await sleep(50);
        } else throw new Error(`HTTP ${r.status}: ${r.body}`);
        if (acked >= nextReport) {
          const last = samples.at(-1)!;
          process.stderr.write(
            `${(acked / 1e6).toFixed(0)}M spans, ${last.s} s, RSS ${mib(last.rss)} MiB, load ${last.load.toFixed(1)}\n`,
          );
          nextReport += 1_000_000;
        }
      }
    }),
  );
  const loadEnd = samples.length;
  const loadSecs = (performance.now() - t0) / 1000;
  const loadCpu = cpuSeconds(pid) - cpu0;
  await sleep(idleSeconds * 1000);
  clearInterval(timer);
  sample();
  agent.destroy();
  const idle = samples.slice(loadEnd);
  await backend.stop();
  const closedBytes = sizeOf(dbFile) + sizeOf(`${dbFile}.wal`);

  if (values.csv !== undefined)
    writeFileSync(
      values.csv,
      'seconds,spans,rss_mib,anon_mib,file_mib,cpu_s,db_mib,wal_mib,load1\n' +
        samples
          .map((x) =>
            [
              x.s,
              x.spans,
              (x.rss / MiB).toFixed(1),
              (x.anon / MiB).toFixed(1),
              (x.file / MiB).toFixed(1),
              x.cpu.toFixed(1),
              (x.db / MiB).toFixed(1),
              (x.wal / MiB).toFixed(1),
              x.load.toFixed(2),
            ].join(','),
          )
          .join('\n') +
        '\n',
    );

  const loading = samples.slice(0, loadEnd);
  const rows = [
    '| spans stored (M) | seconds | spans/s in this million | RSS mean MiB | RSS max MiB | anon max | db + WAL MiB | load |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (let m = 0; m * 1e6 < acked; m++) {
    const s = loading.filter((x) => x.spans >= m * 1e6 && x.spans < (m + 1) * 1e6);
    if (s.length === 0) continue;
    const first = s[0]!;
    const last = s.at(-1)!;
    const rate = last.s > first.s ? (last.spans - first.spans) / (last.s - first.s) : NaN;
    const rss = s.map((x) => x.rss);
    rows.push(
      `| ${m}-${m + 1} | ${first.s.toFixed(0)} | ${Math.round(rate)} | ${mib(rss.reduce((a, b) => a + b, 0) / rss.length)} | ${mib(Math.max(...rss))} | ${mib(Math.max(...s.map((x) => x.anon)))} | ${mib(last.db + last.wal)} | ${last.load.toFixed(1)} |`,
    );
  }
  console.log(rows.join('\n'));
  const idleRss = idle.map((x) => x.rss);
  console.log(
    JSON.stringify(
      {
        spans: acked,
        refused503: refused,
        loadSeconds: Math.round(loadSecs),
        spansPerSecond: Math.round(acked / loadSecs),
        spansPerCpuSecond: Math.round(acked / loadCpu),
        rss5to10M: band(loading, 5e6, 10e6),
        rss10MtoEnd: band(loading, 10e6, Infinity),
        rssPeakMiB: mib(Math.max(...loading.map((x) => x.rss))),
        idle: {
          seconds: idleSeconds,
          rssMiBFirst: mib(idleRss[0] ?? 0),
          rssMiBLast: mib(idleRss.at(-1) ?? 0),
          rssMiBMin: mib(Math.min(...idleRss)),
        },
        bytesPerSpanOnDiskAfterClose: Math.round(closedBytes / acked),
        loadAverageEnd: loadavg().map((l) => Number(l.toFixed(2))),
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
