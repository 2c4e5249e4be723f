// Values the evaluator passes around, and label-set helpers.

import type { Labels } from '../../model/telemetry';

export interface Point {
  readonly t: number;
  readonly v: number;
}

/** One element of an instant vector. `t` is the evaluation time, `sampleT` the stored sample's own time (selectors only). */
export interface VSample {
  readonly labels: Labels;
  readonly v: number;
  readonly sampleT?: number;
}

export interface RangeSeries {
  readonly labels: Labels;
  readonly points: readonly Point[];
}

export type EvalValue =
  | { readonly type: 'scalar'; readonly v: number }
  | { readonly type: 'string'; readonly v: string }
  | { readonly type: 'vector'; readonly samples: readonly VSample[] }
  | { readonly type: 'matrix'; readonly series: readonly RangeSeries[] };

/** Query results as the API returns them (times in ms). */
export type QueryResult =
  | { readonly resultType: 'scalar'; readonly t: number; readonly v: number }
  | { readonly resultType: 'string'; readonly t: number; readonly v: string }
  | {
      readonly resultType: 'vector';
      readonly samples: readonly { labels: Labels; t: number; v: number }[];
    }
  | { readonly resultType: 'matrix'; readonly series: readonly RangeSeries[] };

const sep = '\xff';

// Label sets are immutable and the same objects recur at every step of a
// range query, so derived keys are cached per object. Never mutate a label
// set once it has been handed on: build a new object instead.
const keyCache = new WeakMap<Labels, string>();
const groupKeyCache = new WeakMap<Labels, Map<string, string>>();
const dropCache = new WeakMap<Labels, Labels>();

/** A stable key for a label set: sorted name/value pairs. */
export function labelsKey(labels: Labels): string {
  const hit = keyCache.get(labels);
  if (hit !== undefined) return hit;
  const names = Object.keys(labels).sort();
  let out = '';
  for (const n of names) out += n + sep + labels[n] + sep;
  keyCache.set(labels, out);
  return out;
}

function cachedGroupKey(labels: Labels, tag: string, compute: () => string): string {
  let perLabels = groupKeyCache.get(labels);
  if (!perLabels) groupKeyCache.set(labels, (perLabels = new Map()));
  let key = perLabels.get(tag);
  if (key === undefined) {
    key = compute();
    if (perLabels.size < 64) perLabels.set(tag, key);
  }
  return key;
}

export function keyWith(labels: Labels, names: readonly string[]): string {
  return cachedGroupKey(labels, 'with' + sep + names.join(sep), () => {
    let out = '';
    for (const n of [...names].sort()) {
      const v = labels[n];
      if (v !== undefined && v !== '') out += n + sep + v + sep;
    }
    return out;
  });
}

export function keyWithout(labels: Labels, names: readonly string[]): string {
  return cachedGroupKey(labels, 'without' + sep + names.join(sep), () => {
    const skip = new Set(names);
    skip.add('__name__');
    let out = '';
    for (const n of Object.keys(labels).sort()) {
      if (!skip.has(n)) out += n + sep + labels[n] + sep;
    }
    return out;
  });
}

export function dropName(labels: Labels): Labels {
  if (!('__name__' in labels)) return labels;
  const hit = dropCache.get(labels);
  if (hit) return hit;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) if (k !== '__name__') out[k] = v;
  dropCache.set(labels, out);
  return out;
}

export function compareLabels(a: Labels, b: Labels): number {
  const an = Object.keys(a).sort();
  const bn = Object.keys(b).sort();
  for (let i = 0; i < Math.min(an.length, bn.length); i++) {
    const x = an[i] as string;
    const y = bn[i] as string;
    if (x !== y) return x < y ? -1 : 1;
    const xv = a[x] as string;
    const yv = b[y] as string;
    if (xv !== yv) return xv < yv ? -1 : 1;
  }
  return an.length - bn.length;
}

/** Prometheus's text form of a label set: `{a="b", c="d"}`. */
export function labelsString(labels: Labels): string {
  const parts = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`);
  return `{${parts.join(', ')}}`;
}

const staleBits = new DataView(new ArrayBuffer(8));

/** Prometheus's staleness marker: NaN with payload 2 (the engine may quiet it, so only the low word is checked). */
export function makeStaleNaN(): number {
  staleBits.setUint32(0, 0x7ff00000);
  staleBits.setUint32(4, 2);
  return staleBits.getFloat64(0);
}

export function isStaleNaN(v: number): boolean {
  if (!Number.isNaN(v)) return false;
  staleBits.setFloat64(0, v);
  return staleBits.getUint32(4) === 2;
}
