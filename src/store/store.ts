// The TelemetryStore seam: writes by batch, reads by intent.
//
// Every implementation (in-memory for tests, DuckDB for real use) passes the
// same contract suite (store/contract.ts, `runStoreContract`). Callers never
// see SQL. Shared rules (tag matching, label matchers, value text) live in
// span-match.ts, labels.ts and values.ts.

import type {
  Labels,
  LogRecord,
  MetricPoint,
  PromMetadata,
  SeriesExemplars,
  SeriesSamples,
  Span,
  SpanKind,
  StatusCode,
  TelemetryBatch,
  UnixNano,
} from '../model/telemetry';

/** A time window in nanoseconds, inclusive start, exclusive end. */
export interface TimeRange {
  readonly start: UnixNano;
  readonly end: UnixNano;
}

export type TraceSort = 'recent' | 'longest' | 'shortest' | 'most-spans';

export interface TraceQuery {
  readonly range: TimeRange;
  /** Only traces with a span of this service (resource `service.name`). */
  readonly service?: string;
  /** With `service`: that span's name. */
  readonly operation?: string;
  readonly spanKind?: SpanKind;
  /**
   * All must match on one span (the span of `service`/`operation` when
   * given). Values are compared as text; the keys `error`, `span.kind`,
   * `otel.status_code` follow Jaeger's conventions. Resource attributes
   * match too.
   */
  readonly attributes?: Readonly<Record<string, string>>;
  /** Duration bounds in nanoseconds of the matching span. */
  readonly minDuration?: bigint;
  readonly maxDuration?: bigint;
  readonly limit: number;
  readonly sort?: TraceSort;
}

/** One row of a trace search: enough to draw a list and a scatter plot. */
export interface TraceSummary {
  readonly traceId: string;
  readonly rootService: string;
  readonly rootName: string;
  readonly startTimeUnixNano: UnixNano;
  readonly durationNano: bigint;
  readonly spanCount: number;
  readonly errorCount: number;
  /** Span count per service. */
  readonly services: Readonly<Record<string, number>>;
}

export interface Operation {
  readonly name: string;
  readonly spanKind: SpanKind;
}

export interface DependencyEdge {
  readonly parent: string;
  readonly child: string;
  readonly callCount: number;
  readonly errorCount: number;
}

/** Which spans an attribute distribution is computed over. */
export interface SpanFilter {
  readonly range: TimeRange;
  readonly service?: string;
  readonly operation?: string;
  readonly attributes?: Readonly<Record<string, string>>;
  readonly minDuration?: bigint;
  readonly maxDuration?: bigint;
  readonly status?: StatusCode;
}

/** Duration percentiles and a histogram of the spans a filter selects. */
export interface DurationDistribution {
  readonly count: number;
  /** Nanoseconds at p50, p90, p95, p99, p99.9 (0 when count is 0). */
  readonly quantiles: Readonly<Record<'p50' | 'p90' | 'p95' | 'p99' | 'p999', number>>;
  /** Log-spaced buckets: upper bound in nanoseconds and count. */
  readonly buckets: readonly { readonly le: number; readonly count: number }[];
}

export type MatchOp = '=' | '!=' | '=~' | '!~';
/**
 * A Prometheus label matcher. For `=~` and `!~` the value is an RE2 pattern,
 * fully anchored; every store matches it with RE2's rules (`labels.ts`).
 */
export interface LabelMatcher {
  readonly name: string;
  readonly op: MatchOp;
  readonly value: string;
}

/** Millisecond range for the Prometheus side, inclusive at both ends. */
export interface MsRange {
  readonly minT: number;
  readonly maxT: number;
}

export interface LogQuery {
  readonly range: TimeRange;
  readonly service?: string;
  /** Minimum severity number (1..24). */
  readonly minSeverity?: number;
  /** Case-insensitive substring of the body (as text). */
  readonly text?: string;
  readonly traceId?: string;
  readonly spanId?: string;
  readonly limit: number;
}

/** Raw OTLP metric points, as received (for read-back and the lab API). */
export interface MetricPointQuery {
  /** On the point's `timeUnixNano`. */
  readonly range: TimeRange;
  readonly name?: string;
  readonly service?: string;
  readonly limit: number;
}

/** Which attribute values the spans of a filter carry, to see what separates slow or failing spans. */
export interface AttributeDistribution {
  /** Spans the filter selected. */
  readonly spanCount: number;
  /** One entry per span attribute key, sorted by key. */
  readonly keys: readonly {
    readonly key: string;
    /** Spans carrying the key. */
    readonly spanCount: number;
    /** Most frequent values first (ties by value), at most `maxValuesPerKey`. */
    readonly values: readonly { readonly value: string; readonly count: number }[];
  }[];
}

export interface StoreStats {
  readonly spans: number;
  readonly logs: number;
  readonly metricPoints: number;
  readonly series: number;
  readonly samples: number;
  /** Bytes on disk (0 in memory). */
  readonly bytesOnDisk: number;
  /**
   * Of those, bytes in free blocks (deletes free them, later writes reuse
   * them): at least what `otel-lab compact` gives back (0 in memory).
   */
  readonly bytesFree: number;
}

export interface RetentionPolicy {
  /** Drop data older than this many nanoseconds (relative to now). */
  readonly maxAge?: bigint;
  /** Drop oldest data until the store is under this many bytes on disk. */
  readonly maxBytes?: number;
}

/** Bound on the ids of one `getTraces` call. */
export const MAX_TRACES_PER_READ = 1500;

export interface TelemetryStore {
  /**
   * Resolves once the batch is durable (committed); rejects and stores nothing
   * on failure: `InvalidBatchError` (src/store/validate.ts) for a malformed
   * item, any other error for a storage failure (disk full, ...).
   */
  write(batch: TelemetryBatch): Promise<void>;

  // Traces
  /** All spans of the trace (id in any case), by start time then span id; [] when unknown. */
  getTrace(traceId: string): Promise<Span[]>;
  /**
   * Several traces at once (what a search result needs): the spans of each
   * known id, as `getTrace` gives them; unknown ids are left out. At most
   * MAX_TRACES_PER_READ ids.
   */
  getTraces(traceIds: readonly string[]): Promise<Map<string, Span[]>>;
  /**
   * Traces with a span matching every criterion (start in range), summarized
   * over all their spans, sorted (default 'recent'; ties by trace id), at most `limit`.
   */
  searchTraces(query: TraceQuery): Promise<TraceSummary[]>;
  /** Sorted `service.name`s of spans (starting in `range` when given). */
  services(range?: TimeRange): Promise<string[]>;
  operations(service: string, spanKind?: SpanKind): Promise<Operation[]>;
  /** Parent -> child service edges of spans that both start in range (same-service edges left out). */
  dependencies(range: TimeRange): Promise<DependencyEdge[]>;
  durationDistribution(filter: SpanFilter): Promise<DurationDistribution>;
  attributeDistribution(
    filter: SpanFilter,
    maxValuesPerKey: number,
  ): Promise<AttributeDistribution>;

  // Raw OTLP metric points, newest first
  searchMetricPoints(query: MetricPointQuery): Promise<MetricPoint[]>;

  // Metrics (Prometheus model)
  /**
   * Series matching all matchers with their samples in range (sorted by t;
   * series without samples there left out). Label sets drop empty values;
   * regexes are fully anchored; an invalid regex rejects.
   */
  selectSeries(matchers: readonly LabelMatcher[], range: MsRange): Promise<SeriesSamples[]>;
  labelNames(matchers: readonly LabelMatcher[][], range: MsRange): Promise<string[]>;
  labelValues(name: string, matchers: readonly LabelMatcher[][], range: MsRange): Promise<string[]>;
  /** Series label sets matching any of the matcher sets (Prometheus `/series`). */
  series(matchers: readonly LabelMatcher[][], range: MsRange): Promise<Labels[]>;
  exemplars(matchers: readonly LabelMatcher[][], range: MsRange): Promise<SeriesExemplars[]>;
  /** One entry per metric (the last written), sorted by metric. */
  metadata(metric?: string): Promise<PromMetadata[]>;

  // Logs
  /** Newest first; a record's time is `timeUnixNano`, or `observedTimeUnixNano` when that is 0. */
  searchLogs(query: LogQuery): Promise<LogRecord[]>;

  // Housekeeping
  stats(): Promise<StoreStats>;
  /** Oldest first; call periodically (the DuckDB store also compacts its trace index then). */
  applyRetention(policy: RetentionPolicy, now: UnixNano): Promise<void>;
  close(): Promise<void>;
}

/** Refuses a `getTraces` call over the bound, naming it. */
export function checkTraceIds(traceIds: readonly string[]): void {
  if (traceIds.length > MAX_TRACES_PER_READ) {
    throw new RangeError(
      `getTraces: ${traceIds.length} trace ids, at most ${MAX_TRACES_PER_READ} per read`,
    );
  }
}
