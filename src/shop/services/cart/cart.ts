// Carts in memory, keyed by user id (upstream keeps them in Valkey/Redis).
// cartServiceFailure makes EmptyCart fail, as upstream 1.11.0.
import { status } from '@grpc/grpc-js';
import { trace } from '@opentelemetry/api';
import type { FlagSource } from '../../flags/openfeature';
import { GrpcError, bindService, type Handlers, type ServiceBinding } from '../../grpc/server';
import type { CartItem } from '../../grpc/types';

/** Bounds so that no client can grow the process without limit. */
export const MAX_CARTS = 10_000;
export const MAX_ITEMS_PER_CART = 100;
export const MAX_QUANTITY = 1_000;

export function cartHandlers(flags: FlagSource): Handlers<'CartService'> & { size(): number } {
  // Map keeps insertion order: the oldest cart is evicted first.
  const carts = new Map<string, Map<string, number>>();
  const checkUser = (userId: string) => {
    if (!userId) throw new GrpcError(status.INVALID_ARGUMENT, 'user_id is required');
    if (userId.length > 128)
      throw new GrpcError(status.INVALID_ARGUMENT, 'user_id is longer than 128 characters');
    trace.getActiveSpan()?.setAttribute('app.user.id', userId);
  };
  return {
    size: () => carts.size,
    AddItem: async ({ userId, item }) => {
      checkUser(userId);
      if (!item?.productId || item.productId.length > 64) {
        throw new GrpcError(
          status.INVALID_ARGUMENT,
          'item.product_id is required (at most 64 characters)',
        );
      }
      if (!Number.isInteger(item.quantity) || item.quantity < 1 || item.quantity > MAX_QUANTITY) {
        throw new GrpcError(status.INVALID_ARGUMENT, `item.quantity must be 1-${MAX_QUANTITY}`);
      }
      const span = trace.getActiveSpan();
      span?.setAttribute('app.product.id', item.productId);
      span?.setAttribute('app.product.quantity', item.quantity);
      let cart = carts.get(userId);
      if (!cart) {
        if (carts.size >= MAX_CARTS) {
          const oldest = carts.keys().next().value;
          if (oldest !== undefined) carts.delete(oldest);
        }
        cart = new Map();
        carts.set(userId, cart);
      }
      const had = cart.get(item.productId) ?? 0;
      if (had === 0 && cart.size >= MAX_ITEMS_PER_CART) {
        throw new GrpcError(
          status.RESOURCE_EXHAUSTED,
          `a cart holds at most ${MAX_ITEMS_PER_CART} products`,
        );
      }
      cart.set(item.productId, Math.min(MAX_QUANTITY, had + item.quantity));
      return {};
    },
    GetCart: async ({ userId }) => {
      checkUser(userId);
      const items: CartItem[] = [...(carts.get(userId) ?? new Map<string, number>())].map(
        ([productId, quantity]) => ({ productId, quantity }),
      );
      trace.getActiveSpan()?.setAttribute('app.cart.items.count', items.length);
      return { userId, items };
    },
    EmptyCart: async ({ userId }) => {
      checkUser(userId);
      if (await flags.bool('cartServiceFailure', false)) {
        throw new GrpcError(
          status.FAILED_PRECONDITION,
          "Can't access cart storage. (cartServiceFailure flag)",
        );
      }
      carts.delete(userId);
      return {};
    },
  };
}

export function cartService(flags: FlagSource): ServiceBinding {
  return bindService('CartService', cartHandlers(flags));
}
