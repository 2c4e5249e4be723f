// The scatter plot's duration axis, linear or logarithmic. Log helps when a
// few slow outliers (cache misses) squash every other trace onto the floor.

export interface Scale {
  /** Value -> fraction of the axis, 0 at the bottom. */
  toFrac: (v: number) => number;
  fromFrac: (f: number) => number;
  ticks: number[];
}

export function durationScale(
  kind: 'linear' | 'log',
  values: readonly number[],
  tickCount = 5,
): Scale {
  const max = Math.max(1, ...values) * 1.05;
  if (kind === 'linear') {
    return {
      toFrac: (v) => v / max,
      fromFrac: (f) => f * max,
      ticks: Array.from({ length: tickCount }, (_, i) => (i / (tickCount - 1)) * max),
    };
  }
  const positive = values.filter((v) => v > 0);
  const lo = Math.max(1, Math.min(max / 10, ...positive) / 1.5);
  const a = Math.log(lo);
  const span = Math.log(max) - a || 1;
  return {
    toFrac: (v) => (Math.log(Math.max(lo, v)) - a) / span,
    fromFrac: (f) => Math.exp(a + f * span),
    ticks: Array.from({ length: tickCount }, (_, i) => Math.exp(a + (i / (tickCount - 1)) * span)),
  };
}
