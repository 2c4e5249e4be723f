import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';

import { DuckDBInstance } from '@duckdb/node-api';

import type { Resource, Span } from '../../model/telemetry';
import { ALL_TIME } from '../contract-fixtures';
import { makeLog, makeResource, makeScope, makeSpan, ms, spanIdOf, traceIdOf } from '../testing';
import { DB_FILE_NAME, createDuckDbStore } from './index';
import { Interned } from './interned';

const root = mkdtempSync(path.join(tmpdir(), 'otel-lab-catalog-'));
after(() => rmSync(root, { recursive: true, force: true }));

const MINUTE_NS = 60n * 1_000_000_000n;

/** A sender that restarts often: one resource (and scope) per process id. */
const restarted = (pid: number): Resource =>
  makeResource('flaky', { 'process.pid': BigInt(pid), 'service.instance.id': `i-${pid}` });

function spansOf(first: number, n: number, atMs: number): Span[] {
  return Array.from({ length: n }, (_, i) =>
    makeSpan({
      traceId: traceIdOf(first + i),
      spanId: spanIdOf(first + i),
      resource: restarted(first + i),
      scope: makeScope({ version: `v${first + i}` }),
      startTimeUnixNano: ms(atMs),
      endTimeUnixNano: ms(atMs + 1),
    }),
  );
}

async function tableCounts(dataDir: string): Promise<[number, number]> {
  const db = await DuckDBInstance.create(path.join(dataDir, DB_FILE_NAME));
  const conn = await db.connect();
  try {
    const rows = (
      await conn.runAndReadAll(
        'SELECT (SELECT count(*) FROM resources)::INTEGER, (SELECT count(*) FROM scopes)::INTEGER',
      )
    ).getRows();
    return rows[0] as [number, number];
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

describe('DuckDB catalog: resources and scopes stay bounded', () => {
  it('retention deletes resources and scopes nothing refers to, in the table and in memory', async () => {
    const dataDir = path.join(root, 'retention');
    const store = await createDuckDbStore({ dataDir, threads: 1 });
    const now = ms(10 * 60_000);
    try {
      await store.write({ spans: spansOf(1, 300, 1_000) });
      // A log keeps one old resource alive although its span ages out.
      await store.write({
        logs: [makeLog({ resource: restarted(1), timeUnixNano: now - MINUTE_NS })],
      });
      await store.write({ spans: spansOf(1_000, 5, 9 * 60_000) });
      assert.equal(store.catalogSizes().resources, 305);
      await store.applyRetention({ maxAge: 5n * MINUTE_NS }, now);
      const sizes = store.catalogSizes();
      assert.equal(sizes.resourceKeys, 6);
      assert.equal(sizes.scopeKeys, 6);
      assert.equal((await store.getTrace(traceIdOf(1))).length, 0);
      assert.deepEqual((await store.getTrace(traceIdOf(1_000)))[0]?.resource, restarted(1_000));
      const [log] = await store.searchLogs({ range: ALL_TIME, limit: 1 });
      assert.deepEqual(log?.resource, restarted(1));
      // A resource seen again after its row went is inserted again.
      await store.write({ spans: spansOf(2, 1, 9 * 60_000) });
      assert.deepEqual((await store.getTrace(traceIdOf(2)))[0]?.resource, restarted(2));
      assert.equal(store.catalogSizes().resourceKeys, 7);
      // The next run forgets the values it kept for reads already under way.
      await store.applyRetention({ maxAge: 5n * MINUTE_NS }, now);
      assert.equal(store.catalogSizes().resources, 7);
    } finally {
      await store.close();
    }
    // The span/log resources left: 1 (log), 2 (rewritten), 1000-1004; the
    // scope of the log is makeLog's own, of the spans one per span.
    assert.deepEqual(await tableCounts(dataDir), [7, 7]);
    const reopened = await createDuckDbStore({ dataDir, threads: 1 });
    try {
      await reopened.write({ spans: spansOf(3, 1, 9 * 60_000) });
      assert.deepEqual((await reopened.getTrace(traceIdOf(3)))[0]?.resource, restarted(3));
      assert.deepEqual((await reopened.getTrace(traceIdOf(1_004)))[0]?.resource, restarted(1_004));
    } finally {
      await reopened.close();
    }
  });

  it('keeps at most catalogEntries in memory; reads load what fell out, writes still dedupe recent ones', async () => {
    const dataDir = path.join(root, 'bounded');
    const store = await createDuckDbStore({ dataDir, threads: 1, catalogEntries: 50 });
    try {
      for (let k = 0; k < 6; k++) await store.write({ spans: spansOf(1 + k * 50, 50, 1_000 + k) });
      const sizes = store.catalogSizes();
      for (const n of Object.values(sizes)) assert.ok(n <= 50, JSON.stringify(sizes));
      // The first resources fell out of memory long ago: read back from the table.
      const got = await store.getTraces([traceIdOf(1), traceIdOf(2), traceIdOf(300)]);
      assert.deepEqual(got.get(traceIdOf(1))?.[0]?.resource, restarted(1));
      assert.deepEqual(got.get(traceIdOf(2))?.[0]?.scope, makeScope({ version: 'v2' }));
      assert.deepEqual(got.get(traceIdOf(300))?.[0]?.resource, restarted(300));
      // Same content again: a recent key is reused, an old one inserted again.
      await store.write({
        spans: [
          makeSpan({ traceId: traceIdOf(900), resource: restarted(300) }),
          makeSpan({ traceId: traceIdOf(901), resource: restarted(1) }),
        ],
      });
      assert.deepEqual((await store.getTrace(traceIdOf(901)))[0]?.resource, restarted(1));
    } finally {
      await store.close();
    }
    assert.deepEqual(await tableCounts(dataDir), [301, 300 + 1]);
    const reopened = await createDuckDbStore({ dataDir, threads: 1, catalogEntries: 50 });
    try {
      assert.ok(reopened.catalogSizes().resources <= 50);
      assert.deepEqual((await reopened.getTrace(traceIdOf(5)))[0]?.resource, restarted(5));
    } finally {
      await reopened.close();
    }
  });
});

describe('Interned', () => {
  it('forgets a retired key at once and its value one retirement later', () => {
    const t = new Interned<string>(10);
    t.add(1, 'a', 'A');
    t.add(2, 'b', 'B');
    t.retire([1]);
    assert.equal(t.idOf('a'), undefined);
    assert.equal(t.idOf('b'), 2);
    assert.equal(t.values.get(1), 'A');
    t.retire([]);
    assert.equal(t.values.get(1), undefined);
    assert.deepEqual(t.takeMisses(), [1]);
    assert.deepEqual(t.takeMisses(), []);
  });

  it('drops the oldest entries past its bound', () => {
    const t = new Interned<number>(10);
    for (let i = 1; i <= 11; i++) t.add(i, `k${i}`, i);
    assert.equal(t.keys, 9);
    assert.equal(t.values.size, 9);
    assert.equal(t.idOf('k1'), undefined);
    assert.equal(t.idOf('k11'), 11);
    assert.throws(() => new Interned(0), /positive integer/);
  });
});
