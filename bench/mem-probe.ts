// Preloaded into `otel-lab serve` by the store benchmarks to see where its
// memory goes as the store grows:
//
//   OTEL_LAB_MEM_PROBE=/tmp/probe.jsonl node --require dist/bench/mem-probe.js dist/src/cli/main.js serve ...
//
// Every OTEL_LAB_MEM_PROBE_MS (default 5000) it appends one JSON line: RSS
// split by /proc (anon, file), V8's heap and external memory, and, from the
// first DuckDB instance the process opened (captured by wrapping
// DuckDBInstance.create, no change to the store), duckdb_memory() per tag and
// pragma_database_size(). A bench-only tool: nothing in src/ loads it.

import { appendFileSync, readFileSync } from 'node:fs';
import { getHeapStatistics } from 'node:v8';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';

export interface ProbeSample {
  /** ms since the epoch */
  readonly t: number;
  readonly rss: number;
  readonly rssAnon: number;
  readonly rssFile: number;
  readonly heapUsed: number;
  readonly heapTotal: number;
  readonly external: number;
  readonly arrayBuffers: number;
  /** V8's own malloc'd memory (outside the heap). */
  readonly v8Malloced: number;
  /** duckdb_memory(): bytes per tag with any use. */
  readonly duckdb: Record<string, number>;
  readonly duckdbTotal: number;
  readonly duckdbTemp: number;
  /** pragma_database_size(): what DuckDB reports as its memory use and the WAL. */
  readonly dbMemoryUsage: string;
  readonly walSize: string;
  readonly usedBlocks: number;
  readonly blockSize: number;
}

function procKiB(status: string, field: string): number {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(status);
  return m ? Number(m[1]) * 1024 : 0;
}

/** The probe's lines, parsed (for the benchmarks that read them). */
export function readProbe(file: string): ProbeSample[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as ProbeSample);
}

function install(file: string, everyMs: number): void {
  const instances: DuckDBInstance[] = [];
  const create = DuckDBInstance.create.bind(DuckDBInstance);
  DuckDBInstance.create = async (...args: Parameters<typeof DuckDBInstance.create>) => {
    const i = await create(...args);
    instances.push(i);
    return i;
  };
  let conn: DuckDBConnection | undefined;
  let busy = false;
  const sample = async (): Promise<void> => {
    const mem = process.memoryUsage();
    const status = readFileSync('/proc/self/status', 'utf8');
    const duckdb: Record<string, number> = {};
    let duckdbTotal = 0;
    let duckdbTemp = 0;
    let size: Record<string, unknown> = {};
    const db = instances[0];
    if (db !== undefined) {
      conn ??= await db.connect();
      for (const r of (
        await conn.runAndReadAll(
          'SELECT tag, memory_usage_bytes, temporary_storage_bytes FROM duckdb_memory()',
        )
      ).getRowObjectsJson()) {
        const used = Number(r['memory_usage_bytes']);
        duckdbTotal += used;
        duckdbTemp += Number(r['temporary_storage_bytes']);
        if (used > 0) duckdb[String(r['tag'])] = used;
      }
      size =
        (
          await conn.runAndReadAll(
            'SELECT memory_usage, wal_size, used_blocks, block_size FROM pragma_database_size() WHERE database_name = current_database()',
          )
        ).getRowObjectsJson()[0] ?? {};
    }
    const s: ProbeSample = {
      t: Date.now(),
      rss: mem.rss,
      rssAnon: procKiB(status, 'RssAnon'),
      rssFile: procKiB(status, 'RssFile'),
      heapUsed: mem.heapUsed,
      heapTotal: mem.heapTotal,
      external: mem.external,
      arrayBuffers: mem.arrayBuffers,
      v8Malloced: getHeapStatistics().malloced_memory,
      duckdb,
      duckdbTotal,
      duckdbTemp,
      dbMemoryUsage: String(size['memory_usage'] ?? ''),
      walSize: String(size['wal_size'] ?? ''),
      usedBlocks: Number(size['used_blocks'] ?? 0),
      blockSize: Number(size['block_size'] ?? 0),
    };
    appendFileSync(file, `${JSON.stringify(s)}\n`);
  };
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    sample()
      .catch((e: unknown) => appendFileSync(file, `# ${String(e)}\n`))
      .finally(() => (busy = false));
  }, everyMs);
  timer.unref();
  // The store closes its instance on SIGTERM; a probe connection left open would keep it alive.
  process.once('SIGTERM', () => {
    clearInterval(timer);
    conn?.closeSync();
    conn = undefined;
  });
}

const target = process.env['OTEL_LAB_MEM_PROBE'];
if (target !== undefined && target !== '')
  install(target, Number(process.env['OTEL_LAB_MEM_PROBE_MS'] ?? 5000));
