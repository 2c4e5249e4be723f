// PromQL text -> typed AST. The lezer grammar does the syntax; this file
// applies Prometheus 2.42's semantic checks (promql/parser/parse.go checkAST)
// and reports failures as bad_data with Prometheus's wording.

import { parser as lezer } from '@prometheus-io/lezer-promql';
import type { SyntaxNode } from '@lezer/common';
import { re2Matcher } from '../../store/labels';
import type { LabelMatcher, MatchOp } from '../../store/store';
import type {
  AggregateOp,
  AtModifier,
  BinaryOp,
  Expr,
  ValueType,
  VectorMatching,
  VectorSelector,
} from './ast';
import { badData } from './errors';
import { parseDuration, parseNumber, unquote } from './lexical';
import { functionSignatures } from './signatures';

export const maxQueryLength = 64 * 1024;

const binaryOps: Readonly<Record<string, BinaryOp>> = {
  Add: '+',
  Sub: '-',
  Mul: '*',
  Div: '/',
  Mod: '%',
  Pow: '^',
  Atan2: 'atan2',
  Eql: '==',
  Neq: '!=',
  Gtr: '>',
  Lss: '<',
  Gte: '>=',
  Lte: '<=',
  And: 'and',
  Or: 'or',
  Unless: 'unless',
};
const matchOps: Readonly<Record<string, MatchOp>> = {
  EqlSingle: '=',
  Neq: '!=',
  EqlRegex: '=~',
  NeqRegex: '!~',
};
const paramAggregates = new Set<AggregateOp>(['topk', 'bottomk', 'quantile', 'count_values']);
const comparisonOps = new Set<BinaryOp>(['==', '!=', '>', '<', '>=', '<=']);
const setOps = new Set<BinaryOp>(['and', 'or', 'unless']);

export function isComparison(op: BinaryOp): boolean {
  return comparisonOps.has(op);
}
export function isSetOperator(op: BinaryOp): boolean {
  return setOps.has(op);
}

export function typeOf(e: Expr): ValueType {
  switch (e.kind) {
    case 'vector':
    case 'aggregate':
      return 'vector';
    case 'matrix':
    case 'subquery':
      return 'matrix';
    case 'number':
      return 'scalar';
    case 'string':
      return 'string';
    case 'paren':
    case 'unary':
      return typeOf(e.expr);
    case 'binary':
      return typeOf(e.lhs) === 'scalar' && typeOf(e.rhs) === 'scalar' ? 'scalar' : 'vector';
    case 'call':
      return functionSignatures.get(e.func)?.returns ?? 'vector';
  }
}

const keywords = new Set([
  'bool',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'offset',
  'start',
  'end',
]);
const operatorWords = new Set(['and', 'or', 'unless', 'atan2']);
const aggregators = new Set([
  'sum',
  'avg',
  'min',
  'max',
  'count',
  'group',
  'stddev',
  'stdvar',
  'topk',
  'bottomk',
  'quantile',
  'count_values',
]);

/** The first token of `rest` in the words of Prometheus's lexer items. */
function describeToken(rest: string): string {
  const word = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(rest)?.[0];
  if (word !== undefined) {
    const lower = word.toLowerCase();
    if (keywords.has(lower)) return `<${lower}>`;
    if (operatorWords.has(lower)) return `<op:${lower}>`;
    if (aggregators.has(lower)) return `<aggr:${lower}>`;
    return `identifier ${JSON.stringify(word.slice(0, 40))}`;
  }
  const num = /^[0-9][0-9a-zA-Z.]*/.exec(rest)?.[0];
  if (num !== undefined) return `number ${JSON.stringify(num.slice(0, 40))}`;
  return JSON.stringify(rest[0] ?? '');
}

/** Go's %f: six decimals, +Inf, -Inf, NaN. */
function goFixed6(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  return v.toFixed(6);
}

function documented(t: ValueType): string {
  return t === 'vector' ? 'instant vector' : t === 'matrix' ? 'range vector' : t;
}

/** Parses a PromQL expression; throws PromQLError('bad_data') on any syntax or type error. */
export function parseExpr(input: string): Expr {
  if (input.length > maxQueryLength)
    throw badData(`query is longer than ${maxQueryLength} characters`);
  return new Converter(input).run();
}

class Converter {
  constructor(private readonly input: string) {}

  run(): Expr {
    const tree = lezer.parse(this.input);
    let errorAt: number | undefined;
    tree.iterate({
      enter: (n) => {
        if (errorAt === undefined && n.type.isError) errorAt = n.from;
        return errorAt === undefined;
      },
    });
    const top = tree.topNode;
    const exprs = this.children(top);
    if (errorAt !== undefined || exprs.length !== 1) {
      const at = errorAt ?? this.input.length;
      const rest = this.input.slice(at).trim();
      if (this.input.trim() === '') throw this.error(0, 'no expression found in input');
      throw this.error(at, this.unexpected(at, rest));
    }
    const expr = this.expr(exprs[0] as SyntaxNode);
    const t = typeOf(expr);
    if (t !== 'scalar' && t !== 'vector' && t !== 'matrix' && t !== 'string') {
      throw this.error(0, `expression must have a valid expression type but got ${documented(t)}`);
    }
    return expr;
  }

  /** Prometheus's wording for the common cases of an unfinished query. */
  private unexpected(at: number, rest: string): string {
    if (rest !== '') {
      const bad = /^\d+\.\d+[a-z]+/.exec(rest)?.[0];
      if (bad !== undefined) return `not a valid duration string: ${JSON.stringify(bad)}`;
      return `unexpected ${describeToken(rest)}`;
    }
    const before = this.input
      .slice(0, at)
      .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '');
    const depth = (open: string, close: string): number =>
      before.split(open).length - before.split(close).length;
    if (depth('{', '}') > 0) return 'unexpected end of input inside braces';
    if (depth('[', ']') > 0) return 'unexpected end of input inside brackets';
    if (depth('(', ')') > 0) return 'unclosed left parenthesis';
    return 'unexpected end of input';
  }

  private error(pos: number, msg: string): Error {
    const before = this.input.slice(0, pos);
    const line = before.split('\n').length;
    const col = pos - before.lastIndexOf('\n');
    return badData(`${line}:${col}: parse error: ${msg}`);
  }

  private text(n: SyntaxNode): string {
    return this.input.slice(n.from, n.to);
  }

  private children(n: SyntaxNode): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    for (let c = n.firstChild; c; c = c.nextSibling) if (c.name !== 'LineComment') out.push(c);
    return out;
  }

  private child(n: SyntaxNode, i: number): SyntaxNode {
    const c = this.children(n)[i];
    if (!c) throw this.error(n.from, `unexpected end of ${n.name}`);
    return c;
  }

  private duration(n: SyntaxNode): number {
    const d = parseDuration(this.text(n));
    if (d === undefined) {
      throw this.error(n.from, `bad duration syntax: ${JSON.stringify(this.text(n))}`);
    }
    if (d === 0) throw this.error(n.from, 'duration must be greater than 0');
    return d;
  }

  private string(n: SyntaxNode): string {
    const text = this.text(n);
    const s = unquote(text);
    if (s !== undefined) return s;
    // Prometheus's lexer names the first escape it does not know.
    const bad = text[0] === '`' ? null : /\\([^abfnrtv\\'"xuU0-7])/u.exec(text);
    if (bad?.[1] !== undefined) {
      const cp = bad[1].codePointAt(0) ?? 0;
      const hex = cp.toString(16).toUpperCase().padStart(4, '0');
      throw this.error(n.from, `unknown escape sequence U+${hex} '${bad[1]}'`);
    }
    throw this.error(n.from, `error unquoting string ${JSON.stringify(text)}`);
  }

  private expectType(e: Expr, want: ValueType, context: string, pos: number): void {
    const got = typeOf(e);
    if (got !== want)
      throw this.error(
        pos,
        `expected type ${documented(want)} in ${context}, got ${documented(got)}`,
      );
  }

  expr(n: SyntaxNode): Expr {
    switch (n.name) {
      case 'ParenExpr':
        return { kind: 'paren', expr: this.expr(this.child(n, 0)) };
      case 'NumberLiteral': {
        const v = parseNumber(this.text(n));
        if (v === undefined) throw this.error(n.from, `error parsing number: ${this.text(n)}`);
        return { kind: 'number', value: v };
      }
      case 'StringLiteral':
        return { kind: 'string', value: this.string(n) };
      case 'VectorSelector':
        return this.vectorSelector(n);
      case 'MatrixSelector': {
        const inner = this.expr(this.child(n, 0));
        if (inner.kind !== 'vector')
          throw this.error(n.from, 'ranges only allowed for vector selectors');
        const rangePos = this.child(n, 1).from - 1;
        if (inner.offset !== 0)
          throw this.error(rangePos, 'no offset modifiers allowed before range');
        if (inner.at !== undefined)
          throw this.error(rangePos, 'no @ modifiers allowed before range');
        return { kind: 'matrix', selector: inner, range: this.duration(this.child(n, 1)) };
      }
      case 'SubqueryExpr': {
        const parts = this.children(n);
        const inner = this.expr(this.child(n, 0));
        const t = typeOf(inner);
        if (t !== 'vector')
          throw this.error(n.from, `subquery is only allowed on instant vector, got ${t} instead`);
        const step = parts[2] ? this.duration(parts[2]) : 0;
        return {
          kind: 'subquery',
          expr: inner,
          range: this.duration(this.child(n, 1)),
          step,
          offset: 0,
          at: undefined,
        };
      }
      case 'OffsetExpr': {
        const parts = this.children(n);
        const negative = parts.some((p) => p.name === 'Sub');
        const d = this.duration(parts[parts.length - 1] as SyntaxNode);
        return this.applyModifier(
          this.expr(this.child(n, 0)),
          { offset: negative ? -d : d },
          n.from,
        );
      }
      case 'StepInvariantExpr': {
        const parts = this.children(n);
        const arg = parts[parts.length - 1] as SyntaxNode;
        let at: AtModifier;
        if (arg.name === 'AtModifierPreprocessors') {
          at = this.text(arg).startsWith('start') ? 'start' : 'end';
        } else {
          const secs = parseNumber(this.text(arg));
          if (secs === undefined || !Number.isFinite(secs) || Math.abs(secs) > 9.2e15) {
            throw this.error(
              n.from,
              `timestamp out of bounds for @ modifier: ${goFixed6(secs ?? NaN)}`,
            );
          }
          at = Math.round(secs * 1000);
        }
        return this.applyModifier(this.expr(this.child(n, 0)), { at }, n.from);
      }
      case 'UnaryExpr': {
        const op = this.text(this.child(n, 0)).trim() === '-' ? '-' : '+';
        const inner = this.expr(this.child(n, 1));
        if (inner.kind === 'number')
          return op === '-' ? { kind: 'number', value: -inner.value } : inner;
        const t = typeOf(inner);
        if (t !== 'scalar' && t !== 'vector') {
          throw this.error(
            n.from,
            `unary expression only allowed on expressions of type scalar or instant vector, got "${documented(t)}"`,
          );
        }
        return { kind: 'unary', op, expr: inner };
      }
      case 'BinaryExpr':
        return this.binary(n);
      case 'AggregateExpr':
        return this.aggregate(n);
      case 'FunctionCall':
        return this.call(n);
      default:
        throw this.error(n.from, `unexpected ${n.name}`);
    }
  }

  private vectorSelector(n: SyntaxNode): VectorSelector {
    let name: string | undefined;
    const matchers: LabelMatcher[] = [];
    for (const c of this.children(n)) {
      if (c.name === 'Identifier' || c.name === 'MetricName') name = this.text(c);
      if (c.name !== 'LabelMatchers') continue;
      for (const m of this.children(c)) {
        const [label, op, value] = this.children(m);
        if (!label || !op || !value) throw this.error(m.from, 'unexpected end of label matcher');
        const opName = this.children(op)[0]?.name ?? '';
        const matchOp = matchOps[opName];
        if (!matchOp)
          throw this.error(op.from, `unexpected label matching operator ${this.text(op)}`);
        const v = this.string(value);
        if (matchOp === '=~' || matchOp === '!~') {
          try {
            re2Matcher(v);
          } catch (err) {
            // Prometheus reports labels.NewMatcher's error at the matcher's start.
            throw this.error(m.from, (err as Error).message);
          }
        }
        matchers.push({ name: this.text(label), op: matchOp, value: v });
      }
    }
    if (name !== undefined) {
      for (const m of matchers) {
        if (m.name === '__name__')
          throw this.error(n.from, `metric name must not be set twice: "${name}" or "${m.value}"`);
      }
      matchers.unshift({ name: '__name__', op: '=', value: name });
    }
    const nonEmpty = matchers.some((m) => {
      if (m.op === '=') return m.value !== '';
      if (m.op === '!=') return m.value === '';
      const matchesEmpty = re2Matcher(m.value)('');
      return m.op === '=~' ? !matchesEmpty : matchesEmpty;
    });
    if (!nonEmpty)
      throw this.error(n.from, 'vector selector must contain at least one non-empty matcher');
    return { kind: 'vector', name, matchers, offset: 0, at: undefined };
  }

  // lezer gives offset and @ a lower precedence than Prometheus does, so a
  // modifier written after `a + b` lands on the whole expression; Prometheus
  // binds it to `b`. Push it down to the rightmost operand.
  private applyModifier(e: Expr, mod: { offset?: number; at?: AtModifier }, pos: number): Expr {
    const kindName = mod.at !== undefined ? '@ modifier' : 'offset modifier';
    switch (e.kind) {
      case 'binary':
        return { ...e, rhs: this.applyModifier(e.rhs, mod, pos) };
      case 'unary':
        return { ...e, expr: this.applyModifier(e.expr, mod, pos) };
      case 'vector':
      case 'subquery': {
        if (mod.offset !== undefined) {
          if (e.offset !== 0) throw this.error(pos, 'offset may not be set multiple times');
          return { ...e, offset: mod.offset };
        }
        if (e.at !== undefined)
          throw this.error(pos, '@ <timestamp> may not be set multiple times');
        return { ...e, at: mod.at };
      }
      case 'matrix':
        return { ...e, selector: this.applyModifier(e.selector, mod, pos) as VectorSelector };
      default:
        throw this.error(
          pos,
          `${kindName} must be preceded by an instant vector selector or range vector selector or a subquery`,
        );
    }
  }

  private binary(n: SyntaxNode): Expr {
    const parts = this.children(n);
    const lhsNode = parts[0];
    const opNode = parts[1];
    const rhsNode = parts[parts.length - 1];
    if (!lhsNode || !opNode || !rhsNode || parts.length < 3)
      throw this.error(n.from, 'unexpected end of input');
    const op = binaryOps[opNode.name];
    if (!op)
      throw this.error(
        opNode.from,
        `binary expression does not support operator ${JSON.stringify(this.text(opNode))}`,
      );
    const returnBool = parts.some((p) => p.name === 'BoolModifier');
    const clause = parts.find((p) => p.name === 'MatchingModifierClause');
    const matching: VectorMatching = clause
      ? this.matchingClause(clause)
      : { card: 'one-to-one', on: false, labels: [], include: [] };
    let lhs = this.expr(lhsNode);
    const rhs = this.expr(rhsNode);
    // lezer lexes `-2` as one number; Prometheus reads `-2 ^ 2` as -(2 ^ 2),
    // unary minus binding looser than ^.
    const signed = /^[-+]/.exec(this.text(lhsNode).trim())?.[0];
    if (op === '^' && lhsNode.name === 'NumberLiteral' && signed && lhs.kind === 'number') {
      lhs = { kind: 'number', value: signed === '-' ? -lhs.value : lhs.value };
      const inner = this.finishBinary(
        n,
        op,
        lhs,
        rhs,
        returnBool,
        matching,
        lhsNode,
        rhsNode,
        opNode.from,
      );
      return signed === '-' ? { kind: 'unary', op: '-', expr: inner } : inner;
    }
    return this.finishBinary(n, op, lhs, rhs, returnBool, matching, lhsNode, rhsNode, opNode.from);
  }

  private finishBinary(
    n: SyntaxNode,
    op: BinaryOp,
    lhs: Expr,
    rhs: Expr,
    returnBool: boolean,
    clauseMatching: VectorMatching,
    lhsNode: SyntaxNode,
    rhsNode: SyntaxNode,
    opPos: number,
  ): Expr {
    let matching = clauseMatching;
    const lt = typeOf(lhs);
    const rt = typeOf(rhs);
    if (returnBool && !isComparison(op))
      throw this.error(opPos, 'bool modifier can only be used on comparison operators');
    if (isComparison(op) && !returnBool && lt === 'scalar' && rt === 'scalar') {
      throw this.error(opPos, 'comparisons between scalars must use BOOL modifier');
    }
    if (isSetOperator(op) && matching.card === 'one-to-one')
      matching = { ...matching, card: 'many-to-many' };
    if (matching.on) {
      for (const l of matching.labels) {
        if (matching.include.includes(l))
          throw this.error(opPos, `label "${l}" must not occur in ON and GROUP clause at once`);
      }
    }
    if (lt !== 'scalar' && lt !== 'vector')
      throw this.error(
        lhsNode.from,
        'binary expression must contain only scalar and instant vector types',
      );
    if (rt !== 'scalar' && rt !== 'vector')
      throw this.error(
        rhsNode.from,
        'binary expression must contain only scalar and instant vector types',
      );
    let finalMatching: VectorMatching | undefined = matching;
    if (lt !== 'vector' || rt !== 'vector') {
      if (matching.labels.length > 0)
        throw this.error(n.from, 'vector matching only allowed between instant vectors');
      finalMatching = undefined;
    } else if (isSetOperator(op)) {
      if (matching.card === 'one-to-many' || matching.card === 'many-to-one') {
        throw this.error(n.from, `no grouping allowed for "${op}" operation`);
      }
    }
    if ((lt === 'scalar' || rt === 'scalar') && isSetOperator(op)) {
      throw this.error(n.from, `set operator "${op}" not allowed in binary scalar expression`);
    }
    return { kind: 'binary', op, lhs, rhs, returnBool, matching: finalMatching };
  }

  private matchingClause(n: SyntaxNode): VectorMatching {
    let on = false;
    let card: VectorMatching['card'] = 'one-to-one';
    let labels: string[] = [];
    let include: string[] = [];
    let seenGroup = false;
    for (const c of this.children(n)) {
      if (c.name === 'On') on = true;
      else if (c.name === 'GroupLeft' || c.name === 'GroupRight') {
        card = c.name === 'GroupLeft' ? 'many-to-one' : 'one-to-many';
        seenGroup = true;
      } else if (c.name === 'GroupingLabels') {
        const names = this.children(c).map((l) => this.text(l));
        if (seenGroup) include = names;
        else labels = names;
      }
    }
    return { card, on, labels, include };
  }

  private aggregate(n: SyntaxNode): Expr {
    let op: AggregateOp | undefined;
    let without = false;
    let grouping: string[] = [];
    let args: Expr[] = [];
    let bodyPos = n.from;
    let argNodes: SyntaxNode[] = [];
    for (const c of this.children(n)) {
      if (c.name === 'AggregateOp') op = this.text(c).toLowerCase() as AggregateOp;
      else if (c.name === 'AggregateModifier') {
        for (const m of this.children(c)) {
          if (m.name === 'Without') without = true;
          if (m.name === 'GroupingLabels') grouping = this.children(m).map((l) => this.text(l));
        }
      } else if (c.name === 'FunctionCallBody') {
        bodyPos = c.from;
        argNodes = this.children(c);
        args = argNodes.map((a) => this.expr(a));
      }
    }
    if (!op) throw this.error(n.from, 'aggregation operator expected');
    if (args.length === 0)
      throw this.error(bodyPos, 'no arguments for aggregate expression provided');
    const want = paramAggregates.has(op) ? 2 : 1;
    if (args.length !== want) {
      throw this.error(
        bodyPos,
        `wrong number of arguments for aggregate expression provided, expected ${want}, got ${args.length}`,
      );
    }
    const expr = args[args.length - 1] as Expr;
    const param = want === 2 ? args[0] : undefined;
    const posOf = (i: number): number => argNodes[i]?.from ?? bodyPos;
    this.expectType(expr, 'vector', 'aggregation expression', posOf(args.length - 1));
    if (param) {
      const want = op === 'count_values' ? 'string' : 'scalar';
      this.expectType(param, want, 'aggregation parameter', posOf(0));
    }
    return { kind: 'aggregate', op, expr, param, grouping, without };
  }

  private call(n: SyntaxNode): Expr {
    const ident = this.child(n, 0);
    const name = this.text(ident);
    const sig = functionSignatures.get(name);
    if (!sig) throw this.error(n.from, `unknown function with name "${name}"`);
    const body = this.children(n)[1];
    const argNodes = body ? this.children(body) : [];
    const args = argNodes.map((a) => this.expr(a));
    const nargs = sig.args.length;
    if (sig.variadic === 0 && nargs !== args.length) {
      throw this.error(
        n.from,
        `expected ${nargs} argument(s) in call to "${name}", got ${args.length}`,
      );
    }
    if (sig.variadic !== 0) {
      const min = nargs - 1;
      if (args.length < min)
        throw this.error(
          n.from,
          `expected at least ${min} argument(s) in call to "${name}", got ${args.length}`,
        );
      if (sig.variadic > 0 && args.length > min + sig.variadic) {
        throw this.error(
          n.from,
          `expected at most ${min + sig.variadic} argument(s) in call to "${name}", got ${args.length}`,
        );
      }
    }
    args.forEach((a, i) => {
      const want = sig.args[Math.min(i, nargs - 1)];
      if (want) this.expectType(a, want, `call to function "${name}"`, argNodes[i]?.from ?? n.from);
    });
    return { kind: 'call', func: name, args };
  }
}
