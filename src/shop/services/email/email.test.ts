import { test } from 'node:test';
import assert from 'node:assert/strict';
import { staticFlags } from '../../flags/openfeature';
import type { OrderResult } from '../../grpc/types';
import { confirmationBody, emailHandlers } from './email';

const usd = { currencyCode: 'USD', units: 5, nanos: 0 };
const order: OrderResult = {
  orderId: 'o-1',
  shippingTrackingId: 't-1',
  shippingCost: usd,
  shippingAddress: { streetAddress: '1', city: 'c', state: 's', country: 'x', zipCode: '9' },
  items: [{ item: { productId: 'A', quantity: 2 }, cost: usd }],
};

test('sends without keeping mail when emailMemoryLeak is 0', async () => {
  const mailer = { deliveries: [] as string[] };
  const h = emailHandlers(staticFlags(), undefined, mailer);
  await h.SendOrderConfirmation({ email: 'a@b.c', order });
  assert.equal(mailer.deliveries.length, 0);
  assert.match(confirmationBody(order), /o-1[\s\S]*2 x A/);
});

test('emailMemoryLeak: mails pile up, padded by the multiplier', async () => {
  const mailer = { deliveries: [] as string[] };
  const h = emailHandlers(staticFlags({ emailMemoryLeak: 100 }), undefined, mailer);
  for (let i = 0; i < 3; i++) await h.SendOrderConfirmation({ email: 'a@b.c', order });
  assert.equal(mailer.deliveries.length, 3);
  const base = confirmationBody(order).length;
  assert.equal(mailer.deliveries[0]?.length, base + 1 + base * 99);
});

test('missing order or email is refused', async () => {
  const h = emailHandlers(staticFlags());
  await assert.rejects(
    h.SendOrderConfirmation({ email: 'a@b.c', order: null }),
    /order is required/,
  );
  await assert.rejects(h.SendOrderConfirmation({ email: '', order }), /email is required/);
});
