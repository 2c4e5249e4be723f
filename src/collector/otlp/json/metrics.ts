// OTLP/JSON ExportMetricsServiceRequest -> MetricPoint[].

import type {
  AggregationTemporality,
  Exemplar,
  ExponentialBuckets,
  InstrumentationScope,
  MetricPoint,
  Resource,
} from '../../../model/telemetry';
import type { OtlpLimits } from '../limits';
import { pointProblem } from '../validate';
import type { Decoded } from '../validate';
import { attributes, countItem, decodeJson, keep } from './common';
import {
  arr,
  bool,
  double,
  enumValue,
  get,
  hexId,
  int32,
  int64,
  obj,
  optDouble,
  text,
  uint32,
  uint64,
} from './values';
import type { Ctx, Json, JsonObject } from './values';

const TEMPORALITIES = [
  'AGGREGATION_TEMPORALITY_UNSPECIFIED',
  'AGGREGATION_TEMPORALITY_DELTA',
  'AGGREGATION_TEMPORALITY_CUMULATIVE',
];
const KINDS = [
  ['gauge', 'gauge'],
  ['sum', 'sum'],
  ['histogram', 'histogram'],
  ['exponentialHistogram', 'exponential_histogram'],
  ['summary', 'summary'],
] as const;

const NAMES = ['resourceMetrics', 'scopeMetrics', 'metrics'] as const;

export function decodeMetricsJson(root: Json, limits: OtlpLimits): Decoded<MetricPoint> {
  return decodeJson(root, limits, NAMES, metric);
}

function metric(
  c: Ctx,
  o: JsonObject,
  resource: Resource,
  scope: InstrumentationScope,
  out: MetricPoint[],
): void {
  const head = {
    resource,
    scope,
    name: text(c, o['name'], 'name'),
    description: text(c, o['description'], 'description'),
    unit: text(c, o['unit'], 'unit'),
    metadata: attributes(c, o, 'metadata', 'metadata').values,
  };
  for (const [camel, snake] of KINDS) {
    const d = obj(c, get(o, camel, snake), camel);
    if (d === undefined) continue;
    c.path.push(camel);
    const temporality = enumValue(
      c,
      get(d, 'aggregationTemporality', 'aggregation_temporality'),
      'aggregationTemporality',
      TEMPORALITIES,
    ) as AggregationTemporality;
    const isMonotonic = bool(c, get(d, 'isMonotonic', 'is_monotonic'), 'isMonotonic');
    const dps = arr(c, get(d, 'dataPoints', 'data_points'), 'dataPoints');
    for (let i = 0; i < dps.length; i++) {
      c.path.push('dataPoints', i);
      countItem(c);
      const p = obj(c, dps[i], '') ?? {};
      const base = {
        ...head,
        attributes: attributes(c, p, 'attributes', 'attributes').values,
        startTimeUnixNano: uint64(
          c,
          get(p, 'startTimeUnixNano', 'start_time_unix_nano'),
          'startTimeUnixNano',
        ),
        timeUnixNano: uint64(c, get(p, 'timeUnixNano', 'time_unix_nano'), 'timeUnixNano'),
        flags: uint32(c, p['flags'], 'flags'),
        exemplars: exemplars(c, p['exemplars']),
      };
      keep(c, build(c, camel, p, base, temporality, isMonotonic), pointProblem, out);
      c.path.pop(true);
    }
    c.path.pop();
    // A oneof: the first kind present wins, as a valid sender sets only one.
    return;
  }
}

type Base = Omit<
  MetricPoint,
  | 'type'
  | 'value'
  | 'temporality'
  | 'isMonotonic'
  | 'count'
  | 'sum'
  | 'min'
  | 'max'
  | 'bucketCounts'
  | 'explicitBounds'
  | 'scale'
  | 'zeroCount'
  | 'zeroThreshold'
  | 'positive'
  | 'negative'
  | 'quantileValues'
>;

function build(
  c: Ctx,
  kind: string,
  p: JsonObject,
  base: Base,
  temporality: AggregationTemporality,
  isMonotonic: boolean,
): MetricPoint {
  switch (kind) {
    case 'gauge':
      return { ...base, type: 'gauge', value: numberValue(c, p) };
    case 'sum':
      return { ...base, type: 'sum', temporality, isMonotonic, value: numberValue(c, p) };
    case 'histogram': {
      const bucketCounts = arr(c, get(p, 'bucketCounts', 'bucket_counts'), 'bucketCounts').map(
        (v, i) => uint64(c, v, `bucketCounts[${i}]`),
      );
      const explicitBounds = arr(
        c,
        get(p, 'explicitBounds', 'explicit_bounds'),
        'explicitBounds',
      ).map((v, i) => double(c, v, `explicitBounds[${i}]`));
      return {
        ...base,
        type: 'histogram',
        temporality,
        ...stats(c, p),
        bucketCounts,
        explicitBounds,
      };
    }
    case 'exponentialHistogram':
      return {
        ...base,
        type: 'exponential_histogram',
        temporality,
        ...stats(c, p),
        scale: int32(c, p['scale'] ?? 0, 'scale'),
        zeroCount: uint64(c, get(p, 'zeroCount', 'zero_count'), 'zeroCount'),
        zeroThreshold: double(c, get(p, 'zeroThreshold', 'zero_threshold'), 'zeroThreshold'),
        positive: buckets(c, p['positive'], 'positive'),
        negative: buckets(c, p['negative'], 'negative'),
      };
    default: {
      const qs = arr(c, get(p, 'quantileValues', 'quantile_values'), 'quantileValues');
      const quantileValues = qs.map((q, i) => {
        c.path.push('quantileValues', i);
        const qo = obj(c, q, '') ?? {};
        const v = {
          quantile: double(c, qo['quantile'], 'quantile'),
          value: double(c, qo['value'], 'value'),
        };
        c.path.pop(true);
        return v;
      });
      return {
        ...base,
        type: 'summary',
        count: uint64(c, p['count'], 'count'),
        sum: double(c, p['sum'], 'sum'),
        quantileValues,
      };
    }
  }
}

function stats(
  c: Ctx,
  p: JsonObject,
): { count: bigint; sum: number | undefined; min: number | undefined; max: number | undefined } {
  return {
    count: uint64(c, p['count'], 'count'),
    sum: optDouble(c, p['sum'] ?? undefined, 'sum'),
    min: optDouble(c, p['min'] ?? undefined, 'min'),
    max: optDouble(c, p['max'] ?? undefined, 'max'),
  };
}

function numberValue(c: Ctx, o: JsonObject): number | bigint {
  const i = get(o, 'asInt', 'as_int');
  if (i !== undefined) return int64(c, i, 'asInt');
  return double(c, get(o, 'asDouble', 'as_double'), 'asDouble');
}

function buckets(c: Ctx, v: Json, name: string): ExponentialBuckets {
  c.path.push(name);
  const o = obj(c, v, '') ?? {};
  const b = {
    offset: int32(c, o['offset'] ?? 0, 'offset'),
    bucketCounts: arr(c, get(o, 'bucketCounts', 'bucket_counts'), 'bucketCounts').map((x, i) =>
      uint64(c, x, `bucketCounts[${i}]`),
    ),
  };
  c.path.pop();
  return b;
}

function exemplars(c: Ctx, v: Json): Exemplar[] {
  const list = arr(c, v, 'exemplars');
  const out: Exemplar[] = [];
  for (let i = 0; i < list.length; i++) {
    c.path.push('exemplars', i);
    const o = obj(c, list[i], '') ?? {};
    out.push({
      filteredAttributes: attributes(c, o, 'filteredAttributes', 'filtered_attributes').values,
      timeUnixNano: uint64(c, get(o, 'timeUnixNano', 'time_unix_nano'), 'timeUnixNano'),
      value: numberValue(c, o),
      spanId: hexId(c, get(o, 'spanId', 'span_id'), 'spanId', 8),
      traceId: hexId(c, get(o, 'traceId', 'trace_id'), 'traceId', 16),
    });
    c.path.pop(true);
  }
  return out;
}
