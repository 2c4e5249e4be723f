#!/usr/bin/env node
// Variants of the DuckDB store's samples query (one PromQL selector), in
// isolation: the same id sets and time range as the panels of
// bench/promql-vs-prometheus.mjs, each variant read into per-series sample
// arrays as read-metrics.ts does. Reports wall time and process CPU (DuckDB's
// threads included) per query, variants interleaved round by round.
//
//   npm run build && node bench/promql-samples-sql.mjs [--runs 200] [--hours 3] [--layout series|time]
//
// layout: `series` writes every series whole in one batch (as the PromQL
// bench does: the table ends up ordered by series); `time` writes 1-minute
// batches of all series (as the lab does: ordered by time). About 30-60 s;
// removes its temp dir.

import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const dist = (p) => require(path.join(root, 'dist', p));
const { generate } = dist('test/compat/prom-diff/data.js');
const { createDuckDbStore, DB_FILE_NAME } = dist('src/store/duckdb/index.js');
const { DuckDBInstance, LIST, UINTEGER, BIGINT, listValue } = require('@duckdb/node-api');

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '200' },
    hours: { type: 'string', default: '3' },
    layout: { type: 'string', default: 'time' },
  },
});
const runs = Math.max(1, Number(values.runs));
const services = ['recommendation', 'cart', 'checkout', 'currency', 'email', 'ad', 'payment'];
services.push('product-catalog', 'quote', 'shipping');
const data = generate({ services, hours: Number(values.hours) });
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'samples-sql-'));

const RANGE = `WHERE series_id IN (SELECT unnest($series_ids)) AND t >= $min_t AND t <= $max_t`;
const variants = {
  'group+order (before)': {
    sql: `SELECT series_id, t, arg_max(v, rowid) AS v FROM samples ${RANGE} GROUP BY series_id, t ORDER BY series_id, t`,
    rowid: false,
  },
  'rowid, unnest': { sql: `SELECT series_id, t, v, rowid FROM samples ${RANGE}`, rowid: true },
  'rowid, unnest, t and rowid as DOUBLE': {
    sql: `SELECT series_id, t::DOUBLE, v, rowid::DOUBLE FROM samples ${RANGE}`,
    rowid: true,
  },
  'rowid, list_contains': {
    sql: `SELECT series_id, t, v, rowid FROM samples WHERE list_contains($series_ids, series_id) AND t >= $min_t AND t <= $max_t`,
    rowid: true,
  },
  'rowid, join': {
    sql: `SELECT series_id, t, v, s.rowid FROM samples s JOIN (SELECT unnest($series_ids) AS id) ids ON s.series_id = ids.id WHERE t >= $min_t AND t <= $max_t`,
    rowid: true,
  },
  'rowid, literal ids': { literal: true, rowid: true },
  // What read-metrics.ts does: `= $series_id` for one series, the unnest list for more.
  'rowid, = for one': {
    sql: `SELECT series_id, t, v, rowid FROM samples WHERE series_id = $series_id AND t >= $min_t AND t <= $max_t`,
    rowid: true,
    one: true,
  },
};

function literalSql(ids, minT, maxT) {
  return `SELECT series_id, t, v, rowid FROM samples WHERE series_id IN (${ids.join(',')}) AND t >= ${minT} AND t <= ${maxT}`;
}

function readChunks(result, rowid) {
  const byId = new Map();
  for (let c = 0; c < result.chunkCount; c++) {
    const chunk = result.getChunk(c);
    const ids = chunk.getColumnVector(0);
    const ts = chunk.getColumnVector(1);
    const vs = chunk.getColumnVector(2);
    const rs = rowid ? chunk.getColumnVector(3) : undefined;
    for (let i = 0; i < chunk.rowCount; i++) {
      const sid = Number(ids.getItem(i));
      let s = byId.get(sid);
      if (!s) byId.set(sid, (s = { t: [], v: [], r: [] }));
      s.t.push(Number(ts.getItem(i)));
      s.v.push(vs.getItem(i));
      if (rs) s.r.push(Number(rs.getItem(i)));
    }
  }
  let n = 0;
  for (const s of byId.values()) {
    if (rowid) {
      // Sort by (t, rowid) when out of order; the last of equal times wins.
      let sorted = true;
      for (let i = 1; i < s.t.length && sorted; i++)
        sorted = s.t[i - 1] < s.t[i] || (s.t[i - 1] === s.t[i] && s.r[i - 1] < s.r[i]);
      let idx = s.t.map((_, i) => i);
      if (!sorted) idx.sort((a, b) => s.t[a] - s.t[b] || s.r[a] - s.r[b]);
      const out = [];
      for (const i of idx) {
        if (out.length > 0 && out[out.length - 1].t === s.t[i])
          out[out.length - 1] = { t: s.t[i], v: s.v[i] };
        else out.push({ t: s.t[i], v: s.v[i] });
      }
      n += out.length;
    } else n += s.t.length;
  }
  return n;
}

try {
  const store = await createDuckDbStore({ dataDir: tmp });
  const t0 = performance.now();
  if (values.layout === 'series') await store.write({ samples: data.series });
  else {
    for (
      let from = data.endMs - Number(values.hours) * 3600_000 - 60_000;
      from <= data.endMs;
      from += 60_000
    ) {
      const batch = data.series
        .map((s) => ({
          labels: s.labels,
          samples: s.samples.filter((p) => p.t >= from && p.t < from + 60_000),
        }))
        .filter((s) => s.samples.length > 0);
      if (batch.length > 0) await store.write({ samples: batch });
    }
  }
  await store.close();
  console.error(
    `wrote ${data.sampleCount} samples of ${data.series.length} series (${values.layout} layout) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  const db = await DuckDBInstance.create(path.join(tmp, DB_FILE_NAME), {
    threads: '2',
    memory_limit: '512MB',
  });
  const conn = await db.connect();
  const series = (await conn.runAndReadAll('SELECT id, labels FROM series'))
    .getRows()
    .map(([id, l]) => ({
      id: Number(id),
      labels: Object.fromEntries(JSON.parse(l)),
    }));
  const pick = (f) =>
    series
      .filter((s) => f(s.labels))
      .map((s) => s.id)
      .sort((a, b) => a - b);
  const B = 'traces_span_metrics_duration_milliseconds_bucket';
  const sets = {
    'errors by span': pick(
      (l) =>
        l.__name__ === 'traces_span_metrics_calls_total' && l.status_code === 'STATUS_CODE_ERROR',
    ),
    'p99 one service': pick((l) => l.__name__ === B && l.service_name === 'recommendation'),
    'calls by service': pick((l) => l.__name__ === 'traces_span_metrics_calls_total'),
    'p95 by service': pick((l) => l.__name__ === B),
  };
  // The panels' window: the last hour plus the 1m rate range and the 5m lookback.
  const maxT = data.endMs;
  const minT = maxT - 3600_000 - 60_000;
  const prepared = {};
  for (const [name, v] of Object.entries(variants))
    if (!v.literal) prepared[name] = await conn.prepare(v.sql);
  const results = [];
  for (const [setName, ids] of Object.entries(sets)) {
    const stats = Object.fromEntries(
      Object.keys(variants).map((k) => [k, { ms: [], cpu: 0, n: -1 }]),
    );
    for (let run = 0; run < runs; run++) {
      for (const [name, v] of Object.entries(variants)) {
        const c0 = process.cpuUsage();
        const w0 = performance.now();
        let result;
        if (v.literal) result = await conn.run(literalSql(ids, minT, maxT));
        else if (v.one && ids.length === 1) {
          const stmt = prepared[name];
          stmt.bind(
            { series_id: ids[0], min_t: BigInt(minT), max_t: BigInt(maxT) },
            { series_id: UINTEGER, min_t: BIGINT, max_t: BIGINT },
          );
          result = await stmt.run();
        } else {
          const stmt = prepared[v.one ? 'rowid, unnest' : name];
          stmt.bind(
            { series_ids: listValue(ids), min_t: BigInt(minT), max_t: BigInt(maxT) },
            { series_ids: LIST(UINTEGER), min_t: BIGINT, max_t: BIGINT },
          );
          result = await stmt.run();
        }
        const n = readChunks(result, v.rowid);
        const st = stats[name];
        st.ms.push(performance.now() - w0);
        const c = process.cpuUsage(c0);
        st.cpu += (c.user + c.system) / 1000;
        if (st.n !== -1 && st.n !== n) throw new Error(`${name}: ${n} samples, earlier ${st.n}`);
        st.n = n;
      }
    }
    const counts = new Set(Object.values(stats).map((s) => s.n));
    if (counts.size !== 1)
      throw new Error(`${setName}: variants disagree on the sample count: ${[...counts]}`);
    for (const [name, st] of Object.entries(stats)) {
      const s = st.ms.sort((a, b) => a - b);
      results.push({
        set: `${setName} (${ids.length} series, ${st.n} samples)`,
        variant: name,
        min: s[0],
        median: s[Math.floor(s.length / 2)],
        cpu: st.cpu / runs,
      });
    }
  }
  conn.closeSync();
  console.log(
    `\n${runs} runs per variant, ${values.layout} layout; ms: min / median wall, mean CPU per query`,
  );
  console.log('| selector | variant | min | median | CPU |\n|---|---|---|---|---|');
  for (const r of results)
    console.log(
      `| ${r.set} | ${r.variant} | ${r.min.toFixed(2)} | ${r.median.toFixed(2)} | ${r.cpu.toFixed(2)} |`,
    );
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
