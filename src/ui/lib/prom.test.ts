import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alignMatrix, exemplarPoints, mergeAligned, parseSample } from './prom';
import { resolveRange } from './timerange';

test('samples written as NaN or Inf become gaps', () => {
  assert.equal(parseSample('1.5'), 1.5);
  assert.equal(parseSample('NaN'), null);
  assert.equal(parseSample('+Inf'), null);
});

test('aligns series with different timestamps onto one axis', () => {
  const a = alignMatrix(
    [
      {
        metric: { span_name: 'x' },
        values: [
          [10, '1'],
          [20, '2'],
        ],
      },
      {
        metric: { span_name: 'y' },
        values: [
          [20, '5'],
          [30, '6'],
        ],
      },
    ],
    '{{span_name}}',
  );
  assert.deepEqual(a.xs, [10, 20, 30]);
  assert.deepEqual(a.series, [
    { label: 'x', values: [1, 2, null] },
    { label: 'y', values: [null, 5, 6] },
  ]);
});

test('caps the number of series drawn', () => {
  const many = Array.from({ length: 50 }, (_, i) => ({
    metric: { i: String(i) },
    values: [[1, '1']] as [number, string][],
  }));
  assert.equal(alignMatrix(many, undefined, 30).series.length, 30);
});

test('merges several queries into one panel', () => {
  const m = mergeAligned([
    { xs: [1, 2], series: [{ label: 'p50', values: [1, 2] }] },
    { xs: [2, 3], series: [{ label: 'p99', values: [9, 10] }] },
  ]);
  assert.deepEqual(m, {
    xs: [1, 2, 3],
    series: [
      { label: 'p50', values: [1, 2, null] },
      { label: 'p99', values: [null, 9, 10] },
    ],
  });
});

test('relative range ends now', () => {
  const r = resolveRange(new URLSearchParams('range=5m'), 1_000_000);
  assert.deepEqual(r, { ok: true, range: { start: 700, end: 1000, label: '5m' } });
});

test('custom range uses from/to in milliseconds', () => {
  const r = resolveRange(new URLSearchParams('from=1000&to=5000'), 9_999_999);
  assert.deepEqual(r, { ok: true, range: { start: 1, end: 5, label: 'custom' } });
});

test('bad ranges are errors that say what to do', () => {
  const a = resolveRange(new URLSearchParams('range=2d'), 0);
  assert.equal(a.ok, false);
  assert.match(a.ok ? '' : a.error, /5m, 15m, 1h/);
  assert.equal(resolveRange(new URLSearchParams('from=5000&to=1000'), 0).ok, false);
  assert.equal(resolveRange(new URLSearchParams('from=abc'), 0).ok, false);
});

test('exemplars become trace points, largest first, ids checked', () => {
  const points = exemplarPoints({
    data: [
      {
        seriesLabels: { le: '100' },
        exemplars: [
          { labels: { trace_id: 'ABC123', span_id: '1' }, value: '12.5', timestamp: 100.5 },
          { labels: { traceID: 'def' }, value: '900', timestamp: 101 },
          { labels: { trace_id: '<script>' }, value: '1', timestamp: 102 },
          { labels: {}, value: '5', timestamp: 103 },
          { labels: { trace_id: 'aa' }, value: 'NaN', timestamp: 104 },
        ],
      },
    ],
  });
  assert.deepEqual(points, [
    { time: 101, value: 900, traceID: 'def' },
    { time: 100.5, value: 12.5, traceID: 'abc123' },
  ]);
  assert.deepEqual(exemplarPoints(undefined), []);
});
