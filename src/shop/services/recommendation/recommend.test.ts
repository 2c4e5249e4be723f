import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-node';
import { staticFlags } from '../../flags/openfeature';
import { inServerSpan, memorySpans } from '../../telemetry/testing';
import { PRODUCTS } from '../product-catalog/catalog';
import { recommendationHandlers, type CatalogLister } from './recommend';

function catalog(): CatalogLister & { calls: number } {
  const c = {
    calls: 0,
    ListProducts: async () => {
      c.calls++;
      return { products: [...PRODUCTS] };
    },
  };
  return c;
}

/** A random() returning the given values in turn (then 0.99). */
function randomOf(values: number[]): () => number {
  let i = 0;
  return () => values[i++] ?? 0.99;
}

const span = (spans: ReadableSpan[], name: string) => spans.filter((s) => s.name === name);

test('flag off: plain catalog list, cache disabled, at most 5 recommendations without the requested id', async () => {
  const spans = memorySpans();
  const cat = catalog();
  const h = recommendationHandlers({
    catalog: cat,
    flags: staticFlags({ recommendationServiceCacheFailure: false }),
  });
  const res = await inServerSpan('server', () =>
    h.ListRecommendations({ userId: 'u', productIds: ['OLJCESPC7Z'] }),
  );
  assert.equal(res.productIds.length, 5);
  assert.ok(!res.productIds.includes('OLJCESPC7Z'));
  assert.equal(new Set(res.productIds).size, 5);
  const [s] = span(spans.getFinishedSpans(), 'get_product_list');
  assert.ok(s);
  assert.equal(s.attributes['app.recommendation.cache_enabled'], false);
  assert.equal(s.attributes['app.products.count'], 10);
  assert.equal(s.attributes['app.filtered_products.count'], 9);
  assert.deepEqual(s.attributes['app.filtered_products.list'], res.productIds);
  assert.equal(s.attributes['app.cache_hit'], undefined);
  const server = span(spans.getFinishedSpans(), 'server')[0];
  assert.equal(server?.attributes['app.products_recommended.count'], 5);
  assert.equal(s.parentSpanContext?.spanId, server?.spanContext().spanId);
  assert.equal(h.state.cachedIds.length, 0);
});

test('flag on: first call misses, then L -> (L+10)*1.25 per miss; hits reuse the list without calling the catalog', async () => {
  const spans = memorySpans();
  const cat = catalog();
  // first call always misses (first_run); then miss (0.1), hit (0.7), miss (0.2), hit (0.5 is not < 0.5)
  const random = randomOf([
    0.9, 0, 0, 0, 0, 0, 0.1, 0, 0, 0, 0, 0, 0.7, 0, 0, 0, 0, 0, 0.2, 0, 0, 0, 0, 0, 0.5,
  ]);
  const h = recommendationHandlers({
    catalog: cat,
    flags: staticFlags({ recommendationServiceCacheFailure: true }),
    random,
  });
  const lengths: number[] = [];
  for (let i = 0; i < 5; i++) {
    await inServerSpan('server', () => h.ListRecommendations({ userId: 'u', productIds: [] }));
    lengths.push(h.state.cachedIds.length);
  }
  // 0 -> 12 (10 + 10//4=2), -> 27 (22 + 5), hit, -> 46 (37 + 9), hit
  assert.deepEqual(lengths, [12, 27, 27, 46, 46]);
  assert.equal(cat.calls, 3);
  const got = span(spans.getFinishedSpans(), 'get_product_list');
  assert.deepEqual(
    got.map((s) => s.attributes['app.cache_hit']),
    [false, false, true, false, true],
  );
  assert.deepEqual(
    got.map((s) => s.attributes['app.products.count']),
    [12, 27, 27, 46, 46],
  );
  for (const s of got) {
    assert.equal(s.attributes['app.recommendation.cache_enabled'], true);
    // the set difference dedups: never more than the 10 distinct products
    assert.equal(s.attributes['app.filtered_products.count'], 10);
  }
});

test('flag on: growth follows (L+10)*1.25 over many misses', async () => {
  memorySpans();
  const h = recommendationHandlers({
    catalog: catalog(),
    flags: staticFlags({ recommendationServiceCacheFailure: true }),
    random: () => 0,
  });
  let expected = 0;
  for (let i = 0; i < 20; i++) {
    await inServerSpan('server', () =>
      h.ListRecommendations({ userId: 'u', productIds: ['66VCHSJNUP'] }),
    );
    expected += 10;
    expected += Math.floor(expected / 4);
    assert.equal(h.state.cachedIds.length, expected);
  }
  assert.ok(expected > 1000);
});

test('request ids are joined with "" and split on "," like upstream', async () => {
  const spans = memorySpans();
  const h = recommendationHandlers({ catalog: catalog(), flags: staticFlags() });
  // two ids in separate fields become one unknown id: nothing is filtered out
  await inServerSpan('server', () =>
    h.ListRecommendations({ userId: 'u', productIds: ['OLJCESPC7Z', '66VCHSJNUP'] }),
  );
  assert.equal(
    span(spans.getFinishedSpans(), 'get_product_list')[0]?.attributes[
      'app.filtered_products.count'
    ],
    10,
  );
  // one comma-separated field filters both
  await inServerSpan('server', () =>
    h.ListRecommendations({ userId: 'u', productIds: ['OLJCESPC7Z,66VCHSJNUP'] }),
  );
  assert.equal(
    span(spans.getFinishedSpans(), 'get_product_list')[1]?.attributes[
      'app.filtered_products.count'
    ],
    8,
  );
});
