// Samples already read, held in memory by series key and 10-minute block of
// time (as Prometheus holds its head block), so a dashboard's range queries,
// asked again every few seconds over the same hour, need no SQL at all. A
// samples query costs a scan of every series' rows in its window; from here
// a selector costs a copy (bench/promql.md).
//
// Writes keep what is held current: when a write commits, its samples are
// merged into the blocks held for their series (the last write of a time
// wins, as in SQL); a rolled back write, a compaction's rewrite and
// retention drop what they touch. A read stores a block only if no write
// touching it began or ended between the read's start and its end
// (versions below): DuckDB's snapshot of the read may predate a write that
// commits during it.

import type { Labels, SeriesSamples } from '../../model/telemetry';
import { seriesKey } from '../labels';
import { SAMPLE_BLOCK_MS } from './compact-samples';

/** Memory held by default: ~1M samples at the lab's 5 s flush (~120 per series and block). */
export const DEFAULT_SAMPLE_CACHE_BYTES = 16 * 1024 * 1024;
/**
 * What one series of one block costs beside its samples' 16 bytes each (the
 * arrays, the holder, the map entry): 200-250 bytes measured with node 20
 * at 1 and 120 samples per entry; counted high so the bound holds.
 */
export const ENTRY_BYTES = 384;
/**
 * A read spanning more blocks than this (6 hours) bypasses the cache: the
 * lab's ranges go up to an hour, and a long read, done once, would push out
 * the blocks the dashboard asks for every few seconds.
 */
export const MAX_CACHED_SPAN_BLOCKS = 37;

/**
 * A series' samples in one block: the first `n` (time, value) pairs of
 * `data`, interleaved, in time order. Plain arrays of doubles, not typed
 * arrays: a typed array costs ~350 bytes beside its data (off-heap backing
 * store), a plain one ~200.
 */
export interface BlockSamples {
  readonly data: readonly number[];
  readonly n: number;
}
const EMPTY: readonly number[] = [];

/**
 * Samples held for one series and block. A reader takes `data` and `n` as
 * they are, so a write appends past `n` in place and replaces `data` for
 * anything else.
 */
interface Held {
  data: number[];
  n: number;
}

interface Block {
  readonly series: Map<string, Held>;
  bytes: number;
}

const costOf = (data: readonly number[]): number => data.length * 8 + ENTRY_BYTES;

/** Versions of a read's blocks when it began; -1 for a block that must not be stored. */
export interface CacheSnapshot {
  readonly lo: number;
  readonly epoch: number;
  readonly versions: readonly number[];
}

/**
 * A write over more blocks than this (timestamps are the sender's) counts as
 * touching every block, and past this many blocks with versions they are
 * all forgotten: versions only make reads under way store nothing, so
 * memory stays bounded whatever times a sender writes at.
 */
export const WIDE_WRITE_BLOCKS = 64;
export const MAX_VERSIONED_BLOCKS = 4096;

// Label objects the translator reuses are frozen: their key is taken once.
const frozenKeys = new WeakMap<Labels, string>();
function keyOf(labels: Labels): string {
  if (!Object.isFrozen(labels)) return seriesKey(labels);
  let key = frozenKeys.get(labels);
  if (key === undefined) frozenKeys.set(labels, (key = seriesKey(labels)));
  return key;
}

export class SampleCache {
  /** Per block: changed at the end of every write that touched it (from `counter`). */
  private readonly versions = new Map<number, number>();
  /** Per block: writes begun and not yet ended. */
  private readonly writing = new Map<number, number>();
  /** Least recently used first. */
  private readonly blocks = new Map<number, Block>();
  private counter = 0;
  /** Changed when every snapshot taken so far must store nothing. */
  private epoch = 0;
  /** Wide writes begun and not yet ended: no block is stored meanwhile. */
  private writingAll = 0;
  /** Blocks below this one lost samples to retention: never held. */
  private floor = Number.NEGATIVE_INFINITY;
  private held = 0;

  constructor(
    readonly maxBytes = DEFAULT_SAMPLE_CACHE_BYTES,
    readonly blockMs = SAMPLE_BLOCK_MS,
  ) {
    if (!Number.isSafeInteger(maxBytes) || maxBytes < 0)
      throw new RangeError(`maxBytes must be a non-negative integer, got ${maxBytes}`);
    if (!Number.isSafeInteger(blockMs) || blockMs <= 0)
      throw new RangeError(`blockMs must be a positive integer, got ${blockMs}`);
  }

  get enabled(): boolean {
    return this.maxBytes > 0;
  }

  /** Bytes held now (as counted: samples and ENTRY_BYTES per series and block). */
  get size(): number {
    return this.held;
  }

  blockOf(t: number): number {
    return Math.floor(t / this.blockMs);
  }

  /** The blocks the samples of a write fall in. */
  blocksOf(series: readonly SeriesSamples[]): Set<number> {
    const out = new Set<number>();
    for (const s of series) for (const p of s.samples) out.add(this.blockOf(p.t));
    return out;
  }

  /** The blocks of times `fromMs <= t < toMs`. */
  blocksBetween(fromMs: number, toMs: number): Set<number> {
    const out = new Set<number>();
    for (let b = this.blockOf(fromMs); b * this.blockMs < toMs; b++) out.add(b);
    return out;
  }

  /**
   * Before a write in these blocks. Reads meanwhile are answered as before
   * it (it is not acknowledged yet) and store nothing in these blocks.
   */
  writeStarted(blocks: ReadonlySet<number>): void {
    if (blocks.size > WIDE_WRITE_BLOCKS) this.writingAll++;
    else for (const b of blocks) this.writing.set(b, (this.writing.get(b) ?? 0) + 1);
  }

  /**
   * After the write ends: `committed` holds its samples if it committed
   * them (merged into what is held), undefined if it rolled back or
   * rewrote the blocks otherwise (what is held there is dropped).
   */
  writeEnded(blocks: ReadonlySet<number>, committed?: readonly SeriesSamples[]): void {
    if (blocks.size > WIDE_WRITE_BLOCKS) {
      this.writingAll = Math.max(0, this.writingAll - 1);
      this.epoch++;
      if (committed === undefined)
        for (const b of [...this.blocks.keys()]) if (blocks.has(b)) this.evict(b);
    } else {
      for (const b of blocks) {
        const n = (this.writing.get(b) ?? 1) - 1;
        if (n > 0) this.writing.set(b, n);
        else this.writing.delete(b);
        this.versions.set(b, ++this.counter);
        if (committed === undefined) this.evict(b);
      }
      if (this.versions.size > MAX_VERSIONED_BLOCKS) {
        this.versions.clear();
        this.epoch++;
      }
    }
    if (committed !== undefined && this.blocks.size > 0) this.merge(committed);
  }

  /** Blocks with a version kept (bounded by MAX_VERSIONED_BLOCKS). */
  get versionedBlocks(): number {
    return this.versions.size;
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
      versions.push(
        b < this.floor || this.writingAll > 0 || this.writing.has(b)
          ? -1
          : (this.versions.get(b) ?? 0),
      );
    return { lo, epoch: this.epoch, versions };
  }

  /** A series' samples in a block, if held (a series held without samples there: an empty array). */
  get(block: number, key: string): BlockSamples | undefined {
    const h = this.blocks.get(block)?.series.get(key);
    if (h === undefined) return undefined;
    return { data: h.data, n: h.n };
  }

  /** Marks a block as just used, so it is evicted last. */
  used(block: number): void {
    const e = this.blocks.get(block);
    if (e === undefined) return;
    this.blocks.delete(block);
    this.blocks.set(block, e);
  }

  /** Holds what a read found in a whole block, unless a write touched the block since `snap`. */
  put(snap: CacheSnapshot, block: number, key: string, samples: number[]): void {
    if (!this.enabled) return;
    const v = snap.versions[block - snap.lo];
    if (v === undefined || v < 0 || snap.epoch !== this.epoch || this.writingAll > 0) return;
    if (block < this.floor || this.writing.has(block)) return;
    if ((this.versions.get(block) ?? 0) !== v) return;
    const n = samples.length / 2;
    const data = n === 0 ? (EMPTY as number[]) : samples;
    if (costOf(data) > this.maxBytes) return;
    let e = this.blocks.get(block);
    if (e === undefined) this.blocks.set(block, (e = { series: new Map(), bytes: 0 }));
    const old = e.series.get(key);
    if (old !== undefined) this.grew(e, -costOf(old.data));
    e.series.set(key, { data, n });
    this.grew(e, costOf(data));
    this.bound(block);
  }

  private merge(committed: readonly SeriesSamples[]): void {
    const touched = new Set<number>();
    // Rows of one write are appended in batch order: a later one of a time wins.
    for (const s of committed) {
      let key: string | undefined;
      for (const p of s.samples) {
        const b = this.blockOf(p.t);
        const e = this.blocks.get(b);
        if (e === undefined) continue;
        key ??= keyOf(s.labels);
        const h = e.series.get(key);
        if (h === undefined) continue;
        const before = h.data;
        insert(h, p.t, p.v);
        this.grew(e, (h.data.length - before.length) * 8);
        touched.add(b);
      }
    }
    for (const b of touched) this.bound(b);
  }

  private grew(e: Block, bytes: number): void {
    e.bytes += bytes;
    this.held += bytes;
  }

  /** Evicts least recently used blocks until within the bound; `block` last. */
  private bound(block: number): void {
    for (const [b] of this.blocks) {
      if (this.held <= this.maxBytes) break;
      if (b !== block) this.evict(b);
    }
    if (this.held > this.maxBytes) this.evict(block);
  }

  private evict(b: number): void {
    const e = this.blocks.get(b);
    if (e === undefined) return;
    this.held -= e.bytes;
    this.blocks.delete(b);
  }
}

/** Puts (t, v) in time order, replacing a sample of the same time. */
function insert(h: Held, t: number, v: number): void {
  const { n, data } = h;
  if (n > 0 && (data[(n - 1) * 2] as number) < t && data.length === n * 2 && data !== EMPTY) {
    // Past every reader's `n`: in place.
    data.push(t, v);
    h.n = n + 1;
    return;
  }
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((data[mid * 2] as number) < t) lo = mid + 1;
    else hi = mid;
  }
  const same = lo < n && data[lo * 2] === t;
  const out = data.slice(0, lo * 2);
  out.push(t, v);
  for (let i = (same ? lo + 1 : lo) * 2; i < n * 2; i++) out.push(data[i] as number);
  h.data = out;
  if (!same) h.n = n + 1;
}
