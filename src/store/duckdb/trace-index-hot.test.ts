import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';

import type { Span } from '../../model/telemetry';
import { ALL_TIME } from '../contract-fixtures';
import { makeResource, makeSpan, ms, spanIdOf, traceIdOf } from '../testing';
import { DuckDBInstance } from '@duckdb/node-api';

import type { DuckDbStore } from './index';
import { createDuckDbStore, DB_FILE_NAME } from './index';

const root = mkdtempSync(path.join(tmpdir(), 'otel-lab-hot-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** Runs `test` on an in-memory store whose hot part moves past 3 rows, then closes the store. */
async function withSmallHotPart(test: (store: DuckDbStore) => Promise<void>): Promise<void> {
  const store = await createDuckDbStore({ dataDir: ':memory:', threads: 1, traceIndexHotRows: 3 });
  try {
    await test(store);
  } finally {
    await store.close();
  }
}

/** Traces first..first+n-1 of two spans each, written as one batch. */
function traces(first: number, n: number): Span[] {
  const resource = makeResource('shop');
  return Array.from({ length: n }, (_, i) => {
    const t = first + i;
    const at = 1_000 + t;
    const root = makeSpan({
      traceId: traceIdOf(t),
      spanId: spanIdOf(2 * t),
      resource,
      startTimeUnixNano: ms(at),
      endTimeUnixNano: ms(at + 10),
    });
    const child = makeSpan({
      traceId: traceIdOf(t),
      spanId: spanIdOf(2 * t + 1),
      parentSpanId: spanIdOf(2 * t),
      resource,
      startTimeUnixNano: ms(at + 1),
      endTimeUnixNano: ms(at + 5),
    });
    return [root, child];
  }).flat();
}

describe('DuckDB trace index: hot and cold parts', () => {
  it('refuses a hot-part bound or move slice that is not a positive integer, before opening anything', async () => {
    for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      await assert.rejects(
        createDuckDbStore({ dataDir: ':memory:', threads: 1, traceIndexHotRows: bad }),
        (err: Error) => err instanceof RangeError && /traceIndexHotRows/.test(err.message),
      );
      await assert.rejects(
        createDuckDbStore({ dataDir: ':memory:', threads: 1, traceIndexMoveSliceRows: bad }),
        (err: Error) => err instanceof RangeError && /traceIndexMoveSliceRows/.test(err.message),
      );
    }
  });

  it('moves in slices with writes between them; what those wrote stays hot and found', async () => {
    const dataDir = path.join(root, 'slices');
    const store = await createDuckDbStore({
      dataDir,
      threads: 2,
      traceIndexHotRows: 30,
      traceIndexMoveSliceRows: 7,
    });
    const late = makeSpan({
      traceId: traceIdOf(1),
      spanId: spanIdOf(999),
      parentSpanId: spanIdOf(2),
      resource: makeResource('shop'),
      startTimeUnixNano: ms(1_500),
      endTimeUnixNano: ms(1_501),
    });
    try {
      await store.write({ spans: traces(1, 30) });
      // This write starts the move (30 hot rows); each later write queues
      // behind a slice, and the next slice behind it.
      await store.write({ spans: traces(31, 2) });
      for (let first = 33; first < 41; first += 2) {
        await store.write({ spans: first === 37 ? [...traces(first, 2), late] : traces(first, 2) });
        const t = 1 + ((first * 7) % 40);
        assert.equal((await store.getTrace(traceIdOf(t))).length, 2, `trace ${t}`);
      }
      // Waits for the move under way (below its bound: starts none).
      await store.applyRetention({}, 0n);
      for (let t = 2; t <= 40; t++)
        assert.deepEqual(
          (await store.getTrace(traceIdOf(t))).map((s) => s.spanId),
          [spanIdOf(2 * t), spanIdOf(2 * t + 1)],
          `trace ${t}`,
        );
      assert.deepEqual(
        (await store.getTrace(traceIdOf(1))).map((s) => s.spanId),
        [spanIdOf(2), spanIdOf(3), spanIdOf(999)],
      );
      const [summary] = await store.searchTraces({
        range: ALL_TIME,
        limit: 1,
        sort: 'most-spans',
        service: 'shop',
      });
      assert.equal(summary?.spanCount, 3);
    } finally {
      await store.close();
    }
    // The move took the 32 traces written before its first slice, one cold
    // row each; the 4 writes after (9 rows: trace 1's late span has its own)
    // are still hot.
    const db = await DuckDBInstance.create(path.join(dataDir, DB_FILE_NAME));
    const c = await db.connect();
    try {
      const rows = await c.runAndReadAll(
        'SELECT (SELECT count(*) FROM trace_index_hot)::INTEGER, (SELECT count(*) FROM trace_index)::INTEGER',
      );
      const [hot, cold] = rows.getRows()[0] ?? [];
      assert.deepEqual([hot, cold], [9, 32]);
    } finally {
      c.closeSync();
      db.closeSync();
    }
  });

  it('finds every trace by id while the hot part moves into the cold part', async () => {
    const store = await createDuckDbStore({ dataDir: path.join(root, 'move'), threads: 2 });
    try {
      const n = 20_000;
      for (let first = 1; first <= n; first += 5_000)
        await store.write({ spans: traces(first, 5_000) });
      // The move runs on the writer connection, the reads on the readers:
      // reads started with it and until it ends see each trace on one side.
      let moved = false;
      const move = store.flushTraceIndex().finally(() => {
        moved = true;
      });
      const check = async (t: number): Promise<void> => {
        const spans = await store.getTrace(traceIdOf(t));
        assert.deepEqual(
          spans.map((s) => s.spanId),
          [spanIdOf(2 * t), spanIdOf(2 * t + 1)],
          `trace ${t}`,
        );
      };
      const first = Array.from({ length: 16 }, (_, k) => check(1 + ((k * 7_919) % n)));
      for (let k = 16; !moved || k < 64; k++) await check(1 + ((k * 7_919) % n));
      await Promise.all(first);
      await move;
      const found = await store.getTraces([traceIdOf(1), traceIdOf(n)]);
      assert.deepEqual([...found.keys()].sort(), [traceIdOf(1), traceIdOf(n)].sort());
    } finally {
      await store.close();
    }
  });

  it('reads hot traces after reopening, whether their windows fit in memory or not', async () => {
    for (const [name, bound] of [
      ['fits', 1_000],
      ['too many', 2],
    ] as const) {
      const dataDir = path.join(root, `reopen-${name}`);
      const first = await createDuckDbStore({ dataDir, threads: 1 });
      const all = traces(1, 6);
      const late = all.filter((s) => s.traceId === traceIdOf(3) && s.parentSpanId !== '');
      await first.write({ spans: all.filter((s) => !late.includes(s)) });
      await first.write({ spans: late });
      await first.close();
      // 7 hot rows: over twice the bound of 2, so that store reads them from the table.
      const again = await createDuckDbStore({ dataDir, threads: 1, traceIndexHotRows: bound });
      try {
        for (let t = 1; t <= 6; t++)
          assert.deepEqual(
            (await again.getTrace(traceIdOf(t))).map((s) => s.spanId),
            [spanIdOf(2 * t), spanIdOf(2 * t + 1)],
            `${name}: trace ${t}`,
          );
        const many = await again.getTraces([traceIdOf(3), traceIdOf(6), traceIdOf(99)]);
        assert.deepEqual([...many.keys()].sort(), [traceIdOf(3), traceIdOf(6)].sort(), name);
        assert.equal(many.get(traceIdOf(3))?.length, 2, name);
        const recent = await again.searchTraces({ range: ALL_TIME, limit: 6 });
        assert.deepEqual(
          recent.map((t) => [t.traceId, t.spanCount]),
          [6, 5, 4, 3, 2, 1].map((t) => [traceIdOf(t), 2]),
          name,
        );
      } finally {
        await again.close();
      }
    }
  });

  it('moves from the write path once the hot part holds its bound, keeping a trace split over both', async () => {
    await withSmallHotPart(async (store) => {
      const all = traces(1, 4);
      const late = all.filter((s) => s.traceId === traceIdOf(1) && s.parentSpanId !== '');
      // 4 rows (>= 3): the second write moves them first; trace 1's late span then is hot.
      await store.write({ spans: all.filter((s) => !late.includes(s)) });
      await store.write({ spans: late });
      assert.deepEqual(
        (await store.getTrace(traceIdOf(1))).map((s) => s.spanId),
        [spanIdOf(2), spanIdOf(3)],
      );
      const [summary] = await store.searchTraces({
        range: ALL_TIME,
        limit: 1,
        sort: 'most-spans',
        service: 'shop',
      });
      assert.equal(summary?.spanCount, 2);
      const byStart = await store.searchTraces({ range: ALL_TIME, limit: 10, sort: 'shortest' });
      assert.deepEqual(
        byStart.map((t) => [t.spanCount, t.durationNano]),
        Array.from({ length: 4 }, () => [2, ms(10)]),
      );
    });
  });

  it('reads a trace whose cold rows lie inside its hot window, and one whose do not', async () => {
    await withSmallHotPart(async (store) => {
      const resource = makeResource('shop');
      const span = (t: number, n: number, at: number): Span =>
        makeSpan({
          traceId: traceIdOf(t),
          spanId: spanIdOf(10 * t + n),
          resource,
          startTimeUnixNano: ms(at),
          endTimeUnixNano: ms(at + 1),
        });
      // Traces 1 and 2 first get a span at 1,005; the next write moves them to cold.
      await store.write({ spans: [span(1, 1, 1_005), span(2, 1, 1_005), span(3, 1, 2_000)] });
      await store.write({ spans: [span(4, 1, 2_000)] });
      // Trace 1's hot spans surround its cold one; trace 2's come after it.
      await store.write({ spans: [span(1, 0, 1_000), span(1, 2, 1_010), span(2, 2, 1_020)] });
      assert.deepEqual(
        (await store.getTrace(traceIdOf(1))).map((s) => s.spanId),
        [spanIdOf(10), spanIdOf(11), spanIdOf(12)],
      );
      assert.deepEqual(
        (await store.getTrace(traceIdOf(2))).map((s) => s.spanId),
        [spanIdOf(21), spanIdOf(22)],
      );
      assert.deepEqual(
        (await store.getTrace(traceIdOf(3))).map((s) => s.spanId),
        [spanIdOf(31)],
      );
    });
  });

  it('ranks and summarizes a recent-first search by the hot rows too', async () => {
    await withSmallHotPart(async (store) => {
      const all = traces(1, 4);
      const roots = all.filter((s) => s.parentSpanId === '');
      // The children go cold (moved by the second write); the earlier roots stay hot.
      await store.write({ spans: all.filter((s) => !roots.includes(s)) });
      await store.write({ spans: roots });
      const found = await store.searchTraces({ range: ALL_TIME, limit: 2, service: 'shop' });
      assert.deepEqual(
        found.map((t) => [t.traceId, t.startTimeUnixNano, t.spanCount]),
        [
          [traceIdOf(4), ms(1_004), 2],
          [traceIdOf(3), ms(1_003), 2],
        ],
      );
    });
  });
});
