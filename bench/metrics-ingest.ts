// Issue 4's metric ingest benchmark: the same span-metrics-like samples sent
// (a) as OTLP/HTTP protobuf metrics to our backend (`otel-lab serve`, durable
// DuckDB store) and (b) as remote write to a real Prometheus 2.x, one after the
// other on the same machine, with the same client concurrency.
//
//   npm run build && node dist/bench/metrics-ingest.js [--samples 1000000] [--clients 4] [--services 10] [--timeout 900]
//
// Workload: each client is one instance of every service; per service 5 span
// names x 2 status codes, each with a latency histogram (16 bounds) and a calls
// counter, cumulative. One request = one client's export at one timestamp
// (1 s apart, ending now): per label set 2 OTLP points, 20 Prometheus samples
// (17 buckets + sum + count, and the counter). Requests are encoded before the
// clock starts, so the client costs little CPU while the servers work; each
// client sends its requests in time order (Prometheus refuses out-of-order
// samples). Both are then asked how many series they hold, to show they took
// it all. Loopback only; both servers and their temporary directories are
// removed at the end. Needs /usr/bin/prometheus (PROMETHEUS_BIN to override).

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import protobuf from 'protobufjs';
import { encodeRequest } from '../src/collector/otlp/testing/otlp-proto';
import {
  freePort,
  machineLine,
  post,
  sleep,
  startBackendProcess,
  stopChild,
  trackChild,
  watchdog,
  watchProcess,
} from './metrics-ingest.procs';

const snappy = createRequire(__filename)('snappyjs') as { compress(b: Uint8Array): Uint8Array };
const prometheusBin = process.env['PROMETHEUS_BIN'] ?? '/usr/bin/prometheus';

// Prometheus's remote-write message, only the fields this benchmark sends
// (field numbers as in prometheus/prompb: timeseries 1; labels 1, samples 2;
// name 1, value 2; value 1, timestamp in ms 2).
const REMOTE_WRITE_PROTO = `
syntax = "proto3";
package benchrw;
message Label { string name = 1; string value = 2; }
message Sample { double value = 1; int64 timestamp = 2; }
message TimeSeries { repeated Label labels = 1; repeated Sample samples = 2; }
message WriteRequest { repeated TimeSeries timeseries = 1; }
`;
const WriteRequest = protobuf.parse(REMOTE_WRITE_PROTO).root.lookupType('benchrw.WriteRequest');

const SERVICES = [
  'frontend',
  'cart',
  'checkout',
  'product-catalog',
  'recommendation',
  'currency',
  'payment',
  'shipping',
  'email',
  'ad',
  'quote',
  'accounting',
];
// The span metrics connector's default millisecond buckets.
const BOUNDS = [2, 4, 6, 8, 10, 50, 100, 200, 400, 800, 1000, 1400, 2000, 5000, 10000, 15000];
const SPANS = ['Get', 'List', 'Put', 'Convert', 'Send'];
const STATUS = ['STATUS_CODE_UNSET', 'STATUS_CODE_ERROR'];
const HIST = 'traces_span_metrics_duration_milliseconds';
const CALLS = 'traces_span_metrics_calls_total';

interface SeriesState {
  readonly service: string;
  readonly span: string;
  readonly kind: string;
  readonly status: string;
  readonly buckets: number[];
  sum: number;
  count: number;
}

/** Deterministic, so both servers get the very same numbers. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

interface Round {
  readonly otlp: Uint8Array;
  readonly remoteWrite: Uint8Array;
}

function makeRounds(
  client: number,
  services: string[],
  rounds: number,
  endMs: number,
  startMs: number,
): Round[] {
  const rand = rng(client + 7);
  const state: SeriesState[] = [];
  for (const service of services)
    for (const span of SPANS)
      for (const status of STATUS)
        state.push({
          service,
          span: `oteldemo.${service}/${span}`,
          kind: span === 'Send' ? 'SPAN_KIND_CLIENT' : 'SPAN_KIND_SERVER',
          status,
          buckets: BOUNDS.map(() => 0).concat(0),
          sum: 0,
          count: 0,
        });
  const instance = `client-${client}`;
  const out: Round[] = [];
  for (let r = 0; r < rounds; r++) {
    const tMs = endMs - (rounds - 1 - r) * 1000;
    for (const s of state) {
      const n = Math.floor(rand() * (s.status === STATUS[1] ? 3 : 20));
      for (let i = 0; i < n; i++) {
        const ms = Math.exp(rand() * 7);
        const b = BOUNDS.findIndex((x) => ms <= x);
        (s.buckets[b === -1 ? BOUNDS.length : b] as number)++;
        s.sum += ms;
      }
      s.count += n;
    }
    const tNs = (BigInt(tMs) * 1_000_000n).toString();
    const startNs = (BigInt(startMs) * 1_000_000n).toString();
    const attrs = (s: SeriesState) => [
      { key: 'service.name', value: { stringValue: s.service } },
      { key: 'span.name', value: { stringValue: s.span } },
      { key: 'span.kind', value: { stringValue: s.kind } },
      { key: 'status.code', value: { stringValue: s.status } },
    ];
    const otlp = encodeRequest('metrics', {
      resourceMetrics: services.map((service) => {
        const mine = state.filter((s) => s.service === service);
        return {
          resource: {
            attributes: [
              { key: 'service.name', value: { stringValue: service } },
              { key: 'service.instance.id', value: { stringValue: instance } },
            ],
          },
          scopeMetrics: [
            {
              scope: { name: 'spanmetricsconnector' },
              metrics: [
                {
                  name: 'traces.span.metrics.duration',
                  unit: 'ms',
                  histogram: {
                    aggregationTemporality: 2,
                    dataPoints: mine.map((s) => ({
                      attributes: attrs(s),
                      startTimeUnixNano: startNs,
                      timeUnixNano: tNs,
                      count: String(s.count),
                      sum: s.sum,
                      bucketCounts: s.buckets.map(String),
                      explicitBounds: BOUNDS,
                    })),
                  },
                },
                {
                  name: 'traces.span.metrics.calls',
                  sum: {
                    aggregationTemporality: 2,
                    isMonotonic: true,
                    dataPoints: mine.map((s) => ({
                      attributes: attrs(s),
                      startTimeUnixNano: startNs,
                      timeUnixNano: tNs,
                      asInt: String(s.count),
                    })),
                  },
                },
              ],
            },
          ],
        };
      }),
    });
    const timeseries: {
      labels: { name: string; value: string }[];
      samples: { value: number; timestamp: number }[];
    }[] = [];
    const series = (name: string, s: SeriesState, value: number, le?: string): void => {
      const labels: Record<string, string> = {
        __name__: name,
        instance,
        job: s.service,
        service_name: s.service,
        span_kind: s.kind,
        span_name: s.span,
        status_code: s.status,
      };
      if (le !== undefined) labels['le'] = le;
      timeseries.push({
        labels: Object.keys(labels)
          .sort()
          .map((k) => ({ name: k, value: labels[k] as string })),
        samples: [{ value, timestamp: tMs }],
      });
    };
    for (const s of state) {
      let cum = 0;
      BOUNDS.forEach((bound, i) => {
        cum += s.buckets[i] as number;
        series(`${HIST}_bucket`, s, cum, String(bound));
      });
      series(`${HIST}_bucket`, s, s.count, '+Inf');
      series(`${HIST}_sum`, s, s.sum);
      series(`${HIST}_count`, s, s.count);
      series(CALLS, s, s.count);
    }
    const rw = WriteRequest.encode(WriteRequest.fromObject({ timeseries })).finish();
    out.push({ otlp, remoteWrite: snappy.compress(rw) });
  }
  return out;
}

interface SideResult {
  readonly name: string;
  readonly seconds: number;
  readonly requests: number;
  readonly retries: number;
  readonly cpuPercent: number;
  readonly rssEndMiB: number;
  readonly rssPeakMiB: number;
  readonly seriesAfter: string;
}

async function send(
  name: string,
  pid: number,
  port: number,
  path: string,
  headers: Record<string, string>,
  perClient: Uint8Array[][],
  countSeries: () => Promise<string>,
): Promise<SideResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: perClient.length });
  let requests = 0;
  let retries = 0;
  const end = watchProcess(pid);
  const t0 = performance.now();
  await Promise.all(
    perClient.map(async (bodies) => {
      for (const body of bodies) {
        for (;;) {
          const res = await post(agent, port, path, body, headers);
          // A partial success would show below as fewer series held than expected.
          if (res.status >= 200 && res.status < 300) break;
          if (res.status === 503 || res.status === 429) {
            retries++;
            await sleep(20);
            continue;
          }
          throw new Error(`${name}: HTTP ${res.status} ${res.body.slice(0, 300)}`);
        }
        requests++;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const usage = end();
  agent.destroy();
  return { name, seconds, requests, retries, ...usage, seriesAfter: await countSeries() };
}

async function instantQuery(base: string, q: string, timeSec: number): Promise<string> {
  const res = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(q)}&time=${timeSec}`);
  const body = (await res.json()) as { data?: { result?: { value?: [number, string] }[] } };
  return body.data?.result?.[0]?.value?.[1] ?? `none (HTTP ${res.status})`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      samples: { type: 'string', default: '1000000' },
      clients: { type: 'string', default: '4' },
      services: { type: 'string', default: '10' },
      timeout: { type: 'string', default: '900' },
    },
  });
  const clients = Math.max(1, Number(values.clients));
  const services = SERVICES.slice(
    0,
    Math.min(SERVICES.length, Math.max(1, Number(values.services))),
  );
  const seriesPerClient = services.length * SPANS.length * STATUS.length;
  const samplesPerRequest = seriesPerClient * (BOUNDS.length + 4);
  const pointsPerRequest = seriesPerClient * 2;
  const rounds = Math.max(1, Math.ceil(Number(values.samples) / samplesPerRequest / clients));
  if (!existsSync(prometheusBin))
    throw new Error(`${prometheusBin} not found (apt-get install prometheus, or PROMETHEUS_BIN)`);

  const endMs = Math.floor(Date.now() / 1000) * 1000;
  const startMs = endMs - rounds * 1000;
  const g0 = performance.now();
  const made = Array.from({ length: clients }, (_, c) =>
    makeRounds(c, services, rounds, endMs, startMs),
  );
  const bytes = (k: keyof Round) => made.flat().reduce((n, r) => n + r[k].length, 0);
  console.error(
    `encoded ${clients} x ${rounds} requests in ${((performance.now() - g0) / 1000).toFixed(1)} s: OTLP ${(bytes('otlp') / 2 ** 20).toFixed(1)} MiB, remote write (snappy) ${(bytes('remoteWrite') / 2 ** 20).toFixed(1)} MiB`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'otel-lab-metrics-ingest-'));
  watchdog(Number(values.timeout), () => rmSync(dir, { recursive: true, force: true }));
  const results: SideResult[] = [];
  let promVersion: string;
  try {
    // (a) Prometheus with remote write on, no scrape targets.
    const promDir = join(dir, 'prom');
    writeFileSync(join(dir, 'prometheus.yml'), 'global:\n  evaluation_interval: 1m\n');
    promVersion =
      spawnSync(prometheusBin, ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0] ?? '';
    const promPort = await freePort();
    const prom = trackChild(
      spawn(
        prometheusBin,
        [
          `--config.file=${join(dir, 'prometheus.yml')}`,
          `--storage.tsdb.path=${promDir}`,
          `--web.listen-address=127.0.0.1:${promPort}`,
          '--web.enable-remote-write-receiver',
          '--log.level=warn',
        ],
        { stdio: ['ignore', 'ignore', 'inherit'] },
      ),
    );
    const promBase = `http://127.0.0.1:${promPort}`;
    for (let i = 0; ; i++) {
      if (i > 300) throw new Error('prometheus not ready after 30 s');
      try {
        if ((await fetch(`${promBase}/-/ready`)).ok) break;
      } catch {
        // not listening yet
      }
      await sleep(100);
    }
    await sleep(1000);
    results.push(
      await send(
        'Prometheus (remote write)',
        prom.pid as number,
        promPort,
        '/api/v1/write',
        {
          'Content-Type': 'application/x-protobuf',
          'Content-Encoding': 'snappy',
          'X-Prometheus-Remote-Write-Version': '0.1.0',
        },
        made.map((rs) => rs.map((r) => r.remoteWrite)),
        () => instantQuery(promBase, `count({__name__=~"traces_span_metrics.*"})`, endMs / 1000),
      ),
    );
    await stopChild(prom);

    // (b) our backend, durable DuckDB store.
    const backend = await startBackendProcess(join(dir, 'ours'));
    await sleep(1000);
    try {
      results.push(
        await send(
          'otel-lab (OTLP/HTTP, DuckDB)',
          backend.pid,
          backend.otlpPort,
          '/v1/metrics',
          { 'Content-Type': 'application/x-protobuf' },
          made.map((rs) => rs.map((r) => r.otlp)),
          () =>
            instantQuery(
              `${backend.api}/prometheus`,
              `count({__name__=~"traces_span_metrics.*"})`,
              endMs / 1000,
            ),
        ),
      );
    } finally {
      await backend.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const total = clients * rounds;
  console.log(`\n## metrics ingest · ${machineLine()}`);
  console.log(`${promVersion}`);
  console.log(
    `${clients} clients x ${rounds} requests; per request ${seriesPerClient} label sets = ${pointsPerRequest} OTLP points = ${samplesPerRequest} Prometheus samples; ${total * samplesPerRequest} samples in all; expected series: ${clients * seriesPerClient * (BOUNDS.length + 4)}\n`,
  );
  console.log(
    '| server | wall (s) | requests/s | OTLP points/s | samples/s | 503/429 retries | server CPU % | server CPU s per 1M samples | RSS end / peak (MiB) | series held after |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  // CPU seconds per sample moves less than wall time on a shared machine.
  const cpuPerMillion = (r: SideResult): number =>
    ((r.cpuPercent / 100) * r.seconds * 1e6) / (r.requests * samplesPerRequest);
  for (const r of results) {
    const rps = r.requests / r.seconds;
    console.log(
      `| ${r.name} | ${r.seconds.toFixed(1)} | ${rps.toFixed(0)} | ${Math.round(rps * pointsPerRequest)} | ${Math.round(rps * samplesPerRequest)} | ${r.retries} | ${r.cpuPercent.toFixed(0)} | ${cpuPerMillion(r).toFixed(2)} | ${r.rssEndMiB.toFixed(0)} / ${r.rssPeakMiB.toFixed(0)} | ${r.seriesAfter} |`,
    );
  }
  const [prom, ours] = results;
  if (prom !== undefined && ours !== undefined) {
    console.log(
      `\nsummary: Prometheus / otel-lab = ${(ours.seconds / prom.seconds).toFixed(2)}x samples/s, ${(cpuPerMillion(ours) / cpuPerMillion(prom)).toFixed(2)}x CPU per sample`,
    );
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
