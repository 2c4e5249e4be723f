import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  countCrossings,
  edgeRates,
  edgeKey,
  layoutServiceMap,
  spanCoverage,
  type DependencyEdge,
} from './servicemap';

const e = (parent: string, child: string, callCount = 10, errorCount = 0): DependencyEdge => ({
  parent,
  child,
  callCount,
  errorCount,
});

test('callers sit left of callees, by longest call path', () => {
  const m = layoutServiceMap([
    e('frontend', 'checkout'),
    e('checkout', 'cart'),
    e('frontend', 'cart'),
    e('frontend', 'recommendation'),
    e('recommendation', 'product-catalog'),
  ]);
  const col = Object.fromEntries(m.nodes.map((n) => [n.name, n.column]));
  assert.deepEqual(col, {
    cart: 2,
    checkout: 1,
    frontend: 0,
    'product-catalog': 2,
    recommendation: 1,
  });
  assert.equal(m.columns, 3);
});

test('a cycle is cut and every service is still placed', () => {
  const m = layoutServiceMap([e('a', 'b'), e('b', 'c'), e('c', 'a')]);
  assert.equal(m.nodes.length, 3);
  assert.deepEqual(
    m.nodes.map((n) => n.column),
    [0, 1, 2],
  );
});

test('a self call does not move the service', () => {
  const m = layoutServiceMap([e('a', 'a'), e('a', 'b')]);
  assert.deepEqual(
    m.nodes.map((n) => [n.name, n.column]),
    [
      ['a', 0],
      ['b', 1],
    ],
  );
});

test('rows in a column follow their callers to avoid crossings', () => {
  const m = layoutServiceMap([
    e('a', 'z'),
    e('b', 'y'),
    e('a', 'b2'),
    e('root', 'a'),
    e('root', 'b'),
  ]);
  const row = Object.fromEntries(m.nodes.map((n) => [n.name, n.row]));
  assert.equal(row['a'], 0);
  assert.equal(row['b'], 1);
  // z and b2 are called by a (row 0), y by b (row 1): y comes last.
  assert.equal(row['y'], 2);
});

test('incoming calls and errors are summed per service', () => {
  const m = layoutServiceMap([e('a', 'c', 10, 1), e('b', 'c', 5, 2)]);
  const c = m.nodes.find((n) => n.name === 'c');
  assert.deepEqual([c?.calls, c?.errors], [15, 3]);
});

test('no edges, no map', () => {
  assert.deepEqual(layoutServiceMap([]), { nodes: [], edges: [], routes: {}, columns: 0, rows: 0 });
});

test('edge rates over the window', () => {
  assert.deepEqual(edgeRates(e('a', 'b', 120, 6), 60), { perSecond: 2, errorRatio: 0.05 });
  assert.deepEqual(edgeRates(e('a', 'b', 0, 0), 0), { perSecond: 0, errorRatio: 0 });
});

test('a service with no calls either way is placed after the connected ones', () => {
  const m = layoutServiceMap([e('a', 'b')], ['a', 'b', 'fraud-detection', '']);
  const lonely = m.nodes.find((n) => n.name === 'fraud-detection');
  assert.deepEqual([lonely?.column, lonely?.row, lonely?.calls], [0, 1, 0]);
  assert.equal(m.nodes.length, 3);
  assert.equal(m.rows, 2);
});

// The shop's shape: frontend calls services one and two columns away.
const shop = [
  e('load-generator', 'frontend'),
  e('frontend', 'ad'),
  e('frontend', 'cart'),
  e('frontend', 'checkout'),
  e('frontend', 'product-catalog'),
  e('frontend', 'recommendation'),
  e('checkout', 'cart'),
  e('checkout', 'currency'),
  e('checkout', 'product-catalog'),
  e('checkout', 'shipping'),
  e('recommendation', 'product-catalog'),
];

test('a call that skips a column runs through an empty slot of that column', () => {
  const m = layoutServiceMap(shop);
  const at = new Set(m.nodes.map((n) => `${n.column}/${n.row}`));
  const col = Object.fromEntries(m.nodes.map((n) => [n.name, n.column]));
  assert.equal(col['frontend'], 1);
  assert.equal(col['cart'], 3);
  const via = m.routes[edgeKey({ parent: 'frontend', child: 'cart' })] ?? [];
  assert.equal(via.length, 1);
  assert.equal(via[0]?.column, 2);
  assert.equal(at.has(`2/${via[0]?.row}`), false, 'no service sits in the slot');
  // Two routes never share a slot.
  const slots = Object.values(m.routes)
    .flat()
    .map((s) => `${s.column}/${s.row}`);
  assert.equal(new Set(slots).size, slots.length);
  assert.deepEqual(m.routes[edgeKey({ parent: 'frontend', child: 'ad' })], []);
});

test('ordering removes the crossings a name order would have', () => {
  const byName = [
    ['a', 'b'],
    ['x', 'y'],
  ];
  const links: [string, string][] = [
    ['a', 'y'],
    ['b', 'x'],
  ];
  assert.equal(countCrossings(byName, links), 1);
  const m = layoutServiceMap([e('a', 'y'), e('b', 'x')]);
  const row = Object.fromEntries(m.nodes.map((n) => [n.name, n.row]));
  assert.equal(
    countCrossings(
      [
        ['a', 'b'].sort((p, q) => (row[p] ?? 0) - (row[q] ?? 0)),
        ['x', 'y'].sort((p, q) => (row[p] ?? 0) - (row[q] ?? 0)),
      ],
      links,
    ),
    0,
  );
});

test('rates divide by the part of the range covered by span metrics', () => {
  const range = { start: 1000, end: 1900 };
  const series = (name: string, times: number[]) => ({
    metric: { service_name: name },
    values: times.map((t): [number, string] => [t, '1']),
  });
  // Data from t=1720 (3 minutes before the end): 180 s plus the flush before the first sample.
  const c = spanCoverage(
    [series('frontend', [1735, 1750]), series('ad', [1750]), series('x', [])],
    range,
  );
  assert.deepEqual(c, { services: ['ad', 'frontend'], seconds: 180 });
  assert.equal(edgeRates(e('a', 'b', 1116), c.seconds).perSecond, 6.2);
  // Data older than the range: the whole range.
  assert.equal(spanCoverage([series('a', [1000, 1900])], range).seconds, 900);
  // No data at all: the whole range, no services.
  assert.deepEqual(spanCoverage([], range), { services: [], seconds: 900 });
});
