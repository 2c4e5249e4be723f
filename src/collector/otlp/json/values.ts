// OTLP/JSON scalars, per the OTLP spec's JSON mapping: ids as hex, int64 as
// string or number, enums as numbers (names accepted too), lowerCamelCase keys
// with the proto field names accepted as well.

import type { FieldPath } from '../errors';
import type { OtlpLimits } from '../limits';
import { truncateString } from '../pb/reader';

export type Json = unknown;
export type JsonObject = Record<string, unknown>;

/** Decoding context: the path for messages, the limits, counters. */
export interface Ctx {
  readonly path: FieldPath;
  readonly limits: OtlpLimits;
  items: number;
  rejected: number;
  rejectReason: string;
}

export function describe(v: Json): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string')
    return `a string (${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v)})`;
  return typeof v === 'object' ? 'an object' : `a ${typeof v} (${String(v)})`;
}

function fail(c: Ctx, name: string, message: string): never {
  c.path.push(name);
  const e = c.path.error(message);
  c.path.pop();
  throw e;
}

/** The value under the camelCase key, or the proto (snake_case) key; undefined when absent or null. */
export function get(o: JsonObject, camel: string, snake: string): Json {
  const v = o[camel];
  if (v !== undefined && v !== null) return v;
  const s = o[snake];
  return s === null ? undefined : s;
}

export function obj(c: Ctx, v: Json, name: string): JsonObject | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    fail(c, name, `expected an object, got ${describe(v)}`);
  return v as JsonObject;
}

export function arr(c: Ctx, v: Json, name: string): readonly Json[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) fail(c, name, `expected an array, got ${describe(v)}`);
  return v;
}

export function str(c: Ctx, v: Json, name: string): string {
  if (v === undefined) return '';
  if (typeof v !== 'string') fail(c, name, `expected a string, got ${describe(v)}`);
  return v;
}

/** A string value subject to maxValueLength. */
export function text(c: Ctx, v: Json, name: string): string {
  const s = str(c, v, name);
  return s.length > c.limits.maxValueLength ? truncateString(s, c.limits.maxValueLength) : s;
}

export function bool(c: Ctx, v: Json, name: string): boolean {
  if (v === undefined) return false;
  if (typeof v !== 'boolean') fail(c, name, `expected true or false, got ${describe(v)}`);
  return v;
}

const INT_RE = /^-?\d{1,20}$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

function integer(c: Ctx, v: Json, name: string, min: bigint, max: bigint, what: string): bigint {
  if (v === undefined) return 0n;
  let n: bigint;
  if (typeof v === 'number' && Number.isInteger(v)) n = BigInt(v);
  else if (typeof v === 'string' && INT_RE.test(v)) n = BigInt(v);
  else
    return fail(
      c,
      name,
      `expected ${what} (a decimal string or integer number), got ${describe(v)}`,
    );
  if (n < min || n > max) fail(c, name, `${n} is out of range for ${what}`);
  return n;
}

export function int64(c: Ctx, v: Json, name: string): bigint {
  return integer(c, v, name, INT64_MIN, INT64_MAX, 'an int64');
}

export function uint64(c: Ctx, v: Json, name: string): bigint {
  return integer(c, v, name, 0n, UINT64_MAX, 'a uint64');
}

export function uint32(c: Ctx, v: Json, name: string): number {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0xffffffff) return v;
  return Number(integer(c, v, name, 0n, 0xffffffffn, 'a uint32'));
}

export function int32(c: Ctx, v: Json, name: string): number {
  if (typeof v === 'number' && Number.isInteger(v) && v >= -0x80000000 && v <= 0x7fffffff) return v;
  return Number(integer(c, v, name, -0x80000000n, 0x7fffffffn, 'an int32'));
}

export function double(c: Ctx, v: Json, name: string): number {
  if (v === undefined) return 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    if (v === 'NaN') return NaN;
    if (v === 'Infinity') return Infinity;
    if (v === '-Infinity') return -Infinity;
    const n = Number(v);
    if (v.trim() !== '' && Number.isFinite(n)) return n;
  }
  return fail(c, name, `expected a number, got ${describe(v)}`);
}

export function optDouble(c: Ctx, v: Json, name: string): number | undefined {
  return v === undefined ? undefined : double(c, v, name);
}

/** An enum as its number or its name (e.g. `SPAN_KIND_SERVER`). */
export function enumValue(c: Ctx, v: Json, name: string, names: readonly string[]): number {
  if (v === undefined) return 0;
  if (typeof v === 'string') {
    const i = names.indexOf(v);
    if (i >= 0) return i;
    return fail(c, name, `unknown enum value ${describe(v)}`);
  }
  return int32(c, v, name);
}

const HEX_RE = /^[0-9a-fA-F]*$/;

/** A trace or span id: hex in OTLP/JSON (not base64). */
export function hexId(c: Ctx, v: Json, name: string, size: 8 | 16): string {
  const s = str(c, v, name);
  if (s === '') return '';
  if (!HEX_RE.test(s)) fail(c, name, `expected ${size * 2} hex digits, got ${describe(s)}`);
  if (s.length !== size * 2) {
    fail(
      c,
      name,
      s.length % 2 === 0
        ? `expected ${size} bytes, got ${s.length / 2}`
        : `expected ${size * 2} hex digits, got ${s.length}`,
    );
  }
  return s.toLowerCase();
}

const B64_RE = /^[A-Za-z0-9+/_-]*={0,2}$/;

export function base64(c: Ctx, v: Json, name: string): Uint8Array {
  const s = str(c, v, name);
  if (!B64_RE.test(s)) fail(c, name, 'expected base64');
  const b = Buffer.from(s, s.includes('-') || s.includes('_') ? 'base64url' : 'base64');
  const n = Math.min(b.length, c.limits.maxValueLength);
  return new Uint8Array(b.buffer, b.byteOffset, n).slice();
}
