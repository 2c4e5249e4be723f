// Small pure helpers of the Prometheus translation: time units, number
// kinds, running sums, and exponential-histogram accumulators from points.

import type {
  ExponentialHistogramPoint,
  InstrumentationScope,
  MetricPoint,
  Sample,
} from '../../model/telemetry';
import type { ExpHistogramAcc } from './stream-state';

export const NS_PER_MS = 1_000_000n;

export function toMs(ns: bigint): number {
  return Number(ns / NS_PER_MS);
}

export function num(v: number | bigint): number {
  return typeof v === 'bigint' ? Number(v) : v;
}

export function scopeKey(scope: InstrumentationScope): string {
  return `${scope.name}\u0000${scope.version}`;
}

export function startOf(p: MetricPoint): bigint {
  return p.startTimeUnixNano === 0n ? p.timeUnixNano : p.startTimeUnixNano;
}

export function running(counts: readonly number[]): number[] {
  const out: number[] = [];
  let total = 0;
  for (const c of counts) {
    total += c;
    out.push(total);
  }
  return out;
}

export function expAcc(p: ExponentialHistogramPoint): ExpHistogramAcc {
  const toMap = (offset: number, counts: readonly bigint[]): Map<number, number> => {
    const m = new Map<number, number>();
    counts.forEach((c, i) => {
      if (c !== 0n) m.set(offset + i, Number(c));
    });
    return m;
  };
  return {
    scale: p.scale,
    count: Number(p.count),
    sum: p.sum,
    zeroCount: Number(p.zeroCount),
    zeroThreshold: p.zeroThreshold,
    positive: toMap(p.positive.offset, p.positive.bucketCounts),
    negative: toMap(p.negative.offset, p.negative.bucketCounts),
  };
}

/** Samples by time; of two at the same time, the later one written wins (as a re-sent point would). */
export function ordered(samples: Sample[]): Sample[] {
  if (samples.length < 2) return samples;
  const byT = new Map<number, Sample>();
  for (const s of samples) byT.set(s.t, s);
  return [...byT.values()].sort((a, b) => a.t - b.t);
}
