// Pure rules every store shares: what a tag search matches, how durations
// are bucketed and how quantiles are interpolated. The DuckDB store writes
// the same rules in SQL; the contract suite keeps the two in step.

import { SpanKind, StatusCode } from '../model/telemetry';
import type { Span } from '../model/telemetry';
import { attributeText } from './values';

/** Jaeger's `span.kind` tag values. */
export function jaegerKindText(kind: SpanKind): string {
  switch (kind) {
    case SpanKind.INTERNAL:
      return 'internal';
    case SpanKind.SERVER:
      return 'server';
    case SpanKind.CLIENT:
      return 'client';
    case SpanKind.PRODUCER:
      return 'producer';
    case SpanKind.CONSUMER:
      return 'consumer';
    default:
      return '';
  }
}

/** Jaeger's `otel.status_code` tag values ('' for UNSET: Jaeger writes no tag). */
export function statusCodeText(code: StatusCode): string {
  return code === StatusCode.OK ? 'OK' : code === StatusCode.ERROR ? 'ERROR' : '';
}

/** The Jaeger pseudo-tags, which match alongside real attributes of the same name. */
export function pseudoTagMatches(span: Span, key: string, value: string): boolean {
  switch (key) {
    case 'error':
      return (
        (value === 'true' && span.status.code === StatusCode.ERROR) ||
        (value === 'false' && span.status.code !== StatusCode.ERROR)
      );
    case 'span.kind':
      return value !== '' && jaegerKindText(span.kind) === value;
    case 'otel.status_code':
      return value !== '' && statusCodeText(span.status.code) === value;
    default:
      return false;
  }
}

/** True when every key=value holds on this span (its attributes, its resource's, or a pseudo-tag). */
export function spanMatchesTags(span: Span, tags: Readonly<Record<string, string>>): boolean {
  for (const [key, value] of Object.entries(tags)) {
    if (pseudoTagMatches(span, key, value)) continue;
    const own = span.attributes[key];
    if (own !== undefined && attributeText(own) === value) continue;
    const res = span.resource.attributes[key];
    if (res !== undefined && attributeText(res) === value) continue;
    return false;
  }
  return true;
}

export function serviceOf(span: {
  readonly resource: { readonly attributes: Readonly<Record<string, unknown>> };
}): string {
  const name = span.resource.attributes['service.name'];
  return typeof name === 'string' ? name : '';
}

/** Duration histograms use powers of two from 2^10 ns (~1 us) to 2^43 ns (~2.4 h), then +Inf. */
export const BUCKET_MIN_EXP = 10;
export const BUCKET_MAX_EXP = 43;

/** The exponent of the bucket holding `ns`; BUCKET_MAX_EXP + 1 stands for +Inf. */
export function bucketExponent(ns: number): number {
  if (ns <= 2 ** BUCKET_MIN_EXP) return BUCKET_MIN_EXP;
  const e = Math.ceil(Math.log2(ns));
  return Math.min(e, BUCKET_MAX_EXP + 1);
}

export function bucketUpperBound(exp: number): number {
  return exp > BUCKET_MAX_EXP ? Number.POSITIVE_INFINITY : 2 ** exp;
}

export const QUANTILES = { p50: 0.5, p90: 0.9, p95: 0.95, p99: 0.99, p999: 0.999 } as const;

/** Linear interpolation between closest ranks (numpy's default, DuckDB's quantile_cont). */
export function quantileOfSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] ?? 0;
  const b = sorted[hi] ?? 0;
  return a + (b - a) * (pos - lo);
}

/** Contiguous buckets from the lowest to the highest non-empty one. */
export function bucketsFromCounts(
  counts: ReadonlyMap<number, number>,
): { le: number; count: number }[] {
  if (counts.size === 0) return [];
  const exps = [...counts.keys()];
  const lo = Math.min(...exps);
  const hi = Math.max(...exps);
  const out: { le: number; count: number }[] = [];
  for (let e = lo; e <= hi; e++) out.push({ le: bucketUpperBound(e), count: counts.get(e) ?? 0 });
  return out;
}
