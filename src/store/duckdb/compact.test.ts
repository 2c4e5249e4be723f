// Compaction gives back what retention freed: the file shrinks, every row
// and the trace index's ART come through, and it refuses a store another
// process has open without touching it.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { bulkySpans, makeLog, ms, traceIdOf } from '../testing';
import { COMPACT_SUFFIX, compactStore } from './compact';
import { createDuckDbStore, DB_FILE_NAME, StoreOpenError } from './index';
import { latestSchemaVersion } from './migrate';

const root = mkdtempSync(path.join(tmpdir(), 'otel-lab-compact-'));
after(() => rmSync(root, { recursive: true, force: true }));

const MINUTE_MS = 60_000;
const PER_MINUTE = 40_000;

/** A store of five minutes of bulky spans and a log, then age retention keeping the last minute. */
async function storeAfterRetention(dataDir: string): Promise<void> {
  const store = await createDuckDbStore({ dataDir, threads: 1 });
  try {
    for (let m = 0; m < 5; m++)
      await store.write({ spans: bulkySpans(m * MINUTE_MS, m * PER_MINUTE + 1, PER_MINUTE) });
    await store.write({ logs: [makeLog({ timeUnixNano: ms(4 * MINUTE_MS + 1) })] });
    await store.flushTraceIndex();
    await store.applyRetention({ maxAge: ms(MINUTE_MS) }, ms(5 * MINUTE_MS));
  } finally {
    await store.close();
  }
}

async function freeBytes(dataDir: string): Promise<number> {
  const store = await createDuckDbStore({ dataDir, threads: 1 });
  try {
    return (await store.stats()).bytesFree;
  } finally {
    await store.close();
  }
}

describe('DuckDB store compaction', () => {
  it('shrinks the file to its live data and keeps every row, the index and the schema version', async () => {
    const dataDir = path.join(root, 'shrink');
    await storeAfterRetention(dataDir);
    const file = path.join(dataDir, DB_FILE_NAME);
    const freedBefore = await freeBytes(dataDir);
    // What retention deleted is free space inside the file, shown in /metrics.
    assert.ok(freedBefore > 0, `free bytes before compacting: ${freedBefore}`);
    const before = statSync(file).size;

    const result = await compactStore({ dataDir, threads: 1 });
    assert.equal(result.bytesBefore, before);
    assert.equal(result.bytesAfter, statSync(file).size);
    // Four of five minutes were deleted: the copy holds about a fifth.
    assert.ok(
      result.bytesAfter < before / 2,
      `compacted ${before} -> ${result.bytesAfter} bytes, expected under half`,
    );
    assert.equal(result.rows['main.spans'], PER_MINUTE);
    assert.equal(result.rows['main.logs'], 1);
    assert.equal(existsSync(`${file}${COMPACT_SUFFIX}`), false);

    const store = await createDuckDbStore({ dataDir, threads: 1 });
    try {
      const newest = 5 * PER_MINUTE;
      assert.equal((await store.getTrace(traceIdOf(newest))).length, 1, 'the newest trace stays');
      assert.deepEqual(await store.getTrace(traceIdOf(1)), [], 'what retention deleted stays gone');
      // The store still takes writes after compaction.
      await store.write({ spans: bulkySpans(5 * MINUTE_MS, newest + 1, 10) });
      assert.equal((await store.getTrace(traceIdOf(newest + 5))).length, 1);
    } finally {
      await store.close();
    }
    assert.ok((await freeBytes(dataDir)) < freedBefore / 4, 'the copy holds little free space');
    const db = await DuckDBInstance.create(file);
    const conn = await db.connect();
    try {
      const indexes = (
        await conn.runAndReadAll(`SELECT index_name FROM duckdb_indexes() ORDER BY ALL`)
      ).getRows();
      assert.deepEqual(indexes, [['trace_index_by_id']]);
      const version = (
        await conn.runAndReadAll('SELECT max(version) FROM schema_version')
      ).getRows()[0]?.[0];
      assert.equal(version, latestSchemaVersion());
    } finally {
      conn.closeSync();
      db.closeSync();
    }
  });

  it('removes a copy left by an interrupted compaction, never the store', async () => {
    const dataDir = path.join(root, 'leftover');
    const store = await createDuckDbStore({ dataDir, threads: 1 });
    await store.write({ spans: bulkySpans(0, 1, 100) });
    await store.close();
    const file = path.join(dataDir, DB_FILE_NAME);
    writeFileSync(`${file}${COMPACT_SUFFIX}`, 'half a copy');
    const result = await compactStore({ dataDir, threads: 1 });
    assert.equal(result.rows['main.spans'], 100);
    assert.equal(existsSync(`${file}${COMPACT_SUFFIX}`), false);
    const reopened = await createDuckDbStore({ dataDir, threads: 1 });
    try {
      assert.equal((await reopened.getTrace(traceIdOf(50))).length, 1);
    } finally {
      await reopened.close();
    }
  });

  it('refuses a store another process has open, leaving it as it was', async () => {
    const dataDir = path.join(root, 'busy');
    const store = await createDuckDbStore({ dataDir, threads: 1 });
    await store.write({ spans: bulkySpans(0, 1, 100) });
    await store.close();
    const file = path.join(dataDir, DB_FILE_NAME);
    const bytes = readFileSync(file);
    // Another process holds DuckDB's lock on the file (as a running `otel-lab serve` does).
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `const { DuckDBInstance } = require('@duckdb/node-api');
         DuckDBInstance.create(${JSON.stringify(file)}).then(() => { console.log('open'); setInterval(() => {}, 1000); });`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'], cwd: process.cwd() },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout.on('data', (d: Buffer) => {
          if (d.toString().includes('open')) resolve();
        });
        holder.on('exit', (code) => reject(new Error(`holder exited with ${code}`)));
      });
      await assert.rejects(compactStore({ dataDir, threads: 1 }), (err: Error) => {
        assert.ok(err instanceof StoreOpenError, String(err));
        assert.match(err.message, /in use by another process/);
        assert.ok(err.message.includes(file), err.message);
        return true;
      });
      assert.deepEqual(readFileSync(file), bytes, 'the store is untouched');
      assert.equal(existsSync(`${file}${COMPACT_SUFFIX}`), false);
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('says there is no store when the directory holds none, creating nothing', async () => {
    const dataDir = path.join(root, 'empty');
    await assert.rejects(compactStore({ dataDir }), (err: Error) => {
      assert.ok(err instanceof StoreOpenError);
      assert.match(err.message, /no store to compact at .*otel-lab\.duckdb/);
      return true;
    });
    assert.equal(existsSync(dataDir), false);
  });
});
