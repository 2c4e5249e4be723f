// The expressions run against both Prometheus and our engine, grouped as
// issue 5 lists them. Each runs as an instant query at every instant time
// and as range queries; errors count as answers (both must fail alike).
// The dashboard's queries are SCENARIO.md's, with $service=recommendation
// and $__rate_interval=1m (Grafana's value for a 15 s scrape interval).

const B = 'traces_span_metrics_duration_milliseconds_bucket';
const C = 'traces_span_metrics_calls_total';
const N = 'traces_span_metrics_duration_milliseconds_count';
const S = 'traces_span_metrics_duration_milliseconds_sum';
const M = 'process_memory_usage_bytes';
const Q = 'kafka_queue_depth';
const CPU = 'process_cpu_seconds_total';

export const dashboard: readonly string[] = [
  `histogram_quantile(0.50, sum(rate(${B}{service_name="recommendation"}[1m])) by (le))`,
  `histogram_quantile(0.95, sum(rate(${B}{service_name="recommendation"}[1m])) by (le))`,
  `histogram_quantile(0.99, sum(rate(${B}{service_name="recommendation"}[1m])) by (le))`,
  `histogram_quantile(0.999, sum(rate(${B}{service_name="recommendation"}[1m])) by (le))`,
  `sum by (span_name) (rate(${C}{status_code="STATUS_CODE_ERROR", service_name="recommendation"}[1m]))`,
  `sum by (span_name) (rate(${N}{service_name="recommendation"}[1m]))`,
  'rate(app_recommendations_counter_total{recommendation_type="catalog"}[1m])',
  `rate(${CPU}{service_name="recommendation"}[1m]) * 100`,
  `${M}{service_name="recommendation"}`,
];

const selectors: readonly string[] = [
  'up',
  `${C}{service_name="cart"}`,
  `${C}{status_code!="STATUS_CODE_UNSET"}`,
  `${C}{span_name=~".*Recommendation.*"}`,
  `${C}{span_name!~"GET .*", service_name=~"rec.*|front.*"}`,
  '{__name__=~"process_.*", service_name="recommendation"}',
  `{__name__="${M}"}`,
  `${C}{service_name=""}`,
  `${C}{nonexistent=""}`,
  `${B}{le="+Inf"}`,
  `${M} offset 10m`,
  `${M} offset -5m`,
  `${M} @ 1767580000`,
  `${M} @ start()`,
  `${M} @ end() offset 1h`,
  `${M}[2m]`,
  `${Q}[1m] offset 30s`,
  `up[5m] @ 1767590000`,
  `count(up offset 4m59s)`,
];

const counters: readonly string[] = [
  `rate(${C}[5m])`,
  `rate(${C}[1m] offset 3m)`,
  `irate(${C}[1m])`,
  `increase(${C}[10m])`,
  `increase(${CPU}[1h])`,
  `delta(${M}[10m])`,
  `idelta(${M}[2m])`,
  `resets(${C}[1h])`,
  `changes(up[30m])`,
  `deriv(${M}[10m])`,
  `predict_linear(${M}[15m], 600)`,
  `holt_winters(${M}[10m], 0.5, 0.3)`,
  `rate(${Q}[5m])`,
  `delta(${Q}[5m])`,
];

const histograms: readonly string[] = [
  `histogram_quantile(0.9, rate(${B}[5m]))`,
  `histogram_quantile(0.5, sum by (le, service_name) (rate(${B}[5m])))`,
  `histogram_quantile(0.99, sum without (span_name, span_kind, status_code) (increase(${B}[10m])))`,
  `histogram_quantile(0, sum by (le) (rate(${B}[5m])))`,
  `histogram_quantile(1, sum by (le) (rate(${B}[5m])))`,
  `histogram_quantile(1.5, sum by (le) (rate(${B}[5m])))`,
  `histogram_quantile(NaN, sum by (le) (rate(${B}[5m])))`,
  `histogram_quantile(0.9, ${B}{le!="+Inf"})`,
  `rate(${S}[5m]) / rate(${N}[5m])`,
  // Buckets Prometheus must repair or ignore: non-monotonic, a duplicate bound, an unparsable le.
  `histogram_quantile(0.9, ${B}{le!="10"} or label_replace(${B}{le="2"}, "le", "10", "", ""))`,
  `histogram_quantile(0.5, ${B} or label_replace(${B}{le="10"}, "le", "10.0", "", ""))`,
  `histogram_quantile(0.5, label_replace(${B}, "le", "x$1", "le", "(.*)"))`,
  `histogram_quantile(0.5, ${B}{le=~"2|4|[+]Inf"})`,
  `histogram_quantile(0.99, rate(${B}{status_code="STATUS_CODE_ERROR"}[1m]))`,
  `sum(rate(${C}{status_code="STATUS_CODE_ERROR"}[5m])) / sum(rate(${C}[5m]))`,
];

const aggregations: readonly string[] = [
  `sum(rate(${C}[5m]))`,
  `sum by (service_name) (rate(${C}[5m]))`,
  `sum without (span_name, span_kind) (${C})`,
  `avg by (service_name) (${M})`,
  `min(${M})`,
  `max without (instance) (${M})`,
  `count by (status_code) (${C})`,
  `count(${B}) by (service_name)`,
  `group by (service_name, status_code) (${C})`,
  `stddev(${Q})`,
  `stdvar by (service_name) (${M})`,
  `stddev by (le) (${B})`,
  `topk(3, ${C})`,
  `topk by (service_name) (1, ${C})`,
  `bottomk(2, ${M})`,
  `bottomk without (le) (1, ${B})`,
  `quantile(0.9, ${C})`,
  `quantile by (service_name) (0.25, ${B})`,
  `quantile(2, ${M})`,
  `count_values("value", up)`,
  `count_values by (service_name) ("calls", ${C})`,
  `sum(${Q})`,
  `avg(${Q})`,
  `max(${Q})`,
];

const overTime: readonly string[] = [
  `avg_over_time(${M}[10m])`,
  `min_over_time(${Q}[10m])`,
  `max_over_time(${Q}[10m])`,
  `sum_over_time(${Q}[5m])`,
  `count_over_time(up[10m])`,
  `quantile_over_time(0.95, ${M}[30m])`,
  `stddev_over_time(${M}[10m])`,
  `stdvar_over_time(${Q}[10m])`,
  `last_over_time(up[15m])`,
  `present_over_time(${C}{status_code="STATUS_CODE_ERROR"}[10m])`,
  `absent_over_time(${C}{status_code="STATUS_CODE_ERROR"}[2m])`,
  `absent_over_time(nonexistent_metric[5m])`,
];

const subqueries: readonly string[] = [
  `max_over_time(rate(${C}[1m])[30m:1m])`,
  `rate(${CPU}[5m])[10m:]`,
  `avg_over_time(${M}[20m:45s] offset 5m)`,
  `min_over_time(sum(${M})[10m:2m] @ end())`,
  `max_over_time(deriv(${M}[5m])[15m:30s])`,
];

const mathAndLabels: readonly string[] = [
  `abs(${Q})`,
  `ceil(rate(${C}[5m]))`,
  `floor(rate(${C}[5m]))`,
  `round(rate(${C}[5m]), 0.01)`,
  `round(${Q})`,
  `clamp(${Q}, -5, 20)`,
  `clamp(${Q}, 20, -5)`,
  `clamp_min(${Q}, 0)`,
  `clamp_max(${Q}, 10)`,
  `sgn(${Q})`,
  `exp(up)`,
  `ln(${M})`,
  `log2(${M}) - log10(${M})`,
  `sqrt(${Q})`,
  `sin(${Q}) + cos(${Q})`,
  `deg(up) * rad(up)`,
  `label_replace(up, "host", "$1", "instance", "(.*):.*")`,
  `label_replace(up, "service_name", "", "service_name", ".*")`,
  `label_replace(${M}, "foo", "$1-$2", "service_name", "(re)(.*)")`,
  `label_join(${C}, "key", "/", "service_name", "status_code")`,
  `label_join(up, "service_name", "", "instance")`,
];

const misc: readonly string[] = [
  'time()',
  'vector(time())',
  'vector(1) + vector(2)',
  `timestamp(${M})`,
  `timestamp(${M} offset 1m)`,
  `scalar(up{service_name="cart"})`,
  `scalar(up)`,
  `absent(nonexistent_metric{job="x"})`,
  `absent(up)`,
  `absent(up{service_name="recommendation"})`,
  `sort(${M})`,
  `sort_desc(rate(${C}[5m]))`,
  'day_of_week()',
  `hour(timestamp(${M})) + minute(timestamp(${M}))`,
  'days_in_month(vector(1767225600))',
  'month() + year() + day_of_month() + day_of_year()',
  'pi()',
  '"a string"',
  '2 ^ 3 ^ 2',
  '-1 + 2 * 3 % 4 / 5',
];

const binaries: readonly string[] = [
  `${C} / on(service_name, span_name, span_kind, status_code) ${N}`,
  `${S} / ignoring(le) ${N}`,
  `${M} / on(service_name) group_left up`,
  `up * on(service_name) group_right(span_name) ${C}`,
  `${B} / ignoring(le) group_left ${N}`,
  `${M} > 300e6`,
  `${M} > bool 300e6`,
  `300e6 < ${M}`,
  `${Q} == bool ${Q}`,
  `${Q} != 0`,
  `${C} >= on(service_name, span_name, span_kind, status_code) ${N}`,
  `up and on(service_name) ${M}`,
  `${M} and up`,
  `up or ${M}`,
  `${C} unless on(status_code) ${C}{status_code="STATUS_CODE_ERROR"}`,
  `up unless on(service_name) ${C}{status_code="STATUS_CODE_ERROR"}`,
  `${Q} % 7`,
  `${Q} ^ 2`,
  `-${M}`,
  `${M} atan2 up`,
  `1 > bool 2`,
  `up + on() ${M}`,
  `${C} + up`,
  `${M} * 2 - 1`,
];

// Where a TypeScript engine is most likely to drift from Go: RE2 regex
// syntax, literals, NaN ordering, label-set collisions, odd parameters.
// Not here: topk/bottomk ties over computed vectors (`topk(3, up or
// label_replace(up, ...))`): Prometheus 2.42 feeds those to the heap in Go
// map order, and gave 3 different answers in 8 identical range queries.
const edges: readonly string[] = [
  `up{instance=~"[[:alpha:]]+:9464"}`,
  `up{service_name=~"rec"}`,
  `up{service_name=~"(?i)REC.*"}`,
  `up{service_name!~""}`,
  `up{service_name=~"cart|"}`,
  String.raw`up{instance=~"\\w+:\\d+"}`,
  `label_replace(up, "svc", "$svc", "instance", "(?P<svc>[a-z]+):.*")`,
  `label_replace(up, "x", "$1$2", "instance", "([a-z]+)")`,
  `label_replace(up, "x", "\u00e9-$1", "service_name", "(.*)")`,
  `{service_name=~".*"}`,
  `{__name__=~"up|kafka_queue_depth"} offset 1h30m`,
  `count_over_time(up[1h5m])`,
  `0x10 + 1e3 + Inf - Inf`,
  `vector(NaN) + -Inf`,
  `sort(${Q})`,
  `sort_desc(${Q})`,
  `topk(1, ${Q})`,
  `bottomk(1, ${Q})`,
  `min(${Q}) + max(${Q})`,
  `quantile(0.5, ${Q})`,
  `quantile(NaN, ${Q})`,
  `max_over_time(${Q}[2m])`,
  `quantile_over_time(1.5, ${Q}[5m])`,
  `changes(${Q}[10m])`,
  `topk(scalar(count(up)), ${C})`,
  `count_values("le", ${B})`,
  `sum by (__name__) ({__name__=~"process_.*"})`,
  `sum by (nonexistent) (up)`,
  `count without () (up)`,
  `${M} * on(service_name) group_left(job) up`,
  `rate(${C}[5m:15s])`,
  `rate(${C}[5m])[30m:5m] @ 1767580000`,
  `last_over_time(${M}[5m] offset 1h)`,
  `time() - timestamp(up)`,
  `scalar(vector(1)) + 1`,
  `up == bool 1`,
  `absent(nonexistent{a="b", c=~"d"})`,
  `absent(sum(nonexistent))`,
  `vector(1) and on() absent(nonexistent)`,
  `holt_winters(${M}[10m], 0, 0.5)`,
  `predict_linear(${M}[10m], scalar(count(up)) * 60)`,
  `round(${Q}, 0)`,
  `ln(${Q}) * sqrt(${Q})`,
  `irate(${CPU}[10m])`,
  `idelta(${M}[30m])`,
  `sum(${Q}) / count(${Q})`,
];

// Number spelling, arithmetic corners, nesting and matching errors.
const corners: readonly string[] = [
  'vector(1e21) + vector(1e-7) * 0',
  'vector(1e-7)',
  'vector(123456789012345680000)',
  'vector(0.1 + 0.2)',
  'vector(-0)',
  'vector(-Inf)',
  'scalar(vector(NaN))',
  `count_values("v", ${Q} / 1e9)`,
  `count_values("v", ${M} * 1e15)`,
  '-2 ^ 2',
  '2 * 3 ^ 2',
  '2 ^ -1',
  '1 / 0 + -1 / 0',
  '0 / 0',
  `${Q} / 0`,
  `${Q} % 0`,
  `-up == bool -1`,
  `round(${Q}, -3)`,
  `clamp(${Q}, NaN, 5)`,
  `month(${Q})`,
  'year(vector(NaN)) + month(vector(Inf)) + day_of_month(vector(-Inf)) + day_of_week(vector(1e20)) + day_of_year(vector(NaN)) + days_in_month(vector(NaN)) + hour(vector(NaN)) + minute(vector(NaN))',
  'year(vector(1e13)) + month(vector(-1e13))',
  `up @ 1767580000.5`,
  `avg_over_time(up[10m:1m] @ 1767580000 offset 5m)`,
  `max_over_time(avg_over_time(up[5m:1m])[10m:2m])`,
  `timestamp(rate(${C}[5m]))`,
  `changes(${CPU}[1h] @ end())`,
  `label_join(up, "new", ",")`,
  `sum by (le) (${B}) / on() group_left sum(${N})`,
  `holt_winters(${Q}[5m], 0.5, 0.5)`,
];

// The lexer and parser, and label sets that collide once __name__ is dropped.
const syntax: readonly string[] = [
  '1_000',
  '.5 + 5. + 1E3',
  'inf + nan + Inf',
  '0x1p3',
  'up # a comment',
  'sum(\n  up\n)',
  `up{on="x"}`,
  'sum by (bool) (up)',
  'job:up:sum',
  `label_replace(up, "x", 'single', "", "")`,
  'label_replace(up, "x", `raw\\d`, "", "")',
  String.raw`label_replace(up, "x", "\x41\u00e9\n日本", "", "")`,
  `label_replace(up, "__name__", "renamed", "", "")`,
  `label_replace(up, "service_name", "x", "", "")`,
  `rate({__name__=~"${C}|${N}"}[5m])`,
  `{__name__=~"up|${M}"} + 1`,
  `-{__name__=~"up|${Q}"}`,
  `last_over_time({__name__=~"up|${M}"}[5m])`,
  `timestamp(up @ 1767580000)`,
  'sum_over_time(vector(1)[5m:1m])',
  'vector(1) @ 1767580000',
  'rate(up[1.5h])',
  'up offset 5M',
];

const errors: readonly string[] = [
  `${C} / on(service_name) ${N}`,
  `up * on(service_name) group_left ${C}`,
  `up and on(service_name) group_left ${M}`,
  'vector(time()) offset 5m',
  'time() @ 123',
  'up[0s]',
  'rate(up[5m:0s])',
  `holt_winters(${M}[10m], 1.5, 0.5)`,
  `quantile_over_time(0.5, "x")`,
  'sum(',
  'rate(up)',
  '1 > 2',
  `up[5m] + 1`,
  'foo{',
  `label_replace(up, "a-b", "x", "service_name", ".*")`,
  `topk(1e20, up)`,
  'histogram_quantile(0.9)',
  'up @ 1e20',
  `up{instance=~"\\w+"}`, // "\w" is not a valid escape in a double-quoted PromQL string
];

// Every range function over windows around the scrape interval (one sample,
// two, a few) and long ones, on a counter with resets and a gauge with a gap:
// where extrapolation and window boundaries go wrong first.
const windows = ['15s', '29s', '45s', '2m', '17m'];
const perWindow: readonly string[] = [
  ...['rate', 'irate', 'increase', 'resets'].flatMap((f) =>
    windows.map((w) => `${f}(${CPU}[${w}])`),
  ),
  ...['delta', 'idelta', 'deriv', 'changes', 'stddev_over_time', 'last_over_time'].flatMap((f) =>
    windows.map((w) => `${f}(${M}{service_name="recommendation"}[${w}])`),
  ),
  ...windows.map((w) => `rate(${C}{status_code="STATUS_CODE_ERROR"}[${w}] offset 7s)`),
  ...windows.map((w) => `predict_linear(${M}{service_name="recommendation"}[${w}], 3600)`),
  ...windows.map((w) => `avg_over_time(rate(${CPU}[1m])[${w}:20s])`),
];

export const corpus: readonly string[] = [
  ...dashboard,
  ...selectors,
  ...counters,
  ...histograms,
  ...aggregations,
  ...overTime,
  ...subqueries,
  ...mathAndLabels,
  ...misc,
  ...binaries,
  ...edges,
  ...perWindow,
  ...corners,
  ...syntax,
  ...errors,
];
