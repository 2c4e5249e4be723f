import { test } from 'node:test';
import assert from 'node:assert/strict';
import { status } from '@grpc/grpc-js';
import { staticFlags } from '../../flags/openfeature';
import type { GrpcError } from '../../grpc/server';
import { MAX_QUANTITY, cartHandlers } from './cart';

test('add, merge quantities, get, empty', async () => {
  const h = cartHandlers(staticFlags());
  await h.AddItem({ userId: 'u1', item: { productId: 'A', quantity: 2 } });
  await h.AddItem({ userId: 'u1', item: { productId: 'A', quantity: 3 } });
  await h.AddItem({ userId: 'u1', item: { productId: 'B', quantity: 1 } });
  assert.deepEqual(await h.GetCart({ userId: 'u1' }), {
    userId: 'u1',
    items: [
      { productId: 'A', quantity: 5 },
      { productId: 'B', quantity: 1 },
    ],
  });
  assert.deepEqual((await h.GetCart({ userId: 'other' })).items, []);
  await h.EmptyCart({ userId: 'u1' });
  assert.deepEqual((await h.GetCart({ userId: 'u1' })).items, []);
});

test('bad input is INVALID_ARGUMENT', async () => {
  const h = cartHandlers(staticFlags());
  const bad = (e: GrpcError) => e.code === status.INVALID_ARGUMENT;
  await assert.rejects(h.AddItem({ userId: '', item: { productId: 'A', quantity: 1 } }), bad);
  await assert.rejects(h.AddItem({ userId: 'u', item: { productId: 'A', quantity: 0 } }), bad);
  await assert.rejects(
    h.AddItem({ userId: 'u', item: { productId: 'A', quantity: MAX_QUANTITY + 1 } }),
    bad,
  );
  await assert.rejects(h.GetCart({ userId: 'x'.repeat(200) }), bad);
});

test('cartServiceFailure: EmptyCart fails, the cart is kept', async () => {
  const flags = staticFlags({ cartServiceFailure: true });
  const h = cartHandlers(flags);
  await h.AddItem({ userId: 'u', item: { productId: 'A', quantity: 1 } });
  await assert.rejects(
    h.EmptyCart({ userId: 'u' }),
    (e: GrpcError) => e.code === status.FAILED_PRECONDITION,
  );
  assert.equal((await h.GetCart({ userId: 'u' })).items.length, 1);
});
