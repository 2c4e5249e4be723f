import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Hono } from 'hono';
import { createApiApp } from '../app';
import { FAILED, HIT, MISS, T0_MS, fixtureStore, nsAt } from '../testing';

let app: Hono;
before(async () => {
  app = createApiApp({ store: await fixtureStore(), uiDir: '/nonexistent' });
});

async function get(path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await app.request(`http://localhost/jaeger${path}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const iso = (msAfterT0: number): string => new Date(T0_MS + msAfterT0).toISOString();
const WINDOW = `query.start_time_min=${iso(-60_000)}&query.start_time_max=${iso(60_000)}`;
const WINDOW_CAMEL = `query.startTimeMin=${iso(-60_000)}&query.startTimeMax=${iso(60_000)}`;

interface OtlpSpan {
  traceId: string;
  spanId: string;
  name: string;
  attributes?: { key: string; value: Record<string, unknown> }[];
}
interface OtlpResult {
  result: {
    resourceSpans: {
      resource: { attributes: { key: string; value: { stringValue: string } }[] };
      scopeSpans: { scope: Record<string, unknown>; spans: OtlpSpan[] }[];
    }[];
  };
}

const traceIdsOf = (body: unknown): string[] => [
  ...new Set(
    (body as OtlpResult).result.resourceSpans.flatMap((r) =>
      r.scopeSpans.flatMap((s) => s.spans.map((x) => x.traceId)),
    ),
  ),
];

test('/api/v3/services answers {services}', async () => {
  const { status, body } = await get('/api/v3/services');
  assert.equal(status, 200);
  assert.deepEqual(body, { services: ['frontend', 'recommendation'] });
});

test('/api/v3/operations answers {operations:[{name,spanKind}]}, both spanKind spellings', async () => {
  const camel = await get('/api/v3/operations?service=recommendation&spanKind=internal');
  assert.deepEqual(camel.body, {
    operations: [{ name: 'get_product_list', spanKind: 'internal' }],
  });
  const snake = await get('/api/v3/operations?service=recommendation&span_kind=server');
  assert.deepEqual(snake.body, {
    operations: [
      { name: '/oteldemo.RecommendationService/ListRecommendations', spanKind: 'server' },
    ],
  });
});

test('/api/v3/operations without service is a gateway-style 400', async () => {
  const { status, body } = await get('/api/v3/operations');
  assert.equal(status, 400);
  assert.deepEqual(body, { error: { httpCode: 400, message: "parameter 'service' is required" } });
});

test('/api/v3/traces/{id} answers OTLP/JSON in {result}', async () => {
  const { status, body } = await get(`/api/v3/traces/${MISS}`);
  assert.equal(status, 200);
  const r = (body as unknown as OtlpResult).result;
  assert.deepEqual(
    r.resourceSpans.map(
      (rs) => rs.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue,
    ),
    ['frontend', 'recommendation'],
  );
  const spans = r.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((s) => s.spans));
  const internal = spans.find((s) => s.name === 'get_product_list') as unknown as Record<
    string,
    unknown
  >;
  assert.deepEqual(internal, {
    traceId: MISS,
    spanId: '0000000000000003',
    parentSpanId: '0000000000000002',
    name: 'get_product_list',
    kind: 1,
    startTimeUnixNano: nsAt(1).toString(),
    endTimeUnixNano: nsAt(900).toString(),
    attributes: [
      { key: 'app.recommendation.cache_enabled', value: { boolValue: true } },
      { key: 'app.cache_hit', value: { boolValue: false } },
      { key: 'app.products.count', value: { intValue: '364000' } },
    ],
    events: [
      {
        timeUnixNano: nsAt(1).toString(),
        name: 'cache checked',
        attributes: [{ key: 'hit', value: { boolValue: false } }],
      },
    ],
    status: {},
  });
});

test('/api/v3/traces/{id} of an unknown trace is 404; a bad id 400', async () => {
  const missing = await get(`/api/v3/traces/${'f'.repeat(32)}`);
  assert.equal(missing.status, 404);
  assert.deepEqual(missing.body, { error: { httpCode: 404, message: 'trace not found' } });
  const bad = await get('/api/v3/traces/xyz');
  assert.equal(bad.status, 400);
  assert.match((bad.body['error'] as { message: string }).message, /trace_id/);
});

test('/api/v3/traces: snake_case and camelCase spellings give the same answer', async () => {
  const snake = await get(
    `/api/v3/traces?query.service_name=recommendation&query.operation_name=get_product_list&${WINDOW}`,
  );
  const camel = await get(
    `/api/v3/traces?query.serviceName=recommendation&query.operationName=get_product_list&${WINDOW_CAMEL}`,
  );
  assert.equal(snake.status, 200);
  assert.deepEqual(traceIdsOf(snake.body), [HIT, MISS]);
  assert.deepEqual(camel.body, snake.body);
});

test('/api/v3/traces: attributes, durations and search depth filter', async () => {
  const attrs = encodeURIComponent('{"app.cache_hit":"false"}');
  const miss = await get(
    `/api/v3/traces?query.serviceName=recommendation&query.attributes=${attrs}&${WINDOW}`,
  );
  assert.deepEqual(traceIdsOf(miss.body), [MISS]);
  const slow = await get(
    `/api/v3/traces?query.serviceName=recommendation&query.durationMin=100ms&${WINDOW}`,
  );
  assert.deepEqual(traceIdsOf(slow.body), [MISS]);
  const fast = await get(
    `/api/v3/traces?query.service_name=recommendation&query.duration_max=50ms&${WINDOW}`,
  );
  assert.deepEqual(traceIdsOf(fast.body), [HIT]);
  const one = await get(
    `/api/v3/traces?query.service_name=frontend&query.search_depth=1&${WINDOW}`,
  );
  assert.deepEqual(traceIdsOf(one.body), [HIT]);
  const numTraces = await get(
    `/api/v3/traces?query.service_name=frontend&query.num_traces=2&${WINDOW}`,
  );
  assert.deepEqual(traceIdsOf(numTraces.body), [HIT, MISS]);
});

test('/api/v3/traces: the time window is RFC 3339 with nanosecond digits', async () => {
  const { body } = await get(
    `/api/v3/traces?query.serviceName=frontend&query.startTimeMin=${iso(-1)}&query.startTimeMax=2023-11-14T22:13:25.000000001Z`,
  );
  assert.deepEqual(traceIdsOf(body), [MISS]);
});

const bad: [string, RegExp][] = [
  ['query.serviceName=frontend', /query.startTimeMin and query.startTimeMax are required/],
  [
    `query.serviceName=frontend&query.startTimeMin=yesterday&query.startTimeMax=${iso(0)}`,
    /malformed parameter query.startTimeMin/,
  ],
  [`query.start_time_min=${iso(0)}&query.start_time_max=${iso(0)}`, /must be before/],
  [`${WINDOW}&query.search_depth=-1`, /malformed parameter query.search_depth/],
  [`${WINDOW}&query.durationMin=1parsec`, /'query.durationMin'/],
  [
    `${WINDOW}&query.duration_min=2s&query.duration_max=1s`,
    /'query.duration_max' should be greater/,
  ],
  [`${WINDOW}&query.attributes=%5B1%5D`, /malformed 'query.attributes'/],
];

for (const [query, why] of bad) {
  test(`/api/v3/traces?${query.slice(0, 40)}... is a 400: ${why.source}`, async () => {
    const { status, body } = await get(`/api/v3/traces?${query}`);
    assert.equal(status, 400);
    assert.equal((body['error'] as { httpCode: number }).httpCode, 400);
    assert.match((body['error'] as { message: string }).message, why);
  });
}

test('/api/v3/trace-summaries gives Jaeger TraceSummary objects', async () => {
  const { status, body } = await get(
    `/api/v3/trace-summaries?query.serviceName=frontend&${WINDOW}`,
  );
  assert.equal(status, 200);
  const summaries = body['summaries'] as Record<string, unknown>[];
  assert.deepEqual(
    summaries.map((s) => s['traceId']),
    [HIT, MISS, FAILED],
  );
  assert.deepEqual(summaries[1], {
    traceId: MISS,
    rootServiceName: 'frontend',
    rootOperationName: 'GET /api/recommendations',
    minStartTimeUnixNano: nsAt(0).toString(),
    maxEndTimeUnixNano: nsAt(902).toString(),
    spanCount: 3,
    errorSpanCount: 0,
    orphanSpanCount: 0,
    services: [
      { name: 'frontend', spanCount: 1, errorSpanCount: 0 },
      { name: 'recommendation', spanCount: 2, errorSpanCount: 0 },
    ],
  });
  assert.equal(summaries[2]?.['errorSpanCount'], 1);
  assert.deepEqual(summaries[2]?.['services'], [
    { name: 'frontend', spanCount: 1, errorSpanCount: 1 },
  ]);
});

test('/api/v3/trace-summaries honours sort for the lab UI', async () => {
  const { body } = await get(
    `/api/v3/trace-summaries?query.serviceName=frontend&sort=longest&${WINDOW}`,
  );
  assert.deepEqual(
    (body['summaries'] as { traceId: string }[]).map((s) => s.traceId),
    [MISS, FAILED, HIT],
  );
});
