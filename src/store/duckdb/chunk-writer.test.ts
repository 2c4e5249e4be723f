import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { DuckDBConnection, DuckDBInstance as Instance } from '@duckdb/node-api';
import { DuckDBInstance } from '@duckdb/node-api';

import type { ColumnKind } from './chunk-writer';
import { CHUNK_ROWS, ChunkWriter, hexWords } from './chunk-writer';

const KINDS: readonly ColumnKind[] = [
  'uhugeint',
  'ubigint',
  'bigint',
  'utinyint',
  'uinteger',
  'double',
  'varchar',
  'varchar',
];
const DDL = `CREATE TABLE t (
  h UHUGEINT, u UBIGINT, i BIGINT, b UTINYINT, n UINTEGER, d DOUBLE, s VARCHAR, x VARCHAR)`;

let instance: Instance;
let conn: DuckDBConnection;

before(async () => {
  instance = await DuckDBInstance.create(':memory:');
  conn = await instance.connect();
});
after(() => {
  conn.closeSync();
  instance.closeSync();
});

async function table(): Promise<void> {
  await conn.run('DROP TABLE IF EXISTS t');
  await conn.run(DDL);
}

/** Rows through one writer and appender, one chunk per CHUNK_ROWS rows. */
async function writeRows(w: ChunkWriter, count: number, fill: (i: number) => void): Promise<void> {
  const a = await conn.createAppender('t');
  try {
    for (let i = 0; i < count; i++) {
      fill(i);
      w.endRow();
      if (w.full) w.append(a);
    }
    w.append(a);
    a.flushSync();
  } finally {
    a.closeSync();
  }
}

async function rows(sql: string): Promise<unknown[][]> {
  return (await conn.runAndReadAll(sql)).getRows();
}

const MAX_U64 = (1n << 64n) - 1n;
const MAX_U128 = (1n << 128n) - 1n;
const MAX_I64 = (1n << 63n) - 1n;
const MIN_I64 = -(1n << 63n);

describe('ChunkWriter', () => {
  it('writes every column kind at its bounds, hex ids bit for bit', async () => {
    await table();
    const w = new ChunkWriter(KINDS);
    const cases: [string, string, bigint, number, number, number][] = [
      ['0'.repeat(32), '0'.repeat(16), 0n, 0, 0, 0],
      ['f'.repeat(32), 'f'.repeat(16), MAX_I64, 255, 0xffff_ffff, -1.5],
      ['0123456789abcdef0011223344556677', '8000000000000001', MIN_I64, 1, 1, Number.MAX_VALUE],
    ];
    await writeRows(w, cases.length, (i) => {
      const [h, u, n, b, u32, d] = cases[i]!;
      w.u128Hex(0, h);
      w.u64Hex(1, u);
      w.i64(2, n);
      w.u8(3, b);
      w.u32(4, u32);
      w.f64(5, d);
      w.str(6, 'x');
      w.null(7);
    });
    assert.deepEqual(await rows('SELECT h, u, i, b, n, d FROM t'), [
      [0n, 0n, 0n, 0, 0, 0],
      [MAX_U128, MAX_U64, MAX_I64, 255, 0xffff_ffff, -1.5],
      [0x0123456789abcdef0011223344556677n, 0x8000000000000001n, MIN_I64, 1, 1, Number.MAX_VALUE],
    ]);
  });

  it('takes ids as bigints too, the same numbers as from hex', async () => {
    await table();
    const w = new ChunkWriter(KINDS);
    const ids = [0n, 1n, MAX_U128, 0xdeadbeefn << 64n];
    await writeRows(w, ids.length, (i) => {
      w.u128(0, ids[i]!);
      w.u64(1, BigInt.asUintN(64, ids[i]!));
      for (let c = 2; c < KINDS.length; c++) w.null(c);
    });
    assert.deepEqual(
      (await rows('SELECT h, u FROM t')).map((r) => r[0]),
      ids,
    );
    assert.deepEqual(
      (await rows('SELECT u FROM t')).map((r) => r[0]),
      ids.map((v) => BigInt.asUintN(64, v)),
    );
  });

  it('writes safe-integer milliseconds as BIGINT, negative ones too', async () => {
    await table();
    const w = new ChunkWriter(KINDS);
    const ts = [0, -1, 1, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 1_700_000_000_123];
    await writeRows(w, ts.length, (i) => {
      w.i64Num(2, ts[i]!);
      for (const c of [0, 1, 3, 4, 5, 6, 7]) w.null(c);
    });
    assert.deepEqual(
      (await rows('SELECT i FROM t')).map((r) => r[0]),
      ts.map(BigInt),
    );
  });

  it('keeps NULL, empty text and every text length and script apart', async () => {
    await table();
    const w = new ChunkWriter(KINDS);
    const texts: (string | null)[] = [
      null,
      '',
      'a',
      '123456789012', // the longest inline text
      '1234567890123', // the shortest that is not
      'é',
      'naïve text longer than twelve',
      'nul\u0000inside',
      '\u0000',
      'emoji \u{1F600}',
      'x\uD800y', // a lone surrogate: what the Appender stores (U+FFFD)
      null,
      '',
    ];
    await writeRows(w, texts.length, (i) => {
      for (let c = 0; c < 6; c++) w.null(c);
      w.optStr(6, texts[i]!);
      w.optStr(7, texts[i] === null ? '' : null);
    });
    const got = await rows('SELECT s, x, s IS NULL, x IS NULL FROM t');
    assert.deepEqual(
      got.map((r) => r[0]),
      texts.map((t) => (t === 'x\uD800y' ? 'x\uFFFDy' : t)),
    );
    assert.deepEqual(
      got.map((r) => r[1]),
      texts.map((t) => (t === null ? '' : null)),
    );
  });

  it('fills more than one chunk, exactly one, and repeated long texts in both', async () => {
    for (const count of [CHUNK_ROWS, CHUNK_ROWS + 1, 3 * CHUNK_ROWS - 7]) {
      await table();
      const w = new ChunkWriter(KINDS);
      const long = (i: number): string => `a long repeated text number ${i % 7}`;
      await writeRows(w, count, (i) => {
        w.u128(0, BigInt(i) << 70n);
        w.u64(1, BigInt(i));
        w.i64(2, BigInt(-i));
        w.u8(3, i % 256);
        if (i % 3 === 0) w.null(4);
        else w.u32(4, i);
        w.f64(5, i / 2);
        w.str(6, long(i));
        if (i % 5 === 0) w.null(7);
        else w.str(7, i % 2 === 0 ? `short${i % 10}` : `unique long text of row ${i}`);
      });
      const got = await rows('SELECT h, u, i, b, n, d, s, x FROM t ORDER BY u');
      assert.equal(got.length, count);
      got.forEach((r, i) => {
        const x =
          i % 5 === 0 ? null : i % 2 === 0 ? `short${i % 10}` : `unique long text of row ${i}`;
        assert.deepEqual(r, [
          BigInt(i) << 70n,
          BigInt(i),
          BigInt(-i),
          i % 256,
          i % 3 === 0 ? null : i,
          i / 2,
          long(i),
          x,
        ]);
      });
    }
  });

  it('refuses values a typed array would wrap, naming them', () => {
    const w = new ChunkWriter(KINDS);
    assert.throws(() => w.u8(3, 256), /256 is not an integer from 0 to 255/);
    assert.throws(() => w.u32(4, -1), RangeError);
    assert.throws(() => w.u32(4, 1.5), RangeError);
    assert.throws(() => w.i64(2, MAX_I64 + 1n), /out of the BIGINT range/);
    assert.throws(() => w.u64(1, -1n), /out of the UBIGINT range/);
    assert.throws(() => w.u128(0, MAX_U128 + 1n), /out of the UHUGEINT range/);
    assert.throws(() => w.i64Num(2, 2 ** 53), /not a safe integer/);
    assert.throws(() => w.u64Hex(1, 'ABCDEF0123456789'), /16 lowercase hex digits/);
    assert.throws(() => w.u64Hex(1, '0123'), /16 lowercase hex digits/);
    assert.throws(() => w.u128Hex(0, `${'0'.repeat(31)}g`), /32 lowercase hex digits/);
    w.reset();
  });

  it('starts clean after reset: no NULL bit, long text or row of the dropped rows survives', async () => {
    await table();
    const w = new ChunkWriter(KINDS);
    for (let i = 0; i < 5; i++) {
      for (let c = 0; c < 6; c++) w.null(c);
      w.str(6, 'dropped long text, never stored');
      w.null(7);
      w.endRow();
    }
    w.reset();
    assert.equal(w.row, 0);
    await writeRows(w, 2, (i) => {
      w.u128(0, 7n);
      w.u64(1, 7n);
      w.i64(2, 7n);
      w.u8(3, 7);
      w.u32(4, 7);
      w.f64(5, 7);
      w.str(6, `kept ${i}`);
      w.str(7, 'kept long text of this chunk');
    });
    assert.deepEqual(await rows('SELECT * FROM t'), [
      [7n, 7n, 7n, 7, 7, 7, 'kept 0', 'kept long text of this chunk'],
      [7n, 7n, 7n, 7, 7, 7, 'kept 1', 'kept long text of this chunk'],
    ]);
  });

  it('reads back a short text written over a longer one of an earlier chunk as itself', async () => {
    await table();
    const w = new ChunkWriter(KINDS);
    for (const text of ['abcdefghijkl', 'ab']) {
      await writeRows(w, 1, () => {
        for (let c = 0; c < 6; c++) w.null(c);
        w.str(6, text);
        w.null(7);
      });
    }
    assert.deepEqual(await rows('SELECT s, length(s) FROM t'), [
      ['abcdefghijkl', 12n],
      ['ab', 2n],
    ]);
  });

  it('hexWords puts the least significant word first', () => {
    const out = new Uint32Array(4);
    hexWords('00000001000000020000000300000004', 4, out);
    assert.deepEqual([...out], [4, 3, 2, 1]);
  });
});
