import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bucketQuantile, quantile } from './quantile';

const b = (pairs: [number, number][]) =>
  pairs.map(([upperBound, count]) => ({ upperBound, count }));

describe('bucketQuantile (histogram_quantile over le buckets)', () => {
  const cases: [string, number, [number, number][], number][] = [
    [
      'interpolates inside a bucket',
      0.5,
      [
        [1, 2],
        [2, 6],
        [Infinity, 8],
      ],
      1.5,
    ],
    [
      'assumes a lower bound of 0 for the first bucket',
      0.25,
      [
        [4, 4],
        [Infinity, 8],
      ],
      2,
    ],
    [
      'returns the upper bound of the first bucket when it is <= 0',
      0.1,
      [
        [-1, 2],
        [Infinity, 8],
      ],
      -1,
    ],
    [
      'returns the highest finite bound for ranks in +Inf',
      0.99,
      [
        [1, 2],
        [2, 4],
        [Infinity, 10],
      ],
      2,
    ],
    [
      'is NaN without a +Inf bucket',
      0.5,
      [
        [1, 2],
        [2, 4],
      ],
      NaN,
    ],
    ['is NaN with only the +Inf bucket', 0.5, [[Infinity, 4]], NaN],
    [
      'is NaN with no observations',
      0.5,
      [
        [1, 0],
        [Infinity, 0],
      ],
      NaN,
    ],
    [
      'is -Inf below 0',
      -0.1,
      [
        [1, 2],
        [Infinity, 4],
      ],
      -Infinity,
    ],
    [
      'is +Inf above 1',
      1.1,
      [
        [1, 2],
        [Infinity, 4],
      ],
      Infinity,
    ],
    [
      'makes decreasing counts monotonic',
      0.6,
      [
        [1, 10],
        [2, 8],
        [3, 15],
        [Infinity, 20],
      ],
      2.4,
    ],
    [
      'adds buckets with the same bound',
      0.5,
      [
        [1, 1],
        [1, 1],
        [Infinity, 4],
      ],
      1,
    ],
    [
      'sorts buckets by bound',
      0.5,
      [
        [Infinity, 8],
        [2, 6],
        [1, 2],
      ],
      1.5,
    ],
  ];
  for (const [name, q, buckets, want] of cases) {
    it(name, () => {
      const got = bucketQuantile(q, b(buckets));
      if (Number.isNaN(want)) assert.ok(Number.isNaN(got), `got ${got}`);
      else assert.equal(got, want);
    });
  }
  it('is NaN for q = NaN', () =>
    assert.ok(
      Number.isNaN(
        bucketQuantile(
          NaN,
          b([
            [1, 1],
            [Infinity, 2],
          ]),
        ),
      ),
    ));
});

describe('quantile (the quantile aggregation)', () => {
  const cases: [number, number[], number][] = [
    [0.5, [1, 2, 3, 4], 2.5],
    [0, [3, 1, 2], 1],
    [1, [3, 1, 2], 3],
    [0.9, [10], 10],
    [-1, [1], -Infinity],
    [2, [1], Infinity],
  ];
  for (const [q, values, want] of cases)
    it(`quantile(${q}, ${values})`, () => assert.equal(quantile(q, values), want));
  it('is NaN for no values', () => assert.ok(Number.isNaN(quantile(0.5, []))));
});
