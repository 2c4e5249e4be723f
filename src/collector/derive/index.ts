// Derive: span metrics from spans, Prometheus series from OTel metrics.
// The ingest pipeline (collector/pipeline.ts) calls these two classes.

export { PrometheusTranslator } from './prometheus-translator';
export type { PrometheusTranslatorOptions, TranslateResult } from './prometheus-translator';
export { SpanMetricsConnector } from './span-metrics';
export type { SpanMetricsOptions } from './span-metrics';
