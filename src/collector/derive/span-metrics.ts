// Span metrics with the collector `spanmetrics` connector's semantics (skeleton).

import type { MetricPoint, Span } from '../../model/telemetry';

export interface SpanMetricsOptions {
  /** Metric name prefix (connector `namespace`, default `traces.span.metrics`). */
  readonly namespace?: string;
  /** Explicit histogram bounds in milliseconds. */
  readonly bucketsMs?: readonly number[];
  /** Max exemplars kept per series between flushes (default 5; 0 disables). */
  readonly exemplarsPerSeries?: number;
  /** Max distinct series per service (connector `aggregation_cardinality_limit`; default 10_000). */
  readonly cardinalityLimit?: number;
  /** Start time used for series first seen (defaults to the first span's end time). */
  readonly nowNs?: () => bigint;
}

export class SpanMetricsConnector {
  constructor(opts: SpanMetricsOptions = {}) {
    void opts;
  }

  consume(spans: readonly Span[]): void {
    void spans;
  }

  flush(nowNs: bigint): MetricPoint[] {
    void nowNs;
    return [];
  }
}
