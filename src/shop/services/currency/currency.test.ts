import { test } from 'node:test';
import assert from 'node:assert/strict';
import { status } from '@grpc/grpc-js';
import type { GrpcError } from '../../grpc/server';
import { EUR_RATES, convert, currencyHandlers } from './currency';

test('the upstream table: 33 currencies, EUR based', () => {
  assert.equal(Object.keys(EUR_RATES).length, 33);
  assert.equal(EUR_RATES['EUR'], 1);
  assert.equal(EUR_RATES['USD'], 1.1305);
});

test('convert goes through EUR', () => {
  const eur = convert({ currencyCode: 'USD', units: 113, nanos: 50_000_000 }, 'EUR');
  assert.equal(eur.currencyCode, 'EUR');
  assert.ok(Math.abs(eur.units + eur.nanos / 1e9 - 100) < 1e-6);
  const jpy = convert({ currencyCode: 'EUR', units: 2, nanos: 0 }, 'JPY');
  assert.ok(Math.abs(jpy.units + jpy.nanos / 1e9 - 252.8) < 1e-6);
});

test('handlers: supported list, conversion, unknown code is INVALID_ARGUMENT', async () => {
  const h = currencyHandlers();
  assert.ok((await h.GetSupportedCurrencies({})).currencyCodes.includes('CHF'));
  const m = await h.Convert({ from: { currencyCode: 'EUR', units: 1, nanos: 0 }, toCode: 'USD' });
  assert.deepEqual(m, { currencyCode: 'USD', units: 1, nanos: 130_500_000 });
  await assert.rejects(
    h.Convert({ from: { currencyCode: 'EUR', units: 1, nanos: 0 }, toCode: 'XYZ' }),
    (e: GrpcError) => e.code === status.INVALID_ARGUMENT && /XYZ/.test(e.message),
  );
  await assert.rejects(h.Convert({ from: null, toCode: 'USD' }), /invalid money/);
});
