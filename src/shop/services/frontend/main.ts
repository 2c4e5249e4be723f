import '../../telemetry/register';
import { serviceAddress, servicePort } from '../../registry';
import { startFileFlags } from '../../flags/openfeature';
import { createClient } from '../../grpc/client';
import { createLogger } from '../../telemetry/log';
import { startFrontend } from './server';

async function main(): Promise<void> {
  const log = createLogger('frontend');
  try {
    const flags = await startFileFlags({ logger: log });
    const clients = {
      catalog: createClient('ProductCatalogService', serviceAddress('product-catalog')),
      recommendation: createClient('RecommendationService', serviceAddress('recommendation')),
      ad: createClient('AdService', serviceAddress('ad')),
      cart: createClient('CartService', serviceAddress('cart')),
      currency: createClient('CurrencyService', serviceAddress('currency')),
      checkout: createClient('CheckoutService', serviceAddress('checkout')),
      shipping: createClient('ShippingService', serviceAddress('shipping')),
    };
    const running = await startFrontend({ clients, flags, log }, servicePort('frontend'));
    log.info(`frontend listening on http://127.0.0.1:${running.port}/`);
  } catch (err) {
    log.error(`frontend failed to start: ${err instanceof Error ? err.message : String(err)}`);
    setTimeout(() => process.exit(1), 500).unref();
  }
}

void main();
