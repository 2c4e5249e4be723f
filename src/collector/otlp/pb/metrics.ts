// ExportMetricsServiceRequest (metrics.proto) -> MetricPoint[].
//
// Fields a point depends on (the metric's name and metadata, a sum's
// temporality) may follow the points on the wire, so Metric and the five
// data messages are scanned once for those and the points decoded after.

import type {
  AggregationTemporality,
  Attributes,
  Exemplar,
  ExponentialBuckets,
  InstrumentationScope,
  MetricPoint,
  Resource,
} from '../../../model/telemetry';
import { AttrSet } from '../attributes';
import type { OtlpLimits } from '../limits';
import { pointProblem } from '../validate';
import type { Decoded } from '../validate';
import { readAttribute } from './common';
import { keep, readEnvelope } from './envelope';
import { fields, Reader, WIRE_I64, WIRE_LEN, WIRE_VARINT } from './reader';

const t = (n: number, w: number): number => (n << 3) | w;
const METRIC_FIELDS = fields(1, 2, 3, 5, 7, 9, 10, 11, 12);
const DATA_FIELDS = fields(1, 2, 3);
const DATA_NAMES: Record<number, string> = {
  5: 'gauge',
  7: 'sum',
  9: 'histogram',
  10: 'exponentialHistogram',
  11: 'summary',
};

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** What every point of one Metric shares. */
interface MetricHeader {
  resource: Resource;
  scope: InstrumentationScope;
  name: string;
  description: string;
  unit: string;
  metadata: Attributes;
  temporality: AggregationTemporality;
  isMonotonic: boolean;
}

/** A Metric holds many points, so this signal walks the envelope itself. */
export function decodeMetricsProto(bytes: Uint8Array, limits: OtlpLimits): Decoded<MetricPoint> {
  const r = new Reader(bytes, limits);
  const items: MetricPoint[] = [];
  readEnvelope(r, ['resourceMetrics', 'scopeMetrics', 'metrics'], (rr, end, resource, scope) => {
    readMetric(rr, end, resource, scope, items);
  });
  return { items, rejected: r.rejected, rejectReason: r.rejectReason };
}

function readMetric(
  r: Reader,
  end: number,
  resource: Resource,
  scope: InstrumentationScope,
  out: MetricPoint[],
): void {
  const h: MetricHeader = {
    resource,
    scope,
    name: '',
    description: '',
    unit: '',
    metadata: {},
    temporality: 0,
    isMonotonic: false,
  };
  const meta = new AttrSet(r.limits.maxAttributesPerItem);
  let dataField = 0;
  let dataStart = 0;
  let dataEnd = 0;
  while (r.pos < end) {
    const tag = r.varint32();
    switch (tag) {
      case t(1, WIRE_LEN):
        h.name = r.value(end);
        break;
      case t(2, WIRE_LEN):
        h.description = r.value(end);
        break;
      case t(3, WIRE_LEN):
        h.unit = r.value(end);
        break;
      case t(5, WIRE_LEN):
      case t(7, WIRE_LEN):
      case t(9, WIRE_LEN):
      case t(10, WIRE_LEN):
      case t(11, WIRE_LEN):
        dataField = tag >>> 3;
        dataEnd = r.lenEnd(end);
        dataStart = r.pos;
        r.pos = dataEnd;
        break;
      case t(12, WIRE_LEN):
        readAttribute(r, end, meta, 'metadata');
        break;
      default:
        r.skip(tag, end, METRIC_FIELDS);
    }
  }
  r.expectEnd(end);
  h.metadata = meta.values;
  if (dataField === 0) return;
  const after = r.pos;
  r.pos = dataStart;
  r.path.push(DATA_NAMES[dataField] ?? 'data');
  readData(r, dataField, dataEnd, h, out);
  r.path.pop();
  r.pos = after;
}

function readData(r: Reader, kind: number, end: number, h: MetricHeader, out: MetricPoint[]): void {
  const ranges: number[] = [];
  while (r.pos < end) {
    const tag = r.varint32();
    if (tag === t(1, WIRE_LEN)) {
      const e = r.lenEnd(end);
      ranges.push(r.pos, e);
      r.pos = e;
    } else if (tag === t(2, WIRE_VARINT) && kind !== 5 && kind !== 11) {
      h.temporality = (r.varint32() | 0) as AggregationTemporality;
    } else if (tag === t(3, WIRE_VARINT) && kind === 7) {
      h.isMonotonic = r.bool();
    } else {
      r.skip(
        tag,
        end,
        kind === 7 ? DATA_FIELDS : kind === 5 || kind === 11 ? fields(1) : fields(1, 2),
      );
    }
  }
  r.expectEnd(end);
  for (let i = 0; i < ranges.length; i += 2) {
    r.pos = ranges[i] as number;
    const pEnd = ranges[i + 1] as number;
    r.path.push('dataPoints', i / 2);
    r.countItem();
    keep(r, readPoint(r, kind, pEnd, h), pointProblem, out);
    r.path.pop(true);
  }
  r.pos = end;
}

/** Fields of all five data point messages; each kind fills what it has. */
interface PointFields {
  attributes: Attributes;
  start: bigint;
  time: bigint;
  flags: number;
  exemplars: Exemplar[];
  value: number | bigint;
  count: bigint;
  sum: number | undefined;
  min: number | undefined;
  max: number | undefined;
  bucketCounts: bigint[];
  explicitBounds: number[];
  scale: number;
  zeroCount: bigint;
  zeroThreshold: number;
  positive: ExponentialBuckets;
  negative: ExponentialBuckets;
  quantiles: { quantile: number; value: number }[];
}

const NO_BUCKETS: ExponentialBuckets = Object.freeze({
  offset: 0,
  bucketCounts: Object.freeze([]) as readonly bigint[],
});

// Field numbers per kind: [attributes, exemplars, flags]; the rest are shared or kind-specific below.
const NUMBER = { attrs: 7, exemplars: 5, flags: 8 };
const HIST = { attrs: 9, exemplars: 8, flags: 10 };
const EXPO = { attrs: 1, exemplars: 11, flags: 10 };
const SUMMARY = { attrs: 7, exemplars: -1, flags: 8 };

function readPoint(r: Reader, kind: number, end: number, h: MetricHeader): MetricPoint {
  const layout = kind === 9 ? HIST : kind === 10 ? EXPO : kind === 11 ? SUMMARY : NUMBER;
  const attrs = new AttrSet(r.limits.maxAttributesPerItem);
  const f: PointFields = {
    attributes: attrs.values,
    start: 0n,
    time: 0n,
    flags: 0,
    exemplars: [],
    value: 0,
    count: 0n,
    sum: undefined,
    min: undefined,
    max: undefined,
    bucketCounts: [],
    explicitBounds: [],
    scale: 0,
    zeroCount: 0n,
    zeroThreshold: 0,
    positive: NO_BUCKETS,
    negative: NO_BUCKETS,
    quantiles: [],
  };
  while (r.pos < end) {
    const tag = r.varint32();
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === layout.attrs && wire === WIRE_LEN) readAttribute(r, end, attrs);
    else if (field === layout.exemplars && wire === WIRE_LEN) {
      r.path.push('exemplars', f.exemplars.length);
      f.exemplars.push(readExemplar(r, r.lenEnd(end)));
      r.path.pop(true);
    } else if (field === layout.flags && wire === WIRE_VARINT) f.flags = r.varint32();
    else if (field === 2 && wire === WIRE_I64) f.start = r.fixed64();
    else if (field === 3 && wire === WIRE_I64) f.time = r.fixed64();
    else if (!readKindField(r, kind, field, wire, end, f)) r.skip(tag, end, knownPointFields(kind));
  }
  r.expectEnd(end);
  const base = {
    resource: h.resource,
    scope: h.scope,
    name: h.name,
    description: h.description,
    unit: h.unit,
    metadata: h.metadata,
    attributes: f.attributes,
    startTimeUnixNano: f.start,
    timeUnixNano: f.time,
    flags: f.flags,
    exemplars: f.exemplars,
  };
  // The attribute count limit is applied while reading; points have no dropped count to report it in.
  switch (kind) {
    case 5:
      return { ...base, type: 'gauge', value: f.value };
    case 7:
      return {
        ...base,
        type: 'sum',
        temporality: h.temporality,
        isMonotonic: h.isMonotonic,
        value: f.value,
      };
    case 9:
      return {
        ...base,
        type: 'histogram',
        temporality: h.temporality,
        count: f.count,
        sum: f.sum,
        min: f.min,
        max: f.max,
        bucketCounts: f.bucketCounts,
        explicitBounds: f.explicitBounds,
      };
    case 10:
      return {
        ...base,
        type: 'exponential_histogram',
        temporality: h.temporality,
        count: f.count,
        sum: f.sum,
        min: f.min,
        max: f.max,
        scale: f.scale,
        zeroCount: f.zeroCount,
        zeroThreshold: f.zeroThreshold,
        positive: f.positive,
        negative: f.negative,
      };
    default:
      return {
        ...base,
        type: 'summary',
        count: f.count,
        sum: f.sum ?? 0,
        quantileValues: f.quantiles,
      };
  }
}

function knownPointFields(kind: number): number {
  switch (kind) {
    case 9:
      return fields(2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
    case 10:
      return fields(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14);
    case 11:
      return fields(2, 3, 4, 5, 6, 7, 8);
    default:
      return fields(2, 3, 4, 5, 6, 7, 8);
  }
}

/** Kind-specific fields; false when the tag is not one of them. */
function readKindField(
  r: Reader,
  kind: number,
  field: number,
  wire: number,
  end: number,
  f: Mutable<PointFields>,
): boolean {
  if (kind === 5 || kind === 7) {
    if (field === 4 && wire === WIRE_I64) f.value = r.double();
    else if (field === 6 && wire === WIRE_I64) f.value = r.sfixed64();
    else return false;
    return true;
  }
  if (field === 4 && wire === WIRE_I64) f.count = r.fixed64();
  else if (field === 5 && wire === WIRE_I64) f.sum = r.double();
  else if (kind === 9) {
    if (field === 6) readRepeatedFixed64(r, wire, end, f.bucketCounts);
    else if (field === 7) readRepeatedDouble(r, wire, end, f.explicitBounds);
    else if (field === 11 && wire === WIRE_I64) f.min = r.double();
    else if (field === 12 && wire === WIRE_I64) f.max = r.double();
    else return false;
  } else if (kind === 10) {
    if (field === 6 && wire === WIRE_VARINT) f.scale = r.sint32();
    else if (field === 7 && wire === WIRE_I64) f.zeroCount = r.fixed64();
    else if (field === 8 && wire === WIRE_LEN)
      f.positive = withPath(r, 'positive', () => readBuckets(r, r.lenEnd(end)));
    else if (field === 9 && wire === WIRE_LEN)
      f.negative = withPath(r, 'negative', () => readBuckets(r, r.lenEnd(end)));
    else if (field === 12 && wire === WIRE_I64) f.min = r.double();
    else if (field === 13 && wire === WIRE_I64) f.max = r.double();
    else if (field === 14 && wire === WIRE_I64) f.zeroThreshold = r.double();
    else return false;
  } else if (field === 6 && wire === WIRE_LEN) {
    r.path.push('quantileValues', f.quantiles.length);
    f.quantiles.push(readQuantile(r, r.lenEnd(end)));
    r.path.pop(true);
  } else return false;
  return true;
}

function withPath<T>(r: Reader, name: string, fn: () => T): T {
  r.path.push(name);
  const v = fn();
  r.path.pop();
  return v;
}

function readRepeatedFixed64(r: Reader, wire: number, end: number, out: bigint[]): void {
  if (wire === WIRE_I64) {
    out.push(r.fixed64());
    return;
  }
  if (wire !== WIRE_LEN) throw r.fail(`bucketCounts has wrong wire type ${wire}`);
  const e = r.lenEnd(end);
  if ((e - r.pos) % 8 !== 0) throw r.fail('packed bucketCounts length is not a multiple of 8');
  while (r.pos < e) out.push(r.fixed64());
}

function readRepeatedDouble(r: Reader, wire: number, end: number, out: number[]): void {
  if (wire === WIRE_I64) {
    out.push(r.double());
    return;
  }
  if (wire !== WIRE_LEN) throw r.fail(`explicitBounds has wrong wire type ${wire}`);
  const e = r.lenEnd(end);
  if ((e - r.pos) % 8 !== 0) throw r.fail('packed explicitBounds length is not a multiple of 8');
  while (r.pos < e) out.push(r.double());
}

function readBuckets(r: Reader, end: number): ExponentialBuckets {
  let offset = 0;
  const counts: bigint[] = [];
  while (r.pos < end) {
    const tag = r.varint32();
    if (tag === t(1, WIRE_VARINT)) offset = r.sint32();
    else if (tag === t(2, WIRE_VARINT)) counts.push(r.uint64());
    else if (tag === t(2, WIRE_LEN)) {
      const e = r.lenEnd(end);
      while (r.pos < e) counts.push(r.uint64());
      r.expectEnd(e);
    } else r.skip(tag, end, fields(1, 2));
  }
  r.expectEnd(end);
  return { offset, bucketCounts: counts };
}

function readQuantile(r: Reader, end: number): { quantile: number; value: number } {
  let quantile = 0;
  let value = 0;
  while (r.pos < end) {
    const tag = r.varint32();
    if (tag === t(1, WIRE_I64)) quantile = r.double();
    else if (tag === t(2, WIRE_I64)) value = r.double();
    else r.skip(tag, end, fields(1, 2));
  }
  r.expectEnd(end);
  return { quantile, value };
}

function readExemplar(r: Reader, end: number): Exemplar {
  const attrs = new AttrSet(r.limits.maxAttributesPerItem);
  let time = 0n;
  let value: number | bigint = 0;
  let spanId = '';
  let traceId = '';
  while (r.pos < end) {
    const tag = r.varint32();
    switch (tag) {
      case t(7, WIRE_LEN):
        readAttribute(r, end, attrs, 'filteredAttributes');
        break;
      case t(2, WIRE_I64):
        time = r.fixed64();
        break;
      case t(3, WIRE_I64):
        value = r.double();
        break;
      case t(6, WIRE_I64):
        value = r.sfixed64();
        break;
      case t(4, WIRE_LEN):
        spanId = r.idField('spanId', end, 8);
        break;
      case t(5, WIRE_LEN):
        traceId = r.idField('traceId', end, 16);
        break;
      default:
        r.skip(tag, end, fields(2, 3, 4, 5, 6, 7));
    }
  }
  r.expectEnd(end);
  return { filteredAttributes: attrs.values, timeUnixNano: time, value, spanId, traceId };
}
