import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { DuckDBConnection } from '@duckdb/node-api';

import type { Labels, SeriesSamples, TelemetryBatch } from '../../model/telemetry';
import type { LabelMatcher, MsRange } from '../store';
import { Catalog } from './catalog';
import { createDuckDbStore } from './index';
import type { DuckDbStore } from './duckdb-store';
import { MEMORY, openDatabase } from './open';
import { SeriesIndex, pinnedMetrics } from './series-index';

const NS_PER_MS = 1_000_000n;
const ALL: MsRange = { minT: 0, maxT: 1e12 };
const LATE: MsRange = { minT: 50_000, maxT: 1e12 };
const CAP = 50;

const eq = (name: string, value: string): LabelMatcher => ({ name, op: '=', value });
const re = (name: string, value: string): LabelMatcher => ({ name, op: '=~', value });
const nre = (name: string, value: string): LabelMatcher => ({ name, op: '!~', value });
const ne = (name: string, value: string): LabelMatcher => ({ name, op: '!=', value });

/** The store's catalog: the series bound is not a store option yet (see the report). */
const catalogOf = (store: DuckDbStore): Catalog =>
  (store as unknown as { catalog: Catalog }).catalog;

/** 254 series over three metrics; `req_total` series with an even path stop at 40 s. */
function batches(): TelemetryBatch[] {
  const out: TelemetryBatch[] = [];
  for (let round = 0; round < 10; round++) {
    const t = 10_000 * (round + 1);
    const samples: { labels: Labels; samples: { t: number; v: number }[] }[] = [];
    for (let p = 0; p < 50; p++)
      for (const job of ['a', 'b', 'c']) {
        if (p % 2 === 0 && t > 40_000) continue;
        samples.push({
          labels: { __name__: 'req_total', job, path: `p${p}` },
          samples: [{ t, v: round * p }],
        });
      }
    for (let i = 0; i < 100; i++)
      samples.push({ labels: { __name__: 'mem', instance: `i${i}` }, samples: [{ t, v: i }] });
    for (const job of ['a', 'b', 'c'])
      samples.push({ labels: { __name__: 'up', job }, samples: [{ t, v: 1 }] });
    // Quotes and backslashes: the SQL pre-filter looks for a label pair in the key's JSON.
    samples.push({
      labels: { __name__: 'up', job: 'q"\\', note: '["job","a"]' },
      samples: [{ t, v: 2 }],
    });
    // Shuffled by a fixed rule: metrics interleave in the write order.
    samples.sort(
      (x, y) =>
        ((x.samples[0]!.v * 7919 + x.labels['__name__']!.length) % 13) -
        ((y.samples[0]!.v * 7919 + y.labels['__name__']!.length) % 13),
    );
    out.push({
      samples,
      exemplars: [
        {
          seriesLabels: { __name__: 'req_total', job: 'a', path: `p${round}` },
          exemplars: [{ labels: { trace_id: `t${round}` }, t: t + 1, v: round }],
        },
      ],
    });
  }
  return out;
}

const selectors: LabelMatcher[][] = [
  [eq('__name__', 'req_total')],
  [eq('__name__', 'req_total'), eq('job', 'b')],
  [eq('__name__', 'req_total'), re('path', 'p1.*')],
  [re('__name__', 'req_total|mem')],
  [eq('job', 'a')],
  [eq('__name__', 'mem'), nre('instance', 'i[0-4].*')],
  [eq('__name__', 'up'), ne('job', 'a')],
  [eq('__name__', 'nope')],
  [re('__name__', 'no.*')],
  [ne('__name__', 'mem'), eq('job', 'b')],
  [re('__name__', 'm.*|u.'), re('instance', 'i1.?')],
  [eq('job', 'q"\\')],
  [eq('__name__', 'up'), eq('note', '["job","a"]')],
];

async function everyRead(store: DuckDbStore): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const range of [ALL, LATE]) {
    for (const m of selectors) out.push(await store.selectSeries(m, range));
    out.push(await store.labelNames([], range));
    out.push(await store.labelNames([[eq('__name__', 'mem')]], range));
    out.push(await store.labelValues('job', [], range));
    out.push(await store.labelValues('path', [[eq('job', 'c')]], range));
    out.push(await store.labelValues('__name__', [[re('job', 'a|b')]], range));
    out.push(await store.labelValues('job', [[eq('__name__', 'up')]], range));
    out.push(
      await store.labelValues(
        'path',
        [[eq('__name__', 'req_total')], [eq('__name__', 'up')]],
        range,
      ),
    );
    out.push(await store.series([[eq('__name__', 'up')], [eq('instance', 'i7')]], range));
    out.push(await store.series([[re('path', 'p4.')]], range));
    out.push(await store.exemplars([[eq('__name__', 'req_total')]], range));
  }
  return out;
}

describe('DuckDB catalog: series beyond the memory bound', () => {
  let capped: DuckDbStore;
  let uncapped: DuckDbStore;
  before(async () => {
    capped = await createDuckDbStore({ dataDir: MEMORY, threads: 1, seriesEntries: CAP });
    uncapped = await createDuckDbStore({ dataDir: MEMORY, threads: 1 });
    for (const b of batches()) {
      await capped.write(b);
      await uncapped.write(b);
    }
  });
  after(async () => {
    await capped.close();
    await uncapped.close();
  });

  it('holds at most the bound in memory and knows it lost series', () => {
    const idx = catalogOf(capped).seriesIndex;
    assert.ok(idx.size <= CAP, `${idx.size} series in memory`);
    assert.equal(idx.holdsAll, false);
    assert.equal(catalogOf(uncapped).seriesIndex.holdsAll, true);
    assert.equal(catalogOf(uncapped).seriesIndex.size, 254);
  });

  it('answers every label and sample read as the uncapped store does', async () => {
    const want = await everyRead(uncapped);
    assert.equal((want[0] as SeriesSamples[]).length, 150);
    assert.equal((want[4] as SeriesSamples[]).length, 51); // job="a", not the note
    assert.equal((want[8] as SeriesSamples[]).length, 0);
    assert.equal((want[9] as SeriesSamples[]).length, 51);
    assert.equal((want[10] as SeriesSamples[]).length, 11);
    assert.equal((want[11] as SeriesSamples[]).length, 1);
    assert.equal((want[12] as SeriesSamples[]).length, 1);
    assert.deepEqual(await everyRead(capped), want);
  });

  it('reads the same after evicted series are written again with new label objects', async () => {
    const again: TelemetryBatch = {
      samples: [0, 1, 2, 3].map((i) => ({
        labels: { __name__: 'mem', instance: `i${i}` },
        samples: [{ t: 200_000, v: -i }],
      })),
    };
    await capped.write(again);
    await uncapped.write(again);
    assert.deepEqual(await everyRead(capped), await everyRead(uncapped));
    assert.ok(catalogOf(capped).seriesIndex.size <= CAP);
    // The store's write found the evicted series' ids: no id was handed out anew.
    assert.equal(
      catalogOf(capped).seriesIndex.highestId,
      catalogOf(uncapped).seriesIndex.highestId,
    );
  });

  it('reads the same after retention, with memory reloaded within the bound', async () => {
    const now = 100_000n * NS_PER_MS;
    for (const s of [capped, uncapped])
      await s.applyRetention({ maxAge: 55_000n * NS_PER_MS }, now);
    const want = await everyRead(uncapped);
    assert.equal((want[0] as SeriesSamples[]).length, 75); // odd paths only
    assert.deepEqual(await everyRead(capped), want);
    assert.ok(catalogOf(capped).seriesIndex.size <= CAP);
  });
});

/** A write as write.ts does it, for the series part only. */
async function writeSeries(
  conn: DuckDBConnection,
  catalog: Catalog,
  sets: readonly Labels[],
  resolve = true,
): Promise<number[]> {
  const st = catalog.begin();
  await conn.run('BEGIN TRANSACTION');
  if (resolve) await st.resolveSeries(conn, sets);
  const ids = sets.map((l) => st.seriesId(l));
  for (const s of st.newSeries)
    await conn.run('INSERT INTO series VALUES ($id, $metric, $key)', {
      id: s.id,
      metric: s.metric,
      key: s.key,
    });
  await conn.run('COMMIT');
  st.commit();
  return ids;
}

describe('DuckDB catalog: writes of evicted series', () => {
  let conn: DuckDBConnection;
  let close: () => void;
  before(async () => {
    const db = await openDatabase({ dataDir: MEMORY, memoryLimit: '256MB', threads: 1 });
    conn = await db.instance.connect();
    close = () => {
      conn.closeSync();
      db.instance.closeSync();
    };
  });
  after(() => close());

  const rows = async (): Promise<number> =>
    Number((await conn.runAndReadAll('SELECT count(*) FROM series')).getRows()[0]?.[0]);

  it('finds the stored id of an evicted series by its key: no second row', async () => {
    await conn.run('DELETE FROM series');
    const catalog = new Catalog(undefined, 5);
    const labels = (i: number): Labels => ({ __name__: 'x', n: String(i) });
    const first: number[] = [];
    for (let i = 0; i < 20; i++) first.push(...(await writeSeries(conn, catalog, [labels(i)])));
    assert.ok(catalog.seriesIndex.size <= 5);
    const again = await writeSeries(
      conn,
      catalog,
      Array.from({ length: 20 }, (_, i) => labels(i)),
    );
    assert.deepEqual(again, first);
    assert.equal(await rows(), 20);
    // A frozen object found that way is remembered: the next write asks nothing.
    const frozen = Object.freeze(labels(0));
    assert.deepEqual(await writeSeries(conn, catalog, [frozen]), [first[0]]);
    assert.equal(catalog.seriesIdOf(frozen), first[0]);
    const fresh = await writeSeries(conn, catalog, [labels(99)]);
    assert.equal(fresh[0], Math.max(...first) + 1);
    assert.equal(await rows(), 21);
  });

  it('loads the newest series within the bound when opened, and finds the older ones by key', async () => {
    await conn.run('DELETE FROM series');
    const labels = (i: number): Labels => ({ __name__: 'w', n: String(i) });
    const first = await writeSeries(
      conn,
      new Catalog(undefined, 100),
      Array.from({ length: 20 }, (_, i) => labels(i)),
    );
    const reopened = new Catalog(undefined, 5);
    await reopened.loadSeries(conn);
    assert.equal(reopened.seriesIndex.size, 5);
    assert.equal(reopened.seriesIndex.holdsAll, false);
    assert.deepEqual([...reopened.seriesIndex.byId.keys()], first.slice(15));
    assert.deepEqual(await writeSeries(conn, reopened, [labels(0), labels(19)]), [
      first[0],
      first[19],
    ]);
    assert.equal((await writeSeries(conn, reopened, [labels(20)]))[0], Math.max(...first) + 1);
    const all = new Catalog(undefined, 21);
    await all.loadSeries(conn);
    assert.equal(all.seriesIndex.holdsAll, true);
  });

  it('stores an evicted series again under a new id when the write skips resolveSeries', async () => {
    await conn.run('DELETE FROM series');
    const catalog = new Catalog(undefined, 2);
    const labels = (i: number): Labels => ({ __name__: 'y', n: String(i) });
    const [id0] = await writeSeries(conn, catalog, [labels(0)]);
    for (let i = 1; i < 5; i++) await writeSeries(conn, catalog, [labels(i)]);
    const [again] = await writeSeries(conn, catalog, [labels(0)], false);
    assert.notEqual(again, id0);
    assert.equal(await rows(), 6);
  });

  it('asks SQL nothing while memory holds every series', async () => {
    await conn.run('DELETE FROM series');
    const catalog = new Catalog(undefined, 100);
    await writeSeries(conn, catalog, [{ __name__: 'z', n: '1' }]);
    const noSql = {
      stream: () => Promise.reject(new Error('SQL asked')),
      runAndReadAll: () => Promise.reject(new Error('SQL asked')),
    } as unknown as DuckDBConnection;
    const refs = await catalog.seriesIndex.refs(noSql, [[eq('n', '1')]]);
    assert.deepEqual(
      refs.map((r) => r.labels),
      [{ __name__: 'z', n: '1' }],
    );
    await catalog.begin().resolveSeries(noSql, [{ __name__: 'z', n: '2' }]);
  });
});

describe('SeriesIndex', () => {
  it('keeps answering from memory for a metric that lost no series', async () => {
    const idx = new SeriesIndex(3);
    idx.add(1, '[["__name__","a"]]', { __name__: 'a' });
    for (let i = 2; i <= 5; i++)
      idx.add(i, `[["__name__","b"],["n","${i}"]]`, { __name__: 'b', n: String(i) });
    assert.equal(idx.holdsAll, false);
    assert.ok(idx.size <= 3);
    const noSql = {
      stream: () => Promise.reject(new Error('SQL asked')),
    } as unknown as DuckDBConnection;
    // 'a' was evicted (oldest): asking for it needs SQL; 'b' lost series too.
    await assert.rejects(idx.refs(noSql, [[eq('__name__', 'a')]]), /SQL asked/);
    await assert.rejects(idx.refs(noSql, [[eq('__name__', 'b')]]), /SQL asked/);
    await assert.rejects(idx.refs(noSql, [[eq('n', '5')]]), /SQL asked/);
    idx.add(9, '[["__name__","c"]]', { __name__: 'c' });
    assert.deepEqual(
      (await idx.refs(noSql, [[eq('__name__', 'c')]])).map((r) => r.ids),
      [[9]],
    );
  });

  it('pins metric names only when every set has a __name__ equality', () => {
    assert.deepEqual(pinnedMetrics([[eq('__name__', 'a')], [eq('__name__', 'b'), eq('x', '1')]]), [
      'a',
      'b',
    ]);
    assert.equal(pinnedMetrics([[eq('__name__', 'a')], [re('__name__', 'b')]]), undefined);
    assert.equal(pinnedMetrics([]), undefined);
  });

  it('refuses a bound that is not a positive integer', () => {
    assert.throws(() => new SeriesIndex(0), /positive integer, got 0/);
    assert.throws(() => new SeriesIndex(1.5), /positive integer/);
  });
});
