import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileSubmatch, expandTemplate, findSubmatch } from './re2-submatch';

function replace(pattern: string, value: string, template: string): string | null {
  const m = findSubmatch(pattern, value);
  return m && expandTemplate(template, m, compileSubmatch(pattern).names);
}

describe('RE2 submatches for label_replace', () => {
  it('numbers capturing groups as Go does, skipping (?:), (?i) and flag groups', () => {
    assert.deepEqual(compileSubmatch('(a)(?:b)(?i)(?P<n>c)(?s:(d))').names, ['', '', 'n', '']);
    assert.equal(replace('(a)(?:b)(?i)(?P<n>c)(?s:(d))', 'abCd', '$1-$n-$3-$2'), 'a-C-d-C');
  });

  it('leaves parentheses in classes, escapes and \\Q..\\E out of the groups', () => {
    assert.equal(replace('[(]([)])\\(\\Q(x)\\E(y)', '()(' + '(x)y', '$1 $2'), ') y');
    assert.equal(replace('[]a(](b)', '(b', '$1'), 'b');
    assert.equal(replace('[^]a(](b)', 'xb', '$1'), 'b');
    assert.equal(replace('[[:alpha:]](\\d)', 'x7', '$1'), '7');
    assert.equal(replace('\\Q(x.y)\\E|(x.y)', 'x.y', '[$1]'), '[x.y]');
    assert.equal(replace('\\Q(x.y)\\E|(x.y)', '(x.y)', '[$1]'), '[]');
    assert.equal(replace('\\Q(x.y)\\E|(x.y)', 'xzy', '[$1]'), '[xzy]');
  });

  it('keeps assertions as assertions next to groups', () => {
    assert.equal(replace('(^)(a)($)', 'a', '$2'), 'a');
    assert.equal(replace('(?m)(a$)\\n(^b)', 'a\nb', '$1$2'), 'ab');
    assert.equal(replace('(\\ba)\\B', 'a', '$1'), null);
  });

  it('matches with RE2 semantics: . without newline, \\Q..\\E, negated POSIX classes', () => {
    assert.equal(findSubmatch('(.*)', 'a\nb'), null);
    assert.equal(replace('(?s)(.*)', 'a\nb', '$1'), 'a\nb');
    assert.equal(replace('([[:^alpha:]]+)', '12', '$1'), '12');
    assert.equal(replace('(?i)(ab)c', 'ABC', '$1'), 'AB');
  });

  it('prefers the leftmost-first submatch', () => {
    assert.equal(replace('(a*)(a*)', 'aaa', '$1|$2'), 'aaa|');
    assert.equal(replace('(a*?)(a*)', 'aaa', '$1|$2'), '|aaa');
    assert.equal(replace('(a|ab)(c|bcd)?.*', 'abcd', '$1|$2'), 'a|bcd');
  });

  it('keeps the last submatch of a group inside a repetition, as Go does', () => {
    assert.equal(replace('(?:(a)|b)+', 'ab', '[$1]'), '[a]');
    assert.equal(replace('(?:(?P<x>a)|(?P<y>b))+', 'ab', '$x$y'), 'ab');
  });

  it('swaps greedy and lazy repetitions under (?U), in its scope only', () => {
    assert.equal(replace('(?U)(a+)(a*)', 'aa', '[$1][$2]'), '[a][a]');
    assert.equal(replace('(?U)(a+?)(a*)', 'aa', '[$1][$2]'), '[aa][]');
    assert.equal(replace('(?U:(a{1,}))(a*)', 'aa', '[$1][$2]'), '[a][a]');
    assert.equal(replace('((?U)a+)(a*)', 'aaa', '[$1][$2]'), '[a][aa]');
    assert.equal(replace('(?U)(a+)(?-U)(a*)', 'aaa', '[$1][$2]'), '[a][aa]');
    assert.equal(replace('(?U)(\\.+)([.x]*)', '..x', '[$1][$2]'), '[.][.x]');
    assert.equal(replace('(?U)(\\pL?)(.*)', 'ab', '[$1][$2]'), '[][ab]');
    assert.equal(replace('(?U)([+*?]+)(.*)', '+*?', '[$1][$2]'), '[+][*?]');
  });

  it('accepts what RE2 accepts and JavaScript does not: repeated and digit-led names', () => {
    assert.equal(replace('(?P<n>a)(?P<n>b)', 'ab', '$n'), 'a');
    assert.equal(replace('(?P<n>x)?(?P<n>b)', 'b', '$n'), 'b');
    assert.equal(replace('(?P<1a>a)', 'a', '${1a}'), 'a');
    assert.equal(replace('(?P<01>a)', 'a', '$01'), 'a');
  });

  it("rejects what RE2 rejects with Go's error", () => {
    assert.throws(
      () => compileSubmatch('(a)\\1'),
      /error parsing regexp: invalid escape sequence: `\\1`/,
    );
    assert.throws(() => compileSubmatch('(?=a)'), /invalid or unsupported Perl syntax/);
    assert.throws(() => compileSubmatch('a('), /missing closing \)/);
  });

  it('finds no match in a long value without backtracking forever', () => {
    assert.equal(findSubmatch('(a|aa)*b', 'a'.repeat(5000)), null);
    assert.equal(replace('(a|aa)*(b)', `${'a'.repeat(5000)}b`, '$2'), 'b');
  });
});

describe("Go's Regexp.Expand", () => {
  const m = findSubmatch('(?P<first>a)(b)?(c)', 'ac');
  assert.ok(m);
  const names = compileSubmatch('(?P<first>a)(b)?(c)').names;
  const cases: [string, string][] = [
    ['$0', 'ac'],
    ['$1$3', 'ac'],
    ['${1}x', 'ax'],
    ['$1x', ''],
    ['$first', 'a'],
    ['${first}_', 'a_'],
    ['$first_', ''],
    ['$2', ''],
    ['$9', ''],
    ['$01', ''],
    ['$$1', '$1'],
    ['$', '$'],
    ['a$', 'a$'],
    ['${1', '${1'],
    ['${}', '${}'],
    ['$-', '$-'],
    ['$é', ''],
    ['$1é', ''],
    ['x$3y$$', 'x$'],
    ['x${3}y', 'xcy'],
    ['9999999999', '9999999999'],
    ['$9999999999', ''],
  ];
  for (const [template, want] of cases) {
    it(`${JSON.stringify(template)} -> ${JSON.stringify(want)}`, () =>
      assert.equal(expandTemplate(template, m, names), want));
  }
});
