// Derive: span metrics from spans, Prometheus series from OTel metrics.
// The ingest pipeline (collector/pipeline.ts) calls these two classes:
//   connector.consume(spans) on every accepted batch of spans;
//   every DEFAULT_FLUSH_INTERVAL_MS: translator.translate(connector.flush(now));
//   translator.translate(points) on every accepted batch of metric points.

export { PrometheusTranslator } from './prometheus-translator';
export type {
  PrometheusTranslatorOptions,
  TranslateResult,
  TranslatorStats,
} from './prometheus-translator';
export {
  DEFAULT_BUCKETS_MS,
  DEFAULT_FLUSH_INTERVAL_MS,
  DEFAULT_NAMESPACE,
  SpanMetricsConnector,
} from './span-metrics';
export type { SpanMetricsOptions } from './span-metrics';
export { isStaleNaN, STALE_NAN } from './prom-values';
export { labelName, metricName } from './prom-names';
