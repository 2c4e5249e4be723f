import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseLogfmt } from './logfmt';

const ok: [string, Record<string, string>][] = [
  ['', {}],
  ['   ', {}],
  ['app.cache_hit=false', { 'app.cache_hit': 'false' }],
  ['a=1 b=2\tc=3', { a: '1', b: '2', c: '3' }],
  ['msg="two words" x=y', { msg: 'two words', x: 'y' }],
  ['q="say \\"hi\\" \\\\ ok"', { q: 'say "hi" \\ ok' }],
  ['empty= next=1', { empty: '', next: '1' }],
  ['k=a=b', { k: 'a=b' }],
  ['a=1 a=2', { a: '2' }],
  ['__proto__=x', { ['__proto__']: 'x' }],
];

for (const [text, pairs] of ok) {
  test(`parseLogfmt(${JSON.stringify(text)})`, () => {
    const r = parseLogfmt(text);
    assert.equal(r.ok, true);
    if (r.ok) {
      assert.deepEqual(Object.entries(r.pairs), Object.entries(pairs));
      assert.equal(Object.getPrototypeOf(r.pairs), Object.prototype);
    }
  });
}

const bad: [string, RegExp][] = [
  ['novalue', /"novalue" has no "=value"/],
  ['=x', /expected a key/],
  ['a="open', /unterminated quote/],
  ['a="x"y', /space after the quoted value/],
  ['a=x"y', /stray quote/],
  [Array.from({ length: 65 }, (_, i) => `k${i}=v`).join(' '), /more than 64 pairs/],
  ['a=' + 'x'.repeat(9000), /longer than 8192/],
];

for (const [text, why] of bad) {
  test(`parseLogfmt(${JSON.stringify(text.slice(0, 16))}) fails: ${why.source}`, () => {
    const r = parseLogfmt(text);
    assert.equal(r.ok, false);
    if (!r.ok) assert.match(r.error, why);
  });
}

test('property: quoted logfmt of any key/value map parses back to the same map', () => {
  const key = fc.stringMatching(/^[a-z][a-z0-9._]{0,15}$/);
  fc.assert(
    fc.property(fc.dictionary(key, fc.string({ maxLength: 40 }), { maxKeys: 10 }), (pairs) => {
      const text = Object.entries(pairs)
        .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)
        .join(' ');
      const r = parseLogfmt(text);
      assert.equal(r.ok, true);
      if (r.ok) assert.deepEqual(r.pairs, { ...pairs });
    }),
    { numRuns: 300 },
  );
});

test('property: any input gives a result or an error, never an exception', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 200 }), (text) => {
      const r = parseLogfmt(text);
      assert.equal(typeof r.ok, 'boolean');
    }),
    { numRuns: 500 },
  );
});
