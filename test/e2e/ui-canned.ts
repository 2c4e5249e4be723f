// Canned, scenario-shaped data for the lab UI's browser tests (cache misses
// are slow), a 10,000-span trace for the virtual list, and the fixed clock
// the fixture suite runs at so its screenshots are stable.

/** An attribute value and a log body holding HTML: the UI must show it as text. */
export const XSS = '<img src=x onerror=alert(1)>';

export interface Tag {
  key: string;
  type: string;
  value: string | number | boolean;
}
export interface FSpan {
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
export interface FTrace {
  traceID: string;
  spans: FSpan[];
  processes: Record<string, { serviceName: string; tags: Tag[] }>;
  warnings: null;
}

export const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');
const tag = (key: string, value: string | number | boolean): Tag => ({
  key,
  type: typeof value === 'boolean' ? 'bool' : typeof value === 'number' ? 'int64' : 'string',
  value,
});
export const SERVICES = ['frontend', 'recommendation', 'product-catalog'];

export function makeTraces(nowUs: number): FTrace[] {
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
export const FIXED_NOW_MS = Date.UTC(2026, 10, 26, 10, 0, 0);

export const BIG_TRACE = 'b16b16b16b16b16b16b16b16b16b16b1';
export const BIG_SPANS = 10_000;

// A 10,000-span trace (100 calls of 99 children each), for the virtual list.
export function bigTrace(nowUs: number): FTrace {
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

export function summarize(t: FTrace): Record<string, unknown> {
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

export function logfmtTags(text: string): [string, string][] {
  return [...text.matchAll(/([^\s=]+)=("(?:[^"\\]|\\.)*"|\S*)/g)].map((m) => [
    m[1] ?? '',
    (m[2] ?? '').replace(/^"|"$/g, '').replace(/\\"/g, '"'),
  ]);
}
