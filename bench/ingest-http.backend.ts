// The backend under `bench/ingest-http.ts --backend process`: `otel-lab serve`
// as a child (span metrics and all, as users run it), its CPU and RSS read
// from /proc, so the clients' CPU is not counted against it.

import { mkdtempSync, rmSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  cpuSeconds,
  freePort,
  repoRoot,
  rssMiB,
  serveArgsFromEnv,
  stopChild,
  trackChild,
} from './metrics-ingest.procs';

export interface ServeChild {
  readonly pid: number;
  readonly otlpPort: number;
  cpuSeconds(): number;
  rssBytes(): number;
  stop(): Promise<void>;
}

/**
 * Starts `node [nodeArgs] <mainJs> serve` on free loopback ports with a fresh
 * data directory (removed on stop); `mainJs` lets one build's bench drive
 * another build's backend (A/B runs).
 */
export async function startServeChild(
  mainJs = join(repoRoot, 'dist', 'src', 'cli', 'main.js'),
  nodeArgs: readonly string[] = [],
): Promise<ServeChild> {
  const dir = mkdtempSync(join(tmpdir(), 'otel-lab-bench-serve-'));
  // However the bench ends (a failed check exits early), the data goes with it.
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const [http, otlp, grpc] = [await freePort(), await freePort(), await freePort()];
  const child = trackChild(
    spawn(
      process.execPath,
      [
        ...nodeArgs,
        mainJs,
        'serve',
        '--http-port',
        String(http),
        '--otlp-http-port',
        String(otlp),
        '--otlp-grpc-port',
        String(grpc),
        '--data-dir',
        join(dir, 'data'),
        ...serveArgsFromEnv(),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, OTEL_LAB_HOME: dir } },
    ),
  );
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const deadline = Date.now() + 60_000;
  while (!out.includes('ready')) {
    const failed =
      child.exitCode !== null
        ? `otel-lab serve exited ${child.exitCode}`
        : Date.now() > deadline
          ? 'otel-lab serve not ready after 60 s'
          : '';
    if (failed !== '') {
      await stopChild(child, 1000);
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`${failed}:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const pid = child.pid as number;
  return {
    pid,
    otlpPort: otlp,
    cpuSeconds: () => cpuSeconds(pid),
    rssBytes: () => rssMiB(pid) * 1048576,
    stop: async () => {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
