// Session 6 (bench/RESULTS.md, src/store/duckdb/DESIGN.md "Next for the trace index").
//   node bench/cold-index-checkpoint.mjs [ROWS=3000000] [append|delete]
// Raw DuckDB: cold trace index (ART) at N rows; each round appends a move of
// 20k rows, optionally deletes the oldest 20k (retention at steady state), then CHECKPOINT.
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const N = Number(process.argv[2] ?? 3000000),
  mode = process.argv[3] ?? 'delete';
const dir = mkdtempSync(join(tmpdir(), 'ckpt-'));
const db = await DuckDBInstance.create(dir + '/t.duckdb', { threads: '2', memory_limit: '256MB' });
const c = await db.connect();
await c.run(
  `CREATE TABLE trace_index (trace_id UHUGEINT NOT NULL, start_min BIGINT NOT NULL, start_max BIGINT NOT NULL, end_max BIGINT NOT NULL, span_count UINTEGER NOT NULL, error_count UINTEGER NOT NULL, root_service VARCHAR, root_name VARCHAR, root_start BIGINT, first_service VARCHAR NOT NULL, first_name VARCHAR NOT NULL)`,
);
await c.run(`CREATE INDEX trace_index_by_id ON trace_index (trace_id)`);
const ins = (from, n) =>
  `INSERT INTO trace_index SELECT hash(i)::UHUGEINT * 18446744073709551616 + hash(i+1)::UHUGEINT, i*1000, i*1000+5, i*1000+9, 8, 0, 'frontend', 'GET /', i*1000, 'frontend', 'GET /' FROM range(${from}, ${from + n}) t(i)`;
let t = performance.now();
for (let f = 0; f < N; f += 500000) await c.run(ins(f, Math.min(500000, N - f)));
await c.run('CHECKPOINT');
console.log('loaded', N, 'in', ((performance.now() - t) / 1000).toFixed(1), 's');
let next = N,
  oldest = 0;
for (let r = 0; r < 6; r++) {
  const cpu0 = process.cpuUsage();
  t = performance.now();
  await c.run(ins(next, 20000));
  next += 20000;
  const tIns = performance.now() - t;
  let tDel = 0;
  if (mode === 'delete') {
    const t1 = performance.now();
    await c.run(`DELETE FROM trace_index WHERE start_min < ${(oldest + 20000) * 1000}`);
    oldest += 20000;
    tDel = performance.now() - t1;
  }
  const t2 = performance.now();
  await c.run('CHECKPOINT');
  const tCk = performance.now() - t2;
  const cpu = process.cpuUsage(cpu0);
  console.log(
    mode,
    'round',
    r,
    'insert',
    tIns.toFixed(0),
    'delete',
    tDel.toFixed(0),
    'checkpoint',
    tCk.toFixed(0),
    'ms; cpu',
    ((cpu.user + cpu.system) / 1000).toFixed(0),
    'ms',
  );
}
c.closeSync();
rmSync(dir, { recursive: true, force: true });
