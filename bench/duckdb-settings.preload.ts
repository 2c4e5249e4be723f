// Preloaded into `otel-lab serve` by bench/rss-growth.ts to try DuckDB
// settings without changing the store:
//
//   OTEL_LAB_BENCH_DUCKDB_SETTINGS='allocator_flush_threshold=16MB' \
//     node --require dist/bench/duckdb-settings.preload.js dist/src/cli/main.js serve ...
//
// Wraps DuckDBInstance.create and adds the settings (comma-separated
// name=value) to every instance the process opens. A bench-only tool.

import { DuckDBInstance } from '@duckdb/node-api';

function parse(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of text.split(',').filter((p) => p !== '')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new Error(`OTEL_LAB_BENCH_DUCKDB_SETTINGS: '${pair}' is not name=value`);
    out[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  return out;
}

const extra = parse(process.env['OTEL_LAB_BENCH_DUCKDB_SETTINGS'] ?? '');
const create = DuckDBInstance.create.bind(DuckDBInstance);
DuckDBInstance.create = (path?: string, options?: Record<string, string>) =>
  create(path, { ...options, ...extra });
