// Quantiles as promql/quantile.go: the φ-quantile of plain values, and of
// classic histogram buckets (le labels), including the coalescing and
// monotonicity fixes Prometheus applies to imperfect bucket data.

export interface Bucket {
  readonly upperBound: number;
  count: number;
}

/** Linear interpolation between closest ranks; NaN for no values. */
export function quantile(q: number, values: readonly number[]): number {
  if (values.length === 0 || Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  const sorted = [...values].sort((a, b) => (Number.isNaN(a) ? -1 : Number.isNaN(b) ? 1 : a - b));
  const n = sorted.length;
  const rank = q * (n - 1);
  const lower = Math.max(0, Math.floor(rank));
  const upper = Math.min(n - 1, lower + 1);
  const weight = rank - Math.floor(rank);
  return (sorted[lower] as number) * (1 - weight) + (sorted[upper] as number) * weight;
}

export function bucketQuantile(q: number, input: readonly Bucket[]): number {
  return bucketQuantileInPlace(
    q,
    input.map((b) => ({ upperBound: b.upperBound, count: b.count })),
  );
}

/** bucketQuantile that sorts and adjusts `input` itself (for a caller that built them). */
export function bucketQuantileInPlace(q: number, input: Bucket[]): number {
  if (Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  const sorted = input.sort(byUpperBound);
  const last = sorted[sorted.length - 1];
  if (!last || last.upperBound !== Infinity) return NaN;
  const buckets = coalesce(sorted);
  ensureMonotonic(buckets);
  if (buckets.length < 2) return NaN;
  const observations = (buckets[buckets.length - 1] as Bucket).count;
  if (observations === 0) return NaN;
  let rank = q * observations;
  // sort.Search over all but the +Inf bucket.
  let b = 0;
  while (b < buckets.length - 1 && !((buckets[b] as Bucket).count >= rank)) b++;
  if (b === buckets.length - 1) return (buckets[buckets.length - 2] as Bucket).upperBound;
  const bucket = buckets[b] as Bucket;
  if (b === 0 && bucket.upperBound <= 0) return bucket.upperBound;
  let start = 0;
  let count = bucket.count;
  if (b > 0) {
    const prev = buckets[b - 1] as Bucket;
    start = prev.upperBound;
    count -= prev.count;
    rank -= prev.count;
  }
  return start + (bucket.upperBound - start) * (rank / count);
}

function byUpperBound(a: Bucket, b: Bucket): number {
  return a.upperBound - b.upperBound;
}

function coalesce(buckets: Bucket[]): Bucket[] {
  const out: Bucket[] = [];
  for (const b of buckets) {
    const prev = out[out.length - 1];
    if (prev && prev.upperBound === b.upperBound) prev.count += b.count;
    else out.push(b);
  }
  return out;
}

function ensureMonotonic(buckets: Bucket[]): void {
  let max = (buckets[0] as Bucket).count;
  for (let i = 1; i < buckets.length; i++) {
    const b = buckets[i] as Bucket;
    if (b.count > max) max = b.count;
    else if (b.count < max) b.count = max;
  }
}
