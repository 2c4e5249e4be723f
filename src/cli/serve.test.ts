// `otel-lab serve` in process: it says "ready" only once a SIGTERM would be
// handled. Whoever waits for that text (a supervisor, a test) may signal at
// once, and a process preempted between the text and its handlers died of
// the signal instead of closing the store (seen in CI, 2 in ~120 runs under
// load).

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { runServe } from './serve';

const root = mkdtempSync(path.join(tmpdir(), 'otel-lab-serve-'));
after(() => rmSync(root, { recursive: true, force: true }));

describe('otel-lab serve', () => {
  it('handles SIGTERM from the moment it prints ready, and closes with exit 0', async () => {
    const before = new Set(process.listeners('SIGTERM'));
    const beforeInt = new Set(process.listeners('SIGINT'));
    let handlersAtReady: number | undefined;
    const out: string[] = [];
    const write = process.stdout.write;
    process.stdout.write = ((chunk: string | Uint8Array): boolean => {
      const text = String(chunk);
      if (text.includes('otel-lab serve: ready'))
        handlersAtReady = process.listeners('SIGTERM').filter((l) => !before.has(l)).length;
      out.push(text);
      return true;
    }) as typeof process.stdout.write;
    let exit: Promise<number>;
    try {
      exit = runServe(
        [
          '--in-memory',
          ...['--http-port', '0', '--otlp-http-port', '0', '--otlp-grpc-port', '0'],
          ...['--flags-file', path.join(root, 'flags.json')],
        ],
        { HOME: root },
      );
      const deadline = Date.now() + 30_000;
      while (handlersAtReady === undefined && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 10));
    } finally {
      process.stdout.write = write;
    }
    // What a signal would run: serve's own handler, not the test runner's.
    const mine = process.listeners('SIGTERM').filter((l) => !before.has(l));
    try {
      assert.equal(mine.length, 1, `serve's SIGTERM handlers:\n${out.join('')}`);
      (mine[0] as (signal: NodeJS.Signals) => void)('SIGTERM');
      assert.equal(await exit!, 0);
    } finally {
      for (const l of process.listeners('SIGINT'))
        if (!beforeInt.has(l)) process.removeListener('SIGINT', l);
      for (const l of process.listeners('SIGTERM'))
        if (!before.has(l)) process.removeListener('SIGTERM', l);
    }
    assert.equal(handlersAtReady, 1, `SIGTERM handlers when ready was printed:\n${out.join('')}`);
  });
});
