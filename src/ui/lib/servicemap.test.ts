import { test } from 'node:test';
import assert from 'node:assert/strict';
import { edgeRates, layoutServiceMap, type DependencyEdge } from './servicemap';

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
  assert.deepEqual(layoutServiceMap([]), { nodes: [], edges: [], columns: 0, rows: 0 });
});

test('edge rates over the window', () => {
  assert.deepEqual(edgeRates(e('a', 'b', 120, 6), 60), { perSecond: 2, errorRatio: 0.05 });
  assert.deepEqual(edgeRates(e('a', 'b', 0, 0), 0), { perSecond: 0, errorRatio: 0 });
});
