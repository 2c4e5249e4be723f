// A protobuf wire-format reader specialised for OTLP: no reflection, no
// intermediate objects; decoders drive it field by field (see traces.ts).

import { FieldPath } from '../errors';
import type { DecodeError } from '../errors';
import type { OtlpLimits } from '../limits';

export const WIRE_VARINT = 0;
export const WIRE_I64 = 1;
export const WIRE_LEN = 2;
export const WIRE_SGROUP = 3;
export const WIRE_EGROUP = 4;
export const WIRE_I32 = 5;

const MAX_GROUP_DEPTH = 32;

// Small integer attributes (status codes, counts, ports) are most of them:
// shared bigints spare an allocation each (bigints are immutable).
const SMALL_BIGINTS: readonly bigint[] = Array.from({ length: 1024 }, (_, i) => BigInt(i));
const INT64_SIGN = 1n << 63n;

export class Reader {
  readonly buf: Buffer;
  pos = 0;
  readonly path = new FieldPath();
  readonly limits: OtlpLimits;
  /** Items (spans, events, links, points, log records) seen so far, against maxItemsPerRequest. */
  items = 0;
  /** Count of items rejected by validation (partial success). */
  rejected = 0;
  rejectReason = '';

  constructor(bytes: Uint8Array, limits: OtlpLimits) {
    this.buf = Buffer.isBuffer(bytes)
      ? bytes
      : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.limits = limits;
  }

  fail(message: string): DecodeError {
    return this.path.error(message);
  }

  countItem(): void {
    if (++this.items > this.limits.maxItemsPerRequest) {
      throw this.path.error(
        `more than ${this.limits.maxItemsPerRequest} items in one request (limit maxItemsPerRequest)`,
        'limit',
      );
    }
  }

  reject(reason: string): void {
    this.rejected++;
    if (this.rejectReason === '') this.rejectReason = `${this.path.toString()}: ${reason}`;
  }

  private truncated(): DecodeError {
    return this.fail(`truncated message at byte ${this.pos}`);
  }

  /** A tag or any varint that must fit 32 bits (higher bits are dropped as protobuf does for int32/uint32). */
  varint32(): number {
    const buf = this.buf;
    let pos = this.pos;
    let b = buf[pos++];
    if (b === undefined) throw this.truncated();
    let result = b & 0x7f;
    if (b < 0x80) {
      this.pos = pos;
      return result;
    }
    let shift = 7;
    for (let i = 1; i < 10; i++) {
      b = buf[pos++];
      if (b === undefined) {
        this.pos = pos - 1;
        throw this.truncated();
      }
      if (shift < 32) result |= (b & 0x7f) << shift;
      shift += 7;
      if (b < 0x80) {
        this.pos = pos;
        return result >>> 0;
      }
    }
    this.pos = pos;
    throw this.fail('varint longer than 10 bytes');
  }

  /** An unsigned 64-bit varint as bigint. */
  uint64(): bigint {
    const buf = this.buf;
    let pos = this.pos;
    let lo = 0;
    // Up to 7 bytes (49 bits) accumulate exactly in a double.
    for (let i = 0; i < 7; i++) {
      const b = buf[pos++];
      if (b === undefined) throw this.truncated();
      lo += (b & 0x7f) * 2 ** (7 * i);
      if (b < 0x80) {
        this.pos = pos;
        return lo < SMALL_BIGINTS.length ? (SMALL_BIGINTS[lo] as bigint) : BigInt(lo);
      }
    }
    let big = BigInt(lo);
    let shift = 49n;
    for (let i = 7; i < 10; i++) {
      const b = buf[pos++];
      if (b === undefined) throw this.truncated();
      big |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      if (b < 0x80) {
        this.pos = pos;
        return BigInt.asUintN(64, big);
      }
    }
    this.pos = pos;
    throw this.fail('varint longer than 10 bytes');
  }

  int64(): bigint {
    const v = this.uint64();
    return v < INT64_SIGN ? v : BigInt.asIntN(64, v);
  }

  /** Zigzag-encoded sint32. */
  sint32(): number {
    const n = this.varint32();
    return (n >>> 1) ^ -(n & 1);
  }

  bool(): boolean {
    return this.uint64() !== 0n;
  }

  private need(n: number): void {
    if (this.pos + n > this.buf.length) throw this.truncated();
  }

  fixed32(): number {
    this.need(4);
    const v = this.buf.readUInt32LE(this.pos);
    this.pos += 4;
    return v;
  }

  fixed64(): bigint {
    this.need(8);
    const v = this.buf.readBigUInt64LE(this.pos);
    this.pos += 8;
    return v;
  }

  sfixed64(): bigint {
    this.need(8);
    const v = this.buf.readBigInt64LE(this.pos);
    this.pos += 8;
    return v;
  }

  double(): number {
    this.need(8);
    const v = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return v;
  }

  /** Reads a length prefix and returns the end offset of the field; pos is at its first byte. */
  lenEnd(limit: number): number {
    const len = this.varint32();
    const end = this.pos + len;
    if (len > 0x7fffffff || end > limit)
      throw this.fail(
        `truncated or malformed: length ${len} at byte ${this.pos} runs past the end of the enclosing message`,
      );
    return end;
  }

  string(limit: number): string {
    const end = this.lenEnd(limit);
    const s = cachedString(this.buf, this.pos, end);
    this.pos = end;
    return s;
  }

  /** A string value subject to maxValueLength. */
  value(limit: number): string {
    const s = this.string(limit);
    return s.length > this.limits.maxValueLength
      ? truncateString(s, this.limits.maxValueLength)
      : s;
  }

  bytes(limit: number): Uint8Array {
    const end = this.lenEnd(limit);
    const n = Math.min(end - this.pos, this.limits.maxValueLength);
    const out = new Uint8Array(n);
    out.set(this.buf.subarray(this.pos, this.pos + n));
    this.pos = end;
    return out;
  }

  /** A trace id (16 bytes) or span id (8 bytes) as lowercase hex; empty stays empty. */
  id(limit: number, size: 8 | 16): string {
    const end = this.lenEnd(limit);
    const len = end - this.pos;
    if (len === 0) return '';
    if (len !== size) throw this.fail(`expected ${size} bytes, got ${len}`);
    const s = decodeHex(this.buf, this.pos, end);
    this.pos = end;
    return s;
  }

  /** `id` under the field's name in the path, so an error names the field. */
  idField(name: string, limit: number, size: 8 | 16): string {
    this.path.push(name);
    const id = this.id(limit, size);
    this.path.pop();
    return id;
  }

  /**
   * Skips a field the decoder does not use. `known` has bit N set for each
   * field number N the message defines: such a field arriving here had the
   * wrong wire type, which is an error rather than something to skip.
   */
  skip(tag: number, limit: number, known: number): void {
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 0) throw this.fail(`invalid field number 0 at byte ${this.pos}`);
    if (field < 32 && (known & (1 << field)) !== 0)
      throw this.fail(`field ${field} has wrong wire type ${wire}`);
    this.skipValue(field, wire, limit, 0);
  }

  private skipValue(field: number, wire: number, limit: number, depth: number): void {
    switch (wire) {
      case WIRE_VARINT:
        this.uint64();
        return;
      case WIRE_I64:
        this.need(8);
        this.pos += 8;
        return;
      case WIRE_LEN:
        this.pos = this.lenEnd(limit);
        return;
      case WIRE_I32:
        this.need(4);
        this.pos += 4;
        return;
      case WIRE_SGROUP: {
        if (depth >= MAX_GROUP_DEPTH) throw this.fail('groups nested too deeply');
        for (;;) {
          if (this.pos >= limit) throw this.truncated();
          const t = this.varint32();
          if ((t & 7) === WIRE_EGROUP) {
            if (t >>> 3 !== field)
              throw this.fail(`end group ${t >>> 3} does not match start group ${field}`);
            return;
          }
          if (t >>> 3 === 0) throw this.fail(`invalid field number 0 at byte ${this.pos}`);
          this.skipValue(t >>> 3, t & 7, limit, depth + 1);
        }
      }
      default:
        throw this.fail(`invalid wire type ${wire} for field ${field}`);
    }
  }

  /** Checks a nested message ended exactly at its declared length. */
  expectEnd(end: number): void {
    if (this.pos !== end) throw this.fail(`field overran its message by ${this.pos - end} bytes`);
  }
}

interface SliceBuffer {
  utf8Slice(start: number, end: number): string;
  latin1Slice(start: number, end: number): string;
  hexSlice(start: number, end: number): string;
}

// Buffer's per-encoding slices skip toString's argument and encoding dispatch
// (a fifth of decode time in profiles); fall back if a runtime lacks them.
const proto = Buffer.prototype as unknown as Partial<SliceBuffer>;
const hasSlices =
  typeof proto.utf8Slice === 'function' &&
  typeof proto.latin1Slice === 'function' &&
  typeof proto.hexSlice === 'function';

function decodeUtf8(buf: Buffer, start: number, end: number): string {
  if (end === start) return '';
  return hasSlices
    ? (buf as unknown as SliceBuffer).utf8Slice(start, end)
    : buf.toString('utf8', start, end);
}

/** Lowercase hex in one flat string (a `+=` of byte pairs builds a 16-piece rope that every later use flattens). */
function decodeHex(buf: Buffer, start: number, end: number): string {
  return hasSlices
    ? (buf as unknown as SliceBuffer).hexSlice(start, end)
    : buf.toString('hex', start, end);
}

// Attribute keys, service and span names and most short values repeat from
// span to span. Returning the string decoded last time for the same bytes
// saves the decode and the allocation, and a key string that was used as a
// property name before stays internalized: `key in values` then skips
// hashing it into V8's string table (profiles: a quarter of decode time).
// Direct-mapped: a collision just decodes again, so the table stays bounded
// and correct whatever the input; only short ASCII strings are kept, whose
// bytes compare against the cached string's char codes one to one.
const CACHE_SIZE = 4096;
const MAX_CACHED_BYTES = 48;
const cache: string[] = new Array<string>(CACHE_SIZE).fill('');

/** The UTF-8 string in buf[start, end), from the cache when the same bytes were decoded before. */
export function cachedString(buf: Buffer, start: number, end: number): string {
  const len = end - start;
  if (len === 0 || len > MAX_CACHED_BYTES) return decodeUtf8(buf, start, end);
  let h = len;
  for (let i = start; i < end; i++) {
    const b = buf[i] as number;
    if (b >= 0x80) return decodeUtf8(buf, start, end);
    h = Math.imul(h ^ b, 0x01000193);
  }
  const slot = (h ^ (h >>> 16)) & (CACHE_SIZE - 1);
  const hit = cache[slot] as string;
  if (hit.length === len) {
    let i = 0;
    while (i < len && hit.charCodeAt(i) === buf[start + i]) i++;
    if (i === len) return hit;
  }
  // ASCII: latin1 decodes the same characters without UTF-8 validation.
  const s = hasSlices
    ? (buf as unknown as SliceBuffer).latin1Slice(start, end)
    : buf.toString('latin1', start, end);
  cache[slot] = s;
  return s;
}

/** Cuts at `max` UTF-16 units without splitting a surrogate pair. */
export function truncateString(s: string, max: number): string {
  const c = s.charCodeAt(max - 1);
  return s.slice(0, c >= 0xd800 && c <= 0xdbff ? max - 1 : max);
}

export function tagOf(field: number, wire: number): number {
  return (field << 3) | wire;
}

/** Bitmask of field numbers, for Reader.skip. */
export function fields(...nums: number[]): number {
  let m = 0;
  for (const n of nums) m |= 1 << n;
  return m;
}
