import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createApiApp } from '../app';
import type { Hono } from 'hono';
import { FAILED, HIT, MISS, RANGE_QUERY, fixtureStore, usAt } from '../testing';

let app: Hono;
before(async () => {
  app = createApiApp({ store: await fixtureStore(), uiDir: '/nonexistent' });
});

async function get(path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await app.request(`http://localhost/jaeger${path}`);
  assert.match(res.headers.get('content-type') ?? '', /application\/json/);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const traceIds = (body: Record<string, unknown>): string[] =>
  (body['data'] as { traceID: string }[]).map((t) => t.traceID);

test('/api/services lists services in the envelope with total', async () => {
  const { status, body } = await get('/api/services');
  assert.equal(status, 200);
  assert.deepEqual(body, {
    data: ['frontend', 'recommendation'],
    total: 2,
    limit: 0,
    offset: 0,
    errors: null,
  });
});

test('/api/services/{service}/operations lists operation names', async () => {
  const { body } = await get('/api/services/recommendation/operations');
  assert.deepEqual([...(body['data'] as string[])].sort(), [
    '/oteldemo.RecommendationService/ListRecommendations',
    'get_product_list',
  ]);
  assert.equal(body['total'], 2);
});

test('/api/operations gives name and spanKind, filtered by spanKind', async () => {
  const all = await get('/api/operations?service=recommendation');
  assert.deepEqual(
    (all.body['data'] as { name: string }[]).sort((a, b) => a.name.localeCompare(b.name)),
    [
      { name: '/oteldemo.RecommendationService/ListRecommendations', spanKind: 'server' },
      { name: 'get_product_list', spanKind: 'internal' },
    ],
  );
  const servers = await get('/api/operations?service=recommendation&spanKind=server');
  assert.deepEqual(servers.body['data'], [
    { name: '/oteldemo.RecommendationService/ListRecommendations', spanKind: 'server' },
  ]);
});

test('/api/operations without service is a 400 naming it', async () => {
  const { status, body } = await get('/api/operations');
  assert.equal(status, 400);
  assert.deepEqual(body, {
    data: null,
    total: 0,
    limit: 0,
    offset: 0,
    errors: [{ code: 400, msg: "parameter 'service' is required" }],
  });
});

test('/api/traces/{id} returns the whole trace, field by field', async () => {
  const { status, body } = await get(`/api/traces/${MISS}`);
  assert.equal(status, 200);
  assert.deepEqual(Object.keys(body), ['data', 'total', 'limit', 'offset', 'errors']);
  const [trace] = body['data'] as Record<string, unknown>[];
  assert.equal(trace?.['traceID'], MISS);
  assert.equal(trace?.['warnings'], null);
  assert.deepEqual(trace?.['processes'], {
    p1: {
      serviceName: 'frontend',
      tags: [{ key: 'service.version', type: 'string', value: '1.0' }],
    },
    p2: { serviceName: 'recommendation', tags: [] },
  });
  const spans = trace?.['spans'] as Record<string, unknown>[];
  assert.equal(spans.length, 3);
  const internal = spans.find((s) => s['operationName'] === 'get_product_list');
  assert.deepEqual(internal, {
    traceID: MISS,
    spanID: '0000000000000003',
    operationName: 'get_product_list',
    references: [{ refType: 'CHILD_OF', traceID: MISS, spanID: '0000000000000002' }],
    startTime: usAt(1),
    duration: 899_000,
    tags: [
      { key: 'app.recommendation.cache_enabled', type: 'bool', value: true },
      { key: 'app.cache_hit', type: 'bool', value: false },
      { key: 'app.products.count', type: 'int64', value: 364000 },
      { key: 'otel.scope.name', type: 'string', value: 'recommendation' },
      { key: 'span.kind', type: 'string', value: 'internal' },
    ],
    logs: [
      {
        timestamp: usAt(1),
        fields: [
          { key: 'event', type: 'string', value: 'cache checked' },
          { key: 'hit', type: 'bool', value: false },
        ],
      },
    ],
    processID: 'p2',
    warnings: null,
  });
});

test('/api/traces/{id} accepts upper case and short ids', async () => {
  const { status, body } = await get(`/api/traces/${MISS.replace(/^0+/, '').toUpperCase()}`);
  assert.equal(status, 200);
  assert.deepEqual(traceIds(body), [MISS]);
});

test('/api/traces/{id} of an unknown trace is 404 "trace not found"', async () => {
  const { status, body } = await get(`/api/traces/${'f'.repeat(32)}`);
  assert.equal(status, 404);
  assert.deepEqual(body['errors'], [{ code: 404, msg: 'trace not found' }]);
  assert.equal(body['data'], null);
});

test('/api/traces/{id} with a non-hex id is 400', async () => {
  const { status, body } = await get('/api/traces/not-a-trace');
  assert.equal(status, 400);
  assert.match((body['errors'] as { msg: string }[])[0]?.msg ?? '', /traceID/);
});

test('/api/traces by service finds every trace touching it, most recent first', async () => {
  const { status, body } = await get(`/api/traces?service=frontend&${RANGE_QUERY}`);
  assert.equal(status, 200);
  assert.deepEqual(traceIds(body), [HIT, MISS, FAILED]);
  assert.equal(body['errors'], null);
});

test('/api/traces: tags as JSON map and tag=k:v both filter', async () => {
  const json = await get(
    `/api/traces?service=recommendation&tags=${encodeURIComponent('{"app.cache_hit":"false"}')}&${RANGE_QUERY}`,
  );
  assert.deepEqual(traceIds(json.body), [MISS]);
  const kv = await get(`/api/traces?service=recommendation&tag=app.cache_hit:true&${RANGE_QUERY}`);
  assert.deepEqual(traceIds(kv.body), [HIT]);
  const both = await get(
    `/api/traces?service=recommendation&tag=app.cache_hit:true&tag=app.products.count:10&${RANGE_QUERY}`,
  );
  assert.deepEqual(traceIds(both.body), [HIT]);
});

test('/api/traces: operation and Go-duration bounds filter', async () => {
  const slow = await get(
    `/api/traces?service=recommendation&operation=get_product_list&minDuration=100ms&${RANGE_QUERY}`,
  );
  assert.deepEqual(traceIds(slow.body), [MISS]);
  const fast = await get(
    `/api/traces?service=recommendation&operation=get_product_list&maxDuration=0.5s&minDuration=500us&${RANGE_QUERY}`,
  );
  assert.deepEqual(traceIds(fast.body), [HIT]);
});

test('/api/traces: start/end in microseconds bound the search', async () => {
  const { body } = await get(`/api/traces?service=frontend&start=${usAt(-1000)}&end=${usAt(5000)}`);
  assert.deepEqual(traceIds(body), [MISS]);
});

test('/api/traces: limit and sort', async () => {
  const limited = await get(`/api/traces?service=frontend&limit=1&${RANGE_QUERY}`);
  assert.deepEqual(traceIds(limited.body), [HIT]);
  const longest = await get(`/api/traces?service=frontend&sort=longest&${RANGE_QUERY}`);
  assert.deepEqual(traceIds(longest.body), [MISS, FAILED, HIT]);
  const shortest = await get(`/api/traces?service=frontend&sort=shortest&${RANGE_QUERY}`);
  assert.deepEqual(traceIds(shortest.body), [HIT, FAILED, MISS]);
  const mostSpans = await get(`/api/traces?service=frontend&sort=most-spans&${RANGE_QUERY}`);
  assert.deepEqual(traceIds(mostSpans.body).at(-1), FAILED);
});

test('/api/traces?traceID= fetches those traces', async () => {
  const { body } = await get(`/api/traces?traceID=${HIT}&traceID=${'e'.repeat(32)}`);
  assert.deepEqual(traceIds(body), [HIT]);
});

test('/api/traces: the error trace carries error=true and otel.status_code', async () => {
  const { body } = await get(`/api/traces/${FAILED}`);
  const tags = ((body['data'] as { spans: { tags: unknown[] }[] }[])[0]?.spans[0]?.tags ?? []) as {
    key: string;
  }[];
  assert.deepEqual(
    tags.filter((t) => ['error', 'otel.status_code', 'otel.status_description'].includes(t.key)),
    [
      { key: 'otel.status_code', type: 'string', value: 'ERROR' },
      { key: 'error', type: 'bool', value: true },
      { key: 'otel.status_description', type: 'string', value: 'catalog down' },
    ],
  );
});

const badSearches: [string, RegExp][] = [
  ['', /parameter 'service' is required/],
  ['service=frontend&minDuration=fast', /'minDuration'.*invalid duration/],
  ['service=frontend&maxDuration=1x', /'maxDuration'.*unknown unit/],
  [
    'service=frontend&minDuration=2s&maxDuration=1s',
    /'maxDuration' should be greater than 'minDuration'/,
  ],
  ['service=frontend&limit=ten', /'limit'/],
  ['service=frontend&start=yesterday', /'start'/],
  ['service=frontend&end=1.5', /'end'/],
  [`service=frontend&start=${usAt(10)}&end=${usAt(0)}`, /'start' must not be after/],
  ['service=frontend&tag=novalue', /malformed 'tag' parameter/],
  ['service=frontend&tags=%7Bnot-json', /malformed 'tags' parameter/],
  ['service=frontend&tags=%7B%22a%22%3A1%7D', /"a" is not a string/],
  ['service=frontend&sort=oldest', /unknown sort 'oldest'/],
  ['service=frontend&spanKind=weird', /unsupported span kind/],
  ['service=frontend&lookback=forever', /'lookback'/],
];

for (const [query, why] of badSearches) {
  test(`/api/traces?${query.slice(0, 50)} is a 400: ${why.source}`, async () => {
    const { status, body } = await get(`/api/traces?${query}`);
    assert.equal(status, 400);
    assert.equal(body['data'], null);
    const errors = body['errors'] as { code: number; msg: string }[];
    assert.equal(errors[0]?.code, 400);
    assert.match(errors[0]?.msg ?? '', why);
  });
}

test('/api/traces: a huge limit is capped and a huge range still answers', async () => {
  const { status, body } = await get(
    `/api/traces?service=frontend&limit=999999999&start=0&end=${usAt(60_000)}`,
  );
  assert.equal(status, 200);
  assert.ok(Array.isArray(body['data']));
});

test('/api/dependencies gives parent/child/callCount', async () => {
  const { status, body } = await get(
    `/api/dependencies?endTs=${(usAt(60_000) / 1000).toFixed(0)}&lookback=3600000`,
  );
  assert.equal(status, 200);
  assert.deepEqual(body['data'], [{ parent: 'frontend', child: 'recommendation', callCount: 2 }]);
});

test('/api/dependencies with a bad endTs is a 400 naming it', async () => {
  const { status, body } = await get('/api/dependencies?endTs=soon');
  assert.equal(status, 400);
  assert.match((body['errors'] as { msg: string }[])[0]?.msg ?? '', /'endTs'/);
});

test('an unknown /jaeger path is a JSON 404', async () => {
  const { status, body } = await get('/api/nothing');
  assert.equal(status, 404);
  assert.match((body['errors'] as { msg: string }[])[0]?.msg ?? '', /no such endpoint/);
});
