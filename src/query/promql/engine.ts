// The PromQL evaluator: Prometheus 2.42 semantics, evaluated step by step.
//
// Prometheus evaluates a whole range at once per node; evaluating each step
// as an instant query gives the same samples (subquery steps are aligned to
// absolute multiples of their step either way) and keeps this file small.
// Series are fetched once per selector for the whole window the query needs.

import type { Labels, SeriesSamples } from '../../model/telemetry';
import type { LabelMatcher } from '../../store/store';
import type { Expr, MatrixSelector, Subquery, VectorSelector } from './ast';
import { aggregate } from './aggregate';
import { binary } from './binary';
import { execution, PromQLError } from './errors';
import { callFunction } from './functions';
import { parseExpr, typeOf } from './parse';
import type { EvalValue, Point, QueryResult, RangeSeries, VSample } from './values';
import { compareLabels, dropName, isStaleNaN, labelsKey } from './values';

/** Where the engine reads samples from: the store, or a test fixture. */
export interface SeriesSource {
  select(matchers: readonly LabelMatcher[], minT: number, maxT: number): Promise<SeriesSamples[]>;
}

export interface EngineOptions {
  /** Milliseconds (Prometheus default 5m). */
  readonly lookbackDelta?: number;
  /** Step of subqueries written without one (Prometheus: the global evaluation interval, 1m). */
  readonly defaultSubqueryStep?: number;
  /** Abort after this many milliseconds of evaluation. */
  readonly timeoutMs?: number;
  /** Upper bound on samples held by one evaluation step. */
  readonly maxSamples?: number;
}

interface Ctx {
  readonly start: number;
  readonly end: number;
  readonly lookback: number;
  readonly subqueryStep: number;
  readonly deadline: number;
  readonly maxSamples: number;
  readonly data: Map<VectorSelector, SeriesSamples[]>;
  readonly memo: Map<Expr, Map<number, EvalValue>>;
  /** Per selector and series, where the last step's window began and ended (see seekUpper). */
  readonly cursors: Map<VectorSelector, Int32Array>;
  /** Per call or binary operation, the label sets of an output found unique (see assertUniqueLabelsets). */
  readonly unique: Map<Expr, readonly Labels[]>;
  /** Reusable window arrays for range functions, by length (see eachWindow). */
  readonly scratch: (Point[] | undefined)[];
  checks: number;
}

const defaultMaxSamples = 50_000_000;
/** Prometheus's limit on points per series in a range query. */
export const maxPointsPerSeries = 11_000;

export async function instantQuery(
  source: SeriesSource,
  query: string | Expr,
  t: number,
  opts: EngineOptions = {},
): Promise<QueryResult> {
  const expr = typeof query === 'string' ? parseExpr(query) : query;
  const ctx = await prepare(source, expr, t, t, opts);
  const v = evalExpr(ctx, expr, t);
  switch (v.type) {
    case 'scalar':
      return { resultType: 'scalar', t, v: v.v };
    case 'string':
      return { resultType: 'string', t, v: v.v };
    case 'vector':
      return {
        resultType: 'vector',
        samples: v.samples.map((s) => ({ labels: s.labels, t, v: s.v })),
      };
    case 'matrix':
      return {
        resultType: 'matrix',
        series: [...v.series].sort((a, b) => compareLabels(a.labels, b.labels)),
      };
  }
}

export async function rangeQuery(
  source: SeriesSource,
  query: string | Expr,
  start: number,
  end: number,
  step: number,
  opts: EngineOptions = {},
): Promise<QueryResult> {
  const expr = typeof query === 'string' ? parseExpr(query) : query;
  const t = typeOf(expr);
  if (t !== 'vector' && t !== 'scalar') {
    throw new PromQLError(
      'bad_data',
      `invalid expression type "${t === 'matrix' ? 'range vector' : t}" for range query, must be Scalar or instant Vector`,
    );
  }
  if (step <= 0)
    throw new PromQLError(
      'bad_data',
      'zero or negative query resolution step widths are not accepted. Try a positive integer',
    );
  if (end < start) throw new PromQLError('bad_data', 'end timestamp must not be before start time');
  if ((end - start) / step > maxPointsPerSeries) {
    throw new PromQLError(
      'bad_data',
      'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)',
    );
  }
  const ctx = await prepare(source, expr, start, end, opts);
  const out = new Map<string, { labels: RangeSeries['labels']; points: Point[] }>();
  let lastYield = Date.now();
  for (let ts = start; ts <= end; ts += step) {
    // Long range queries give the event loop back now and then, so the
    // server keeps answering while one dashboard panel is computed.
    if (Date.now() - lastYield > 50) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      lastYield = Date.now();
      if (lastYield > ctx.deadline)
        throw new PromQLError('timeout', 'query timed out in expression evaluation');
    }
    const v = evalExpr(ctx, expr, ts);
    const samples: readonly VSample[] =
      v.type === 'scalar' ? [{ labels: {}, v: v.v }] : v.type === 'vector' ? v.samples : [];
    for (const s of samples) {
      const key = labelsKey(s.labels);
      let series = out.get(key);
      if (!series) out.set(key, (series = { labels: s.labels, points: [] }));
      series.points.push({ t: ts, v: s.v });
    }
  }
  return {
    resultType: 'matrix',
    series: [...out.values()].sort((a, b) => compareLabels(a.labels, b.labels)),
  };
}

async function prepare(
  source: SeriesSource,
  expr: Expr,
  start: number,
  end: number,
  opts: EngineOptions,
): Promise<Ctx> {
  const ctx: Ctx = {
    start,
    end,
    lookback: opts.lookbackDelta ?? 300_000,
    subqueryStep: opts.defaultSubqueryStep ?? 60_000,
    deadline: opts.timeoutMs !== undefined ? Date.now() + opts.timeoutMs : Infinity,
    maxSamples: opts.maxSamples ?? defaultMaxSamples,
    data: new Map(),
    memo: new Map(),
    cursors: new Map(),
    scratch: [],
    unique: new Map(),
    checks: 0,
  };
  const wanted: Wanted[] = [];
  collectSelectors(ctx, expr, start, end, wanted);
  await Promise.all(
    wanted.map(async ({ sel, minT, maxT, inRange }) => {
      const series = await source.select(sel.matchers, minT, maxT);
      // Range selectors skip staleness markers; drop them once here.
      const cleaned = inRange ? series.map(withoutStaleMarkers) : series;
      ctx.data.set(
        sel,
        cleaned.sort((a, b) => compareLabels(a.labels, b.labels)),
      );
    }),
  );
  return ctx;
}

interface Wanted {
  readonly sel: VectorSelector;
  readonly minT: number;
  readonly maxT: number;
  /** Read through a range selector. */
  readonly inRange: boolean;
}

function withoutStaleMarkers(s: SeriesSamples): SeriesSamples {
  if (!s.samples.some((p) => isStaleNaN(p.v))) return s;
  return { labels: s.labels, samples: s.samples.filter((p) => !isStaleNaN(p.v)) };
}

function atTime(ctx: Ctx, at: VectorSelector['at']): number | undefined {
  if (at === 'start') return ctx.start;
  if (at === 'end') return ctx.end;
  return at;
}

/** Walks the tree with the window of evaluation times each node sees. */
function collectSelectors(ctx: Ctx, e: Expr, from: number, to: number, out: Wanted[]): void {
  switch (e.kind) {
    case 'vector':
    case 'matrix': {
      const sel = e.kind === 'vector' ? e : e.selector;
      const at = atTime(ctx, sel.at);
      const refFrom = (at ?? from) - sel.offset;
      const refTo = (at ?? to) - sel.offset;
      const back = e.kind === 'vector' ? ctx.lookback : e.range;
      out.push({ sel, minT: refFrom - back, maxT: refTo, inRange: e.kind === 'matrix' });
      return;
    }
    case 'subquery': {
      const at = atTime(ctx, e.at);
      collectSelectors(ctx, e.expr, (at ?? from) - e.offset - e.range, (at ?? to) - e.offset, out);
      return;
    }
    case 'paren':
    case 'unary':
      collectSelectors(ctx, e.expr, from, to, out);
      return;
    case 'binary':
      collectSelectors(ctx, e.lhs, from, to, out);
      collectSelectors(ctx, e.rhs, from, to, out);
      return;
    case 'aggregate':
      if (e.param) collectSelectors(ctx, e.param, from, to, out);
      collectSelectors(ctx, e.expr, from, to, out);
      return;
    case 'call':
      for (const a of e.args) collectSelectors(ctx, a, from, to, out);
      return;
    case 'number':
    case 'string':
      return;
  }
}

function checkDeadline(ctx: Ctx): void {
  if (++ctx.checks % 256 !== 0) return;
  if (Date.now() > ctx.deadline)
    throw new PromQLError('timeout', 'query timed out in expression evaluation');
}

/** First index with samples[i].t > t. */
function upperBound(samples: SeriesSamples['samples'], t: number): number {
  let lo = 0;
  let hi = samples.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((samples[mid] as { t: number }).t <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function lowerBound(samples: SeriesSamples['samples'], t: number): number {
  let lo = 0;
  let hi = samples.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((samples[mid] as { t: number }).t < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// Steps of a range query move forward by one step, so each window edge is
// found by walking on from where it was at the previous step: O(1) per
// series and step instead of a binary search. A walk backwards (subqueries,
// @) or a long way forwards falls back to the search.
const maxWalk = 8;

/** upperBound, starting from the previous answer `hint`. */
function seekUpper(samples: SeriesSamples['samples'], t: number, hint: number): number {
  const n = samples.length;
  let i = hint > n ? n : hint;
  if (i > 0 && (samples[i - 1] as { t: number }).t > t) return upperBound(samples, t);
  for (let k = 0; i < n && (samples[i] as { t: number }).t <= t; k++, i++) {
    if (k === maxWalk) return upperBound(samples, t);
  }
  return i;
}

/** lowerBound, starting from the previous answer `hint`. */
function seekLower(samples: SeriesSamples['samples'], t: number, hint: number): number {
  const n = samples.length;
  let i = hint > n ? n : hint;
  if (i > 0 && (samples[i - 1] as { t: number }).t >= t) return lowerBound(samples, t);
  for (let k = 0; i < n && (samples[i] as { t: number }).t < t; k++, i++) {
    if (k === maxWalk) return lowerBound(samples, t);
  }
  return i;
}

/** Two cursors per series of a selector: [2i] window start, [2i+1] window end. */
function cursorsOf(ctx: Ctx, sel: VectorSelector, series: number): Int32Array {
  let c = ctx.cursors.get(sel);
  if (!c) ctx.cursors.set(sel, (c = new Int32Array(series * 2)));
  return c;
}

function selectVector(ctx: Ctx, sel: VectorSelector, ts: number): VSample[] {
  const ref = (atTime(ctx, sel.at) ?? ts) - sel.offset;
  const out: VSample[] = [];
  const data = ctx.data.get(sel) ?? [];
  const cursors = cursorsOf(ctx, sel, data.length);
  const minT = ref - ctx.lookback;
  for (let j = 0; j < data.length; j++) {
    const s = data[j] as SeriesSamples;
    const end = seekUpper(s.samples, ref, cursors[2 * j + 1] as number);
    cursors[2 * j + 1] = end;
    const sample = s.samples[end - 1];
    if (!sample || sample.t < minT || isStaleNaN(sample.v)) continue;
    out.push({ labels: s.labels, v: sample.v, sampleT: sample.t });
  }
  if (out.length > ctx.maxSamples) throw tooManySamples();
  return out;
}

/** Finds every series' window at one step and leaves it in the cursors. */
function seekWindows(ctx: Ctx, m: MatrixSelector, ts: number): void {
  const ref = (atTime(ctx, m.selector.at) ?? ts) - m.selector.offset;
  const data = ctx.data.get(m.selector) ?? [];
  const cursors = cursorsOf(ctx, m.selector, data.length);
  let total = 0;
  for (let j = 0; j < data.length; j++) {
    const samples = (data[j] as SeriesSamples).samples;
    const from = seekLower(samples, ref - m.range, cursors[2 * j] as number);
    const to = seekUpper(samples, ref, cursors[2 * j + 1] as number);
    cursors[2 * j] = from;
    cursors[2 * j + 1] = to;
    if (to > from) total += to - from;
  }
  if (total > ctx.maxSamples) throw tooManySamples();
}

function selectMatrix(ctx: Ctx, m: MatrixSelector, ts: number): RangeSeries[] {
  seekWindows(ctx, m, ts);
  const data = ctx.data.get(m.selector) ?? [];
  const cursors = cursorsOf(ctx, m.selector, data.length);
  const out: RangeSeries[] = [];
  for (let j = 0; j < data.length; j++) {
    const s = data[j] as SeriesSamples;
    const from = cursors[2 * j] as number;
    const to = cursors[2 * j + 1] as number;
    if (to > from) out.push({ labels: s.labels, points: s.samples.slice(from, to) });
  }
  return out;
}

/** Windows longer than this are sliced for range functions. */
const maxScratch = 256;

/**
 * selectMatrix for a caller that only reads each window while `each` runs
 * (the range functions): no array or object per series and step. `points`
 * is one array reused between calls, never to be kept.
 */
export function eachWindow(
  ctx: Ctx,
  m: MatrixSelector,
  ts: number,
  each: (labels: RangeSeries['labels'], points: readonly Point[]) => void,
): void {
  seekWindows(ctx, m, ts);
  const data = ctx.data.get(m.selector) ?? [];
  const cursors = cursorsOf(ctx, m.selector, data.length);
  for (let j = 0; j < data.length; j++) {
    const s = data[j] as SeriesSamples;
    const from = cursors[2 * j] as number;
    const to = cursors[2 * j + 1] as number;
    if (to <= from) continue;
    const n = to - from;
    if (n >= maxScratch) {
      each(s.labels, s.samples.slice(from, to));
      continue;
    }
    // One array per length, so that its length never changes.
    let points = ctx.scratch[n];
    if (!points) ctx.scratch[n] = points = new Array<Point>(n);
    for (let i = 0; i < n; i++) points[i] = s.samples[from + i] as Point;
    each(s.labels, points);
  }
}

function evalSubquery(ctx: Ctx, sq: Subquery, ts: number): RangeSeries[] {
  const step = sq.step > 0 ? sq.step : ctx.subqueryStep;
  const ref = (atTime(ctx, sq.at) ?? ts) - sq.offset;
  const first = ref - sq.range;
  let t = step * Math.trunc(first / step);
  if (t < first) t += step;
  let memo = ctx.memo.get(sq.expr);
  if (!memo) ctx.memo.set(sq.expr, (memo = new Map()));
  // The memo only saves work; drop it rather than let it grow without bound.
  if (memo.size > 100_000) memo.clear();
  const series = new Map<string, { labels: RangeSeries['labels']; points: Point[] }>();
  if ((ref - t) / step > ctx.maxSamples) throw tooManySamples();
  let total = 0;
  for (; t <= ref; t += step) {
    let v = memo.get(t);
    if (!v) {
      v = evalExpr(ctx, sq.expr, t);
      memo.set(t, v);
    }
    const samples: readonly VSample[] =
      v.type === 'vector' ? v.samples : v.type === 'scalar' ? [{ labels: {}, v: v.v }] : [];
    total += samples.length;
    if (total > ctx.maxSamples) throw tooManySamples();
    for (const s of samples) {
      const key = labelsKey(s.labels);
      let entry = series.get(key);
      if (!entry) series.set(key, (entry = { labels: s.labels, points: [] }));
      entry.points.push({ t, v: s.v });
    }
  }
  return [...series.values()];
}

/** Evaluates a range-vector expression (matrix selector or subquery) at one step. */
export function evalRange(ctx: Ctx, e: Expr, ts: number): RangeSeries[] {
  switch (e.kind) {
    case 'matrix':
      return selectMatrix(ctx, e, ts);
    case 'subquery':
      return evalSubquery(ctx, e, ts);
    case 'paren':
      return evalRange(ctx, e.expr, ts);
    default:
      throw execution(`expected a range vector, got ${e.kind}`);
  }
}

export type EvalContext = Ctx;

export function evalExpr(ctx: Ctx, e: Expr, ts: number): EvalValue {
  checkDeadline(ctx);
  switch (e.kind) {
    case 'number':
      return { type: 'scalar', v: e.value };
    case 'string':
      return { type: 'string', v: e.value };
    case 'paren':
      return evalExpr(ctx, e.expr, ts);
    case 'vector':
      return { type: 'vector', samples: selectVector(ctx, e, ts) };
    case 'matrix':
    case 'subquery':
      return { type: 'matrix', series: evalRange(ctx, e, ts) };
    case 'unary': {
      const v = evalExpr(ctx, e.expr, ts);
      if (e.op === '+') return v;
      if (v.type === 'scalar') return { type: 'scalar', v: -v.v };
      if (v.type !== 'vector') throw execution('unary minus on a non-numeric value');
      const samples = v.samples.map((s) => ({ labels: dropName(s.labels), v: -s.v }));
      assertUniqueLabelsets(samples);
      return { type: 'vector', samples };
    }
    case 'binary': {
      const lhs = evalExpr(ctx, e.lhs, ts);
      const rhs = evalExpr(ctx, e.rhs, ts);
      const out = binary(e, lhs, rhs);
      if (out.type === 'vector') assertUniqueLabelsets(out.samples, ctx, e);
      return out;
    }
    case 'aggregate': {
      const param = e.param ? evalExpr(ctx, e.param, ts) : undefined;
      const input = evalExpr(ctx, e.expr, ts);
      if (input.type !== 'vector') throw execution('aggregation over a non-vector');
      return { type: 'vector', samples: aggregate(e, param, input.samples) };
    }
    case 'call': {
      const out = callFunction(ctx, e, ts);
      if (out.type === 'vector') assertUniqueLabelsets(out.samples, ctx, e);
      return out;
    }
  }
}

function tooManySamples(): PromQLError {
  return execution('query processing would load too many samples into memory in query execution');
}

function assertUniqueLabelsets(samples: readonly VSample[], ctx?: Ctx, at?: Expr): void {
  if (samples.length < 2) return;
  // Label sets are immutable: the same objects in the same order as at an
  // earlier step of this node were unique then and are now. Most steps of a
  // range query see exactly that, and comparing objects is cheap.
  const last = at && ctx?.unique.get(at);
  if (last && last.length === samples.length) {
    let same = true;
    for (let i = 0; i < samples.length && same; i++)
      same = last[i] === (samples[i] as VSample).labels;
    if (same) return;
  }
  const seen = new Set<string>();
  for (const s of samples) {
    const k = labelsKey(s.labels);
    if (seen.has(k)) throw execution('vector cannot contain metrics with the same labelset');
    seen.add(k);
  }
  if (at && ctx)
    ctx.unique.set(
      at,
      samples.map((s) => s.labels),
    );
}
