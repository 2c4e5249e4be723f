// Charges a card like upstream 1.11.0 paymentservice/charge.js: paymentServiceFailure
// fails every charge; otherwise the card must pass luhn, be VISA or MasterCard
// and not be expired. Returns a random transaction id.
import { randomUUID } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { SpanStatusCode, context, metrics, propagation, trace } from '@opentelemetry/api';
import type { FlagSource } from '../../flags/openfeature';
import { GrpcError, bindService, type Handlers, type ServiceBinding } from '../../grpc/server';
import type { Logger } from '../../telemetry/log';
import { isValidMoney } from '../shared/money';

export function luhnValid(number: string): boolean {
  if (!/^\d{12,19}$/.test(number)) return false;
  let sum = 0;
  for (let i = 0; i < number.length; i++) {
    let d = number.charCodeAt(number.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

export function cardType(number: string): string {
  if (/^4/.test(number)) return 'visa';
  if (/^(5[1-5]|2(2[2-9]|[3-6]\d|7[01]|720))/.test(number)) return 'mastercard';
  if (/^3[47]/.test(number)) return 'amex';
  if (/^(6011|65|64[4-9])/.test(number)) return 'discover';
  return 'unknown';
}

export interface PaymentDeps {
  readonly flags: FlagSource;
  readonly log?: Logger;
  readonly now?: () => Date;
}

export function paymentHandlers(deps: PaymentDeps): Handlers<'PaymentService'> {
  const tracer = trace.getTracer('payment');
  const transactions = metrics.getMeter('payment').createCounter('app.payment.transactions', {
    description: 'Counts completed charges by currency',
  });
  return {
    Charge: async ({ amount, creditCard }) =>
      tracer.startActiveSpan('charge', async (span) => {
        try {
          if (await deps.flags.bool('paymentServiceFailure', false)) {
            throw new GrpcError(status.INTERNAL, 'PaymentService Fail Feature Flag Enabled');
          }
          if (!creditCard) throw new GrpcError(status.INVALID_ARGUMENT, 'credit_card is required');
          if (!isValidMoney(amount))
            throw new GrpcError(status.INVALID_ARGUMENT, 'amount: invalid money amount');
          const number = creditCard.creditCardNumber.replace(/[\s-]/g, '');
          const type = cardType(number);
          const valid = luhnValid(number);
          span.setAttributes({ 'app.payment.card_type': type, 'app.payment.card_valid': valid });
          if (!valid) throw new GrpcError(status.INVALID_ARGUMENT, 'Credit card info is invalid.');
          if (type !== 'visa' && type !== 'mastercard') {
            throw new GrpcError(
              status.INVALID_ARGUMENT,
              `Sorry, we cannot process ${type} credit cards. Only VISA or MasterCard is accepted.`,
            );
          }
          const now = (deps.now ?? (() => new Date()))();
          const year = creditCard.creditCardExpirationYear;
          const month = creditCard.creditCardExpirationMonth;
          const lastFour = number.slice(-4);
          if (now.getFullYear() * 12 + now.getMonth() + 1 > year * 12 + month) {
            throw new GrpcError(
              status.INVALID_ARGUMENT,
              `The credit card (ending ${lastFour}) expired on ${month}/${year}.`,
            );
          }
          const synthetic =
            propagation.getBaggage(context.active())?.getEntry('synthetic_request')?.value ===
            'true';
          span.setAttribute('app.payment.charged', !synthetic);
          const transactionId = randomUUID();
          deps.log?.info('Transaction complete.', {
            transactionId,
            cardType: type,
            lastFourDigits: lastFour,
            'amount.units': amount.units,
            'amount.nanos': amount.nanos,
            'amount.currencyCode': amount.currencyCode,
          });
          transactions.add(1, { 'app.payment.currency': amount.currencyCode });
          return { transactionId };
        } catch (err) {
          span.recordException(err instanceof Error ? err : String(err));
          span.setStatus({
            code: SpanStatusCode.ERROR,
            message: err instanceof Error ? err.message : String(err),
          });
          throw err;
        } finally {
          span.end();
        }
      }),
  };
}

export function paymentService(deps: PaymentDeps): ServiceBinding {
  return bindService('PaymentService', paymentHandlers(deps));
}
