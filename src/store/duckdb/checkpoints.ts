// Checkpoints off the write path. DuckDB checkpoints at the COMMIT that
// takes the WAL past `checkpoint_threshold`, and that COMMIT (so the writer,
// so every write queued behind it) waits for the whole checkpoint: up to
// seconds when the cold trace index's ART is rewritten after a move. A
// CHECKPOINT issued on a connection of its own runs while the writer keeps
// committing (DuckDB 1.5 writes those commits to a new WAL): measured raw,
// 87 commits went through during a 1.5 s checkpoint, none over 108 ms
// (load 11), against one commit held 5.3 s when the writer checkpointed.
// So the store checkpoints from here once the WAL reaches its threshold,
// and DuckDB's own trigger is left as a backstop at a multiple of it.

import { statSync } from 'node:fs';

import type { DuckDBConnection } from '@duckdb/node-api';

/** DuckDB's automatic checkpoint, only if these checkpoints fall behind (a failure, a stall). */
export const BACKSTOP_FACTOR = 4;

const UNITS: Readonly<Record<string, number>> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};

/** A size as DuckDB's settings take it ('64MB' is 64e6 bytes, '64MiB' 64 * 2^20). */
export function parseBytes(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = UNITS[(m?.[2] ?? '').toLowerCase() || 'b'];
  const bytes = m === null || unit === undefined ? Number.NaN : Number(m[1]) * unit;
  if (!Number.isFinite(bytes) || bytes < 1)
    throw new RangeError(`not a size: ${JSON.stringify(text)} (e.g. '64MB', '1GiB')`);
  return Math.floor(bytes);
}

export class Checkpointer {
  private running: Promise<void> | undefined;
  private failed = 0;

  /** `wal`: the WAL's path, undefined for an in-memory database (nothing to checkpoint). */
  constructor(
    private readonly conn: DuckDBConnection,
    private readonly wal: string | undefined,
    private readonly thresholdBytes: number,
  ) {}

  /** Checkpoints that failed so far (the next trigger tries again; the backstop remains). */
  get failures(): number {
    return this.failed;
  }

  /** After a commit: starts a checkpoint in the background once the WAL holds the threshold. */
  afterCommit(): void {
    if (this.wal === undefined || this.running !== undefined) return;
    const size = statSync(this.wal, { throwIfNoEntry: false })?.size ?? 0;
    if (size >= this.thresholdBytes) void this.now();
  }

  /** Starts one now unless one runs; resolves when it ended, whatever the outcome. */
  now(): Promise<void> {
    if (this.wal === undefined) return Promise.resolve();
    this.running ??= this.conn
      .run('CHECKPOINT')
      .then(
        () => undefined,
        () => {
          this.failed++;
        },
      )
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  /** Waits for a running checkpoint; the caller closes the connection after. */
  async close(): Promise<void> {
    await this.running;
  }
}
