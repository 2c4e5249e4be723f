// RE2 as Prometheus 2.42 compiles a matcher's regex: Go's
// regexp.Compile("^(?:" + v + ")$"). JavaScript's RegExp differs in what it
// accepts (backreferences, lookaround) and what it means (`\s`, `.` and
// newline, scoped `(?i)`, `\Q..\E`, `[[:^alpha:]]`, `\pL`), so the pattern
// is parsed the way Go parses it (parse.ts), rejected with Go's error for
// what RE2 rejects, and rendered as an equivalent JavaScript source
// (render.ts). RE2 matches in linear time and a RegExp backtracks, so values
// long enough for a pattern's backtracking to blow up go to a linear-time
// NFA instead (nfa.ts). label_replace's submatches: submatch.ts. Here: the
// matcher's engines put together, and the caches.

import { backtrackBudget, backtrackCost, linearMatcher, toAst } from './nfa';
import type { Ast, Test } from './nfa';
import { parseRe2 } from './parse';
import { jsSource } from './render';
import { maxRegexLength } from './syntax';

export { re2ToJs } from './render';
export type { JsRegex, JsSubmatchRegex } from './render';
export { compileSubmatcher } from './submatch';
export type { Re2Submatcher, Submatch } from './submatch';
export { maxRegexLength, Re2SyntaxError } from './syntax';
export type { Test } from './nfa';

const compiled = new Map<string, Test>();
const cacheMax = 1000;

const word = '[0-9A-Za-z_:,\\- ]+';
const literals = new RegExp(`^${word}(?:\\|${word})*$`);

/** Tests for the shapes dashboards send most, without a RegExp: `a|b|c`, `.*`, `.+`. */
function fastPath(pattern: string): Test | undefined {
  if (pattern === '') return (v) => v === '';
  if (literals.test(pattern)) {
    const set = new Set(pattern.split('|'));
    return (v) => set.has(v);
  }
  // `.` is anything but a newline.
  if (pattern === '.*') return (v) => !v.includes('\n');
  if (pattern === '.+') return (v) => v !== '' && !v.includes('\n');
  return undefined;
}

// NFA programs, built on the first value too long for RegExp (most patterns
// never need one) and kept within one budget of instructions for all
// patterns together, oldest out: distinct patterns cannot pile up memory.
const nfas = new Map<Ast, { readonly test: Test | undefined; readonly size: number }>();
const nfaBudget = 1_000_000;
let nfaTotal = 0;

function nfaFor(ast: Ast): Test | undefined {
  const hit = nfas.get(ast);
  if (hit) return hit.test;
  const built = linearMatcher(ast);
  // Each entry also costs a little on its own, so failed builds cannot pile up either.
  const size = (built?.size ?? 0) + 100;
  for (const [k, v] of nfas) {
    if (nfaTotal + size <= nfaBudget) break;
    nfas.delete(k);
    nfaTotal -= v.size;
  }
  nfas.set(ast, { test: built?.test, size });
  nfaTotal += size;
  return built?.test;
}

/**
 * A test for the anchored RE2 pattern on one engine: 'nfa' (linear time),
 * 'regexp' (JavaScript's backtracking RegExp), or 'auto': RegExp for values
 * short enough that its worst case stays within backtrackBudget, the NFA for
 * longer ones and for patterns whose backtracking is exponential.
 */
export function compileRe2(pattern: string, engine: 'auto' | 'nfa' | 'regexp' = 'auto'): Test {
  const parsed = parseRe2(pattern);
  const { source, flags } = jsSource(parsed, false);
  const re = new RegExp(source, flags);
  const regexp: Test = (v) => re.test(v);
  if (engine === 'regexp') return regexp;
  const ast = toAst(parsed.toks, parsed.global);
  const { d, c } = backtrackCost(ast);
  // c * (n + 1)^d splits, each checked in up to n steps.
  const maxLength = engine === 'nfa' ? -1 : Math.floor((backtrackBudget / c) ** (1 / (d + 1))) - 1;
  if (maxLength >= maxRegexLength * 16) return regexp;
  if (engine === 'nfa') return linearMatcher(ast)?.test ?? regexp;
  return (v) => (v.length <= maxLength ? re.test(v) : (nfaFor(ast) ?? regexp)(v));
}

/** A cached test for the fully anchored RE2 pattern; throws Re2SyntaxError for what RE2 rejects. */
export function re2Matcher(pattern: string): Test {
  let test = compiled.get(pattern);
  if (test === undefined) {
    test = fastPath(pattern) ?? compileRe2(pattern);
    // Oldest first out: a stream of distinct patterns cannot grow memory.
    if (compiled.size >= cacheMax) compiled.delete(compiled.keys().next().value ?? '');
    compiled.set(pattern, test);
  }
  return test;
}
