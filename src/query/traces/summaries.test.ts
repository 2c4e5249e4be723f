import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Span } from '../../model/telemetry';
import type { TraceSummary } from '../../store/store';
import { parseTraceSort, toLabSummary, toV3Summary } from './summaries';

const summary: TraceSummary = {
  traceId: 'c'.repeat(32),
  rootService: 'frontend',
  rootName: 'GET /api/recommendations',
  startTimeUnixNano: 1_700_000_000_000_123_999n,
  durationNano: 2_500_000n,
  spanCount: 5,
  errorCount: 1,
  services: { recommendation: 2, frontend: 3 },
};

test('lab summary: microseconds and Jaeger-style traceID', () => {
  assert.deepEqual(toLabSummary(summary), {
    traceID: 'c'.repeat(32),
    rootService: 'frontend',
    rootOperation: 'GET /api/recommendations',
    startTime: 1_700_000_000_000_123,
    duration: 2500,
    spanCount: 5,
    errorCount: 1,
    services: { recommendation: 2, frontend: 3 },
  });
});

const span = (over: Partial<Span>): Span => ({
  traceId: 'c'.repeat(32),
  spanId: '0000000000000001',
  parentSpanId: '',
  traceState: '',
  flags: 0,
  name: 'op',
  kind: 2,
  startTimeUnixNano: 100n,
  endTimeUnixNano: 200n,
  attributes: {},
  droppedAttributesCount: 0,
  events: [],
  droppedEventsCount: 0,
  links: [],
  droppedLinksCount: 0,
  status: { code: 0, message: '' },
  resource: {
    attributes: { 'service.name': 'frontend' },
    droppedAttributesCount: 0,
    schemaUrl: '',
  },
  scope: { name: '', version: '', attributes: {}, droppedAttributesCount: 0, schemaUrl: '' },
  ...over,
});
const service = (name: string): Span['resource'] => ({
  attributes: { 'service.name': name },
  droppedAttributesCount: 0,
  schemaUrl: '',
});

test('v3 summary from a whole trace: root, bounds as ns strings, errors and orphans per service', () => {
  const spans = [
    span({
      spanId: '0000000000000002',
      parentSpanId: '0000000000000001',
      name: 'child',
      resource: service('recommendation'),
      startTimeUnixNano: 150n,
      endTimeUnixNano: 400n,
      status: { code: 2, message: '' },
    }),
    span({
      spanId: '0000000000000001',
      name: 'GET /',
      startTimeUnixNano: 100n,
      endTimeUnixNano: 300n,
    }),
    span({
      spanId: '0000000000000003',
      parentSpanId: '00000000000000ff',
      name: 'orphan',
      resource: service('ad'),
      startTimeUnixNano: 120n,
    }),
    span({
      spanId: '0000000000000004',
      name: 'late root',
      startTimeUnixNano: 110n,
      status: { code: 2, message: '' },
    }),
  ];
  assert.deepEqual(toV3Summary('c'.repeat(32), spans), {
    traceId: 'c'.repeat(32),
    rootServiceName: 'frontend',
    rootOperationName: 'GET /',
    minStartTimeUnixNano: '100',
    maxEndTimeUnixNano: '400',
    spanCount: 4,
    errorSpanCount: 2,
    orphanSpanCount: 1,
    services: [
      { name: 'ad', spanCount: 1, errorSpanCount: 0 },
      { name: 'frontend', spanCount: 2, errorSpanCount: 1 },
      { name: 'recommendation', spanCount: 1, errorSpanCount: 1 },
    ],
  });
});

test('v3 summary of a trace without a root span has empty root names', () => {
  const s = toV3Summary('c'.repeat(32), [span({ parentSpanId: '0000000000000009' })]);
  assert.equal(s.rootServiceName, '');
  assert.equal(s.rootOperationName, '');
  assert.equal(s.orphanSpanCount, 1);
});

test('sort names are the four the UI offers', () => {
  for (const s of ['recent', 'longest', 'shortest', 'most-spans'])
    assert.equal(parseTraceSort(s), s);
  assert.equal(parseTraceSort('oldest'), undefined);
});
