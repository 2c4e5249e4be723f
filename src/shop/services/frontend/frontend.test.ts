import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { staticFlags } from '../../flags/openfeature';
import { adHandlers } from '../ad/ads';
import { cartHandlers } from '../cart/cart';
import { checkoutHandlers } from '../checkout/checkout';
import { currencyHandlers } from '../currency/currency';
import { emailHandlers } from '../email/email';
import { paymentHandlers } from '../payment/charge';
import { catalogHandlers } from '../product-catalog/catalog';
import { recommendationHandlers } from '../recommendation/recommend';
import { asClient } from '../shared/testing';
import { shippingHandlers } from '../shipping/shipping';
import { escapeXml, productSvg } from './images';
import { startFrontend, type RunningHttp } from './server';

const flags = staticFlags();
let running: RunningHttp;
let base: string;

before(async () => {
  const catalog = asClient(catalogHandlers(flags));
  const cart = asClient<'CartService'>(cartHandlers(flags));
  const currency = asClient(currencyHandlers());
  const shipping = asClient(shippingHandlers());
  const payment = asClient(paymentHandlers({ flags }));
  const clients = {
    catalog,
    cart,
    currency,
    shipping,
    recommendation: asClient<'RecommendationService'>(recommendationHandlers({ catalog, flags })),
    ad: asClient(adHandlers({ flags })),
    checkout: asClient(
      checkoutHandlers({
        cart,
        catalog,
        currency,
        shipping,
        payment,
        email: asClient(emailHandlers(flags)),
        paymentAt: () => payment,
        flags,
      }),
    ),
  };
  running = await startFrontend({ clients, flags }, 0);
  base = `http://127.0.0.1:${running.port}`;
});

after(() => running.close());

async function call(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: unknown }> {
  const res = await fetch(base + path, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

interface P {
  id: string;
  priceUsd: { currencyCode: string };
}

test('products: list and one, priced in the asked currency; unknown id 404, bad id 400', async () => {
  const list = await call('GET', '/api/products?currencyCode=EUR');
  assert.equal(list.status, 200);
  const products = list.json as P[];
  assert.equal(products.length, 10);
  assert.ok(products.every((p) => p.priceUsd.currencyCode === 'EUR'));
  const one = await call('GET', '/api/products/OLJCESPC7Z');
  assert.equal((one.json as P).id, 'OLJCESPC7Z');
  assert.equal((one.json as P).priceUsd.currencyCode, 'USD');
  assert.equal((await call('GET', '/api/products/NOPE12345')).status, 404);
  const bad = await call('GET', '/api/products/%3Cscript%3E');
  assert.equal(bad.status, 400);
  assert.match((bad.json as { error: string }).error, /productId must be/);
  assert.equal((await call('GET', '/api/products?currencyCode=euro')).status, 400);
  assert.equal((await call('GET', '/api/products/%E0%A4%A')).status, 400);
});

test('recommendations: at most 4 products, never the requested one; ads by context key', async () => {
  const r = await call(
    'GET',
    '/api/recommendations?productIds=OLJCESPC7Z&sessionId=s1&currencyCode=USD',
  );
  assert.equal(r.status, 200);
  const recs = r.json as P[];
  assert.equal(recs.length, 4);
  assert.ok(recs.every((p) => p.id !== 'OLJCESPC7Z'));
  const ads = await call('GET', '/api/data?contextKeys=binoculars');
  assert.deepEqual(ads.json, [
    { redirectUrl: '/product/2ZYFJ3GM2N', text: 'Roof Binoculars: half price this week.' },
  ]);
});

test('cart and checkout with upstream bodies', async () => {
  const added = await call('POST', '/api/cart', {
    userId: 's2',
    item: { productId: '66VCHSJNUP', quantity: 2 },
  });
  assert.equal(added.status, 200);
  assert.deepEqual(added.json, { userId: 's2', items: [{ productId: '66VCHSJNUP', quantity: 2 }] });
  const cart = await call('GET', '/api/cart?sessionId=s2&currencyCode=EUR');
  const items = (cart.json as { items: Array<{ quantity: number; product: P }> }).items;
  assert.equal(items[0]?.product.priceUsd.currencyCode, 'EUR');
  const order = await call('POST', '/api/checkout?currencyCode=USD', {
    userId: 's2',
    email: 'someone@example.com',
    userCurrency: 'USD',
    address: { streetAddress: '1', city: 'c', state: 's', country: 'x', zipCode: '94043' },
    creditCard: {
      creditCardNumber: '4432-8015-6152-0454',
      creditCardCvv: 672,
      creditCardExpirationYear: 2099,
      creditCardExpirationMonth: 1,
    },
  });
  assert.equal(order.status, 200);
  const o = order.json as { orderId: string; items: Array<{ item: { product: P } }> };
  assert.match(o.orderId, /^[0-9a-f-]{36}$/);
  assert.equal(o.items[0]?.item.product.id, '66VCHSJNUP');
  assert.deepEqual((await call('GET', '/api/cart?sessionId=s2')).json, { userId: 's2', items: [] });
  await call('POST', '/api/cart', { userId: 's2', item: { productId: '66VCHSJNUP', quantity: 1 } });
  assert.equal((await call('DELETE', '/api/cart', { userId: 's2' })).status, 204);
  assert.deepEqual((await call('GET', '/api/cart?sessionId=s2')).json, { userId: 's2', items: [] });
});

test('bad requests say what is wrong', async () => {
  const noItem = await call('POST', '/api/cart', { userId: 's3' });
  assert.equal(noItem.status, 400);
  assert.match((noItem.json as { error: string }).error, /item must be an object/);
  const badCard = await call('POST', '/api/checkout', {
    userId: 's3',
    email: 'a@b.c',
    address: {},
    creditCard: {},
  });
  assert.equal(badCard.status, 400);
  const res = await fetch(`${base}/api/cart`, { method: 'POST', body: '{not json' });
  assert.equal(res.status, 400);
  assert.match(((await res.json()) as { error: string }).error, /not valid JSON/);
  assert.equal((await call('PUT', '/api/cart')).status, 405);
  assert.equal((await call('GET', '/api/nothing')).status, 404);
});

test('currency list, storefront page, script and product images (delayed by imageSlowLoad)', async () => {
  assert.ok(((await call('GET', '/api/currency')).json as string[]).includes('EUR'));
  const page = await fetch(`${base}/product/OLJCESPC7Z`);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /<script src="\/static\/shop.js">/);
  const js = await (await fetch(`${base}/static/shop.js`)).text();
  assert.ok(!js.includes('innerHTML'));
  flags.set('imageSlowLoad', 300);
  const start = Date.now();
  const img = await fetch(`${base}/images/products/NationalParkFoundationExplorascope.jpg`);
  assert.ok(Date.now() - start >= 290);
  assert.equal(img.headers.get('content-type'), 'image/svg+xml');
  assert.match(await img.text(), /National Park/);
  flags.set('imageSlowLoad', 0);
  assert.equal((await fetch(`${base}/images/products/none.jpg`)).status, 404);
});

test('SVG text is escaped', () => {
  assert.equal(escapeXml(`<a href="x">&'`), '&#60;a href=&#34;x&#34;&#62;&#38;&#39;');
  assert.ok(!productSvg({ id: 'X', name: '<script>alert(1)</script>' }).includes('<script>'));
});
