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
  readonly key: string;
  readonly attributes: Attributes;
  readonly startNs: bigint;
  lastSeenNs: bigint;
  // Counts as doubles (exact to 2^53 spans), made bigint on flush: a bigint
  // increment allocates, and this runs for every span.
  calls: number;
  count: number;
  sum: number;
  readonly buckets: number[];
  exemplars: Exemplar[];
}

interface ResourceState {
  readonly resource: Resource;
  /** `service.name` as label text, the same for every span of the resource. */
  readonly serviceName: string;
  /** Every series, in the order first seen (the flush order), by key. */
  readonly series: Map<string, Series>;
  /**
   * The same series by span name, then kind x status: finding a span's series
   * takes one lookup of a string the decoder already hashed instead of
   * building and hashing a four-part key per span.
   */
  readonly byName: Map<string, (Series | undefined)[]>;
}

/** Slots per span name: the kinds times the statuses the connector names. */
const KINDS = 6;
const STATUSES = 3;

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
    // The spans of one request share a few resource objects: look each up once per run of spans.
    let lastResource: Resource | undefined;
    let state: ResourceState | undefined;
    for (const span of spans) {
      if (span.resource !== lastResource) {
        lastResource = span.resource;
        const service = span.resource.attributes['service.name'];
        state =
          service === undefined || service === null
            ? undefined
            : this.resourceState(span.resource, valueText(service));
      }
      if (state === undefined) {
        this.skipped++;
        continue;
      }
      const kind = KIND_TEXT[span.kind] === undefined ? SpanKind.UNSPECIFIED : span.kind;
      const status =
        STATUS_TEXT[span.status.code] === undefined ? StatusCode.UNSET : span.status.code;
      const slot = kind * STATUSES + status;
      let slots = state.byName.get(span.name);
      let series = slots?.[slot];
      if (series === undefined) {
        series = this.seriesFor(state, span.name, kind, status, now);
        // The overflow series is not cached under the span's name: were the
        // series it stands for to expire, the span should get its own again.
        if (series.key !== OVERFLOW_KEY) {
          if (slots === undefined) {
            slots = new Array<Series | undefined>(KINDS * STATUSES).fill(undefined);
            state.byName.set(span.name, slots);
          }
          slots[slot] = series;
        }
      }
      this.observe(series, span, now);
    }
  }

  /** A span's series when it is not in `byName`: new, or the overflow series when the resource is full. */
  private seriesFor(
    state: ResourceState,
    name: string,
    kind: number,
    status: number,
    now: bigint,
  ): Series {
    const kindText = KIND_TEXT[kind] as string;
    const statusText = STATUS_TEXT[status] as string;
    const key = `${state.serviceName}\u0000${name}\u0000${kindText}\u0000${statusText}`;
    const known = state.series.get(key);
    if (known !== undefined) return known;
    const full =
      state.series.size - (state.series.has(OVERFLOW_KEY) ? 1 : 0) >= this.cardinalityLimit;
    if (full) {
      let overflow = state.series.get(OVERFLOW_KEY);
      if (overflow === undefined) {
        overflow = this.newSeries(OVERFLOW_KEY, { [OVERFLOW_ATTRIBUTE]: true }, now);
        state.series.set(OVERFLOW_KEY, overflow);
      }
      return overflow;
    }
    const series = this.newSeries(
      key,
      {
        'service.name': state.serviceName,
        'span.name': name,
        'span.kind': kindText,
        'status.code': statusText,
      },
      now,
    );
    state.series.set(key, series);
    return series;
  }

  /** The cumulative points of every live series, stamped `nowNs`; exemplars are handed over and cleared. */
  flush(nowNs: bigint): MetricPoint[] {
    const out: MetricPoint[] = [];
    for (const [rk, state] of this.resources) {
      for (const [key, s] of state.series) {
        if (this.expirationNs > 0n && nowNs - s.lastSeenNs >= this.expirationNs) {
          state.series.delete(key);
          const name = s.attributes['span.name'];
          if (typeof name === 'string') {
            const slots = state.byName.get(name);
            const i = slots?.indexOf(s) ?? -1;
            if (slots !== undefined && i >= 0) {
              slots[i] = undefined;
              if (slots.every((x) => x === undefined)) state.byName.delete(name);
            }
          }
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
    const ms = durationMs(span.startTimeUnixNano, span.endTimeUnixNano);
    s.calls++;
    s.count++;
    s.sum += ms;
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && ms > (bounds[i] as number)) i++;
    s.buckets[i] = (s.buckets[i] as number) + 1;
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

  private newSeries(key: string, attributes: Attributes, now: bigint): Series {
    return {
      key,
      attributes,
      startNs: now,
      lastSeenNs: now,
      calls: 0,
      count: 0,
      sum: 0,
      buckets: new Array<number>(this.bounds.length + 1).fill(0),
      exemplars: [],
    };
  }

  private resourceState(resource: Resource, serviceName: string): ResourceState {
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
    state = { resource, serviceName, series: new Map(), byName: new Map() };
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
      value: BigInt(s.calls),
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
      count: BigInt(s.count),
      sum: s.sum,
      min: undefined,
      max: undefined,
      bucketCounts: s.buckets.map((n) => BigInt(n)),
      explicitBounds: this.bounds,
    };
  }
}

/**
 * A span's duration in ms, as whole ms plus the rest as a fraction (exact
 * for long spans); in doubles when the nanoseconds fit 2^53 (104 days), the
 * same value the bigint division gives without its allocations.
 */
export function durationMs(startNs: bigint, endNs: bigint): number {
  if (endNs <= startNs) return 0;
  const d = endNs - startNs;
  if (d <= MAX_SAFE_NS) {
    const n = Number(d);
    const rest = n % 1e6;
    return (n - rest) / 1e6 + rest / 1e6;
  }
  return Number(d / NS_PER_MS) + Number(d % NS_PER_MS) / 1e6;
}

const MAX_SAFE_NS = BigInt(Number.MAX_SAFE_INTEGER);

function positiveInt(name: string, v: number, min: number): number {
  if (!Number.isInteger(v) || v < min)
    throw new RangeError(`${name} must be an integer >= ${min}, got ${v}`);
  return v;
}
