// The dashboard's panels: the upstream Demo Dashboard's queries (span
// metrics) plus the services' runtime metrics, as editable PromQL templates.
import { formatBytes, formatMillis } from '../../lib/duration';

export interface PanelQuery {
  expr: string;
  legend?: string;
}
export interface PanelDef {
  id: string;
  title: string;
  unit: 'ms' | 'percent' | 'bytes' | 'rate';
  queries: PanelQuery[];
  exemplars?: boolean;
}

const latency = (q: number): string =>
  `histogram_quantile(${q}, sum(rate(traces_span_metrics_duration_milliseconds_bucket{service_name="$service"}[$__rate_interval])) by (le))`;

export const PANELS: PanelDef[] = [
  {
    id: 'latency',
    title: 'Latency (from span metrics)',
    unit: 'ms',
    exemplars: true,
    queries: [
      { expr: latency(0.5), legend: 'p50' },
      { expr: latency(0.95), legend: 'p95' },
      { expr: latency(0.99), legend: 'p99' },
      { expr: latency(0.999), legend: 'p99.9' },
    ],
  },
  {
    id: 'recommendations',
    title: 'Recommendations rate',
    unit: 'rate',
    queries: [
      {
        expr: 'rate(app_recommendations_counter_total{recommendation_type="catalog"}[$__rate_interval])',
        legend: 'catalog',
      },
    ],
  },
  {
    id: 'cpu',
    title: 'CPU',
    unit: 'percent',
    queries: [
      {
        // Runtime metrics carry `job` = "<service.namespace>/<service.name>"
        // (OTel -> Prometheus rules), not service_name; one line per process
        // instance, so a restart after the leak shows as a new line.
        expr: '100 * sum by (instance) (process_cpu_utilization_ratio{job=~"(.+/)?$service"})',
        legend: 'CPU % {{instance}}',
      },
    ],
  },
  {
    id: 'memory',
    title: 'Memory (RSS)',
    unit: 'bytes',
    queries: [
      {
        expr: 'sum by (instance) (process_memory_usage_bytes{job=~"(.+/)?$service"})',
        legend: 'RSS {{instance}}',
      },
    ],
  },
  {
    id: 'requests',
    title: 'Request rate by span name',
    unit: 'rate',
    queries: [
      {
        expr: 'sum by (span_name) (rate(traces_span_metrics_duration_milliseconds_count{service_name="$service"}[$__rate_interval]))',
        legend: '{{span_name}}',
      },
    ],
  },
  {
    id: 'errors',
    title: 'Error rate by span name',
    unit: 'rate',
    queries: [
      {
        expr: 'sum by (span_name) (rate(traces_span_metrics_calls_total{status_code="STATUS_CODE_ERROR", service_name="$service"}[$__rate_interval]))',
        legend: '{{span_name}}',
      },
    ],
  },
  {
    id: 'cpu-all',
    title: 'CPU by service',
    unit: 'percent',
    queries: [{ expr: '100 * sum by (job) (process_cpu_utilization_ratio)', legend: '{{job}}' }],
  },
  {
    id: 'memory-all',
    title: 'Memory (RSS) by service',
    unit: 'bytes',
    queries: [{ expr: 'sum by (job) (process_memory_usage_bytes)', legend: '{{job}}' }],
  },
];

export const FORMATS: Record<PanelDef['unit'], (v: number) => string> = {
  ms: (v) => formatMillis(v),
  percent: (v) => `${Number(v.toFixed(1))}%`,
  bytes: (v) => formatBytes(v),
  rate: (v) => `${Number(v.toPrecision(3))}/s`,
};
