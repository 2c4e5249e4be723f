import { test } from 'node:test';
import assert from 'node:assert/strict';
import { status } from '@grpc/grpc-js';
import { staticFlags } from '../../flags/openfeature';
import { GrpcError } from '../../grpc/server';
import { FAILING_PRODUCT_ID, PRODUCTS, catalogHandlers } from './catalog';

test('the demo catalog: ten products with ids, prices in USD and categories', () => {
  assert.equal(PRODUCTS.length, 10);
  assert.ok(
    PRODUCTS.some(
      (p) => p.id === 'OLJCESPC7Z' && p.name === 'National Park Foundation Explorascope',
    ),
  );
  for (const p of PRODUCTS) {
    assert.match(p.id, /^[A-Z0-9]{10}$/);
    assert.equal(p.priceUsd.currencyCode, 'USD');
    assert.ok(p.categories.length > 0);
    assert.match(p.picture, /\.jpg$/);
  }
});

test('ListProducts, GetProduct, SearchProducts', async () => {
  const h = catalogHandlers(staticFlags());
  assert.equal((await h.ListProducts({})).products.length, 10);
  const p = await h.GetProduct({ id: '66VCHSJNUP' });
  assert.equal(p.id, '66VCHSJNUP');
  await assert.rejects(h.GetProduct({ id: 'NOPE' }), (e: GrpcError) => e.code === status.NOT_FOUND);
  const found = await h.SearchProducts({ query: 'TELESCOPE' });
  assert.ok(found.results.length > 0);
  assert.ok(found.results.every((r) => /telescope/i.test(r.name + r.description)));
});

test('productCatalogFailure: GetProduct fails for OLJCESPC7Z only', async () => {
  const flags = staticFlags({ productCatalogFailure: true });
  const h = catalogHandlers(flags);
  await assert.rejects(
    h.GetProduct({ id: FAILING_PRODUCT_ID }),
    (e: GrpcError) => e.code === status.INTERNAL && /Fail Feature Flag Enabled/.test(e.message),
  );
  assert.equal((await h.GetProduct({ id: '66VCHSJNUP' })).id, '66VCHSJNUP');
  flags.set('productCatalogFailure', false);
  assert.equal((await h.GetProduct({ id: FAILING_PRODUCT_ID })).id, FAILING_PRODUCT_ID);
});
