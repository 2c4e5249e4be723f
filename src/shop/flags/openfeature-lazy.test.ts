// Its own file (own process): it checks which modules a process has loaded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startFileFlags } from './openfeature';

const loaded = (pkg: string) => Object.keys(require.cache).some((f) => f.includes(pkg));

test('file flags load OpenFeature and the flagd provider on the first evaluation, not at start', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'otel-lab-flags-lazy-'));
  const file = path.join(dir, 'flags.json');
  fs.writeFileSync(
    file,
    JSON.stringify({
      flags: {
        cartServiceFailure: {
          state: 'ENABLED',
          variants: { on: true, off: false },
          defaultVariant: 'on',
        },
      },
    }),
  );
  const infos: string[] = [];
  const flags = await startFileFlags({
    file,
    logger: { info: (m) => infos.push(m), warn: () => undefined, error: () => undefined },
  });
  try {
    assert.equal(loaded('@openfeature/flagd-provider'), false);
    assert.equal(loaded('@openfeature/server-sdk'), false);
    // Concurrent first evaluations share one start of the provider.
    const first = await Promise.all([
      flags.bool('cartServiceFailure', false),
      flags.bool('cartServiceFailure', false),
    ]);
    assert.deepEqual(first, [true, true]);
    assert.equal(loaded('@openfeature/flagd-provider'), true);
    assert.equal(infos.filter((m) => m.startsWith('flags loaded from')).length, 1);
  } finally {
    await flags.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
