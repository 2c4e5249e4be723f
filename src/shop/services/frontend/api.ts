// The storefront's JSON API, with the shapes of upstream's Next.js frontend
// (src/frontend/pages/api/*): what the load generator and the web page call.
// Transport-free: server.ts turns HTTP into ApiRequest and back.
import { status as grpcStatus } from '@grpc/grpc-js';
import { trace } from '@opentelemetry/api';
import type { Client } from '../../grpc/client';
import type { Address, CartItem, CreditCardInfo, Money, Product } from '../../grpc/types';

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

/** A client mistake: answered with its status and message. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const CURRENCY = /^[A-Z]{3}$/;
const MAX_LIST = 20;

function str(v: unknown, what: string, max = 256): string {
  if (typeof v !== 'string' || v === '') throw new HttpError(400, `${what} is required (a string)`);
  if (v.length > max) throw new HttpError(400, `${what} is longer than ${max} characters`);
  return v;
}

function id(v: unknown, what: string): string {
  const s = str(v, what, 64);
  if (!ID.test(s)) throw new HttpError(400, `${what} must be letters, digits, '-' or '_'`);
  return s;
}

function currencyOf(q: URLSearchParams): string {
  const c = q.get('currencyCode') || 'USD';
  if (!CURRENCY.test(c)) throw new HttpError(400, 'currencyCode must be a three-letter code like USD');
  return c;
}

function obj(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new HttpError(400, `${what} must be an object`);
  return v as Record<string, unknown>;
}

function int(v: unknown, what: string, min: number, max: number): number {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
    throw new HttpError(400, `${what} must be an integer from ${min} to ${max}`);
  }
  return n;
}

/** Repeated or comma-separated query values (`a=1&a=2` or `a=1,2`). */
function list(q: URLSearchParams, name: string): string[] {
  const out = q.getAll(name).flatMap((v) => v.split(',')).filter((v) => v !== '');
  if (out.length > MAX_LIST) throw new HttpError(400, `at most ${MAX_LIST} ${name}`);
  return out;
}

export function parseAddress(v: unknown): Address {
  const a = obj(v, 'address');
  return {
    streetAddress: str(a['streetAddress'], 'address.streetAddress'),
    city: str(a['city'], 'address.city'),
    state: str(a['state'], 'address.state'),
    country: str(a['country'], 'address.country'),
    zipCode: str(String(a['zipCode'] ?? ''), 'address.zipCode', 32),
  };
}

export function parseCreditCard(v: unknown): CreditCardInfo {
  const c = obj(v, 'creditCard');
  return {
    creditCardNumber: str(String(c['creditCardNumber'] ?? ''), 'creditCard.creditCardNumber', 32),
    creditCardCvv: int(c['creditCardCvv'], 'creditCard.creditCardCvv', 0, 9999),
    creditCardExpirationYear: int(c['creditCardExpirationYear'], 'creditCard.creditCardExpirationYear', 1970, 9999),
    creditCardExpirationMonth: int(c['creditCardExpirationMonth'], 'creditCard.creditCardExpirationMonth', 1, 12),
  };
}

function parseItems(raw: string | null): CartItem[] {
  if (!raw) return [];
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    throw new HttpError(400, 'itemList must be a JSON array of {productId, quantity}');
  }
  if (!Array.isArray(v) || v.length > MAX_LIST) throw new HttpError(400, `itemList must be an array of at most ${MAX_LIST}`);
  return v.map((x, i) => {
    const o = obj(x, `itemList[${i}]`);
    return { productId: id(o['productId'], `itemList[${i}].productId`), quantity: int(o['quantity'], `itemList[${i}].quantity`, 1, 1000) };
  });
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
    ['GET', /^\/api\/products$/, '/api/products', async (r) => {
      const currency = currencyOf(r.query);
      const { products } = await c.catalog.ListProducts({});
      return { status: 200, json: await Promise.all(products.map((p) => priced(p, currency))) };
    }],
    ['GET', /^\/api\/products\/([^/]+)$/, '/api/products/[productId]', async (r, [productId]) => {
      const pid = id(decodeURIComponent(productId ?? ''), 'productId');
      trace.getActiveSpan()?.setAttribute('app.product.id', pid);
      return { status: 200, json: await getProduct(pid, currencyOf(r.query)) };
    }],
    ['GET', /^\/api\/recommendations$/, '/api/recommendations', async (r) => {
      const currency = currencyOf(r.query);
      const productIds = list(r.query, 'productIds').map((p) => id(p, 'productIds'));
      const userId = r.query.get('sessionId') ?? '';
      const { productIds: recommended } = await c.recommendation.ListRecommendations({
        userId: userId.slice(0, 64),
        productIds,
      });
      const products = await Promise.all(recommended.slice(0, 4).map((p) => getProduct(p, currency)));
      return { status: 200, json: products };
    }],
    ['GET', /^\/api\/data$/, '/api/data', async (r) => {
      const contextKeys = list(r.query, 'contextKeys').map((k) => str(k, 'contextKeys', 64));
      const { ads } = await c.ad.GetAds({ contextKeys });
      return { status: 200, json: ads };
    }],
    ['GET', /^\/api\/cart$/, '/api/cart', async (r) => {
      const userId = id(r.query.get('sessionId') ?? r.query.get('userId'), 'sessionId');
      return { status: 200, json: await cartView(userId, currencyOf(r.query)) };
    }],
    ['POST', /^\/api\/cart$/, '/api/cart', async (r) => {
      const body = obj(r.body, 'body');
      const userId = id(body['userId'], 'userId');
      const item = obj(body['item'], 'item');
      const productId = id(item['productId'], 'item.productId');
      const quantity = int(item['quantity'], 'item.quantity', 1, 1000);
      await c.cart.AddItem({ userId, item: { productId, quantity } });
      return { status: 200, json: await c.cart.GetCart({ userId }) };
    }],
    ['DELETE', /^\/api\/cart$/, '/api/cart', async (r) => {
      const fromBody = typeof r.body === 'object' && r.body !== null ? obj(r.body, 'body')['userId'] : undefined;
      const userId = id(fromBody ?? r.query.get('userId') ?? r.query.get('sessionId'), 'userId');
      await c.cart.EmptyCart({ userId });
      return { status: 204 };
    }],
    ['POST', /^\/api\/checkout$/, '/api/checkout', async (r) => {
      const body = obj(r.body, 'body');
      const currency = currencyOf(r.query);
      const userCurrency = body['userCurrency'] === undefined ? currency : str(body['userCurrency'], 'userCurrency', 3);
      if (!CURRENCY.test(userCurrency)) throw new HttpError(400, 'userCurrency must be a three-letter code like USD');
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
    }],
    ['GET', /^\/api\/currency$/, '/api/currency', async () => {
      const { currencyCodes } = await c.currency.GetSupportedCurrencies({});
      return { status: 200, json: currencyCodes };
    }],
    ['GET', /^\/api\/shipping$/, '/api/shipping', async (r) => {
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
      const { costUsd } = await c.shipping.GetQuote({ address, items: parseItems(r.query.get('itemList')) });
      return { status: 200, json: await convert(costUsd, currency) };
    }],
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
