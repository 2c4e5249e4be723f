import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { UnknownVariantError } from '../shop/flags/file';
import { createFlagsService } from './flags-service';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'otel-lab-flags-svc-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

describe('createFlagsService', () => {
  it('lists the flags file in the API shape, creating it on first use', async () => {
    const svc = createFlagsService(path.join(root, 'a', 'flags.json'));
    const flags = await svc.list();
    assert.equal(flags.length, 12);
    assert.deepEqual(
      flags.find((f) => f.name === 'imageSlowLoad'),
      {
        name: 'imageSlowLoad',
        description: 'Frontend: product images arrive late (delay in milliseconds)',
        variants: { '10sec': 10000, '5sec': 5000, off: 0 },
        defaultVariant: 'off',
        state: 'ENABLED',
      },
    );
  });

  it('sets a variant in the file and returns the flag as it now is', async () => {
    const file = path.join(root, 'b', 'flags.json');
    const svc = createFlagsService(file);
    const flag = await svc.set('recommendationServiceCacheFailure', 'on');
    assert.equal(flag.defaultVariant, 'on');
    assert.match(fs.readFileSync(file, 'utf8'), /"defaultVariant": "on"/);
    await assert.rejects(
      svc.set('recommendationServiceCacheFailure', 'maybe'),
      UnknownVariantError,
    );
  });
});
