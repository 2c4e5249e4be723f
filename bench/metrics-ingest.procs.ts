// Process plumbing shared by the metrics-ingest, read-during-ingest and
// trace-search benchmarks: free loopback ports, the backend (`otel-lab serve`)
// as a child process, CPU and RSS of a child read from /proc, keep-alive HTTP
// posts, percentiles and the machine line every result starts with.

import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import * as os from 'node:os';
import { join, resolve } from 'node:path';

/** The repository root, from dist/bench/ or bench/ (tsx). */
export const repoRoot = resolve(
  __dirname,
  __dirname.includes(`${join('dist', 'bench')}`) ? '../..' : '..',
);

export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => ok(port));
    });
  });
}

export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((ok) => child.once('exit', () => ok()));
}

/** Stops a child: SIGTERM, then SIGKILL after `graceMs`. */
export async function stopChild(child: ChildProcess, graceMs = 20_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited(child);
  clearTimeout(timer);
}

// Whatever ends this process, no child started here outlives it.
const children = new Set<ChildProcess>();
let hooked = false;
function track(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
  if (hooked) return;
  hooked = true;
  process.once('exit', () => {
    for (const c of children) c.kill('SIGKILL');
  });
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(s, () => {
      for (const c of children) c.kill('SIGKILL');
      process.exit(130);
    });
  }
}

export function trackChild(child: ChildProcess): ChildProcess {
  track(child);
  return child;
}

export interface BackendProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Query APIs: http://127.0.0.1:P */
  readonly api: string;
  /** OTLP/HTTP port. */
  readonly otlpPort: number;
  stop(): Promise<void>;
}

/** `node dist/src/cli/main.js serve` on free loopback ports, ready when it says so. */
/**
 * Extra `otel-lab serve` options for every bench that starts one, for A/B
 * runs of a setting: e.g. BENCH_SERVE_ARGS='--memory-limit 256MB'.
 */
export function serveArgsFromEnv(): string[] {
  return (process.env['BENCH_SERVE_ARGS'] ?? '').split(' ').filter((a) => a !== '');
}

export async function startBackendProcess(
  dataDir: string,
  extra: string[] = [],
): Promise<BackendProcess> {
  const [http, otlp, grpc] = [await freePort(), await freePort(), await freePort()];
  const child = trackChild(
    spawn(
      process.execPath,
      [
        // e.g. BENCH_BACKEND_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' to profile the backend.
        ...(process.env['BENCH_BACKEND_NODE_ARGS'] ?? '').split(' ').filter((a) => a !== ''),
        join(repoRoot, 'dist', 'src', 'cli', 'main.js'),
        'serve',
        '--http-port',
        String(http),
        '--otlp-http-port',
        String(otlp),
        '--otlp-grpc-port',
        String(grpc),
        '--data-dir',
        dataDir,
        ...extra,
        ...serveArgsFromEnv(),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, OTEL_LAB_HOME: dataDir } },
    ),
  );
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const deadline = Date.now() + 60_000;
  while (!out.includes('ready')) {
    if (child.exitCode !== null)
      throw new Error(`otel-lab serve exited ${child.exitCode}:\n${out}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`otel-lab serve not ready after 60 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    child,
    pid: child.pid as number,
    api: `http://127.0.0.1:${http}`,
    otlpPort: otlp,
    stop: () => stopChild(child),
  };
}

const CLK_TCK = 100;

/** User + system CPU seconds of a process and all its threads. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

export function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}

/** Samples a process's RSS every 250 ms; `end()` gives CPU % and RSS over the window. */
export function watchProcess(
  pid: number,
): () => { cpuPercent: number; rssEndMiB: number; rssPeakMiB: number } {
  const t0 = performance.now();
  const c0 = cpuSeconds(pid);
  let peak = rssMiB(pid);
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, rssMiB(pid));
    } catch {
      // gone; end() reports what was seen
    }
  }, 250);
  return () => {
    clearInterval(timer);
    const secs = (performance.now() - t0) / 1000;
    const rss = rssMiB(pid);
    return {
      cpuPercent: ((cpuSeconds(pid) - c0) / secs) * 100,
      rssEndMiB: rss,
      rssPeakMiB: Math.max(peak, rss),
    };
  };
}

export interface PostResult {
  readonly status: number;
  readonly body: string;
}

export function post(
  agent: Agent,
  port: number,
  path: string,
  body: Uint8Array,
  headers: Record<string, string>,
): Promise<PostResult> {
  return new Promise((ok, fail) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent,
        headers: { ...headers, 'Content-Length': body.length },
      },
      (res) => {
        let text = '';
        res.setEncoding('latin1');
        res.on('data', (d: string) => (text.length < 4096 ? (text += d) : undefined));
        res.on('end', () => ok({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', fail);
    req.end(body);
  });
}

/** Nearest-rank percentile of unsorted values. */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] as number;
}

/** Date, CPUs, node and the load average, for the head of every result. */
export function machineLine(): string {
  const cpus = os.cpus();
  const load = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');
  return `${new Date().toISOString()} · ${cpus.length} × ${cpus[0]?.model ?? '?'} · ${Math.round(os.totalmem() / 2 ** 30)} GiB · node ${process.version} · load average ${load}`;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Bounds a benchmark run: after `seconds` it says so, runs `cleanup` (e.g.
 * removing its temporary directory) and exits 1; the exit hook above kills
 * the children. The timer does not keep the process alive.
 */
export function watchdog(seconds: number, cleanup: () => void): void {
  const timer = setTimeout(() => {
    process.stderr.write(
      `\nbenchmark still running after ${seconds} s: stopping (raise --timeout)\n`,
    );
    try {
      cleanup();
    } finally {
      process.exit(1);
    }
  }, seconds * 1000);
  timer.unref();
}
