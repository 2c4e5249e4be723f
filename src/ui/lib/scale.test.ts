import { test } from 'node:test';
import assert from 'node:assert/strict';
import { durationScale } from './scale';

const close = (a: number, b: number): boolean => Math.abs(a - b) < 1e-9 * Math.max(1, Math.abs(b));

test('linear scale runs from zero to a little above the largest value', () => {
  const s = durationScale('linear', [10, 100]);
  assert.equal(s.toFrac(0), 0);
  assert.ok(close(s.toFrac(105), 1));
  assert.ok(close(s.fromFrac(s.toFrac(42)), 42));
  assert.equal(s.ticks.length, 5);
  assert.equal(s.ticks[0], 0);
});

test('log scale spreads small values and round-trips', () => {
  const s = durationScale('log', [1000, 2000, 1_000_000]);
  const lin = durationScale('linear', [1000, 2000, 1_000_000]);
  assert.ok(s.toFrac(2000) - s.toFrac(1000) > 0.05);
  assert.ok(lin.toFrac(2000) - lin.toFrac(1000) < 0.01);
  assert.ok(close(s.fromFrac(s.toFrac(5000)), 5000));
  assert.ok(close(s.toFrac(1_050_000), 1));
  assert.ok(s.ticks.every((t, i) => i === 0 || t > (s.ticks[i - 1] as number)));
});

test('log scale keeps zero and tiny values on the floor', () => {
  const s = durationScale('log', [0, 3, 500]);
  assert.equal(s.toFrac(0), 0);
  assert.ok(s.toFrac(3) >= 0);
});

test('no values still gives a usable axis', () => {
  assert.ok(Number.isFinite(durationScale('log', []).toFrac(10)));
  assert.ok(Number.isFinite(durationScale('linear', []).toFrac(10)));
});
