import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatLogfmt, parseLogfmt } from './logfmt';

test('parses a single tag', () => {
  assert.deepEqual(parseLogfmt('app.cache_hit=false'), {
    ok: true,
    tags: { 'app.cache_hit': 'false' },
  });
});

test('parses several tags separated by any whitespace', () => {
  assert.deepEqual(parseLogfmt('  a=1\tb=two  c=3 '), {
    ok: true,
    tags: { a: '1', b: 'two', c: '3' },
  });
});

test('parses quoted values with spaces, escapes and equals signs', () => {
  assert.deepEqual(parseLogfmt('http.route="/a b" q="x=\\"y\\""'), {
    ok: true,
    tags: { 'http.route': '/a b', q: 'x="y"' },
  });
});

test('empty input means no tags', () => {
  assert.deepEqual(parseLogfmt('   '), { ok: true, tags: {} });
});

test('a key without value is an error naming the key', () => {
  const r = parseLogfmt('app.cache_hit');
  assert.equal(r.ok, false);
  assert.match(r.ok ? '' : r.error, /app\.cache_hit/);
});

test('an unterminated quote is an error', () => {
  const r = parseLogfmt('a="open');
  assert.equal(r.ok, false);
  assert.match(r.ok ? '' : r.error, /unterminated/);
});

test('a missing key is an error with its position', () => {
  const r = parseLogfmt('=x');
  assert.equal(r.ok, false);
  assert.match(r.ok ? '' : r.error, /position 1/);
});

test('over-long input is refused', () => {
  assert.equal(parseLogfmt('a=' + 'x'.repeat(5000)).ok, false);
});

test('format quotes only what needs quoting and round-trips', () => {
  const tags = { a: 'plain', b: 'two words', c: 'say "hi"', d: '' };
  const text = formatLogfmt(tags);
  assert.equal(text, 'a=plain b="two words" c="say \\"hi\\"" d=""');
  assert.deepEqual(parseLogfmt(text), { ok: true, tags });
});
