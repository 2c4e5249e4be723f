// Loader and runner for Prometheus's PromQL test-file format
// (promql/test.go in Prometheus 2.42): `load <step>` blocks in series
// notation, `eval[_fail|_ordered] instant at <duration> <expr>` followed by
// expected samples, and `clear`. Used by the compatibility suite.

import type { Labels, SeriesSamples } from '../../model/telemetry';
import { labelsMatch } from '../../store/labels';
import type { LabelMatcher } from '../../store/store';
import type { Expr } from './ast';
import type { SeriesSource } from './engine';
import { instantQuery, rangeQuery } from './engine';
import { parseDuration, parseNumber, unquote } from './lexical';
import { parseExpr } from './parse';
import type { QueryResult } from './values';
import { labelsKey, labelsString, makeStaleNaN } from './values';

export type SeqValue = number | 'omitted';

export type TestCommand =
  | { readonly kind: 'clear'; readonly line: number }
  | {
      readonly kind: 'load';
      readonly line: number;
      readonly step: number;
      readonly series: readonly { labels: Labels; values: SeqValue[] }[];
    }
  | {
      readonly kind: 'eval';
      readonly line: number;
      readonly expr: string;
      readonly at: number;
      readonly fail: boolean;
      readonly ordered: boolean;
      /** undefined for a scalar expectation. */
      readonly expected: readonly { labels: Labels; value: number }[];
      readonly scalar: number | undefined;
    };

/** An in-memory SeriesSource: what tests and fixtures load samples into. */
export class MemorySeriesSource implements SeriesSource {
  private readonly byKey = new Map<
    string,
    { labels: Labels; samples: { t: number; v: number }[] }
  >();

  add(labels: Labels, samples: readonly { t: number; v: number }[]): void {
    const key = labelsKey(labels);
    let s = this.byKey.get(key);
    if (!s) this.byKey.set(key, (s = { labels, samples: [] }));
    s.samples.push(...samples);
    s.samples.sort((a, b) => a.t - b.t);
  }

  clear(): void {
    this.byKey.clear();
  }

  async select(
    matchers: readonly LabelMatcher[],
    minT: number,
    maxT: number,
  ): Promise<SeriesSamples[]> {
    const out: SeriesSamples[] = [];
    for (const s of this.byKey.values()) {
      if (!labelsMatch(s.labels, matchers)) continue;
      const samples = s.samples.filter((p) => p.t >= minT && p.t <= maxT);
      if (samples.length > 0) out.push({ labels: s.labels, samples });
    }
    return out;
  }
}

export class TestFileError extends Error {}

/** Splits `metric{a="b"} 1+2x3 _ stale` into labels and the value text. */
export function parseSeriesDesc(line: string): { labels: Labels; rest: string } {
  const labels: Record<string, string> = {};
  const nameMatch = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line);
  let i = 0;
  if (nameMatch) {
    labels['__name__'] = nameMatch[0];
    i = nameMatch[0].length;
  }
  if (line[i] === '{') {
    i++;
    for (;;) {
      while (line[i] === ' ' || line[i] === ',') i++;
      if (line[i] === '}') {
        i++;
        break;
      }
      const name = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(line.slice(i));
      if (!name) throw new TestFileError(`bad label name in ${JSON.stringify(line)}`);
      i += name[0].length;
      while (line[i] === ' ') i++;
      if (line[i] !== '=') throw new TestFileError(`expected = in ${JSON.stringify(line)}`);
      i++;
      while (line[i] === ' ') i++;
      const q = line[i];
      let j = i + 1;
      while (j < line.length && line[j] !== q) j += line[j] === '\\' ? 2 : 1;
      const value = unquote(line.slice(i, j + 1));
      if (value === undefined)
        throw new TestFileError(`bad label value in ${JSON.stringify(line)}`);
      labels[name[0]] = value;
      i = j + 1;
    }
  }
  if (i === 0)
    throw new TestFileError(`expected a series description, got ${JSON.stringify(line)}`);
  return { labels, rest: line.slice(i).trim() };
}

function seriesValue(text: string): number {
  if (text === 'stale') return makeStaleNaN();
  const n = parseNumber(text);
  if (n === undefined) throw new TestFileError(`bad series value ${JSON.stringify(text)}`);
  return n;
}

/** Expands series notation: `1+2x3` is 1 3 5 7, `_x2` two gaps, `stale` a staleness marker. */
export function parseSeriesValues(text: string): SeqValue[] {
  const out: SeqValue[] = [];
  for (const item of text.split(/\s+/).filter((s) => s !== '')) {
    const blank = /^_(?:x(\d+))?$/.exec(item);
    if (blank) {
      const n = blank[1] === undefined ? 1 : Number(blank[1]);
      for (let k = 0; k < n; k++) out.push('omitted');
      continue;
    }
    const rep = /^(.+?)(?:([+-][^x]+))?x(\d+)$/.exec(item);
    if (rep && !/^[+-]?(inf|nan)$/i.test(item)) {
      let v = seriesValue(rep[1] as string);
      const inc = rep[2] === undefined ? 0 : seriesValue(rep[2]);
      for (let k = 0; k <= Number(rep[3]); k++) {
        out.push(v);
        v += inc;
      }
      continue;
    }
    out.push(seriesValue(item));
  }
  return out;
}

const evalPattern = /^eval(?:_(fail|ordered))?\s+instant\s+(?:at\s+(.+?))?\s+(.+)$/;

export function parseTestFile(input: string): TestCommand[] {
  const lines = input.split('\n').map((l) => {
    const t = l.trim();
    return t.startsWith('#') ? '' : t;
  });
  const cmds: TestCommand[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i] as string;
    if (l === '') continue;
    const word = (l.split(/[\t ]+/)[0] ?? '').toLowerCase();
    if (word === 'clear') {
      cmds.push({ kind: 'clear', line: i + 1 });
    } else if (word === 'load') {
      const step = parseDuration(l.slice(4).trim());
      if (step === undefined) throw new TestFileError(`line ${i + 1}: invalid load step`);
      const series: { labels: Labels; values: SeqValue[] }[] = [];
      const line = i + 1;
      while (i + 1 < lines.length && lines[i + 1] !== '') {
        const d = parseSeriesDesc(lines[++i] as string);
        series.push({ labels: d.labels, values: parseSeriesValues(d.rest) });
      }
      cmds.push({ kind: 'load', line, step, series });
    } else if (word.startsWith('eval')) {
      const m = evalPattern.exec(l);
      if (!m) throw new TestFileError(`line ${i + 1}: invalid evaluation command`);
      const at = parseDuration(m[2] ?? '');
      if (at === undefined) throw new TestFileError(`line ${i + 1}: invalid eval time`);
      const line = i + 1;
      const expected: { labels: Labels; value: number }[] = [];
      let scalar: number | undefined;
      while (i + 1 < lines.length && lines[i + 1] !== '') {
        const def = lines[++i] as string;
        const n = parseNumber(def);
        if (n !== undefined) {
          scalar = n;
          break;
        }
        const d = parseSeriesDesc(def);
        const values = parseSeriesValues(d.rest);
        const v = values[0];
        if (values.length !== 1 || v === undefined || v === 'omitted')
          throw new TestFileError(`line ${i + 1}: expected one value`);
        expected.push({ labels: d.labels, value: v });
      }
      cmds.push({
        kind: 'eval',
        line,
        expr: m[3] as string,
        at,
        fail: m[1] === 'fail',
        ordered: m[1] === 'ordered',
        expected,
        scalar,
      });
    } else {
      throw new TestFileError(`line ${i + 1}: invalid command ${JSON.stringify(l)}`);
    }
  }
  return cmds;
}

const minNormal = 2.2250738585072014e-308;

export function almostEqual(a: number, b: number): boolean {
  if (Number.isNaN(a) && Number.isNaN(b)) return true;
  if (a === b) return true;
  const diff = Math.abs(a - b);
  if (a === 0 || b === 0 || diff < minNormal) return diff < 0.000001 * minNormal;
  return diff / (Math.abs(a) + Math.abs(b)) < 0.000001;
}

export interface CaseResult {
  readonly line: number;
  readonly expr: string;
  /** undefined when the case passed. */
  readonly error: string | undefined;
}

type EvalCmd = Extract<TestCommand, { kind: 'eval' }>;

function compare(
  cmd: EvalCmd,
  samples: readonly { labels: Labels; v: number }[] | number,
): string | undefined {
  if (typeof samples === 'number') {
    if (cmd.scalar === undefined) return `expected a vector, got scalar ${samples}`;
    return almostEqual(cmd.scalar, samples)
      ? undefined
      : `expected scalar ${cmd.scalar} but got ${samples}`;
  }
  if (cmd.scalar !== undefined)
    return `expected scalar ${cmd.scalar}, got a vector of ${samples.length}`;
  const want = new Map(cmd.expected.map((e, pos) => [labelsKey(e.labels), { ...e, pos }]));
  const seen = new Set<string>();
  for (const [pos, s] of samples.entries()) {
    const key = labelsKey(s.labels);
    const exp = want.get(key);
    if (!exp) return `unexpected metric ${labelsString(s.labels)} in result`;
    if (cmd.ordered && exp.pos !== pos)
      return `expected metric ${labelsString(s.labels)} at position ${exp.pos + 1} but was at ${pos + 1}`;
    if (!almostEqual(exp.value, s.v))
      return `expected ${exp.value} for ${labelsString(s.labels)} but got ${s.v}`;
    seen.add(key);
  }
  for (const [key, exp] of want)
    if (!seen.has(key))
      return `expected metric ${labelsString(exp.labels)} with ${exp.value} not found`;
  return undefined;
}

function instantSamples(
  r: QueryResult,
): readonly { labels: Labels; v: number }[] | number | string {
  if (r.resultType === 'scalar') return r.v;
  if (r.resultType === 'vector') return r.samples;
  return `received ${r.resultType} result on instant evaluation`;
}

const atUnsafe = new Set([
  'days_in_month',
  'day_of_month',
  'day_of_week',
  'day_of_year',
  'hour',
  'minute',
  'month',
  'year',
  'predict_linear',
  'time',
  'timestamp',
]);

/**
 * Prometheus's runner also evaluates each expression with `@ <eval time>` on
 * every selector (outside subqueries that have one) at other times, expecting
 * the same result (atModifierTestCases). Undefined when that does not apply.
 */
export function pinToTime(expr: Expr, t: number): Expr | undefined {
  let unsafe = false;
  const pin = (e: Expr): Expr => {
    switch (e.kind) {
      case 'vector':
        return e.at === undefined ? { ...e, at: t } : e;
      case 'matrix':
        return { ...e, selector: pin(e.selector) as typeof e.selector };
      case 'subquery':
        return e.at === undefined ? { ...e, at: t } : e;
      case 'paren':
      case 'unary':
        return { ...e, expr: pin(e.expr) };
      case 'binary':
        return { ...e, lhs: pin(e.lhs), rhs: pin(e.rhs) };
      case 'aggregate':
        return { ...e, expr: pin(e.expr), param: e.param ? pin(e.param) : undefined };
      case 'call':
        if (atUnsafe.has(e.func)) unsafe = true;
        return { ...e, args: e.args.map(pin) };
      default:
        return e;
    }
  };
  const pinned = pin(expr);
  return unsafe ? undefined : pinned;
}

async function runEval(source: SeriesSource, cmd: EvalCmd): Promise<string | undefined> {
  const first = await runEvalAt(source, cmd, cmd.expr, cmd.at);
  if (first !== undefined) return first;
  let expr: Expr;
  try {
    expr = parseExpr(cmd.expr);
  } catch {
    return undefined;
  }
  const pinned = pinToTime(expr, cmd.at);
  if (!pinned) return undefined;
  const times =
    cmd.at === 0 ? [-1000, 0, 1000] : [-10 * cmd.at, 0, cmd.at / 5, cmd.at, 10 * cmd.at];
  for (const t of times) {
    const err = await runEvalAt(source, cmd, pinned, t);
    if (err !== undefined) return `with @ ${cmd.at / 1000} evaluated at ${t / 1000}s: ${err}`;
  }
  return undefined;
}

async function runEvalAt(
  source: SeriesSource,
  cmd: EvalCmd,
  query: string | Expr,
  at: number,
): Promise<string | undefined> {
  let result: QueryResult;
  try {
    result = await instantQuery(source, query, at, { maxSamples: 50_000_000 });
  } catch (err) {
    return cmd.fail ? undefined : `error evaluating query: ${(err as Error).message}`;
  }
  if (cmd.fail) return 'expected an error but got none';
  const got = instantSamples(result);
  if (typeof got === 'string') return got;
  const mismatch = compare(cmd, got);
  if (mismatch) return mismatch;
  let range: QueryResult;
  try {
    range = await rangeQuery(source, query, at - 60_000, at + 60_000, 60_000);
  } catch (err) {
    return `error evaluating query in range mode: ${(err as Error).message}`;
  }
  if (cmd.ordered || range.resultType !== 'matrix') return undefined;
  const atStep: { labels: Labels; v: number }[] = [];
  for (const s of range.series) {
    const p = s.points.find((x) => x.t === at);
    if (p) atStep.push({ labels: s.labels, v: p.v });
  }
  const rangeMismatch =
    typeof got === 'number' ? compare(cmd, atStep[0]?.v ?? NaN) : compare(cmd, atStep);
  return rangeMismatch ? `range mode: ${rangeMismatch}` : undefined;
}

/** Runs every eval of a test file; one result per eval command. */
export async function runTestFile(input: string): Promise<CaseResult[]> {
  const source = new MemorySeriesSource();
  const results: CaseResult[] = [];
  for (const cmd of parseTestFile(input)) {
    if (cmd.kind === 'clear') source.clear();
    else if (cmd.kind === 'load') {
      for (const s of cmd.series) {
        const samples: { t: number; v: number }[] = [];
        s.values.forEach((v, k) => {
          if (v !== 'omitted') samples.push({ t: k * cmd.step, v });
        });
        source.add(s.labels, samples);
      }
    } else {
      let error: string | undefined;
      try {
        error = await runEval(source, cmd);
      } catch (err) {
        error = `runner error: ${(err as Error).message}`;
      }
      results.push({ line: cmd.line, expr: cmd.expr, error });
    }
  }
  return results;
}
