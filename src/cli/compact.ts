// `otel-lab compact`: gives the disk space that retention freed back to the
// file system (DuckDB reuses freed blocks but never shrinks its file). Run
// it with the backend stopped; the store's file lock refuses it otherwise.

import { parseArgs } from 'node:util';
import { compactStore, StoreOpenError } from '../store/duckdb';
import { resolveDataDir } from './data-dir';
import type { CliIo } from './io';
import { EXIT_CONFIG, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './io';

const usage = `usage: otel-lab compact [options]

Rewrites the store into a file holding only its live data, so the space
that retention freed goes back to the disk. Stop 'otel-lab serve' (or
'otel-lab start') on that data directory first. Needs free disk space for
the copy (about the size of the live data).

options:
  --data-dir D          the store's data directory (default $OTEL_LAB_DATA_DIR,
                        else $OTEL_LAB_HOME/data, else ~/.otel-lab/data)
  -h, --help            this text
`;

const mib = (bytes: number): string => `${(bytes / 1048576).toFixed(1)} MiB`;

export async function runCompact(argv: readonly string[], io: CliIo): Promise<number> {
  let dataDir: string;
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: {
        'data-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    });
    if (values.help) {
      io.out(usage);
      return EXIT_OK;
    }
    dataDir = resolveDataDir(values['data-dir'], io.env);
  } catch (e) {
    io.err(`otel-lab compact: ${(e as Error).message}\n\n${usage}`);
    return EXIT_USAGE;
  }
  const started = Date.now();
  try {
    const r = await compactStore({ dataDir });
    const spans = r.rows['main.spans'] ?? 0;
    io.out(
      `otel-lab compact: ${r.file}: ${mib(r.bytesBefore)} -> ${mib(r.bytesAfter)} ` +
        `(${spans.toLocaleString('en-US')} spans kept, ${((Date.now() - started) / 1000).toFixed(1)} s)\n`,
    );
    return EXIT_OK;
  } catch (e) {
    io.err(`otel-lab compact: ${e instanceof Error ? e.message : String(e)}\n`);
    return e instanceof StoreOpenError ? EXIT_CONFIG : EXIT_FAILURE;
  }
}
