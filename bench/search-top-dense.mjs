// Session 6 (bench/RESULTS.md "Where a search's time goes"), after
// node dist/bench/trace-search.js --spans 1000000 --dir D:
//   node bench/search-top-dense.mjs D/data/otel-lab.duckdb [spans per second, 60000]
// Make a dense copy of a trace-search store's spans (as if written at ~60k
// spans/s, traces keeping their own internal offsets), then time ways of
// reading the spans of the 20 latest slow traces.
import { DuckDBInstance } from '@duckdb/node-api';
const [src, rate] = [process.argv[2], Number(process.argv[3] ?? 60000)];
const db = await DuckDBInstance.create(':memory:', { threads: '2', memory_limit: '1GB' });
const c = await db.connect();
const q = async (s) => (await c.runAndReadAll(s)).getRows();
await c.run(`ATTACH '${src}' AS s (READ_ONLY)`);
await c.run(
  `CREATE TABLE t0 AS SELECT trace_id, min(start_ns) AS t0, row_number() OVER (ORDER BY min(start_ns)) AS k FROM s.spans GROUP BY trace_id`,
);
// traces of 8 spans: trace k starts at k * 8/rate seconds
await c.run(
  `CREATE TABLE spans AS SELECT s.* REPLACE (1700000000000000000 + (t.k * 8 * 1000000000 // ${rate}) + (s.start_ns - t.t0) AS start_ns) FROM s.spans s JOIN t0 t USING (trace_id) ORDER BY start_ns`,
);
console.log(await q(`select count(*), (max(start_ns)-min(start_ns))/1e9 from spans`));
const cand = await q(
  `select trace_id from spans where duration_ns >= 100000000 and name like '/oteldemo.Rec%' and start_ns < (select max(start_ns) - 2000000000 from spans) order by start_ns desc limit 20`,
);
const top = cand.map((r) => r[0].toString());
const wins = await q(
  `select min(start_ns), max(start_ns) from spans where trace_id in (${top.map((i) => i + '::UHUGEINT').join(',')})`,
);
const [lo, hi] = wins[0];
const L = top.map((i) => i + '::UHUGEINT').join(',');
const W = `start_ns >= ${lo} AND start_ns <= ${hi}`;
console.log(
  'window ms',
  Number(hi - lo) / 1e6,
  'rows',
  await q(`select count(*) from spans where ${W}`),
);
const rowids = (await q(`SELECT rowid FROM spans WHERE ${W} AND trace_id IN (${L})`)).map(
  (r) => r[0],
);
const V = {
  all: `SELECT * FROM spans WHERE ${W} AND trace_id IN (${L})`,
  trace_only: `SELECT trace_id FROM spans WHERE ${W} AND trace_id IN (${L})`,
  rowid_sub: `SELECT * FROM spans WHERE rowid IN (SELECT rowid FROM spans WHERE ${W} AND trace_id IN (${L}))`,
  rowid_two: null,
  rowid_lits: `SELECT * FROM spans WHERE rowid IN (${rowids.join(',')})`,
};
for (const [k, s] of Object.entries(V)) {
  const ts = [];
  for (let i = 0; i < 30; i++) {
    const t = performance.now();
    if (k === 'rowid_two') {
      const ids = (await q(`SELECT rowid FROM spans WHERE ${W} AND trace_id IN (${L})`)).map(
        (r) => r[0],
      );
      await q(`SELECT * FROM spans WHERE rowid IN (${ids.join(',')})`);
    } else await q(s);
    ts.push(performance.now() - t);
  }
  ts.sort((a, b) => a - b);
  console.log(k.padEnd(11), 'p50', ts[15].toFixed(2), 'p90', ts[27].toFixed(2));
}
