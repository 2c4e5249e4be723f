// The storefront's JSON API, with the shapes of upstream's Next.js frontend
// (src/frontend/pages/api/*): what the load generator and the web page call.
// Transport-free: server.ts turns HTTP into ApiRequest and back.
import { status as grpcStatus } from '@grpc/grpc-js';
import { trace } from '@opentelemetry/api';
import type { Client } from '../../grpc/client';
import type { Address, Money, Product } from '../../grpc/types';
import {
  CURRENCY,
  HttpError,
  currencyOf,
  id,
  int,
  list,
  obj,
  parseAddress,
  parseCreditCard,
  parseItems,
  str,
} from './validate';

export interface FrontendClients {
  readonly catalog: Client<'ProductCatalogService'>;
  readonly recommendation: Client<'RecommendationService'>;
  readonly ad: Client<'AdService'>;
  readonly cart: Client<'CartService'>;
  readonly currency: Client<'CurrencyService'>;
  readonly checkout: Client<'CheckoutService'>;
  readonly shipping: Client<'ShippingService'>;
}

export interface ApiRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly body: unknown;
}

export interface ApiResponse {
  readonly status: number;
  readonly json?: unknown;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new HttpError(400, 'productId is not valid percent-encoding');
  }
}

/** gRPC failures as HTTP statuses: caller mistakes 4xx, the rest 5xx. */
export function httpStatusOf(err: unknown): number {
  if (err instanceof HttpError) return err.status;
  const code = typeof err === 'object' && err !== null && 'code' in err ? err.code : undefined;
  switch (code) {
    case grpcStatus.INVALID_ARGUMENT:
      return 400;
    case grpcStatus.NOT_FOUND:
      return 404;
    case grpcStatus.UNAVAILABLE:
    case grpcStatus.DEADLINE_EXCEEDED:
      return 503;
    default:
      return 500;
  }
}

export function createApi(c: FrontendClients) {
  const convert = async (from: Money, toCode: string): Promise<Money> =>
    from.currencyCode === toCode ? from : c.currency.Convert({ from, toCode });
  const priced = async (p: Product, currency: string): Promise<Product> => ({
    ...p,
    priceUsd: await convert(p.priceUsd, currency),
  });
  const getProduct = async (productId: string, currency: string) =>
    priced(await c.catalog.GetProduct({ id: productId }), currency);

  const cartView = async (userId: string, currency: string) => {
    const cart = await c.cart.GetCart({ userId });
    const items = await Promise.all(
      cart.items.map(async ({ productId, quantity }) => ({
        productId,
        quantity,
        product: await getProduct(productId, currency),
      })),
    );
    return { userId: cart.userId, items };
  };

  type Route = (r: ApiRequest, params: string[]) => Promise<ApiResponse>;
  const routes: Array<[string, RegExp, string, Route]> = [
    [
      'GET',
      /^\/api\/products$/,
      '/api/products',
      async (r) => {
        const currency = currencyOf(r.query);
        const { products } = await c.catalog.ListProducts({});
        return { status: 200, json: await Promise.all(products.map((p) => priced(p, currency))) };
      },
    ],
    [
      'GET',
      /^\/api\/products\/([^/]+)$/,
      '/api/products/[productId]',
      async (r, [productId]) => {
        const pid = id(safeDecode(productId ?? ''), 'productId');
        trace.getActiveSpan()?.setAttribute('app.product.id', pid);
        return { status: 200, json: await getProduct(pid, currencyOf(r.query)) };
      },
    ],
    [
      'GET',
      /^\/api\/recommendations$/,
      '/api/recommendations',
      async (r) => {
        const currency = currencyOf(r.query);
        const productIds = list(r.query, 'productIds').map((p) => id(p, 'productIds'));
        const userId = r.query.get('sessionId') ?? '';
        const { productIds: recommended } = await c.recommendation.ListRecommendations({
          userId: userId.slice(0, 64),
          productIds,
        });
        const products = await Promise.all(
          recommended.slice(0, 4).map((p) => getProduct(p, currency)),
        );
        return { status: 200, json: products };
      },
    ],
    [
      'GET',
      /^\/api\/data$/,
      '/api/data',
      async (r) => {
        const contextKeys = list(r.query, 'contextKeys').map((k) => str(k, 'contextKeys', 64));
        const { ads } = await c.ad.GetAds({ contextKeys });
        return { status: 200, json: ads };
      },
    ],
    [
      'GET',
      /^\/api\/cart$/,
      '/api/cart',
      async (r) => {
        const userId = id(r.query.get('sessionId') ?? r.query.get('userId'), 'sessionId');
        return { status: 200, json: await cartView(userId, currencyOf(r.query)) };
      },
    ],
    [
      'POST',
      /^\/api\/cart$/,
      '/api/cart',
      async (r) => {
        const body = obj(r.body, 'body');
        const userId = id(body['userId'], 'userId');
        const item = obj(body['item'], 'item');
        const productId = id(item['productId'], 'item.productId');
        const quantity = int(item['quantity'], 'item.quantity', 1, 1000);
        await c.cart.AddItem({ userId, item: { productId, quantity } });
        return { status: 200, json: await c.cart.GetCart({ userId }) };
      },
    ],
    [
      'DELETE',
      /^\/api\/cart$/,
      '/api/cart',
      async (r) => {
        const fromBody =
          typeof r.body === 'object' && r.body !== null ? obj(r.body, 'body')['userId'] : undefined;
        const userId = id(fromBody ?? r.query.get('userId') ?? r.query.get('sessionId'), 'userId');
        await c.cart.EmptyCart({ userId });
        return { status: 204 };
      },
    ],
    [
      'POST',
      /^\/api\/checkout$/,
      '/api/checkout',
      async (r) => {
        const body = obj(r.body, 'body');
        const currency = currencyOf(r.query);
        const userCurrency =
          body['userCurrency'] === undefined
            ? currency
            : str(body['userCurrency'], 'userCurrency', 3);
        if (!CURRENCY.test(userCurrency))
          throw new HttpError(400, 'userCurrency must be a three-letter code like USD');
        const { order } = await c.checkout.PlaceOrder({
          userId: id(body['userId'], 'userId'),
          userCurrency,
          email: str(body['email'], 'email', 254),
          address: parseAddress(body['address']),
          creditCard: parseCreditCard(body['creditCard']),
        });
        const items = await Promise.all(
          order.items.map(async ({ item, cost }) => ({
            cost,
            item: { ...item, product: await getProduct(item.productId, currency) },
          })),
        );
        return { status: 200, json: { ...order, items } };
      },
    ],
    [
      'GET',
      /^\/api\/currency$/,
      '/api/currency',
      async () => {
        const { currencyCodes } = await c.currency.GetSupportedCurrencies({});
        return { status: 200, json: currencyCodes };
      },
    ],
    [
      'GET',
      /^\/api\/shipping$/,
      '/api/shipping',
      async (r) => {
        const currency = currencyOf(r.query);
        const rawAddress = r.query.get('address');
        let address: Address | null = null;
        if (rawAddress) {
          try {
            address = parseAddress(JSON.parse(rawAddress));
          } catch (err) {
            throw err instanceof HttpError ? err : new HttpError(400, 'address must be JSON');
          }
        }
        const { costUsd } = await c.shipping.GetQuote({
          address,
          items: parseItems(r.query.get('itemList')),
        });
        return { status: 200, json: await convert(costUsd, currency) };
      },
    ],
  ];

  /** Answers an /api request; unknown paths 404, wrong methods 405. */
  return async function handle(r: ApiRequest): Promise<ApiResponse> {
    const span = trace.getActiveSpan();
    let pathMatched = false;
    for (const [method, re, route, fn] of routes) {
      const m = re.exec(r.path);
      if (!m) continue;
      pathMatched = true;
      if (method !== r.method) continue;
      span?.updateName(`${r.method} ${route}`);
      span?.setAttribute('http.route', route);
      try {
        return await fn(r, m.slice(1));
      } catch (err) {
        const status = httpStatusOf(err);
        const message = err instanceof Error ? err.message : String(err);
        if (status >= 500 && err instanceof Error) span?.recordException(err);
        return { status, json: { error: message } };
      }
    }
    return pathMatched
      ? { status: 405, json: { error: `${r.method} is not allowed on ${r.path}` } }
      : { status: 404, json: { error: `no API route ${r.path}` } };
  };
}

export type ApiHandler = ReturnType<typeof createApi>;
