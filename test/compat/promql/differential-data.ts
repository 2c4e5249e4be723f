// A deterministic data set shaped like the demo's metrics (counters with a
// reset, a leaking memory gauge, classic histograms, gaps, NaN), written both
// to our store and, as OpenMetrics text, to a real Prometheus TSDB.

import type { SeriesSamples } from '../../../src/model/telemetry';
import { formatValue } from '../../../src/query/promql/lexical';

/** 2023-11-14T22:13:20Z, in ms. */
export const t0 = 1_700_000_000_000;
export const scrapeMs = 15_000;
export const samplesPerSeries = 240;

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const bounds = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '+Inf'];

export function differentialSeries(): SeriesSamples[] {
  const rnd = lcg(42);
  const out: SeriesSamples[] = [];
  const times = Array.from({ length: samplesPerSeries }, (_, i) => t0 + i * scrapeMs);
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
        v += Math.round(perScrape * (0.5 + rnd()));
        return { t, v };
      }),
    });
  }
  let mem = 200e6;
  out.push({
    labels: { __name__: 'process_memory_bytes', service: 'recommendation' },
    samples: times.map((t) => ({ t, v: (mem += 50_000 + Math.round(rnd() * 20_000)) })),
  });
  out.push({
    labels: { __name__: 'process_memory_bytes', service: 'cart' },
    samples: times.map((t) => ({ t, v: 120e6 + Math.round(rnd() * 1e6) })),
  });
  for (const service of ['cart', 'checkout']) {
    const counts = bounds.map(() => 0);
    let sum = 0;
    const perBucket: { t: number; v: number }[][] = bounds.map(() => []);
    const sums: { t: number; v: number }[] = [];
    for (const t of times) {
      for (let k = 0; k < 5; k++) {
        const latency = service === 'cart' ? rnd() * 0.08 : rnd() * rnd() * 0.9;
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
    samples: times.map((t, i) => ({ t, v: i % 37 === 5 ? NaN : Math.round(rnd() * 40) - 10 })),
  });
  return out;
}

/** The same series as OpenMetrics text for `promtool tsdb create-blocks-from openmetrics`. */
export function toOpenMetrics(series: readonly SeriesSamples[]): string {
  const lines: string[] = [];
  const byName = new Map<string, SeriesSamples[]>();
  for (const s of series) {
    const name = s.labels['__name__'] ?? '';
    byName.set(name, [...(byName.get(name) ?? []), s]);
  }
  for (const [name, group] of byName) {
    for (const s of group) {
      const labels = Object.entries(s.labels)
        .filter(([k]) => k !== '__name__')
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(',');
      for (const p of s.samples) lines.push(`${name}{${labels}} ${formatValue(p.v)} ${p.t / 1000}`);
    }
  }
  lines.push('# EOF');
  return lines.join('\n') + '\n';
}
