// The typed PromQL syntax tree the evaluator walks. Built by parse.ts from
// the lezer tree, after Prometheus's type checks have passed.

import type { LabelMatcher } from '../../store/store';

export type ValueType = 'scalar' | 'vector' | 'matrix' | 'string';

export type BinaryOp =
  | '+'
  | '-'
  | '*'
  | '/'
  | '%'
  | '^'
  | 'atan2'
  | '=='
  | '!='
  | '>'
  | '<'
  | '>='
  | '<='
  | 'and'
  | 'or'
  | 'unless';

export type AggregateOp =
  | 'sum'
  | 'avg'
  | 'min'
  | 'max'
  | 'count'
  | 'group'
  | 'stddev'
  | 'stdvar'
  | 'topk'
  | 'bottomk'
  | 'quantile'
  | 'count_values';

/** `@ <t>` as milliseconds, or `start()` / `end()` resolved at evaluation. */
export type AtModifier = number | 'start' | 'end';

export interface VectorSelector {
  readonly kind: 'vector';
  readonly name: string | undefined;
  readonly matchers: readonly LabelMatcher[];
  /** Milliseconds; positive looks back. */
  readonly offset: number;
  readonly at: AtModifier | undefined;
}

export interface MatrixSelector {
  readonly kind: 'matrix';
  readonly selector: VectorSelector;
  /** Milliseconds. */
  readonly range: number;
}

export interface Subquery {
  readonly kind: 'subquery';
  readonly expr: Expr;
  readonly range: number;
  /** 0 means the default resolution. */
  readonly step: number;
  readonly offset: number;
  readonly at: AtModifier | undefined;
}

export interface NumberLiteral {
  readonly kind: 'number';
  readonly value: number;
}

export interface StringLiteral {
  readonly kind: 'string';
  readonly value: string;
}

export interface Paren {
  readonly kind: 'paren';
  readonly expr: Expr;
}

export interface Unary {
  readonly kind: 'unary';
  readonly op: '-' | '+';
  readonly expr: Expr;
}

export interface VectorMatching {
  readonly card: 'one-to-one' | 'many-to-one' | 'one-to-many' | 'many-to-many';
  /** True for `on(...)`, false for `ignoring(...)` or no clause. */
  readonly on: boolean;
  readonly labels: readonly string[];
  /** Labels named in group_left/group_right. */
  readonly include: readonly string[];
}

export interface Binary {
  readonly kind: 'binary';
  readonly op: BinaryOp;
  readonly lhs: Expr;
  readonly rhs: Expr;
  readonly returnBool: boolean;
  /** Set when both sides are instant vectors. */
  readonly matching: VectorMatching | undefined;
}

export interface Aggregate {
  readonly kind: 'aggregate';
  readonly op: AggregateOp;
  readonly expr: Expr;
  readonly param: Expr | undefined;
  readonly grouping: readonly string[];
  readonly without: boolean;
}

export interface Call {
  readonly kind: 'call';
  readonly func: string;
  readonly args: readonly Expr[];
}

export type Expr =
  | VectorSelector
  | MatrixSelector
  | Subquery
  | NumberLiteral
  | StringLiteral
  | Paren
  | Unary
  | Binary
  | Aggregate
  | Call;
