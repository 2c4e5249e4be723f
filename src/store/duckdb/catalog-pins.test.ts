import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { LogRecord, Span } from '../../model/telemetry';
import { ALL_TIME } from '../contract-fixtures';
import type { TelemetryStore } from '../store';
import { makeLog, makeResource, makeScope, makeSpan, ms, spanIdOf, traceIdOf } from '../testing';
import { createDuckDbStore } from './index';
import { Interned, ReadRows } from './interned';

describe('ReadRows', () => {
  it('keeps what a read loaded readable past the bound, for that read only', async () => {
    const t = new Interned<string>(2);
    const read = new ReadRows();
    for (let id = 1; id <= 10; id++) t.cache(id, `v${id}`, read);
    assert.ok(t.values.size <= 2);
    await read.run(async () => {
      await Promise.resolve();
      for (let id = 1; id <= 10; id++) assert.equal(t.values.get(id), `v${id}`);
      assert.equal(t.values.get(11), undefined);
    });
    assert.deepEqual(t.takeMisses(read), [11]);
    assert.deepEqual(t.takeMisses(read), []);
    assert.equal(read.size, 10);
    // Outside the read: only the bounded entries, and the miss is the shared one.
    assert.equal(t.values.get(1), undefined);
    assert.deepEqual(t.takeMisses(), [1]);
  });

  it('notes each read its own misses while reads run at the same time', async () => {
    const t = new Interned<string>(1);
    const a = new ReadRows();
    const b = new ReadRows();
    t.cache(7, 'seven', a);
    t.cache(20, 'twenty');
    t.cache(21, 'twenty-one');
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = a.run(async () => {
      await gate;
      return [t.values.get(7), t.values.get(8)];
    });
    const second = b.run(async () => [t.values.get(7), t.values.get(9)]);
    assert.deepEqual(await second, [undefined, undefined]);
    release();
    assert.deepEqual(await first, ['seven', undefined]);
    assert.deepEqual(t.takeMisses(a), [8]);
    assert.deepEqual(t.takeMisses(b), [7, 9]);
    assert.deepEqual(t.takeMisses(), []);
  });
});

// One resource and one scope per sender, each written alone so no two rows of
// a read share a resource and loading one evicts the others.
const RESOURCES = 24;
const resourceOf = (i: number) =>
  makeResource(`svc-${i % 3}`, { 'service.instance.id': `pod-${i}`, 'process.pid': BigInt(i) });
const spanOf = (i: number): Span =>
  makeSpan({
    traceId: traceIdOf(i + 1),
    spanId: spanIdOf(i + 1),
    resource: resourceOf(i),
    scope: makeScope({ version: `v${i}` }),
    startTimeUnixNano: ms(1_000 + i),
    endTimeUnixNano: ms(1_001 + i),
  });
const logOf = (i: number): LogRecord => ({
  ...makeLog({ body: `line ${i}` }),
  resource: resourceOf(i),
  scope: makeScope({ version: `v${i}` }),
  timeUnixNano: ms(1_000 + i),
});

async function filled(catalogEntries?: number, senders = RESOURCES): Promise<TelemetryStore> {
  const store = await createDuckDbStore({
    dataDir: ':memory:',
    threads: 1,
    ...(catalogEntries === undefined ? {} : { catalogEntries }),
  });
  for (let i = 0; i < senders; i++) await store.write({ spans: [spanOf(i)], logs: [logOf(i)] });
  // The newest rows are the ones the cache keeps: read the oldest first.
  return store;
}

describe('a read using more resources than the catalog holds', () => {
  it('answers search, getTraces and logs as an uncapped store does', async () => {
    const capped = await filled(2);
    const whole = await filled();
    try {
      const ids = Array.from({ length: RESOURCES }, (_, i) => traceIdOf(i + 1));
      const want = await whole.getTraces(ids);
      assert.equal(want.size, RESOURCES);
      assert.deepEqual(await capped.getTraces(ids), want);

      for (const limit of [4, RESOURCES]) {
        const q = { range: ALL_TIME, limit, sort: 'recent' as const };
        const got = await capped.searchTraces(q);
        assert.equal(got.length, limit);
        assert.deepEqual(got, await whole.searchTraces(q));
      }
      const byService = { range: ALL_TIME, limit: 10, service: 'svc-1' };
      assert.deepEqual(await capped.searchTraces(byService), await whole.searchTraces(byService));

      const lq = { range: ALL_TIME, limit: 100 };
      const logs = await whole.searchLogs(lq);
      assert.equal(logs.length, RESOURCES);
      assert.deepEqual(await capped.searchLogs(lq), logs);
      // Run again: the pins of the first reads were released, nothing is stale.
      assert.deepEqual(await capped.getTraces(ids), want);
    } finally {
      await capped.close();
      await whole.close();
    }
  });

  it('loads every resource a read misses in one round, however many (more than the retry cap)', async () => {
    const senders = 300;
    const capped = await filled(2, senders);
    const whole = await filled(undefined, senders);
    try {
      const ids = Array.from({ length: senders }, (_, i) => traceIdOf(i + 1));
      const want = await whole.getTraces(ids);
      assert.equal(want.size, senders);
      assert.deepEqual(await capped.getTraces(ids), want);
      const lq = { range: ALL_TIME, limit: 1000 };
      assert.deepEqual(await capped.searchLogs(lq), await whole.searchLogs(lq));
    } finally {
      await capped.close();
      await whole.close();
    }
  });
});
