import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMemoryStore } from '../../store/memory';
import { makeSpan, ms, spanIdOf, traceIdOf } from '../../store/testing';
import { findTraces } from './find';

async function storeWithTraces(sizes: readonly number[]) {
  const store = createMemoryStore();
  const spans = sizes.flatMap((n, t) =>
    Array.from({ length: n }, (_, i) =>
      makeSpan({
        traceId: traceIdOf(t + 1),
        spanId: spanIdOf(i + 1),
        parentSpanId: i === 0 ? '' : spanIdOf(1),
        startTimeUnixNano: ms(1_000 + t * 100 + i),
      }),
    ),
  );
  await store.write({ spans });
  return store;
}

const query = { range: { start: 0n, end: ms(10_000) }, limit: 10, sort: 'recent' as const };

test('whole traces come back in the order of the search', async () => {
  const store = await storeWithTraces([2, 3, 1]);
  const found = await findTraces(store, query);
  assert.deepEqual(
    found.traces.map((t) => [t.traceId, t.spans.length]),
    [
      [traceIdOf(3), 1],
      [traceIdOf(2), 3],
      [traceIdOf(1), 2],
    ],
  );
  assert.equal(found.truncated, false);
});

test('the span cap leaves out the traces past it, and says so', async () => {
  const store = await storeWithTraces([2, 3, 1]);
  const found = await findTraces(store, query, 4);
  assert.deepEqual(
    found.traces.map((t) => t.traceId),
    [traceIdOf(3), traceIdOf(2)],
  );
  assert.equal(found.truncated, true);
});

test('the first trace is kept even when it alone is over the cap', async () => {
  const store = await storeWithTraces([5]);
  const found = await findTraces(store, query, 2);
  assert.equal(found.traces[0]?.spans.length, 5);
  assert.equal(found.truncated, false);
});
