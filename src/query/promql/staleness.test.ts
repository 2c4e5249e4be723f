// Prometheus staleness markers end to end below the collector: the marker the
// translator writes for a point flagged NO_RECORDED_VALUE (StaleNaN,
// 0x7ff0000000000002) survives both stores, and the engine treats it as
// Prometheus 2.42 does. Each rule runs against the memory and the DuckDB store.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Labels, Sample } from '../../model/telemetry';
import { createDuckDbStore } from '../../store/duckdb';
import { createMemoryStore } from '../../store/memory';
import type { TelemetryStore } from '../../store/store';
import { instantQuery, rangeQuery, type SeriesSource } from './engine';
import type { QueryResult } from './values';
import { isStaleNaN, makeStaleNaN } from './values';

const s = 1000;
const stale = makeStaleNaN();

function bits(v: number): bigint {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, v);
  return view.getBigUint64(0);
}

/** A value per 10 s from t=0; 'stale' writes the marker, undefined writes nothing. */
function samples(values: (number | 'stale' | undefined)[]): Sample[] {
  const out: Sample[] = [];
  values.forEach((v, i) => {
    if (v !== undefined) out.push({ t: i * 10 * s, v: v === 'stale' ? stale : v });
  });
  return out;
}

// x: 1, 2, stale at 20 s, nothing, 5 at 40 s; z: x without the marker.
// y: a plain NaN value, never stale.
const data: { labels: Labels; samples: Sample[] }[] = [
  { labels: { __name__: 'x', job: 'a' }, samples: samples([1, 2, 'stale', undefined, 5]) },
  { labels: { __name__: 'z', job: 'a' }, samples: samples([1, 2, undefined, undefined, 5]) },
  { labels: { __name__: 'y', job: 'a' }, samples: samples([NaN, NaN]) },
];

function vector(r: QueryResult): Record<string, number> {
  assert.equal(r.resultType, 'vector');
  const out: Record<string, number> = {};
  if (r.resultType === 'vector') for (const e of r.samples) out[e.labels['__name__'] ?? ''] = e.v;
  return out;
}

const stores: [string, () => Promise<TelemetryStore>][] = [
  ['memory', async () => createMemoryStore()],
  ['duckdb', () => createDuckDbStore({ dataDir: ':memory:' })],
];

it('makeStaleNaN is Prometheus StaleNaN bit for bit', () => {
  assert.equal(bits(stale), 0x7ff0000000000002n);
  assert.ok(isStaleNaN(stale));
  assert.ok(!isStaleNaN(NaN));
  assert.ok(!isStaleNaN(2));
});

for (const [name, open] of stores) {
  describe(`staleness markers through the ${name} store`, () => {
    let store: TelemetryStore;
    let source: SeriesSource;
    before(async () => {
      store = await open();
      await store.write({ samples: data });
      source = { select: (m, minT, maxT) => store.selectSeries(m, { minT, maxT }) };
    });
    after(() => store.close());

    it('keeps the marker and a plain NaN apart', async () => {
      const [got] = await store.selectSeries([{ name: '__name__', op: '=', value: 'x' }], {
        minT: 0,
        maxT: 60 * s,
      });
      const marker = got?.samples.find((p) => p.t === 20 * s);
      assert.ok(marker !== undefined && isStaleNaN(marker.v));
      const [plain] = await store.selectSeries([{ name: '__name__', op: '=', value: 'y' }], {
        minT: 0,
        maxT: 60 * s,
      });
      assert.ok(plain?.samples.every((p) => Number.isNaN(p.v) && !isStaleNaN(p.v)));
    });

    it('an instant selector stops looking back at the marker, until the next sample', async () => {
      assert.deepEqual(vector(await instantQuery(source, 'x', 15 * s)), { x: 2 });
      assert.deepEqual(vector(await instantQuery(source, 'x', 20 * s)), {});
      assert.deepEqual(vector(await instantQuery(source, 'x', 35 * s)), {});
      assert.deepEqual(vector(await instantQuery(source, 'x', 40 * s)), { x: 5 });
      assert.deepEqual(vector(await instantQuery(source, 'timestamp(x)', 30 * s)), {});
    });

    it('a plain NaN value is a sample, not a marker', async () => {
      const v = vector(await instantQuery(source, 'y', 15 * s));
      assert.ok(Number.isNaN(v['y']));
    });

    it('range vectors and *_over_time drop the marker', async () => {
      const at = async (q: string) => vector(await instantQuery(source, q, 45 * s))[''];
      assert.equal(await at('count_over_time(x[1m])'), 3);
      assert.equal(await at('sum_over_time(x[1m])'), 8);
      assert.equal(await at('max_over_time(x[1m])'), 5);
      assert.deepEqual(vector(await instantQuery(source, 'last_over_time(x[15s])', 25 * s)), {
        x: 2,
      });
      assert.ok(Number.isFinite(await at('rate(x[1m])')));
      for (const f of [
        'rate',
        'increase',
        'delta',
        'deriv',
        'changes',
        'resets',
        'stddev_over_time',
      ])
        assert.equal(await at(`${f}(x[1m])`), await at(`${f}(z[1m])`), f);
      // A window holding only the marker has no samples at all.
      assert.deepEqual(vector(await instantQuery(source, 'count_over_time(x[5s])', 22 * s)), {});
    });

    it('a range query has no point for x between the marker and the next sample, and no NaN', async () => {
      const r = await rangeQuery(source, 'x', 0, 50 * s, 5 * s);
      assert.equal(r.resultType, 'matrix');
      if (r.resultType !== 'matrix') return;
      const points = r.series.find((e) => e.labels['__name__'] === 'x')?.points ?? [];
      assert.deepEqual(
        points.map((p) => [p.t / s, p.v]),
        [
          [0, 1],
          [5, 1],
          [10, 2],
          [15, 2],
          [40, 5],
          [45, 5],
          [50, 5],
        ],
      );
    });

    it('a range selector answered as a matrix leaves the marker out', async () => {
      const r = await instantQuery(source, 'x[1m]', 45 * s);
      assert.equal(r.resultType, 'matrix');
      if (r.resultType !== 'matrix') return;
      assert.deepEqual(
        r.series[0]?.points.map((p) => [p.t / s, p.v]),
        [
          [0, 1],
          [10, 2],
          [40, 5],
        ],
      );
    });

    it('subqueries never see the marker', async () => {
      const r = await rangeQuery(source, 'max_over_time(x[30s:5s])', 0, 50 * s, 5 * s);
      assert.equal(r.resultType, 'matrix');
      if (r.resultType !== 'matrix') return;
      const values = r.series.flatMap((e) => e.points.map((p) => p.v));
      assert.ok(values.length > 0 && values.every((v) => Number.isFinite(v)));
    });
  });
}
