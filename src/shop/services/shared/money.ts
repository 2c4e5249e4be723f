// Money as the demo's proto carries it: whole units plus nanos (same sign).
// Arithmetic in bigint nanos so sums of prices never pick up float error.
import type { Money } from '../../grpc/types';

const NANOS = 1_000_000_000n;

export function toNanos(m: Money): bigint {
  return BigInt(Math.trunc(m.units)) * NANOS + BigInt(Math.trunc(m.nanos));
}

export function fromNanos(total: bigint, currencyCode: string): Money {
  const units = total / NANOS;
  const nanos = total - units * NANOS;
  return { currencyCode, units: Number(units), nanos: Number(nanos) };
}

export function sumMoney(a: Money, b: Money): Money {
  if (a.currencyCode !== b.currencyCode) {
    throw new Error(`cannot add ${a.currencyCode} and ${b.currencyCode}`);
  }
  return fromNanos(toNanos(a) + toNanos(b), a.currencyCode);
}

export function multiplyMoney(m: Money, n: number): Money {
  return fromNanos(toNanos(m) * BigInt(Math.trunc(n)), m.currencyCode);
}

export function moneyFromNumber(value: number, currencyCode: string): Money {
  return fromNanos(BigInt(Math.round(value * 1e9)), currencyCode);
}

export function moneyToNumber(m: Money): number {
  return m.units + m.nanos / 1e9;
}

/** Valid: nanos within ±999,999,999 and the same sign as units. */
export function isValidMoney(m: Money | null | undefined): m is Money {
  if (!m || typeof m.currencyCode !== 'string') return false;
  if (!Number.isFinite(m.units) || !Number.isInteger(m.nanos)) return false;
  if (m.nanos <= -1e9 || m.nanos >= 1e9) return false;
  return !((m.units > 0 && m.nanos < 0) || (m.units < 0 && m.nanos > 0));
}
