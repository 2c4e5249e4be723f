import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';

import type { Labels, Sample, SeriesSamples } from '../../model/telemetry';
import type { LabelMatcher, MsRange } from '../store';
import { SAMPLE_BLOCK_MS } from './compact-samples';
import { createDuckDbStore } from './index';
import { MAX_LISTED_SERIES } from './read-metrics';

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

// A selector's samples come from one of three statements by its number of
// series ids (one; up to MAX_LISTED_SERIES as a list; more joined), each over
// settled and live rows: all must read what was written, last write winning.
describe('DuckDB selectSeries: one, listed and joined series ids', () => {
  it('read the same samples, settled and live, with late rewrites', async () => {
    const store = await createDuckDbStore({
      dataDir: path.join(root, 'listed'),
      threads: 2,
      sampleCacheBytes: 0,
    });
    try {
      const B = SAMPLE_BLOCK_MS;
      const n = MAX_LISTED_SERIES + 6;
      const want = new Map<string, Map<number, number>>();
      const labelsOf = (metric: string, i: number): Labels =>
        metric === 'wide'
          ? { __name__: metric, job: `j${i}`, g: `g${i % 8}` }
          : { __name__: metric, job: `j${i}` };
      const write = async (points: [number, number, number][]) => {
        const samples: SeriesSamples[] = [];
        const add = (metric: string, i: number, t: number, v: number) => {
          let m = want.get(`${metric}/${i}`);
          if (!m) want.set(`${metric}/${i}`, (m = new Map()));
          m.set(t, v);
          samples.push({ labels: labelsOf(metric, i), samples: [{ t, v }] });
        };
        for (const [i, t, v] of points) {
          add('wide', i, t, v);
          // Other metrics' series in between: a metric's ids are not one run.
          if (i % 10 === 0) add('few', i, t, v * 2);
        }
        await store.write({ samples });
      };
      const first: [number, number, number][] = [];
      for (let i = 0; i < n; i++)
        for (let t = B / 8 + (i % 3); t < 3 * B; t += B / 4) first.push([i, t, i * 1000 + t]);
      await write(first);
      let moved = 0;
      while ((await store.compactSamples(BigInt(10 * B) * 1_000_000n)) !== undefined) moved++;
      assert.ok(moved >= 2, `blocks moved: ${moved}`);
      // Late writes into settled blocks (a live row of a settled time wins) and a new time.
      await write([
        [3, B / 8, -1],
        [3, B / 8, -2],
        [9, B + B / 8 + 0, -3],
        [10, B / 8 + 1, -6],
        [n - 1, B / 8 + ((n - 1) % 3), -4],
        [5, 3 * B + 1, -5],
      ]);
      const expect = (metric: string, jobs: number[], r: MsRange): SeriesSamples[] =>
        jobs
          .map((i) => ({
            labels: labelsOf(metric, i),
            samples: [...(want.get(`${metric}/${i}`) ?? [])]
              .filter(([t]) => t >= r.minT && t <= r.maxT)
              .sort(([x], [y]) => x - y)
              .map(([t, v]) => ({ t, v })),
          }))
          .filter((x) => x.samples.length > 0)
          .sort((x, y) => ((x.labels.job ?? '') < (y.labels.job ?? '') ? -1 : 1));
      const named = (m: string): LabelMatcher[] => [{ name: '__name__', op: '=', value: m }];
      const all = Array.from({ length: n }, (_, i) => i);
      const sorted = (got: SeriesSamples[]) =>
        [...got].sort((x, y) => ((x.labels.job ?? '') < (y.labels.job ?? '') ? -1 : 1));
      const wide = named('wide');
      for (const r of [ALL, { minT: B / 8 + 1, maxT: 2 * B }]) {
        // Every series of a metric, more than are listed, and up to that.
        assert.deepEqual(sorted(await store.selectSeries(wide, r)), expect('wide', all, r));
        const tens = all.filter((i) => i % 10 === 0);
        assert.deepEqual(sorted(await store.selectSeries(named('few'), r)), expect('few', tens, r));
        // Joined: more than are listed, not the whole metric by its matchers.
        const anyJob: LabelMatcher = { name: 'job', op: '=~', value: 'j.*' };
        const joined = await store.selectSeries([...wide, anyJob], r);
        assert.deepEqual(sorted(joined), expect('wide', all, r));
        // Listed: a few.
        const g1 = all.filter((i) => i % 8 === 1);
        const got = await store.selectSeries([...wide, { name: 'g', op: '=', value: 'g1' }], r);
        assert.deepEqual(sorted(got), expect('wide', g1, r));
        // One.
        for (const i of [3, 9, n - 1]) {
          const one = await store.selectSeries(
            [...wide, { name: 'job', op: '=', value: `j${i}` }],
            r,
          );
          assert.deepEqual(one, expect('wide', [i], r));
        }
      }
    } finally {
      await store.close();
    }
  });
});

// Range queries hold what they read per 10-minute block (sample-cache.ts):
// every answer must be the one a store without the cache gives, whatever
// was written, rewritten, compacted or dropped in between.
describe('DuckDB selectSeries: samples held between queries', () => {
  const MIN = 60_000;
  // Prometheus's staleness marker: a NaN told apart by its low bits.
  const bits = new DataView(new ArrayBuffer(8));
  bits.setUint32(0, 0x7ff00000);
  bits.setUint32(4, 2);
  const STALE = bits.getFloat64(0);
  const lowBits = (v: number) => {
    bits.setFloat64(0, v);
    return bits.getUint32(4);
  };
  const points = (j: string, from: number, to: number, v: (t: number) => number) => {
    const out: [number, number][] = [];
    for (let t = from; t < to; t += 15_000) out.push([t, v(t)]);
    return series(j, out);
  };

  it('answers as a store without it, across writes, rewrites, new series, compaction and retention', async () => {
    const held = await createDuckDbStore({ dataDir: path.join(root, 'held'), threads: 2 });
    const plain = await createDuckDbStore({
      dataDir: path.join(root, 'plain'),
      threads: 2,
      sampleCacheBytes: 0,
    });
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const both = async (batch: SeriesSamples[]) => {
      await held.write({ samples: batch });
      await plain.write({ samples: batch });
    };
    const check = async (what: string) => {
      for (let q = 0; q < 12; q++) {
        const minT = rand(70) * MIN + rand(3) * 7_500;
        const r: MsRange = { minT, maxT: minT + rand(40) * MIN + rand(4) * 5_000 };
        for (const m of [up, job('b')]) {
          // Twice: the second answer comes from what the first one left.
          for (let i = 0; i < 2; i++)
            assert.deepEqual(
              await held.selectSeries(m, r),
              await plain.selectSeries(m, r),
              `${what}: ${JSON.stringify(m)} over [${r.minT}, ${r.maxT}], round ${i}`,
            );
        }
      }
    };
    try {
      await both([points('a', 0, 60 * MIN, (t) => t / 1000), points('b', 0, 60 * MIN, () => 1)]);
      await check('first write');
      // A late sample inside a block held, and a rewrite of a held time.
      await both([
        series('a', [
          [12 * MIN + 1, -1],
          [12 * MIN + 1, -2],
        ]),
        series('b', [[15 * MIN, 99]]),
        series('b', [[15 * MIN, 98]]),
      ]);
      await check('late sample and rewrites');
      // Appends to the newest block, a staleness marker among them.
      for (let t = 60 * MIN; t < 62 * MIN; t += 15_000) {
        await both([series('a', [[t, t === 61 * MIN ? STALE : 1]]), series('b', [[t, 2]])]);
        await check(`append at ${t}`);
      }
      const [a] = await held.selectSeries(job('a'), { minT: 61 * MIN, maxT: 61 * MIN });
      assert.equal(lowBits(a?.samples[0]?.v ?? 0), 2, 'a staleness marker stays one');
      // A series new to blocks that are held for the others.
      await both([points('c', 20 * MIN, 40 * MIN, (t) => -t)]);
      await check('new series');
      await both([
        points('a', 62 * MIN, 70 * MIN, () => 5),
        points('b', 60 * MIN, 70 * MIN, () => 6),
      ]);
      await check('newer data');
      const now = 70n * 60_000n * 1_000_000n;
      for (const s of [held, plain])
        await s.applyRetention({ maxAge: 45n * 60_000n * 1_000_000n }, now);
      await check('retention and compaction');
      assert.ok((await held.selectSeries(up, { minT: 0, maxT: 24 * MIN })).length === 0);
    } finally {
      await held.close();
      await plain.close();
    }
  });
});
