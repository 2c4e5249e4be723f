// Prometheus 2.x JSON envelopes: `{status, data}` and `{status, errorType, error}`,
// sample values as strings in Go's float format, timestamps as float seconds.

import type { Labels } from '../../model/telemetry';
import type { PromErrorType } from '../../query/promql/errors';
import { formatValue } from '../../query/promql/lexical';
import type { QueryResult } from '../../query/promql/values';

export const errorStatus: Readonly<Record<PromErrorType, number>> = {
  bad_data: 400,
  execution: 422,
  timeout: 503,
  canceled: 503,
  internal: 500,
};

type Pair = [number, string];

function pair(t: number, v: number): Pair {
  return [t / 1000, formatValue(v)];
}

export function resultData(r: QueryResult): { resultType: string; result: unknown } {
  switch (r.resultType) {
    case 'scalar':
      return { resultType: 'scalar', result: pair(r.t, r.v) };
    case 'string':
      return { resultType: 'string', result: [r.t / 1000, r.v] };
    case 'vector':
      return {
        resultType: 'vector',
        result: r.samples.map((s) => ({ metric: s.labels as Labels, value: pair(s.t, s.v) })),
      };
    case 'matrix':
      return {
        resultType: 'matrix',
        result: r.series.map((s) => ({
          metric: s.labels,
          values: s.points.map((p) => pair(p.t, p.v)),
        })),
      };
  }
}
