import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseGoDuration } from './duration';

const ok: [string, bigint][] = [
  ['0', 0n],
  ['1.2s', 1_200_000_000n],
  ['100ms', 100_000_000n],
  ['500us', 500_000n],
  ['500µs', 500_000n],
  ['500μs', 500_000n],
  ['7ns', 7n],
  ['1h30m', 5_400_000_000_000n],
  ['1.000000001s', 1_000_000_001n],
  ['.5s', 500_000_000n],
  ['2.s', 2_000_000_000n],
  ['-1s', -1_000_000_000n],
  ['+3m', 180_000_000_000n],
];

for (const [text, nanos] of ok) {
  test(`parseGoDuration(${JSON.stringify(text)}) = ${nanos}ns`, () => {
    assert.deepEqual(parseGoDuration(text), { ok: true, nanos });
  });
}

const bad: [string, RegExp][] = [
  ['', /empty/],
  ['10', /number followed by a unit/],
  ['1x', /unknown unit "x"/],
  ['ms', /number/],
  ['1.5.5s', /number followed by a unit/],
  ['-', /no number/],
  ['3000000h', /out of range/],
  ['1'.repeat(100) + 's', /too long/],
];

for (const [text, why] of bad) {
  test(`parseGoDuration(${JSON.stringify(text.slice(0, 12))}) fails: ${why.source}`, () => {
    const r = parseGoDuration(text);
    assert.equal(r.ok, false);
    if (!r.ok) assert.match(r.error, why);
  });
}

test('property: n<unit> sums parse exactly', () => {
  const units: [string, bigint][] = [
    ['ns', 1n],
    ['us', 1_000n],
    ['ms', 1_000_000n],
    ['s', 1_000_000_000n],
    ['m', 60_000_000_000n],
    ['h', 3_600_000_000_000n],
  ];
  const part = fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.constantFrom(...units));
  fc.assert(
    fc.property(fc.array(part, { minLength: 1, maxLength: 4 }), (parts) => {
      const text = parts.map(([n, [u]]) => `${n}${u}`).join('');
      const expected = parts.reduce((sum, [n, [, k]]) => sum + BigInt(n) * k, 0n);
      assert.deepEqual(parseGoDuration(text), { ok: true, nanos: expected });
    }),
    { numRuns: 300 },
  );
});

test('property: any input gives a result or an error, never an exception', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 80 }), (text) => {
      assert.equal(typeof parseGoDuration(text).ok, 'boolean');
    }),
    { numRuns: 500 },
  );
});
