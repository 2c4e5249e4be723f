// A real Prometheus 2.x over a given sample set: OpenMetrics text, turned
// into TSDB blocks by promtool, served by a prometheus process on a free
// loopback port with no scrape targets. The caller must call stop(), which
// kills the process and removes the temporary directory; the process is
// also killed if this Node process exits first.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SeriesSamples } from '../../../src/model/telemetry';
import { toOpenMetrics } from './data';

export const prometheusBin = process.env['PROMETHEUS_BIN'] ?? '/usr/bin/prometheus';
export const promtoolBin = process.env['PROMTOOL_BIN'] ?? '/usr/bin/promtool';

const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export interface RealPrometheus {
  readonly base: string;
  readonly version: string;
  stop(): Promise<void>;
}

/** Undefined when both binaries are there, else what to do about it. */
export function missingPrometheus(): string | undefined {
  const missing = [prometheusBin, promtoolBin].filter((p) => !existsSync(p));
  if (missing.length === 0) return undefined;
  return `${missing.join(' and ')} not found: the differential PromQL suite needs a real Prometheus 2.x. Install it with \`apt-get install prometheus\` (Debian's 2.42, as CI does), or point PROMETHEUS_BIN and PROMTOOL_BIN at the binaries.`;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function waitReady(base: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`prometheus exited with ${child.exitCode}:\n${log()}`);
    try {
      if ((await fetch(`${base}/-/ready`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`prometheus not ready at ${base} after 30 s:\n${log()}`);
}

export async function startPrometheus(series: readonly SeriesSamples[]): Promise<RealPrometheus> {
  const missing = missingPrometheus();
  if (missing) throw new Error(missing);
  const dir = mkdtempSync(join(tmpdir(), 'otel-lab-prom-diff-'));
  let child: ChildProcess | undefined;
  // Also when this process dies of an uncaught error before stop().
  const killOnExit = (): void => {
    child?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  const forget = (): void => {
    process.removeListener('exit', killOnExit);
    for (const s of signals) process.removeListener(s, onSignal);
  };
  // A test runner's timeout or Ctrl-C ends this process by signal, which skips 'exit'.
  const onSignal = (signal: NodeJS.Signals): void => {
    killOnExit();
    forget();
    process.kill(process.pid, signal);
  };
  try {
    const om = join(dir, 'data.om');
    const tsdb = join(dir, 'tsdb');
    writeFileSync(om, toOpenMetrics(series));
    const made = spawnSync(promtoolBin, ['tsdb', 'create-blocks-from', 'openmetrics', om, tsdb], {
      encoding: 'utf8',
      maxBuffer: 16 * 1024 * 1024,
    });
    if (made.status !== 0)
      throw new Error(`promtool create-blocks-from failed:\n${made.stderr}${made.stdout}`);
    rmSync(om);
    // No scrape targets: the blocks are the only data.
    writeFileSync(join(dir, 'prometheus.yml'), 'global:\n  evaluation_interval: 1m\n');
    const version =
      spawnSync(prometheusBin, ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0] ?? '';
    process.once('exit', killOnExit);
    for (const s of signals) process.once(s, onSignal);
    let base = '';
    // freePort() closes its probe before prometheus binds: another process may take the port.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      base = `http://127.0.0.1:${port}`;
      let log = '';
      const started = spawn(
        prometheusBin,
        [
          `--config.file=${join(dir, 'prometheus.yml')}`,
          `--storage.tsdb.path=${tsdb}`,
          // Retention counts back from the newest block, not the wall clock; set anyway so
          // that a fixed past data set is never a candidate for deletion.
          '--storage.tsdb.retention.time=100y',
          `--web.listen-address=127.0.0.1:${port}`,
          '--log.level=warn',
        ],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      child = started;
      started.stderr?.on('data', (b: Buffer) => {
        log = (log + b.toString()).slice(-8000);
      });
      try {
        await waitReady(base, started, () => log);
        break;
      } catch (err) {
        if (attempt >= 3 || !log.includes('address already in use')) throw err;
        await exited(started);
      }
    }
    const running = child;
    return {
      base,
      version,
      async stop() {
        running.kill('SIGKILL');
        await exited(running);
        forget();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    if (child) {
      child.kill('SIGKILL');
      await exited(child);
      forget();
    }
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
