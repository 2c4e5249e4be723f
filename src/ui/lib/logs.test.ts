import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeLog, toMicros } from './logs';

test('timestamps in any unit become microseconds', () => {
  assert.equal(toMicros('1700000000000000000'), 1.7e15);
  assert.equal(toMicros(1.7e15), 1.7e15);
  assert.equal(toMicros(1.7e12), 1.7e15);
  assert.equal(toMicros(1.7e9), 1.7e15);
  assert.equal(toMicros('nope'), 0);
});

test('accepts the spellings of OTLP JSON and Jaeger', () => {
  const row = normalizeLog({
    timeUnixNano: '1700000000000000000',
    serviceName: 'recommendation',
    severityText: 'INFO',
    body: 'Receive ListRecommendations',
    traceId: 'ABC',
    span_id: 'DEF',
    attributes: { 'app.products.count': 12 },
  });
  assert.deepEqual(row, {
    time: 1.7e15,
    service: 'recommendation',
    severity: 'INFO',
    body: 'Receive ListRecommendations',
    traceID: 'abc',
    spanID: 'def',
    attributes: [['app.products.count', '12']],
  });
});

test('structured bodies and key/value attribute lists become text', () => {
  const row = normalizeLog({ body: { a: 1 }, attributes: [{ key: 'k', value: 'v' }] });
  assert.equal(row.body, '{"a":1}');
  assert.deepEqual(row.attributes, [['k', 'v']]);
  assert.equal(row.service, 'unknown');
});
