// The linear-time NFA must answer as RegExp does, and in linear time where
// RegExp backtracks exponentially.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { compileRe2, re2Matcher } from './index';

describe('linear-time matching', () => {
  it('answers in linear time where a backtracking RegExp takes exponential time', () => {
    // RegExp needs ~2^n steps for these; the NFA a few per character.
    for (const p of ['(a|aa)*b', '(a*)*b', '.*a.*a.*b']) {
      assert.equal(re2Matcher(p)('a'.repeat(5000)), false);
    }
  });

  it('keeps answering when NFA programs of many patterns exceed their shared budget', () => {
    // ~10k instructions each: 110 of them pass the budget, so the first is dropped and rebuilt.
    const long = 'a'.repeat(3000);
    const alts = [...'bcdefghijk'].map((c) => `${c}{1000}`).join('|');
    for (let i = 0; i < 110; i++) {
      assert.equal(re2Matcher(`(a|aa)*(${alts}|${i})`)(long), false);
    }
    assert.equal(re2Matcher(`(a|aa)*(${alts}|0)`)(`${long}0`), true);
  });

  // Small patterns over {a, b, newline}: the NFA and RegExp must agree on every value.
  const atom = fc.constantFrom(
    'a',
    'b',
    '.',
    '[ab]',
    '[^a]',
    '\\b',
    '\\B',
    '^',
    '$',
    '(?s:.)',
    '(?m:^)',
    '(?m:$)',
    '(?i)A',
    '\\n',
    '',
  );
  const pattern: fc.Arbitrary<string> = fc.letrec<{ p: string }>((tie) => ({
    p: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      atom,
      fc.tuple(tie('p'), tie('p')).map(([x, y]) => x + y),
      fc.tuple(tie('p'), tie('p')).map(([x, y]) => `${x}|${y}`),
      fc
        .tuple(tie('p'), fc.constantFrom('*', '+', '?', '{2}', '{1,3}', '{2,}', '*?'))
        .map(([x, q]) => `(?:${x})${q}`),
    ),
  })).p;
  it('agrees with RegExp on random patterns and values', () => {
    fc.assert(
      fc.property(
        pattern,
        fc.array(fc.stringMatching(/^[ab\n]{0,6}$/), { maxLength: 8 }),
        (p, vs) => {
          const nfa = compileRe2(p, 'nfa');
          const re = compileRe2(p, 'regexp');
          for (const v of vs)
            assert.equal(nfa(v), re(v), `${JSON.stringify(p)} on ${JSON.stringify(v)}`);
        },
      ),
      { numRuns: 400 },
    );
  });
});
