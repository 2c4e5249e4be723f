// Function signatures as Prometheus 2.42 declares them (promql/parser/functions.go):
// argument types, how many trailing arguments are optional, the result type.

import type { ValueType } from './ast';

export interface FunctionSignature {
  readonly args: readonly ValueType[];
  /** 0: exact; n > 0: the last n may be left out; -1: the last repeats. */
  readonly variadic: number;
  readonly returns: ValueType;
}

const v: ValueType = 'vector';
const m: ValueType = 'matrix';
const s: ValueType = 'scalar';
const str: ValueType = 'string';

const vectorToVector = [
  'abs',
  'absent',
  'acos',
  'acosh',
  'asin',
  'asinh',
  'atan',
  'atanh',
  'ceil',
  'cos',
  'cosh',
  'deg',
  'exp',
  'floor',
  'histogram_count',
  'histogram_sum',
  'ln',
  'log10',
  'log2',
  'rad',
  'sgn',
  'sin',
  'sinh',
  'sort',
  'sort_desc',
  'sqrt',
  'tan',
  'tanh',
  'timestamp',
];
const matrixToVector = [
  'absent_over_time',
  'avg_over_time',
  'changes',
  'count_over_time',
  'delta',
  'deriv',
  'idelta',
  'increase',
  'irate',
  'last_over_time',
  'max_over_time',
  'min_over_time',
  'present_over_time',
  'rate',
  'resets',
  'stddev_over_time',
  'stdvar_over_time',
  'sum_over_time',
];
const dateFunctions = [
  'days_in_month',
  'day_of_month',
  'day_of_week',
  'day_of_year',
  'hour',
  'minute',
  'month',
  'year',
];

function build(): Map<string, FunctionSignature> {
  const table = new Map<string, FunctionSignature>();
  for (const name of vectorToVector) table.set(name, { args: [v], variadic: 0, returns: v });
  for (const name of matrixToVector) table.set(name, { args: [m], variadic: 0, returns: v });
  for (const name of dateFunctions) table.set(name, { args: [v], variadic: 1, returns: v });
  table.set('clamp', { args: [v, s, s], variadic: 0, returns: v });
  table.set('clamp_max', { args: [v, s], variadic: 0, returns: v });
  table.set('clamp_min', { args: [v, s], variadic: 0, returns: v });
  table.set('histogram_fraction', { args: [s, s, v], variadic: 0, returns: v });
  table.set('histogram_quantile', { args: [s, v], variadic: 0, returns: v });
  table.set('holt_winters', { args: [m, s, s], variadic: 0, returns: v });
  table.set('label_replace', { args: [v, str, str, str, str], variadic: 0, returns: v });
  table.set('label_join', { args: [v, str, str, str], variadic: -1, returns: v });
  table.set('pi', { args: [], variadic: 0, returns: s });
  table.set('predict_linear', { args: [m, s], variadic: 0, returns: v });
  table.set('quantile_over_time', { args: [s, m], variadic: 0, returns: v });
  table.set('round', { args: [v, s], variadic: 1, returns: v });
  table.set('scalar', { args: [v], variadic: 0, returns: s });
  table.set('time', { args: [], variadic: 0, returns: s });
  table.set('vector', { args: [s], variadic: 0, returns: v });
  return table;
}

export const functionSignatures: ReadonlyMap<string, FunctionSignature> = build();
