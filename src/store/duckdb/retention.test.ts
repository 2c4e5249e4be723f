import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';

import type { Span } from '../../model/telemetry';
import { ALL_TIME } from '../contract-fixtures';
import { makeResource, makeSpan, ms, spanIdOf, traceIdOf } from '../testing';
import { DuckDBInstance } from '@duckdb/node-api';

import { shopSpans } from '../contract-fixtures';
import { DB_FILE_NAME, createDuckDbStore } from './index';

const root = mkdtempSync(path.join(tmpdir(), 'otel-lab-retention-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** `n` traces of one span each, all starting at `atMs`, with bulky unique attributes. */
function minute(atMs: number, first: number, n: number): Span[] {
  const resource = makeResource('load');
  return Array.from({ length: n }, (_, i) =>
    makeSpan({
      traceId: traceIdOf(first + i),
      spanId: spanIdOf(first + i),
      resource,
      startTimeUnixNano: ms(atMs),
      endTimeUnixNano: ms(atMs + 5),
      attributes: { payload: `${first + i}-${'x'.repeat(200)}-${Math.random()}` },
    }),
  );
}

describe('DuckDB store retention by size', () => {
  it('drops the oldest data first until the store fits, keeping the newest', async () => {
    const store = await createDuckDbStore({ dataDir: path.join(root, 'size'), threads: 1 });
    try {
      const perSlice = 20_000;
      for (let k = 0; k < 4; k++)
        await store.write({ spans: minute(k * 60_000, k * perSlice + 1, perSlice) });
      await store.applyRetention({ maxBytes: 1 }, ms(4 * 60_000));
      const left = await store.searchTraces({ range: ALL_TIME, limit: 1, sort: 'shortest' });
      assert.equal((await store.getTrace(traceIdOf(1))).length, 0, 'the oldest trace is gone');
      assert.equal(
        (await store.getTrace(traceIdOf(3 * perSlice + 1))).length,
        1,
        'the newest trace stays',
      );
      assert.ok(left.length === 1);
      const st = await store.stats();
      assert.ok(st.spans < 4 * perSlice && st.spans >= perSlice, `kept ${st.spans} spans`);
    } finally {
      await store.close();
    }
  });

  it('compacts a trace written over several batches into one index row, summaries unchanged', async () => {
    const dataDir = path.join(root, 'compact');
    const store = await createDuckDbStore({ dataDir, threads: 1 });
    const trace2 = shopSpans().filter((x) => x.traceId === traceIdOf(2));
    for (const span of trace2) await store.write({ spans: [span] });
    await store.write({ spans: shopSpans().filter((x) => x.traceId !== traceIdOf(2)) });
    const query = { range: ALL_TIME, limit: 10 };
    const before = await store.searchTraces(query);
    await store.applyRetention({}, ms(3_000) + 10n * 60n * 1_000_000_000n);
    assert.deepEqual(await store.searchTraces(query), before);
    assert.deepEqual(await store.getTrace(traceIdOf(2)), trace2);
    await store.close();

    const db = await DuckDBInstance.create(path.join(dataDir, DB_FILE_NAME));
    const conn = await db.connect();
    const rows = (
      await conn.runAndReadAll(
        'SELECT count(*)::INTEGER, count(DISTINCT trace_id)::INTEGER FROM trace_index',
      )
    ).getRows();
    conn.closeSync();
    db.closeSync();
    assert.deepEqual(rows, [[3, 3]]);
  });
});
