// A range query walks each series' windows on from the previous step and
// remembers groups, buckets and unique outputs per node; none of that may
// change an answer. Every step of a range query must equal an instant query
// at that time, whatever the step size, gaps in the data, offsets, @ or
// subqueries (which move the windows backwards).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { instantQuery, rangeQuery } from './engine';
import { MemorySeriesSource } from './testfile';
import { labelsKey, makeStaleNaN } from './values';

const s = 1000;

/** Deterministic pseudo-random numbers (xorshift), so a failure can be replayed. */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

/** Counters and histogram buckets with irregular spacing, gaps, resets and a staleness marker. */
function data(): MemorySeriesSource {
  const next = random(7);
  const src = new MemorySeriesSource();
  const at = (i: number) => i * 15 * s + Math.floor(next() * 5) * s;
  for (const job of ['a', 'b', 'c']) {
    const calls: { t: number; v: number }[] = [];
    let v = 0;
    for (let i = 0; i < 200; i++) {
      if (next() < 0.1) continue; // a missed scrape
      v = next() < 0.02 ? 0 : v + Math.floor(next() * 10);
      calls.push({ t: at(i), v });
    }
    // A long gap, longer than the lookback, then the series comes back.
    src.add(
      { __name__: 'calls_total', job },
      calls.filter((p) => p.t < 1000 * s || p.t > 1500 * s),
    );
    let count = 0;
    const buckets = ['0.1', '1', '10', '+Inf'];
    const series = buckets.map(() => [] as { t: number; v: number }[]);
    for (let i = 0; i < 200; i++) {
      count += Math.floor(next() * 5);
      let below = 0;
      buckets.forEach((_, b) => {
        below = b === buckets.length - 1 ? count : Math.min(count, below + Math.floor(next() * 3));
        series[b]?.push({ t: i * 15 * s, v: below });
      });
    }
    buckets.forEach((le, b) => src.add({ __name__: 'latency_bucket', job, le }, series[b] ?? []));
  }
  src.add({ __name__: 'up', job: 'a' }, [
    { t: 0, v: 1 },
    { t: 600 * s, v: makeStaleNaN() },
    { t: 1200 * s, v: 1 },
  ]);
  return src;
}

const queries = [
  'calls_total',
  'up',
  'rate(calls_total[1m])',
  'irate(calls_total[2m])',
  'sum by (job) (rate(calls_total[5m]))',
  'sum(increase(calls_total[90s]))',
  'max_over_time(calls_total[3m] offset 2m)',
  'count_over_time(calls_total[45s])',
  'calls_total @ 1200',
  'rate(calls_total[1m] @ 2000)',
  'histogram_quantile(0.9, sum by (le, job) (rate(latency_bucket[2m])))',
  'histogram_quantile(0.5, rate(latency_bucket[1m]))',
  'max_over_time(sum(rate(calls_total[1m]))[10m:30s])',
  'avg_over_time(calls_total[5m:1m] offset 1m)',
  'topk(2, rate(calls_total[1m]))',
  'count(up) + sum(calls_total)',
  'sum by (g) (label_replace(rate(calls_total[1m]), "g", "x-$1", "job", "([ab])"))',
  'label_join(calls_total, "j", "-", "job", "__name__") / on (j) label_join(calls_total, "j", "-", "job", "__name__")',
];

function instantByKey(r: Awaited<ReturnType<typeof instantQuery>>): Map<string, number> {
  const out = new Map<string, number>();
  if (r.resultType === 'vector') for (const e of r.samples) out.set(labelsKey(e.labels), e.v);
  if (r.resultType === 'scalar') out.set(labelsKey({}), r.v);
  return out;
}

describe('range query steps equal instant queries', () => {
  const src = data();
  // Steps shorter than the sample spacing, about equal, and long enough that
  // every window jumps past the cursor's short walk.
  for (const step of [10 * s, 15 * s, 300 * s]) {
    for (const q of queries) {
      it(`${q} at step ${step / s}s`, async () => {
        const start = 100 * s;
        const end = 2000 * s;
        const range = await rangeQuery(src, q, start, end, step);
        assert.equal(range.resultType, 'matrix');
        if (range.resultType !== 'matrix') return;
        const got = new Map<number, Map<string, number>>();
        for (const series of range.series)
          for (const p of series.points) {
            let m = got.get(p.t);
            if (!m) got.set(p.t, (m = new Map()));
            m.set(labelsKey(series.labels), p.v);
          }
        let compared = 0;
        for (let t = start; t <= end; t += step) {
          const want = instantByKey(await instantQuery(src, q, t));
          assert.deepEqual(got.get(t) ?? new Map(), want, `at ${t / s}s`);
          compared += want.size;
        }
        assert.ok(compared > 0, 'the query returned something');
      });
    }
  }
});

describe('histogram_quantile groups', () => {
  it('keeps metrics that differ only by name apart, and refuses the clash in the output', async () => {
    const src = new MemorySeriesSource();
    for (const name of ['a_bucket', 'b_bucket'])
      for (const le of ['1', '+Inf'])
        src.add({ __name__: name, le }, [
          { t: 0, v: 1 },
          { t: 60 * s, v: 2 },
        ]);
    await assert.rejects(
      rangeQuery(
        src,
        'histogram_quantile(0.5, {__name__=~"a_bucket|b_bucket"})',
        0,
        60 * s,
        30 * s,
      ),
      /vector cannot contain metrics with the same labelset/,
    );
    const one = await rangeQuery(src, 'histogram_quantile(0.5, a_bucket)', 0, 60 * s, 30 * s);
    assert.equal(one.resultType, 'matrix');
    if (one.resultType === 'matrix') {
      assert.deepEqual(
        one.series.map((e) => e.labels),
        [{}],
      );
      assert.deepEqual(
        one.series[0]?.points.map((p) => p.v),
        [0.5, 0.5, 0.5],
      );
    }
  });
});
