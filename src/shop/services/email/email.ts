// Order confirmation emails, "sent" to an in-memory test mailer as upstream
// does. emailMemoryLeak (a number, from later upstream versions): a multiplier
// m >= 1 pads each body to m times its size and keeps every sent email, so
// memory grows; below 1 the mailer is cleared after each send.
import { status } from '@grpc/grpc-js';
import { metrics, trace } from '@opentelemetry/api';
import type { FlagSource } from '../../flags/openfeature';
import { GrpcError, bindService, type Handlers, type ServiceBinding } from '../../grpc/server';
import type { OrderResult } from '../../grpc/types';
import type { Logger } from '../../telemetry/log';
import { moneyToNumber } from '../shared/money';

/** Caps the multiplier so one flag value cannot ask for gigabytes per email. */
export const MAX_LEAK_MULTIPLIER = 10_000;

export function confirmationBody(order: OrderResult): string {
  const lines = [
    `Your order ${order.orderId} is on its way.`,
    `Tracking id: ${order.shippingTrackingId}`,
    `Shipping cost: ${moneyToNumber(order.shippingCost).toFixed(2)} ${order.shippingCost.currencyCode}`,
    'Items:',
    ...order.items.map(
      (i) =>
        `  ${i.item.quantity} x ${i.item.productId}: ${moneyToNumber(i.cost).toFixed(2)} ${i.cost.currencyCode}`,
    ),
  ];
  return lines.join('\n');
}

export interface Mailer {
  readonly deliveries: string[];
}

export function emailHandlers(
  flags: FlagSource,
  log?: Logger,
  mailer: Mailer = { deliveries: [] },
): Handlers<'EmailService'> {
  const tracer = trace.getTracer('email');
  const confirmations = metrics.getMeter('email').createCounter('app.confirmation.counter', {
    description: 'Counts the number of order confirmation emails sent',
  });
  return {
    SendOrderConfirmation: async ({ email, order }) => {
      if (!order) throw new GrpcError(status.INVALID_ARGUMENT, 'order is required');
      if (!email || email.length > 254)
        throw new GrpcError(status.INVALID_ARGUMENT, 'email is required (at most 254 characters)');
      trace.getActiveSpan()?.setAttribute('app.order.id', order.orderId);
      confirmations.add(1);
      const multiplier = await flags.number('emailMemoryLeak', 0);
      await tracer.startActiveSpan('send_email', async (span) => {
        const content = confirmationBody(order);
        const m = Math.min(MAX_LEAK_MULTIPLIER, Math.max(0, multiplier));
        const padding = Math.max(0, Math.floor(content.length * (m - 1)));
        mailer.deliveries.push(`${content} ${' '.repeat(padding)}`);
        if (multiplier < 1) mailer.deliveries.length = 0;
        span.setAttribute('app.email.recipient', email);
        span.setAttribute('app.order.id', order.orderId);
        log?.info('Order confirmation email sent', { 'app.order.id': order.orderId });
        span.end();
      });
      return {};
    },
  };
}

export function emailService(flags: FlagSource, log?: Logger): ServiceBinding {
  return bindService('EmailService', emailHandlers(flags, log));
}
