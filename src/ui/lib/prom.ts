// Prometheus range-query results turned into the column layout uPlot draws:
// one shared, sorted x axis and one y array per series, with null for gaps
// and for values Prometheus writes as NaN or ±Inf.
import { legendFor } from './promql';

export interface PromMatrixSeries {
  metric: Record<string, string>;
  values: [number, string][];
}

export interface AlignedSeries {
  xs: number[];
  series: { label: string; values: (number | null)[] }[];
}

export function parseSample(v: string): number | null {
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

export function alignMatrix(
  result: PromMatrixSeries[],
  legendFormat?: string,
  maxSeries = 30,
): AlignedSeries {
  const kept = result.slice(0, maxSeries);
  const xsSet = new Set<number>();
  for (const s of kept) for (const [t] of s.values) xsSet.add(t);
  const xs = [...xsSet].sort((a, b) => a - b);
  const index = new Map(xs.map((x, i) => [x, i]));
  const series = kept.map((s) => {
    const values: (number | null)[] = new Array<number | null>(xs.length).fill(null);
    for (const [t, v] of s.values) {
      const i = index.get(t);
      if (i !== undefined) values[i] = parseSample(v);
    }
    return { label: legendFor(s.metric, legendFormat), values };
  });
  return { xs, series };
}

/** Merges aligned results of several queries (one panel, several lines). */
export function mergeAligned(parts: AlignedSeries[]): AlignedSeries {
  const xs = [...new Set(parts.flatMap((p) => p.xs))].sort((a, b) => a - b);
  const index = new Map(xs.map((x, i) => [x, i]));
  const series = parts.flatMap((p) =>
    p.series.map((s) => {
      const values: (number | null)[] = new Array<number | null>(xs.length).fill(null);
      p.xs.forEach((x, i) => {
        const j = index.get(x);
        if (j !== undefined) values[j] = s.values[i] ?? null;
      });
      return { label: s.label, values };
    }),
  );
  return { xs, series };
}

export interface ExemplarsResponse {
  data?: {
    seriesLabels?: Record<string, string>;
    exemplars?: { labels?: Record<string, string>; value: string; timestamp: number }[];
  }[];
}

export interface ExemplarPoint {
  /** Seconds since the epoch. */
  time: number;
  value: number;
  traceID: string;
}

/**
 * Exemplars that name a trace (`trace_id`, as Prometheus' OTLP translation
 * writes it, or `traceID`/`traceId`), largest value first, at most `max`.
 */
export function exemplarPoints(r: ExemplarsResponse | undefined, max = 300): ExemplarPoint[] {
  const out: ExemplarPoint[] = [];
  for (const s of r?.data ?? []) {
    for (const e of s.exemplars ?? []) {
      const l = e.labels ?? {};
      const id = (l['trace_id'] ?? l['traceID'] ?? l['traceId'] ?? '').toLowerCase();
      const value = Number(e.value);
      if (/^[0-9a-f]{1,32}$/.test(id) && Number.isFinite(value) && Number.isFinite(e.timestamp)) {
        out.push({ time: e.timestamp, value, traceID: id });
      }
    }
  }
  return out.sort((a, b) => b.value - a.value).slice(0, max);
}
