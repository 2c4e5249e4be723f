// Validation of the storefront API's input: every value bounded, every
// refusal an HttpError naming the field and what it must be.
import type { Address, CartItem, CreditCardInfo } from '../../grpc/types';

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
export const CURRENCY = /^[A-Z]{3}$/;
const MAX_LIST = 20;

export function str(v: unknown, what: string, max = 256): string {
  if (typeof v !== 'string' || v === '') throw new HttpError(400, `${what} is required (a string)`);
  if (v.length > max) throw new HttpError(400, `${what} is longer than ${max} characters`);
  return v;
}

export function id(v: unknown, what: string): string {
  const s = str(v, what, 64);
  if (!ID.test(s)) throw new HttpError(400, `${what} must be letters, digits, '-' or '_'`);
  return s;
}

export function currencyOf(q: URLSearchParams): string {
  const c = q.get('currencyCode') || 'USD';
  if (!CURRENCY.test(c))
    throw new HttpError(400, 'currencyCode must be a three-letter code like USD');
  return c;
}

export function obj(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new HttpError(400, `${what} must be an object`);
  return v as Record<string, unknown>;
}

export function int(v: unknown, what: string, min: number, max: number): number {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
    throw new HttpError(400, `${what} must be an integer from ${min} to ${max}`);
  }
  return n;
}

/** Repeated or comma-separated query values (`a=1&a=2` or `a=1,2`). */
export function list(q: URLSearchParams, name: string): string[] {
  const out = q
    .getAll(name)
    .flatMap((v) => v.split(','))
    .filter((v) => v !== '');
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
    creditCardExpirationYear: int(
      c['creditCardExpirationYear'],
      'creditCard.creditCardExpirationYear',
      1970,
      9999,
    ),
    creditCardExpirationMonth: int(
      c['creditCardExpirationMonth'],
      'creditCard.creditCardExpirationMonth',
      1,
      12,
    ),
  };
}

export function parseItems(raw: string | null): CartItem[] {
  if (!raw) return [];
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    throw new HttpError(400, 'itemList must be a JSON array of {productId, quantity}');
  }
  if (!Array.isArray(v) || v.length > MAX_LIST)
    throw new HttpError(400, `itemList must be an array of at most ${MAX_LIST}`);
  return v.map((x, i) => {
    const o = obj(x, `itemList[${i}]`);
    return {
      productId: id(o['productId'], `itemList[${i}].productId`),
      quantity: int(o['quantity'], `itemList[${i}].quantity`, 1, 1000),
    };
  });
}
