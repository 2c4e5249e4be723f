import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';

import { DuckDBInstance } from '@duckdb/node-api';

import { Checkpointer, parseBytes } from './checkpoints';
import { createDuckDbStore, DB_FILE_NAME } from './index';
import { makeResource, makeSpan, ms, spanIdOf, traceIdOf } from '../testing';

const root = mkdtempSync(path.join(tmpdir(), 'otel-lab-ckpt-'));
after(() => rmSync(root, { recursive: true, force: true }));

const walSize = (file: string): number =>
  statSync(`${file}.wal`, { throwIfNoEntry: false })?.size ?? 0;

describe('checkpoints off the write path', () => {
  it('reads sizes as DuckDB does, and refuses what is not one', () => {
    assert.equal(parseBytes('64MB'), 64e6);
    assert.equal(parseBytes('64 MiB'), 64 * 2 ** 20);
    assert.equal(parseBytes('1.5GB'), 1.5e9);
    assert.equal(parseBytes('4096'), 4096);
    assert.equal(parseBytes('2kib'), 2048);
    for (const bad of ['', 'MB', '-1MB', '0', '12 parsecs', '1e9', 'Infinity'])
      assert.throws(() => parseBytes(bad), RangeError, bad);
  });

  it('checkpoints once the WAL holds the threshold, and only then', async () => {
    const file = path.join(root, 'raw.duckdb');
    const db = await DuckDBInstance.create(file, { checkpoint_threshold: '1GB' });
    const writer = await db.connect();
    const own = await db.connect();
    try {
      await writer.run('CREATE TABLE t (a BIGINT, b VARCHAR)');
      await writer.run('CHECKPOINT');
      const c = new Checkpointer(own, `${file}.wal`, 1_000_000);
      await writer.run("INSERT INTO t SELECT i, 'x' || i FROM range(1000) r(i)");
      c.afterCommit();
      await c.close();
      const small = walSize(file);
      assert.ok(small > 0 && small < 1_000_000, `WAL ${small}`);
      await writer.run("INSERT INTO t SELECT i, repeat('x', 100) || i FROM range(100000) r(i)");
      assert.ok(walSize(file) >= 1_000_000);
      c.afterCommit();
      await c.close();
      assert.ok(walSize(file) < small, `WAL ${walSize(file)} after the checkpoint`);
      assert.equal(c.failures, 0);
      assert.equal(
        (await writer.runAndReadAll('SELECT count(*)::INTEGER FROM t')).getRows()[0]?.[0],
        101_000,
      );
    } finally {
      writer.closeSync();
      own.closeSync();
      db.closeSync();
    }
  });

  it('counts a checkpoint that failed and does not throw; in memory there is none', async () => {
    const db = await DuckDBInstance.create(path.join(root, 'closed.duckdb'));
    const conn = await db.connect();
    conn.closeSync();
    const c = new Checkpointer(conn, path.join(root, 'closed.duckdb.wal'), 1);
    await c.now();
    assert.equal(c.failures, 1);
    db.closeSync();
    const mem = new Checkpointer(conn, undefined, 1);
    mem.afterCommit();
    await mem.now();
    assert.equal(mem.failures, 0);
  });

  it('keeps the store WAL near its threshold while writes go on, and refuses a bad one', async () => {
    await assert.rejects(
      createDuckDbStore({ dataDir: path.join(root, 'bad'), checkpointThreshold: 'lots' }),
      RangeError,
    );
    const dataDir = path.join(root, 'store');
    const store = await createDuckDbStore({ dataDir, threads: 1, checkpointThreshold: '256KiB' });
    const resource = makeResource('shop');
    let peak = 0;
    try {
      for (let w = 0; w < 40; w++) {
        await store.write({
          spans: Array.from({ length: 200 }, (_, i) =>
            makeSpan({
              traceId: traceIdOf(w * 200 + i + 1),
              spanId: spanIdOf(w * 200 + i + 1),
              resource,
              name: `op ${'y'.repeat(200)} ${i}`,
              startTimeUnixNano: ms(1_000 + w),
              endTimeUnixNano: ms(1_001 + w),
            }),
          ),
        });
        peak = Math.max(peak, walSize(path.join(dataDir, DB_FILE_NAME)));
      }
      assert.equal((await store.stats()).spans, 8_000);
    } finally {
      await store.close();
    }
    // The store checkpointed near 256 KiB (330 KB measured: a write or two
    // lands while one runs); DuckDB's own trigger alone let it reach 4x (975 KB).
    assert.ok(peak < 2 * 256 * 1024, `WAL peak ${peak}`);
  });
});
