import '../../telemetry/register';
import { serviceAddress } from '../../registry';
import { createClient } from '../../grpc/client';
import { runGrpcService } from '../shared/run';
import { checkoutService } from './checkout';

void runGrpcService('checkout', ({ flags, log }) => [
  checkoutService({
    cart: createClient('CartService', serviceAddress('cart')),
    catalog: createClient('ProductCatalogService', serviceAddress('product-catalog')),
    currency: createClient('CurrencyService', serviceAddress('currency')),
    shipping: createClient('ShippingService', serviceAddress('shipping')),
    payment: createClient('PaymentService', serviceAddress('payment')),
    email: createClient('EmailService', serviceAddress('email')),
    paymentAt: (address) => createClient('PaymentService', address, 3000),
    flags,
    log,
  }),
]);
