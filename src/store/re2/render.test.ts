// re2ToJs with captures: Go's group numbering and names, (?U), and the
// same source as without captures apart from groups and laziness.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { re2ToJs } from './render';

function exec(pattern: string, value: string): (string | undefined)[] | null {
  const { source, flags } = re2ToJs(pattern, { captures: true });
  const m = new RegExp(source, flags).exec(value);
  return m && [...m];
}

describe('re2ToJs with captures', () => {
  it('renders every group non-capturing without the option', () => {
    const { source, flags } = re2ToJs('(a)(?P<n>b)');
    assert.equal(new RegExp(`${source}|`, flags).exec('ab')?.length, 1);
  });

  it("numbers capturing groups as Go does and returns Go's SubexpNames", () => {
    const r = re2ToJs('(a)(?:b)(?i)(?P<n>c)(?s:(d))', { captures: true });
    assert.deepEqual(r.names, ['', '', 'n', '']);
    assert.deepEqual(exec('(a)(?:b)(?i)(?P<n>c)(?s:(d))', 'abCd'), ['abCd', 'a', 'C', 'd']);
  });

  it('keeps names Go allows and JavaScript does not out of the source', () => {
    assert.deepEqual(re2ToJs('(?P<n>a)(?P<n>b)(?P<1x>c)', { captures: true }).names, [
      '',
      'n',
      'n',
      '1x',
    ]);
    assert.deepEqual(exec('(?P<n>a)(?P<n>b)(?P<1x>c)', 'abc'), ['abc', 'a', 'b', 'c']);
  });

  it('leaves parentheses in classes, escapes and \\Q..\\E out of the groups', () => {
    assert.deepEqual(exec('[(]([)])\\(\\Q(x)\\E(y)', '()((x)y'), ['()((x)y', ')', 'y']);
    assert.deepEqual(re2ToJs('\\Q(\\E(a)', { captures: true }).names, ['', '']);
  });

  it('swaps greedy and lazy under (?U), in its scope only', () => {
    assert.deepEqual(exec('(?U)(a+)(a*)', 'aa'), ['aa', 'a', 'a']);
    assert.deepEqual(exec('(?U)(a+?)(a*)', 'aa'), ['aa', 'aa', '']);
    assert.deepEqual(exec('((?U)a{1,})(a*)', 'aaa'), ['aaa', 'a', 'aa']);
    assert.deepEqual(exec('(?U:(a??))(a*)', 'aa'), ['aa', 'a', 'a']);
    assert.deepEqual(exec('(?U)(a+)(?-U)(a*)', 'aaa'), ['aaa', 'a', 'aa']);
  });

  it('keeps the case-folding spelling of the matcher rendering', () => {
    const plain = re2ToJs('a(?i)(k)');
    const caps = re2ToJs('a(?i)(k)', { captures: true });
    assert.equal(caps.flags, plain.flags);
    assert.equal(caps.source.replace('a(', 'a(?:'), plain.source);
    assert.deepEqual(exec('a(?i)(k)', 'a\u212a'), ['a\u212a', '\u212a']);
  });
});
