import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JaegerSpan, JaegerTrace } from './jaeger';
import { summarizeTrace } from './jaeger';
import {
  ancestorsOf,
  buildTree,
  criticalPath,
  searchSpans,
  traceStats,
  visibleRows,
} from './waterfall';

function makeSpan(
  id: string,
  parent: string | null,
  start: number,
  duration: number,
  extra: Partial<JaegerSpan> = {},
): JaegerSpan {
  return {
    traceID: 't1',
    spanID: id,
    operationName: `op-${id}`,
    references: parent ? [{ refType: 'CHILD_OF', traceID: 't1', spanID: parent }] : [],
    startTime: start,
    duration,
    tags: [],
    logs: [],
    processID: id.startsWith('r') ? 'p2' : 'p1',
    ...extra,
  };
}

function makeTrace(spans: JaegerSpan[]): JaegerTrace {
  return {
    traceID: 't1',
    spans,
    processes: {
      p1: { serviceName: 'frontend', tags: [] },
      p2: { serviceName: 'recommendation', tags: [{ key: 'host', value: 'lab' }] },
    },
  };
}

// a(0..100) -> b(10..40), c(50..90 -> r1 60..80); given out of order on purpose.
const trace = makeTrace([
  makeSpan('c', 'a', 50, 40),
  makeSpan('r1', 'c', 60, 20, { tags: [{ key: 'app.cache_hit', type: 'bool', value: false }] }),
  makeSpan('a', null, 0, 100),
  makeSpan('b', 'a', 10, 30, { tags: [{ key: 'error', type: 'bool', value: true }] }),
]);

test('builds the tree with children sorted by start time and depths', () => {
  const tree = buildTree(trace);
  assert.equal(tree.roots.length, 1);
  assert.deepEqual(
    tree.roots[0]?.children.map((c) => c.span.spanID),
    ['b', 'c'],
  );
  assert.equal(tree.byID.get('r1')?.depth, 2);
  assert.equal(tree.byID.get('r1')?.service, 'recommendation');
  assert.equal(tree.maxDepth, 2);
  assert.equal(tree.duration, 100);
});

test('rows are depth-first and positioned as fractions of the trace', () => {
  const rows = visibleRows(buildTree(trace), new Set());
  assert.deepEqual(
    rows.map((r) => r.node.span.spanID),
    ['a', 'b', 'c', 'r1'],
  );
  assert.equal(rows[2]?.left, 0.5);
  assert.equal(rows[2]?.width, 0.4);
  assert.equal(rows[0]?.hasChildren, true);
  assert.equal(rows[1]?.hasChildren, false);
});

test('collapsing a span hides its descendants only', () => {
  const rows = visibleRows(buildTree(trace), new Set(['c']));
  assert.deepEqual(
    rows.map((r) => r.node.span.spanID),
    ['a', 'b', 'c'],
  );
  assert.equal(rows[2]?.collapsed, true);
});

test('a span whose parent is missing becomes a root', () => {
  const tree = buildTree(makeTrace([makeSpan('a', null, 0, 10), makeSpan('x', 'missing', 5, 1)]));
  assert.deepEqual(
    tree.roots.map((r) => r.span.spanID),
    ['a', 'x'],
  );
});

test('reference cycles do not hang and every span still appears', () => {
  const tree = buildTree(makeTrace([makeSpan('a', 'b', 0, 10), makeSpan('b', 'a', 1, 5)]));
  assert.equal(visibleRows(tree, new Set()).length, 2);
});

test('self time subtracts the union of children', () => {
  const tree = buildTree(trace);
  assert.equal(tree.byID.get('a')?.selfTime, 30);
  assert.equal(tree.byID.get('c')?.selfTime, 20);
  assert.equal(tree.byID.get('r1')?.selfTime, 20);
});

test('overlapping children are not subtracted twice', () => {
  const t = buildTree(
    makeTrace([
      makeSpan('a', null, 0, 100),
      makeSpan('b', 'a', 10, 50),
      makeSpan('c', 'a', 20, 50),
    ]),
  );
  assert.equal(t.byID.get('a')?.selfTime, 40);
});

test('error spans are marked from the error tag', () => {
  const tree = buildTree(trace);
  assert.equal(tree.byID.get('b')?.isError, true);
  assert.equal(tree.byID.get('c')?.isError, false);
});

test('search matches tag keys and values and process tags', () => {
  const tree = buildTree(trace);
  assert.deepEqual([...searchSpans(tree, trace, 'cache_hit=false')], ['r1']);
  assert.deepEqual([...searchSpans(tree, trace, 'HOST=lab')], ['r1']);
  assert.equal(searchSpans(tree, trace, ' ').size, 0);
});

test('ancestors of hits are returned to expand them', () => {
  assert.deepEqual([...ancestorsOf(buildTree(trace), ['r1'])].sort(), ['a', 'c']);
});

test('stats per service and operation, largest self time first', () => {
  const stats = traceStats(buildTree(trace));
  assert.equal(stats.length, 4);
  assert.deepEqual(stats[0], {
    service: 'frontend',
    operation: 'op-a',
    count: 1,
    total: 100,
    self: 30,
    max: 100,
    errors: 0,
  });
  assert.equal(stats.find((s) => s.operation === 'op-b')?.errors, 1);
});

test('critical path follows the last-finishing children', () => {
  assert.deepEqual([...criticalPath(buildTree(trace))].sort(), ['a', 'b', 'c', 'r1']);
  const t = buildTree(
    makeTrace([
      makeSpan('a', null, 0, 100),
      makeSpan('b', 'a', 10, 80),
      makeSpan('c', 'a', 20, 30),
    ]),
  );
  assert.deepEqual([...criticalPath(t)].sort(), ['a', 'b']);
});

test('summary of a Jaeger trace names the root and counts errors per service', () => {
  assert.deepEqual(summarizeTrace(trace), {
    traceID: 't1',
    rootService: 'frontend',
    rootOperation: 'op-a',
    startTime: 0,
    duration: 100,
    spanCount: 4,
    errorCount: 1,
    services: { frontend: 3, recommendation: 1 },
  });
});
