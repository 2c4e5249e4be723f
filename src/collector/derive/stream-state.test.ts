import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  addExponential,
  addHistogram,
  exponentialToExplicit,
  type ExpHistogramAcc,
  StreamStates,
} from './stream-state';

function exp(over: Partial<ExpHistogramAcc>): ExpHistogramAcc {
  return {
    scale: 0,
    count: 0,
    sum: 0,
    zeroCount: 0,
    zeroThreshold: 0,
    positive: new Map(),
    negative: new Map(),
    ...over,
  };
}

describe('StreamStates', () => {
  const entry = (lastNs: bigint) => ({
    startNs: 0n,
    lastNs,
    state: { kind: 'cumulative' } as const,
  });

  it('evicts the least recently used stream beyond the cap', () => {
    const s = new StreamStates(2, 1000n);
    s.set('a', entry(1n));
    s.set('b', entry(2n));
    s.set('a', entry(3n));
    s.set('c', entry(4n));
    assert.equal(s.get('b'), undefined);
    assert.ok(s.get('a') && s.get('c'));
    assert.equal(s.evicted, 1);
  });

  it('evicts streams idle longer than the timeout, relative to the newest point', () => {
    const s = new StreamStates(10, 100n);
    s.set('old', entry(0n));
    s.set('recent', entry(150n));
    s.set('new', entry(200n));
    s.evictIdle();
    assert.deepEqual([s.get('old'), !!s.get('recent'), !!s.get('new')], [undefined, true, true]);
  });

  it('refuses a cap below 1', () => {
    assert.throws(() => new StreamStates(0, 1n), /maxSeries/);
  });
});

describe('addHistogram', () => {
  it('adds bucket by bucket when the bounds match', () => {
    const a = { count: 2, sum: 3, bounds: [1], buckets: [1, 1] };
    assert.equal(addHistogram(a, { count: 1, sum: 4, bounds: [1], buckets: [0, 1] }), true);
    assert.deepEqual(a, { count: 3, sum: 7, bounds: [1], buckets: [1, 2] });
  });

  it('refuses different bounds and leaves the sum untouched', () => {
    const a = { count: 2, sum: 3, bounds: [1], buckets: [1, 1] };
    assert.equal(addHistogram(a, { count: 1, sum: 4, bounds: [2], buckets: [0, 1] }), false);
    assert.equal(a.count, 2);
  });
});

describe('exponential histograms', () => {
  it('downscales the finer histogram, flooring negative indices', () => {
    const a = exp({
      scale: 2,
      count: 2,
      positive: new Map([
        [5, 1],
        [-3, 1],
      ]),
    });
    addExponential(a, exp({ scale: 1, count: 1, positive: new Map([[2, 1]]) }));
    // scale 2 -> 1: index 5 -> 2, index -3 -> -2
    assert.equal(a.scale, 1);
    assert.deepEqual(
      [...a.positive].sort((x, y) => x[0] - y[0]),
      [
        [-2, 1],
        [2, 2],
      ],
    );
    assert.equal(a.count, 3);
  });

  it('converts negative, zero and positive buckets to cumulative le bounds', () => {
    const out = exponentialToExplicit(
      exp({
        count: 6,
        zeroCount: 1,
        zeroThreshold: 0.001,
        negative: new Map([
          [0, 1],
          [1, 2],
        ]),
        positive: new Map([[1, 2]]),
      }),
    );
    // negative bucket 1 covers [-4, -2), bucket 0 covers [-2, -1)
    assert.deepEqual(out, { bounds: [-2, -1, 0.001, 4], cumulative: [2, 3, 4, 6] });
  });

  it('uses base 2^(2^-scale) for the bounds', () => {
    const out = exponentialToExplicit(exp({ scale: -1, count: 1, positive: new Map([[1, 1]]) }));
    // scale -1: base 4, bucket 1 covers (4, 16]
    assert.deepEqual(out.bounds, [16]);
  });
});
