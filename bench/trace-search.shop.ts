// Shop-like traces for the read benchmarks (trace-search, read-during-ingest):
// the demo's "recommendations" request, 8 spans over 4 services, with the
// attributes the gRPC/HTTP instrumentations set, start times near now (the
// backend's retention and the Jaeger API's lookback both count from now), and
// one trace in 20 slow in the recommendation service, as when the leak flag is
// on. Also the search the benchmarks time, so both time the same one.

import { encodeRequest } from '../src/collector/otlp/testing/otlp-proto';

export const SPANS_PER_TRACE = 8;

/** Jaeger search: service + tag + min duration, limit 20 (issue 5). */
export const SEARCH = {
  service: 'recommendation',
  tags: JSON.stringify({ 'rpc.method': 'ListRecommendations' }),
  minDuration: '100ms',
  limit: '20',
};

export function searchPath(startMs: number, endMs: number): string {
  const q = new URLSearchParams({
    ...SEARCH,
    start: String(startMs * 1000),
    end: String(endMs * 1000),
  });
  return `/jaeger/api/traces?${q.toString()}`;
}

type Kv = { key: string; value: Record<string, unknown> };
const str = (key: string, v: string): Kv => ({ key, value: { stringValue: v } });
const int = (key: string, v: number): Kv => ({ key, value: { intValue: v } });

const SERVICES = ['frontend', 'recommendation', 'product-catalog', 'currency'] as const;
type Service = (typeof SERVICES)[number];

/** A random-looking but reproducible id: `run` keeps runs apart, `n` items apart. */
function id(bytes: number, run: number, n: number, salt: number): Buffer {
  const b = Buffer.alloc(bytes);
  b.writeUInt32BE(run >>> 0, 0);
  b.writeUInt32BE((n * 2654435761 + salt * 40503) >>> 0, 4);
  if (bytes === 16) {
    b.writeUInt32BE(n >>> 0, 8);
    b.writeUInt32BE((salt * 97 + 1) >>> 0, 12);
  }
  return b;
}

export function traceIdHex(run: number, n: number): string {
  return id(16, run, n, 0).toString('hex');
}

export interface TraceBatch {
  readonly body: Uint8Array;
  readonly spans: number;
  /** Hex ids of the traces in this batch. */
  readonly traceIds: string[];
}

/**
 * Traces `first` .. `first + count - 1` of run `run`, each starting at
 * `startMs(n)` (ms since the epoch). Each trace is whole in its batch.
 */
export function traceBatch(
  run: number,
  first: number,
  count: number,
  startMs: (n: number) => number,
): TraceBatch {
  const bySvc = new Map<Service, unknown[]>(SERVICES.map((s) => [s, []]));
  const traceIds: string[] = [];
  for (let n = first; n < first + count; n++) {
    const traceId = id(16, run, n, 0);
    traceIds.push(traceId.toString('hex'));
    const t0 = BigInt(startMs(n)) * 1_000_000n + BigInt((n * 7919) % 1_000_000);
    const slow = n % 20 === 7;
    // Durations in microseconds, varied per trace.
    const jitter = (n * 37) % 100;
    const recMs = slow ? 100_000 + ((n * 131) % 500) * 1000 : 3_000 + jitter * 50;
    const catMs = 800 + jitter * 10;
    const curMs = 300 + jitter * 5;
    const rootUs = recMs + 2 * catMs + curMs + 4_000;
    const sid = (k: number) => id(8, run, n * SPANS_PER_TRACE + k, 1);
    let k = 0;
    const span = (
      svc: Service,
      parent: Buffer | undefined,
      name: string,
      kind: number,
      offUs: number,
      durUs: number,
      attributes: Kv[],
    ): Buffer => {
      const spanId = sid(k++);
      const start = t0 + BigInt(offUs) * 1000n;
      bySvc.get(svc)?.push({
        traceId,
        spanId,
        parentSpanId: parent,
        name,
        kind,
        startTimeUnixNano: start.toString(),
        endTimeUnixNano: (start + BigInt(durUs) * 1000n).toString(),
        attributes,
        status: { code: 0 },
      });
      return spanId;
    };
    const rpc = (service: string, method: string, peer: string, port: number): Kv[] => [
      str('rpc.system', 'grpc'),
      str('rpc.service', `oteldemo.${service}`),
      str('rpc.method', method),
      int('rpc.grpc.status_code', 0),
      str('net.peer.name', peer),
      int('net.peer.port', port),
    ];
    const root = span('frontend', undefined, 'GET /api/recommendations', 2, 0, rootUs, [
      str('http.method', 'GET'),
      str('http.route', '/api/recommendations'),
      str('http.target', `/api/recommendations?productIds=${n % 10}`),
      int('http.status_code', 200),
      str('http.user_agent', 'python-requests/2.31.0'),
      str('session.id', id(8, run, n % 997, 3).toString('hex')),
    ]);
    const recRpc = rpc('RecommendationService', 'ListRecommendations', 'recommendation', 9001);
    const c1 = span(
      'frontend',
      root,
      'oteldemo.RecommendationService/ListRecommendations',
      3,
      500,
      recMs + 400,
      recRpc,
    );
    const rec = span(
      'recommendation',
      c1,
      '/oteldemo.RecommendationService/ListRecommendations',
      2,
      600,
      recMs,
      [
        ...recRpc,
        int('app.products_recommended.count', 5),
        str('app.cache_hit', slow ? 'false' : 'true'),
      ],
    );
    const catRpc = rpc('ProductCatalogService', 'ListProducts', 'product-catalog', 3550);
    const c2 = span(
      'recommendation',
      rec,
      'oteldemo.ProductCatalogService/ListProducts',
      3,
      700,
      catMs,
      catRpc,
    );
    span(
      'product-catalog',
      c2,
      'oteldemo.ProductCatalogService/ListProducts',
      2,
      750,
      catMs - 100,
      [...catRpc, int('app.products.count', 10)],
    );
    const getRpc = rpc('ProductCatalogService', 'GetProduct', 'product-catalog', 3550);
    const c3 = span(
      'frontend',
      root,
      'oteldemo.ProductCatalogService/GetProduct',
      3,
      recMs + 1_000,
      catMs,
      getRpc,
    );
    span(
      'product-catalog',
      c3,
      'oteldemo.ProductCatalogService/GetProduct',
      2,
      recMs + 1_050,
      catMs - 100,
      [...getRpc, str('app.product.id', `OLJCESPC7Z${n % 10}`)],
    );
    span('currency', root, 'Currency/Convert', 2, recMs + catMs + 1_200, curMs, [
      ...rpc('CurrencyService', 'Convert', 'currency', 7001),
      str('app.currency.conversion.from', 'USD'),
      str('app.currency.conversion.to', n % 2 === 0 ? 'EUR' : 'CAD'),
    ]);
  }
  const body = encodeRequest('traces', {
    resourceSpans: SERVICES.map((service) => ({
      resource: {
        attributes: [
          str('service.name', service),
          str('service.namespace', 'opentelemetry-demo'),
          str('telemetry.sdk.language', 'nodejs'),
          str('service.version', '1.11.0'),
        ],
      },
      scopeSpans: [
        {
          scope: { name: '@opentelemetry/instrumentation-grpc', version: '0.223.0' },
          spans: bySvc.get(service) ?? [],
        },
      ],
    })),
  });
  return { body, spans: count * SPANS_PER_TRACE, traceIds };
}
