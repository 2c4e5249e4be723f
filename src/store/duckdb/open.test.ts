import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';

import { DB_FILE_NAME, StoreOpenError, createDuckDbStore } from './index';
import { openDatabase } from './open';

const root = mkdtempSync(path.join(tmpdir(), 'otel-lab-open-'));
after(() => rmSync(root, { recursive: true, force: true }));

function rejectsNaming(place: string, advice: RegExp) {
  return (err: unknown): boolean => {
    assert.ok(err instanceof StoreOpenError, `expected a StoreOpenError, got ${String(err)}`);
    assert.ok(err.message.includes(place), `message names ${place}: ${err.message}`);
    assert.match(err.message, advice);
    return true;
  };
}

describe('opening the DuckDB store', () => {
  it('creates a missing data directory', async () => {
    const store = await createDuckDbStore({ dataDir: path.join(root, 'a', 'b', 'c'), threads: 1 });
    assert.equal((await store.stats()).spans, 0);
    await store.close();
  });

  it('rejects a data directory it cannot create, naming it and what to do', async () => {
    const file = path.join(root, 'plain-file');
    writeFileSync(file, 'not a directory');
    const dataDir = path.join(file, 'data');
    await assert.rejects(
      createDuckDbStore({ dataDir, threads: 1 }),
      rejectsNaming(dataDir, /--data-dir/),
    );
  });

  it('rejects a corrupt database file, naming it, and leaves the bytes untouched', async () => {
    const dataDir = path.join(root, 'corrupt');
    const store = await createDuckDbStore({ dataDir, threads: 1 });
    await store.close();
    const file = path.join(dataDir, DB_FILE_NAME);
    const garbage = Buffer.alloc(64 * 1024, 0x5a);
    writeFileSync(file, garbage);
    await assert.rejects(
      createDuckDbStore({ dataDir, threads: 1 }),
      rejectsNaming(file, /move it aside/),
    );
    assert.deepEqual(readFileSync(file), garbage);
    // The same error again on retry: no crash loop, no repair attempt.
    await assert.rejects(
      createDuckDbStore({ dataDir, threads: 1 }),
      rejectsNaming(file, /move it aside/),
    );
  });
});

describe('DuckDB settings at open', () => {
  it('sets the checkpoint threshold it is given', async () => {
    const opened = await openDatabase({
      dataDir: path.join(root, 'settings'),
      memoryLimit: '256MB',
      threads: 1,
      checkpointThreshold: '64MB',
    });
    const conn = await opened.instance.connect();
    try {
      const rows = (
        await conn.runAndReadAll("SELECT current_setting('checkpoint_threshold')")
      ).getRows();
      // DuckDB reports 64MB (10^6 bytes) in MiB; its own default would read 16.0 MiB.
      assert.equal(rows[0]?.[0], '61.0 MiB');
    } finally {
      conn.closeSync();
      opened.instance.closeSync();
    }
  });
});
