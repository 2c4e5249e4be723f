// Submatches as Go finds them: the Pike VM and RegExp must agree wherever
// JavaScript's semantics are Go's, and the VM must answer Go's way where
// they are not (a group inside a repetition keeps its last submatch).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { compileSubmatcher } from './submatch';

const exec = (p: string, v: string, engine: 'auto' | 'pike' | 'regexp' = 'auto') =>
  compileSubmatcher(p, engine).exec(v);

describe('RE2 submatches', () => {
  it('keeps the last submatch of a group inside a repetition, as Go does', () => {
    assert.deepEqual(exec('(?:(a)|b)+', 'ab'), ['ab', 'a']);
    assert.deepEqual(exec('(?:(a)|(b))+', 'ab'), ['ab', 'a', 'b']);
    assert.deepEqual(exec('(?:(a)|(b)){2}', 'ba'), ['ba', 'a', 'b']);
    assert.deepEqual(exec('(?:(a)|b)+', 'ab', 'regexp'), ['ab', undefined]);
  });

  it('prefers the leftmost-first submatch, greedy or lazy, (?U) included', () => {
    assert.deepEqual(exec('(a|ab)(c|bcd)?', 'abcd', 'pike'), ['abcd', 'a', 'bcd']);
    assert.deepEqual(exec('(a|ab)(c|bcd)?', 'abc', 'pike'), ['abc', 'ab', 'c']);
    assert.deepEqual(exec('(a*?)(a*)', 'aaa', 'pike'), ['aaa', '', 'aaa']);
    assert.deepEqual(exec('(?U)(a+)(a*)', 'aaa', 'pike'), ['aaa', 'a', 'aa']);
    assert.deepEqual(exec('(?U)(a{1,3}?)(a*)', 'aaa', 'pike'), ['aaa', 'aaa', '']);
    assert.deepEqual(exec('(x)?(b)', 'b', 'pike'), ['b', undefined, 'b']);
  });

  it('reads astral code points as one character and answers null for no match', () => {
    assert.deepEqual(exec('(.)(.)', '😀é', 'pike'), ['😀é', '😀', 'é']);
    assert.equal(exec('(a)', 'b', 'pike'), null);
  });

  it('runs long values in linear time where RegExp would backtrack exponentially', () => {
    const long = 'a'.repeat(20000);
    assert.equal(exec('(a|aa)*(c)', `${long}b`), null);
    assert.deepEqual(exec('(a|aa)*(b)', `${long}b`)?.slice(1), ['a', 'b']);
  });

  it('keeps answering when the programs of many patterns exceed their shared budget', () => {
    // ~10k instructions each: 110 of them pass the budget, so the first is dropped and rebuilt.
    const alts = [...'cdefghijk'].map((c) => `${c}{1000}`).join('|');
    for (let i = 0; i < 110; i++) {
      assert.deepEqual(exec(`(?:(a)|b)+(${alts}|${i})`, `ab${i}`), [`ab${i}`, 'a', `${i}`]);
    }
    assert.deepEqual(exec(`(?:(a)|b)+(${alts}|0)`, 'ba0'), ['ba0', 'a', '0']);
  });

  // Small patterns over {a, b}, no group repeated: both engines must find the same submatches.
  const atom = fc.constantFrom('a', 'b', '.', '[ab]', '\\b', '^', '$', '', '(a)', '(b|)');
  const pattern: fc.Arbitrary<string> = fc.letrec<{ p: string }>((tie) => ({
    p: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      atom,
      fc.tuple(tie('p'), tie('p')).map(([x, y]) => x + y),
      fc.tuple(tie('p'), tie('p')).map(([x, y]) => `(${x}|${y})`),
      fc.tuple(tie('p'), tie('p')).map(([x, y]) => `(?:${x}|${y})`),
      fc
        .tuple(
          fc.constantFrom('a', 'b', '[ab]', '.'),
          fc.constantFrom('*', '+', '?', '*?', '{1,2}'),
        )
        .map(([x, q]) => `(${x}${q})`),
      fc.tuple(tie('p')).map(([x]) => `(?U)${x}`),
    ),
  })).p;
  it('agrees with RegExp on random patterns and values', () => {
    fc.assert(
      fc.property(
        pattern,
        fc.array(fc.stringMatching(/^[ab]{0,5}$/), { maxLength: 6 }),
        (p, vs) => {
          for (const v of vs)
            assert.deepEqual(exec(p, v, 'pike'), exec(p, v, 'regexp'), `${p} on ${v}`);
        },
      ),
      { numRuns: 300 },
    );
  });
});
