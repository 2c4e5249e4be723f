// Per-stream state for the Prometheus translation: delta points summed into
// cumulative ones, and restarts of cumulative streams noticed. Bounded: an
// LRU capped at `maxSeries`, and streams idle for `idleNs` (point time) evicted.
//
// Semantics follow the collector's `deltatocumulative` processor: a delta
// adds to what came before; a point not newer than the last one is dropped
// (out of order or duplicate); an evicted stream starts again from zero,
// which PromQL sees as a counter reset.

/** What a histogram accumulates (explicit buckets). */
export interface HistogramAcc {
  count: number;
  sum: number | undefined;
  bounds: readonly number[];
  buckets: number[];
}

/** What an exponential histogram accumulates: bucket index -> count. */
export interface ExpHistogramAcc {
  scale: number;
  count: number;
  sum: number | undefined;
  zeroCount: number;
  zeroThreshold: number;
  positive: Map<number, number>;
  negative: Map<number, number>;
}

export type Accumulated =
  | { readonly kind: 'sum'; value: number }
  | { readonly kind: 'histogram'; acc: HistogramAcc }
  | { readonly kind: 'exponential'; acc: ExpHistogramAcc }
  | { readonly kind: 'cumulative' };

export interface StreamEntry {
  startNs: bigint;
  lastNs: bigint;
  state: Accumulated;
}

export class StreamStates {
  private readonly entries = new Map<string, StreamEntry>();
  private newestNs = 0n;
  evicted = 0;

  constructor(
    private readonly maxSeries: number,
    private readonly idleNs: bigint,
  ) {
    if (!(maxSeries >= 1)) throw new RangeError(`maxSeries must be >= 1, got ${maxSeries}`);
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string): StreamEntry | undefined {
    return this.entries.get(key);
  }

  /** Stores (or refreshes) a stream as most recently used. */
  set(key: string, entry: StreamEntry): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (entry.lastNs > this.newestNs) this.newestNs = entry.lastNs;
    while (this.entries.size > this.maxSeries) {
      const oldest = this.entries.keys().next();
      if (oldest.done === true) break;
      this.entries.delete(oldest.value);
      this.evicted++;
    }
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  /** Drops streams whose last point is older than the idle timeout, relative to the newest point seen. */
  evictIdle(): void {
    const cutoff = this.newestNs - this.idleNs;
    // Map order is use order, so idle streams are at the front; a stream
    // touched late with an old timestamp may hide a few behind it until later.
    for (const [key, entry] of this.entries) {
      if (entry.lastNs >= cutoff) break;
      this.entries.delete(key);
      this.evicted++;
    }
  }
}

/** Adds histogram `b` into `a` when their bounds match; false when they differ. */
export function addHistogram(a: HistogramAcc, b: HistogramAcc): boolean {
  if (a.bounds.length !== b.bounds.length || a.bounds.some((x, i) => x !== b.bounds[i]))
    return false;
  if (a.buckets.length !== b.buckets.length) return false;
  a.count += b.count;
  a.sum = a.sum === undefined || b.sum === undefined ? undefined : a.sum + b.sum;
  for (let i = 0; i < a.buckets.length; i++)
    a.buckets[i] = (a.buckets[i] ?? 0) + (b.buckets[i] ?? 0);
  return true;
}

function downscale(buckets: Map<number, number>, by: number): Map<number, number> {
  if (by <= 0) return buckets;
  const out = new Map<number, number>();
  // An arithmetic shift floors, which is the right index for negative indices too.
  for (const [index, count] of buckets) {
    const to = index >> by;
    out.set(to, (out.get(to) ?? 0) + count);
  }
  return out;
}

/** Adds exponential histogram `b` into `a`, at the coarser of the two scales. */
export function addExponential(a: ExpHistogramAcc, b: ExpHistogramAcc): void {
  const scale = Math.min(a.scale, b.scale);
  a.positive = downscale(a.positive, a.scale - scale);
  a.negative = downscale(a.negative, a.scale - scale);
  const bp = downscale(b.positive, b.scale - scale);
  const bn = downscale(b.negative, b.scale - scale);
  for (const [i, c] of bp) a.positive.set(i, (a.positive.get(i) ?? 0) + c);
  for (const [i, c] of bn) a.negative.set(i, (a.negative.get(i) ?? 0) + c);
  a.scale = scale;
  a.count += b.count;
  a.zeroCount += b.zeroCount;
  a.zeroThreshold = Math.max(a.zeroThreshold, b.zeroThreshold);
  a.sum = a.sum === undefined || b.sum === undefined ? undefined : a.sum + b.sum;
}

/**
 * An exponential histogram as explicit cumulative buckets: negative buckets
 * (most negative first), the zero bucket, positive buckets, then `+Inf`.
 * Bucket `i` at scale `s` covers (base^i, base^(i+1)] with base = 2^(2^-s).
 */
export function exponentialToExplicit(acc: ExpHistogramAcc): {
  bounds: number[];
  cumulative: number[];
} {
  const bounds: number[] = [];
  const cumulative: number[] = [];
  const factor = Math.pow(2, -acc.scale);
  const bound = (i: number): number => Math.pow(2, i * factor);
  let running = 0;
  const neg = [...acc.negative.entries()].filter(([, c]) => c > 0).sort((x, y) => y[0] - x[0]);
  for (const [i, c] of neg) {
    running += c;
    bounds.push(-bound(i));
    cumulative.push(running);
  }
  if (acc.zeroCount > 0 || neg.length > 0) {
    running += acc.zeroCount;
    bounds.push(acc.zeroThreshold);
    cumulative.push(running);
  }
  const pos = [...acc.positive.entries()].filter(([, c]) => c > 0).sort((x, y) => x[0] - y[0]);
  for (const [i, c] of pos) {
    running += c;
    bounds.push(bound(i + 1));
    cumulative.push(running);
  }
  return { bounds, cumulative };
}
