import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { AggregationTemporality } from '../../model/telemetry';
import { PrometheusTranslator } from './prometheus-translator';
import { at, makeSum } from './testing';

describe('delta -> cumulative (property)', () => {
  it('ends at the sum of the deltas, never decreasing, however the points are split into batches', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat({ max: 1000 }), { minLength: 1, maxLength: 40 }),
        fc.array(fc.nat({ max: 5 }), { maxLength: 10 }),
        (deltas, cuts) => {
          const points = deltas.map((value, i) =>
            makeSum({
              temporality: AggregationTemporality.DELTA,
              startTimeUnixNano: at(i * 1000),
              timeUnixNano: at((i + 1) * 1000),
              value,
            }),
          );
          const t = new PrometheusTranslator();
          const seen: number[] = [];
          let from = 0;
          for (const cut of [...cuts, points.length]) {
            const to = Math.min(points.length, from + cut);
            for (const s of t.translate(points.slice(from, to)).samples)
              seen.push(...s.samples.map((x) => x.v));
            from = to;
          }
          assert.equal(seen.length, deltas.length);
          assert.equal(
            seen.at(-1),
            deltas.reduce((a, b) => a + b, 0),
          );
          for (let i = 1; i < seen.length; i++) assert.ok((seen[i] ?? 0) >= (seen[i - 1] ?? 0));
        },
      ),
      { numRuns: 200 },
    );
  });
});
