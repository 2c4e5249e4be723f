// The trace-index move under ingest, in one process: a store whose cold
// trace index already holds --cold rows (synthetic, inserted raw before the
// store opens) takes 4,096-span writes back to back until its hot part has
// been moved --moves times, while a reader looks cold traces up by id every
// 10 ms. Prints per write and per read the latency p50/p99/max, the writes
// and reads over 50 ms, the COMMITs over 50 ms (checkpoints) and the longest
// move statement, and the process CPU per span. A/B: run it with each
// build's --dist, alternating (the SQL is found beside that build's src/).
//
//   npm run build && node bench/move-during-ingest.mjs [--dist dist] [--cold 2500000] [--moves 2] [--checkpoint-threshold 64MB]

import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values: o } = parseArgs({
  options: {
    dist: { type: 'string', default: 'dist' },
    cold: { type: 'string', default: '2500000' },
    moves: { type: 'string', default: '2' },
    'checkpoint-threshold': { type: 'string', default: '64MB' },
  },
});
const dist = resolve(o.dist);
const { createDuckDbStore, DB_FILE_NAME } = await import(join(dist, 'src/store/duckdb/index.js'));
const { traceBatch } = await import(join(dist, 'bench/trace-search.shop.js'));
const { decodeRequest } = await import(join(dist, 'src/collector/otlp/decode.js'));
const { DEFAULT_LIMITS } = await import(join(dist, 'src/collector/otlp/limits.js'));
const { DuckDBInstance, DuckDBConnection } = await import(
  join(dist, '..', 'node_modules/@duckdb/node-api/lib/index.js')
);

// Times the writer's COMMITs (a checkpoint runs inside one) and the move's INSERTs.
const timed = { commits: [], moves: [] };
const origRun = DuckDBConnection.prototype.run;
DuckDBConnection.prototype.run = function (sql, ...rest) {
  const t = performance.now();
  const kind =
    sql === 'COMMIT'
      ? 'commits'
      : /^\s*(--[^\n]*\n\s*)*INSERT INTO trace_index\s/.test(sql)
        ? 'moves'
        : undefined;
  const out = origRun.call(this, sql, ...rest);
  return kind === undefined ? out : out.finally(() => timed[kind].push(performance.now() - t));
};

/** The store's default traceIndexHotRows. */
const HOT_BOUND = 200_000;

const dir = mkdtempSync(join(tmpdir(), 'otel-lab-move-'));
const cold = Number(o.cold);
try {
  await (await createDuckDbStore({ dataDir: dir })).close();
  const db = await DuckDBInstance.create(join(dir, DB_FILE_NAME));
  const c = await db.connect();
  await c.run(
    `INSERT INTO trace_index SELECT ((hash(i) >> 1)::UHUGEINT << 64) + hash(i * 7 + 1), i, i, i + 5, 8, 0, 'frontend', 'GET', i, 'frontend', 'GET' FROM range(${cold}) t(i)`,
  );
  await c.run('CHECKPOINT');
  const ids = (
    await c.runAndReadAll(
      "SELECT lpad(to_hex(trace_id), 32, '0') FROM trace_index USING SAMPLE 1000 ROWS",
    )
  )
    .getRows()
    .map((r) => String(r[0]).toLowerCase());
  c.closeSync();
  db.closeSync();

  const store = await createDuckDbStore({
    dataDir: dir,
    checkpointThreshold: o['checkpoint-threshold'],
  });
  // A pool of decoded 512-span batches; each write takes 8 with fresh trace ids.
  const run = Date.now() % 2 ** 31;
  const pool = [];
  for (let first = 0; first < 64 * 64; first += 64)
    pool.push(
      decodeRequest(
        'traces',
        'protobuf',
        traceBatch(run, first, 64, () => Date.now()).body,
        DEFAULT_LIMITS,
      ).batch.spans,
    );
  const base = pool.map((sp) => sp.map((s) => s.traceId));
  const writes = [];
  const reads = [];
  let stop = false;
  const reader = (async () => {
    for (let k = 0; !stop; k++) {
      const t0 = performance.now();
      await store.getTrace(ids[k % ids.length]);
      reads.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  const moves = Number(o.moves);
  const hotRows = () => store.hotRows; // private, read for the bench only
  let moved = 0;
  let armed = false;
  let spans = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let round = 0; moved < moves; round++) {
    const pre = (round + 0x10000000).toString(16).slice(-8);
    const all = [];
    for (let i = 0; i < 8; i++) {
      const k = (round * 8 + i) % pool.length;
      for (let j = 0; j < pool[k].length; j++) pool[k][j].traceId = pre + base[k][j].slice(8);
      all.push(...pool[k]);
    }
    const w0 = performance.now();
    await store.write({ spans: all });
    writes.push(performance.now() - w0);
    spans += all.length;
    // A move (in one go, or in slices with writes between) has ended once
    // the hot part, having reached its bound, is below half of it.
    if (hotRows() >= HOT_BOUND) armed = true;
    else if (armed && hotRows() < HOT_BOUND / 2) {
      armed = false;
      moved++;
    }
  }
  // The last move's remaining slices and the checkpoint after it.
  for (let i = 0; i < 20; i++) {
    const w0 = performance.now();
    await store.write({ spans: pool[i] });
    writes.push(performance.now() - w0);
  }
  const secs = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  stop = true;
  await reader;
  await store.close();
  const stat = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    const at = (q) => s[Math.min(s.length - 1, Math.floor(q * s.length))].toFixed(1);
    return `n ${s.length} p50 ${at(0.5)} p99 ${at(0.99)} max ${at(1)} ms, ${s.filter((x) => x > 50).length} over 50 ms, ${s.filter((x) => x > 200).length} over 200 ms; top 6: ${s
      .slice(-6)
      .map((x) => x.toFixed(0))
      .join(' ')}`;
  };
  console.log(
    `${o.dist}: cold ${cold}, ${moves} moves, ${spans} spans in ${secs.toFixed(1)} s, ${(spans / ((cpu.user + cpu.system) / 1e6) / 1000).toFixed(1)}k spans/CPU-s, load ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
  console.log(`  writes: ${stat(writes)}`);
  console.log(`  reads by id: ${stat(reads)}`);
  const slow = timed.commits.filter((x) => x > 50).sort((a, b) => a - b);
  console.log(
    `  COMMITs over 50 ms: ${slow.length} of ${timed.commits.length}, ${slow.reduce((a, b) => a + b, 0).toFixed(0)} ms in all, longest ${slow
      .slice(-4)
      .map((x) => x.toFixed(0))
      .join(' ')}; move INSERTs (ms): ${timed.moves.map((x) => x.toFixed(0)).join(' ')}`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
