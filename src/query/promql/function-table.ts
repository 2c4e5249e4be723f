// The pure numeric kernels behind PromQL functions: per-element math, date
// parts, and the functions over a range of points (promql/functions.go).

import { execution } from './errors';
import { goDaysInMonth, type GoDate } from './go-time';
import type { Point } from './values';

/** The range a matrix argument covers at one step, in ms. */
export interface Window {
  readonly start: number;
  readonly end: number;
  readonly range: number;
  /** The evaluation time. */
  readonly ts: number;
}

export const simpleFunctions: ReadonlyMap<string, (v: number) => number> = new Map<
  string,
  (v: number) => number
>([
  ['abs', Math.abs],
  ['ceil', Math.ceil],
  ['floor', Math.floor],
  ['exp', Math.exp],
  ['sqrt', Math.sqrt],
  ['ln', Math.log],
  ['log2', Math.log2],
  ['log10', Math.log10],
  ['sin', Math.sin],
  ['cos', Math.cos],
  ['tan', Math.tan],
  ['asin', Math.asin],
  ['acos', Math.acos],
  ['atan', Math.atan],
  ['sinh', Math.sinh],
  ['cosh', Math.cosh],
  ['tanh', Math.tanh],
  ['asinh', Math.asinh],
  ['acosh', Math.acosh],
  ['atanh', Math.atanh],
  ['rad', (v) => (v * Math.PI) / 180],
  ['deg', (v) => (v * 180) / Math.PI],
  ['sgn', (v) => (v < 0 ? -1 : v > 0 ? 1 : v)],
]);

export const dateFunctions: ReadonlyMap<string, (d: GoDate) => number> = new Map<
  string,
  (d: GoDate) => number
>([
  ['day_of_month', (d) => d.day],
  ['day_of_week', (d) => d.weekday],
  ['day_of_year', (d) => d.yearDay],
  ['days_in_month', goDaysInMonth],
  ['hour', (d) => d.hour],
  ['minute', (d) => d.minute],
  ['month', (d) => d.month],
  ['year', (d) => d.year],
]);

type RangeKernel = (
  points: readonly Point[],
  w: Window,
  extra: readonly number[],
) => number | undefined;

function kahanInc(inc: number, sum: number, c: number): [number, number] {
  const t = sum + inc;
  if (Math.abs(sum) >= Math.abs(inc)) c += sum - t + inc;
  else c += inc - t + sum;
  return [t, c];
}

/** rate/increase/delta with Prometheus's extrapolation (extrapolatedRate). */
function extrapolated(isCounter: boolean, isRate: boolean): RangeKernel {
  return (points, w) => {
    if (points.length < 2) return undefined;
    const first = points[0] as Point;
    const last = points[points.length - 1] as Point;
    let result = last.v - first.v;
    if (isCounter) {
      let prev = first.v;
      for (let i = 1; i < points.length; i++) {
        const cur = (points[i] as Point).v;
        if (cur < prev) result += prev;
        prev = cur;
      }
    }
    let durationToStart = (first.t - w.start) / 1000;
    const durationToEnd = (w.end - last.t) / 1000;
    const sampled = (last.t - first.t) / 1000;
    const avgStep = sampled / (points.length - 1);
    if (isCounter && result > 0 && first.v >= 0) {
      const durationToZero = sampled * (first.v / result);
      if (durationToZero < durationToStart) durationToStart = durationToZero;
    }
    const threshold = avgStep * 1.1;
    let interval = sampled;
    interval += durationToStart < threshold ? durationToStart : avgStep / 2;
    interval += durationToEnd < threshold ? durationToEnd : avgStep / 2;
    let factor = interval / sampled;
    if (isRate) factor /= w.range / 1000;
    return result * factor;
  };
}

function instant(isRate: boolean): RangeKernel {
  return (points) => {
    if (points.length < 2) return undefined;
    const last = points[points.length - 1] as Point;
    const prev = points[points.length - 2] as Point;
    let result = isRate && last.v < prev.v ? last.v : last.v - prev.v;
    const interval = last.t - prev.t;
    if (interval === 0) return undefined;
    if (isRate) result /= interval / 1000;
    return result;
  };
}

function linearRegression(points: readonly Point[], interceptTime: number): [number, number] {
  let n = 0;
  let sumX = 0,
    cX = 0,
    sumY = 0,
    cY = 0,
    sumXY = 0,
    cXY = 0,
    sumX2 = 0,
    cX2 = 0;
  const initY = (points[0] as Point).v;
  let constY = true;
  points.forEach((p, i) => {
    if (constY && i > 0 && p.v !== initY) constY = false;
    n += 1;
    const x = (p.t - interceptTime) / 1000;
    [sumX, cX] = kahanInc(x, sumX, cX);
    [sumY, cY] = kahanInc(p.v, sumY, cY);
    [sumXY, cXY] = kahanInc(x * p.v, sumXY, cXY);
    [sumX2, cX2] = kahanInc(x * x, sumX2, cX2);
  });
  if (constY) {
    if (!Number.isFinite(initY) && !Number.isNaN(initY)) return [NaN, NaN];
    return [0, initY];
  }
  sumX += cX;
  sumY += cY;
  sumXY += cXY;
  sumX2 += cX2;
  const covXY = sumXY - (sumX * sumY) / n;
  const varX = sumX2 - (sumX * sumX) / n;
  const slope = covXY / varX;
  return [slope, sumY / n - (slope * sumX) / n];
}

function variance(points: readonly Point[]): number {
  let count = 0,
    mean = 0,
    cMean = 0,
    aux = 0,
    cAux = 0;
  for (const p of points) {
    count++;
    const delta = p.v - (mean + cMean);
    [mean, cMean] = kahanInc(delta / count, mean, cMean);
    [aux, cAux] = kahanInc(delta * (p.v - (mean + cMean)), aux, cAux);
  }
  return (aux + cAux) / count;
}

function holtWinters(
  points: readonly Point[],
  _w: Window,
  extra: readonly number[],
): number | undefined {
  const sf = extra[0] ?? NaN;
  const tf = extra[1] ?? NaN;
  if (!(sf > 0 && sf < 1))
    throw execution(`invalid smoothing factor. Expected: 0 < sf < 1, got: ${sf.toFixed(6)}`);
  if (!(tf > 0 && tf < 1))
    throw execution(`invalid trend factor. Expected: 0 < tf < 1, got: ${tf.toFixed(6)}`);
  if (points.length < 2) return undefined;
  let s0 = 0;
  let s1 = (points[0] as Point).v;
  let b = (points[1] as Point).v - (points[0] as Point).v;
  for (let i = 1; i < points.length; i++) {
    const x = sf * (points[i] as Point).v;
    b = i - 1 === 0 ? b : tf * (s1 - s0) + (1 - tf) * b;
    const y = (1 - sf) * (s1 + b);
    s0 = s1;
    s1 = x + y;
  }
  return s1;
}

function quantileOverTime(points: readonly Point[], _w: Window, extra: readonly number[]): number {
  const q = extra[0] ?? NaN;
  const values = points.map((p) => p.v);
  if (values.length === 0 || Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  values.sort((a, b) => (Number.isNaN(a) ? -1 : Number.isNaN(b) ? 1 : a - b));
  const rank = q * (values.length - 1);
  const lower = Math.max(0, Math.floor(rank));
  const upper = Math.min(values.length - 1, lower + 1);
  const weight = rank - Math.floor(rank);
  return (values[lower] as number) * (1 - weight) + (values[upper] as number) * weight;
}

export const rangeFunctions: ReadonlyMap<string, RangeKernel> = new Map<string, RangeKernel>([
  ['rate', extrapolated(true, true)],
  ['increase', extrapolated(true, false)],
  ['delta', extrapolated(false, false)],
  ['irate', instant(true)],
  ['idelta', instant(false)],
  ['absent_over_time', () => 1],
  ['present_over_time', () => 1],
  ['count_over_time', (p) => p.length],
  ['last_over_time', (p) => (p[p.length - 1] as Point).v],
  [
    'sum_over_time',
    (p) => {
      let sum = 0,
        c = 0;
      for (const x of p) [sum, c] = kahanInc(x.v, sum, c);
      return Number.isFinite(sum) ? sum + c : sum;
    },
  ],
  [
    'avg_over_time',
    (p) => {
      let mean = 0,
        count = 0,
        c = 0;
      for (const x of p) {
        count++;
        if (!Number.isFinite(mean) && !Number.isNaN(mean)) {
          if (!Number.isFinite(x.v) && !Number.isNaN(x.v) && mean > 0 === x.v > 0) continue;
          if (Number.isFinite(x.v)) continue;
        }
        [mean, c] = kahanInc(x.v / count - mean / count, mean, c);
      }
      return !Number.isFinite(mean) && !Number.isNaN(mean) ? mean : mean + c;
    },
  ],
  [
    'max_over_time',
    (p) => {
      let max = (p[0] as Point).v;
      for (const x of p) if (x.v > max || Number.isNaN(max)) max = x.v;
      return max;
    },
  ],
  [
    'min_over_time',
    (p) => {
      let min = (p[0] as Point).v;
      for (const x of p) if (x.v < min || Number.isNaN(min)) min = x.v;
      return min;
    },
  ],
  ['stddev_over_time', (p) => Math.sqrt(variance(p))],
  ['stdvar_over_time', (p) => variance(p)],
  ['quantile_over_time', quantileOverTime],
  [
    'changes',
    (p) => {
      let n = 0;
      for (let i = 1; i < p.length; i++) {
        const a = (p[i - 1] as Point).v;
        const b = (p[i] as Point).v;
        if (a !== b && !(Number.isNaN(a) && Number.isNaN(b))) n++;
      }
      return n;
    },
  ],
  [
    'resets',
    (p) => {
      let n = 0;
      for (let i = 1; i < p.length; i++) if ((p[i] as Point).v < (p[i - 1] as Point).v) n++;
      return n;
    },
  ],
  ['deriv', (p) => (p.length < 2 ? undefined : linearRegression(p, (p[0] as Point).t)[0])],
  [
    'predict_linear',
    (p, w, extra) => {
      if (p.length < 2) return undefined;
      const [slope, intercept] = linearRegression(p, w.ts);
      return slope * (extra[0] ?? NaN) + intercept;
    },
  ],
  ['holt_winters', holtWinters],
]);
