// The trace APIs answer the same on every store: the same data written to
// the in-memory store and to DuckDB must give byte-identical responses for
// every endpoint (good and bad requests alike).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Hono } from 'hono';
import { createApiApp } from '../../src/api/app';
import { FAILED, MISS, RANGE_QUERY, T0_MS, fixtureStore } from '../../src/api/testing';
import { createDuckDbStore } from '../../src/store/duckdb';
import type { TelemetryStore } from '../../src/store/store';

let memory: Hono;
let duck: Hono;
let duckStore: TelemetryStore;

before(async () => {
  memory = createApiApp({ store: await fixtureStore(), uiDir: '/nonexistent' });
  duckStore = await fixtureStore(await createDuckDbStore({ dataDir: ':memory:' }));
  duck = createApiApp({ store: duckStore, uiDir: '/nonexistent' });
});

after(async () => {
  await duckStore.close();
});

const iso = (msAfterT0: number): string => new Date(T0_MS + msAfterT0).toISOString();
const V3_WINDOW = `query.startTimeMin=${iso(-60_000)}&query.startTimeMax=${iso(60_000)}`;
const tags = (json: string): string => encodeURIComponent(json);

const paths = [
  '/jaeger/api/services',
  '/jaeger/api/services/recommendation/operations',
  '/jaeger/api/operations?service=recommendation',
  '/jaeger/api/operations?service=recommendation&spanKind=internal',
  `/jaeger/api/traces/${MISS}`,
  `/jaeger/api/traces/${FAILED}`,
  `/jaeger/api/traces/${'f'.repeat(32)}`,
  `/jaeger/api/traces?service=frontend&${RANGE_QUERY}`,
  `/jaeger/api/traces?service=frontend&sort=longest&${RANGE_QUERY}`,
  `/jaeger/api/traces?service=frontend&sort=shortest&limit=2&${RANGE_QUERY}`,
  `/jaeger/api/traces?service=recommendation&tags=${tags('{"app.cache_hit":"false"}')}&${RANGE_QUERY}`,
  `/jaeger/api/traces?service=recommendation&tag=app.products.count:10&${RANGE_QUERY}`,
  `/jaeger/api/traces?service=recommendation&operation=get_product_list&minDuration=100ms&${RANGE_QUERY}`,
  `/jaeger/api/traces?service=frontend&tag=error:true&${RANGE_QUERY}`,
  '/jaeger/api/traces?service=frontend&minDuration=bogus',
  `/jaeger/api/dependencies?endTs=${T0_MS + 60_000}&lookback=3600000`,
  '/jaeger/api/v3/services',
  '/jaeger/api/v3/operations?service=frontend',
  `/jaeger/api/v3/traces/${MISS}`,
  `/jaeger/api/v3/traces?query.serviceName=recommendation&${V3_WINDOW}`,
  `/jaeger/api/v3/trace-summaries?query.serviceName=frontend&${V3_WINDOW}`,
  `/api/trace-summaries?${RANGE_QUERY}`,
  `/api/trace-summaries?service=recommendation&tags=${tags('app.cache_hit=true')}&sort=most-spans&${RANGE_QUERY}`,
  `/api/logs?${RANGE_QUERY}`,
  `/api/logs?traceId=${MISS}&${RANGE_QUERY}`,
  `/api/dependencies?${RANGE_QUERY}`,
];

for (const path of paths) {
  test(`same answer from memory and DuckDB: ${path.slice(0, 90)}`, async () => {
    const a = await memory.request(`http://localhost${path}`);
    const b = await duck.request(`http://localhost${path}`);
    assert.equal(b.status, a.status);
    assert.deepEqual(JSON.parse(await b.text()), JSON.parse(await a.text()));
  });
}
