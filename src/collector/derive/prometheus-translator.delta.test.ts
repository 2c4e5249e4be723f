import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AggregationTemporality } from '../../model/telemetry';
import { PrometheusTranslator } from './prometheus-translator';
import { at, byName, makeExponential, makeHistogram, makeResource, makeSum } from './testing';

const DELTA = AggregationTemporality.DELTA;

describe('PrometheusTranslator: delta to cumulative', () => {
  const delta = (from: number, to: number, value: number) =>
    makeSum({ temporality: DELTA, startTimeUnixNano: at(from), timeUnixNano: at(to), value });

  it('sums delta points into a cumulative counter', () => {
    const t = new PrometheusTranslator();
    const r1 = t.translate([delta(0, 1000, 5), delta(1000, 2000, 3)]);
    const r2 = t.translate([delta(2000, 3000, 0), delta(3000, 4000, 2)]);
    assert.deepEqual(byName(r1).get('m_total{}'), [
      [1000, 5],
      [2000, 8],
    ]);
    assert.deepEqual(byName(r2).get('m_total{}'), [
      [3000, 8],
      [4000, 10],
    ]);
  });

  it('keeps separate sums per attribute set and per resource', () => {
    const t = new PrometheusTranslator();
    const other = makeResource({ 'service.name': 'cart' });
    const r = t.translate([
      delta(0, 1000, 1),
      makeSum({
        temporality: DELTA,
        attributes: { k: 'v' },
        startTimeUnixNano: at(0),
        timeUnixNano: at(1000),
        value: 10,
      }),
      makeSum({
        temporality: DELTA,
        resource: other,
        startTimeUnixNano: at(0),
        timeUnixNano: at(1000),
        value: 100,
      }),
      delta(1000, 2000, 1),
    ]);
    const values = r.samples.map((s) => [
      s.labels['job'],
      s.labels['k'] ?? '',
      s.samples.map((x) => x.v),
    ]);
    assert.deepEqual(values, [
      ['recommendation', '', [1, 2]],
      ['recommendation', 'v', [10]],
      ['cart', '', [100]],
    ]);
  });

  it('adds up the deltas of one batch in time order, whatever order they come in', () => {
    const t = new PrometheusTranslator();
    const r = t.translate([delta(1000, 2000, 3), delta(0, 1000, 5)]);
    assert.deepEqual(byName(r).get('m_total{}'), [
      [1000, 5],
      [2000, 8],
    ]);
  });

  it('drops a delta point that is not newer than the last one', () => {
    const t = new PrometheusTranslator();
    t.translate([delta(1000, 2000, 5)]);
    const r = t.translate([delta(0, 1000, 7), delta(1000, 2000, 7)]);
    assert.equal(r.samples.length, 0);
    assert.equal(t.stats.dropped, 2);
  });

  it('starts again from zero after the stream was evicted (a counter reset to PromQL)', () => {
    const t = new PrometheusTranslator({ maxSeries: 1 });
    t.translate([delta(0, 1000, 5)]);
    t.translate([makeSum({ name: 'other', temporality: DELTA, value: 1 })]);
    const r = t.translate([delta(1000, 2000, 3)]);
    assert.deepEqual(byName(r).get('m_total{}'), [[2000, 3]]);
    assert.equal(t.stats.evicted, 2);
    assert.equal(t.stats.streams, 1);
  });

  it('forgets streams idle longer than the idle timeout', () => {
    const t = new PrometheusTranslator({ idleTimeoutMs: 10_000 });
    t.translate([delta(0, 1000, 5)]);
    t.translate([
      makeSum({
        name: 'other',
        temporality: DELTA,
        startTimeUnixNano: at(20_000),
        timeUnixNano: at(20_000),
        value: 1,
      }),
    ]);
    assert.equal(t.stats.streams, 1);
    const r = t.translate([delta(20_000, 21_000, 3)]);
    assert.deepEqual(byName(r).get('m_total{}'), [[21_000, 3]]);
  });

  it('sums delta histograms bucket by bucket and restarts when the bounds change', () => {
    const t = new PrometheusTranslator();
    const h = (from: number, to: number, bounds: number[], counts: bigint[]) =>
      makeHistogram({
        temporality: DELTA,
        startTimeUnixNano: at(from),
        timeUnixNano: at(to),
        explicitBounds: bounds,
        bucketCounts: counts,
        count: counts.reduce((a, b) => a + b, 0n),
        sum: 1,
      });
    const r = t.translate([
      h(0, 1000, [1, 5], [1n, 0n, 1n]),
      h(1000, 2000, [1, 5], [0n, 2n, 0n]),
      h(2000, 3000, [10], [1n, 0n]),
    ]);
    const m = byName(r);
    assert.deepEqual(m.get('m_bucket{le="1"}'), [
      [1000, 1],
      [2000, 1],
    ]);
    assert.deepEqual(m.get('m_bucket{le="5"}'), [
      [1000, 1],
      [2000, 3],
    ]);
    assert.deepEqual(m.get('m_bucket{le="+Inf"}'), [
      [1000, 2],
      [2000, 4],
      [3000, 1],
    ]);
    assert.deepEqual(m.get('m_bucket{le="10"}'), [[3000, 1]]);
    assert.deepEqual(m.get('m_sum{}'), [
      [1000, 1],
      [2000, 2],
      [3000, 1],
    ]);
  });

  it('sums delta exponential histograms across scales at the coarser scale', () => {
    const t = new PrometheusTranslator();
    const r = t.translate([
      // scale 1: bucket 2 covers (2, 2.83]; at scale 0 it is bucket 1, (2, 4]
      makeExponential({
        temporality: DELTA,
        timeUnixNano: at(1000),
        scale: 1,
        count: 1n,
        sum: 2.5,
        positive: { offset: 2, bucketCounts: [1n] },
      }),
      makeExponential({
        temporality: DELTA,
        timeUnixNano: at(2000),
        scale: 0,
        count: 1n,
        sum: 3,
        positive: { offset: 1, bucketCounts: [1n] },
      }),
    ]);
    const m = byName(r);
    assert.deepEqual(m.get('m_bucket{le="4"}'), [[2000, 2]]);
    assert.deepEqual(m.get('m_count{}'), [
      [1000, 1],
      [2000, 2],
    ]);
    assert.deepEqual(m.get('m_sum{}'), [
      [1000, 2.5],
      [2000, 5.5],
    ]);
  });

  it('drops points of unspecified temporality, as the exporters do', () => {
    const t = new PrometheusTranslator();
    const r = t.translate([makeSum({ temporality: AggregationTemporality.UNSPECIFIED })]);
    assert.equal(r.samples.length, 0);
    assert.equal(t.stats.dropped, 1);
  });
});

describe('PrometheusTranslator: cumulative restarts', () => {
  it('writes a zero sample at the new start time when a cumulative counter restarts', () => {
    const t = new PrometheusTranslator();
    t.translate([makeSum({ startTimeUnixNano: at(0), timeUnixNano: at(1000), value: 10 })]);
    const r = t.translate([
      makeSum({ startTimeUnixNano: at(1500), timeUnixNano: at(2000), value: 12 }),
    ]);
    assert.deepEqual(byName(r).get('m_total{}'), [
      [1500, 0],
      [2000, 12],
    ]);
  });

  it('writes zero buckets when a cumulative histogram restarts', () => {
    const t = new PrometheusTranslator();
    t.translate([makeHistogram({ startTimeUnixNano: at(0), timeUnixNano: at(1000) })]);
    const r = t.translate([makeHistogram({ startTimeUnixNano: at(1500), timeUnixNano: at(2000) })]);
    assert.deepEqual(byName(r).get('m_bucket{le="+Inf"}'), [
      [1500, 0],
      [2000, 3],
    ]);
    assert.deepEqual(byName(r).get('m_sum{}'), [
      [1500, 0],
      [2000, 12],
    ]);
  });

  it('writes zero buckets when a cumulative exponential histogram restarts', () => {
    const t = new PrometheusTranslator();
    const point = (from: number, to: number) =>
      makeExponential({
        startTimeUnixNano: at(from),
        timeUnixNano: at(to),
        count: 1n,
        positive: { offset: 0, bucketCounts: [1n] },
      });
    t.translate([point(0, 1000)]);
    const r = t.translate([point(1500, 2000)]);
    assert.deepEqual(byName(r).get('m_bucket{le="2"}'), [
      [1500, 0],
      [2000, 1],
    ]);
  });

  it('writes no zero sample while the start time stays the same', () => {
    const t = new PrometheusTranslator();
    t.translate([makeSum({ timeUnixNano: at(1000), value: 10 })]);
    const r = t.translate([makeSum({ timeUnixNano: at(2000), value: 12 })]);
    assert.deepEqual(byName(r).get('m_total{}'), [[2000, 12]]);
  });
});
