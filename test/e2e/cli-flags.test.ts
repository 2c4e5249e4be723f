// The `otel-lab flags` commands through the real binary: exit codes, stderr,
// and a file left byte-identical by a failed set.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';

const CLI = path.join(__dirname, '..', '..', 'src', 'cli', 'main.js');
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'otel-lab-flags-e2e-'));
after(() => fs.rmSync(home, { recursive: true, force: true }));

function otelLab(...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, OTEL_LAB_HOME: home };
  delete env['OTEL_LAB_FLAGS_FILE'];
  return spawnSync(process.execPath, [CLI, ...args], { env, encoding: 'utf8' });
}

describe('otel-lab flags (binary)', () => {
  it('sets a flag, lists it, and rejects unknown names with exit 2 and no change', () => {
    const set = otelLab('flags', 'set', 'recommendationServiceCacheFailure', 'on');
    assert.equal(set.status, 0, set.stderr);
    const file = path.join(home, 'flags.json');
    const before = fs.readFileSync(file);

    const badFlag = otelLab('flags', 'set', 'recommendationCacheFailure', 'on');
    assert.equal(badFlag.status, 2);
    assert.match(
      badFlag.stderr,
      /unknown flag "recommendationCacheFailure"; valid flags: .*recommendationServiceCacheFailure/,
    );
    const badVariant = otelLab('flags', 'set', 'recommendationServiceCacheFailure', 'yes');
    assert.equal(badVariant.status, 2);
    assert.match(badVariant.stderr, /valid variants: on, off/);
    assert.deepEqual(fs.readFileSync(file), before);

    const list = otelLab('flags', 'list');
    assert.equal(list.status, 0);
    assert.match(list.stdout, /recommendationServiceCacheFailure\s+on\s+on,off/);
  });

  it('prints help for every command with exit 0', () => {
    for (const args of [['--help'], ['flags', '--help'], ['start', '--help']]) {
      const r = otelLab(...args);
      assert.equal(r.status, 0, args.join(' '));
      assert.match(r.stdout, /^usage: otel-lab/);
    }
  });

  it('exits 2 on an unknown command', () => {
    const r = otelLab('launch');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /unknown command 'launch'/);
  });
});
