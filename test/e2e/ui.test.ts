// The lab UI in a real browser (Debian's Chromium driven by playwright-core).
// The same checks run twice: on a small fixture server answering the Jaeger,
// Prometheus and lab APIs with canned, scenario-shaped data (exact counts,
// screenshots of every page into docs/screenshots/), and on the real API
// server, PromQL engine and span metrics in-process over an in-memory store.
// OTEL_LAB_URL (e.g. http://127.0.0.1:8080) runs them against a running lab
// instead.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from './browser';
import { startApiServer } from '../../src/api';
import { IngestPipeline } from '../../src/collector/pipeline';
import { PrometheusTranslator, SpanMetricsConnector } from '../../src/collector/derive';
import type { Resource, Span } from '../../src/model/telemetry';
import { createMemoryStore } from '../../src/store/memory';
import {
  makeGauge,
  makeLog,
  makeResource,
  makeScope,
  makeSpan,
  makeSum,
} from '../../src/store/testing';

const XSS = '<img src=x onerror=alert(1)>';

function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json')) || !existsSync(path.join(dir, 'src', 'ui'))) {
    const up = path.dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
  return dir;
}

// ---------- canned data, shaped like the scenario (cache misses are slow) ----------

interface Tag {
  key: string;
  type: string;
  value: string | number | boolean;
}
interface FSpan {
  traceID: string;
  spanID: string;
  operationName: string;
  references: { refType: string; traceID: string; spanID: string }[];
  startTime: number;
  duration: number;
  tags: Tag[];
  logs: { timestamp: number; fields: Tag[] }[];
  processID: string;
  warnings: null;
}
interface FTrace {
  traceID: string;
  spans: FSpan[];
  processes: Record<string, { serviceName: string; tags: Tag[] }>;
  warnings: null;
}

const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');
const tag = (key: string, value: string | number | boolean): Tag => ({
  key,
  type: typeof value === 'boolean' ? 'bool' : typeof value === 'number' ? 'int64' : 'string',
  value,
});
const SERVICES = ['frontend', 'recommendation', 'product-catalog'];

function makeTraces(nowUs: number): FTrace[] {
  const traces: FTrace[] = [];
  for (let i = 0; i < 30; i++) {
    // Ids that look like real ones (random-ish hex), but are reproducible.
    const traceID = Array.from({ length: 4 }, (_, k) =>
      hex((Math.imul(i + 1, 2654435761) ^ Math.imul(k + 7, 40503)) >>> 0, 8),
    ).join('');
    const miss = i % 3 === 0;
    const xss = i === 3;
    const failed = i === 7;
    const start = nowUs - (30 - i) * 60_000_000 + 1_000;
    const listMs = miss ? 40 + i * 6 : 3 + (i % 4);
    let n = 0;
    const spans: FSpan[] = [];
    const add = (
      parent: string | null,
      op: string,
      p: string,
      at: number,
      durUs: number,
      tags: Tag[],
    ): string => {
      const spanID = traceID.slice(12, 16) + hex(i * 100 + ++n, 12);
      spans.push({
        traceID,
        spanID,
        operationName: op,
        references: parent ? [{ refType: 'CHILD_OF', traceID, spanID: parent }] : [],
        startTime: start + at,
        duration: durUs,
        tags,
        logs: [],
        processID: p,
        warnings: null,
      });
      return spanID;
    };
    const total = listMs * 1000 + 9_000;
    const root = add(null, 'GET /api/recommendations', 'p1', 0, total, [
      tag('span.kind', 'server'),
      tag('http.method', 'GET'),
      tag('http.status_code', failed ? 500 : 200),
      ...(failed ? [tag('error', true), tag('otel.status_code', 'ERROR')] : []),
    ]);
    const client = add(
      root,
      'oteldemo.RecommendationService/ListRecommendations',
      'p1',
      200,
      listMs * 1000 + 2_000,
      [tag('span.kind', 'client'), tag('rpc.system', 'grpc')],
    );
    const server = add(
      client,
      'oteldemo.RecommendationService/ListRecommendations',
      'p2',
      500,
      listMs * 1000 + 1_200,
      [tag('span.kind', 'server'), tag('app.products_recommended.count', 5)],
    );
    const count = miss ? Math.round(10 * 1.25 ** (i / 3 + 1)) : 10 + i;
    const list = add(server, 'get_product_list', 'p2', 700, listMs * 1000, [
      tag('app.recommendation.cache_enabled', true),
      tag('app.cache_hit', !miss),
      tag('app.products.count', count),
      tag('app.filtered_products.count', count - 1),
      ...(xss ? [tag('app.user_note', XSS)] : []),
    ]);
    if (miss) {
      const last = spans[spans.length - 1];
      if (last)
        last.logs.push({
          timestamp: start + 900,
          fields: [tag('event', 'cache miss'), tag('message', XSS)],
        });
      add(list, 'oteldemo.ProductCatalogService/ListProducts', 'p3', 900, 1_500, [
        tag('span.kind', 'server'),
      ]);
    }
    for (let k = 0; k < 4; k++) {
      const bad = failed && k === 0;
      add(
        root,
        'oteldemo.ProductCatalogService/GetProduct',
        'p3',
        listMs * 1000 + 3_000 + k * 1_400,
        1_100,
        [
          tag('span.kind', 'server'),
          tag('app.product.id', bad ? 'OLJCESPC7Z' : `P${k}`),
          ...(bad
            ? [
                tag('error', true),
                tag('otel.status_code', 'ERROR'),
                tag(
                  'otel.status_description',
                  'Error: ProductCatalogService Fail Feature Flag Enabled',
                ),
              ]
            : []),
        ],
      );
    }
    const proc = (s: string): { serviceName: string; tags: Tag[] } => ({
      serviceName: s,
      tags: [
        tag('service.version', '1.11.0'),
        tag('telemetry.sdk.language', 'nodejs'),
        tag('host.name', 'lab'),
      ],
    });
    traces.push({
      traceID,
      spans,
      processes: { p1: proc('frontend'), p2: proc('recommendation'), p3: proc('product-catalog') },
      warnings: null,
    });
  }
  return traces;
}

// The fixture's "now", also the browser's clock in its suite (stable screenshots).
const FIXED_NOW_MS = Date.UTC(2026, 10, 26, 10, 0, 0);

const BIG_TRACE = 'b16b16b16b16b16b16b16b16b16b16b1';
const BIG_SPANS = 10_000;

// A 10,000-span trace (100 calls of 99 children each), for the virtual list.
function bigTrace(nowUs: number): FTrace {
  const spans: FSpan[] = [];
  const span = (id: number, parent: number | null, start: number, duration: number): FSpan => ({
    traceID: BIG_TRACE,
    spanID: hex(id + 1, 16),
    operationName: `op-${id}`,
    references:
      parent === null
        ? []
        : [{ refType: 'CHILD_OF', traceID: BIG_TRACE, spanID: hex(parent + 1, 16) }],
    startTime: nowUs + start,
    duration,
    tags: [tag('index', id)],
    logs: [],
    processID: id % 2 ? 'p1' : 'p2',
    warnings: null,
  });
  spans.push(span(0, null, 0, 10_000_000));
  for (let c = 0; c < 100; c++) {
    const callID = 1 + c * 100;
    spans.push(span(callID, 0, c * 100_000, 90_000));
    for (let k = 1; k < 100 && spans.length < BIG_SPANS; k++) {
      spans.push(span(callID + k, callID, c * 100_000 + k * 900, 800));
    }
  }
  const proc = (s: string): { serviceName: string; tags: Tag[] } => ({ serviceName: s, tags: [] });
  return {
    traceID: BIG_TRACE,
    spans,
    processes: { p1: proc('frontend'), p2: proc('recommendation') },
    warnings: null,
  };
}

function summarize(t: FTrace): Record<string, unknown> {
  const root = t.spans[0] as FSpan;
  const services: Record<string, number> = {};
  for (const s of t.spans) {
    const name = t.processes[s.processID]?.serviceName ?? '?';
    services[name] = (services[name] ?? 0) + 1;
  }
  return {
    traceID: t.traceID,
    rootService: 'frontend',
    rootOperation: root.operationName,
    startTime: root.startTime,
    duration: root.duration,
    spanCount: t.spans.length,
    errorCount: t.spans.filter((s) => s.tags.some((x) => x.key === 'error')).length,
    services,
  };
}

function logfmtTags(text: string): [string, string][] {
  return [...text.matchAll(/([^\s=]+)=("(?:[^"\\]|\\.)*"|\S*)/g)].map((m) => [
    m[1] ?? '',
    (m[2] ?? '').replace(/^"|"$/g, '').replace(/\\"/g, '"'),
  ]);
}

// ---------- the fixture server ----------

interface Fixture {
  url: string;
  flagPuts: { name: string; variant: string }[];
  close: () => Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.map': 'application/json',
};

async function startFixture(uiDir: string): Promise<Fixture> {
  const nowUs = FIXED_NOW_MS * 1000;
  const traces = makeTraces(nowUs);
  const flags = [
    {
      name: 'recommendationServiceCacheFailure',
      description: 'Fail recommendation service cache',
      variants: { on: true, off: false },
      defaultVariant: 'off',
      state: 'ENABLED',
    },
    {
      name: 'productCatalogFailure',
      description: 'Fail product catalog service on a specific product',
      variants: { on: true, off: false },
      defaultVariant: 'off',
      state: 'ENABLED',
    },
    {
      name: 'adServiceFailure',
      description: 'Fail ad service',
      variants: { on: true, off: false },
      defaultVariant: 'off',
      state: 'ENABLED',
    },
  ];
  const flagPuts: { name: string; variant: string }[] = [];
  const json = (res: ServerResponse, status: number, body: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const matrix = (q: string, p: URLSearchParams): unknown => {
    if (/bad\(/.test(q))
      return {
        status: 'error',
        errorType: 'bad_data',
        error: '1:1: parse error: unknown function with name "bad"',
      };
    const start = Number(p.get('start'));
    const end = Number(p.get('end'));
    const step = Number(p.get('step'));
    const series = (metric: Record<string, string>, f: (x: number) => number): unknown => {
      const values: [number, string][] = [];
      for (let t = Math.ceil(start / step) * step; t <= end; t += step)
        values.push([t, String(f((t - start) / (end - start || 1)))]);
      return { metric, values };
    };
    const quant = /histogram_quantile\(([\d.]+)/.exec(q);
    let result: unknown[];
    if (quant) result = [series({}, (x) => (4 + 900 * Number(quant[1]) ** 6) * (1 + 3 * x))];
    else if (q.includes('by (job)'))
      result = ['frontend', 'recommendation', 'product-catalog', 'cart'].map((s, i) =>
        series({ job: `opentelemetry-demo/${s}` }, (x) =>
          q.includes('memory')
            ? (50 + 40 * i + (s === 'recommendation' ? 350 * x : 5 * x)) * 2 ** 20
            : 3 + 4 * i + (s === 'recommendation' ? 60 * x : 0),
        ),
      );
    else if (q.includes('process_cpu')) result = [series({}, (x) => 12 + 70 * x)];
    else if (q.includes('process_memory'))
      result = [series({}, (x) => (90 + 380 * ((x * 1.6) % 1)) * 1024 * 1024)];
    else if (q.includes('app_recommendations'))
      result = [
        series(
          { recommendation_type: 'catalog', service_name: 'recommendation' },
          (x) => 2 + Math.sin(x * 9),
        ),
      ];
    else if (q.includes('by (span_name)'))
      result = ['get_product_list', 'oteldemo.RecommendationService/ListRecommendations'].map(
        (s, i) => series({ span_name: s }, (x) => (i + 1) * (1.5 + x)),
      );
    else result = [];
    return { status: 'success', data: { resultType: 'matrix', result } };
  };
  const api = (url: URL, req: IncomingMessage, res: ServerResponse, body: string): boolean => {
    const p = url.searchParams;
    const route = url.pathname;
    if (route === '/prometheus/api/v1/label/service_name/values')
      json(res, 200, { status: 'success', data: SERVICES });
    else if (route === '/prometheus/api/v1/query_range') {
      const r = matrix(p.get('query') ?? '', p) as { status: string };
      json(res, r.status === 'error' ? 400 : 200, r);
    } else if (route === '/prometheus/api/v1/query_exemplars') {
      // A whole range: every trace at its own time (the chart's markers). A
      // clicked moment (a short window): three slow traces inside it.
      const start = Number(p.get('start'));
      const end = Number(p.get('end'));
      const exemplars =
        end - start > 600
          ? traces.map((t) => ({
              labels: { trace_id: t.traceID, span_id: t.spans[0]?.spanID ?? '' },
              value: String((t.spans[0]?.duration ?? 0) / 1000),
              timestamp: (t.spans[0]?.startTime ?? 0) / 1e6,
            }))
          : traces
              .filter((_, i) => i % 3 === 0)
              .slice(-3)
              .map((t, i) => ({
                labels: { trace_id: t.traceID, span_id: t.spans[0]?.spanID ?? '' },
                value: String(400 + i * 50),
                timestamp: start + 5 + i,
              }));
      json(res, 200, {
        status: 'success',
        data: [{ seriesLabels: { service_name: 'recommendation', le: '1000' }, exemplars }],
      });
    } else if (route === '/jaeger/api/services')
      json(res, 200, { data: SERVICES, total: 3, limit: 0, offset: 0, errors: null });
    else if (route.startsWith('/jaeger/api/services/')) {
      const svc = decodeURIComponent(route.split('/')[4] ?? '');
      const ops = new Set(
        traces.flatMap((t) =>
          t.spans
            .filter((s) => t.processes[s.processID]?.serviceName === svc)
            .map((s) => s.operationName),
        ),
      );
      json(res, 200, { data: [...ops], total: ops.size, limit: 0, offset: 0, errors: null });
    } else if (route === `/jaeger/api/traces/${BIG_TRACE}`) {
      json(res, 200, { data: [bigTrace(nowUs)], total: 0, limit: 0, offset: 0, errors: null });
    } else if (route.startsWith('/jaeger/api/traces/')) {
      const t = traces.find((x) => x.traceID === route.split('/')[4]);
      if (t) json(res, 200, { data: [t], total: 0, limit: 0, offset: 0, errors: null });
      else
        json(res, 404, {
          data: null,
          total: 0,
          limit: 0,
          offset: 0,
          errors: [{ code: 404, msg: 'trace not found' }],
        });
    } else if (route === '/api/trace-summaries') {
      const svc = p.get('service') ?? '';
      const tags = logfmtTags(p.get('tags') ?? '');
      let found = traces.filter(
        (t) =>
          (!svc || t.spans.some((s) => t.processes[s.processID]?.serviceName === svc)) &&
          tags.every(([k, v]) =>
            t.spans.some((s) => s.tags.some((x) => x.key === k && String(x.value) === v)),
          ),
      );
      const sort = p.get('sort') ?? 'recent';
      const dur = (t: FTrace): number => t.spans[0]?.duration ?? 0;
      found = [...found].sort((a, b) =>
        sort === 'longest'
          ? dur(b) - dur(a)
          : sort === 'shortest'
            ? dur(a) - dur(b)
            : (b.spans[0]?.startTime ?? 0) - (a.spans[0]?.startTime ?? 0),
      );
      json(res, 200, { data: found.slice(0, Number(p.get('limit') ?? 20)).map(summarize) });
    } else if (route === '/api/spans/distribution') {
      const miss = (p.get('tags') ?? '').includes('app.cache_hit=false');
      const les = [2e6, 4e6, 8e6, 50e6, 100e6, 200e6, 400e6];
      const counts = miss ? [0, 0, 2, 10, 25, 40, 20] : [30, 120, 40, 5, 1, 0, 0];
      json(res, 200, {
        data: {
          count: counts.reduce((a, b) => a + b, 0),
          quantiles: miss
            ? { p50: 160e6, p90: 310e6, p95: 350e6, p99: 395e6, p999: 399e6 }
            : { p50: 3.1e6, p90: 6.5e6, p95: 7.6e6, p99: 40e6, p999: 90e6 },
          buckets: [...les.map((le, i) => ({ le, count: counts[i] ?? 0 })), { le: null, count: 0 }],
        },
      });
    } else if (route === '/api/flags' && req.method === 'GET') json(res, 200, { flags });
    else if (route.startsWith('/api/flags/') && req.method === 'PUT') {
      const name = decodeURIComponent(route.slice('/api/flags/'.length));
      const flag = flags.find((f) => f.name === name);
      const variant = (JSON.parse(body || '{}') as { variant?: string }).variant ?? '';
      if (!flag) json(res, 404, { errors: [{ code: 404, msg: `unknown flag "${name}"` }] });
      else {
        flag.defaultVariant = variant;
        flagPuts.push({ name, variant });
        json(res, 200, flag);
      }
    } else if (route === '/api/dependencies') {
      const calls: [string, string, number, number][] = [
        ['frontend', 'product-catalog', 5400, 120],
        ['frontend', 'recommendation', 1600, 0],
        ['frontend', 'ad', 1500, 150],
        ['frontend', 'cart', 2100, 0],
        ['frontend', 'currency', 4800, 0],
        ['frontend', 'checkout', 300, 0],
        ['recommendation', 'product-catalog', 800, 0],
        ['checkout', 'cart', 600, 0],
        ['checkout', 'product-catalog', 600, 0],
        ['checkout', 'currency', 900, 0],
        ['checkout', 'shipping', 600, 0],
        ['checkout', 'payment', 300, 0],
        ['checkout', 'email', 300, 0],
      ];
      json(res, 200, {
        data: calls.map(([parent, child, callCount, errorCount]) => ({
          parent,
          child,
          callCount,
          errorCount,
        })),
      });
    } else if (route === '/api/logs') {
      const t = traces[3] as FTrace;
      json(res, 200, {
        data: [0, 1, 2, 3].map((i) => ({
          time: nowUs - i * 1_000_000,
          timeUnixNano: String((nowUs - i * 1_000_000) * 1000),
          severityNumber: i === 1 ? 17 : 9,
          severityText: i === 1 ? 'ERROR' : 'INFO',
          body: i === 2 ? XSS : `Receive ListRecommendations for product ids:['OLJCESPC7Z'] #${i}`,
          service: 'recommendation',
          attributes: {},
          resource: {},
          scope: { name: 'recommendation', version: '' },
          eventName: '',
          traceID: t.traceID,
          spanID: t.spans[3]?.spanID ?? '',
        })),
      });
    } else return false;
    return true;
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (
        url.pathname.startsWith('/api/') ||
        url.pathname.startsWith('/jaeger/') ||
        url.pathname.startsWith('/prometheus/')
      ) {
        if (!api(url, req, res, Buffer.concat(chunks).toString('utf8')))
          json(res, 404, { errors: [{ code: 404, msg: `no such endpoint ${url.pathname}` }] });
        return;
      }
      const file = path.join(uiDir, path.normalize(url.pathname).replace(/^([/\\])+/, ''));
      const target =
        file.startsWith(uiDir) && path.extname(file) && existsSync(file)
          ? file
          : path.join(uiDir, 'index.html');
      res.writeHead(200, {
        'content-type': TYPES[path.extname(target)] ?? 'application/octet-stream',
        // The lab server's policy (src/api/app.ts): the UI must work under it.
        'content-security-policy':
          "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'",
      });
      res.end(readFileSync(target));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    flagPuts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// ---------- the real backend code, in-process ----------

// The API server (Jaeger, Prometheus, lab APIs) over an in-memory store, fed
// through the real ingest pipeline with span metrics and the OTel ->
// Prometheus translator. Twenty minutes of the scenario are replayed on a
// simulated clock, so rates and quantiles have history at once.
async function startLab(uiDir: string): Promise<Backend> {
  let clock = 0n;
  const store = createMemoryStore();
  const pipeline = new IngestPipeline({
    store,
    spanMetrics: new SpanMetricsConnector(),
    translator: new PrometheusTranslator(),
    spanMetricsFlushIntervalMs: 0,
    now: () => clock,
  });
  const resource = (service: string): Resource =>
    makeResource(service, {
      'service.namespace': 'opentelemetry-demo',
      'service.instance.id': `${service}-1`,
      'service.version': '1.11.0',
    });
  const scope = makeScope({ name: 'app' });
  const ns = (ms: number): bigint => BigInt(Math.round(ms * 1000)) * 1000n;
  const endMs = Date.now();
  let seq = 0;
  let cached = 0;
  for (let i = 0, t = endMs - 20 * 60_000; t <= endMs; i++, t += 5000) {
    clock = ns(t);
    const spans: Span[] = [];
    for (let k = 0; k < 3; k++, seq++) {
      const traceId = hex(0x5eed0000 + seq, 32);
      const id = (n: number): string => hex(seq * 16 + n, 16);
      const at = t + k * 1000;
      const miss = seq % 2 === 0;
      // The leak: L -> (L+10)*1.25 per miss, until the process dies and restarts empty.
      if (miss) cached = cached > 3_000_000 ? 0 : Math.round((cached + 10) * 1.25);
      const ms = miss ? 2 + cached / 20_000 : 1 + cached / 200_000;
      const common = { traceId, scope, status: { code: 0 as const, message: '' } };
      spans.push(
        makeSpan({
          ...common,
          spanId: id(1),
          name: 'GET /api/recommendations',
          kind: 2,
          resource: resource('frontend'),
          startTimeUnixNano: ns(at),
          endTimeUnixNano: ns(at + ms + 3),
        }),
        makeSpan({
          ...common,
          spanId: id(2),
          parentSpanId: id(1),
          name: 'oteldemo.RecommendationService/ListRecommendations',
          kind: 2,
          resource: resource('recommendation'),
          startTimeUnixNano: ns(at + 0.5),
          endTimeUnixNano: ns(at + ms + 1),
          attributes: { 'app.products_recommended.count': 5n },
        }),
        makeSpan({
          ...common,
          spanId: id(3),
          parentSpanId: id(2),
          name: 'get_product_list',
          kind: 1,
          resource: resource('recommendation'),
          startTimeUnixNano: ns(at + 0.7),
          endTimeUnixNano: ns(at + 0.7 + ms),
          attributes: {
            'app.recommendation.cache_enabled': true,
            'app.cache_hit': !miss,
            'app.products.count': BigInt(cached),
            ...(seq === 5 ? { 'app.user_note': XSS } : {}),
          },
        }),
      );
    }
    await pipeline.ingest({ spans });
    if (i % 2 === 0) {
      const base = {
        resource: resource('recommendation'),
        scope: makeScope({ name: 'otel-lab/process' }),
        timeUnixNano: ns(t),
        startTimeUnixNano: ns(endMs - 21 * 60_000),
      };
      await pipeline.ingest({
        metrics: [
          makeGauge({
            ...base,
            name: 'process.cpu.utilization',
            unit: '1',
            value: 0.05 + i / 400,
            attributes: { 'cpu.mode': 'user' },
          }),
          makeSum({
            ...base,
            name: 'process.memory.usage',
            unit: 'By',
            isMonotonic: false,
            value: BigInt(60_000_000 + i * 500_000),
          }),
          makeSum({
            ...base,
            name: 'app_recommendations_counter',
            isMonotonic: true,
            value: BigInt(i * 15),
            attributes: { 'recommendation.type': 'catalog' },
          }),
        ],
      });
    }
    if (i % 3 === 0) await pipeline.flushSpanMetrics();
  }
  const logTrace = hex(0x5eed0000 + 5, 32);
  await store.write({
    logs: [0, 1, 2].map((i) =>
      makeLog({
        service: 'recommendation',
        timeUnixNano: ns(endMs - i * 1000),
        observedTimeUnixNano: ns(endMs),
        severityNumber: i === 1 ? 17 : 9,
        severityText: i === 1 ? 'ERROR' : 'INFO',
        body: i === 2 ? XSS : `Receive ListRecommendations #${i}`,
        traceId: logTrace,
        spanId: hex(5 * 16 + 3, 16),
      }),
    ),
  });
  const flags = [
    {
      name: 'recommendationServiceCacheFailure',
      description: 'Fail recommendation service cache',
      variants: { on: true, off: false },
      defaultVariant: 'off',
      state: 'ENABLED' as const,
    },
  ];
  const server = await startApiServer({
    store,
    port: 0,
    uiDir,
    flags: {
      list: async () => flags,
      set: async (name, variant) => {
        const flag = flags.find((f) => f.name === name);
        if (!flag) throw new Error(`unknown flag ${name}`);
        flag.defaultVariant = variant;
        return flag;
      },
    },
  });
  return {
    url: server.url,
    close: async () => {
      await server.close();
      await pipeline.close();
      await store.close();
    },
  };
}

// A running lab holds the shop's telemetry but no hostile attribute: send one
// span and one log carrying the XSS probe over OTLP/HTTP JSON first
// (OTEL_LAB_OTLP_URL, default port 4318 on the lab's host).
async function sendProbe(labUrl: string): Promise<void> {
  const otlp =
    process.env['OTEL_LAB_OTLP_URL'] ??
    `${new URL(labUrl).protocol}//${new URL(labUrl).hostname}:4318`;
  const now = BigInt(Date.now()) * 1_000_000n;
  const traceId = hex(Date.now(), 16) + 'e2e0e2e0e2e0e2e0';
  const resource = {
    attributes: [{ key: 'service.name', value: { stringValue: 'ui-e2e-probe' } }],
  };
  const post = async (signal: string, body: unknown): Promise<void> => {
    const res = await fetch(`${otlp}/v1/${signal}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    assert.ok(res.ok, `OTLP ${signal} to ${otlp} answered ${res.status}: ${await res.text()}`);
  };
  await post('traces', {
    resourceSpans: [
      {
        resource,
        scopeSpans: [
          {
            scope: { name: 'ui-e2e' },
            spans: [
              {
                traceId,
                spanId: 'e2e0e2e0e2e0e2e1',
                name: 'get_product_list',
                kind: 1,
                startTimeUnixNano: String(now - 5_000_000n),
                endTimeUnixNano: String(now),
                attributes: [{ key: 'app.user_note', value: { stringValue: XSS } }],
              },
            ],
          },
        ],
      },
    ],
  });
  await post('logs', {
    resourceLogs: [
      {
        resource,
        scopeLogs: [
          {
            scope: { name: 'ui-e2e' },
            logRecords: [
              {
                timeUnixNano: String(now),
                severityNumber: 9,
                severityText: 'INFO',
                body: { stringValue: XSS },
                traceId,
                spanId: 'e2e0e2e0e2e0e2e1',
              },
            ],
          },
        ],
      },
    ],
  });
}

// ---------- the browser checks ----------

const root = repoRoot();
const shots = path.join(root, 'docs', 'screenshots');
const real = process.env['OTEL_LAB_URL'];

interface Backend {
  url: string;
  /** Present only for the canned fixture, whose data allows exact counts. */
  fixture?: Fixture;
  close: () => Promise<void>;
}

interface SuiteOptions {
  /** Checks that need the fixture's canned data (the 10,000-span trace). */
  fixtureChecks: boolean;
  /** Where screenshots go; none when undefined. */
  shotsDir?: string;
  /** The browser's clock fixed at FIXED_NOW_MS in UTC, so screenshots change only when the UI does. */
  fixedClock: boolean;
}

function uiSuite(
  name: string,
  startBackend: (uiDir: string) => Promise<Backend>,
  opts: SuiteOptions,
): void {
  describe(name, () => {
    let backend: Backend | undefined;
    let fixture: Fixture | undefined;
    let base = '';
    let context: BrowserContext;
    let userDir = '';
    const dialogs: string[] = [];
    const pageErrors: string[] = [];

    before(async () => {
      const uiDir = path.join(root, 'dist', 'ui');
      assert.ok(
        existsSync(path.join(uiDir, 'index.html')),
        'dist/ui is not built: run `npm run build:ui` first',
      );
      backend = await startBackend(uiDir);
      fixture = backend.fixture;
      base = backend.url;
      if (opts.shotsDir) mkdirSync(opts.shotsDir, { recursive: true });
      userDir = mkdtempSync(path.join(tmpdir(), 'otel-lab-ui-'));
      context = await chromium.launchPersistentContext(userDir, {
        executablePath: CHROMIUM,
        args: [...CHROMIUM_ARGS],
        viewport: { width: 1400, height: 900 },
        colorScheme: 'light',
        ...(opts.fixedClock ? { timezoneId: 'UTC', locale: 'en-US' } : {}),
      });
      if (opts.fixedClock) await context.clock.setFixedTime(FIXED_NOW_MS);
    });

    after(async () => {
      await context?.close();
      await backend?.close();
      if (userDir) rmSync(userDir, { recursive: true, force: true });
    });

    async function shot(page: Page, file: string, fullPage = false): Promise<void> {
      if (!opts.shotsDir) return;
      // Settled page (no request in flight, resize observers run), no animation:
      // the same UI gives the same picture.
      await page.waitForLoadState('networkidle');
      const png = await page.screenshot({ fullPage, animations: 'disabled' });
      const target = path.join(opts.shotsDir, file);
      // PNG bytes vary between runs for the same pixels: keep the checked-in
      // file unless the picture really changed.
      if (existsSync(target) && (await samePixels(png, readFileSync(target)))) return;
      writeFileSync(target, png);
    }

    async function samePixels(a: Buffer, b: Buffer): Promise<boolean> {
      if (a.equals(b)) return true;
      const page = await context.newPage();
      try {
        const same = await page.evaluate(`(async () => {
          const load = (b64) => new Promise((ok, fail) => {
            const img = new Image();
            img.onload = () => ok(img);
            img.onerror = fail;
            img.src = 'data:image/png;base64,' + b64;
          });
          const pixels = (img) => {
            const c = document.createElement('canvas');
            c.width = img.width;
            c.height = img.height;
            const ctx = c.getContext('2d');
            ctx.drawImage(img, 0, 0);
            return ctx.getImageData(0, 0, c.width, c.height).data;
          };
          const [x, y] = [await load(${JSON.stringify(a.toString('base64'))}), await load(${JSON.stringify(b.toString('base64'))})];
          if (x.width !== y.width || x.height !== y.height) return false;
          const [p, q] = [pixels(x), pixels(y)];
          for (let i = 0; i < p.length; i++) if (p[i] !== q[i]) return false;
          return true;
        })()`);
        return same === true;
      } finally {
        await page.close();
      }
    }

    async function open(urlPath: string): Promise<Page> {
      const page = await context.newPage();
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      page.on('pageerror', (e) => pageErrors.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error' && /Content Security Policy/i.test(m.text()))
          pageErrors.push(m.text());
      });
      await page.goto(base + urlPath);
      return page;
    }

    test('dashboard renders every panel as a chart with its PromQL', async () => {
      const page = await open('/?service=recommendation&range=1h');
      // Errors may rightly be empty on a healthy lab: that panel must say so instead.
      await page
        .locator('[data-panel="errors"]')
        .locator('canvas, .status.empty')
        .first()
        .waitFor();
      for (const id of [
        'latency',
        'recommendations',
        'cpu',
        'memory',
        'requests',
        'cpu-all',
        'memory-all',
      ]) {
        await page.locator(`[data-panel="${id}"] canvas`).first().waitFor({ timeout: 10_000 });
      }
      assert.match(
        (await page.locator('[data-panel="latency"] .promql summary').textContent()) ?? '',
        /histogram_quantile\(0\.5/,
      );
      await shot(page, 'dashboard.png');
      // A click on the latency chart (away from the exemplar markers) opens the traces of that moment.
      await page.locator('[data-panel="latency"] .u-over').click({ position: { x: 300, y: 3 } });
      const region = page.getByRole('region', { name: 'Exemplar traces' });
      await region.getByRole('link', { name: /search traces in this window/i }).waitFor();
      if (fixture) {
        // The exemplars of that moment load after the search link shows: wait for them.
        await region.locator('.exemplar-list a').nth(2).waitFor();
        assert.equal(await region.locator('.exemplar-list a').count(), 3);
      }
      // Without a mouse: the slowest exemplars of the whole range, from the keyboard.
      await region.getByRole('button', { name: 'Close exemplars' }).click();
      const slowest = page.getByRole('button', { name: 'Slowest exemplars of this range' });
      await slowest.focus();
      await page.keyboard.press('Enter');
      const links = page
        .getByRole('region', { name: 'Exemplar traces' })
        .locator('.exemplar-list a');
      await links.first().waitFor();
      if (fixture) assert.equal(await links.count(), 20);
      await page.close();
    });

    test('a bad query shows the error in its panel', async () => {
      const page = await open(`/?service=recommendation&q.cpu.0=${encodeURIComponent('bad(')}`);
      const alert = page.locator('[data-panel="cpu"] [role="alert"]');
      await alert.waitFor();
      assert.match(
        (await alert.textContent()) ?? '',
        /Query failed.*(parse error|bad_data|HTTP 4)/,
      );
      await page.close();
    });

    test('tag search lists the matching traces and keeps the search in the URL', async () => {
      const page = await open('/traces');
      await page.getByLabel('Service').selectOption('recommendation');
      await page.getByLabel('Tags (logfmt)').fill('app.cache_hit=false');
      await page.getByLabel('Sort').selectOption('longest');
      await page.getByRole('button', { name: 'Find traces' }).click();
      await page.locator('.trace-row').first().waitFor();
      const url = new URL(page.url());
      assert.equal(url.searchParams.get('tags'), 'app.cache_hit=false');
      assert.equal(url.searchParams.get('service'), 'recommendation');
      if (fixture) {
        assert.equal(await page.locator('.trace-row').count(), 10);
        assert.equal(await page.locator('.scatter circle').count(), 10);
      } else assert.ok((await page.locator('.trace-row').count()) > 0);
      await shot(page, 'traces.png');
      // Brushing the left half of the plot keeps only the traces in that region.
      const box = await page.locator('.scatter svg').boundingBox();
      assert.ok(box);
      await page.mouse.move(box.x + 70, box.y + 5);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width / 2, box.y + box.height - 30, { steps: 5 });
      await page.mouse.up();
      await page.waitForURL(/brush=/);
      const kept = await page.locator('.trace-row').count();
      assert.ok(kept > 0 && kept < (fixture ? 10 : Infinity), `brushed list has ${kept} rows`);
      await page.getByRole('button', { name: 'Clear selection' }).click();
      await page.getByRole('button', { name: 'Log duration axis' }).click();
      await page.waitForURL(/scale=log/);
      const circles = await page.locator('.scatter circle').count();
      assert.ok(fixture ? circles === 10 : circles > 0, `${circles} points on the log axis`);
      // Reloading the URL reproduces the search.
      await page.reload();
      await page.locator('.trace-row').first().waitFor();
      await page.close();
    });

    test('bad logfmt is reported before searching', async () => {
      const page = await open('/traces');
      await page.getByLabel('Tags (logfmt)').fill('app.cache_hit');
      await page.getByRole('button', { name: 'Find traces' }).click();
      assert.match(
        (await page.getByRole('alert').textContent()) ?? '',
        /app\.cache_hit.*has no value/,
      );
      await page.close();
    });

    test('the waterfall shows app.cache_hit of the slow trace', async () => {
      const page = await open(
        '/traces?service=recommendation&tags=app.cache_hit%3Dfalse&sort=longest',
      );
      await page.locator('.trace-row').first().click();
      await page.waitForURL(/\/trace\/[0-9a-f]+/);
      const row = page.locator('.wf-row', { hasText: 'get_product_list' }).first();
      await row.click();
      const details = page.getByRole('region', { name: 'Span details' });
      const cacheHit = details.locator('tr', { hasText: 'app.cache_hit' });
      await cacheHit.waitFor();
      assert.match((await cacheHit.textContent()) ?? '', /app\.cache_hit\s*false/);
      await page.getByLabel('Find in trace').fill('cache_hit=false');
      await page.getByText('1 matching spans').waitFor();
      await shot(page, 'trace.png', true);
      await page.close();
    });

    test('an attribute holding HTML is shown as text, never run', async () => {
      const page = await open(`/traces?tags=${encodeURIComponent(`app.user_note="${XSS}"`)}`);
      await page.locator('.trace-row').first().click();
      await page.locator('.wf-row', { hasText: 'get_product_list' }).first().click();
      const value = page
        .getByRole('region', { name: 'Span details' })
        .locator('tr', { hasText: 'app.user_note' })
        .locator('.kv-value');
      await value.waitFor();
      assert.equal(await value.textContent(), XSS);
      assert.equal(await page.locator('img[src="x"]').count(), 0);
      assert.deepEqual(dialogs, []);
      await page.close();
    });

    test('flags list and a switch sends the variant', async () => {
      const page = await open('/flags');
      const flag = page.locator('[data-flag="recommendationServiceCacheFailure"]');
      await flag.waitFor();
      if (fixture) {
        await flag.getByRole('radio', { name: 'on' }).click();
        await page.getByText('recommendationServiceCacheFailure is now “on”').waitFor();
        assert.deepEqual(fixture.flagPuts, [
          { name: 'recommendationServiceCacheFailure', variant: 'on' },
        ]);
        await flag.locator('[role="radio"][aria-checked="true"]', { hasText: 'on' }).waitFor();
      }
      await shot(page, 'flags.png');
      await page.close();
    });

    test('compare shows two distributions side by side', async () => {
      const page = await open('/compare');
      await page.locator('[data-side="a"] .facts').waitFor();
      await page.locator('[data-side="b"] .facts').waitFor();
      await page.getByRole('img', { name: 'Histogram of A and B' }).waitFor();
      if (fixture) {
        const table = await page.locator('table.stats').textContent();
        assert.match(table ?? '', /p50\s*3\.1ms\s*160ms/);
      }
      await shot(page, 'compare.png', true);
      await page.close();
    });

    test('logs link to their trace and show bodies as text', async () => {
      const page = await open('/logs');
      await page.locator('.log-line').first().waitFor();
      if (fixture) assert.equal(await page.locator('.log-line', { hasText: XSS }).count(), 1);
      await shot(page, 'logs.png');
      await page.locator('.log-line a').first().click();
      await page.waitForURL(/\/trace\/[0-9a-f]+\?span=/);
      await page.locator('.wf-row').first().waitFor();
      await page.close();
    });

    // Only the fixture has a trace this big; against a real lab this check is not registered.
    if (opts.fixtureChecks) {
      test('a 10,000-span trace opens with only the visible rows in the page', async () => {
        const page = await open(`/trace/${BIG_TRACE}`);
        await page.locator('.wf-row').first().waitFor();
        assert.match((await page.locator('.trace-facts').textContent()) ?? '', /10000 spans/);
        const rendered = await page.locator('.wf-row').count();
        assert.ok(rendered > 10 && rendered < 200, `rendered ${rendered} rows`);
        // Jump to the end: the last span is reachable and the page still holds few rows.
        await page.getByRole('tree').focus();
        await page.keyboard.press('End');
        await page.locator(`.wf-row[data-span-id="${hex(BIG_SPANS, 16)}"]`).waitFor();
        assert.ok((await page.locator('.wf-row').count()) < 200);
        await page.close();
      });
    }

    test('service map draws the call graph and opens the traces of a service', async () => {
      const page = await open('/map');
      await page.locator('.service-map .node').first().waitFor();
      if (fixture) {
        assert.equal(await page.locator('.service-map .node').count(), 10);
        assert.equal(await page.locator('.service-map .edge.err').count(), 2);
      }
      await shot(page, 'service-map.png');
      await page.locator('.service-map .node[data-service="recommendation"]').focus();
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/traces\?service=recommendation/);
      await page.close();
    });

    test('backend down: the page says so', async () => {
      // Any API path the fixture lacks stands in for a dead backend: the UI must
      // still explain the failure in the page.
      const page = await context.newPage();
      await page.route('**/jaeger/api/traces/**', (r) => r.abort('connectionrefused'));
      await page.goto(`${base}/trace/0123456789abcdef0123456789abcdef`);
      const alert = page.getByRole('alert');
      await alert.waitFor();
      assert.match((await alert.textContent()) ?? '', /Cannot reach the lab backend/);
      await page.close();
    });

    test('dark theme toggle and keyboard navigation of the waterfall', async () => {
      const page = await open(
        '/traces?service=recommendation&tags=app.cache_hit%3Dfalse&sort=longest',
      );
      await page.getByRole('button', { name: /switch to dark theme/i }).click();
      await page.locator('.trace-row').first().click();
      await page.locator('.wf-row').first().waitFor();
      await page.getByRole('tree').focus();
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      assert.match(page.url(), /span=/);
      assert.equal(await page.locator('.wf-row.selected').count(), 1);
      assert.equal(await page.locator('html').getAttribute('data-theme'), 'dark');
      await shot(page, 'trace-dark.png');
      await page.goto(`${base}/?service=recommendation&range=1h`);
      await page.locator('[data-panel="memory"] canvas').first().waitFor();
      await shot(page, 'dashboard-dark.png');
      await page.close();
      assert.deepEqual(pageErrors, []);
    });
  });
}

if (real) {
  uiSuite(
    `lab UI in Chromium against ${real}`,
    async () => {
      await sendProbe(real);
      return { url: real, close: async () => undefined };
    },
    // The real lab's pictures, kept apart from the fixture's stable ones.
    { fixtureChecks: false, fixedClock: false, shotsDir: path.join(shots, 'lab') },
  );
} else {
  uiSuite(
    'lab UI in Chromium on canned API answers',
    async (uiDir) => {
      const fixture = await startFixture(uiDir);
      return { url: fixture.url, fixture, close: fixture.close };
    },
    { fixtureChecks: true, fixedClock: true, shotsDir: shots },
  );
  uiSuite('lab UI in Chromium on the real query APIs (in-process lab)', startLab, {
    fixtureChecks: false,
    fixedClock: false,
  });
}
