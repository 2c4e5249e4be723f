// Memory and read latency of the DuckDB store with many distinct Prometheus
// series: the catalog bounded at its default (200k series in memory) vs
// unbounded (every series in memory, as before the bound). Each mode runs in
// its own child process (node --expose-gc) so RSS is its own.
//
//   npx tsc -b && node dist/bench/series-cardinality.js [series=1000000] [batch=20000] [bound=200000]
//
// Bounded: ingest is the long part (~1-2 min per mode per million series on a
// loaded 2-core machine); every child is killed after 10 minutes; temporary
// directories are removed. Prints one summary line per mode at the end.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { DuckDBConnection } from '@duckdb/node-api';

import type { Labels, SeriesSamples } from '../src/model/telemetry';
import type { LabelMatcher, MsRange } from '../src/store/store';
import { createDuckDbStore } from '../src/store/duckdb';
import type { Catalog } from '../src/store/duckdb/catalog';
import type { DuckDbStore } from '../src/store/duckdb/duckdb-store';
import { DEFAULT_SERIES_ENTRIES } from '../src/store/duckdb/series-index';

const ALL: MsRange = { minT: 0, maxT: 1e12 };
const eq = (name: string, value: string): LabelMatcher => ({ name, op: '=', value });

interface Result {
  mode: string;
  series: number;
  inMemory: number;
  ingestS: number;
  rssMiB: number;
  heapMiB: number;
  /** Median ms per read. */
  hit: number;
  missByName: number;
  missNoName: number;
  labelValuesByName: number;
  /** ms to find 1000 evicted series ids by key (Staged.resolveSeries). */
  resolve1000: number;
}

const internals = (s: DuckDbStore) =>
  s as unknown as { catalog: Catalog; writer: DuckDBConnection };

async function median(n: number, f: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await f();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return Math.round((times[Math.floor(n / 2)] ?? 0) * 100) / 100;
}

const big = (i: number): Labels => ({
  __name__: 'bench_big',
  id: String(i),
  pod: `pod-${i % 1000}`,
});

async function child(mode: string, total: number, batch: number, bound: number): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'otel-lab-series-card-'));
  const store = await createDuckDbStore({ dataDir: dir, threads: 2 });
  try {
    const { catalog, writer } = internals(store);
    catalog.limitSeries(mode === 'unbounded' ? Number.MAX_SAFE_INTEGER : bound);
    const t0 = performance.now();
    for (let first = 0; first < total; first += batch) {
      const n = Math.min(batch, total - first);
      await store.write({
        samples: Array.from({ length: n }, (_, k) => ({
          labels: big(first + k),
          samples: [{ t: 1000 + first + k, v: k }],
        })),
      });
    }
    // A small metric written last: it stays in memory whatever the bound.
    await store.write({
      samples: Array.from({ length: 10 }, (_, k) => ({
        labels: { __name__: 'bench_small', k: String(k) },
        samples: [{ t: 5000, v: k }],
      })),
    });
    const ingestS = Math.round((performance.now() - t0) / 100) / 10;
    (globalThis as { gc?: () => void }).gc?.();
    const mem = process.memoryUsage();
    const check = (got: SeriesSamples[], want: number) => {
      if (got.length !== want) throw new Error(`expected ${want} series, got ${got.length}`);
    };
    const hit = await median(21, async () =>
      check(await store.selectSeries([eq('__name__', 'bench_small')], ALL), 10),
    );
    const missByName = await median(11, async () =>
      check(await store.selectSeries([eq('__name__', 'bench_big'), eq('id', '123')], ALL), 1),
    );
    const missNoName = await median(5, async () =>
      check(await store.selectSeries([eq('id', '123')], ALL), 1),
    );
    const labelValuesByName = await median(5, async () => {
      const v = await store.labelValues('pod', [[eq('__name__', 'bench_big')]], ALL);
      if (v.length !== 1000) throw new Error(`expected 1000 pods, got ${v.length}`);
    });
    const resolve1000 = await median(5, async () => {
      const st = catalog.begin();
      await writer.run('BEGIN TRANSACTION');
      await st.resolveSeries(
        writer,
        Array.from({ length: 1000 }, (_, i) => big(i * 7)),
      );
      const ids = Array.from({ length: 1000 }, (_, i) => st.seriesId(big(i * 7)));
      await writer.run('ROLLBACK');
      if (st.newSeries.length !== 0 || ids.some((id) => id > total))
        throw new Error(`resolve missed ${st.newSeries.length} stored series`);
    });
    const r: Result = {
      mode,
      series: total + 10,
      inMemory: catalog.seriesIndex.size,
      ingestS,
      rssMiB: Math.round(mem.rss / 2 ** 20),
      heapMiB: Math.round(mem.heapUsed / 2 ** 20),
      hit,
      missByName,
      missNoName,
      labelValuesByName,
      resolve1000,
    };
    console.log(JSON.stringify(r));
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function parent(total: number, batch: number, bound: number): void {
  console.log(`load: ${execFileSync('uptime').toString().trim()}`);
  console.log(`bound: ${bound} series vs unbounded; ${total} series`);
  const results: Result[] = [];
  for (const mode of ['bounded', 'unbounded']) {
    const run = spawnSync(
      process.execPath,
      ['--expose-gc', __filename, 'child', mode, String(total), String(batch), String(bound)],
      { encoding: 'utf8', timeout: 600_000, killSignal: 'SIGKILL' },
    );
    const line = run.stdout.trim().split('\n').pop() ?? '';
    if (run.status !== 0 || !line.startsWith('{')) {
      console.log(`${mode}: failed (${run.signal ?? run.status}) ${run.stderr.slice(-500)}`);
      continue;
    }
    results.push(JSON.parse(line) as Result);
  }
  console.log(`load: ${execFileSync('uptime').toString().trim()}`);
  console.log(
    'mode       series  in-mem  ingest-s  RSS-MiB  heap-MiB  hit-ms  miss-name-ms  miss-noname-ms  values-ms  resolve1000-ms',
  );
  for (const r of results)
    console.log(
      [
        r.mode.padEnd(9),
        String(r.series).padStart(8),
        String(r.inMemory).padStart(7),
        String(r.ingestS).padStart(9),
        String(r.rssMiB).padStart(8),
        String(r.heapMiB).padStart(9),
        String(r.hit).padStart(7),
        String(r.missByName).padStart(13),
        String(r.missNoName).padStart(15),
        String(r.labelValuesByName).padStart(10),
        String(r.resolve1000).padStart(15),
      ].join(' '),
    );
}

const [, , role, ...args] = process.argv;
if (role === 'child') {
  child(args[0] ?? 'bounded', Number(args[1]), Number(args[2]), Number(args[3])).catch(
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
} else {
  parent(
    Number(role ?? 1_000_000),
    Number(args[0] ?? 20_000),
    Number(args[1] ?? DEFAULT_SERIES_ENTRIES),
  );
}
