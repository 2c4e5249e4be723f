import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TraceSummary } from './jaeger';
import {
  formatBrush,
  inBrush,
  parseBrush,
  queryFrom,
  sortSummaries,
  validateQuery,
  type SearchQuery,
} from './search';

const q = (over: Partial<SearchQuery> = {}): SearchQuery => ({
  ...queryFrom(new URLSearchParams()),
  ...over,
});
const summary = (
  traceID: string,
  startTime: number,
  duration: number,
  spanCount = 1,
): TraceSummary => ({
  traceID,
  rootService: 's',
  rootOperation: 'o',
  startTime,
  duration,
  spanCount,
  errorCount: 0,
  services: { s: spanCount },
});

test('reads a search from the URL with defaults', () => {
  assert.deepEqual(
    queryFrom(new URLSearchParams('service=recommendation&tags=app.cache_hit%3Dfalse')),
    {
      service: 'recommendation',
      operation: '',
      tags: 'app.cache_hit=false',
      minDuration: '',
      maxDuration: '',
      limit: '100',
      sort: 'recent',
    },
  );
});

test('reads one side of a comparison by prefix', () => {
  assert.equal(queryFrom(new URLSearchParams('b.service=x&service=y'), 'b.').service, 'x');
});

test('a valid search has no problem', () => {
  assert.equal(
    validateQuery(
      q({ tags: 'a=1', minDuration: '100ms', maxDuration: '2s', limit: '20', sort: 'longest' }),
    ),
    null,
  );
});

test('each bad field is named', () => {
  assert.match(validateQuery(q({ tags: 'a' })) ?? '', /^Tags:/);
  assert.match(validateQuery(q({ minDuration: '100' })) ?? '', /^Min duration "100"/);
  assert.match(validateQuery(q({ maxDuration: 'soon' })) ?? '', /^Max duration "soon"/);
  assert.match(validateQuery(q({ minDuration: '2s', maxDuration: '1s' })) ?? '', /above max/);
  assert.match(validateQuery(q({ limit: '0' })) ?? '', /^Limit/);
  assert.match(validateQuery(q({ limit: '1501' })) ?? '', /1 to 1500/);
  assert.match(validateQuery(q({ limit: '2.5' })) ?? '', /^Limit/);
  assert.match(validateQuery(q({ sort: 'random' })) ?? '', /^Sort must be one of recent/);
});

test('sorts summaries the four ways without changing the input', () => {
  const list = [summary('a', 1, 30, 2), summary('b', 3, 10, 9), summary('c', 2, 20, 5)];
  const ids = (s: string): string[] => sortSummaries(list, s).map((t) => t.traceID);
  assert.deepEqual(ids('recent'), ['b', 'c', 'a']);
  assert.deepEqual(ids('longest'), ['a', 'c', 'b']);
  assert.deepEqual(ids('shortest'), ['b', 'c', 'a']);
  assert.deepEqual(ids('most-spans'), ['b', 'c', 'a']);
  assert.deepEqual(
    list.map((t) => t.traceID),
    ['a', 'b', 'c'],
  );
});

test('a brush round-trips through the URL and filters by time and duration', () => {
  const b = { t0: 100, t1: 200, d0: 10, d1: 50 };
  assert.deepEqual(parseBrush(formatBrush(b)), b);
  assert.equal(inBrush(summary('x', 150, 20), b), true);
  assert.equal(inBrush(summary('x', 250, 20), b), false);
  assert.equal(inBrush(summary('x', 150, 60), b), false);
  assert.equal(inBrush(summary('x', 250, 60), null), true);
});

test('malformed brushes are ignored', () => {
  assert.equal(parseBrush('1,2,3'), null);
  assert.equal(parseBrush('a,b,c,d'), null);
  assert.equal(parseBrush('5,1,0,1'), null);
  assert.equal(parseBrush(null), null);
});
