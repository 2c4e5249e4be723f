import { test } from 'node:test';
import assert from 'node:assert/strict';
import { status, type ServiceError } from '@grpc/grpc-js';
import { createClient } from './client';
import { GrpcError, bindService, startGrpcServer } from './server';

test('server and typed client: a unary round trip, errors keep their status code', async () => {
  const server = await startGrpcServer(
    [
      bindService('CurrencyService', {
        GetSupportedCurrencies: async () => ({ currencyCodes: ['EUR', 'USD'] }),
        Convert: async ({ from, toCode }) => {
          if (toCode === 'XXX')
            throw new GrpcError(status.INVALID_ARGUMENT, 'unsupported currency code XXX');
          if (toCode === 'BOOM') throw new Error('boom');
          return { currencyCode: toCode, units: from?.units ?? 0, nanos: 5 };
        },
      }),
    ],
    0,
  );
  const client = createClient('CurrencyService', `127.0.0.1:${server.port}`);
  try {
    assert.ok(server.port > 0);
    assert.deepEqual(await client.GetSupportedCurrencies({}), { currencyCodes: ['EUR', 'USD'] });
    const m = await client.Convert({
      from: { currencyCode: 'USD', units: 12, nanos: 0 },
      toCode: 'EUR',
    });
    assert.deepEqual(m, { currencyCode: 'EUR', units: 12, nanos: 5 });
    await assert.rejects(client.Convert({ from: null, toCode: 'XXX' }), (e: ServiceError) => {
      assert.equal(e.code, status.INVALID_ARGUMENT);
      assert.match(e.details, /unsupported currency code XXX/);
      return true;
    });
    await assert.rejects(
      client.Convert({ from: null, toCode: 'BOOM' }),
      (e: ServiceError) => e.code === status.INTERNAL,
    );
  } finally {
    client.close();
    await server.close();
  }
});

test('bindService refuses a service with a missing method', () => {
  assert.throws(
    () =>
      bindService('CartService', {
        AddItem: async () => ({}),
        GetCart: async () => ({ userId: '', items: [] }),
      } as never),
    /CartService.EmptyCart has no handler/,
  );
});

test('client deadline: a call to nothing fails instead of hanging', async () => {
  const client = createClient('CartService', '127.0.0.1:1', 500);
  try {
    await assert.rejects(client.GetCart({ userId: 'u' }), (e: ServiceError) =>
      [status.UNAVAILABLE, status.DEADLINE_EXCEEDED].includes(e.code),
    );
  } finally {
    client.close();
  }
});
