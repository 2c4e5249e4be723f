// A seeded, deterministic sample set shaped like the memory-leak scenario's
// metrics: span-metrics histograms and call counters, runtime gauges and
// counters of a service that leaks, gets killed and restarts, a scrape target
// that goes away for longer than the lookback, and a gauge with NaN and
// +-Inf. Both the differential test and bench/promql-vs-prometheus.mjs load
// it into our store and, as OpenMetrics text, into a real Prometheus.

import type { Sample, SeriesSamples } from '../../../src/model/telemetry';

/** 2026-01-05T00:00:00Z: fixed so that day_of_week() and friends are reproducible. */
export const defaultStartMs = Date.UTC(2026, 0, 5);
export const scrapeMs = 15_000;

/** The span-metrics connector's default buckets (ms), as SCENARIO.md lists them. */
export const spanBuckets = [
  2, 4, 6, 8, 10, 50, 100, 200, 400, 800, 1000, 1400, 2000, 5000, 10000, 15000,
];

export interface DataOptions {
  readonly seed?: number;
  readonly startMs?: number;
  readonly hours?: number;
  /** Services with span metrics; the first one leaks. */
  readonly services?: readonly string[];
}

export interface DataSet {
  readonly startMs: number;
  /** Time of the last scrape. */
  readonly endMs: number;
  readonly series: SeriesSamples[];
  readonly sampleCount: number;
}

/** mulberry32: small, seeded, the same on every platform. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface SpanSeries {
  readonly service: string;
  readonly span: string;
  readonly kind: string;
  readonly status: string;
  /** Whether this scrape index exists (series born late or with a gap). */
  readonly present: (i: number) => boolean;
  /** Calls in one scrape interval. */
  readonly calls: (i: number, r: () => number) => number;
  /** One call's latency in ms. */
  readonly latency: (i: number, r: () => number) => number;
  /** Scrape indexes where the collector restarted: counters start over. */
  readonly resets: ReadonlySet<number>;
}

function spanSeriesFor(services: readonly string[], n: number): SpanSeries[] {
  const leak = services[0] ?? 'recommendation';
  // The leaking service restarts every ~90 minutes; its latency grows with the cache.
  const sinceRestart = (i: number): number => i % 360;
  const out: SpanSeries[] = [];
  for (const [k, service] of services.entries()) {
    const leaking = service === leak;
    out.push({
      service,
      span: leaking
        ? '/oteldemo.RecommendationService/ListRecommendations'
        : `/oteldemo.${service}/Call`,
      kind: 'SPAN_KIND_SERVER',
      status: 'STATUS_CODE_UNSET',
      present: () => true,
      calls: (_i, r) => Math.floor(r() * (6 + k)),
      latency: leaking
        ? (i, r) => 3 + sinceRestart(i) * 4 * r() + r() * r() * 60
        : (_i, r) => 1 + r() * r() * (30 + 20 * k),
      resets: new Set(k === 1 ? [Math.floor(n * 0.6)] : []),
    });
  }
  out.push({
    service: leak,
    span: '/oteldemo.RecommendationService/ListRecommendations',
    kind: 'SPAN_KIND_SERVER',
    status: 'STATUS_CODE_ERROR',
    // Errors only start a third of the way in, and stop for 12 minutes once.
    present: (i) =>
      i >= Math.floor(n / 3) && (i < Math.floor(n / 2) || i >= Math.floor(n / 2) + 48),
    calls: (_i, r) => (r() < 0.3 ? 1 : 0),
    latency: (_i, r) => 900 + r() * 9000,
    resets: new Set([Math.floor(n * 0.6)]),
  });
  out.push({
    service: 'frontend',
    span: 'GET /api/recommendations',
    kind: 'SPAN_KIND_SERVER',
    status: 'STATUS_CODE_UNSET',
    present: () => true,
    calls: (_i, r) => 2 + Math.floor(r() * 5),
    latency: (i, r) => 5 + sinceRestart(i) * 3 * r() + r() * 40,
    resets: new Set(),
  });
  return out;
}

function spanMetrics(s: SpanSeries, times: readonly number[], r: () => number): SeriesSamples[] {
  const base = {
    service_name: s.service,
    span_name: s.span,
    span_kind: s.kind,
    status_code: s.status,
  };
  const buckets: Sample[][] = spanBuckets.map(() => []);
  const inf: Sample[] = [];
  const sums: Sample[] = [];
  const counts = spanBuckets.map(() => 0);
  let total = 0;
  let sum = 0;
  for (const [i, t] of times.entries()) {
    if (s.resets.has(i)) {
      counts.fill(0);
      total = 0;
      sum = 0;
    }
    const calls = s.calls(i, r);
    for (let c = 0; c < calls; c++) {
      // Whole microseconds, as the connector records; String() round-trips the float exactly.
      const ms = Math.round(s.latency(i, r) * 1000) / 1000;
      sum += ms;
      total++;
      for (const [j, le] of spanBuckets.entries()) if (ms <= le) counts[j] = (counts[j] ?? 0) + 1;
    }
    if (!s.present(i)) continue;
    for (const [j, c] of counts.entries()) buckets[j]?.push({ t, v: c });
    inf.push({ t, v: total });
    sums.push({ t, v: sum });
  }
  const name = 'traces_span_metrics_duration_milliseconds';
  return [
    ...spanBuckets.map((le, j) => ({
      labels: { __name__: `${name}_bucket`, ...base, le: String(le) },
      samples: buckets[j] ?? [],
    })),
    { labels: { __name__: `${name}_bucket`, ...base, le: '+Inf' }, samples: inf },
    { labels: { __name__: `${name}_sum`, ...base }, samples: sums },
    { labels: { __name__: `${name}_count`, ...base }, samples: inf.map((p) => ({ ...p })) },
    {
      labels: { __name__: 'traces_span_metrics_calls_total', ...base },
      samples: inf.map((p) => ({ ...p })),
    },
  ];
}

function runtimeMetrics(
  leak: string,
  other: string,
  times: readonly number[],
  r: () => number,
): SeriesSamples[] {
  const n = times.length;
  // The leaking process is killed every 360 scrapes and is down for 10 minutes (40 scrapes).
  const down = (i: number): boolean => i % 360 >= 320;
  const mem: Sample[] = [];
  const cpu: Sample[] = [];
  const recs: Sample[] = [];
  const up: Sample[] = [];
  let cpuTotal = 0;
  let recTotal = 0;
  for (const [i, t] of times.entries()) {
    if (down(i)) {
      cpuTotal = 0;
      recTotal = 0;
      continue;
    }
    const age = i % 360;
    mem.push({ t, v: 180e6 + age * age * 3000 + Math.floor(r() * 4e6) });
    cpuTotal += Math.round((0.2 + age / 300 + r() * 0.5) * 1000) / 1000;
    cpu.push({ t, v: cpuTotal });
    recTotal += 5 * Math.floor(r() * 4);
    recs.push({ t, v: recTotal });
    up.push({ t, v: 1 });
  }
  const steady = times.map((t) => ({ t, v: 120e6 + Math.floor(r() * 2e6) }));
  const queue = times.map((t, i) => {
    if (i % 97 === 13) return { t, v: NaN };
    if (i === Math.floor(n * 0.7)) return { t, v: Infinity };
    if (i === Math.floor(n * 0.7) + 20) return { t, v: -Infinity };
    return { t, v: Math.floor(r() * 50) - 10 };
  });
  const svc = (s: string) => ({
    service_name: s,
    job: `opentelemetry-demo/${s}`,
    instance: `${s}:9464`,
  });
  return [
    { labels: { __name__: 'process_memory_usage_bytes', ...svc(leak) }, samples: mem },
    { labels: { __name__: 'process_memory_usage_bytes', ...svc(other) }, samples: steady },
    { labels: { __name__: 'process_cpu_seconds_total', ...svc(leak) }, samples: cpu },
    {
      labels: {
        __name__: 'app_recommendations_counter_total',
        recommendation_type: 'catalog',
        ...svc(leak),
      },
      samples: recs,
    },
    { labels: { __name__: 'up', ...svc(leak) }, samples: up },
    { labels: { __name__: 'up', ...svc(other) }, samples: times.map((t) => ({ t, v: 1 })) },
    {
      labels: { __name__: 'kafka_queue_depth', service_name: 'kafka', topic: 'orders' },
      samples: queue,
    },
    // Often NaN, so that sort, topk, min/max and quantiles meet NaN at the instant times.
    {
      labels: { __name__: 'kafka_queue_depth', service_name: 'kafka', topic: 'payments' },
      samples: times.map((t, i) => ({ t, v: i % 4 === 0 ? NaN : Math.floor(r() * 30) })),
    },
  ];
}

export function generate(opts: DataOptions = {}): DataSet {
  const startMs = opts.startMs ?? defaultStartMs;
  const n = Math.round(((opts.hours ?? 6) * 3600_000) / scrapeMs);
  const times = Array.from({ length: n }, (_, i) => startMs + i * scrapeMs);
  const services = opts.services ?? ['recommendation', 'cart'];
  const r = rng(opts.seed ?? 20_231_114);
  const series = [
    ...spanSeriesFor(services, n).flatMap((s) => spanMetrics(s, times, r)),
    ...runtimeMetrics(services[0] ?? 'recommendation', services[1] ?? 'cart', times, r),
  ].filter((s) => s.samples.length > 0);
  const sampleCount = series.reduce((a, s) => a + s.samples.length, 0);
  return { startMs, endMs: startMs + (n - 1) * scrapeMs, series, sampleCount };
}

/** Go's strconv.FormatFloat(v, 'g', -1, 64) spelling, which OpenMetrics parsers accept. */
function omValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

function omLabelValue(v: string): string {
  return `"${v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')}"`;
}

/**
 * The series as OpenMetrics text for `promtool tsdb create-blocks-from openmetrics`.
 * Series of one metric name are written together (OpenMetrics wants families contiguous);
 * no TYPE lines, so every family is "unknown" and `_bucket`/`_total` names stay as written.
 */
export function toOpenMetrics(series: readonly SeriesSamples[]): string {
  const byName = new Map<string, SeriesSamples[]>();
  for (const s of series) {
    const name = s.labels['__name__'] ?? '';
    byName.set(name, [...(byName.get(name) ?? []), s]);
  }
  const lines: string[] = [];
  for (const [name, group] of byName) {
    for (const s of group) {
      const labels = Object.entries(s.labels)
        .filter(([k]) => k !== '__name__')
        .map(([k, v]) => `${k}=${omLabelValue(v)}`)
        .join(',');
      for (const p of s.samples) lines.push(`${name}{${labels}} ${omValue(p.v)} ${p.t / 1000}`);
    }
  }
  lines.push('# EOF');
  return lines.join('\n') + '\n';
}

/** 2023-11-14T22:13:20Z: the classic set's first scrape; its queries use absolute times from here. */
export const classicStartMs = 1_700_000_000_000;
const classicScrapes = 240;

/**
 * A second, smaller set an hour long, 2.2 years before the scenario set (so
 * neither is within the other's lookback): request counters with a reset,
 * a growing memory gauge, classic histograms in seconds, a target that goes
 * away for 20 minutes, a gauge with NaN, and `regex_probe` series whose label
 * values are the corner cases of RE2 against JavaScript regexes.
 */
export function classicSeries(seed = 42): SeriesSamples[] {
  const r = rng(seed);
  const out: SeriesSamples[] = [];
  const times = Array.from({ length: classicScrapes }, (_, i) => classicStartMs + i * scrapeMs);
  for (const [service, code, perScrape] of [
    ['cart', '200', 12],
    ['cart', '500', 1],
    ['checkout', '200', 7],
  ] as const) {
    let v = 0;
    out.push({
      labels: { __name__: 'app_requests_total', service, code },
      samples: times.map((t, i) => {
        // checkout restarts half way: a counter reset.
        if (service === 'checkout' && i === 120) v = 0;
        v += Math.round(perScrape * (0.5 + r()));
        return { t, v };
      }),
    });
  }
  let mem = 200e6;
  out.push({
    labels: { __name__: 'process_memory_bytes', service: 'recommendation' },
    samples: times.map((t) => ({ t, v: (mem += 50_000 + Math.round(r() * 20_000)) })),
  });
  out.push({
    labels: { __name__: 'process_memory_bytes', service: 'cart' },
    samples: times.map((t) => ({ t, v: 120e6 + Math.round(r() * 1e6) })),
  });
  const bounds = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '+Inf'];
  for (const service of ['cart', 'checkout']) {
    const counts = bounds.map(() => 0);
    let sum = 0;
    const perBucket: Sample[][] = bounds.map(() => []);
    const sums: Sample[] = [];
    for (const t of times) {
      for (let k = 0; k < 5; k++) {
        const latency = service === 'cart' ? r() * 0.08 : r() * r() * 0.9;
        sum += latency;
        bounds.forEach((b, j) => {
          if (b === '+Inf' || latency <= Number(b)) counts[j] = (counts[j] ?? 0) + 1;
        });
      }
      bounds.forEach((_, j) => perBucket[j]?.push({ t, v: counts[j] ?? 0 }));
      sums.push({ t, v: sum });
    }
    bounds.forEach((le, j) =>
      out.push({
        labels: { __name__: 'rpc_duration_seconds_bucket', service, le },
        samples: perBucket[j] ?? [],
      }),
    );
    out.push({ labels: { __name__: 'rpc_duration_seconds_sum', service }, samples: sums });
    out.push({
      labels: { __name__: 'rpc_duration_seconds_count', service },
      samples: (perBucket[bounds.length - 1] ?? []).map((p) => ({ ...p })),
    });
  }
  out.push({
    labels: { __name__: 'up', service: 'cart', instance: 'cart:7070' },
    samples: times.map((t) => ({ t, v: 1 })),
  });
  out.push({
    labels: { __name__: 'up', service: 'ad', instance: 'ad:9555' },
    // ad goes away for 20 minutes: longer than the lookback.
    samples: times.filter((_, i) => i < 80 || i >= 160).map((t) => ({ t, v: 1 })),
  });
  out.push({
    labels: { __name__: 'queue_depth', service: 'kafka' },
    samples: times.map((t, i) => ({ t, v: i % 37 === 5 ? NaN : Math.round(r() * 40) - 10 })),
  });
  const every4m = times.filter((_, i) => i % 16 === 0);
  for (const [i, v] of regexProbeValues.entries()) {
    out.push({
      labels: { __name__: 'regex_probe', v, i: String(i) },
      samples: every4m.map((t) => ({ t, v: i })),
    });
  }
  return out;
}

/**
 * Label values where RE2 and JavaScript regexes part: newlines (`.`, `$`,
 * `(?m)`), Unicode and ASCII classes, case folding beyond ASCII (Kelvin
 * sign, long s, dotless i), astral code points, regex metacharacters.
 */
export const regexProbeValues: readonly string[] = [
  'a',
  'A',
  'abc',
  'ABC',
  'a\nb',
  'line1\n',
  '\nline2',
  'é',
  'É',
  '日本',
  '😀',
  'x.y',
  'ab1',
  ' ',
  '\t',
  '\v',
  '\u00a0',
  'k',
  'K',
  '\u212a',
  's',
  'S',
  '\u017f',
  'i',
  'ı',
  'Ω',
  'ω',
  'foo bar',
  'a\\b',
  '[x]',
  '{2}',
  'aa',
  '_',
  '-',
  '0',
  '7',
];

/** Everything the differential suite loads: the scenario set and the classic set. */
export function suiteData(): { scenario: DataSet; classic: SeriesSamples[] } {
  return { scenario: generate(), classic: classicSeries() };
}
