// The catalog service over the shop's ten products (products.ts).
// productCatalogFailure makes GetProduct fail for OLJCESPC7Z.
import { status } from '@grpc/grpc-js';
import { trace } from '@opentelemetry/api';
import type { FlagSource } from '../../flags/openfeature';
import { GrpcError, bindService, type Handlers, type ServiceBinding } from '../../grpc/server';
import type { Product } from '../../grpc/types';
import { CATALOG } from './products';

export const PRODUCTS: readonly Product[] = CATALOG;
export const FAILING_PRODUCT_ID = 'OLJCESPC7Z';

export function catalogHandlers(
  flags: FlagSource,
  products: readonly Product[] = PRODUCTS,
): Handlers<'ProductCatalogService'> {
  return {
    ListProducts: async () => {
      trace.getActiveSpan()?.setAttribute('app.products.count', products.length);
      return { products: [...products] };
    },
    GetProduct: async ({ id }) => {
      const span = trace.getActiveSpan();
      span?.setAttribute('app.product.id', id);
      if (id === FAILING_PRODUCT_ID && (await flags.bool('productCatalogFailure', false))) {
        const msg = 'Error: ProductCatalogService Fail Feature Flag Enabled';
        span?.addEvent(msg);
        throw new GrpcError(status.INTERNAL, msg);
      }
      const found = products.find((p) => p.id === id);
      if (!found) {
        const msg = `Product Not Found: ${id.slice(0, 100)}`;
        span?.addEvent(msg);
        throw new GrpcError(status.NOT_FOUND, msg);
      }
      span?.addEvent(`Product Found - ID: ${id}, Name: ${found.name}`);
      span?.setAttribute('app.product.name', found.name);
      return found;
    },
    SearchProducts: async ({ query }) => {
      const q = query.slice(0, 200).toLowerCase();
      const results = products.filter(
        (p) => p.name.toLowerCase().includes(q) || p.description.toLowerCase().includes(q),
      );
      trace.getActiveSpan()?.setAttribute('app.products_search.count', results.length);
      return { results };
    },
  };
}

export function catalogService(flags: FlagSource): ServiceBinding {
  return bindService('ProductCatalogService', catalogHandlers(flags));
}
