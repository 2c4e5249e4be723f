import { test } from 'node:test';
import assert from 'node:assert/strict';
import { status } from '@grpc/grpc-js';
import { staticFlags } from '../../flags/openfeature';
import { GrpcError } from '../../grpc/server';
import { FAILING_PRODUCT_ID, PRODUCTS, catalogHandlers } from './catalog';

// The facts the demo's traces and flags rely on: id, name, price, categories
// and picture of each product, in catalog order.
const EXPECTED: ReadonlyArray<[string, string, number, number, string[], string]> = [
  [
    'OLJCESPC7Z',
    'National Park Foundation Explorascope',
    101,
    960_000_000,
    ['telescopes'],
    'NationalParkFoundationExplorascope.jpg',
  ],
  [
    '66VCHSJNUP',
    'Starsense Explorer Refractor Telescope',
    349,
    950_000_000,
    ['telescopes'],
    'StarsenseExplorer.jpg',
  ],
  [
    '1YMWWN1N4O',
    'Eclipsmart Travel Refractor Telescope',
    129,
    950_000_000,
    ['telescopes', 'travel'],
    'EclipsmartTravelRefractorTelescope.jpg',
  ],
  ['L9ECAV7KIM', 'Lens Cleaning Kit', 21, 950_000_000, ['accessories'], 'LensCleaningKit.jpg'],
  ['2ZYFJ3GM2N', 'Roof Binoculars', 209, 950_000_000, ['binoculars'], 'RoofBinoculars.jpg'],
  [
    '0PUK6V6EV0',
    'Solar System Color Imager',
    175,
    0,
    ['accessories', 'telescopes'],
    'SolarSystemColorImager.jpg',
  ],
  [
    'LS4PSXUNUM',
    'Red Flashlight',
    57,
    80_000_000,
    ['accessories', 'flashlights'],
    'RedFlashlight.jpg',
  ],
  [
    '9SIQT8TOJO',
    'Optical Tube Assembly',
    3599,
    0,
    ['accessories', 'telescopes', 'assembly'],
    'OpticalTubeAssembly.jpg',
  ],
  ['6E92ZMYYFZ', 'Solar Filter', 69, 950_000_000, ['accessories', 'telescopes'], 'SolarFilter.jpg'],
  ['HQTGWGPNH4', 'The Comet Book', 0, 990_000_000, ['books'], 'TheCometBook.jpg'],
];

test('the demo catalog: the ten products with their ids, names, USD prices, categories and pictures', () => {
  assert.deepEqual(
    PRODUCTS.map((p) => [
      p.id,
      p.name,
      p.priceUsd.units,
      p.priceUsd.nanos,
      p.categories,
      p.picture,
    ]),
    EXPECTED,
  );
  for (const p of PRODUCTS) {
    assert.equal(p.priceUsd.currencyCode, 'USD');
    // A short description of one or two sentences.
    assert.ok(p.description.length > 40 && p.description.length < 300, p.id);
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
