import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatBytes, formatMicros, formatMillis, formatNanos, parseGoDuration } from './duration';

test('formats microseconds in the unit a reader expects', () => {
  assert.equal(formatMicros(0), '0µs');
  assert.equal(formatMicros(5.25), '5.25µs');
  assert.equal(formatMicros(850), '850µs');
  assert.equal(formatMicros(1234), '1.23ms');
  assert.equal(formatMicros(45_678), '45.7ms');
  assert.equal(formatMicros(456_789), '457ms');
  assert.equal(formatMicros(4_560_000), '4.56s');
  assert.equal(formatMicros(125_000_000), '2m 5s');
});

test('ms and ns helpers convert before formatting', () => {
  assert.equal(formatMillis(12.5), '12.5ms');
  assert.equal(formatNanos(2_000_000_000), '2s');
});

test('non-finite durations show a dash', () => {
  assert.equal(formatMicros(Number.NaN), '–');
});

test('parses Go durations into microseconds', () => {
  assert.equal(parseGoDuration('100ms'), 100_000);
  assert.equal(parseGoDuration('1.5s'), 1_500_000);
  assert.equal(parseGoDuration('1m30s'), 90_000_000);
  assert.equal(parseGoDuration('500us'), 500);
  assert.equal(parseGoDuration('.5ms'), 500);
});

test('rejects malformed Go durations', () => {
  assert.equal(parseGoDuration('100'), null);
  assert.equal(parseGoDuration('ms'), null);
  assert.equal(parseGoDuration('1.5 s'), null);
  assert.equal(parseGoDuration(''), null);
  assert.equal(parseGoDuration('10d'), null);
});

test('formats bytes in binary units', () => {
  assert.equal(formatBytes(512), '512 B');
  assert.equal(formatBytes(1536), '1.5 KiB');
  assert.equal(formatBytes(300 * 1024 * 1024), '300 MiB');
});
