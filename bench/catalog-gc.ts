// What retention's clean-up of unused resources and scopes costs: spans into
// a DuckDB file store (a few steady services plus one sender that restarts
// every 1000 spans with a new process id), then the two DELETE ... RETURNING
// statements of Catalog.dropUnused timed on the same file, and one whole
// applyRetention that has nothing to drop by age.
//
//   npx tsc -b && node dist/bench/catalog-gc.js [spans=1000000] [batch=20000]
//
// Bounded: the ingest is the long part (~10-30 s per million spans); the
// temporary directory is removed at the end.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { DuckDBInstance } from '@duckdb/node-api';

import type { Span } from '../src/model/telemetry';
import { DB_FILE_NAME, createDuckDbStore } from '../src/store/duckdb';
import { query } from '../src/store/duckdb/sql';
import { makeResource, makeScope, makeSpan, spanIdOf, traceIdOf } from '../src/store/testing';

const total = Number(process.argv[2] ?? 1_000_000);
const batchSize = Number(process.argv[3] ?? 20_000);
const steady = ['frontend', 'cart', 'ad'].map((s) => makeResource(s));
const scope = makeScope();

function batch(first: number, n: number): Span[] {
  return Array.from({ length: n }, (_, i) => {
    const k = first + i;
    const resource =
      k % 2 === 0
        ? steady[k % steady.length]!
        : makeResource('flaky', { 'process.pid': BigInt(Math.floor(k / 1000)) });
    const start = 1_700_000_000_000_000_000n + BigInt(k) * 1_000_000n;
    return makeSpan({
      traceId: traceIdOf(k + 1),
      spanId: spanIdOf(k + 1),
      resource,
      scope,
      startTimeUnixNano: start,
      endTimeUnixNano: start + 5_000_000n,
      attributes: { 'app.n': BigInt(k) },
    });
  });
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'otel-lab-catalog-gc-'));
  try {
    const store = await createDuckDbStore({ dataDir: dir, threads: 1 });
    const t0 = performance.now();
    for (let i = 0; i < total; i += batchSize)
      await store.write({ spans: batch(i, Math.min(batchSize, total - i)) });
    const ingestS = (performance.now() - t0) / 1000;
    const now = 1_700_000_000_000_000_000n + BigInt(total) * 1_000_000n;
    const r0 = performance.now();
    await store.applyRetention({ maxAge: 1n << 62n }, now);
    const retentionMs = performance.now() - r0;
    const sizes = store.catalogSizes();
    await store.close();

    const db = await DuckDBInstance.create(path.join(dir, DB_FILE_NAME));
    const conn = await db.connect();
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const g0 = performance.now();
      await conn.run('BEGIN TRANSACTION');
      await conn.runAndReadAll(query('unused-resources'));
      await conn.runAndReadAll(query('unused-scopes'));
      await conn.run('ROLLBACK');
      times.push(performance.now() - g0);
    }
    conn.closeSync();
    db.closeSync();
    times.sort((a, b) => a - b);
    console.log(
      JSON.stringify({
        benchmark: 'retention clean-up of unused resources/scopes',
        spans: total,
        ingestSeconds: Number(ingestS.toFixed(1)),
        catalogSizes: sizes,
        dropUnusedMsMedian: Number(times[2]!.toFixed(1)),
        dropUnusedMsMax: Number(times[4]!.toFixed(1)),
        applyRetentionMs: Number(retentionMs.toFixed(1)),
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
