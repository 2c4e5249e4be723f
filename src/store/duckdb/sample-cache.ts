// Samples already read, held in memory by series key and 10-minute block of
// time (as Prometheus holds its head block), so a dashboard's range queries,
// asked again every few seconds over the same hour, read from SQL only the
// blocks written since. Each samples query costs a scan of every series'
// rows in its window; from here a selector costs a copy (bench/promql.md).
//
// A block held here is dropped as soon as a write touching it begins, and a
// read stores a block only if no write touched it between the read's start
// and its end (versions below): DuckDB's snapshot of the read may predate a
// write that commits during it. Retention raises a floor below which nothing
// is held.

import { SAMPLE_BLOCK_MS } from './compact-samples';

/** Samples held by default: 16 bytes each (time and value as float64). */
export const DEFAULT_SAMPLE_CACHE_SAMPLES = 1_000_000;
/** A read spanning more blocks than this (a week) bypasses the cache. */
export const MAX_CACHED_SPAN_BLOCKS = 7 * 24 * 6;

/** A series' samples in one block: times and values interleaved, in time order. */
export type BlockSamples = Float64Array;
const EMPTY: BlockSamples = new Float64Array(0);

interface Block {
  readonly series: Map<string, BlockSamples>;
  samples: number;
}

/** Versions of a read's blocks when it began; -1 for a block that must not be stored. */
export interface CacheSnapshot {
  readonly lo: number;
  readonly versions: readonly number[];
}

export class SampleCache {
  /** Per block: the last write start or end that touched it (from `counter`). */
  private readonly versions = new Map<number, number>();
  /** Per block: writes begun and not yet ended. */
  private readonly writing = new Map<number, number>();
  /** Least recently used first. */
  private readonly blocks = new Map<number, Block>();
  private counter = 0;
  /** Blocks below this one lost samples to retention: never held. */
  private floor = Number.NEGATIVE_INFINITY;
  private held = 0;

  constructor(
    readonly maxSamples = DEFAULT_SAMPLE_CACHE_SAMPLES,
    readonly blockMs = SAMPLE_BLOCK_MS,
  ) {
    if (!Number.isSafeInteger(maxSamples) || maxSamples < 0)
      throw new RangeError(`maxSamples must be a non-negative integer, got ${maxSamples}`);
    if (!Number.isSafeInteger(blockMs) || blockMs <= 0)
      throw new RangeError(`blockMs must be a positive integer, got ${blockMs}`);
  }

  get enabled(): boolean {
    return this.maxSamples > 0;
  }

  /** Samples held now. */
  get size(): number {
    return this.held;
  }

  blockOf(t: number): number {
    return Math.floor(t / this.blockMs);
  }

  /** The blocks a write of these sample times touches. */
  blocksOf(times: Iterable<number>): Set<number> {
    const out = new Set<number>();
    for (const t of times) out.add(this.blockOf(t));
    return out;
  }

  /** The blocks of times `fromMs <= t < toMs`. */
  blocksBetween(fromMs: number, toMs: number): Set<number> {
    const out = new Set<number>();
    for (let b = this.blockOf(fromMs); b * this.blockMs < toMs; b++) out.add(b);
    return out;
  }

  /** Before a write of samples in these blocks; `writeEnded` with the same blocks after it commits or rolls back. */
  writeStarted(blocks: ReadonlySet<number>): void {
    for (const b of blocks) {
      this.writing.set(b, (this.writing.get(b) ?? 0) + 1);
      this.touch(b);
    }
  }

  writeEnded(blocks: ReadonlySet<number>): void {
    for (const b of blocks) {
      const n = (this.writing.get(b) ?? 1) - 1;
      if (n > 0) this.writing.set(b, n);
      else this.writing.delete(b);
      this.touch(b);
    }
  }

  /** Before deleting the samples older than `cutoffMs`. */
  dropBefore(cutoffMs: number): void {
    const floor = this.blockOf(cutoffMs) + 1;
    if (!(floor > this.floor)) return;
    this.floor = floor;
    for (const b of [...this.blocks.keys()]) if (b < floor) this.evict(b);
    for (const b of [...this.versions.keys()]) if (b < floor) this.versions.delete(b);
  }

  /** Taken before a read of blocks lo..hi starts its query. */
  snapshot(lo: number, hi: number): CacheSnapshot {
    const versions: number[] = [];
    for (let b = lo; b <= hi; b++)
      versions.push(b < this.floor || this.writing.has(b) ? -1 : (this.versions.get(b) ?? 0));
    return { lo, versions };
  }

  /** A series' samples in a block, if held (a series held without samples there: an empty array). */
  get(block: number, key: string): BlockSamples | undefined {
    return this.blocks.get(block)?.series.get(key);
  }

  /** Marks a block as just used, so it is evicted last. */
  used(block: number): void {
    const e = this.blocks.get(block);
    if (e === undefined) return;
    this.blocks.delete(block);
    this.blocks.set(block, e);
  }

  /** Holds what a read found in a whole block, unless a write touched the block since `snap`. */
  put(snap: CacheSnapshot, block: number, key: string, samples: BlockSamples): void {
    if (!this.enabled) return;
    const at = block - snap.lo;
    const v = snap.versions[at];
    if (v === undefined || v < 0 || block < this.floor || this.writing.has(block)) return;
    if ((this.versions.get(block) ?? 0) !== v) return;
    const n = samples.length / 2;
    if (n > this.maxSamples) return;
    let e = this.blocks.get(block);
    if (e === undefined) this.blocks.set(block, (e = { series: new Map(), samples: 0 }));
    const old = e.series.get(key);
    if (old !== undefined) {
      e.samples -= old.length / 2;
      this.held -= old.length / 2;
    }
    e.series.set(key, n === 0 ? EMPTY : samples);
    e.samples += n;
    this.held += n;
    for (const [b] of this.blocks) {
      if (this.held <= this.maxSamples) break;
      if (b !== block) this.evict(b);
    }
    if (this.held > this.maxSamples) this.evict(block);
  }

  private touch(b: number): void {
    this.versions.set(b, ++this.counter);
    this.evict(b);
  }

  private evict(b: number): void {
    const e = this.blocks.get(b);
    if (e === undefined) return;
    this.held -= e.samples;
    this.blocks.delete(b);
  }
}
