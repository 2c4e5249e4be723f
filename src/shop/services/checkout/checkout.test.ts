import { test } from 'node:test';
import assert from 'node:assert/strict';
import { status, type ServiceError } from '@grpc/grpc-js';
import { staticFlags } from '../../flags/openfeature';
import { GrpcError } from '../../grpc/server';
import { cartHandlers } from '../cart/cart';
import { currencyHandlers } from '../currency/currency';
import { emailHandlers } from '../email/email';
import { paymentHandlers } from '../payment/charge';
import { catalogHandlers } from '../product-catalog/catalog';
import { asClient } from '../shared/testing';
import { shippingHandlers } from '../shipping/shipping';
import { BAD_PAYMENT_ADDRESS, checkoutHandlers, type CheckoutDeps } from './checkout';

const address = {
  streetAddress: '1600 Amphitheatre Parkway',
  city: 'Mountain View',
  state: 'CA',
  country: 'US',
  zipCode: '94043',
};
const creditCard = {
  creditCardNumber: '4432-8015-6152-0454',
  creditCardCvv: 672,
  creditCardExpirationYear: new Date().getFullYear() + 2,
  creditCardExpirationMonth: 1,
};

function shop(values: Record<string, boolean | number> = {}) {
  const flags = staticFlags(values);
  const mailer = { deliveries: [] as string[] };
  const cart = cartHandlers(flags);
  const badAddresses: string[] = [];
  const deps: CheckoutDeps = {
    cart: asClient<'CartService'>(cart),
    catalog: asClient(catalogHandlers(flags)),
    currency: asClient(currencyHandlers()),
    shipping: asClient(shippingHandlers(() => 0)),
    payment: asClient(paymentHandlers({ flags })),
    email: asClient(emailHandlers(flags, undefined, mailer)),
    paymentAt: (a) => {
      badAddresses.push(a);
      return asClient({
        Charge: async () => {
          throw Object.assign(
            new Error(`14 UNAVAILABLE: Name resolution failed for target dns:${a}`),
            { code: status.UNAVAILABLE },
          );
        },
      });
    },
    flags,
  };
  return { deps, cart, flags, badAddresses, checkout: checkoutHandlers(deps) };
}

test('PlaceOrder: prices in the user currency, shipping added, card charged, cart emptied', async () => {
  const s = shop();
  await s.cart.AddItem({ userId: 'u', item: { productId: 'OLJCESPC7Z', quantity: 2 } });
  await s.cart.AddItem({ userId: 'u', item: { productId: '66VCHSJNUP', quantity: 1 } });
  const { order } = await s.checkout.PlaceOrder({
    userId: 'u',
    userCurrency: 'EUR',
    address,
    email: 'a@b.c',
    creditCard,
  });
  assert.match(order.orderId, /^[0-9a-f-]{36}$/);
  assert.match(order.shippingTrackingId, /^[0-9a-f-]{36}$/);
  assert.equal(order.items.length, 2);
  assert.ok(order.items.every((i) => i.cost.currencyCode === 'EUR'));
  // 3 items at 40.0 USD each, in EUR
  assert.equal(order.shippingCost.currencyCode, 'EUR');
  assert.ok(
    Math.abs(order.shippingCost.units + order.shippingCost.nanos / 1e9 - 120 / 1.1305) < 1e-6,
  );
  assert.deepEqual((await s.cart.GetCart({ userId: 'u' })).items, []);
});

test('paymentServiceFailure and paymentServiceUnreachable fail the order; the cart is kept', async () => {
  const failing = shop({ paymentServiceFailure: true });
  await failing.cart.AddItem({ userId: 'u', item: { productId: 'OLJCESPC7Z', quantity: 1 } });
  await assert.rejects(
    failing.checkout.PlaceOrder({
      userId: 'u',
      userCurrency: 'USD',
      address,
      email: 'a@b.c',
      creditCard,
    }),
    (e: GrpcError) =>
      e.code === status.INTERNAL &&
      /failed to charge card.*PaymentService Fail Feature Flag Enabled/.test(e.message),
  );
  assert.equal((await failing.cart.GetCart({ userId: 'u' })).items.length, 1);

  const unreachable = shop({ paymentServiceUnreachable: true });
  await unreachable.cart.AddItem({ userId: 'u', item: { productId: 'OLJCESPC7Z', quantity: 1 } });
  await assert.rejects(
    unreachable.checkout.PlaceOrder({
      userId: 'u',
      userCurrency: 'USD',
      address,
      email: 'a@b.c',
      creditCard,
    }),
    /failed to charge card.*UNAVAILABLE/,
  );
  assert.deepEqual(unreachable.badAddresses, [BAD_PAYMENT_ADDRESS]);
});

test('cartServiceFailure: EmptyCart fails but the order goes through, as upstream ignores it', async () => {
  const s = shop({ cartServiceFailure: true });
  await s.cart.AddItem({ userId: 'u', item: { productId: 'OLJCESPC7Z', quantity: 1 } });
  const { order } = await s.checkout.PlaceOrder({
    userId: 'u',
    userCurrency: 'USD',
    address,
    email: 'a@b.c',
    creditCard,
  });
  assert.equal(order.items.length, 1);
  assert.equal((await s.cart.GetCart({ userId: 'u' })).items.length, 1);
});

test('productCatalogFailure fails the order while preparing it; missing fields are INVALID_ARGUMENT', async () => {
  const s = shop({ productCatalogFailure: true });
  await s.cart.AddItem({ userId: 'u', item: { productId: 'OLJCESPC7Z', quantity: 1 } });
  await assert.rejects(
    s.checkout.PlaceOrder({
      userId: 'u',
      userCurrency: 'USD',
      address,
      email: 'a@b.c',
      creditCard,
    }),
    (e: ServiceError) => e.code === status.INTERNAL && /failed to prepare order/.test(e.message),
  );
  await assert.rejects(
    s.checkout.PlaceOrder({
      userId: 'u',
      userCurrency: 'USD',
      address: null,
      email: 'a@b.c',
      creditCard,
    }),
    (e: GrpcError) => e instanceof GrpcError && e.code === status.INVALID_ARGUMENT,
  );
});
