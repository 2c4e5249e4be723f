// Shipping quotes and tracking ids like upstream 1.11.0: the quote is a random
// per-item cost of 40.0-100.0 USD (upstream quoteservice) times the number of
// items; the tracking id is a random UUID (shippingservice tracking.rs).
import { randomUUID } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { trace } from '@opentelemetry/api';
import { GrpcError, bindService, type Handlers, type ServiceBinding } from '../../grpc/server';
import type { CartItem } from '../../grpc/types';
import { moneyFromNumber } from '../shared/money';

export const MAX_ITEMS = 1_000_000;

export function itemCount(items: readonly CartItem[]): number {
  let n = 0;
  for (const i of items) {
    if (!Number.isInteger(i.quantity) || i.quantity < 0) {
      throw new GrpcError(
        status.INVALID_ARGUMENT,
        `item ${i.productId.slice(0, 64)}: quantity must be a non-negative integer`,
      );
    }
    n += i.quantity;
  }
  if (n > MAX_ITEMS)
    throw new GrpcError(status.INVALID_ARGUMENT, `at most ${MAX_ITEMS} items per shipment`);
  return n;
}

export function shippingHandlers(random: () => number = Math.random): Handlers<'ShippingService'> {
  const tracer = trace.getTracer('shipping');
  return {
    GetQuote: async ({ items }) => {
      const count = itemCount(items);
      const quote = tracer.startActiveSpan('calculate-quote', (s) => {
        const costPerItem = (400 + Math.floor(random() * 601)) / 10;
        const total = Math.round(costPerItem * count * 100) / 100;
        s.setAttribute('app.quote.items.count', count);
        s.setAttribute('app.quote.cost.total', total);
        s.end();
        return total;
      });
      const span = trace.getActiveSpan();
      span?.setAttribute('app.shipping.items.count', count);
      span?.setAttribute('app.shipping.cost.total', String(quote));
      return { costUsd: moneyFromNumber(quote, 'USD') };
    },
    ShipOrder: async ({ items }) => {
      itemCount(items);
      const trackingId = randomUUID();
      trace.getActiveSpan()?.setAttribute('app.shipping.tracking.id', trackingId);
      return { trackingId };
    },
  };
}

export function shippingService(): ServiceBinding {
  return bindService('ShippingService', shippingHandlers());
}
