import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileAnchored, matchesLabel } from './regex';

describe('RE2 patterns in JavaScript', () => {
  const cases: [string, string, boolean][] = [
    ['prod.*', 'production', true],
    ['prod', 'production', false],
    ['a|b', 'b', true],
    ['(?i)PROD.*', 'production', true],
    ['(?i:PRO)duction', 'production', true],
    ['(?i:PRO)DUCTION', 'production', false],
    ['x((?i)AB)c', 'xabc', true],
    ['x((?i)AB)C', 'xabc', false],
    ['[(?i)A-Z]+', 'ABC', true],
    ['(?i)[a-c]+', 'ABC', true],
    ['(?P<name>a)b', 'ab', true],
    ['a\\.b', 'a.b', true],
    ['a\\.b', 'axb', false],
    ['a{2}', 'aa', true],
    ['[[:alpha:]]+:9464', 'cart:9464', true],
    ['[[:alpha:]]+:9464', 'cart1:9464', false],
    ['[[:digit:][:upper:]]+', '9A', true],
    ['[^[:space:]]+', 'a b', false],
    ['[[:punct:]]', '/', true],
  ];
  for (const [pattern, value, want] of cases) {
    it(`${pattern} ${want ? 'matches' : 'does not match'} ${value}`, () =>
      assert.equal(compileAnchored(pattern).test(value), want));
  }

  it('rejects malformed patterns as bad_data', () => {
    assert.throws(() => compileAnchored('a('), { name: 'PromQLError', type: 'bad_data' } as object);
  });

  it('bounds pattern length', () => {
    assert.throws(() => compileAnchored('a'.repeat(70_000)), /longer than/);
  });

  it('implements the four matcher operators', () => {
    assert.equal(matchesLabel('=', 'a', 'a'), true);
    assert.equal(matchesLabel('!=', 'a', 'a'), false);
    assert.equal(matchesLabel('=~', 'a.', 'ab'), true);
    assert.equal(matchesLabel('!~', 'a.', 'ab'), false);
  });
});
