// When and how each corpus expression is asked: instant times and range
// windows (each chosen for an edge of the data set in data.ts), and requests
// beyond PromQL that Grafana makes.

/** Instant times, seconds from the first scrape: why each is interesting is in the comment. */
export function instantTimes(startS: number, endS: number): number[] {
  return [
    startS + 120, // windows reaching before the first sample
    startS + 5220, // recommendation is down, its last sample more than 5m ago
    startS + 11085, // the error series' last sample exactly 5m ago (lookback edge)
    startS + 13027.5, // just after the collector restart (counter reset), off the scrape grid
    startS + 15300, // kafka_queue_depth has +Inf and -Inf in the last 10m
    endS + 120, // after the last scrape, within the lookback
    endS + 900, // after the lookback: instant selectors are empty
    startS + 9876.543, // off the grid by milliseconds, mid-data
  ];
}

/** Range queries as [start, end, step] in seconds. */
export function rangeWindows(startS: number, endS: number): [number, number, number][] {
  return [
    [startS - 600, endS + 600, 317], // the whole set, off the scrape grid
    [startS + 10800, startS + 14400, 15], // an hour at the scrape interval: the gap's end and the reset
    [startS + 4500.25, startS + 5600.25, 7.5], // half the scrape interval, off the grid: the restart's gap
  ];
}

const enc = encodeURIComponent;

/**
 * Requests beyond PromQL itself: parameter errors and limits of query and
 * query_range, and the label browser Grafana uses. Compared whole (data
 * exactly, errors by status and errorType).
 */
export function apiPaths(startS: number, endS: number): string[] {
  const q = enc('sum(up)');
  const span = `start=${startS}&end=${endS}`;
  return [
    `/api/v1/query?query=${q}&time=${startS + 600}`,
    `/api/v1/query?query=${q}&time=2026-01-05T01:00:00Z`,
    `/api/v1/query?query=${q}&time=2026-01-05T01:00:00.5%2B01:00`,
    `/api/v1/query?query=${q}&time=yesterday`,
    `/api/v1/query?time=${startS}`,
    `/api/v1/query?query=${q}&time=${startS}&timeout=1x`,
    `/api/v1/query_range?query=${q}&${span}&step=15`,
    `/api/v1/query_range?query=${q}&${span}&step=1m30s`,
    `/api/v1/query_range?query=${q}&${span}&step=1`,
    `/api/v1/query_range?query=${q}&${span}&step=0`,
    `/api/v1/query_range?query=${q}&${span}&step=-15`,
    `/api/v1/query_range?query=${q}&${span}&step=abc`,
    `/api/v1/query_range?query=${q}&start=${endS}&end=${startS}&step=15`,
    `/api/v1/query_range?query=${q}&start=${startS}&step=15`,
    `/api/v1/query_range?query=${enc('up[5m]')}&${span}&step=60`,
    `/api/v1/labels`,
    `/api/v1/labels?${span}`,
    `/api/v1/labels?match[]=${enc('{service_name="recommendation"}')}`,
    `/api/v1/labels?match[]=${enc('up')}&match[]=${enc('kafka_queue_depth')}`,
    `/api/v1/label/__name__/values`,
    `/api/v1/label/service_name/values?${span}`,
    `/api/v1/label/status_code/values?match[]=${enc('traces_span_metrics_calls_total')}`,
    `/api/v1/label/le/values?match[]=${enc('{service_name="cart"}')}`,
    `/api/v1/label/nonexistent/values`,
    `/api/v1/label/bad-name/values`,
    `/api/v1/series?match[]=${enc('up')}`,
    `/api/v1/series?match[]=${enc('{__name__=~"process_.*"}')}&${span}`,
    `/api/v1/series?match[]=${enc('up')}&match[]=${enc('up{service_name="cart"}')}`,
    `/api/v1/series?match[]=${enc('{service_name=""}')}`,
    `/api/v1/series?match[]=${enc('up{')}`,
    `/api/v1/series`,
  ];
}

/** API requests over the classic set (t0S: its first scrape), regex matchers in match[] among them. */
export function classicApiPaths(t0S: number): string[] {
  return [
    '/api/v1/labels',
    `/api/v1/labels?start=${t0S}&end=${t0S + 60}&match[]=up`,
    '/api/v1/label/service/values',
    '/api/v1/label/__name__/values',
    `/api/v1/label/code/values?match[]=${enc('app_requests_total{service="cart"}')}`,
    `/api/v1/series?match[]=up&match[]=${enc('{__name__=~"process_.*"}')}`,
    '/api/v1/series',
    `/api/v1/series?match[]=${enc('{a=""}')}`,
    '/api/v1/label/a-b/values',
    '/api/v1/query?query=up&time=abc',
    '/api/v1/query?query=up&time=1e30',
    '/api/v1/query?query=up&timeout=abc',
    `/api/v1/query?query=up&time=${t0S + 60}&timeout=1m`,
    `/api/v1/query?query=up&time=2023-11-14T22:15:00.000Z`,
    `/api/v1/query?query=up&time=2023-11-14T23:15:00%2B01:00`,
    '/api/v1/query_range?query=up&start=0&end=100000000&step=1',
    '/api/v1/query_range?query=up&start=abc&end=1&step=1',
    '/api/v1/query_range?query=up&start=0&end=1',
    '/api/v1/query_range?query=sum(&start=0&end=1&step=1',
    `/api/v1/series?match[]=${enc('regex_probe{v=~"(?i)k|\\\\pZ"}')}&start=${t0S}&end=${t0S + 3600}`,
    `/api/v1/series?match[]=${enc('{v=~"(a)\\\\1"}')}`,
    `/api/v1/series?match[]=${enc('{v=~"[^[:alpha:]]{2,}"}')}&start=${t0S}&end=${t0S + 3600}`,
    `/api/v1/label/v/values?match[]=${enc('{v=~"(?s).*\\n.*"}')}`,
    `/api/v1/labels?match[]=${enc('{v=~"(?<=a)b"}')}`,
    `/api/v1/query_range?query=${enc('regex_probe{v=~"(?!a)."}')}&start=${t0S}&end=${t0S + 600}&step=60`,
  ];
}
