import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';

import type { Span } from '../../model/telemetry';
import { ALL_TIME } from '../contract-fixtures';
import { bulkySpans, makeResource, makeSpan, ms, spanIdOf, traceIdOf } from '../testing';
import { DuckDBInstance } from '@duckdb/node-api';

import { shopSpans } from '../contract-fixtures';
import { DB_FILE_NAME, createDuckDbStore } from './index';

const root = mkdtempSync(path.join(tmpdir(), 'otel-lab-retention-'));
after(() => rmSync(root, { recursive: true, force: true }));

describe('DuckDB store retention by size', () => {
  it('drops the oldest data first until the store fits, keeping the newest', async () => {
    const store = await createDuckDbStore({ dataDir: path.join(root, 'size'), threads: 1 });
    try {
      const perSlice = 20_000;
      for (let k = 0; k < 4; k++)
        await store.write({ spans: bulkySpans(k * 60_000, k * perSlice + 1, perSlice) });
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

  it('moves the hot trace index into the cold part an hour after the last move, one row per trace, summaries unchanged', async () => {
    const dataDir = path.join(root, 'compact');
    const store = await createDuckDbStore({ dataDir, threads: 1 });
    const trace2 = shopSpans().filter((x) => x.traceId === traceIdOf(2));
    for (const span of trace2) await store.write({ spans: [span] });
    await store.write({ spans: shopSpans().filter((x) => x.traceId !== traceIdOf(2)) });
    const query = { range: ALL_TIME, limit: 10 };
    const before = await store.searchTraces(query);
    const now = ms(3_000) + 10n * 60n * 1_000_000_000n;
    const hour = 3_600n * 1_000_000_000n;
    const counts = async (): Promise<unknown[][]> => {
      const db = await DuckDBInstance.create(path.join(dataDir, DB_FILE_NAME));
      const conn = await db.connect();
      const rows = (
        await conn.runAndReadAll(
          `SELECT (SELECT count(*)::INTEGER FROM trace_index_hot),
                  count(*)::INTEGER, count(DISTINCT trace_id)::INTEGER FROM trace_index`,
        )
      ).getRows();
      conn.closeSync();
      db.closeSync();
      return rows;
    };
    await store.applyRetention({}, now);
    await store.applyRetention({}, now + hour - 1n);
    await store.close();
    assert.deepEqual(await counts(), [[trace2.length + 2, 0, 0]], 'not moved within the hour');

    const again = await createDuckDbStore({ dataDir, threads: 1 });
    await again.applyRetention({}, now);
    await again.applyRetention({}, now + hour);
    assert.deepEqual(await again.searchTraces(query), before);
    assert.deepEqual(await again.getTrace(traceIdOf(2)), trace2);
    await again.close();
    assert.deepEqual(await counts(), [[0, 3, 3]]);
  });

  it('drops by age across both parts of the trace index, rebuilding a trace cut in two', async () => {
    // Bound 1: every write first moves what the previous ones wrote to cold.
    const store = await createDuckDbStore({
      dataDir: path.join(root, 'age-hot-cold'),
      threads: 1,
      traceIndexHotRows: 1,
    });
    try {
      const resource = makeResource('svc');
      const span = (trace: number, id: number, atMs: number): Span =>
        makeSpan({
          traceId: traceIdOf(trace),
          spanId: spanIdOf(id),
          resource,
          startTimeUnixNano: ms(atMs),
          endTimeUnixNano: ms(atMs + 5),
        });
      // After the second write's move: trace 1 (old) and trace 2's first row
      // (from 1 s to 9 s, so cut in two by the cutoff) are cold; trace 2's
      // late span and trace 3 are hot.
      await store.write({ spans: [span(1, 1, 1_000), span(2, 2, 1_000), span(2, 3, 9_000)] });
      await store.write({ spans: [span(2, 5, 9_500), span(3, 4, 9_000)] });
      await store.applyRetention({ maxAge: ms(5_000) }, ms(10_000));
      assert.deepEqual(await store.getTrace(traceIdOf(1)), []);
      assert.deepEqual(
        (await store.getTrace(traceIdOf(2))).map((s) => s.spanId),
        [spanIdOf(3), spanIdOf(5)],
      );
      assert.equal((await store.getTrace(traceIdOf(3))).length, 1);
      const found = await store.searchTraces({ range: ALL_TIME, limit: 10 });
      assert.deepEqual(
        found
          .map((t) => [t.traceId, t.spanCount, t.startTimeUnixNano, t.durationNano])
          .sort((x, y) => (String(x[0]) < String(y[0]) ? -1 : 1)),
        [
          [traceIdOf(2), 2, ms(9_000), ms(505)],
          [traceIdOf(3), 1, ms(9_000), ms(5)],
        ],
      );
    } finally {
      await store.close();
    }
  });
});
