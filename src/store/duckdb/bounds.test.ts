// Issue 4's "bounded memory whatever the data size": the DuckDB memory limit
// is set at open, and a trace by id reads one row of the trace index (ART
// probe) and the spans of one time window, not the whole spans table.
// Measured with DuckDB's own profiler on the statements the store runs.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { DuckDBInstance, UHUGEINT } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import { makeSpan } from '../testing';
import { hexToBig } from './codec';
import { DEFAULT_MEMORY_LIMIT } from './duckdb-store';
import { createDuckDbStore, DB_FILE_NAME } from './index';
import type { Params } from './params';
import { big, readPrepared } from './params';
import { query } from './sql';

const root = mkdtempSync(path.join(tmpdir(), 'otel-lab-bounds-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** The store's DuckDB instance (private: read here only to check its settings). */
function instanceOf(store: unknown): DuckDBInstance {
  return (store as { instance: DuckDBInstance }).instance;
}

async function setting(conn: DuckDBConnection, name: string): Promise<string> {
  const rows = (await conn.runAndReadAll(`SELECT current_setting('${name}')`)).getRows();
  return String(rows[0]?.[0]);
}

interface ProfiledScan {
  readonly table: string;
  readonly type: string;
  readonly rowsScanned: number;
}

/** The table scans of one statement as DuckDB's profiler saw them. */
async function profiledScans(
  conn: DuckDBConnection,
  sql: string,
  params: Params,
): Promise<{ rows: number; scans: ProfiledScan[] }> {
  const out = path.join(root, 'profile.json');
  await conn.run(`PRAGMA enable_profiling='json'`);
  await conn.run(`PRAGMA profiling_output='${out}'`);
  await conn.run(
    `SET custom_profiling_settings='{"OPERATOR_ROWS_SCANNED":"true","OPERATOR_TYPE":"true","EXTRA_INFO":"true"}'`,
  );
  const rows = (await readPrepared(conn, sql, params)).getRows().length;
  await conn.run('PRAGMA disable_profiling');
  interface Node {
    operator_type?: string;
    operator_rows_scanned?: number;
    extra_info?: { Table?: string; Type?: string };
    children?: Node[];
  }
  const scans: ProfiledScan[] = [];
  const walk = (n: Node): void => {
    if (n.operator_type === 'TABLE_SCAN')
      scans.push({
        table: n.extra_info?.Table ?? '',
        type: n.extra_info?.Type ?? '',
        rowsScanned: n.operator_rows_scanned ?? -1,
      });
    for (const c of n.children ?? []) walk(c);
  };
  walk(JSON.parse(readFileSync(out, 'utf8')) as Node);
  return { rows, scans };
}

describe('DuckDB store bounds', () => {
  it('sets the DuckDB memory limit at open: 256MB by default, or the one it is given', async () => {
    assert.equal(DEFAULT_MEMORY_LIMIT, '256MB');
    for (const [memoryLimit, shown] of [
      [undefined, '244.1 MiB'],
      ['1GB', '953.6 MiB'],
    ] as const) {
      const store = await createDuckDbStore({
        dataDir: path.join(root, `limit-${memoryLimit ?? 'default'}`),
        threads: 1,
        ...(memoryLimit === undefined ? {} : { memoryLimit }),
      });
      const conn = await instanceOf(store).connect();
      try {
        // DuckDB shows MB (10^6 bytes) in MiB.
        assert.equal(await setting(conn, 'memory_limit'), shown);
      } finally {
        conn.closeSync();
        await store.close();
      }
    }
  });

  it('reads a trace by id with an index probe and one time window of spans, not the whole table', async () => {
    const dataDir = path.join(root, 'scan');
    const store = await createDuckDbStore({ dataDir, threads: 1 });
    // Three writes of a row group and a bit each, in time order as ingest is.
    const perWrite = 130_000;
    const T0 = 1_000_000_000_000_000_000n;
    const idOf = (k: number, chars: number): string => (k + 1).toString(16).padStart(chars, '0');
    // Trace ids as random as real ones (an odd multiplier permutes 64-bit values), so
    // no zone map on trace_id can narrow the scan: only the time window can.
    const traceOf = (k: number): string =>
      ((BigInt(k + 1) * 0x9e3779b97f4a7c15n) & 0xffff_ffff_ffff_ffffn)
        .toString(16)
        .padStart(32, '1');
    const startOf = (k: number): bigint => T0 + BigInt(k) * 1000n;
    for (let w = 0; w < 3; w++) {
      await store.write({
        spans: Array.from({ length: perWrite }, (_, i) => {
          const k = w * perWrite + i;
          return makeSpan({
            traceId: traceOf(k),
            spanId: idOf(k, 16),
            startTimeUnixNano: startOf(k),
            endTimeUnixNano: startOf(k) + 10n,
          });
        }),
      });
    }
    // The trace index's hot part moves into the cold part (ART on trace_id).
    await store.flushTraceIndex();
    const k = perWrite + 5;
    assert.deepEqual(
      (await store.getTrace(traceOf(k))).map((s) => s.spanId),
      [idOf(k, 16)],
    );
    await store.close();

    const db = await DuckDBInstance.create(path.join(dataDir, DB_FILE_NAME));
    const conn = await db.connect();
    try {
      const total = Number(
        (await conn.runAndReadAll('SELECT count(*) FROM spans')).getRows()[0]?.[0],
      );
      assert.equal(total, 3 * perWrite);
      const traceId = [hexToBig(traceOf(k)), UHUGEINT] as const;
      const window = await profiledScans(conn, query('trace-window-cold'), { trace_id: traceId });
      assert.deepEqual(window.scans, [
        { table: '"otel-lab".main.trace_index', type: 'Index Scan', rowsScanned: 1 },
      ]);
      const spans = await profiledScans(conn, query('trace-spans'), {
        trace_id: traceId,
        lo: big(startOf(k)),
        hi: big(startOf(k)),
      });
      assert.equal(spans.rows, 1);
      assert.equal(spans.scans.length, 1);
      const [scan] = spans.scans;
      // Zone maps on start_ns leave one row group (122,880 rows) of the three.
      assert.ok(
        scan !== undefined && scan.rowsScanned > 0 && scan.rowsScanned <= 122_880,
        `spans rows scanned: ${scan?.rowsScanned} of ${total}`,
      );
    } finally {
      conn.closeSync();
      db.closeSync();
    }
  });
});
