// Moves the samples table's settled blocks, one closed time block per call,
// into samples_settled ordered by (metric_id, series_id, t).
//
// Samples arrive in time order with every series interleaved, so a selector's
// series_id filter prunes no row group and each PromQL read scans every
// sample of its window (30 ms for one series at 18M rows). Rewriting a block
// ordered by series_id was not enough either: a metric's series ids are
// spread over the id range (series are created as services report them), so
// a whole-metric selector still read every row group. Ordered by metric
// first, the zone maps on metric_id skip the other metrics' row groups
// (whole metric of 50 series at 9M samples: 98 -> 51 ms CPU; bench/promql.md,
// "settled samples in metric order"). The live table keeps its columns (the
// write path appends to it) and only the blocks not moved yet.

import type { DuckDBConnection } from '@duckdb/node-api';
import { BIGINT } from '@duckdb/node-api';

import { asBig, asNum } from './codec';
import { inTransaction, read, runScript } from './params';
import type { Params } from './params';
import { query } from './sql';

/**
 * Width of a block: ~1.8M samples at the lab's ~3k samples/s. The rewrite
 * holds the writer for a time proportional to it (1.5M rows: the sort
 * 0.3-0.8 s, then the swap 0.1-0.3 s, at load 7-8), while a one-series read
 * of an hour costs about the same as with 30-minute blocks (1.9 vs 1.5 ms
 * CPU at 18M rows; 24 ms unclustered), and less of the newest data is left
 * unclustered (bench/promql.md, "samples clustering in the store").
 */
export const SAMPLE_BLOCK_MS = 10 * 60_000;
/** A block is closed once its end is this far in the past: late exports land before. */
export const SAMPLE_SETTLE_MS = 5 * 60_000;
/** Compacted blocks skipped per call while looking for the next one to do. */
const PROBES_PER_CALL = 64;

export interface SamplesCompaction {
  /** The block's index: its samples have `block * blockMs <= t < (block + 1) * blockMs`. */
  readonly block: bigint;
  readonly rowsBefore: number;
  /** After keeping one row per (series, time): the last write of it. */
  readonly rowsAfter: number;
  /** How long the transaction held the writer (BEGIN to COMMIT): writes queued wait this long. */
  readonly wallMs: number;
  /** The turn before it that found and sorted the block (writes wait for it too). */
  readonly stageMs: number;
  /** The block changed between the two turns, so the transaction sorted it again. */
  readonly restaged: boolean;
}

/**
 * Runs a task on the writer connection in the store's write queue, or
 * resolves undefined without running it when the store is closing.
 */
export type WriterTurn = <T>(
  task: (conn: DuckDBConnection) => Promise<T>,
) => Promise<T | undefined>;

interface Staged {
  readonly block: bigint;
  readonly mark: string;
  readonly stageMs: number;
}

const floorDiv = (a: bigint, b: bigint): bigint => {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
};

/**
 * Told before a block's rows are swapped (ms range, end excluded); the
 * function it returns is called after the transaction ends.
 */
export type RewriteHook = (fromMs: number, toMs: number) => () => void;

/**
 * Remembers, for one store, which blocks are done. Each `step` moves at
 * most one block in two turns of the write queue (its sort, then one
 * transaction that deletes it from `samples` and appends it to
 * `samples_settled`), so a queued write waits for one of them, not both; a
 * crash mid-move leaves the block where it was (DuckDB's WAL replays only
 * committed transactions). Samples written into a done block's time later
 * stay in `samples` (reads rank them above settled rows).
 */
export class SamplesCompactor {
  /** Blocks below this start are compacted, or had no samples when looked at. */
  private cursor = -(1n << 62n);
  /** Blocks at or past the cursor that an earlier process compacted. */
  private done: Set<bigint> | undefined;
  private readonly blockMs: bigint;
  private readonly settleMs: bigint;

  constructor(blockMs = SAMPLE_BLOCK_MS, settleMs = SAMPLE_SETTLE_MS) {
    if (!Number.isSafeInteger(blockMs) || blockMs <= 0)
      throw new RangeError(`blockMs must be a positive integer, got ${blockMs}`);
    if (!Number.isSafeInteger(settleMs) || settleMs < 0)
      throw new RangeError(`settleMs must be a non-negative integer, got ${settleMs}`);
    this.blockMs = BigInt(blockMs);
    this.settleMs = BigInt(settleMs);
  }

  /**
   * Compacts the oldest closed block not compacted yet, if any, in two turns
   * of the write queue: one finds the block and sorts its rows into a temp
   * table, the next (a transaction) swaps them in. Writes queued meanwhile
   * run between the two; if one touched the block, the second sorts again.
   */
  async step(
    turn: WriterTurn,
    nowMs: bigint,
    rewriting?: RewriteHook,
  ): Promise<SamplesCompaction | undefined> {
    const staged = await turn((conn) => this.stage(conn, nowMs));
    if (staged === undefined) return undefined;
    return turn(async (conn) => {
      const from = staged.block * this.blockMs;
      const done = rewriting?.(Number(from), Number(from + this.blockMs));
      try {
        return await this.rewrite(conn, staged);
      } finally {
        done?.();
      }
    });
  }

  private async stage(conn: DuckDBConnection, nowMs: bigint): Promise<Staged | undefined> {
    const block_ms: readonly [bigint, typeof BIGINT] = [this.blockMs, BIGINT];
    await runScript(conn, query('compact-samples-setup'), { block_ms });
    // Read once: later records are this process's own, all below the cursor.
    this.done ??= new Set(
      (await read(conn, query('compact-samples-blocks'))).getRows().map((r) => asBig(r[0] ?? 0)),
    );
    const done = this.done;
    const closedBefore = floorDiv(nowMs - this.settleMs, this.blockMs) * this.blockMs;
    for (let probe = 0; probe < PROBES_PER_CALL; probe++) {
      // Runs of done blocks (a store reopened after days) cost no query.
      for (let b = floorDiv(this.cursor, this.blockMs); done.has(b); b++)
        this.cursor = (b + 1n) * this.blockMs;
      for (const b of done) if (b * this.blockMs < this.cursor) done.delete(b);
      if (this.cursor >= closedBefore) return undefined;
      const next = (
        await read(conn, query('compact-samples-next'), {
          from_t: [this.cursor, BIGINT],
          before_t: [closedBefore, BIGINT],
        })
      ).getRows()[0]?.[0];
      if (next === null || next === undefined) {
        this.cursor = closedBefore;
        return undefined;
      }
      const block = floorDiv(asBig(next), this.blockMs);
      // Past this block whatever happens: a block that fails is not retried
      // every minute by this process (a restart tries again).
      this.cursor = (block + 1n) * this.blockMs;
      if (done.has(block)) continue;
      const started = performance.now();
      await runScript(conn, query('compact-samples-stage'), this.range(block));
      const mark = await this.mark(conn, block);
      return { block, mark, stageMs: performance.now() - started };
    }
    return undefined;
  }

  private range(block: bigint): Params {
    const from = block * this.blockMs;
    return { from_t: [from, BIGINT], to_t: [from + this.blockMs, BIGINT] };
  }

  private async mark(conn: DuckDBConnection, block: bigint): Promise<string> {
    const row = (await read(conn, query('compact-samples-mark'), this.range(block))).getRows()[0];
    return (row ?? []).map(String).join('/');
  }

  private async rewrite(conn: DuckDBConnection, staged: Staged): Promise<SamplesCompaction> {
    const { block } = staged;
    const range = this.range(block);
    const started = performance.now();
    let restaged = false;
    try {
      await inTransaction(conn, async () => {
        if ((await this.mark(conn, block)) !== staged.mark) {
          restaged = true;
          await runScript(conn, query('compact-samples-stage'), range);
        }
        await runScript(conn, query('compact-samples'), { ...range, block: [block, BIGINT] });
      });
    } catch (err) {
      const from = block * this.blockMs;
      throw new Error(
        `compacting the samples of [${from}, ${from + this.blockMs}) ms failed and was rolled back, no sample changed: ${(err as Error).message}`,
        { cause: err },
      );
    }
    const wallMs = performance.now() - started;
    const row =
      (await read(conn, query('compact-samples-done'), { block: [block, BIGINT] })).getRows()[0] ??
      [];
    return {
      block,
      rowsBefore: asNum(row[0] ?? 0),
      rowsAfter: asNum(row[1] ?? 0),
      wallMs,
      stageMs: staged.stageMs,
      restaged,
    };
  }
}
