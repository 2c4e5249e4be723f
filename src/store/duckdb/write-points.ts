// metric_points rows, appended as one data chunk per turn instead of row by
// row: the row appender builds a native value per list element (histogram
// buckets and bounds), about ten times the cost of filling the chunk's
// vectors (bench/metrics-ingest.md).

import type { DuckDBAppender, DuckDBType, DuckDBValue } from '@duckdb/node-api';
import {
  BIGINT,
  BOOLEAN,
  DOUBLE,
  DuckDBDataChunk,
  INTEGER,
  LIST,
  UBIGINT,
  UINTEGER,
  UTINYINT,
  VARCHAR,
  listValue,
} from '@duckdb/node-api';

import type { MetricPoint } from '../../model/telemetry';
import { serviceOf } from '../span-match';
import { encodeAttributes } from '../values';
import type { Staged } from './catalog';
import { encodeExemplars } from './codec';

const UBIGINT_LIST = LIST(UBIGINT);
const DOUBLE_LIST = LIST(DOUBLE);

/** The table's columns in order (migrations 001 and 002). */
const COLUMNS: readonly DuckDBType[] = [
  BIGINT, // time_ns
  BIGINT, // start_ns
  UTINYINT, // type
  VARCHAR, // name
  VARCHAR, // description
  VARCHAR, // unit
  VARCHAR, // metadata
  UINTEGER, // resource_id
  UINTEGER, // scope_id
  VARCHAR, // attributes
  UINTEGER, // flags
  UTINYINT, // temporality
  BOOLEAN, // is_monotonic
  DOUBLE, // value_double
  BIGINT, // value_int
  UBIGINT, // count
  DOUBLE, // sum
  DOUBLE, // min
  DOUBLE, // max
  UBIGINT_LIST, // bucket_counts
  DOUBLE_LIST, // explicit_bounds
  INTEGER, // scale
  UBIGINT, // zero_count
  DOUBLE, // zero_threshold
  INTEGER, // positive_offset
  UBIGINT_LIST, // positive_bucket_counts
  INTEGER, // negative_offset
  UBIGINT_LIST, // negative_bucket_counts
  DOUBLE_LIST, // quantiles
  DOUBLE_LIST, // quantile_values
  VARCHAR, // exemplars
  VARCHAR, // service
];
/** Index of `temporality`, the first column of the kind-specific part. */
const BODY = 11;
const BODY_COLUMNS = 19;

const POINT_TYPES = {
  gauge: 0,
  sum: 1,
  histogram: 2,
  exponential_histogram: 3,
  summary: 4,
} as const;

const opt = (v: number | undefined): number | null => v ?? null;
const list = (items: readonly DuckDBValue[]): DuckDBValue => listValue(items);

/** Columns temporality .. quantile_values of one point, in table order. */
function body(p: MetricPoint): DuckDBValue[] {
  const out: DuckDBValue[] = new Array<DuckDBValue>(BODY_COLUMNS).fill(null);
  const set = (column: number, v: DuckDBValue): void => {
    out[column - BODY] = v;
  };
  switch (p.type) {
    case 'gauge':
    case 'sum':
      if (p.type === 'sum') {
        set(11, p.temporality);
        set(12, p.isMonotonic);
      }
      set(typeof p.value === 'bigint' ? 14 : 13, p.value);
      return out;
    case 'histogram':
      set(11, p.temporality);
      set(15, p.count);
      set(16, opt(p.sum));
      set(17, opt(p.min));
      set(18, opt(p.max));
      set(19, list(p.bucketCounts));
      set(20, list(p.explicitBounds));
      return out;
    case 'exponential_histogram':
      set(11, p.temporality);
      set(15, p.count);
      set(16, opt(p.sum));
      set(17, opt(p.min));
      set(18, opt(p.max));
      set(21, p.scale);
      set(22, p.zeroCount);
      set(23, p.zeroThreshold);
      set(24, p.positive.offset);
      set(25, list(p.positive.bucketCounts));
      set(26, p.negative.offset);
      set(27, list(p.negative.bucketCounts));
      return out;
    case 'summary':
      set(15, p.count);
      set(16, p.sum);
      set(28, list(p.quantileValues.map((q) => q.quantile)));
      set(29, list(p.quantileValues.map((q) => q.value)));
      return out;
  }
}

/** Appends up to 2048 points (DuckDB's vector size) as one data chunk. */
export function appendPointChunk(
  a: DuckDBAppender,
  points: readonly MetricPoint[],
  st: Staged,
): void {
  const cols: DuckDBValue[][] = COLUMNS.map(() => new Array<DuckDBValue>(points.length));
  points.forEach((p, i) => {
    const row: DuckDBValue[] = [
      p.timeUnixNano,
      p.startTimeUnixNano,
      POINT_TYPES[p.type],
      p.name,
      p.description,
      p.unit,
      encodeAttributes(p.metadata),
      st.resourceId(p.resource),
      st.scopeId(p.scope),
      encodeAttributes(p.attributes),
      p.flags,
      ...body(p),
      encodeExemplars(p.exemplars),
      serviceOf(p),
    ];
    for (let c = 0; c < row.length; c++) (cols[c] as DuckDBValue[])[i] = row[c] ?? null;
  });
  const chunk = DuckDBDataChunk.create([...COLUMNS], points.length);
  cols.forEach((values, c) => chunk.setColumnValues(c, values));
  a.appendDataChunk(chunk);
}
