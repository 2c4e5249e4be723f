// PlaceOrder as upstream 1.11.0 checkoutservice/main.go: cart -> catalog and
// currency per item -> shipping quote -> payment -> ship -> empty cart (its
// error ignored, as upstream) -> confirmation email (failure only logged).
// paymentServiceUnreachable sends the charge to a bad address instead.
import { randomUUID } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { trace } from '@opentelemetry/api';
import type { FlagSource } from '../../flags/openfeature';
import type { Client } from '../../grpc/client';
import { GrpcError, bindService, type Handlers, type ServiceBinding } from '../../grpc/server';
import type { Money, OrderItem } from '../../grpc/types';
import type { Logger } from '../../telemetry/log';
import { moneyToNumber, multiplyMoney, sumMoney } from '../shared/money';

export const BAD_PAYMENT_ADDRESS = 'badAddress:50051';

export interface CheckoutDeps {
  readonly cart: Client<'CartService'>;
  readonly catalog: Client<'ProductCatalogService'>;
  readonly currency: Client<'CurrencyService'>;
  readonly shipping: Client<'ShippingService'>;
  readonly payment: Client<'PaymentService'>;
  readonly email: Client<'EmailService'>;
  /** Builds the client used when paymentServiceUnreachable is on. */
  readonly paymentAt: (address: string) => Client<'PaymentService'>;
  readonly flags: FlagSource;
  readonly log?: Logger;
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

export function checkoutHandlers(deps: CheckoutDeps): Handlers<'CheckoutService'> {
  const fail = (code: number, what: string, err: unknown): never => {
    const msg = `${what}: ${message(err)}`;
    trace.getActiveSpan()?.addEvent('error', { 'exception.message': msg });
    throw new GrpcError(code, msg);
  };
  return {
    PlaceOrder: async (req) => {
      const span = trace.getActiveSpan();
      const userCurrency = req.userCurrency || 'USD';
      span?.setAttribute('app.user.id', req.userId);
      span?.setAttribute('app.user.currency', userCurrency);
      deps.log?.info(
        `[PlaceOrder] user_id=${JSON.stringify(req.userId)} user_currency=${JSON.stringify(userCurrency)}`,
      );
      if (!req.userId) throw new GrpcError(status.INVALID_ARGUMENT, 'user_id is required');
      if (!req.address) throw new GrpcError(status.INVALID_ARGUMENT, 'address is required');
      if (!req.creditCard) throw new GrpcError(status.INVALID_ARGUMENT, 'credit_card is required');
      const orderId = randomUUID();

      let orderItems: OrderItem[];
      let shippingCost: Money;
      let cartItems;
      try {
        cartItems = (await deps.cart.GetCart({ userId: req.userId })).items;
        orderItems = await Promise.all(
          cartItems.map(async (item) => {
            const product = await deps.catalog.GetProduct({ id: item.productId });
            const cost = await deps.currency.Convert({
              from: product.priceUsd,
              toCode: userCurrency,
            });
            return { item, cost };
          }),
        );
        const quote = await deps.shipping.GetQuote({ address: req.address, items: cartItems });
        shippingCost = await deps.currency.Convert({ from: quote.costUsd, toCode: userCurrency });
      } catch (err) {
        return fail(status.INTERNAL, 'failed to prepare order', err);
      }
      span?.addEvent('prepared');

      let total: Money = { currencyCode: userCurrency, units: 0, nanos: 0 };
      total = sumMoney(total, shippingCost);
      for (const it of orderItems)
        total = sumMoney(total, multiplyMoney(it.cost, it.item.quantity));

      let transactionId: string;
      try {
        const unreachable = await deps.flags.bool('paymentServiceUnreachable', false);
        const payment = unreachable ? deps.paymentAt(BAD_PAYMENT_ADDRESS) : deps.payment;
        try {
          transactionId = (await payment.Charge({ amount: total, creditCard: req.creditCard }))
            .transactionId;
        } finally {
          if (unreachable) payment.close();
        }
      } catch (err) {
        return fail(status.INTERNAL, 'failed to charge card: could not charge the card', err);
      }
      deps.log?.info(`payment went through (transaction_id: ${transactionId})`);
      span?.addEvent('charged', { 'app.payment.transaction.id': transactionId });

      let trackingId: string;
      try {
        trackingId = (await deps.shipping.ShipOrder({ address: req.address, items: cartItems }))
          .trackingId;
      } catch (err) {
        return fail(status.UNAVAILABLE, 'shipping error', err);
      }
      span?.addEvent('shipped', { 'app.shipping.tracking.id': trackingId });

      try {
        await deps.cart.EmptyCart({ userId: req.userId });
      } catch (err) {
        deps.log?.warn(
          `failed to empty the cart of ${JSON.stringify(req.userId)}: ${message(err)}`,
        );
      }

      const order = {
        orderId,
        shippingTrackingId: trackingId,
        shippingCost,
        shippingAddress: req.address,
        items: orderItems,
      };
      span?.setAttributes({
        'app.order.id': orderId,
        'app.shipping.amount': moneyToNumber(shippingCost),
        'app.order.amount': moneyToNumber(total),
        'app.order.items.count': orderItems.length,
        'app.shipping.tracking.id': trackingId,
      });
      try {
        await deps.email.SendOrderConfirmation({ email: req.email, order });
        deps.log?.info(`order confirmation email sent to ${JSON.stringify(req.email)}`);
      } catch (err) {
        deps.log?.warn(
          `failed to send order confirmation to ${JSON.stringify(req.email)}: ${message(err)}`,
        );
      }
      return { order };
    },
  };
}

export function checkoutService(deps: CheckoutDeps): ServiceBinding {
  return bindService('CheckoutService', checkoutHandlers(deps));
}
