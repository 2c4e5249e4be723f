// AnyValue -> JSON, for every API that shows attribute values to a client.
//
// Attribute values are attacker-controlled: nothing here interprets them,
// and the shapes are plain JSON that a client renders as text.

import type { AnyValue } from '../../model/telemetry';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [k: string]: JsonValue };

/** int64 values that fit a double become numbers; larger ones become exact decimal text. */
export function bigintToJson(v: bigint): number | string {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(v)
    : v.toString();
}

/** Doubles JSON cannot carry (NaN, ±Infinity) become their Go/Prometheus spelling. */
export function doubleToJson(v: number): number | string {
  if (Number.isFinite(v)) return v;
  if (Number.isNaN(v)) return 'NaN';
  return v > 0 ? '+Inf' : '-Inf';
}

export function bytesToBase64(v: Uint8Array): string {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
}

export function anyValueToJson(v: AnyValue): JsonValue {
  if (v === null) return null;
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v;
    case 'number':
      return doubleToJson(v);
    case 'bigint':
      return bigintToJson(v);
    default:
      break;
  }
  if (v instanceof Uint8Array) return bytesToBase64(v);
  if (Array.isArray(v)) return (v as readonly AnyValue[]).map(anyValueToJson);
  // Map first so a key such as `__proto__` stays an ordinary key.
  const entries = Object.entries((v as { kvlist: Readonly<Record<string, AnyValue>> }).kvlist);
  return Object.fromEntries(entries.map(([k, x]) => [k, anyValueToJson(x)]));
}

/** Text form of a value, as Jaeger shows arrays and maps (JSON) and as tag filters compare. */
export function anyValueToText(v: AnyValue): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return String(doubleToJson(v));
  return JSON.stringify(anyValueToJson(v));
}
