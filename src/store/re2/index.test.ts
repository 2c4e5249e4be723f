// Regex matchers follow RE2 as Prometheus 2.42 compiles them (Go's
// regexp.Compile("^(?:" + v + ")$")). The expected answers and error texts
// were read from a real Prometheus 2.42; test/compat/prom-diff checks the
// same cases against it end to end.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { maxRegexLength, re2Matcher, re2ToJs, Re2SyntaxError } from './index';

const values = [
  'a',
  'A',
  'abc',
  'a\nb',
  'line1\n',
  'é',
  'É',
  '😀',
  'x.y',
  ' ',
  '\t',
  '\v',
  '\u00a0',
  'k',
  'K',
  '\u212a', // Kelvin sign
  's',
  'S',
  '\u017f', // long s
  'ı', // dotless i
  'i',
  'Ω',
  'ω',
  '_',
  '-',
  '0',
];

function matching(pattern: string): string[] {
  const test = re2Matcher(pattern);
  return values.filter((v) => test(v));
}

describe('RE2 regex matchers', () => {
  const cases: [string, string[]][] = [
    ['a', ['a']],
    ['(?i)a', ['a', 'A']],
    ['(?i:a)bc', ['abc']],
    ['(?i)k', ['k', 'K', '\u212a']],
    ['(?i)s', ['s', 'S', '\u017f']],
    ['(?i)i', ['i']],
    // (?i) scoped to part of the pattern: case variants spelled out.
    ['0|(?i)s', ['s', 'S', '\u017f', '0']],
    ['0|(?i)K', ['k', 'K', '\u212a', '0']],
    ['0|(?i)\\w', ['a', 'A', 'k', 'K', '\u212a', 's', 'S', '\u017f', 'i', '_', '0']],
    ['0|(?i)i', ['i', '0']],
    ['(?i)é', ['é', 'É']],
    ['\\Qx.y\\E', ['x.y']],
    ['\\Qx\\E.y', ['x.y']],
    ['[[:alpha:]]', ['a', 'A', 'k', 'K', 's', 'S', 'i']],
    [
      '[[:^alpha:]]',
      ['é', 'É', '😀', ' ', '\t', '\v', '\u00a0', '\u212a', '\u017f', 'ı', 'Ω', 'ω', '_', '-', '0'],
    ],
    ['\\p{Greek}', ['Ω', 'ω']],
    ['\\PL', ['😀', ' ', '\t', '\v', '\u00a0', '_', '-', '0']],
    ['\\pZ', [' ', '\u00a0']],
    ['[^\\PL]', ['a', 'A', 'é', 'É', 'k', 'K', '\u212a', 's', 'S', '\u017f', 'ı', 'i', 'Ω', 'ω']],
    // `.` does not match a newline; (?s) makes it.
    ['a.b', []],
    ['(?s)a.b', ['a\nb']],
    ['.', values.filter((v) => [...v].length === 1 && v !== '\n')],
    // `$` is the end of the text, not before a final newline; (?m) makes ^ and $ match at lines.
    ['line1$', []],
    ['line1\\n', ['line1\n']],
    ['(?m)line1$\\n', ['line1\n']],
    ['a(?m)$\\n^b', ['a\nb']],
    // RE2's \s is ASCII and has no \v; \w and \d are ASCII.
    ['\\s', [' ', '\t']],
    ['\\S', values.filter((v) => [...v].length === 1 && !' \t\n'.includes(v))],
    ['\\w', ['a', 'A', 'k', 'K', 's', 'S', 'i', '_', '0']],
    ['\\x{1F600}', ['😀']],
    ['\\101|\\x41', ['A']],
    ['[]a]', ['a']],
    ['[a-]', ['a', '-']],
    ['a{,2}', []],
    ['', []],
    ['.*', values.filter((v) => !v.includes('\n'))],
  ];
  for (const [pattern, want] of cases) {
    it(`${JSON.stringify(pattern)} matches ${want.length} values`, () => {
      assert.deepEqual(matching(pattern).sort(), [...want].sort());
    });
  }

  const errors: [string, string][] = [
    ['(a)\\1', 'invalid escape sequence: `\\1`'],
    ['(?=a)a', 'invalid or unsupported Perl syntax: `(?=`'],
    ['(?<!a)b', 'invalid or unsupported Perl syntax: `(?<`'],
    ['(?<n>a)', 'invalid or unsupported Perl syntax: `(?<`'],
    ['(?x)a', 'invalid or unsupported Perl syntax: `(?x`'],
    ['(?P=n)', 'invalid or unsupported Perl syntax: `(?P`'],
    ['a**', 'invalid nested repetition operator: `**`'],
    ['a{2}{3}', 'invalid nested repetition operator: `{2}{3}`'],
    ['a{1001}', 'invalid repeat count: `{1001}`'],
    ['{2}', 'missing argument to repetition operator: `{2}`'],
    ['\\Qx.y', 'missing closing ): `^(?:\\Qx.y)$`'],
    ['(', 'missing closing ): `^(?:()$`'],
    [')', 'unexpected ): `^(?:))$`'],
    ['[', 'missing closing ]: `[)$`'],
    ['[z-a]', 'invalid character class range: `z-a`'],
    ['[[:foo:]]', 'invalid character class range: `[:foo:]`'],
    ['\\p{Foo}', 'invalid character class range: `\\p{Foo}`'],
    ['\\Z', 'invalid escape sequence: `\\Z`'],
    ['\\x4', 'invalid escape sequence: `\\x4)`'],
    ['\\x{110000}', 'invalid escape sequence: `\\x{110000`'],
    // Go's limits on nested counted repeats (at most 1000 copies of the innermost thing).
    ['(a{10}){101}', 'invalid repeat count: `{101}`'],
    ['((a{2}){2}){251}', 'invalid repeat count: `{251}`'],
    ['(a{0,3}){334}', 'invalid repeat count: `{334}`'],
  ];
  for (const [pattern, message] of errors) {
    it(`rejects ${JSON.stringify(pattern)} as RE2 does`, () => {
      assert.throws(
        () => re2Matcher(pattern),
        (err: unknown) =>
          err instanceof Re2SyntaxError && err.message === `error parsing regexp: ${message}`,
      );
    });
  }

  it("accepts nested counted repeats within Go's budget", () => {
    assert.ok(re2Matcher('(a{10}){100}')('a'.repeat(1000)));
    assert.ok(re2Matcher('((a{2}){2}){250}')('a'.repeat(1000)));
  });

  it("rejects nesting deeper than Go's parse tree allows (the whole pattern in the error)", () => {
    const deep = (d: number): string => '('.repeat(d) + 'a' + ')'.repeat(d);
    assert.ok(re2Matcher(deep(998))('a'));
    assert.throws(
      () => re2Matcher(deep(999)),
      (err: unknown) =>
        err instanceof Re2SyntaxError &&
        err.code === 'expression nests too deeply' &&
        err.expr === `^(?:${deep(999)})$`,
    );
    // Non-capturing groups are no nodes in Go's tree.
    assert.ok(re2Matcher(`${'(?:'.repeat(2000)}a${')'.repeat(2000)}`)('a'));
  });

  it("rejects programs larger than Go's budget as Go 1.19 does", () => {
    assert.ok(re2Matcher('a{1000}'.repeat(3355)));
    assert.throws(
      () => re2Matcher('a{1000}'.repeat(3356)),
      (err: unknown) =>
        err instanceof Re2SyntaxError && err.code === 'regexp/syntax: internal error',
    );
  });

  it('answers the common shapes without a regex: literals, alternatives of literals, .* and .+', () => {
    assert.deepEqual(matching('a|abc|0'), ['a', 'abc', '0']);
    assert.deepEqual(matching('x.y'), ['x.y']);
    assert.ok(!re2Matcher('a|abc')('a|abc'));
    assert.ok(re2Matcher('.*')(''));
    assert.ok(!re2Matcher('.+')(''));
    assert.ok(!re2Matcher('.+')('a\nb'));
  });

  it('refuses patterns longer than the bound before parsing them', () => {
    assert.throws(() => re2ToJs('a'.repeat(maxRegexLength + 1)), Re2SyntaxError);
  });

  it('uses JavaScript case folding when the whole pattern is case-insensitive', () => {
    assert.equal(re2ToJs('(?i)abc').flags, 'iu');
    assert.equal(re2ToJs('abc').flags, 'u');
    assert.equal(re2ToJs('a(?i)bc').flags, 'u');
  });
});
