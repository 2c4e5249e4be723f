import { test } from 'node:test';
import assert from 'node:assert/strict';
import { staticFlags } from '../../flags/openfeature';
import { cardType, luhnValid, paymentHandlers } from './charge';

const amount = { currencyCode: 'USD', units: 10, nanos: 0 };
const card = (n: string, year = 2030, month = 1) => ({
  creditCardNumber: n,
  creditCardCvv: 672,
  creditCardExpirationYear: year,
  creditCardExpirationMonth: month,
});
const now = () => new Date(2026, 5, 15);

test('luhn and card types', () => {
  assert.ok(luhnValid('4432801561520454'));
  assert.ok(!luhnValid('4432801561520455'));
  assert.ok(!luhnValid('12ab'));
  assert.equal(cardType('4432801561520454'), 'visa');
  assert.equal(cardType('5555555555554444'), 'mastercard');
  assert.equal(cardType('378282246310005'), 'amex');
});

test('a valid VISA is charged with a transaction id', async () => {
  const h = paymentHandlers({ flags: staticFlags(), now });
  const { transactionId } = await h.Charge({ amount, creditCard: card('4432-8015-6152-0454') });
  assert.match(transactionId, /^[0-9a-f-]{36}$/);
});

test('invalid, unsupported and expired cards are refused with upstream messages', async () => {
  const h = paymentHandlers({ flags: staticFlags(), now });
  await assert.rejects(
    h.Charge({ amount, creditCard: card('4432801561520455') }),
    /Credit card info is invalid/,
  );
  await assert.rejects(
    h.Charge({ amount, creditCard: card('378282246310005') }),
    /cannot process amex/,
  );
  await assert.rejects(
    h.Charge({ amount, creditCard: card('4432801561520454', 2026, 5) }),
    /ending 0454\) expired on 5\/2026/,
  );
  await h.Charge({ amount, creditCard: card('4432801561520454', 2026, 6) });
});

test('paymentServiceFailure: every charge fails', async () => {
  const h = paymentHandlers({ flags: staticFlags({ paymentServiceFailure: true }), now });
  await assert.rejects(
    h.Charge({ amount, creditCard: card('4432801561520454') }),
    /PaymentService Fail Feature Flag Enabled/,
  );
});
