// Retention by size as the backend runs it (applyRetention every minute):
// it reaches the limit when deleting the oldest data frees space, and when
// deleting frees nothing (the rows share a row group with newer ones) it
// stops, rather than deleting everything on later passes for a limit it
// cannot reach.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { DuckDBInstance } from '@duckdb/node-api';
import { bulkySpans, ms, traceIdOf } from '../testing';
import { createDuckDbStore } from './index';
import type { DuckDbStore } from './index';

const root = mkdtempSync(path.join(tmpdir(), 'otel-lab-retention-size-'));
after(() => rmSync(root, { recursive: true, force: true }));

const MINUTE_MS = 60_000;

/** Bytes in the store's used blocks, as retention measures them. */
async function usedBytes(store: DuckDbStore): Promise<number> {
  const conn = await (store as unknown as { instance: DuckDBInstance }).instance.connect();
  try {
    await conn.run('CHECKPOINT');
    const rows = (
      await conn.runAndReadAll(
        'SELECT used_blocks * block_size FROM pragma_database_size() WHERE database_name = current_database()',
      )
    ).getRows();
    return Number(rows[0]?.[0]);
  } finally {
    conn.closeSync();
  }
}

describe('DuckDB store retention by size, pass after pass', () => {
  it('gets under the limit by dropping the oldest row groups, keeping the newest data', async () => {
    const store = await createDuckDbStore({ dataDir: path.join(root, 'reach'), threads: 1 });
    try {
      // Four minutes of a row group (122,880 rows) and a bit each.
      const perMinute = 130_000;
      for (let m = 0; m < 4; m++)
        await store.write({ spans: bulkySpans(m * MINUTE_MS, m * perMinute + 1, perMinute, 20) });
      const full = await usedBytes(store);
      // Reached by dropping about half the minutes (the last minute alone is a quarter and a bit).
      const limit = Math.floor(full * 0.6);
      await store.applyRetention({ maxBytes: limit }, ms(4 * MINUTE_MS));
      const used = await usedBytes(store);
      assert.ok(used <= limit, `used ${used} bytes, limit ${limit} (was ${full})`);
      assert.deepEqual(await store.getTrace(traceIdOf(1)), [], 'the oldest trace is gone');
      assert.equal((await store.getTrace(traceIdOf(4 * perMinute))).length, 1, 'the newest stays');
    } finally {
      await store.close();
    }
  });

  it('stops when deleting frees nothing, and deletes nothing more on later passes until the store grows', async () => {
    const store = await createDuckDbStore({ dataDir: path.join(root, 'floor'), threads: 1 });
    try {
      // 40 minutes of 2,000 spans: all in one row group, so deleting part of it frees no block.
      const perMinute = 2000;
      for (let m = 0; m < 40; m++)
        await store.write({ spans: bulkySpans(m * MINUTE_MS, m * perMinute + 1, perMinute, 200) });
      const total = 40 * perMinute;
      const now = ms(40 * MINUTE_MS);
      await store.applyRetention({ maxBytes: 1 }, now);
      const afterFirst = (await store.stats()).spans;
      // Three tenths of the time range went before retention saw that deleting frees nothing.
      assert.ok(
        afterFirst < total && afterFirst >= 0.65 * total,
        `kept ${afterFirst} of ${total} spans after the first pass`,
      );
      for (let pass = 2; pass <= 4; pass++) {
        await store.applyRetention({ maxBytes: 1 }, now + BigInt(pass));
        assert.equal((await store.stats()).spans, afterFirst, `pass ${pass} deleted more`);
      }
      assert.equal((await store.getTrace(traceIdOf(total))).length, 1, 'the newest stays');
    } finally {
      await store.close();
    }
  });
});
