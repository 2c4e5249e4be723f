import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DEFAULT_LIMITS } from '../limits';
import { cachedString, Reader } from './reader';

/** `s` as a length-prefixed protobuf field body (length < 128). */
const field = (bytes: Buffer): Buffer => Buffer.concat([Buffer.from([bytes.length]), bytes]);

describe('cachedString', () => {
  it('decodes exactly what Buffer#toString decodes, whatever the bytes, cache hit or miss', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 60 }), { minLength: 1, maxLength: 40 }),
        (arrays) => {
          // Each array twice: the second decode of the same bytes comes from the cache.
          for (const a of [...arrays, ...arrays]) {
            const buf = Buffer.concat([Buffer.from([0x7f]), Buffer.from(a), Buffer.from([0x41])]);
            assert.equal(cachedString(buf, 1, 1 + a.length), Buffer.from(a).toString('utf8'));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('returns the same string for the same bytes and the right one for different bytes of a slot', () => {
    const a = Buffer.from('service.name');
    assert.equal(cachedString(a, 0, a.length), 'service.name');
    assert.equal(cachedString(Buffer.from(a), 0, a.length), 'service.name');
    // Enough distinct same-length keys to collide in a 4096-slot table many times over.
    for (let i = 0; i < 20_000; i++) {
      const k = `k${String(i).padStart(8, '0')}`;
      const b = Buffer.from(k);
      assert.equal(cachedString(b, 0, b.length), k);
    }
    for (let i = 0; i < 20_000; i += 997) {
      const k = `k${String(i).padStart(8, '0')}`;
      assert.equal(cachedString(Buffer.from(k), 0, k.length), k);
    }
  });

  it('decodes non-ASCII and long strings without caching them wrongly', () => {
    for (const s of ['café', '日本語のキー', 'x'.repeat(49), `${'y'.repeat(200)}é`, '']) {
      const b = Buffer.from(s);
      assert.equal(cachedString(b, 0, b.length), s);
      assert.equal(cachedString(b, 0, b.length), s);
    }
    // Invalid UTF-8 decodes to replacement characters, as Buffer does.
    const bad = Buffer.from([0x61, 0xff, 0x62]);
    assert.equal(cachedString(bad, 0, 3), bad.toString('utf8'));
  });
});

describe('Reader.id', () => {
  it('reads ids as lowercase hex, like Buffer#toString("hex")', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (a) => {
        const r = new Reader(field(Buffer.from(a)), DEFAULT_LIMITS);
        assert.equal(r.id(17, 16), Buffer.from(a).toString('hex'));
        assert.equal(r.pos, 17);
      }),
      { numRuns: 200 },
    );
  });

  it('keeps an empty id empty and refuses a wrong size', () => {
    assert.equal(new Reader(Buffer.from([0]), DEFAULT_LIMITS).id(1, 8), '');
    assert.throws(
      () => new Reader(field(Buffer.alloc(7)), DEFAULT_LIMITS).id(8, 8),
      /expected 8 bytes, got 7/,
    );
  });
});

/** A protobuf varint of the 64-bit two's complement of `v`. */
function varint(v: bigint): Buffer {
  let u = BigInt.asUintN(64, v);
  const out: number[] = [];
  do {
    const b = Number(u & 0x7fn);
    u >>= 7n;
    out.push(u === 0n ? b : b | 0x80);
  } while (u !== 0n);
  return Buffer.from(out);
}

describe('Reader.int64 / uint64', () => {
  it('reads every size of varint, small shared values included, as the exact bigint', () => {
    const edges = [0n, 1n, 1023n, 1024n, (1n << 49n) - 1n, 1n << 49n, (1n << 63n) - 1n];
    for (const v of [...edges, ...edges.map((x) => -x - 1n)]) {
      assert.equal(new Reader(varint(v), DEFAULT_LIMITS).int64(), v, `int64 ${v}`);
      assert.equal(
        new Reader(varint(v), DEFAULT_LIMITS).uint64(),
        BigInt.asUintN(64, v),
        `uint64 ${v}`,
      );
    }
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }), (v) => {
        assert.equal(new Reader(varint(v), DEFAULT_LIMITS).int64(), v);
      }),
      { numRuns: 500 },
    );
  });
});
