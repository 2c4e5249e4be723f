import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';

import { DuckDBInstance } from '@duckdb/node-api';

import type { SeriesSamples } from '../../model/telemetry';
import type { LabelMatcher, MsRange } from '../store';
import { SAMPLE_BLOCK_MS } from './compact-samples';
import { DB_FILE_NAME, createDuckDbStore } from './index';
import type { DuckDbStore } from './index';
import { latestSchemaVersion } from './migrate';
import { read } from './params';

const B = SAMPLE_BLOCK_MS;
const ALL: MsRange = { minT: -1e12, maxT: 1e13 };
const nsOfMs = (t: number): bigint => BigInt(t) * 1_000_000n;
const metric = (m: string): LabelMatcher[] => [{ name: '__name__', op: '=', value: m }];
const one = (m: string, j: number): LabelMatcher[] => [
  ...metric(m),
  { name: 'job', op: '=', value: `j${j}` },
];
const METRICS = ['up', 'load', 'mem'];
const JOBS = 4;

/** Series of three metrics, created interleaved so each metric's ids spread over the id range. */
function batch(times: readonly number[], value: (m: number, j: number, t: number) => number) {
  const samples: SeriesSamples[] = [];
  for (let j = 0; j < JOBS; j++)
    for (const [mi, m] of METRICS.entries())
      samples.push({
        labels: { __name__: m, job: `j${j}` },
        samples: times.map((t) => ({ t, v: value(mi, j, t) })),
      });
  return { samples };
}

/** Every read shape: each metric whole, each series alone, and windows cutting blocks. */
async function snapshot(store: DuckDbStore): Promise<unknown> {
  const out: unknown[] = [];
  for (const m of METRICS) {
    out.push(await store.selectSeries(metric(m), ALL));
    out.push(await store.selectSeries(metric(m), { minT: B / 2, maxT: 2 * B + 7 }));
    for (let j = 0; j < JOBS; j++) out.push(await store.selectSeries(one(m, j), ALL));
  }
  out.push(await store.series([metric('load')], ALL));
  out.push(await store.labelValues('job', [metric('mem')], { minT: 2 * B, maxT: 3 * B }));
  return out;
}

async function compactAll(store: DuckDbStore, now: bigint): Promise<bigint[]> {
  const blocks: bigint[] = [];
  for (let i = 0; i < 20; i++) {
    const done = await store.compactSamples(now);
    if (done === undefined) return blocks;
    blocks.push(done.block);
  }
  throw new Error('compaction did not finish in 20 calls');
}

async function rawRows(dataDir: string, sql: string): Promise<number[][]> {
  const db = await DuckDBInstance.create(path.join(dataDir, DB_FILE_NAME));
  const c = await db.connect();
  try {
    return (await read(c, sql)).getRows().map((r) => r.map((v) => Number(v)));
  } finally {
    c.closeSync();
    db.closeSync();
  }
}

const root = mkdtempSync(path.join(tmpdir(), 'otel-lab-samples-settled-'));
after(() => rmSync(root, { recursive: true, force: true }));

describe('settled samples (moved per block in metric order)', () => {
  it('a store compacted in place before the migration reads the same before and after its blocks move', async () => {
    const dataDir = path.join(root, 'migrated');
    const times = Array.from({ length: 12 }, (_, k) => (k * B) / 4 + 1000);
    const old = await createDuckDbStore({ dataDir, threads: 1, schemaVersion: 4 });
    await old.write(batch(times, (m, j, t) => m * 100 + j + t / 1e6));
    // Rewritten times, within the oldest block and across blocks.
    await old.write(batch([1000, B + 1000], (m, j) => -(m * 10 + j)));
    await old.close();
    // As the previous compaction left it: block 0 recorded as done in place.
    const db = await DuckDBInstance.create(path.join(dataDir, DB_FILE_NAME));
    const c = await db.connect();
    await c.run(
      'CREATE TABLE compacted_sample_blocks (block BIGINT NOT NULL, rows_before BIGINT NOT NULL, rows_after BIGINT NOT NULL)',
    );
    await c.run('INSERT INTO compacted_sample_blocks VALUES (0, 60, 48)');
    c.closeSync();
    db.closeSync();

    let store = await createDuckDbStore({ dataDir, threads: 1, sampleCacheBytes: 0 });
    let before: unknown;
    try {
      assert.equal(store.schemaVersion, latestSchemaVersion());
      before = await snapshot(store);
      const [first] = await store.selectSeries(one('load', 2), { minT: 0, maxT: B + 1000 });
      assert.deepEqual(
        first?.samples.map((s) => s.v),
        [
          -12,
          1 * 100 + 2 + (B / 4 + 1000) / 1e6,
          1 * 100 + 2 + (B / 2 + 1000) / 1e6,
          1 * 100 + 2 + ((3 * B) / 4 + 1000) / 1e6,
          -12,
        ],
      );
      // Blocks 0-1 closed; block 0 was done in place and is moved too.
      assert.deepEqual(await compactAll(store, nsOfMs(2 * B + 5 * 60_000)), [0n, 1n]);
      assert.deepEqual(await snapshot(store), before);
    } finally {
      await store.close();
    }
    const [[live, settled]] = (await rawRows(
      dataDir,
      `SELECT (SELECT count(*) FROM samples WHERE t < ${2 * B}), (SELECT count(*) FROM samples_settled)`,
    )) as [[number, number]];
    assert.equal(live, 0);
    assert.equal(settled, 8 * METRICS.length * JOBS);
    // Per block, one metric's rows together.
    const order = await rawRows(
      dataDir,
      'SELECT t // ' + B + ', metric_id FROM samples_settled ORDER BY rowid',
    );
    const runs = order.filter((r, i) => i === 0 || r.join() !== order[i - 1]?.join()).length;
    assert.equal(runs, 2 * METRICS.length);

    // Held samples (the cache on) answer the same, before and after a late write.
    store = await createDuckDbStore({ dataDir, threads: 1 });
    try {
      assert.deepEqual(await snapshot(store), before);
      await store.write(batch([B / 4 + 1000], () => 42));
      const [late] = await store.selectSeries(one('mem', 3), { minT: 0, maxT: B / 2 });
      assert.deepEqual(
        late?.samples.map((s) => s.v),
        [-23, 42],
      );
      const cached = await snapshot(store);
      await store.close();
      store = await createDuckDbStore({ dataDir, threads: 1, sampleCacheBytes: 0 });
      // Without held samples too: the live row written after the move wins.
      for (const range of [ALL, { minT: 0, maxT: B / 2 }]) {
        const mem = await store.selectSeries(metric('mem'), range);
        assert.deepEqual(
          mem.map((x) => x.samples.find((y) => y.t === B / 4 + 1000)?.v),
          [42, 42, 42, 42],
        );
        const [j3] = await store.selectSeries(one('mem', 3), range);
        assert.equal(j3?.samples.find((y) => y.t === B / 4 + 1000)?.v, 42);
      }
      assert.deepEqual(await snapshot(store), cached);
    } finally {
      await store.close();
    }
  });

  it('retention drops samples from both tables and keeps series that still have settled samples', async () => {
    const dataDir = path.join(root, 'retention');
    const store = await createDuckDbStore({ dataDir, threads: 1, sampleCacheBytes: 0 });
    try {
      await store.write(batch([1000, B / 2, B + 1000, (3 * B) / 2, 2 * B + 1000], (m, j) => m + j));
      // A series whose only samples end up settled, past the cutoff.
      await store.write({
        samples: [{ labels: { __name__: 'up', job: 'late' }, samples: [{ t: B + 5000, v: 1 }] }],
      });
      // A series whose samples are all before the cutoff.
      await store.write({
        samples: [{ labels: { __name__: 'up', job: 'gone' }, samples: [{ t: 2000, v: 1 }] }],
      });
      assert.deepEqual(await compactAll(store, nsOfMs(2 * B + 5 * 60_000)), [0n, 1n]);
      // Written after block 0 moved: live rows in a settled block.
      await store.write(batch([3000], () => 9));
      await store.applyRetention({ maxAge: nsOfMs(B + B / 2) }, nsOfMs(2 * B + B / 4));
      const cutoff = B * 0.75;
      const all = await store.selectSeries(metric('up'), ALL);
      const times = all.flatMap((s) => s.samples.map((x) => x.t));
      assert.ok(times.length > 0 && times.every((t) => t >= cutoff), times.join());
      assert.deepEqual(
        all.map((s) => s.labels['job']),
        ['j0', 'j1', 'j2', 'j3', 'late'],
      );
      assert.deepEqual((await store.series([metric('up')], ALL)).map((l) => l['job']).sort(), [
        'j0',
        'j1',
        'j2',
        'j3',
        'late',
      ]);
    } finally {
      await store.close();
    }
    const counts = await rawRows(
      dataDir,
      `SELECT (SELECT count(*) FROM samples WHERE t < ${B * 0.75}),
              (SELECT count(*) FROM samples_settled WHERE t < ${B * 0.75}),
              (SELECT count(*) FROM series WHERE labels LIKE '%gone%')`,
    );
    assert.deepEqual(counts, [[0, 0, 0]]);
  });
});
