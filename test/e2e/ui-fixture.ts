// A small HTTP server standing in for the lab: the built UI from dist/ui
// under the lab's CSP, and the Jaeger, Prometheus and lab APIs answering
// with the canned data of ui-canned.ts (exact counts for the checks).

import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import {
  BIG_TRACE,
  FIXED_NOW_MS,
  SERVICES,
  XSS,
  bigTrace,
  logfmtTags,
  makeTraces,
  summarize,
  type FTrace,
} from './ui-canned';

/** What a browser suite runs against: the fixture, an in-process lab or a running one. */
export interface Backend {
  url: string;
  /** Present only for the canned fixture, whose data allows exact counts. */
  fixture?: Fixture;
  close: () => Promise<void>;
}

export interface Fixture {
  url: string;
  flagPuts: { name: string; variant: string }[];
  close: () => Promise<void>;
}

/** Services of the canned call graph, and one that sent spans but calls nobody. */
const MAP_SERVICES = [
  'frontend',
  'ad',
  'cart',
  'checkout',
  'currency',
  'email',
  'payment',
  'product-catalog',
  'recommendation',
  'shipping',
];
export const LONE_SERVICE = 'fraud-detection';
/** How much of any range the canned span metrics cover. */
export const COVERED_SECONDS = 180;
/** Log records the canned /api/logs holds. */
export const LOG_RECORDS = 250;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.map': 'application/json',
};

export async function startFixture(uiDir: string): Promise<Fixture> {
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
    // Variants that are numbers, one with "off" listed last and one with it first.
    {
      name: 'loadgeneratorFloodHomepage',
      description: 'Load generator: each flood task loads the home page this many times',
      variants: { on: 100, off: 0 },
      defaultVariant: 'off',
      state: 'ENABLED',
    },
    {
      name: 'emailMemoryLeak',
      description: 'Email service: keeps memory for every confirmation it sends',
      variants: { off: 0, '1x': 1, '10x': 10, '100x': 100 },
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
    else if (q.includes('count by (service_name)')) {
      // Span metrics that began 3 minutes before the end of the range (a young
      // lab): the service map divides calls by those 180 s, not the range.
      const from = end - COVERED_SECONDS + 15;
      result = [...MAP_SERVICES, LONE_SERVICE].map((s) => ({
        metric: { service_name: s },
        values: [] as [number, string][],
      }));
      for (const r of result as { values: [number, string][] }[])
        for (let t = Math.ceil(from / step) * step; t <= end; t += step) r.values.push([t, '1']);
    } else if (q.includes('by (span_name)'))
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
      // More records than the page's first limit, newest first, cut at the limit asked for.
      const limit = Math.min(1500, Number(p.get('limit') ?? 100) || 100);
      json(res, 200, {
        data: Array.from({ length: Math.min(limit, LOG_RECORDS) }, (_, i) => ({
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
