import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Hono } from 'hono';
import { createApiApp } from '../app';
import { FAILED, HIT, MISS, RANGE_QUERY, fixtureStore, nsAt, usAt } from '../testing';
import type { TelemetryStore } from '../../store/store';
import type { Flag, FlagsService } from './flags';

function fakeFlags(): FlagsService & { calls: [string, string][] } {
  const flags = new Map<string, Flag>([
    [
      'recommendationServiceCacheFailure',
      {
        name: 'recommendationServiceCacheFailure',
        description: 'Fail recommendation service cache',
        variants: { on: true, off: false },
        defaultVariant: 'off',
        state: 'ENABLED',
      },
    ],
    [
      'adServiceFailure',
      {
        name: 'adServiceFailure',
        description: 'Fail ad service',
        variants: { on: true, off: false },
        defaultVariant: 'off',
        state: 'ENABLED',
      },
    ],
  ]);
  const calls: [string, string][] = [];
  return {
    calls,
    list: async () => [...flags.values()],
    set: async (name, variant) => {
      calls.push([name, variant]);
      const f = flags.get(name);
      if (f === undefined) throw new Error('unreachable in these tests');
      const updated = { ...f, defaultVariant: variant };
      flags.set(name, updated);
      return updated;
    },
  };
}

let store: TelemetryStore;
let app: Hono;
let flags: ReturnType<typeof fakeFlags>;
before(async () => {
  store = await fixtureStore();
  flags = fakeFlags();
  app = createApiApp({ store, flags, uiDir: '/nonexistent' });
});

async function call(
  path: string,
  init?: RequestInit,
  target: Hono = app,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await target.request(`http://localhost/api${path}`, init);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
const firstError = (body: Record<string, unknown>): string =>
  (body['errors'] as { msg: string }[])[0]?.msg ?? '';
const put = (variant: unknown): RequestInit => ({
  method: 'PUT',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ variant }),
});

test('GET /api/flags lists flags with their variants', async () => {
  const { status, body } = await call('/flags');
  assert.equal(status, 200);
  const list = body['flags'] as Flag[];
  assert.deepEqual(list[0], {
    name: 'recommendationServiceCacheFailure',
    description: 'Fail recommendation service cache',
    variants: { on: true, off: false },
    defaultVariant: 'off',
    state: 'ENABLED',
  });
});

test('PUT /api/flags/:name switches the variant and returns the flag', async () => {
  const { status, body } = await call('/flags/adServiceFailure', put('on'));
  assert.equal(status, 200);
  assert.equal(body['defaultVariant'], 'on');
  assert.deepEqual(flags.calls.at(-1), ['adServiceFailure', 'on']);
});

test('PUT an unknown variant: 400 naming the valid ones, nothing set', async () => {
  const before = flags.calls.length;
  const { status, body } = await call('/flags/adServiceFailure', put('maybe'));
  assert.equal(status, 400);
  assert.match(firstError(body), /no variant "maybe" \(valid: on, off\)/);
  assert.equal(flags.calls.length, before);
});

test('PUT an unknown flag: 404 naming the known ones', async () => {
  const { status, body } = await call('/flags/noSuchFlag', put('on'));
  assert.equal(status, 404);
  assert.match(
    firstError(body),
    /unknown flag "noSuchFlag" \(known: recommendationServiceCacheFailure, adServiceFailure\)/,
  );
});

test('PUT with a body that is not {variant: string}: 400', async () => {
  const notJson = await call('/flags/adServiceFailure', { method: 'PUT', body: 'on' });
  assert.equal(notJson.status, 400);
  assert.match(firstError(notJson.body), /must be JSON/);
  const numeric = await call('/flags/adServiceFailure', put(1));
  assert.equal(numeric.status, 400);
  assert.match(firstError(numeric.body), /"variant" is missing or not a string/);
  const huge = await call('/flags/adServiceFailure', {
    method: 'PUT',
    body: JSON.stringify({ variant: 'x'.repeat(5000) }),
  });
  assert.equal(huge.status, 413);
});

test('without a flags service, /api/flags is a 503 that says why', async () => {
  const bare = createApiApp({ store, uiDir: '/nonexistent' });
  const { status, body } = await call('/flags', undefined, bare);
  assert.equal(status, 503);
  assert.match(firstError(body), /without the shop/);
});

const ids = (body: Record<string, unknown>): string[] =>
  (body['data'] as { traceID: string }[]).map((s) => s.traceID);

test('GET /api/trace-summaries gives list rows in microseconds', async () => {
  const { status, body } = await call(`/trace-summaries?service=frontend&${RANGE_QUERY}`);
  assert.equal(status, 200);
  const rows = body['data'] as Record<string, unknown>[];
  assert.deepEqual(
    rows.map((r) => r['traceID']),
    [HIT, MISS, FAILED],
  );
  assert.deepEqual(rows[1], {
    traceID: MISS,
    rootService: 'frontend',
    rootOperation: 'GET /api/recommendations',
    startTime: usAt(0),
    duration: 902_000,
    spanCount: 3,
    errorCount: 0,
    services: { frontend: 1, recommendation: 2 },
  });
  assert.equal(rows[2]?.['errorCount'], 1);
});

test('GET /api/trace-summaries sorts four ways', async () => {
  const order = async (sort: string): Promise<string[]> =>
    ids((await call(`/trace-summaries?service=frontend&sort=${sort}&${RANGE_QUERY}`)).body);
  assert.deepEqual(await order('recent'), [HIT, MISS, FAILED]);
  assert.deepEqual(await order('longest'), [MISS, FAILED, HIT]);
  assert.deepEqual(await order('shortest'), [HIT, FAILED, MISS]);
  assert.deepEqual((await order('most-spans')).slice(2), [FAILED]);
});

test('GET /api/trace-summaries filters by logfmt tags, operation, durations and limit', async () => {
  const tags = encodeURIComponent('app.cache_hit=false');
  assert.deepEqual(
    ids((await call(`/trace-summaries?service=recommendation&tags=${tags}&${RANGE_QUERY}`)).body),
    [MISS],
  );
  const op = `/trace-summaries?service=recommendation&operation=get_product_list&maxDuration=10ms&${RANGE_QUERY}`;
  assert.deepEqual(ids((await call(op)).body), [HIT]);
  assert.deepEqual(ids((await call(`/trace-summaries?limit=1&${RANGE_QUERY}`)).body), [HIT]);
});

const badLab: [string, RegExp][] = [
  ['/trace-summaries?tags=novalue', /malformed 'tags' parameter.*no "=value"/],
  ['/trace-summaries?sort=random', /unknown sort 'random'/],
  ['/trace-summaries?minDuration=abc', /'minDuration'/],
  ['/trace-summaries?start=abc', /'start'/],
  ['/spans/distribution?maxDuration=-1s', /'maxDuration'.*negative/],
  ['/logs?minSeverity=loud', /'minSeverity' must be 1..24/],
  ['/logs?traceId=xyz', /'traceId' must be up to 32 hex digits/],
  ['/logs?limit=-5', /'limit'/],
];

for (const [path, why] of badLab) {
  test(`GET /api${path} is a 400: ${why.source}`, async () => {
    const { status, body } = await call(path);
    assert.equal(status, 400);
    assert.equal(body['data'], null);
    assert.match(firstError(body), why);
  });
}

test('GET /api/spans/distribution gives count, quantiles and buckets (ns)', async () => {
  const tags = encodeURIComponent('app.cache_hit=false');
  const path = `/spans/distribution?service=recommendation&operation=get_product_list&tags=${tags}&${RANGE_QUERY}`;
  const { status, body } = await call(path);
  assert.equal(status, 200);
  const d = body['data'] as {
    count: number;
    quantiles: Record<string, number>;
    buckets: { le: number | null; count: number }[];
  };
  assert.equal(d.count, 1);
  assert.equal(d.quantiles['p50'], Number(nsAt(900) - nsAt(1)));
  assert.equal(
    d.buckets.reduce((n, b) => n + b.count, 0),
    1,
  );
});

test('GET /api/spans/distribution filters by status', async () => {
  const errors = await call(`/spans/distribution?service=frontend&status=error&${RANGE_QUERY}`);
  assert.equal((errors.body['data'] as { count: number }).count, 1);
  const unset = await call(`/spans/distribution?service=frontend&status=UNSET&${RANGE_QUERY}`);
  assert.equal((unset.body['data'] as { count: number }).count, 2);
  const bad = await call(`/spans/distribution?status=broken&${RANGE_QUERY}`);
  assert.equal(bad.status, 400);
  assert.match(firstError(bad.body), /'status' must be one of unset, ok, error/);
});

test('GET /api/spans/attributes breaks spans down by attribute value', async () => {
  const { status, body } = await call(
    `/spans/attributes?service=recommendation&operation=get_product_list&${RANGE_QUERY}`,
  );
  assert.equal(status, 200);
  const d = body['data'] as {
    spanCount: number;
    keys: { key: string; values: { value: string; count: number }[] }[];
  };
  assert.equal(d.spanCount, 2);
  const hit = d.keys.find((k) => k.key === 'app.cache_hit');
  assert.deepEqual(hit?.values.map((v) => v.value).sort(), ['false', 'true']);
});

test('GET /api/spans/attributes filters by status, as the distribution does', async () => {
  const count = async (status: string): Promise<number> => {
    const r = await call(`/spans/attributes?service=frontend&status=${status}&${RANGE_QUERY}`);
    assert.equal(r.status, 200);
    return (r.body['data'] as { spanCount: number }).spanCount;
  };
  assert.equal(await count('error'), 1);
  assert.equal(await count('unset'), 2);
  const bad = await call(`/spans/attributes?status=broken&${RANGE_QUERY}`);
  assert.equal(bad.status, 400);
  assert.match(firstError(bad.body), /'status' must be one of unset, ok, error/);
});

test('GET /api/logs returns logs with trace links, newest first filters', async () => {
  const { status, body } = await call(`/logs?${RANGE_QUERY}`);
  assert.equal(status, 200);
  const logs = body['data'] as Record<string, unknown>[];
  assert.equal(logs.length, 2);
  const linked = logs.find((l) => l['traceID'] === MISS);
  assert.deepEqual(linked, {
    time: usAt(2),
    timeUnixNano: nsAt(2).toString(),
    severityNumber: 9,
    severityText: 'INFO',
    body: 'Receive ListRecommendations for product ids:[OLJCESPC7Z]',
    service: 'recommendation',
    attributes: { count: 5 },
    resource: { 'service.name': 'recommendation' },
    scope: { name: 'test-scope', version: '1.0.0' },
    eventName: '',
    traceID: MISS,
    spanID: '0000000000000002',
  });
});

test('GET /api/logs filters by severity, service, text and trace id', async () => {
  const errors = await call(`/logs?minSeverity=error&${RANGE_QUERY}`);
  assert.deepEqual(
    (errors.body['data'] as { service: string }[]).map((l) => l.service),
    ['frontend'],
  );
  const structured = (errors.body['data'] as { body: unknown }[])[0]?.body;
  assert.deepEqual(structured, { msg: 'catalog down', code: 14 });
  const byTrace = await call(`/logs?traceId=${MISS}&${RANGE_QUERY}`);
  assert.equal((byTrace.body['data'] as unknown[]).length, 1);
  const byText = await call(`/logs?text=listrecommendations&service=recommendation&${RANGE_QUERY}`);
  assert.equal((byText.body['data'] as unknown[]).length, 1);
  const none = await call(`/logs?service=frontend&minSeverity=21&${RANGE_QUERY}`);
  assert.deepEqual(none.body['data'], []);
});

test('GET /api/dependencies gives service-map edges with call and error counts', async () => {
  const { status, body } = await call(`/dependencies?${RANGE_QUERY}`);
  assert.equal(status, 200);
  assert.deepEqual(body['data'], [
    { parent: 'frontend', child: 'recommendation', callCount: 2, errorCount: 0 },
  ]);
});

test('an unknown /api path is a JSON 404, not the UI', async () => {
  const { status, body } = await call('/nope');
  assert.equal(status, 404);
  assert.match(firstError(body), /no such endpoint: GET \/api\/nope/);
});
