#!/usr/bin/env node
// How many bytes per span the span attributes take on disk in other layouts,
// measured on a real store file (e.g. one filled by `otel-lab start`, see
// bench/shop-bytes.ts). Each layout is written alone into a fresh DuckDB file
// (16 KiB blocks, so small tables are not rounded up) and its size divided by
// the span count. The store file is copied first and never modified.
//
//   node bench/attribute-layout.mjs <path/to/otel-lab.duckdb> [--slots 16]
//
// Layouts: the current type-tagged JSON object; promoted columns for the
// top-N keys or for well-known semantic-convention keys, rest as JSON; and
// "key set + positional slots": the span's key list (interned: a few hundred
// distinct lists) plus its values by position in N VARCHAR columns, the rest
// as JSON.

import { DuckDBInstance } from '@duckdb/node-api';
import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { slots: { type: 'string', default: '16' } },
});
if (positionals.length !== 1) {
  console.error('usage: node bench/attribute-layout.mjs <store.duckdb> [--slots N]');
  process.exit(2);
}
const slotCount = Math.max(1, Math.min(64, Number(values.slots)));
const dir = mkdtempSync(join(tmpdir(), 'otel-lab-attr-layout-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const source = join(dir, 'source.duckdb');
copyFileSync(positionals[0], source);

const db = await DuckDBInstance.create(source);
const c = await db.connect();
const rows = async (sql) => (await c.runAndReadAll(sql)).getRowObjectsJson();
const spans = Number((await rows('SELECT count(*) AS n FROM spans'))[0].n);
const keys = await rows(
  'SELECT k, count(*) AS n FROM (SELECT unnest(json_keys(attributes)) AS k FROM spans) GROUP BY k ORDER BY n DESC, k',
);
const keySets = Number(
  (await rows('SELECT count(DISTINCT json_keys(attributes)) AS n FROM spans'))[0].n,
);
console.log(`${spans} spans, ${keys.length} distinct keys, ${keySets} distinct key sets`);

const quote = (k) => `'${k.replaceAll("'", "''")}'`;
const without = (ks) =>
  `nullif(json_merge_patch(attributes, '{${ks.map((k) => `${JSON.stringify(k).replaceAll("'", "''")}:null`).join(',')}}'), '{}')`;

const results = [];
async function measure(name, select, from = 'spans') {
  const file = join(dir, `${results.length}.duckdb`);
  await c.run(`ATTACH '${file}' AS x (BLOCK_SIZE 16384)`);
  await c.run(`CREATE TABLE x.t AS ${select} FROM ${from}`);
  await c.run('CHECKPOINT x');
  await c.run('DETACH x');
  const empty = join(dir, `${results.length}-empty.duckdb`);
  await c.run(`ATTACH '${empty}' AS x (BLOCK_SIZE 16384)`);
  await c.run('CREATE TABLE x.t AS SELECT 1 AS one');
  await c.run('CHECKPOINT x');
  await c.run('DETACH x');
  const bytes = statSync(file).size - statSync(empty).size;
  results.push({ layout: name, 'B/span': (bytes / spans).toFixed(1) });
}

const semconv = [
  'rpc.system',
  'rpc.service',
  'rpc.method',
  'rpc.grpc.status_code',
  'server.address',
  'server.port',
  'client.address',
  'client.port',
  'network.peer.address',
  'network.peer.port',
  'network.protocol.version',
  'http.request.method',
  'http.response.status_code',
  'http.route',
  'url.full',
  'url.scheme',
  'url.path',
  'url.query',
  'user_agent.original',
  'db.system',
  'db.statement',
  'messaging.system',
  'messaging.destination.name',
];

await measure('JSON object (current)', 'SELECT attributes');
for (const top of [8, 16, 24]) {
  const ks = keys.slice(0, top).map((r) => r.k);
  const cols = ks.map((k, i) => `attributes->>${quote(k)} AS c${i}`).join(', ');
  await measure(`top ${top} keys promoted + rest`, `SELECT ${cols}, ${without(ks)} AS rest`);
}
{
  const cols = semconv.map((k, i) => `attributes->>${quote(k)} AS c${i}`).join(', ');
  await measure(
    `${semconv.length} semconv keys promoted + rest`,
    `SELECT ${cols}, ${without(semconv)} AS rest`,
  );
}
await c.run(
  'CREATE TEMP TABLE shaped AS SELECT json_keys(attributes) AS ks, attributes, dense_rank() OVER (ORDER BY array_to_string(json_keys(attributes), chr(1))) AS keyset_id FROM spans ORDER BY rowid',
);
const slots = Array.from(
  { length: slotCount },
  (_, i) => `attributes->>(ks[${i + 1}]) AS v${i}`,
).join(', ');
const restKeys = `CASE WHEN len(ks) > ${slotCount} THEN json_merge_patch('{}', attributes) END`;
await measure(
  `key set id + ${slotCount} positional slots + rest`,
  `SELECT keyset_id::USMALLINT AS keyset_id, ${slots}, ${restKeys} AS rest`,
  'shaped',
);
console.table(results);
