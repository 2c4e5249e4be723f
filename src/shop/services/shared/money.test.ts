import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isValidMoney, moneyFromNumber, moneyToNumber, multiplyMoney, sumMoney } from './money';

const usd = (units: number, nanos: number) => ({ currencyCode: 'USD', units, nanos });

test('sum carries nanos into units', () => {
  assert.deepEqual(sumMoney(usd(1, 600_000_000), usd(2, 500_000_000)), usd(4, 100_000_000));
});

test('sum refuses mixed currencies', () => {
  assert.throws(
    () => sumMoney(usd(1, 0), { currencyCode: 'EUR', units: 1, nanos: 0 }),
    /cannot add USD and EUR/,
  );
});

test('multiply and number conversions', () => {
  assert.deepEqual(multiplyMoney(usd(101, 960_000_000), 3), usd(305, 880_000_000));
  assert.deepEqual(moneyFromNumber(8.99, 'USD'), usd(8, 990_000_000));
  assert.equal(moneyToNumber(usd(3, 250_000_000)), 3.25);
  assert.deepEqual(moneyFromNumber(-1.5, 'USD'), usd(-1, -500_000_000));
});

test('validity: nanos range and sign', () => {
  assert.ok(isValidMoney(usd(1, 5)));
  assert.ok(!isValidMoney(usd(1, -5)));
  assert.ok(!isValidMoney(usd(0, 1_000_000_000)));
  assert.ok(!isValidMoney(null));
});
