// `otel-lab compact` as a user runs it: exit codes and what it prints.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { bulkySpans, traceIdOf } from '../store/testing';
import { createDuckDbStore } from '../store/duckdb';
import { runCompact } from './compact';
import type { CliIo } from './io';
import { EXIT_CONFIG, EXIT_OK, EXIT_USAGE } from './io';

const root = mkdtempSync(path.join(tmpdir(), 'otel-lab-compact-cli-'));
after(() => rmSync(root, { recursive: true, force: true }));

function capture(env: NodeJS.ProcessEnv = {}): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { out: (t) => stdout.push(t), err: (t) => stderr.push(t), env, stdout, stderr };
}

describe('otel-lab compact', () => {
  it('compacts the store of OTEL_LAB_HOME and says what it kept', async () => {
    const home = path.join(root, 'home');
    const store = await createDuckDbStore({ dataDir: path.join(home, 'data'), threads: 1 });
    await store.write({ spans: bulkySpans(0, 1, 250) });
    await store.close();
    const io = capture({ OTEL_LAB_HOME: home });
    assert.equal(await runCompact([], io), EXIT_OK, io.stderr.join(''));
    assert.match(
      io.stdout.join(''),
      /^otel-lab compact: .*home\/data\/otel-lab\.duckdb: [\d.]+ MiB -> [\d.]+ MiB \(250 spans kept, [\d.]+ s\)\n$/,
    );
    const reopened = await createDuckDbStore({ dataDir: path.join(home, 'data'), threads: 1 });
    try {
      assert.equal((await reopened.getTrace(traceIdOf(250))).length, 1);
    } finally {
      await reopened.close();
    }
  });

  it('exits 78 naming the path when there is no store, and creates none', async () => {
    const dataDir = path.join(root, 'nothing-here');
    const io = capture();
    assert.equal(await runCompact(['--data-dir', dataDir], io), EXIT_CONFIG);
    assert.match(io.stderr.join(''), /no store to compact at .*nothing-here\/otel-lab\.duckdb/);
    assert.equal(existsSync(dataDir), false);
  });

  it('exits 2 with the usage on an unknown option', async () => {
    const io = capture();
    assert.equal(await runCompact(['--bogus'], io), EXIT_USAGE);
    assert.match(io.stderr.join(''), /Unknown option '--bogus'[\s\S]*usage: otel-lab compact/);
  });
});
