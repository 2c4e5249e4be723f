import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { Attributes, Span } from '../../model/telemetry';
import { ALL_TIME } from '../contract-fixtures';
import { makeLog, makeResource, makeSeries, makeSpan, ms, spanIdOf, traceIdOf } from '../testing';
import { DuckDBAppender } from '@duckdb/node-api';
import type { DuckDBDataChunk } from '@duckdb/node-api';

import { CHUNK, TURN_ROWS } from './write';
import type { DuckDbStore } from './index';
import { createDuckDbStore } from './index';

const MAX_INT64 = (1n << 63n) - 1n;

let store: DuckDbStore;
before(async () => {
  store = await createDuckDbStore({ dataDir: ':memory:', threads: 1 });
});
after(() => store.close());

const byId = (a: Span, b: Span): number => (a.spanId < b.spanId ? -1 : a.spanId > b.spanId ? 1 : 0);

async function readBack(spans: readonly Span[], from: DuckDbStore = store): Promise<Span[]> {
  const ids = [...new Set(spans.map((s) => s.traceId))];
  const out: Span[] = [];
  for (let i = 0; i < ids.length; i += 1000) {
    for (const list of (await from.getTraces(ids.slice(i, i + 1000))).values()) out.push(...list);
  }
  return out.sort(byId);
}

const keys = (n: number): Attributes =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`key.${i}`, `value number ${i}`]));

let nextTrace = 1;
/** `count` spans over traces of `perTrace` spans, interleaved the way exports arrive. */
function spans(count: number, perTrace: number, over: (i: number) => Partial<Span> = () => ({})) {
  const first = nextTrace;
  nextTrace += Math.ceil(count / perTrace) + 1;
  return Array.from({ length: count }, (_, i) =>
    makeSpan({
      traceId: traceIdOf(first + (i % Math.ceil(count / perTrace))),
      spanId: spanIdOf(first * 1_000_000 + i + 1),
      parentSpanId: i % perTrace === 0 ? '' : spanIdOf(first * 1_000_000 + i),
      name: i % 3 === 0 ? 'a long operation name shared by spans' : `op ${i % 5}`,
      startTimeUnixNano: ms(10_000 + i),
      endTimeUnixNano: ms(10_000 + i) + BigInt(i),
      resource: makeResource(i % 2 === 0 ? 'product-catalog' : 'ad'),
      attributes: { 'rpc.method': 'Get', 'app.items': BigInt(i % 4), 'app.id': `id-${i}-x` },
      ...over(i),
    }),
  );
}

/** The bits of a double, the quiet bit ignored (CPUs may set it when copying a signalling NaN). */
function nanBits(v: number): bigint {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, v);
  return dv.getBigUint64(0) & ~0x0008_0000_0000_0000n;
}
const STALE = new DataView(new BigUint64Array([0x7ff0_0000_0000_0002n]).buffer).getFloat64(0, true);

describe('DuckDB write path (data chunks)', () => {
  const counts = [1, TURN_ROWS - 1, TURN_ROWS, TURN_ROWS + 1, CHUNK - 1, CHUNK, CHUNK + 1];
  for (const count of [...counts, 3 * CHUNK + 5]) {
    it(`reads back ${count} spans field by field`, async () => {
      const batch = spans(count, 4);
      await store.write({ spans: batch });
      assert.deepEqual(await readBack(batch), [...batch].sort(byId));
    });
  }

  it('writes one trace of more spans than a chunk holds, with its index row', async () => {
    const batch = spans(2 * CHUNK + 3, 2 * CHUNK + 3, (i) => ({
      attributes: { 'test.case': 'one big trace', 'app.n': BigInt(i) },
    }));
    await store.write({ spans: batch });
    assert.deepEqual(await readBack(batch), [...batch].sort(byId));
    const [summary] = await store.searchTraces({
      range: ALL_TIME,
      limit: 1,
      service: 'product-catalog',
      attributes: { 'test.case': 'one big trace' },
    });
    assert.equal(summary?.traceId, batch[0]!.traceId);
    assert.equal(summary?.spanCount, batch.length);
  });

  /**
   * Runs `write` and records the event-loop turn of each appended chunk and
   * each flush: a counter the loop advances between turns, so two of them
   * in one turn repeat a value.
   */
  async function turnsOf(
    write: () => Promise<void>,
  ): Promise<{ appended: { rows: number; turn: number }[]; flushed: number[] }> {
    let turn = 0;
    let ticking = true;
    const tick = (): void => {
      turn++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const appended: { rows: number; turn: number }[] = [];
    const flushed: number[] = [];
    const orig = Object.getOwnPropertyDescriptor(DuckDBAppender.prototype, 'appendDataChunk')!;
    const origFlush = Object.getOwnPropertyDescriptor(DuckDBAppender.prototype, 'flushSync')!;
    DuckDBAppender.prototype.appendDataChunk = function (chunk: DuckDBDataChunk): void {
      appended.push({ rows: chunk.rowCount, turn });
      (orig.value as (c: DuckDBDataChunk) => void).call(this, chunk);
    };
    DuckDBAppender.prototype.flushSync = function (): void {
      flushed.push(turn);
      (origFlush.value as () => void).call(this);
    };
    try {
      await write();
    } finally {
      Object.defineProperty(DuckDBAppender.prototype, 'appendDataChunk', orig);
      Object.defineProperty(DuckDBAppender.prototype, 'flushSync', origFlush);
      ticking = false;
    }
    return { appended, flushed };
  }

  it('appends at most TURN_ROWS rows per turn of the event loop and flushes per chunk, alone', async () => {
    const yielding = await createDuckDbStore({
      dataDir: ':memory:',
      threads: 1,
      writeTurns: 'always',
    });
    try {
      const batch = spans(3 * CHUNK + 5, 1);
      const points = Array.from({ length: 2 * TURN_ROWS + 1 }, (_, i): [number, number] => [i, i]);
      const { appended, flushed } = await turnsOf(() =>
        yielding.write({ spans: batch, samples: [makeSeries({ __name__: 'turns' }, points)] }),
      );
      // Spans, one trace-index row each (one span per trace), samples.
      const expected = batch.length * 2 + points.length;
      assert.equal(
        appended.reduce((n, c) => n + c.rows, 0),
        expected,
      );
      assert.ok(appended.every((c) => c.rows <= TURN_ROWS && c.rows > 0));
      const turns = [...appended.map((c) => c.turn), ...flushed];
      assert.equal(new Set(turns).size, turns.length, `two in one turn: ${turns.join(',')}`);
      // A flush costs ~1 ms whatever its rows: one per CHUNK rows of each
      // chunked table (not one per turn), plus at most one for each small table
      // the write adds to (resources, scopes, key sets, series).
      const perTable = [batch.length, batch.length, points.length];
      const chunked = perTable.reduce((n, rows) => n + Math.ceil(rows / CHUNK), 0);
      assert.ok(
        flushed.length >= chunked && flushed.length <= chunked + 4,
        `${flushed.length} flushes`,
      );
      assert.deepEqual(await readBack(batch, yielding), [...batch].sort(byId));
    } finally {
      await yielding.close();
    }
  });

  it('keeps the event loop between its chunks only while a read waits (none here)', async () => {
    const batch = spans(3 * CHUNK + 5, 1);
    const { appended, flushed } = await turnsOf(() => store.write({ spans: batch }));
    // With no read waiting, a table's chunks and flushes follow each other
    // in one turn: the write commits sooner.
    const turns = [...appended.map((c) => c.turn), ...flushed];
    assert.ok(new Set(turns).size < turns.length, `all in turns of their own: ${turns.join(',')}`);
    assert.ok(appended.every((c) => c.rows <= TURN_ROWS && c.rows > 0));
    assert.deepEqual(await readBack(batch), [...batch].sort(byId));
  });

  it('keeps ids and times at their type bounds', async () => {
    const batch = [
      makeSpan({
        traceId: 'f'.repeat(32),
        spanId: 'f'.repeat(16),
        parentSpanId: 'f'.repeat(15) + 'e',
        startTimeUnixNano: MAX_INT64,
        endTimeUnixNano: MAX_INT64,
      }),
      makeSpan({
        traceId: '8'.padEnd(32, '0'),
        spanId: '0'.repeat(15) + '1',
        parentSpanId: '',
        startTimeUnixNano: 0n,
        endTimeUnixNano: MAX_INT64,
        kind: 5,
        flags: 0xffff_ffff,
        status: { code: 2, message: 'a message' },
      }),
    ];
    await store.write({ spans: batch });
    assert.deepEqual(await readBack(batch), [...batch].sort(byId));
  });

  it('stores 0, 16 and 17+ attributes (the last as the JSON remainder), NULL vs empty values', async () => {
    const shapes: Attributes[] = [
      {},
      keys(16),
      keys(17),
      keys(40),
      { empty: '', nothing: null, short: 's', long: 'a value that is not inline' },
      { 'é.key': 'é', 'nul\u0000key': 'a\u0000b' },
      // One slot, one long text under two tags: kept apart.
      { same: '12345678901234567890' },
      { same: 12345678901234567890n },
    ];
    const batch = spans(shapes.length * 3, 1, (i) => ({ attributes: shapes[i % shapes.length]! }));
    await store.write({ spans: batch });
    assert.deepEqual(await readBack(batch), [...batch].sort(byId));
  });

  it('rolls back every table when a span fails in the middle, and the next write is whole', async () => {
    const batch = spans(3 * CHUNK, 4);
    const boom: Attributes = {};
    Object.defineProperty(boom, 'app.boom', {
      enumerable: true,
      get: () => {
        throw new Error('attribute getter failed');
      },
    });
    const failing = batch.map((s, i) => (i === 2 * CHUNK + 10 ? { ...s, attributes: boom } : s));
    const before = await store.stats();
    await assert.rejects(
      store.write({ spans: failing, logs: [makeLog()] }),
      /write failed and was rolled back.*attribute getter failed/,
    );
    assert.deepEqual(await store.stats(), before);
    assert.deepEqual(await readBack(batch), []);
    const retry = spans(CHUNK + 2, 3);
    await store.write({ spans: retry });
    assert.deepEqual(await readBack(retry), [...retry].sort(byId));
  });

  it('writes logs with and without trace context, ids at their bounds', async () => {
    const logs = Array.from({ length: CHUNK + 3 }, (_, i) =>
      makeLog({
        timeUnixNano: i % 7 === 0 ? 0n : ms(50_000 + i),
        observedTimeUnixNano: ms(50_000 + i),
        traceId: i % 2 === 0 ? '' : i % 3 === 0 ? 'f'.repeat(32) : traceIdOf(i),
        spanId: i % 2 === 0 ? '' : i % 3 === 0 ? 'f'.repeat(16) : spanIdOf(i),
        severityText: i % 4 === 0 ? '' : 'a severity text longer than twelve',
        body: i % 5 === 0 ? null : `body ${i}`,
      }),
    );
    await store.write({ logs });
    const got = await store.searchLogs({ range: ALL_TIME, limit: 10_000 });
    const key = (l: { observedTimeUnixNano: bigint }): bigint => l.observedTimeUnixNano;
    const sorted = (xs: typeof logs): typeof logs =>
      [...xs].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    assert.deepEqual(sorted(got), sorted(logs));
  });

  it("keeps a sample's NaN payload (Prometheus' staleness marker)", async () => {
    await store.write({
      samples: [
        makeSeries({ __name__: 'stale', job: 'x' }, [
          [1, STALE],
          [2, NaN],
          [3, -0],
        ]),
      ],
    });
    const range = { minT: 0, maxT: 10 };
    const [got] = await store.selectSeries([{ name: '__name__', op: '=', value: 'stale' }], range);
    assert.deepEqual(
      got?.samples.map((p) => nanBits(p.v)),
      [STALE, NaN, -0].map(nanBits),
    );
    assert.equal(nanBits(STALE), 0x7ff0_0000_0000_0002n);
  });

  it('writes samples at negative, zero and large millisecond times', async () => {
    const times = [-1_000, 0, 1_700_000_000_123, Number.MAX_SAFE_INTEGER];
    const many = Array.from({ length: CHUNK + 1 }, (_, i): [number, number] => [i + 10, i / 4]);
    await store.write({
      samples: [
        makeSeries(
          { __name__: 'edge', job: 'x' },
          times.map((t, i) => [t, i - 0.5]),
        ),
        makeSeries({ __name__: 'many', job: 'x' }, many),
      ],
    });
    const range = { minT: Number.MIN_SAFE_INTEGER, maxT: Number.MAX_SAFE_INTEGER };
    const [edge] = await store.selectSeries([{ name: '__name__', op: '=', value: 'edge' }], range);
    assert.deepEqual(
      edge?.samples,
      times.map((t, i) => ({ t, v: i - 0.5 })),
    );
    const [got] = await store.selectSeries([{ name: '__name__', op: '=', value: 'many' }], range);
    assert.deepEqual(
      got?.samples,
      many.map(([t, v]) => ({ t, v })),
    );
  });
});
