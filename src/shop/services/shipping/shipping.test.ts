import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shippingHandlers } from './shipping';

const address = { streetAddress: '1', city: 'c', state: 's', country: 'x', zipCode: '9' };

test('quote: per-item cost 40.0-100.0 USD times the item count', async () => {
  const low = shippingHandlers(() => 0);
  const q = await low.GetQuote({
    address,
    items: [
      { productId: 'A', quantity: 2 },
      { productId: 'B', quantity: 1 },
    ],
  });
  assert.deepEqual(q.costUsd, { currencyCode: 'USD', units: 120, nanos: 0 });
  const high = shippingHandlers(() => 0.9999);
  const h = await high.GetQuote({ address, items: [{ productId: 'A', quantity: 1 }] });
  assert.deepEqual(h.costUsd, { currencyCode: 'USD', units: 100, nanos: 0 });
});

test('ship order: a UUID tracking id; bad quantities are refused', async () => {
  const h = shippingHandlers();
  const { trackingId } = await h.ShipOrder({ address, items: [{ productId: 'A', quantity: 1 }] });
  assert.match(trackingId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  await assert.rejects(
    h.GetQuote({ address, items: [{ productId: 'A', quantity: -1 }] }),
    /non-negative integer/,
  );
});
