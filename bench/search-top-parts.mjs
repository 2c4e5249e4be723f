// Session 6 (bench/RESULTS.md "Where a search's time goes"): search-top.sql and
// its parts on a copy of a store (read-only), and variants of it (no ORDER BY,
// an OR of per-trace windows). Candidates: the 80 latest spans over 100 ms.
//   node dist/bench/trace-search.js --spans 1000000 --dir D && node bench/search-top-parts.mjs D/data/otel-lab.duckdb [threads]
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';
const db = await DuckDBInstance.create(process.argv[2], {
  access_mode: 'READ_ONLY',
  threads: process.argv[3] ?? '2',
  memory_limit: '256MB',
});
const c = await db.connect();
const q = async (s) => (await c.runAndReadAll(s)).getRows();
const cand = await q(
  `select trace_id, start_ns from spans where duration_ns >= 100000000 order by start_ns desc limit 80`,
);
const ids = [...new Set(cand.map((r) => r[0].toString()))];
const top = ids.slice(0, 20);
const wins = await q(
  `select trace_id, min(start_ns), max(start_ns) from spans where trace_id in (${top.map((i) => i + '::UHUGEINT').join(',')}) group by all`,
);
const lo = wins.reduce((a, r) => (r[1] < a ? r[1] : a), wins[0][1]);
const hi = wins.reduce((a, r) => (r[2] > a ? r[2] : a), wins[0][2]);
const L = (xs) => xs.map((i) => i + '::UHUGEINT').join(',');
const COLS = `trace_id, span_id, parent_span_id, name, kind, start_ns, duration_ns, resource_id, scope_id, status_code, flags, extras, keyset_id, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, attributes_rest`;
const cold = `SELECT trace_id, min(start_min) AS lo, max(start_max) AS hi FROM trace_index WHERE trace_id IN (${L(ids)}) GROUP BY trace_id`;
const spansJoint = `SELECT ${COLS} FROM spans WHERE start_ns >= ${lo} AND start_ns <= ${hi} AND trace_id IN (${L(top)}) LIMIT 2001`;
const spansEach =
  `SELECT ${COLS} FROM spans WHERE ` +
  wins
    .map((r) => `(start_ns BETWEEN ${r[1]} AND ${r[2]} AND trace_id = ${r[0]}::UHUGEINT)`)
    .join(' OR ') +
  ' LIMIT 2001';
const seq = `SELECT max(write_seq) AS write_seq FROM trace_index_hot`;
const V = {
  current: `SELECT * FROM ((${cold}) UNION ALL BY NAME (${spansJoint}) UNION ALL BY NAME (${seq})) ORDER BY trace_id, start_ns, span_id`,
  noOrder: `(${cold}) UNION ALL BY NAME (${spansJoint}) UNION ALL BY NAME (${seq})`,
  eachWindow: `(${cold}) UNION ALL BY NAME (${spansEach}) UNION ALL BY NAME (${seq})`,
  spansJoint,
  spansEach,
  cold,
  seq,
  one: 'SELECT 1',
};
const n = 40;
for (let round = 0; round < 2; round++)
  for (const [k, s] of Object.entries(V)) {
    const ts = [];
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      await q(s);
      ts.push(performance.now() - t);
    }
    ts.sort((a, b) => a - b);
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < 10; i++) await q(s);
    const cpu = process.cpuUsage(cpu0);
    console.log(
      k.padEnd(12),
      'p50',
      ts[(n / 2) | 0].toFixed(2),
      'p90',
      ts[(n * 0.9) | 0].toFixed(2),
      'cpu/run',
      ((cpu.user + cpu.system) / 10 / 1000).toFixed(2),
    );
  }
