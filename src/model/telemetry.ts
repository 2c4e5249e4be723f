// Domain types for the three OTLP signals, shared by collector/, store/ and query/.
//
// These are not the wire types: the decoders in collector/ validate OTLP
// (protobuf or JSON) and produce these. Conventions:
// - Timestamps are nanoseconds since the epoch as `bigint` (never lossy numbers).
// - Trace ids are 32 lowercase hex chars, span ids 16; "absent" is the empty string.
// - Integers that OTLP sends as int64 (`intValue`, `asInt`) are `bigint`;
//   doubles are `number`. That keeps the int/double distinction OTLP makes.
// - Resource and scope objects are shared by reference between the items of
//   one batch; treat them as immutable.

export type UnixNano = bigint;

/** An OTLP AnyValue. A kvlist is a `KeyValueList`; bytes are a `Uint8Array`. */
export type AnyValue =
  string | boolean | number | bigint | Uint8Array | readonly AnyValue[] | KeyValueList | null;

export interface KeyValueList {
  readonly kvlist: Attributes;
}

/** Attribute keys are unique (the OTLP spec requires it; decoders keep the last). */
export type Attributes = Readonly<Record<string, AnyValue>>;

/**
 * `EntityRef` (OTLP 1.9, development): names the resource attributes that
 * identify (`idKeys`) and describe (`descriptionKeys`) one entity.
 */
export interface EntityRef {
  readonly schemaUrl: string;
  readonly type: string;
  readonly idKeys: readonly string[];
  readonly descriptionKeys: readonly string[];
}

export interface Resource {
  readonly attributes: Attributes;
  readonly droppedAttributesCount: number;
  readonly schemaUrl: string;
  /**
   * Absent when the resource has none, which is what every SDK sends today:
   * decoders and stores leave it out then, so resources built without it
   * compare equal to what a store gives back.
   */
  readonly entityRefs?: readonly EntityRef[];
}

export interface InstrumentationScope {
  readonly name: string;
  readonly version: string;
  readonly attributes: Attributes;
  readonly droppedAttributesCount: number;
  readonly schemaUrl: string;
}

export const SpanKind = {
  UNSPECIFIED: 0,
  INTERNAL: 1,
  SERVER: 2,
  CLIENT: 3,
  PRODUCER: 4,
  CONSUMER: 5,
} as const;
export type SpanKind = (typeof SpanKind)[keyof typeof SpanKind];

export const StatusCode = { UNSET: 0, OK: 1, ERROR: 2 } as const;
export type StatusCode = (typeof StatusCode)[keyof typeof StatusCode];

export interface SpanEvent {
  readonly timeUnixNano: UnixNano;
  readonly name: string;
  readonly attributes: Attributes;
  readonly droppedAttributesCount: number;
}

export interface SpanLink {
  readonly traceId: string;
  readonly spanId: string;
  readonly traceState: string;
  readonly attributes: Attributes;
  readonly droppedAttributesCount: number;
  readonly flags: number;
}

export interface Span {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string;
  readonly traceState: string;
  readonly flags: number;
  readonly name: string;
  readonly kind: SpanKind;
  readonly startTimeUnixNano: UnixNano;
  readonly endTimeUnixNano: UnixNano;
  readonly attributes: Attributes;
  readonly droppedAttributesCount: number;
  readonly events: readonly SpanEvent[];
  readonly droppedEventsCount: number;
  readonly links: readonly SpanLink[];
  readonly droppedLinksCount: number;
  readonly status: { readonly code: StatusCode; readonly message: string };
  readonly resource: Resource;
  readonly scope: InstrumentationScope;
}

export interface Exemplar {
  readonly filteredAttributes: Attributes;
  readonly timeUnixNano: UnixNano;
  /** `number` for as_double, `bigint` for as_int. */
  readonly value: number | bigint;
  readonly spanId: string;
  readonly traceId: string;
}

export const AggregationTemporality = { UNSPECIFIED: 0, DELTA: 1, CUMULATIVE: 2 } as const;
export type AggregationTemporality =
  (typeof AggregationTemporality)[keyof typeof AggregationTemporality];

/** What every metric data point carries, whatever its kind. */
interface PointBase {
  readonly resource: Resource;
  readonly scope: InstrumentationScope;
  readonly name: string;
  readonly description: string;
  readonly unit: string;
  /** `Metric.metadata` (OTLP 1.x): rarely used, kept for fidelity. */
  readonly metadata: Attributes;
  readonly attributes: Attributes;
  readonly startTimeUnixNano: UnixNano;
  readonly timeUnixNano: UnixNano;
  readonly flags: number;
  readonly exemplars: readonly Exemplar[];
}

export interface GaugePoint extends PointBase {
  readonly type: 'gauge';
  readonly value: number | bigint;
}

export interface SumPoint extends PointBase {
  readonly type: 'sum';
  readonly temporality: AggregationTemporality;
  readonly isMonotonic: boolean;
  readonly value: number | bigint;
}

export interface HistogramPoint extends PointBase {
  readonly type: 'histogram';
  readonly temporality: AggregationTemporality;
  readonly count: bigint;
  readonly sum: number | undefined;
  readonly min: number | undefined;
  readonly max: number | undefined;
  readonly bucketCounts: readonly bigint[];
  readonly explicitBounds: readonly number[];
}

export interface ExponentialBuckets {
  readonly offset: number;
  readonly bucketCounts: readonly bigint[];
}

export interface ExponentialHistogramPoint extends PointBase {
  readonly type: 'exponential_histogram';
  readonly temporality: AggregationTemporality;
  readonly count: bigint;
  readonly sum: number | undefined;
  readonly min: number | undefined;
  readonly max: number | undefined;
  readonly scale: number;
  readonly zeroCount: bigint;
  readonly zeroThreshold: number;
  readonly positive: ExponentialBuckets;
  readonly negative: ExponentialBuckets;
}

export interface SummaryPoint extends PointBase {
  readonly type: 'summary';
  readonly count: bigint;
  readonly sum: number;
  readonly quantileValues: readonly { readonly quantile: number; readonly value: number }[];
}

export type MetricPoint =
  GaugePoint | SumPoint | HistogramPoint | ExponentialHistogramPoint | SummaryPoint;

export interface LogRecord {
  readonly resource: Resource;
  readonly scope: InstrumentationScope;
  readonly timeUnixNano: UnixNano;
  readonly observedTimeUnixNano: UnixNano;
  readonly severityNumber: number;
  readonly severityText: string;
  readonly body: AnyValue;
  readonly attributes: Attributes;
  readonly droppedAttributesCount: number;
  readonly flags: number;
  readonly traceId: string;
  readonly spanId: string;
  readonly eventName: string;
}

/**
 * A Prometheus-model sample series, as PromQL sees it. The collector derives
 * these from OTLP metrics (naming rules, delta -> cumulative) and from spans
 * (span metrics); the store keeps them for query/.
 */
export type Labels = Readonly<Record<string, string>>;

export interface Sample {
  /** Milliseconds since the epoch, as Prometheus uses. */
  readonly t: number;
  readonly v: number;
}

export interface SeriesSamples {
  /** Includes `__name__`. */
  readonly labels: Labels;
  readonly samples: readonly Sample[];
}

export interface PromExemplar {
  readonly labels: Labels;
  readonly t: number;
  readonly v: number;
}

export interface SeriesExemplars {
  readonly seriesLabels: Labels;
  readonly exemplars: readonly PromExemplar[];
}

export type PromMetricType =
  | 'counter'
  | 'gauge'
  | 'histogram'
  | 'gaugehistogram'
  | 'summary'
  | 'info'
  | 'stateset'
  | 'unknown';

export interface PromMetadata {
  readonly metric: string;
  readonly type: PromMetricType;
  readonly help: string;
  readonly unit: string;
}

/** One write: whatever one OTLP request (or one derived flush) carried. */
export interface TelemetryBatch {
  readonly spans?: readonly Span[];
  readonly metrics?: readonly MetricPoint[];
  readonly logs?: readonly LogRecord[];
  readonly samples?: readonly SeriesSamples[];
  readonly exemplars?: readonly SeriesExemplars[];
  readonly metadata?: readonly PromMetadata[];
}
