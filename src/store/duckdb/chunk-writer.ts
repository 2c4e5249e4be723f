// Rows into DuckDB data chunks without a native call per value. Each
// Appender `appendX` (and each node-api `DuckDBVector.setItem`) crosses N-API
// once per value, ~100-120 ns; a span has 31 columns, most of them NULL
// attribute slots. Here a column is a typed array of our own, copied into the
// chunk's vector once per chunk (`copy_data_to_vector`); NULLs are bits in a
// validity mask copied once per chunk too. Text of at most 12 ASCII bytes is
// written in DuckDB's inline string layout (the C API's `duckdb_string_t`:
// length, then the bytes, zero padded) into that same copy; longer or
// non-ASCII text costs a native call (`vector_assign_string_element`), once
// per distinct text per chunk. Measured in bench/write-chunks.md.

import type { DuckDBAppender, DuckDBType } from '@duckdb/node-api';
import {
  BIGINT,
  DOUBLE,
  DuckDBDataChunk,
  UBIGINT,
  UHUGEINT,
  UINTEGER,
  UTINYINT,
  VARCHAR,
} from '@duckdb/node-api';
import duckdb from '@duckdb/node-bindings';
import { endianness } from 'node:os';

export type ColumnKind =
  'utinyint' | 'uinteger' | 'bigint' | 'ubigint' | 'uhugeint' | 'double' | 'varchar';

const TYPES: Record<ColumnKind, DuckDBType> = {
  utinyint: UTINYINT,
  uinteger: UINTEGER,
  bigint: BIGINT,
  ubigint: UBIGINT,
  uhugeint: UHUGEINT,
  double: DOUBLE,
  varchar: VARCHAR,
};

const WIDTH: Record<ColumnKind, number> = {
  utinyint: 1,
  uinteger: 4,
  bigint: 8,
  ubigint: 8,
  uhugeint: 16,
  double: 8,
  varchar: 16,
};

/** Rows per chunk at most: DuckDB's vector size (write.ts appends fewer per turn, TURN_ROWS). */
export const CHUNK_ROWS = 2048;
/** Longest text kept inline in a string_t. */
const INLINE = 12;
const MIN_INT64 = -(1n << 63n);
const MAX_INT64 = (1n << 63n) - 1n;
const MAX_UINT64 = (1n << 64n) - 1n;
const MAX_UINT128 = (1n << 128n) - 1n;

class Column {
  readonly width: number;
  readonly buffer: ArrayBuffer;
  readonly bytes: Uint8Array;
  readonly u32: Uint32Array;
  readonly i64: BigInt64Array;
  readonly u64: BigUint64Array;
  readonly f64: Float64Array;
  /** One bit per row, set when the row is valid (DuckDB's layout, little-endian words). */
  readonly validBuffer = new ArrayBuffer(CHUNK_ROWS / 8);
  readonly valid = new Uint32Array(this.validBuffer).fill(0xffff_ffff);
  hasNull = false;
  /**
   * Text that does not fit inline, by tag ('' for none) and value: the first
   * row that holds it. Each distinct text is assigned once through the native
   * call (`firstRows`, `firstTexts`); the other rows get a copy of that row's
   * string_t (same heap bytes, which live as long as the chunk). Names,
   * services and many attribute values repeat. Keyed by the value without
   * its tag, so a repeat never builds the tagged text.
   */
  readonly longFirst = new Map<string, Map<string, number>>();
  readonly firstRows: number[] = [];
  readonly firstTexts: string[] = [];
  /** Every row with non-inline text, and the row whose string_t it copies. */
  readonly longRows: number[] = [];
  readonly longFrom: number[] = [];

  constructor(readonly kind: ColumnKind) {
    this.width = WIDTH[kind];
    const buffer = new ArrayBuffer(this.width * CHUNK_ROWS + 8);
    this.buffer = buffer;
    this.bytes = new Uint8Array(buffer, 0, this.width * CHUNK_ROWS);
    this.u32 = new Uint32Array(buffer, 0, Math.floor(buffer.byteLength / 4));
    this.i64 = new BigInt64Array(buffer, 0, Math.floor(buffer.byteLength / 8));
    this.u64 = new BigUint64Array(buffer, 0, Math.floor(buffer.byteLength / 8));
    this.f64 = new Float64Array(buffer, 0, Math.floor(buffer.byteLength / 8));
  }

  clear(): void {
    if (this.hasNull) this.valid.fill(0xffff_ffff);
    this.hasNull = false;
    for (const m of this.longFirst.values()) m.clear();
    this.firstRows.length = 0;
    this.firstTexts.length = 0;
    this.longRows.length = 0;
    this.longFrom.length = 0;
  }
}

/**
 * One table's chunk, reused for every chunk of every write on one
 * connection. Fill row by row (`row` is the current row), then `append`.
 * Callers write columns of the kind they declared; values are range-checked
 * where a typed array would wrap silently.
 */
export class ChunkWriter {
  private readonly columns: Column[];
  private readonly chunk: DuckDBDataChunk;
  row = 0;

  constructor(kinds: readonly ColumnKind[]) {
    // The words of wide integers and of string_t are written in little-endian order.
    if (endianness() !== 'LE') throw new Error('the chunk writer needs a little-endian machine');
    if (duckdb.vector_size() < CHUNK_ROWS) {
      throw new Error(`DuckDB's vector size ${duckdb.vector_size()} is below ${CHUNK_ROWS}`);
    }
    this.columns = kinds.map((k) => new Column(k));
    this.chunk = DuckDBDataChunk.create(kinds.map((k) => TYPES[k]));
  }

  get full(): boolean {
    return this.row >= CHUNK_ROWS;
  }

  endRow(): void {
    this.row++;
  }

  null(col: number): void {
    const c = this.columns[col]!;
    const r = this.row;
    c.valid[r >>> 5]! &= ~(1 << (r & 31));
    c.hasNull = true;
    // Stale bytes of an earlier chunk stay out of NULL slots (and out of the copy).
    const w = c.width >>> 2;
    if (w === 0) c.bytes[r] = 0;
    else for (let i = r * w, end = i + w; i < end; i++) c.u32[i] = 0;
  }

  u8(col: number, v: number): void {
    this.columns[col]!.bytes[this.row] = checkUint(v, 0xff);
  }

  u32(col: number, v: number): void {
    this.columns[col]!.u32[this.row] = checkUint(v, 0xffff_ffff);
  }

  f64(col: number, v: number): void {
    this.columns[col]!.f64[this.row] = v;
  }

  i64(col: number, v: bigint): void {
    if (v < MIN_INT64 || v > MAX_INT64) throw new RangeError(`${v} is out of the BIGINT range`);
    this.columns[col]!.i64[this.row] = v;
  }

  /** A BIGINT from a safe integer (Prometheus milliseconds), with no bigint on the way. */
  i64Num(col: number, v: number): void {
    if (!Number.isSafeInteger(v)) throw new RangeError(`${v} is not a safe integer`);
    const hi = Math.floor(v / 0x1_0000_0000);
    const u = this.columns[col]!.u32;
    u[this.row * 2] = v - hi * 0x1_0000_0000;
    u[this.row * 2 + 1] = hi >>> 0;
  }

  u64(col: number, v: bigint): void {
    if (v < 0n || v > MAX_UINT64) throw new RangeError(`${v} is out of the UBIGINT range`);
    this.columns[col]!.u64[this.row] = v;
  }

  u128(col: number, v: bigint): void {
    if (v < 0n || v > MAX_UINT128) throw new RangeError(`${v} is out of the UHUGEINT range`);
    const c = this.columns[col]!;
    c.u64[this.row * 2] = BigInt.asUintN(64, v);
    c.u64[this.row * 2 + 1] = v >> 64n;
  }

  /** A UBIGINT from 16 hex digits, with no bigint on the way. */
  u64Hex(col: number, hex: string): void {
    hexWords(hex, 2, this.columns[col]!.u32, this.row * 2);
  }

  /** A UHUGEINT from 32 hex digits (lower 64 bits first, as DuckDB's uhugeint_t). */
  u128Hex(col: number, hex: string): void {
    hexWords(hex, 4, this.columns[col]!.u32, this.row * 4);
  }

  /** A UHUGEINT given as the four 32-bit words `hexWords` made (a trace's spans share one). */
  u128Words(col: number, words: Uint32Array, from: number): void {
    const u = this.columns[col]!.u32;
    const at = this.row * 4;
    u[at] = words[from]!;
    u[at + 1] = words[from + 1]!;
    u[at + 2] = words[from + 2]!;
    u[at + 3] = words[from + 3]!;
  }

  str(col: number, v: string): void {
    if (!this.inline(col, v, -1)) this.long(col, '', v);
  }

  /**
   * `tag` (one ASCII letter) then `v`: an attribute value as stored, `s` +
   * text. The tagged string is only built when it does not fit inline.
   */
  tagged(col: number, tag: string, v: string): void {
    if (!this.inline(col, v, tag.charCodeAt(0))) this.long(col, tag, v);
  }

  /** Writes `v` (after the one-byte `tag`, unless -1) as an inline string_t if it fits. */
  private inline(col: number, v: string, tag: number): boolean {
    const c = this.columns[col]!;
    const w = this.row * 4;
    c.u32[w + 1] = 0;
    c.u32[w + 2] = 0;
    c.u32[w + 3] = 0;
    const pre = tag < 0 ? 0 : 1;
    const n = v.length + pre;
    if (n > INLINE) return false;
    const b = c.bytes;
    const o = this.row * 16 + 4;
    if (pre === 1) b[o] = tag;
    for (let i = 0; i < v.length; i++) {
      const ch = v.charCodeAt(i);
      if (ch > 0x7f) return false;
      b[o + pre + i] = ch;
    }
    c.u32[w] = n;
    return true;
  }

  private long(col: number, tag: string, v: string): void {
    const c = this.columns[col]!;
    const r = this.row;
    let firsts = c.longFirst.get(tag);
    if (firsts === undefined) {
      firsts = new Map();
      c.longFirst.set(tag, firsts);
    }
    let from = firsts.get(v);
    if (from === undefined) {
      from = r;
      firsts.set(v, r);
      c.firstRows.push(r);
      c.firstTexts.push(tag === '' ? v : tag + v);
    }
    c.longRows.push(r);
    c.longFrom.push(from);
  }

  optStr(col: number, v: string | null): void {
    if (v === null) this.null(col);
    else this.str(col, v);
  }

  /** Copies the filled rows into the chunk, appends it and starts the next chunk at row 0. */
  append(a: DuckDBAppender): void {
    const n = this.row;
    if (n === 0) return;
    const raw = this.chunk.chunk;
    try {
      for (let i = 0; i < this.columns.length; i++) {
        const c = this.columns[i]!;
        const vector = duckdb.data_chunk_get_vector(raw, i);
        if (c.longRows.length > 0) this.patchLong(c, vector, n);
        duckdb.copy_data_to_vector(vector, 0, c.buffer, 0, n * c.width);
        if (c.hasNull) {
          duckdb.vector_ensure_validity_writable(vector);
          duckdb.copy_data_to_vector_validity(vector, 0, c.validBuffer, 0, Math.ceil(n / 64) * 8);
        }
      }
      duckdb.data_chunk_set_size(raw, n);
      a.appendDataChunk(this.chunk);
    } finally {
      this.reset();
    }
  }

  /** Assigns each distinct long text once, then copies the string_t of every long row into our buffer. */
  private patchLong(c: Column, vector: duckdb.Vector, n: number): void {
    for (let k = 0; k < c.firstRows.length; k++) {
      duckdb.vector_assign_string_element(vector, c.firstRows[k]!, c.firstTexts[k]!);
    }
    const slots = duckdb.vector_get_data(vector, n * 16);
    const aligned = slots.byteOffset % 4 === 0 ? slots : new Uint8Array(slots);
    const src = new Uint32Array(aligned.buffer, aligned.byteOffset, n * 4);
    const dst = c.u32;
    for (let k = 0; k < c.longRows.length; k++) {
      const to = c.longRows[k]! * 4;
      const from = c.longFrom[k]! * 4;
      dst[to] = src[from]!;
      dst[to + 1] = src[from + 1]!;
      dst[to + 2] = src[from + 2]!;
      dst[to + 3] = src[from + 3]!;
    }
  }

  /** Drops whatever was filled (after a failure, so the next write starts clean). */
  reset(): void {
    for (const c of this.columns) c.clear();
    duckdb.data_chunk_reset(this.chunk.chunk);
    this.row = 0;
  }
}

/** Lowercase hex digit values by char code, -1 for anything else. */
const HEX_DIGIT = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) HEX_DIGIT['0123456789abcdef'.charCodeAt(i)] = i;

/**
 * `words` 32-bit words of a lowercase hex number into `out` from `at`, least
 * significant first (DuckDB's little-endian integers). Ids were validated
 * already; the check here keeps a malformed one from becoming a wrong number.
 * A digit table: 30-60 ns per 16 digits, 80-110 with slice + parseInt or BigInt.
 */
export function hexWords(hex: string, words: number, out: Uint32Array, at = 0): void {
  let bad = hex.length === words * 8 ? 0 : -1;
  for (let k = 0; k < words && bad >= 0; k++) {
    const end = hex.length - k * 8;
    let v = 0;
    for (let i = end - 8; i < end; i++) {
      const ch = hex.charCodeAt(i);
      const d = ch < 128 ? HEX_DIGIT[ch]! : -1;
      bad |= d;
      v = (v << 4) | (d & 15);
    }
    out[at + k] = v >>> 0;
  }
  if (bad < 0) {
    const shown = JSON.stringify(hex.slice(0, 40));
    throw new RangeError(`${shown} is not ${words * 8} lowercase hex digits`);
  }
}

function checkUint(v: number, max: number): number {
  if (!Number.isInteger(v) || v < 0 || v > max) {
    throw new RangeError(`${v} is not an integer from 0 to ${max}`);
  }
  return v;
}
