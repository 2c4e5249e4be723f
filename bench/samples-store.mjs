// Shared by the PromQL sample benches: a DuckDB store holding `series`
// series (labels from `labels(i)`) with a sample every 2 s from 2 s to
// `endMs`, written in time order. The series go in through the store (ids
// in creation order), the samples by SQL an hour at a time (the store's own
// write path would take minutes for 9M samples), then a checkpoint.

import * as path from 'node:path';

/**
 * @param {{ createDuckDbStore: Function, DB_FILE_NAME: string, DuckDBInstance: any }} lib
 * @param {{ dir: string, series: number, labels: (i: number) => Record<string, string>, endMs: number }} o
 */
export async function fillSamplesStore(lib, { dir, series, labels, endMs }) {
  const store = await lib.createDuckDbStore({ dataDir: dir, threads: 2 });
  await store.write({
    samples: Array.from({ length: series }, (_, i) => ({
      labels: labels(i),
      samples: [{ t: 0, v: 0 }],
    })),
  });
  await store.close();
  const db = await lib.DuckDBInstance.create(path.join(dir, lib.DB_FILE_NAME), {
    threads: '2',
    memory_limit: '512MB',
  });
  const c = await db.connect();
  const hour = 3600_000;
  for (let from = 2000; from < endMs; from += hour) {
    await c.run(
      `INSERT INTO samples SELECT s.id, r.t, random() FROM range(${from}, ${Math.min(endMs, from + hour)}, 2000) r(t), series s ORDER BY r.t, s.id`,
    );
  }
  await c.run('CHECKPOINT');
  c.closeSync();
  db.closeSync();
}
