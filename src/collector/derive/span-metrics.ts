// Span metrics with the collector `spanmetrics` connector's semantics and
// defaults: per resource (the span's service), one series per
// (service.name, span.name, span.kind, status.code); `calls` a monotonic
// cumulative sum, `duration` an explicit-bucket histogram in ms; exemplars
// (trace and span ids, value in ms) kept until the next flush; start time =
// when the series was first seen; every series re-emitted on every flush.

import type {
  Attributes,
  Exemplar,
  HistogramPoint,
  InstrumentationScope,
  MetricPoint,
  Resource,
  Span,
  SumPoint,
} from '../../model/telemetry';
import { AggregationTemporality, SpanKind, StatusCode } from '../../model/telemetry';
import { attributesKey, valueText } from './labels';

/** The connector's default buckets, in milliseconds. */
export const DEFAULT_BUCKETS_MS: readonly number[] = [
  2, 4, 6, 8, 10, 50, 100, 200, 400, 800, 1000, 1400, 2000, 5000, 10_000, 15_000,
];

export const DEFAULT_NAMESPACE = 'traces.span.metrics';

/** How often the pipeline should call `flush` (connector `metrics_flush_interval`). */
export const DEFAULT_FLUSH_INTERVAL_MS = 15_000;

/** Attribute an overflow series carries (the OpenTelemetry SDKs' convention). */
export const OVERFLOW_ATTRIBUTE = 'otel.metric.overflow';

export interface SpanMetricsOptions {
  /** Metric name prefix (connector `namespace`, default `traces.span.metrics`). */
  readonly namespace?: string;
  /** Explicit histogram bounds in milliseconds, ascending. */
  readonly bucketsMs?: readonly number[];
  /** Max exemplars kept per series between flushes (default 5; 0 disables). */
  readonly exemplarsPerSeries?: number;
  /**
   * Max distinct series per resource (connector `aggregation_cardinality_limit`,
   * default 2000). Spans of new series beyond it count in one series per
   * resource whose only attribute is `otel.metric.overflow=true`.
   */
  readonly cardinalityLimit?: number;
  /** Max resources tracked (connector `resource_metrics_cache_size`, default 1000); least recently used dropped. */
  readonly maxResources?: number;
  /**
   * Series with no span for this long are no longer emitted (connector
   * `metrics_expiration`; default 0 = never).
   */
  readonly expirationMs?: number;
  /** Clock for series start times, ns since the epoch (default: wall clock). */
  readonly clock?: () => bigint;
}

const KIND_TEXT: Readonly<Record<number, string>> = {
  [SpanKind.UNSPECIFIED]: 'SPAN_KIND_UNSPECIFIED',
  [SpanKind.INTERNAL]: 'SPAN_KIND_INTERNAL',
  [SpanKind.SERVER]: 'SPAN_KIND_SERVER',
  [SpanKind.CLIENT]: 'SPAN_KIND_CLIENT',
  [SpanKind.PRODUCER]: 'SPAN_KIND_PRODUCER',
  [SpanKind.CONSUMER]: 'SPAN_KIND_CONSUMER',
};

const STATUS_TEXT: Readonly<Record<number, string>> = {
  [StatusCode.UNSET]: 'STATUS_CODE_UNSET',
  [StatusCode.OK]: 'STATUS_CODE_OK',
  [StatusCode.ERROR]: 'STATUS_CODE_ERROR',
};

const SCOPE: InstrumentationScope = {
  name: 'spanmetricsconnector',
  version: '',
  attributes: {},
  droppedAttributesCount: 0,
  schemaUrl: '',
};

interface Series {
  readonly attributes: Attributes;
  readonly startNs: bigint;
  lastSeenNs: bigint;
  calls: bigint;
  count: bigint;
  sum: number;
  readonly buckets: bigint[];
  exemplars: Exemplar[];
}

interface ResourceState {
  readonly resource: Resource;
  readonly series: Map<string, Series>;
}

const NS_PER_MS = 1_000_000n;
const OVERFLOW_KEY = '\u0000overflow';

export class SpanMetricsConnector {
  private readonly callsName: string;
  private readonly durationName: string;
  private readonly bounds: readonly number[];
  private readonly maxExemplars: number;
  private readonly cardinalityLimit: number;
  private readonly maxResources: number;
  private readonly expirationNs: bigint;
  private readonly clock: () => bigint;
  private readonly resources = new Map<string, ResourceState>();
  private readonly resourceKeys = new WeakMap<Resource, string>();
  /** Spans skipped because their resource has no `service.name` (as the connector does). */
  skipped = 0;

  constructor(opts: SpanMetricsOptions = {}) {
    const ns = opts.namespace ?? DEFAULT_NAMESPACE;
    this.callsName = ns === '' ? 'calls' : `${ns}.calls`;
    this.durationName = ns === '' ? 'duration' : `${ns}.duration`;
    this.bounds = [...(opts.bucketsMs ?? DEFAULT_BUCKETS_MS)];
    for (let i = 0; i < this.bounds.length; i++) {
      const b = this.bounds[i] ?? NaN;
      if (!Number.isFinite(b) || (i > 0 && b <= (this.bounds[i - 1] ?? -Infinity))) {
        throw new RangeError(
          `bucketsMs must be finite and strictly ascending; bad value at index ${i}: ${b}`,
        );
      }
    }
    this.maxExemplars = positiveInt('exemplarsPerSeries', opts.exemplarsPerSeries ?? 5, 0);
    this.cardinalityLimit = positiveInt('cardinalityLimit', opts.cardinalityLimit ?? 2000, 1);
    this.maxResources = positiveInt('maxResources', opts.maxResources ?? 1000, 1);
    this.expirationNs = BigInt(positiveInt('expirationMs', opts.expirationMs ?? 0, 0)) * NS_PER_MS;
    this.clock = opts.clock ?? ((): bigint => BigInt(Date.now()) * NS_PER_MS);
  }

  /** Distinct series held, over all resources. */
  get seriesCount(): number {
    let n = 0;
    for (const r of this.resources.values()) n += r.series.size;
    return n;
  }

  consume(spans: readonly Span[]): void {
    if (spans.length === 0) return;
    const now = this.clock();
    for (const span of spans) {
      const service = span.resource.attributes['service.name'];
      if (service === undefined || service === null) {
        this.skipped++;
        continue;
      }
      const serviceName = valueText(service);
      const state = this.resourceState(span.resource);
      const kind = KIND_TEXT[span.kind] ?? 'SPAN_KIND_UNSPECIFIED';
      const status = STATUS_TEXT[span.status.code] ?? 'STATUS_CODE_UNSET';
      const key = `${serviceName}\u0000${span.name}\u0000${kind}\u0000${status}`;
      let series = state.series.get(key);
      if (series === undefined) {
        const full =
          state.series.size - (state.series.has(OVERFLOW_KEY) ? 1 : 0) >= this.cardinalityLimit;
        if (full) {
          series =
            state.series.get(OVERFLOW_KEY) ?? this.newSeries({ [OVERFLOW_ATTRIBUTE]: true }, now);
          state.series.set(OVERFLOW_KEY, series);
        } else {
          series = this.newSeries(
            {
              'service.name': serviceName,
              'span.name': span.name,
              'span.kind': kind,
              'status.code': status,
            },
            now,
          );
          state.series.set(key, series);
        }
      }
      this.observe(series, span, now);
    }
  }

  /** The cumulative points of every live series, stamped `nowNs`; exemplars are handed over and cleared. */
  flush(nowNs: bigint): MetricPoint[] {
    const out: MetricPoint[] = [];
    for (const [rk, state] of this.resources) {
      for (const [key, s] of state.series) {
        if (this.expirationNs > 0n && nowNs - s.lastSeenNs >= this.expirationNs) {
          state.series.delete(key);
          continue;
        }
        out.push(
          this.callsPoint(state.resource, s, nowNs),
          this.durationPoint(state.resource, s, nowNs),
        );
        s.exemplars = [];
      }
      if (state.series.size === 0) this.resources.delete(rk);
    }
    return out;
  }

  private observe(s: Series, span: Span, now: bigint): void {
    const ns =
      span.endTimeUnixNano > span.startTimeUnixNano
        ? span.endTimeUnixNano - span.startTimeUnixNano
        : 0n;
    // Whole ms as bigint first keeps precision for long spans; the rest as a fraction.
    const ms = Number(ns / NS_PER_MS) + Number(ns % NS_PER_MS) / 1e6;
    s.calls++;
    s.count++;
    s.sum += ms;
    let i = 0;
    while (i < this.bounds.length && ms > (this.bounds[i] ?? Infinity)) i++;
    s.buckets[i] = (s.buckets[i] ?? 0n) + 1n;
    s.lastSeenNs = now;
    if (s.exemplars.length < this.maxExemplars && span.traceId !== '') {
      s.exemplars.push({
        filteredAttributes: {},
        timeUnixNano: span.endTimeUnixNano,
        value: ms,
        traceId: span.traceId,
        spanId: span.spanId,
      });
    }
  }

  private newSeries(attributes: Attributes, now: bigint): Series {
    return {
      attributes,
      startNs: now,
      lastSeenNs: now,
      calls: 0n,
      count: 0n,
      sum: 0,
      buckets: this.bounds.map(() => 0n).concat([0n]),
      exemplars: [],
    };
  }

  private resourceState(resource: Resource): ResourceState {
    let key = this.resourceKeys.get(resource);
    if (key === undefined) {
      key = attributesKey(resource.attributes);
      this.resourceKeys.set(resource, key);
    }
    let state = this.resources.get(key);
    if (state !== undefined) {
      // Refresh LRU position.
      this.resources.delete(key);
      this.resources.set(key, state);
      return state;
    }
    state = { resource, series: new Map() };
    this.resources.set(key, state);
    while (this.resources.size > this.maxResources) {
      const oldest = this.resources.keys().next();
      if (oldest.done === true) break;
      this.resources.delete(oldest.value);
    }
    return state;
  }

  private callsPoint(resource: Resource, s: Series, nowNs: bigint): SumPoint {
    return {
      type: 'sum',
      resource,
      scope: SCOPE,
      name: this.callsName,
      description: '',
      unit: '',
      metadata: {},
      attributes: s.attributes,
      startTimeUnixNano: s.startNs,
      timeUnixNano: nowNs,
      flags: 0,
      exemplars: s.exemplars,
      temporality: AggregationTemporality.CUMULATIVE,
      isMonotonic: true,
      value: s.calls,
    };
  }

  private durationPoint(resource: Resource, s: Series, nowNs: bigint): HistogramPoint {
    return {
      type: 'histogram',
      resource,
      scope: SCOPE,
      name: this.durationName,
      description: '',
      unit: 'ms',
      metadata: {},
      attributes: s.attributes,
      startTimeUnixNano: s.startNs,
      timeUnixNano: nowNs,
      flags: 0,
      exemplars: s.exemplars,
      temporality: AggregationTemporality.CUMULATIVE,
      count: s.count,
      sum: s.sum,
      min: undefined,
      max: undefined,
      bucketCounts: [...s.buckets],
      explicitBounds: this.bounds,
    };
  }
}

function positiveInt(name: string, v: number, min: number): number {
  if (!Number.isInteger(v) || v < min)
    throw new RangeError(`${name} must be an integer >= ${min}, got ${v}`);
  return v;
}
