// PromQL functions, as promql/functions.go in Prometheus 2.42.

import type { Labels } from '../../model/telemetry';
import type { Call, Expr } from './ast';
import type { EvalContext } from './engine';
import { eachWindow, evalExpr, evalRange } from './engine';
import { execution } from './errors';
import { goDate, goInt64 } from './go-time';
import { simpleFunctions, dateFunctions, rangeFunctions, type Window } from './function-table';
import { bucketQuantileInPlace, type Bucket } from './quantile';
import { compileSubmatch, expandTemplate, findSubmatch } from './re2-submatch';
import type { EvalValue, Point, VSample } from './values';
import { dropName, labelsKey } from './values';

const labelNamePattern = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function unwrap(e: Expr): Expr {
  return e.kind === 'paren' ? unwrap(e.expr) : e;
}

function scalarArg(ctx: EvalContext, e: Expr | undefined, ts: number): number {
  if (!e) return NaN;
  const v = evalExpr(ctx, e, ts);
  return v.type === 'scalar' ? v.v : NaN;
}

function vectorArg(ctx: EvalContext, e: Expr | undefined, ts: number): readonly VSample[] {
  if (!e) return [];
  const v = evalExpr(ctx, e, ts);
  return v.type === 'vector' ? v.samples : [];
}

function stringArg(e: Expr | undefined): string {
  const u = e ? unwrap(e) : undefined;
  return u?.kind === 'string' ? u.value : '';
}

function vec(samples: VSample[]): EvalValue {
  return { type: 'vector', samples };
}

export function callFunction(ctx: EvalContext, e: Call, ts: number): EvalValue {
  const name = e.func;
  const args = e.args;
  const simple = simpleFunctions.get(name);
  if (simple)
    return vec(
      vectorArg(ctx, args[0], ts).map((s) => ({ labels: dropName(s.labels), v: simple(s.v) })),
    );
  const date = dateFunctions.get(name);
  if (date) {
    if (args.length === 0)
      return vec([{ labels: {}, v: date(goDate(BigInt(Math.trunc(ts / 1000)))) }]);
    return vec(
      vectorArg(ctx, args[0], ts).map((s) => ({
        labels: dropName(s.labels),
        v: date(goDate(goInt64(s.v))),
      })),
    );
  }
  const range = rangeFunctions.get(name);
  if (range) return rangeFunction(ctx, e, ts, range);
  switch (name) {
    case 'time':
      return { type: 'scalar', v: ts / 1000 };
    case 'pi':
      return { type: 'scalar', v: Math.PI };
    case 'vector':
      return vec([{ labels: {}, v: scalarArg(ctx, args[0], ts) }]);
    case 'scalar': {
      const v = vectorArg(ctx, args[0], ts);
      return { type: 'scalar', v: v.length === 1 ? (v[0] as VSample).v : NaN };
    }
    case 'timestamp': {
      const fromSelector = args[0] !== undefined && unwrap(args[0]).kind === 'vector';
      return vec(
        vectorArg(ctx, args[0], ts).map((s) => ({
          labels: dropName(s.labels),
          v: (fromSelector && s.sampleT !== undefined ? s.sampleT : ts) / 1000,
        })),
      );
    }
    case 'absent': {
      if (vectorArg(ctx, args[0], ts).length > 0) return vec([]);
      return vec([{ labels: absentLabels(args[0]), v: 1 }]);
    }
    case 'clamp': {
      const min = scalarArg(ctx, args[1], ts);
      const max = scalarArg(ctx, args[2], ts);
      if (max < min) return vec([]);
      return vec(
        vectorArg(ctx, args[0], ts).map((s) => ({
          labels: dropName(s.labels),
          v: goMax(min, goMin(max, s.v)),
        })),
      );
    }
    case 'clamp_max': {
      const max = scalarArg(ctx, args[1], ts);
      return vec(
        vectorArg(ctx, args[0], ts).map((s) => ({
          labels: dropName(s.labels),
          v: goMin(max, s.v),
        })),
      );
    }
    case 'clamp_min': {
      const min = scalarArg(ctx, args[1], ts);
      return vec(
        vectorArg(ctx, args[0], ts).map((s) => ({
          labels: dropName(s.labels),
          v: goMax(min, s.v),
        })),
      );
    }
    case 'round': {
      const toNearest = args.length >= 2 ? scalarArg(ctx, args[1], ts) : 1;
      const inverse = 1 / toNearest;
      return vec(
        vectorArg(ctx, args[0], ts).map((s) => ({
          labels: dropName(s.labels),
          v: Math.floor(s.v * inverse + 0.5) / inverse,
        })),
      );
    }
    case 'sort':
    case 'sort_desc': {
      const desc = name === 'sort_desc';
      // NaN sorts to the bottom either way.
      const samples = [...vectorArg(ctx, args[0], ts)].sort((a, b) => {
        if (Number.isNaN(a.v)) return Number.isNaN(b.v) ? 0 : 1;
        if (Number.isNaN(b.v)) return -1;
        return desc ? b.v - a.v : a.v - b.v;
      });
      return vec(samples.map((s) => ({ labels: s.labels, v: s.v })));
    }
    case 'label_replace':
      return vec(
        labelReplace(
          e,
          vectorArg(ctx, args[0], ts),
          stringArg(args[1]),
          stringArg(args[2]),
          stringArg(args[3]),
          stringArg(args[4]),
        ),
      );
    case 'label_join':
      return vec(
        labelJoin(
          e,
          vectorArg(ctx, args[0], ts),
          stringArg(args[1]),
          stringArg(args[2]),
          args.slice(3).map(stringArg),
        ),
      );
    case 'histogram_quantile':
      return vec(histogramQuantile(e, scalarArg(ctx, args[0], ts), vectorArg(ctx, args[1], ts)));
    case 'histogram_count':
    case 'histogram_sum':
    case 'histogram_fraction':
      // Native histograms only; this store holds classic buckets, so nothing matches.
      return vec([]);
    default:
      throw execution(`function "${name}" is not implemented`);
  }
}

/** Go's math.Max/Min: NaN wins. */
function goMax(a: number, b: number): number {
  return Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b);
}
function goMin(a: number, b: number): number {
  return Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.min(a, b);
}

function rangeFunction(
  ctx: EvalContext,
  e: Call,
  ts: number,
  fn: (points: readonly Point[], w: Window, extra: readonly number[]) => number | undefined,
): EvalValue {
  const index = e.args.findIndex((a) => {
    const u = unwrap(a);
    return u.kind === 'matrix' || u.kind === 'subquery';
  });
  const arg = e.args[index];
  if (!arg) throw execution(`function "${e.func}" needs a range vector`);
  const extra = e.args.filter((_, i) => i !== index).map((a) => scalarArg(ctx, a, ts));
  const w = windowOf(ctx, unwrap(arg), ts);
  const u = unwrap(arg);
  if (u.kind === 'matrix' && e.func !== 'absent_over_time') {
    const keepName = e.func === 'last_over_time';
    const out: VSample[] = [];
    eachWindow(ctx, u, ts, (labels, points) => {
      const v = fn(points, w, extra);
      if (v !== undefined) out.push({ labels: keepName ? labels : dropName(labels), v });
    });
    return vec(out);
  }
  const series = evalRange(ctx, arg, ts);
  if (e.func === 'absent_over_time') {
    return vec(
      series.some((s) => s.points.length > 0) ? [] : [{ labels: absentLabels(arg), v: 1 }],
    );
  }
  const out: VSample[] = [];
  for (const s of series) {
    if (s.points.length === 0) continue;
    const v = fn(s.points, w, extra);
    if (v === undefined) continue;
    out.push({ labels: e.func === 'last_over_time' ? s.labels : dropName(s.labels), v });
  }
  return vec(out);
}

function windowOf(ctx: EvalContext, arg: Expr, ts: number): Window {
  if (arg.kind === 'matrix') {
    const at =
      arg.selector.at === 'start'
        ? ctx.start
        : arg.selector.at === 'end'
          ? ctx.end
          : arg.selector.at;
    const end = (at ?? ts) - arg.selector.offset;
    return { start: end - arg.range, end, range: arg.range, ts };
  }
  if (arg.kind === 'subquery') {
    const at = arg.at === 'start' ? ctx.start : arg.at === 'end' ? ctx.end : arg.at;
    const end = (at ?? ts) - arg.offset;
    return { start: end - arg.range, end, range: arg.range, ts };
  }
  return { start: ts, end: ts, range: 0, ts };
}

function absentLabels(arg: Expr | undefined): Labels {
  const u = arg ? unwrap(arg) : undefined;
  const matchers =
    u?.kind === 'vector' ? u.matchers : u?.kind === 'matrix' ? u.selector.matchers : [];
  const out: Record<string, string> = {};
  const has = new Set<string>();
  for (const m of matchers) {
    if (m.name === '__name__') continue;
    if (m.op === '=' && !has.has(m.name)) {
      out[m.name] = m.value;
      has.add(m.name);
    } else {
      delete out[m.name];
    }
  }
  for (const [k, v] of Object.entries(out)) if (v === '') delete out[k];
  return out;
}

/** Go regexp's Expand: $1, ${1}, $name, ${name}; unknown groups expand to nothing. */
// A range query sees the same input label objects at every step: each output
// label set is worked out once per call node and input and stays one object
// (Prometheus keeps enh.Dmn per series hash), so keys cached downstream hit.
const relabelCaches = new WeakMap<Call, WeakMap<Labels, Labels>>();

function relabel(e: Call, labels: Labels, make: (l: Labels) => Labels): Labels {
  let cache = relabelCaches.get(e);
  if (!cache) relabelCaches.set(e, (cache = new WeakMap()));
  let out = cache.get(labels);
  if (!out) cache.set(labels, (out = make(labels)));
  return out;
}

function withLabel(labels: Labels, name: string, value: string): Labels {
  const out: Record<string, string> = { ...labels };
  delete out[name];
  if (value !== '') out[name] = value;
  return out;
}

function labelReplace(
  e: Call,
  vector: readonly VSample[],
  dst: string,
  repl: string,
  src: string,
  regex: string,
): VSample[] {
  let names: readonly string[];
  try {
    names = compileSubmatch(regex).names;
  } catch {
    throw execution(`invalid regular expression in label_replace(): ${regex}`);
  }
  if (!labelNamePattern.test(dst))
    throw execution(`invalid destination label name in label_replace(): ${dst}`);
  const make = (l: Labels): Labels => {
    const m = findSubmatch(regex, l[src] ?? '');
    return m ? withLabel(l, dst, expandTemplate(repl, m, names)) : l;
  };
  return vector.map((s) => ({ labels: relabel(e, s.labels, make), v: s.v }));
}

function labelJoin(
  e: Call,
  vector: readonly VSample[],
  dst: string,
  sep: string,
  srcs: readonly string[],
): VSample[] {
  for (const src of srcs)
    if (!labelNamePattern.test(src))
      throw execution(`invalid source label name in label_join(): ${src}`);
  if (!labelNamePattern.test(dst))
    throw execution(`invalid destination label name in label_join(): ${dst}`);
  const make = (l: Labels): Labels => withLabel(l, dst, srcs.map((n) => l[n] ?? '').join(sep));
  return vector.map((s) => ({ labels: relabel(e, s.labels, make), v: s.v }));
}

interface BucketOf {
  /** The group: all labels but `le`, with the metric name (as Prometheus keys it). */
  readonly key: string;
  /** The group's output labels: without `le` and the name. */
  readonly labels: Labels;
  readonly upperBound: number;
}

// What a bucket series contributes (its group and parsed `le`) depends on its
// labels only; a range query sees the same label objects at every step, so
// this is worked out once per series and call, and each group's output label
// set is one object for the whole query.
const bucketCaches = new WeakMap<
  Call,
  { byLabels: WeakMap<Labels, BucketOf | null>; byKey: Map<string, Labels> }
>();
const maxCanonicalGroups = 100_000;

function bucketOf(e: Call, labels: Labels): BucketOf | undefined {
  let cache = bucketCaches.get(e);
  if (!cache) bucketCaches.set(e, (cache = { byLabels: new WeakMap(), byKey: new Map() }));
  const hit = cache.byLabels.get(labels);
  if (hit !== undefined) return hit ?? undefined;
  const le = labels['le'];
  const upperBound = le === undefined ? undefined : parseGoFloat(le);
  if (upperBound === undefined) {
    cache.byLabels.set(labels, null);
    return undefined;
  }
  const rest: Record<string, string> = { ...labels };
  delete rest['le'];
  const key = labelsKey(rest);
  let out = cache.byKey.get(key);
  if (!out) {
    // A new object: labelsKey has just cached its key on `rest`.
    const labelsOut: Record<string, string> = { ...rest };
    delete labelsOut['__name__'];
    out = labelsOut;
    if (cache.byKey.size < maxCanonicalGroups) cache.byKey.set(key, out);
  }
  const b: BucketOf = { key, labels: out, upperBound };
  cache.byLabels.set(labels, b);
  return b;
}

function histogramQuantile(e: Call, q: number, vector: readonly VSample[]): VSample[] {
  const groups = new Map<string, { labels: Labels; buckets: Bucket[] }>();
  for (const s of vector) {
    const b = bucketOf(e, s.labels);
    if (!b) continue;
    let g = groups.get(b.key);
    if (!g) groups.set(b.key, (g = { labels: b.labels, buckets: [] }));
    g.buckets.push({ upperBound: b.upperBound, count: s.v });
  }
  const out: VSample[] = [];
  for (const g of groups.values())
    out.push({ labels: g.labels, v: bucketQuantileInPlace(q, g.buckets) });
  return out;
}

/** strconv.ParseFloat for label values like "0.5", "+Inf", "1e3". */
function parseGoFloat(text: string): number | undefined {
  const t = text.trim();
  if (t !== text || t === '') return undefined;
  const lower = t.toLowerCase().replace(/^[+]/, '');
  if (lower === 'inf' || lower === 'infinity') return Infinity;
  if (lower === '-inf' || lower === '-infinity') return -Infinity;
  if (lower === 'nan') return NaN;
  const n = Number(t);
  if (Number.isNaN(n) || /^[+-]?0x/i.test(t)) return undefined;
  return n;
}
