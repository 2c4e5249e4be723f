import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Expr } from './ast';
import { parseExpr, typeOf } from './parse';

describe('parseExpr: shapes', () => {
  it('reads a selector with its name as a matcher', () => {
    assert.deepEqual(parseExpr('foo{a="b", c=~"d.*"}'), {
      kind: 'vector',
      name: 'foo',
      matchers: [
        { name: '__name__', op: '=', value: 'foo' },
        { name: 'a', op: '=', value: 'b' },
        { name: 'c', op: '=~', value: 'd.*' },
      ],
      offset: 0,
      at: undefined,
    });
  });

  it('binds offset and @ to the selector, not the whole binary expression', () => {
    const e = parseExpr('a + b offset 5m') as Extract<Expr, { kind: 'binary' }>;
    assert.equal(e.kind, 'binary');
    assert.equal((e.lhs as Extract<Expr, { kind: 'vector' }>).offset, 0);
    assert.equal((e.rhs as Extract<Expr, { kind: 'vector' }>).offset, 300_000);
    const at = parseExpr('a / b @ start()') as Extract<Expr, { kind: 'binary' }>;
    assert.equal((at.rhs as Extract<Expr, { kind: 'vector' }>).at, 'start');
    assert.equal((at.lhs as Extract<Expr, { kind: 'vector' }>).at, undefined);
  });

  it('reads negative offsets and @ in seconds', () => {
    const e = parseExpr('foo[5m] offset -1m @ 100.5') as Extract<Expr, { kind: 'matrix' }>;
    assert.equal(e.range, 300_000);
    assert.equal(e.selector.offset, -60_000);
    assert.equal(e.selector.at, 100_500);
  });

  it('reads subqueries with and without step', () => {
    assert.deepEqual(
      {
        ...(parseExpr('rate(x[1m])[10m:30s]') as Extract<Expr, { kind: 'subquery' }>),
        expr: undefined,
      },
      { kind: 'subquery', expr: undefined, range: 600_000, step: 30_000, offset: 0, at: undefined },
    );
    assert.equal((parseExpr('x[10m:]') as Extract<Expr, { kind: 'subquery' }>).step, 0);
  });

  it('reads aggregation modifiers before or after the body', () => {
    for (const q of ['sum by (a, b) (x)', 'sum(x) by (a, b)']) {
      const e = parseExpr(q) as Extract<Expr, { kind: 'aggregate' }>;
      assert.deepEqual([e.op, e.grouping, e.without], ['sum', ['a', 'b'], false]);
    }
    const t = parseExpr('topk without (a) (3, x)') as Extract<Expr, { kind: 'aggregate' }>;
    assert.deepEqual([t.op, t.without, t.param], ['topk', true, { kind: 'number', value: 3 }]);
  });

  it('reads vector matching', () => {
    const e = parseExpr('a * on(x) group_left(y) b') as Extract<Expr, { kind: 'binary' }>;
    assert.deepEqual(e.matching, { card: 'many-to-one', on: true, labels: ['x'], include: ['y'] });
    const s = parseExpr('a and ignoring(z) b') as Extract<Expr, { kind: 'binary' }>;
    assert.deepEqual(s.matching, { card: 'many-to-many', on: false, labels: ['z'], include: [] });
  });

  it('folds a unary minus into a number literal', () => {
    assert.deepEqual(parseExpr('-5'), { kind: 'number', value: -5 });
    // ...but, as in Prometheus, binds looser than ^: -2 ^ 2 is -(2 ^ 2).
    const pow = parseExpr('-2 ^ 2');
    assert.equal(pow.kind, 'unary');
  });

  it('types expressions', () => {
    const cases: [string, string][] = [
      ['1', 'scalar'],
      ['"s"', 'string'],
      ['x', 'vector'],
      ['x[1m]', 'matrix'],
      ['x[1m:]', 'matrix'],
      ['1 + 1', 'scalar'],
      ['x + 1', 'vector'],
      ['time()', 'scalar'],
      ['scalar(x)', 'scalar'],
      ['sum(x)', 'vector'],
    ];
    for (const [q, t] of cases) assert.equal(typeOf(parseExpr(q)), t, q);
  });
});

describe('parseExpr: errors in Prometheus words', () => {
  const cases: [string, RegExp][] = [
    ['', /no expression found in input/],
    ['sum(', /^1:5: parse error: unclosed left parenthesis$/],
    ['foo{', /^1:5: parse error: unexpected end of input inside braces$/],
    ['1 +', /^1:4: parse error: unexpected end of input$/],
    ['rate(up)', /^1:6: parse error: expected type range vector/],
    ['up bool', /^1:4: parse error: unexpected <bool>$/],
    ['up{instance=~"\\w+"}', /^1:14: parse error: unknown escape sequence U\+0077 'w'$/],
    ['1 1', /^1:3: parse error: unexpected number "1"$/],
    ['up{a="b"} {c="d"}', /^1:11: parse error: unexpected "\{"$/],
    ['up[1.5m]', /^1:4: parse error: not a valid duration string: "1.5m"$/],
    ['up[0s]', /duration must be greater than 0/],
    ['up offset 1m[5m]', /^1:13: parse error: no offset modifiers allowed before range$/],
    [
      'quantile("a", up)',
      /^1:10: parse error: expected type scalar in aggregation parameter, got string$/,
    ],
    ['up @ Inf', /^1:1: parse error: timestamp out of bounds for @ modifier: \+Inf$/],
    ['rate(x)', /expected type range vector in call to function "rate", got instant vector/],
    ['abs(x[5m])', /expected type instant vector in call to function "abs", got range vector/],
    ['1 > 2', /comparisons between scalars must use BOOL modifier/],
    ['x + bool y', /bool modifier can only be used on comparison operators/],
    ['x[5m] + 1', /binary expression must contain only scalar and instant vector types/],
    ['x and 1', /set operator "and" not allowed in binary scalar expression/],
    ['x and on(a) group_left b', /no grouping allowed for "and" operation/],
    ['x * on(a) group_left(a) y', /label "a" must not occur in ON and GROUP clause at once/],
    ['{a=""}', /vector selector must contain at least one non-empty matcher/],
    ['foo{__name__="bar"}', /metric name must not be set twice/],
    ['x offset 1m offset 2m', /offset may not be set multiple times/],
    ['x @ 1 @ 2', /@ <timestamp> may not be set multiple times/],
    ['(x + y) offset 5m', /offset modifier must be preceded by an instant vector selector/],
    ['sum(x, y)', /wrong number of arguments for aggregate expression provided, expected 1, got 2/],
    ['topk(x)', /wrong number of arguments for aggregate expression provided, expected 2, got 1/],
    ['count_values(1, x)', /expected type string in aggregation parameter, got scalar/],
    ['nope(x)', /unknown function with name "nope"|parse error/],
    ['round(x, 1, 2)', /expected at most 2 argument\(s\) in call to "round", got 3/],
    ['label_join(x, "a")', /expected at least 3 argument\(s\) in call to "label_join", got 2/],
    ['x[5m][5m]', /parse error/],
    ['x{a=~"("}', /^1:3: parse error: error parsing regexp: missing closing \): `\^\(\?:\(\)\$`$/],
    ['x{a=~`(a)\\1`}', /^1:3: parse error: error parsing regexp: invalid escape sequence: `\\1`$/],
    [
      'x{b="", a!~`(?=a)`}',
      /^1:9: parse error: error parsing regexp: invalid or unsupported Perl syntax: `\(\?=`$/,
    ],
    ['{a=~`(?s:.*)`}', /vector selector must contain at least one non-empty matcher/],
    ['1[5m:]', /subquery is only allowed on instant vector, got scalar instead/],
  ];
  for (const [q, want] of cases) {
    it(`${JSON.stringify(q)} fails with ${want}`, () => {
      assert.throws(
        () => parseExpr(q),
        (err: Error & { type?: string }) => {
          assert.equal(err.type, 'bad_data');
          assert.match(err.message, want);
          return true;
        },
      );
    });
  }

  it('accepts what RE2 accepts and JavaScript rejects', () => {
    for (const re of ['[[:^alpha:]]', '(?P<n>a)(?P<n>a)', '(?P<1a>a)', '^*a', '\\Q(\\E', '\\pL'])
      assert.equal(parseExpr(`x{a=~\`${re}\`}`).kind, 'vector', re);
  });

  it('bounds the query length', () => {
    assert.throws(() => parseExpr('x + '.repeat(20_000) + 'x'), /longer than/);
  });
});
