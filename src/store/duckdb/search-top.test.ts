import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { Span } from '../../model/telemetry';
import { ALL_TIME } from '../contract-fixtures';
import { createMemoryStore } from '../memory';
import { makeResource, makeSpan, ms, spanIdOf, traceIdOf } from '../testing';
import { createDuckDbStore } from './index';

const span = (trace: number, id: number, atMs: number, attributes = {}): Span =>
  makeSpan({
    traceId: traceIdOf(trace),
    spanId: spanIdOf(id),
    resource: makeResource('shop'),
    startTimeUnixNano: ms(atMs),
    endTimeUnixNano: ms(atMs + 5),
    attributes,
  });

describe('DuckDB recent-first search: ranking and reading the top in one statement', () => {
  it('answers by the cold rows when they rank a trace lower than its hot rows do, as the memory store does', async () => {
    const duck = await createDuckDbStore({ dataDir: ':memory:', threads: 1, traceIndexHotRows: 3 });
    const mem = createMemoryStore();
    try {
      const hit = { hit: 'yes' };
      // Trace 1's first span and two others go cold (the second write moves
      // them first); its late span and trace 2 are hot. By hot rows alone
      // trace 1 (5 s) would come before trace 2 (3 s); it started at 1 s.
      const writes: Span[][] = [
        [span(1, 1, 1_000, hit), span(8, 8, 10), span(9, 9, 11)],
        [span(1, 2, 5_000, hit), span(2, 3, 3_000, hit)],
      ];
      for (const w of writes) for (const s of [duck, mem]) await s.write({ spans: w });
      for (const limit of [1, 2, 3]) {
        const q = { range: ALL_TIME, limit, attributes: hit };
        const want = await mem.searchTraces(q);
        assert.deepEqual(await duck.searchTraces(q), want, `limit ${limit}`);
      }
      const [first, second] = await duck.searchTraces({
        range: ALL_TIME,
        limit: 2,
        attributes: hit,
      });
      assert.deepEqual(
        [first?.traceId, second?.traceId, second?.startTimeUnixNano, second?.spanCount],
        [traceIdOf(2), traceIdOf(1), ms(1_000), 2],
      );
      // What the search read is what a trace read after it answers.
      const got = await duck.getTraces([traceIdOf(1), traceIdOf(2)]);
      assert.deepEqual(got, await mem.getTraces([traceIdOf(1), traceIdOf(2)]));
    } finally {
      await duck.close();
    }
  });

  it('answers from the one statement when the hot rows rank the traces, as the memory store does', async () => {
    const duck = await createDuckDbStore({ dataDir: ':memory:', threads: 1 });
    const mem = createMemoryStore();
    try {
      for (let t = 1; t <= 30; t++) {
        const batch = [
          span(t, 2 * t, 1_000 * t, { hit: 'yes' }),
          span(t, 2 * t + 1, 1_000 * t + 2),
        ];
        for (const s of [duck, mem]) await s.write({ spans: batch });
      }
      const q = { range: ALL_TIME, limit: 5, attributes: { hit: 'yes' } };
      const got = await duck.searchTraces(q);
      assert.deepEqual(got, await mem.searchTraces(q));
      assert.deepEqual(
        got.map((t) => [t.traceId, t.spanCount]),
        [30, 29, 28, 27, 26].map((t) => [traceIdOf(t), 2]),
      );
      const ids = [30, 26].map(traceIdOf);
      assert.deepEqual(await duck.getTraces(ids), await mem.getTraces(ids));
    } finally {
      await duck.close();
    }
  });
});
