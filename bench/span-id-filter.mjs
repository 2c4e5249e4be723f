// Session 7 (bench/RESULTS.md "Session 7"): how a scan of spans should test
// trace_id against a few traces. `trace_id IN (...)` is planned as a hash
// join above the scan (the scan keeps it only for zone maps: "optional" in
// EXPLAIN), so every row of the time window is read with all its columns;
// `list_contains([...], trace_id)` is evaluated inside the scan, so only
// the rows that pass have their other columns read, at a cost linear in the
// list's length.
//
//   node dist/bench/trace-search.js --spans 1000000 --dir D
//   node bench/span-id-filter.mjs D/data/otel-lab.duckdb [spans per second, 60000]
//
// Times reading the 20 latest slow traces' spans (all columns, as search-top.sql
// does) in their joint window, with lists of 20 to 512 ids (the 20 padded with
// ids that match nothing), twice: on the store as written (sparse: ~550
// spans/s) and on an in-memory copy re-timed as if written at the given rate
// (dense: the traces in arrival order, each trace's spans together, as
// `otel-lab serve` writes a shop's batches).
import { DuckDBInstance } from '@duckdb/node-api';

const [src, rate] = [process.argv[2], Number(process.argv[3] ?? 60000)];
if (src === undefined) throw new Error('usage: node bench/span-id-filter.mjs STORE.duckdb [rate]');
const COLS = `trace_id, span_id, parent_span_id, name, kind, start_ns, duration_ns, resource_id,
  scope_id, status_code, flags, extras, keyset_id, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10,
  a11, a12, a13, a14, a15, attributes_rest`;
const RUNS = 40;

async function measure(label, c, table) {
  const q = async (s) => (await c.runAndReadAll(s)).getRows();
  const cand = await q(
    `SELECT trace_id FROM ${table} WHERE duration_ns >= 100000000
       AND start_ns < (SELECT max(start_ns) - 2000000000 FROM ${table})
     ORDER BY start_ns DESC LIMIT 80`,
  );
  const top = [...new Set(cand.map((r) => r[0].toString()))].slice(0, 20);
  const lit = (ids) => ids.map((i) => `${i}::UHUGEINT`).join(', ');
  const [[lo, hi]] = await q(
    `SELECT min(start_ns), max(start_ns) FROM ${table} WHERE trace_id IN (${lit(top)})`,
  );
  const window = `start_ns >= ${lo} AND start_ns <= ${hi}`;
  const [[rows]] = await q(`SELECT count(*) FROM ${table} WHERE ${window}`);
  console.log(`\n${label}: ${rows} rows in the 20 traces' joint window`);
  console.log('| ids | IN p50 / p90 ms | list_contains p50 / p90 ms | rows |');
  console.log('|---:|---|---|---:|');
  for (const n of [20, 64, 256, 512]) {
    const ids = [...top];
    for (let i = 1; ids.length < n; i++) ids.push((BigInt(top[0]) + BigInt(i) * 7919n).toString());
    const out = [];
    let got = 0;
    for (const test of [`trace_id IN (${lit(ids)})`, `list_contains([${lit(ids)}], trace_id)`]) {
      const sql = `SELECT ${COLS} FROM ${table} WHERE ${window} AND ${test}`;
      for (let i = 0; i < 3; i++) await q(sql);
      const ts = [];
      for (let i = 0; i < RUNS; i++) {
        const t = performance.now();
        got = (await q(sql)).length;
        ts.push(performance.now() - t);
      }
      ts.sort((a, b) => a - b);
      out.push(`${ts[RUNS >> 1].toFixed(2)} / ${ts[(RUNS * 0.9) | 0].toFixed(2)}`);
    }
    console.log(`| ${n} | ${out[0]} | ${out[1]} | ${got} |`);
  }
}

const db = await DuckDBInstance.create(':memory:', { threads: '2', memory_limit: '1GB' });
const c = await db.connect();
await c.run(`ATTACH '${src}' AS s (READ_ONLY)`);
await measure('sparse (the store as written)', c, 's.spans');
await c.run(
  `CREATE TABLE t0 AS SELECT trace_id, min(start_ns) AS t0,
     row_number() OVER (ORDER BY min(start_ns)) AS k FROM s.spans GROUP BY trace_id`,
);
// Traces of 8 spans: trace k starts at k * 8 / rate seconds, its spans keep their offsets.
await c.run(
  `CREATE TABLE dense AS SELECT s.* REPLACE
     (1700000000000000000 + (t.k * 8 * 1000000000 // ${rate}) + (s.start_ns - t.t0) AS start_ns)
   FROM s.spans s JOIN t0 t USING (trace_id) ORDER BY t.k, s.start_ns`,
);
await measure(`dense (as if written at ${rate} spans/s)`, c, 'dense');
