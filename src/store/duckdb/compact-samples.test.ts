import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';

import { DuckDBInstance } from '@duckdb/node-api';

import type { SeriesSamples } from '../../model/telemetry';
import type { LabelMatcher, MsRange } from '../store';
import { SAMPLE_BLOCK_MS, SamplesCompactor } from './compact-samples';
import type { WriterTurn } from './compact-samples';
import { DB_FILE_NAME, createDuckDbStore } from './index';
import type { DuckDbStore } from './index';
import { read } from './params';

const CHILD = 'OTEL_LAB_COMPACT_SAMPLES_CHILD';
const MIN = 60_000;
const ALL: MsRange = { minT: -1e12, maxT: 1e13 };
const nsOfMs = (t: number): bigint => BigInt(t) * 1_000_000n;
const up: LabelMatcher[] = [{ name: '__name__', op: '=', value: 'up' }];
const job = (j: string): LabelMatcher[] => [...up, { name: 'job', op: '=', value: j }];
const series = (j: string, samples: [number, number][]): SeriesSamples => ({
  labels: { __name__: 'up', job: j },
  samples: samples.map(([t, v]) => ({ t, v })),
});

/** Everything a reader can see: all series at once, and each alone (the one-series query). */
async function snapshot(store: DuckDbStore, jobs: readonly string[]): Promise<unknown> {
  const each = [];
  for (const j of jobs) each.push(await store.selectSeries(job(j), ALL));
  return { all: await store.selectSeries(up, ALL), each };
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

/** Rows of one table as stored, in rowid order. */
async function rawRows(file: string, sql: string): Promise<unknown[][]> {
  const db = await DuckDBInstance.create(file);
  const c = await db.connect();
  try {
    return (await read(c, sql)).getRows().map((r) => r.map((v) => Number(v)));
  } finally {
    c.closeSync();
    db.closeSync();
  }
}

async function childMain(dataDir: string): Promise<void> {
  const store = await createDuckDbStore({ dataDir, threads: 1 });
  process.stdout.write('go\n');
  await store.compactSamples(nsOfMs(10 * SAMPLE_BLOCK_MS));
  process.stdout.write('done\n');
  await new Promise(() => undefined); // the parent kills us
}

if (process.env[CHILD] !== undefined) {
  void childMain(process.env[CHILD]);
} else {
  const root = mkdtempSync(path.join(tmpdir(), 'otel-lab-compact-samples-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  describe('DuckDB samples compaction', () => {
    it('keeps what reads see (duplicates, out-of-order, later writes) and moves blocks in metric order', async () => {
      const dataDir = path.join(root, 'semantics');
      const B = SAMPLE_BLOCK_MS;
      let store = await createDuckDbStore({ dataDir, threads: 2 });
      try {
        // Three blocks, series interleaved in time as the lab writes them;
        // a rewritten time within one write, across writes, out of order.
        for (let k = 0; k < 6; k++) {
          const t = (k * B) / 2;
          await store.write({
            samples: [
              series('c', [
                [t, k],
                [t + 1000, k + 0.5],
              ]),
              series('a', [
                [t, 10 + k],
                [t + 1000, 20 + k],
                [t, 30 + k],
              ]),
              series('b', [[t + 500, Number.NaN]]),
            ],
          });
        }
        await store.write({
          samples: [
            series('a', [
              [1000, 99],
              [B + 1000, 98],
              [-5, 7],
            ]),
            series('b', [[500, 1.5]]),
          ],
        });
        const before = await snapshot(store, ['a', 'b', 'c']);
        // Block 2 ended less than the settle time ago, so blocks -1 (t = -5
        // ms), 0 and 1 are closed.
        const now = nsOfMs(3 * B + 5 * MIN - 1);
        assert.deepEqual(await compactAll(store, now), [-1n, 0n, 1n]);
        assert.deepEqual(await snapshot(store, ['a', 'b', 'c']), before);

        // A later write into a compacted block's time still wins.
        await store.write({ samples: [series('a', [[1000, 77]])] });
        const [a] = await store.selectSeries(job('a'), { minT: 0, maxT: 2000 });
        assert.deepEqual(a?.samples, [
          { t: 0, v: 30 },
          { t: 1000, v: 77 },
        ]);
        assert.deepEqual(await compactAll(store, now), []);
        const later = await snapshot(store, ['a', 'b', 'c']);

        // Remembered across a reopen: only the newly closed block is done.
        await store.close();
        store = await createDuckDbStore({ dataDir, threads: 2 });
        assert.deepEqual(await compactAll(store, now + nsOfMs(B)), [2n]);
        assert.deepEqual(await snapshot(store, ['a', 'b', 'c']), later);

        // Retention by age still works, and forgets the blocks it emptied.
        await store.applyRetention({ maxAge: nsOfMs(B) }, nsOfMs(2 * B));
        const kept = (await store.selectSeries(up, ALL)).flatMap((s) => s.samples.map((x) => x.t));
        assert.ok(kept.length > 0 && kept.every((t) => t >= B), `kept ${kept.join(',')}`);
      } finally {
        await store.close();
      }
      const file = path.join(dataDir, DB_FILE_NAME);
      // The block moved: one row per (series, time), in (metric_id, series_id, t) order.
      const rows = await rawRows(
        file,
        `SELECT metric_id, series_id, t FROM samples_settled WHERE t >= ${B} AND t < ${2 * B} ORDER BY rowid`,
      );
      const sorted = [...rows].sort(
        (x, y) =>
          (x[0] as number) - (y[0] as number) ||
          (x[1] as number) - (y[1] as number) ||
          (x[2] as number) - (y[2] as number),
      );
      assert.ok(rows.length > 0);
      assert.deepEqual(rows, sorted);
      assert.equal(new Set(rows.map((r) => r.join())).size, rows.length);
      assert.deepEqual(await rawRows(file, `SELECT count(*) FROM samples WHERE t < ${3 * B}`), [
        [0],
      ]);
      const blocks = await rawRows(file, 'SELECT block FROM compacted_sample_blocks ORDER BY 1');
      assert.deepEqual(blocks, [[1], [2]]);
    });

    it('keeps the last write of a series stored under two ids', async () => {
      const dataDir = path.join(root, 'two-ids');
      let store = await createDuckDbStore({ dataDir, threads: 1 });
      await store.write({ samples: [series('a', [[1000, 1]]), series('b', [[1000, 2]])] });
      await store.close();
      // As a write that skipped the key lookup leaves it: 'a' also under id
      // 999; then a newer sample under the older, smaller id.
      const file = path.join(dataDir, DB_FILE_NAME);
      const db = await DuckDBInstance.create(file);
      const c = await db.connect();
      await c.run(
        'INSERT INTO series SELECT 999, metric, labels FROM series WHERE labels LIKE \'%"a"%\'',
      );
      await c.run('INSERT INTO samples SELECT 999, 1000, 5 UNION ALL SELECT 999, 2000, 6');
      await c.run(
        'INSERT INTO samples SELECT id, 1000, 7 FROM series WHERE labels LIKE \'%"a"%\' AND id <> 999',
      );
      c.closeSync();
      db.closeSync();
      store = await createDuckDbStore({ dataDir, threads: 1 });
      try {
        const expected = [
          {
            labels: { __name__: 'up', job: 'a' },
            samples: [
              { t: 1000, v: 7 },
              { t: 2000, v: 6 },
            ],
          },
        ];
        assert.deepEqual(await store.selectSeries(job('a'), ALL), expected);
        const before = await snapshot(store, ['a', 'b']);
        assert.deepEqual(await compactAll(store, nsOfMs(10 * SAMPLE_BLOCK_MS)), [0n]);
        assert.deepEqual(await store.selectSeries(job('a'), ALL), expected);
        assert.deepEqual(await snapshot(store, ['a', 'b']), before);
      } finally {
        await store.close();
      }
    });

    it('sorts the block again when a write lands between its two turns', async () => {
      const dataDir = path.join(root, 'between');
      let store = await createDuckDbStore({ dataDir, threads: 1 });
      await store.write({
        samples: [
          series('a', [
            [1000, 1],
            [2000, 2],
          ]),
          series('b', [[1000, 3]]),
        ],
      });
      await store.close();
      const db = await DuckDBInstance.create(path.join(dataDir, DB_FILE_NAME));
      const c = await db.connect();
      const now = BigInt(10 * SAMPLE_BLOCK_MS);
      try {
        let turns = 0;
        const between: WriterTurn = async (task) => {
          if (turns++ === 1)
            await c.run(
              'INSERT INTO samples SELECT id, 1000, 9 FROM series WHERE labels LIKE \'%"a"%\'',
            );
          return task(c);
        };
        const done = await new SamplesCompactor().step(between, now);
        assert.equal(done?.restaged, true);
        assert.equal(done?.rowsBefore, 4);
        assert.equal(done?.rowsAfter, 3);
        const quiet: WriterTurn = async (task) => task(c);
        assert.equal(await new SamplesCompactor().step(quiet, now), undefined);
      } finally {
        c.closeSync();
        db.closeSync();
      }
      store = await createDuckDbStore({ dataDir, threads: 1 });
      try {
        assert.deepEqual(await store.selectSeries(up, ALL), [
          series('a', [
            [1000, 9],
            [2000, 2],
          ]),
          series('b', [[1000, 3]]),
        ]);
        await store.write({ samples: [series('a', [[SAMPLE_BLOCK_MS + 1, 1]])] });
        const next = await store.compactSamples(nsOfMs(10 * SAMPLE_BLOCK_MS));
        assert.equal(next?.block, 1n);
        assert.equal(next?.restaged, false);
      } finally {
        await store.close();
      }
    });

    it('rejects nonsense block sizes', () => {
      assert.throws(() => new SamplesCompactor(0), /blockMs must be a positive integer, got 0/);
      assert.throws(() => new SamplesCompactor(1000, -1), /settleMs/);
    });

    it('loses nothing when the process is killed while compacting', async () => {
      const dataDir = path.join(root, 'killed');
      const jobs = Array.from({ length: 250 }, (_, i) => `j${i}`);
      let store = await createDuckDbStore({ dataDir, threads: 1 });
      await store.write({ samples: jobs.map((j) => series(j, [[0, 0]])) });
      await store.close();
      // 150k samples per block, bulk-loaded in time order: more than a row
      // group, so DuckDB writes the rewritten rows to the file before COMMIT.
      const db = await DuckDBInstance.create(path.join(dataDir, DB_FILE_NAME));
      const c = await db.connect();
      await c.run(
        'INSERT INTO samples SELECT s.id, r.t, s.id * r.t FROM range(1000, 1800000, 1000) r(t), series s ORDER BY r.t, s.id',
      );
      await c.run(
        'INSERT INTO samples SELECT id, 5000, -1 FROM series WHERE labels LIKE \'%"j1"%\'',
      );
      c.closeSync();
      db.closeSync();
      const some = jobs.slice(0, 4);
      let beforeKills: unknown;
      store = await createDuckDbStore({ dataDir, threads: 1 });
      try {
        beforeKills = await snapshot(store, some);
      } finally {
        await store.close();
      }
      const outcomes = new Set<string>();
      // Killed right as it starts and a little later: before, during or after the commit.
      for (const delayMs of [0, 15, 40]) {
        const out = await killDuring(dataDir, delayMs);
        outcomes.add(out);
        if (process.env.OTEL_LAB_TEST_VERBOSE) console.error(delayMs, out);
      }
      // A move is all or nothing: no (series, time) in both tables or twice
      // in the settled one, none lost.
      const file = path.join(dataDir, DB_FILE_NAME);
      assert.deepEqual(
        await rawRows(
          file,
          `SELECT (SELECT count(*) FROM (SELECT series_id, t FROM samples_settled GROUP BY ALL HAVING count(*) > 1)),
                  (SELECT count(*) FROM samples_settled s SEMI JOIN samples l ON l.series_id = s.series_id AND l.t = s.t),
                  (SELECT count(*) FROM (SELECT series_id, t FROM samples UNION SELECT series_id, t FROM samples_settled))`,
        ),
        [[0, 0, jobs.length * 1800]],
      );
      store = await createDuckDbStore({ dataDir, threads: 1 });
      try {
        const afterKills = await snapshot(store, some);
        assert.deepEqual(afterKills, beforeKills);
        const [j1] = await store.selectSeries(job('j1'), { minT: 5000, maxT: 5000 });
        assert.deepEqual(j1?.samples, [{ t: 5000, v: -1 }]);
        await compactAll(store, nsOfMs(10 * SAMPLE_BLOCK_MS));
        assert.deepEqual(await snapshot(store, some), afterKills);
        const all = await store.selectSeries(up, ALL);
        assert.equal(
          all.reduce((n, s) => n + s.samples.length, 0),
          jobs.length * 1800,
          `outcomes: ${[...outcomes].join(', ')}`,
        );
      } finally {
        await store.close();
      }
    });
  });
}

/** Runs a compaction in a child process and SIGKILLs it `delayMs` after it starts. */
function killDuring(dataDir: string, delayMs: number): Promise<string> {
  const execArgv = process.execArgv.filter((a) => !a.startsWith('--test'));
  const child = spawn(process.execPath, [...execArgv, __filename], {
    env: { ...process.env, [CHILD]: dataDir },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('go\n') && !out.includes('killing')) {
        out += 'killing\n';
        setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
    });
    child.on('error', reject);
    child.on('exit', () => {
      clearTimeout(timer);
      resolve(out.includes('done') ? 'finished before the kill' : 'killed mid-way');
    });
  });
}
