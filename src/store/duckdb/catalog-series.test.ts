import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';

import type { Labels } from '../../model/telemetry';
import type { MsRange } from '../store';
import { createDuckDbStore } from './index';

const root = mkdtempSync(path.join(tmpdir(), 'otel-lab-catalog-series-'));
after(() => rmSync(root, { recursive: true, force: true }));

const NS_PER_MS = 1_000_000n;
const ALL_TIME: MsRange = { minT: 0, maxT: 1e9 };
const byName = (name: string) => [{ name: '__name__', op: '=' as const, value: name }];

// The translator reuses one frozen label object per series across batches;
// the catalog remembers that object's id. These cases check the memory is
// never wrong: not after retention, not for objects that can still change.
describe('DuckDB catalog: series ids of reused label objects', () => {
  it('keeps one series for a frozen label object written again and again', async () => {
    const store = await createDuckDbStore({ dataDir: path.join(root, 'reuse'), threads: 1 });
    try {
      const labels: Labels = Object.freeze({ __name__: 'up', job: 'cart' });
      for (let t = 1000; t <= 3000; t += 1000)
        await store.write({ samples: [{ labels, samples: [{ t, v: t }] }] });
      const got = await store.selectSeries(byName('up'), ALL_TIME);
      assert.equal(got.length, 1);
      assert.deepEqual(
        got[0]?.samples.map((s) => s.t),
        [1000, 2000, 3000],
      );
    } finally {
      await store.close();
    }
  });

  it('finds a series again after retention deleted it and the same object comes back', async () => {
    const store = await createDuckDbStore({ dataDir: path.join(root, 'retention'), threads: 1 });
    try {
      const labels: Labels = Object.freeze({ __name__: 'up', job: 'cart' });
      // Twice: the second write finds the committed id and remembers it for the object.
      await store.write({ samples: [{ labels, samples: [{ t: 1000, v: 1 }] }] });
      await store.write({ samples: [{ labels, samples: [{ t: 2000, v: 1 }] }] });
      // Everything before 10 s goes: the series row with it.
      await store.applyRetention({ maxAge: 1n }, 10_000n * NS_PER_MS + 1n);
      assert.deepEqual(await store.selectSeries(byName('up'), ALL_TIME), []);
      await store.write({ samples: [{ labels, samples: [{ t: 20_000, v: 2 }] }] });
      const got = await store.selectSeries(byName('up'), ALL_TIME);
      assert.deepEqual(got, [
        { labels: { __name__: 'up', job: 'cart' }, samples: [{ t: 20_000, v: 2 }] },
      ]);
    } finally {
      await store.close();
    }
  });

  it('keys a label object that is not frozen by its labels at each write', async () => {
    const store = await createDuckDbStore({ dataDir: path.join(root, 'mutable'), threads: 1 });
    try {
      const labels: Record<string, string> = { __name__: 'up', job: 'cart' };
      await store.write({ samples: [{ labels, samples: [{ t: 1000, v: 1 }] }] });
      labels['job'] = 'ad';
      await store.write({ samples: [{ labels, samples: [{ t: 2000, v: 2 }] }] });
      const got = await store.selectSeries(byName('up'), ALL_TIME);
      assert.deepEqual(got.map((s) => [s.labels['job'], s.samples.length]).sort(), [
        ['ad', 1],
        ['cart', 1],
      ]);
    } finally {
      await store.close();
    }
  });
});
