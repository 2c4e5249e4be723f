// Trace-by-id lookups while DuckDB checkpoints, without JS contention: a
// store is filled through `store.write` (--spans, shop-like 512-span
// batches) and closed; then, on the raw database, one WAL's worth of new
// rows (--new-spans spans, and their trace-index rows, copied from existing
// ones with new ids) is inserted with automatic checkpoints off, and a
// CHECKPOINT runs on one connection while another looks traces up by id
// with the build's own trace-window.sql and trace-spans.sql, one at a time.
// A/B: run it with each build's --dist (the SQL is read from beside it).
//
//   npm run build && node bench/checkpoint-reads.mjs [--dist dist] [--spans 2000000] [--new-spans 300000] [--rounds 2] [--extra-index-rows 0]
//
// --extra-index-rows adds rows of made-up traces to the indexed trace_index
// (in both layouts) before the rounds, to stand for a bigger store's index.

import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values: o } = parseArgs({
  options: {
    dist: { type: 'string', default: 'dist' },
    spans: { type: 'string', default: '2000000' },
    'new-spans': { type: 'string', default: '300000' },
    rounds: { type: 'string', default: '2' },
    'extra-index-rows': { type: 'string', default: '0' },
  },
});
const dist = resolve(o.dist);
const sqlDir = join(dist, '..', 'src/store/duckdb/sql/queries');
const q = (name) => readFileSync(join(sqlDir, `${name}.sql`), 'utf8');
const { createDuckDbStore, DB_FILE_NAME } = await import(join(dist, 'src/store/duckdb/index.js'));
const { traceBatch } = await import(join(dist, 'bench/trace-search.shop.js'));
const { decodeRequest } = await import(join(dist, 'src/collector/otlp/decode.js'));
const { DEFAULT_LIMITS } = await import(join(dist, 'src/collector/otlp/limits.js'));
const { DuckDBInstance } = await import(
  join(dist, '..', 'node_modules/@duckdb/node-api/lib/index.js')
);

const dir = mkdtempSync(join(tmpdir(), 'otel-lab-ckpt-'));
const total = Number(o.spans);
const ids = [];
{
  const store = await createDuckDbStore({ dataDir: dir });
  const run = Date.now() % 2 ** 31;
  const t0 = performance.now();
  for (let first = 0, n = 0; n < total; first += 64) {
    const b = traceBatch(run, first, 64, () => Date.now());
    await store.write(decodeRequest('traces', 'protobuf', b.body, DEFAULT_LIMITS).batch);
    if ((first & 0x3ff) === 0) ids.push(b.traceIds[7]);
    n += b.spans;
  }
  console.log(`filled ${total} spans in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  await store.close();
}

const db = await DuckDBInstance.create(join(dir, DB_FILE_NAME), {
  threads: '2',
  memory_limit: '512MB',
  checkpoint_threshold: '100GB',
});
const a = await db.connect();
const b = await db.connect();
const hot =
  (
    await a.runAndReadAll(
      "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'trace_index_hot'",
    )
  ).getRows()[0][0] > 0n;
const indexTable = hot ? 'trace_index_hot' : 'trace_index';
// Rows of other traces in the indexed table (trace_index in both layouts),
// as a bigger store has: the ART a checkpoint may rewrite grows with them.
const extra = Number(o['extra-index-rows']);
if (extra > 0) {
  await a.run(
    `INSERT INTO trace_index SELECT ((hash(i) >> 1)::UHUGEINT << 64) + hash(i * 7 + 1) + (1::UHUGEINT << 127), i, i, i, 8, 0, 'frontend', 'GET', i, 'frontend', 'GET' FROM range(${extra}) t(i)`,
  );
  await a.run('CHECKPOINT');
}
const literal = (hex) => BigInt(`0x${hex}`).toString();
// A build that keeps the hot part's windows in memory (hot-windows.ts)
// probes only the cold ART: the same here, with the windows read from hot.
const inMemory = hot && existsSync(join(sqlDir, 'trace-window-cold.sql'));
let hotWindows = new Map();
const loadHotWindows = async () => {
  if (!inMemory) return;
  const rows = (
    await a.runAndReadAll(
      'SELECT trace_id::VARCHAR, min(start_min), max(start_max) FROM trace_index_hot GROUP BY trace_id',
    )
  ).getRows();
  hotWindows = new Map(rows.map((r) => [r[0], [r[1], r[2]]]));
};
const byId = async (hex) => {
  const lit = literal(hex);
  const mem = hotWindows.get(lit);
  let w = (
    await b.runAndReadAll(
      q(inMemory ? 'trace-window-cold' : 'trace-window').replaceAll('{{trace_id}}', lit),
    )
  ).getRows()[0];
  if (w[0] === null) w = mem;
  else if (mem) w = [mem[0] < w[0] ? mem[0] : w[0], mem[1] > w[1] ? mem[1] : w[1]];
  const r = await b.runAndReadAll(q('trace-spans').replaceAll('{{trace_id}}', lit), {
    lo: w[0],
    hi: w[1],
  });
  if (r.currentRowCount !== 8) throw new Error(`trace ${hex}: ${r.currentRowCount} spans`);
};
const ms = (xs) => [...xs].sort((x, y) => x - y);
const p = (xs, f) =>
  xs.length ? xs[Math.min(xs.length - 1, Math.floor(f * xs.length))].toFixed(1) : '-';
console.log(
  `## ${dist} · ${total} spans · ${indexTable}${inMemory ? ' (hot windows in memory)' : ''} · ${extra} extra cold index rows · ${new Date().toISOString()} · load ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
console.log(
  '| round | checkpoint ms | lookups during it | p50 ms | p99 ms | max ms | idle p50 ms | idle CPU ms per lookup |\n|---|---:|---:|---:|---:|---:|---:|---:|',
);
const newSpans = Number(o['new-spans']);
for (let round = 1; round <= Number(o.rounds); round++) {
  await loadHotWindows();
  const idle = [];
  const cpu0 = process.cpuUsage();
  for (let k = 0; k < 100; k++) {
    const t0 = performance.now();
    await byId(ids[(k * 7919 + round) % ids.length]);
    idle.push(performance.now() - t0);
  }
  const cpu = process.cpuUsage(cpu0);
  const cpuPerLookup = (cpu.user + cpu.system) / 1000 / 100;
  const shift = BigInt(round) << 100n;
  // In 512-span transactions, as ingest writes: a big INSERT would go to
  // the file directly and leave the checkpoint nothing to do.
  const allIndex = hot
    ? '(SELECT * FROM trace_index_hot UNION ALL SELECT * FROM trace_index)'
    : 'trace_index';
  await a.run(
    `CREATE OR REPLACE TEMP TABLE new_spans AS SELECT * REPLACE (trace_id + ${shift}::UHUGEINT AS trace_id) FROM spans LIMIT ${newSpans}`,
  );
  await a.run(
    `CREATE OR REPLACE TEMP TABLE new_index AS SELECT * REPLACE (trace_id + ${shift}::UHUGEINT AS trace_id) FROM ${allIndex} LIMIT ${Math.ceil(newSpans / 8)}`,
  );
  for (let at = 0; at < newSpans; at += 512) {
    await a.run('BEGIN');
    await a.run(
      `INSERT INTO spans SELECT * FROM new_spans WHERE rowid >= ${at} AND rowid < ${at + 512}`,
    );
    await a.run(
      `INSERT INTO ${indexTable} SELECT * FROM new_index WHERE rowid >= ${at / 8} AND rowid < ${(at + 512) / 8}`,
    );
    await a.run('COMMIT');
  }
  await loadHotWindows();
  let ckptDone = false;
  const during = [];
  const t0 = performance.now();
  const ckpt = a.run('CHECKPOINT').then(() => {
    ckptDone = true;
    return performance.now() - t0;
  });
  for (let k = 0; !ckptDone; k++) {
    const s = performance.now();
    await byId(ids[(k * 104729 + round) % ids.length]);
    if (!ckptDone || s < t0 + 1e9) during.push(performance.now() - s);
  }
  const took = await ckpt;
  const d = ms(during);
  console.log(
    `| ${round} | ${took.toFixed(0)} | ${d.length} | ${p(d, 0.5)} | ${p(d, 0.99)} | ${d.length ? d[d.length - 1].toFixed(1) : '-'} | ${p(ms(idle), 0.5)} | ${cpuPerLookup.toFixed(2)} |`,
  );
}
a.closeSync();
b.closeSync();
db.closeSync();
rmSync(dir, { recursive: true, force: true });
