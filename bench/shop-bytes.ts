// Bytes per span of the real shop's traffic (issue 4, "< 100 bytes per span
// on disk for the shop's traffic"): `otel-lab start --speed 5` with its own
// OTEL_LAB_HOME and free ports, stopped with Ctrl-C (SIGINT) after --minutes
// or once --spans spans were accepted; then the store file is read: file and
// used-block size per span, and where the bytes go per table (each table
// copied alone into a fresh DuckDB file, and the blocks its segments use).
//
//   npm run build && node dist/bench/shop-bytes.js [--minutes 10] [--spans 300000] [--speed 5] [--users N] [--keep]
//   node dist/bench/shop-bytes.js --analyze DIR     # only the analysis, of DIR/data/otel-lab.duckdb
//
// Loopback only; every process it starts is stopped at the end (its own
// process group), and the temporary home is removed unless --keep.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import { SHOP_SERVICES } from '../src/shop/registry';
import { freePort, machineLine, repoRoot, sleep } from './metrics-ingest.procs';

const TABLES = [
  'spans',
  'trace_index',
  'resources',
  'scopes',
  // Schema 4 on (span attribute key sets); left out of older stores' tables below.
  'attribute_keysets',
  // Schema 5 on: the hot part of the trace index.
  'trace_index_hot',
  'logs',
  'metric_points',
  'series',
  'samples',
  'exemplars',
  'prom_metadata',
] as const;
const SPAN_TABLES = new Set([
  'spans',
  'trace_index',
  'trace_index_hot',
  'resources',
  'scopes',
  'attribute_keysets',
]);

/** One counter of the backend's `/metrics`, by its exact label text. */
async function counter(api: string, series: string): Promise<number> {
  try {
    const text = await (await fetch(`${api}/metrics`)).text();
    for (const line of text.split('\n'))
      if (line.startsWith(`${series} `)) return Number(line.slice(series.length + 1));
  } catch {
    // not up yet
  }
  return 0;
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function runShop(
  home: string,
  o: { minutes: number; spans: number; speed: string; users?: string },
): Promise<void> {
  const [http, otlpHttp, otlpGrpc] = [await freePort(), await freePort(), await freePort()];
  const env: NodeJS.ProcessEnv = { ...process.env, OTEL_LAB_HOME: home };
  delete env['OTEL_LAB_DATA_DIR'];
  delete env['OTEL_EXPORTER_OTLP_ENDPOINT'];
  // Free ports for every service too: another lab may be running on the defaults.
  for (const s of SHOP_SERVICES) env[s.portEnv] = String(await freePort());
  const args = [
    join(repoRoot, 'dist', 'src', 'cli', 'main.js'),
    'start',
    '--speed',
    o.speed,
    ...(o.users !== undefined ? ['--users', o.users] : []),
    '--http-port',
    String(http),
    '--otlp-http-port',
    String(otlpHttp),
    '--otlp-grpc-port',
    String(otlpGrpc),
  ];
  const lab: ChildProcess = spawn(process.execPath, args, {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const pid = lab.pid as number;
  const kill = (): void => {
    if (groupAlive(pid)) process.kill(-pid, 'SIGKILL');
  };
  process.once('exit', kill);
  let out = '';
  lab.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  lab.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => lab.once('exit', (code) => r(code)));
  const api = `http://127.0.0.1:${http}`;
  const t0 = Date.now();
  while (!out.includes('otel-lab is running')) {
    if (lab.exitCode !== null) throw new Error(`otel-lab start exited:\n${out}`);
    if (Date.now() - t0 > 90_000) throw new Error(`otel-lab start not up after 90 s:\n${out}`);
    await sleep(200);
  }
  console.error(`lab up in ${((Date.now() - t0) / 1000).toFixed(1)} s; running ${o.minutes} min`);
  const accepted = (signal: string): Promise<number> =>
    counter(api, `otel_lab_ingest_items_total{signal="${signal}",outcome="accepted"}`);
  let spans = 0;
  const start = Date.now();
  while (Date.now() - start < o.minutes * 60_000 && spans < o.spans) {
    await sleep(10_000);
    spans = await accepted('traces');
    const [points, logs] = [await accepted('metrics'), await accepted('logs')];
    console.error(
      `${((Date.now() - start) / 60_000).toFixed(1)} min: ${spans} spans, ${points} points, ${logs} logs`,
    );
  }
  // Ctrl-C, as a person stops the lab: the backend checkpoints its store on the way out.
  process.kill(pid, 'SIGINT');
  const code = await Promise.race([exited, sleep(60_000).then(() => 'timeout' as const)]);
  kill();
  if (code === 'timeout') throw new Error(`otel-lab start did not stop within 60 s`);
  const restarts = out.match(/restart #\d+/g) ?? [];
  console.error(`lab stopped (exit ${code}); restarts seen: ${restarts.length}`);
}

const num = (v: unknown): number => Number(v ?? 0);

async function one(conn: DuckDBConnection, sql: string): Promise<unknown[]> {
  return (await conn.runAndReadAll(sql)).getRows()[0] ?? [];
}

/**
 * Bytes a table takes alone: copied into a fresh file, minus the file of its
 * empty copy. 16 KiB blocks (the store uses 256 KiB) so small tables are not
 * rounded up to a whole block.
 */
async function aloneBytes(conn: DuckDBConnection, dir: string, table: string): Promise<number> {
  const size = async (name: string, limit: string): Promise<number> => {
    const file = join(dir, `${name}.duckdb`);
    rmSync(file, { force: true });
    await conn.run(`ATTACH '${file}' AS ${name} (BLOCK_SIZE 16384)`);
    await conn.run(`CREATE TABLE ${name}.t AS SELECT * FROM store.${table} ${limit}`);
    await conn.run(`DETACH ${name}`);
    const bytes = statSync(file).size;
    rmSync(file, { force: true });
    return bytes;
  };
  return (await size('probe_full', '')) - (await size('probe_empty', 'LIMIT 0'));
}

export async function analyze(home: string): Promise<void> {
  const file = join(home, 'data', 'otel-lab.duckdb');
  if (!existsSync(file)) throw new Error(`${file} missing`);
  const fileBytes = statSync(file).size;
  const walBytes = existsSync(`${file}.wal`) ? statSync(`${file}.wal`).size : 0;
  const scratch = mkdtempSync(join(tmpdir(), 'otel-lab-shop-bytes-probe-'));
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    await conn.run(`ATTACH '${file}' AS store (READ_ONLY)`);
    const [blockSize, usedBlocks] = await one(
      conn,
      "SELECT block_size, used_blocks FROM pragma_database_size() WHERE database_name = 'store'",
    );
    const used = num(blockSize) * num(usedBlocks);
    const spans = num((await one(conn, 'SELECT count(*) FROM store.spans'))[0]);
    console.log(`\n## shop bytes · ${machineLine()}`);
    console.log(
      `store ${file}: ${spans} spans; file ${fileBytes} B (${(fileBytes / spans).toFixed(1)} B/span), ` +
        `used blocks ${used} B (${(used / spans).toFixed(1)} B/span), WAL ${walBytes} B\n`,
    );
    console.log(
      '| table | rows | alone (fresh file) B | B/row | B/span | blocks its segments touch | of file |',
    );
    console.log('|---|---:|---:|---:|---:|---:|---:|');
    let spanSide = 0;
    let other = 0;
    const present = new Set(
      (
        await conn.runAndReadAll(
          "SELECT table_name FROM duckdb_tables() WHERE database_name = 'store'",
        )
      )
        .getRows()
        .map(([t]) => String(t)),
    );
    for (const table of TABLES) {
      if (!present.has(table)) continue;
      const rows = num((await one(conn, `SELECT count(*) FROM store.${table}`))[0]);
      const alone = await aloneBytes(conn, scratch, table);
      // Blocks holding this table's segments (a block may be shared with another table's).
      const blocks = num(
        (
          await one(
            conn,
            `SELECT count(DISTINCT block_id) FROM pragma_storage_info('store.main.${table}') WHERE persistent AND block_id >= 0`,
          )
        )[0],
      );
      if (SPAN_TABLES.has(table)) spanSide += alone;
      else other += alone;
      console.log(
        `| ${table} | ${rows} | ${alone} | ${rows > 0 ? (alone / rows).toFixed(1) : '-'} | ${(alone / spans).toFixed(1)} | ${blocks} | ${((blocks * num(blockSize) * 100) / fileBytes).toFixed(0)} % |`,
      );
    }
    console.log(
      `\nspan side (spans + trace_index (+ _hot) + resources + scopes + attribute_keysets), each copied alone: ${spanSide} B = **${(spanSide / spans).toFixed(1)} B/span**; metrics and logs tables: ${other} B (${(other / spans).toFixed(1)} B per span of traffic)`,
    );
    const cols = (
      await conn.runAndReadAll(
        "SELECT table_name, column_name FROM duckdb_columns() WHERE database_name = 'store' AND table_name IN ('spans', 'trace_index') ORDER BY table_name, column_index",
      )
    ).getRows();
    console.log('\n| column | B/span (copied alone) |');
    console.log('|---|---:|');
    for (const [table, col] of cols) {
      const c = `"${String(col)}"`;
      const f = join(scratch, 'col.duckdb');
      const e = join(scratch, 'col-empty.duckdb');
      for (const [name, path, limit] of [
        ['colf', f, ''],
        ['cole', e, 'LIMIT 0'],
      ] as const) {
        rmSync(path, { force: true });
        await conn.run(`ATTACH '${path}' AS ${name} (BLOCK_SIZE 16384)`);
        await conn.run(`CREATE TABLE ${name}.t AS SELECT ${c} FROM store.${table} ${limit}`);
        await conn.run(`DETACH ${name}`);
      }
      console.log(
        `| ${String(table)}.${String(col)} | ${((statSync(f).size - statSync(e).size) / spans).toFixed(1)} |`,
      );
    }
  } finally {
    conn.closeSync();
    db.closeSync();
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      minutes: { type: 'string', default: '10' },
      spans: { type: 'string', default: '300000' },
      speed: { type: 'string', default: '5' },
      users: { type: 'string' },
      keep: { type: 'boolean', default: false },
      analyze: { type: 'string' },
    },
  });
  if (values.analyze !== undefined) return analyze(resolve(values.analyze));
  const home = mkdtempSync(join(tmpdir(), 'otel-lab-shop-bytes-'));
  try {
    await runShop(home, {
      minutes: Number(values.minutes),
      spans: Number(values.spans),
      speed: values.speed,
      ...(values.users !== undefined ? { users: values.users } : {}),
    });
    await analyze(home);
  } finally {
    if (values.keep) console.error(`kept ${home}`);
    else rmSync(home, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
