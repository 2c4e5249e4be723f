import { test } from 'node:test';
import assert from 'node:assert/strict';
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

test('v3 summary: nanosecond strings, end = start + duration, services sorted by name', () => {
  assert.deepEqual(toV3Summary(summary), {
    traceId: 'c'.repeat(32),
    rootServiceName: 'frontend',
    rootOperationName: 'GET /api/recommendations',
    minStartTimeUnixNano: '1700000000000123999',
    maxEndTimeUnixNano: '1700000000002623999',
    spanCount: 5,
    errorSpanCount: 1,
    services: [
      { name: 'frontend', spanCount: 3 },
      { name: 'recommendation', spanCount: 2 },
    ],
  });
});

test('sort names are the four the UI offers', () => {
  for (const s of ['recent', 'longest', 'shortest', 'most-spans'])
    assert.equal(parseTraceSort(s), s);
  assert.equal(parseTraceSort('oldest'), undefined);
});
