import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';

import type { Sample, SeriesSamples } from '../../model/telemetry';
import type { LabelMatcher, MsRange } from '../store';
import { createDuckDbStore } from './index';

const root = mkdtempSync(path.join(tmpdir(), 'otel-lab-read-metrics-'));
after(() => rmSync(root, { recursive: true, force: true }));

const ALL: MsRange = { minT: 0, maxT: 1e12 };
const up: LabelMatcher[] = [{ name: '__name__', op: '=', value: 'up' }];
const job = (j: string): LabelMatcher[] => [...up, { name: 'job', op: '=', value: j }];
const series = (j: string, samples: [number, number][]): SeriesSamples => ({
  labels: { __name__: 'up', job: j },
  samples: samples.map(([t, v]) => ({ t, v })),
});

// samples.sql returns rows unordered, with their rowid; read-metrics sorts
// and keeps the last write of a timestamp. Both queries (one series, several)
// must give what the memory store gives.
describe('DuckDB selectSeries: order and rewrites', () => {
  it('sorts by time and keeps the last write of a timestamp, across and within writes', async () => {
    const store = await createDuckDbStore({ dataDir: path.join(root, 'rewrites'), threads: 2 });
    try {
      await store.write({
        samples: [
          series('a', [
            [3000, 3],
            [4000, 4],
          ]),
          series('b', [[1000, 10]]),
        ],
      });
      await store.write({
        samples: [
          series('a', [
            [1000, 1],
            [3000, 30],
            [2000, 2],
            [3000, 31],
          ]),
          series('b', [
            [1000, 11],
            [500, 5],
          ]),
        ],
      });
      const a = [
        [1000, 1],
        [2000, 2],
        [3000, 31],
        [4000, 4],
      ];
      const b = [
        [500, 5],
        [1000, 11],
      ];
      const want = (s: number[][]) => s.map(([t, v]) => ({ t, v }));
      assert.deepEqual(await store.selectSeries(job('a'), ALL), [
        series('a', a as [number, number][]),
      ]);
      assert.deepEqual(await store.selectSeries(up, ALL), [
        { labels: { __name__: 'up', job: 'a' }, samples: want(a) },
        { labels: { __name__: 'up', job: 'b' }, samples: want(b) },
      ]);
      assert.deepEqual(await store.selectSeries(job('a'), { minT: 1500, maxT: 3000 }), [
        series('a', [
          [2000, 2],
          [3000, 31],
        ]),
      ]);
    } finally {
      await store.close();
    }
  });

  it('reads many chunks of interleaved series written newest first', async () => {
    const store = await createDuckDbStore({ dataDir: path.join(root, 'chunks'), threads: 2 });
    try {
      const jobs = ['a', 'b', 'c'];
      const want = new Map<string, Map<number, number>>(jobs.map((j) => [j, new Map()]));
      // Batches walk backwards in time; every fifth batch rewrites the one before it.
      for (let batch = 40; batch > 0; batch--) {
        const from = (batch % 5 === 0 ? batch + 1 : batch) * 1000;
        const samples = jobs.map((j, k) => {
          const points: [number, number][] = [];
          for (let t = from; t < from + 1000; t += 5) points.push([t, batch * 10 + k]);
          for (const [t, v] of points) want.get(j)?.set(t, v);
          return series(j, points);
        });
        await store.write({ samples });
      }
      const got = await store.selectSeries(up, ALL);
      assert.deepEqual(
        got.map((s) => s.labels.job),
        jobs,
      );
      for (const s of got) {
        const expected: Sample[] = [...(want.get(s.labels.job ?? '') ?? new Map<number, number>())]
          .sort(([x], [y]) => x - y)
          .map(([t, v]) => ({ t, v }));
        assert.equal(s.samples.length, expected.length);
        assert.deepEqual(s.samples, expected);
      }
      const [one] = await store.selectSeries(job('b'), ALL);
      assert.deepEqual(one, got[1]);
    } finally {
      await store.close();
    }
  });
});
