// Where a trace-by-id read's time goes, in process, on a store that
// bench/trace-search.ts loaded and kept (--dir): the store's getTrace
// against the read it replaced (`before`: the same two statements as SQL
// text with the id inlined, each parsed and planned per read, and read to
// the end), alternated read by read on distinct traces so each read is a
// first touch of its blocks. Per read: wall time and the CPU the process
// spent (DuckDB's threads included).
//
//   npm run build && node dist/bench/trace-by-id.probe.js --dir /var/tmp/ts10m [--runs 200] [--busy-ms 0] [--hot]
//
// --busy-ms N keeps the event loop busy in N ms turns meanwhile, as ingest
// does (decode, appender flushes): every round trip to DuckDB's thread then
// waits for the turn in progress to end. --hot reads only traces the hot
// trace index holds (those the store reads in one statement).
//
// Opens the store read-only (stop the backend first, or better use a copy of
// the directory) with the backend's DuckDB settings (threads 2, 512MB).

import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BIGINT, DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import { Catalog } from '../src/store/duckdb/catalog';
import { asBig, hexToBig, traceHex } from '../src/store/duckdb/codec';
import { HotWindows } from '../src/store/duckdb/hot-windows';
import { DB_FILE_NAME, prepareConnection } from '../src/store/duckdb/open';
import { read } from '../src/store/duckdb/params';
import { getTrace } from '../src/store/duckdb/read-traces';
import { query } from '../src/store/duckdb/sql';
import { machineLine, percentile } from './metrics-ingest.procs';
import { traceIdHex } from './trace-search.shop';

interface LoadInfo {
  readonly run: number;
  readonly traces: number;
}

/** The by-id read as it was at 3c56c61 (rows only: the conversion is the same). */
async function before(conn: DuckDBConnection, hex: string, hot: HotWindows): Promise<number> {
  const literal = hexToBig(hex).toString();
  const inline = (sql: string): string => sql.replaceAll('$trace_id', `${literal}::UHUGEINT`);
  const w = (await conn.runAndReadAll(inline(query('trace-window-cold')), {})).getRows()[0];
  const h = hot.get(hex);
  const cold =
    w?.[0] === null || w === undefined ? undefined : { lo: asBig(w[0]!), hi: asBig(w[1]!) };
  if (cold === undefined && h === undefined) return 0;
  const lo = cold === undefined ? h!.lo : h === undefined || cold.lo < h.lo ? cold.lo : h.lo;
  const hi = cold === undefined ? h!.hi : h === undefined || cold.hi > h.hi ? cold.hi : h.hi;
  const rows = await conn.runAndReadAll(
    inline(query('trace-spans')),
    { lo, hi },
    { lo: BIGINT, hi: BIGINT },
  );
  return rows.getRowObjects().length;
}

const f1 = (x: number): string => x.toFixed(2);

function row(name: string, xs: readonly number[]): string {
  const p = (q: number): string => f1(percentile(xs, q));
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return `| ${name} | ${p(0.5)} | ${p(0.9)} | ${p(0.99)} | ${f1(Math.max(...xs))} | ${f1(mean)} |`;
}

/** Keeps the event loop busy in `ms` turns until stopped. */
function busyLoop(ms: number): () => void {
  let on = ms > 0;
  const turn = (): void => {
    if (!on) return;
    const end = performance.now() + ms;
    while (performance.now() < end);
    setImmediate(turn);
  };
  if (on) setImmediate(turn);
  return () => {
    on = false;
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      dir: { type: 'string' },
      runs: { type: 'string', default: '200' },
      offset: { type: 'string', default: '7' },
      'busy-ms': { type: 'string', default: '0' },
      hot: { type: 'boolean', default: false },
    },
  });
  if (values.dir === undefined)
    throw new Error('--dir DIR (a store trace-search.ts kept) is required');
  const dir = resolve(values.dir);
  const info = JSON.parse(readFileSync(join(dir, 'trace-search.json'), 'utf8')) as LoadInfo;
  const runs = Math.max(6, Number(values.runs));
  const busyMs = Number(values['busy-ms']);
  const db = await DuckDBInstance.create(join(dir, 'data', DB_FILE_NAME), {
    access_mode: 'READ_ONLY',
    threads: '2',
    memory_limit: '512MB',
  });
  const conn = await db.connect();
  try {
    await prepareConnection(conn);
    const catalog = new Catalog();
    await catalog.load(conn);
    const hot = new HotWindows(400_000);
    const hotIds: string[] = [];
    for (const r of (await read(conn, query('trace-index-hot-windows'))).getRows()) {
      hotIds.push(traceHex(r[0]!));
      hot.note(traceHex(r[0]!), asBig(r[1]!), asBig(r[2]!));
    }
    const offset = Number(values.offset);
    // --hot: only traces the hot index holds (read in one statement now).
    const id = (i: number): string =>
      values.hot
        ? hotIds[(i * 7_919 + offset) % hotIds.length]!
        : traceIdHex(info.run, (i * 104_729 + offset) % info.traces);
    const ms = { before: [] as number[], now: [] as number[] };
    const cpu = { before: [] as number[], now: [] as number[] };
    let misses = 0;
    const stop = busyLoop(busyMs);
    try {
      for (let i = 1; i <= runs; i++) {
        const which = (i >> 1) % 2 === i % 2 ? 'before' : 'now';
        const hex = id(i);
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        const n =
          which === 'before'
            ? await before(conn, hex, hot)
            : (await getTrace(conn, catalog, hex, hot)).length;
        const t1 = performance.now();
        const c1 = process.cpuUsage(c0);
        if (n === 0) misses++;
        ms[which].push(t1 - t0);
        cpu[which].push((c1.user + c1.system) / 1000);
      }
    } finally {
      stop();
    }
    console.log(`\n## trace by id in process · ${machineLine()}`);
    console.log(
      `${info.traces} traces; ${runs} reads alternated${values.hot ? ' (hot traces only)' : ''}, ${misses} not found; hot windows ${hot.size}; event loop busy in ${busyMs} ms turns\n`,
    );
    console.log('| ms | p50 | p90 | p99 | max | mean |');
    console.log('|---|---:|---:|---:|---:|---:|');
    console.log(row('before: wall', ms.before));
    console.log(row('now: wall', ms.now));
    console.log(row('before: process CPU (busy loop included)', cpu.before));
    console.log(row('now: process CPU (busy loop included)', cpu.now));
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
