// Rendering parsed RE2 as a JavaScript RegExp source (`u` mode): literals
// other than ASCII letters and digits as \u{..}, `.` and RE2's classes as
// explicit classes, scoped (?i) as spelled-out case variants (JavaScript's
// i flag is used only when the whole pattern folds, where it folds as RE2).

import { parseRe2 } from './parse';
import type { Parsed } from './parse';
import { complement, perl } from './syntax';
import type { Range, Token } from './syntax';

const hex = (cp: number): string => `\\u{${cp.toString(16)}}`;
const plain = (cp: number): string =>
  (cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a)
    ? String.fromCodePoint(cp)
    : hex(cp);

let reverseCase: Map<number, number[]> | undefined;

function single(s: string): number | undefined {
  const c = s.codePointAt(0);
  return c !== undefined && String.fromCodePoint(c) === s ? c : undefined;
}

/** Code points equal to cp under simple case folding. */
export function foldOrbit(cp: number): number[] {
  if (!reverseCase) {
    // Built once, only for patterns that mix (?i) and case-sensitive parts.
    reverseCase = new Map();
    for (let c = 0; c < 0x20000; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      const s = String.fromCodePoint(c);
      for (const m of [single(s.toLowerCase()), single(s.toUpperCase())]) {
        if (m !== undefined && m !== c) reverseCase.set(m, [...(reverseCase.get(m) ?? []), c]);
      }
    }
  }
  const out = new Set<number>([cp]);
  const todo = [cp];
  for (let c = todo.pop(); c !== undefined; c = todo.pop()) {
    const s = String.fromCodePoint(c);
    for (const m of [
      single(s.toLowerCase()),
      single(s.toUpperCase()),
      ...(reverseCase.get(c) ?? []),
    ]) {
      if (m !== undefined && !out.has(m)) {
        out.add(m);
        todo.push(m);
      }
    }
  }
  // JavaScript's iu matching is Unicode simple case folding, as RE2's: it drops Turkic dotless i and such.
  const same = new RegExp(`^${hex(cp)}$`, 'iu');
  return [...out].filter((c) => same.test(String.fromCodePoint(c)));
}

/** The ranges plus the case variants of their members (ranges of up to 4096 code points). */
function folded(ranges: readonly Range[]): Range[] {
  const out = [...ranges];
  for (const [lo, hi] of ranges) {
    if (hi - lo >= 4096) continue;
    for (let c = lo; c <= hi; c++) {
      for (const o of foldOrbit(c)) if (o < lo || o > hi) out.push([o, o]);
    }
  }
  return out;
}

const spell = ([lo, hi]: Range): string => (lo === hi ? plain(lo) : `${plain(lo)}-${plain(hi)}`);

/** A repetition's operator as JavaScript spells it with captures: `(?U)` swaps greedy and lazy. */
function repetition(s: string, ungreedy: boolean): string {
  const lazy = s.length > 1 && s.endsWith('?');
  return (lazy ? s.slice(0, -1) : s) + (lazy !== ungreedy ? '?' : '');
}

/**
 * One token in JavaScript (`u` mode). expandFold: spell out case variants of
 * (?i) parts; captures: capturing groups capture and (?U) is honoured, else
 * every group is `(?:` (matchers need no submatches).
 */
export function render(tok: Token, expandFold: boolean, captures = false): string {
  if (tok.t === 'raw') {
    if (!captures) return tok.s;
    if (tok.k === 'open' && tok.cap !== undefined) return '(';
    if (tok.k === 'rep') return repetition(tok.s, tok.ungreedy ?? false);
    return tok.s;
  }
  // Scoped (?i) has no JavaScript spelling: case variants are spelled out.
  const fold = expandFold && tok.fold;
  if (tok.t === 'lit') {
    const orbit = fold ? foldOrbit(tok.cp) : [tok.cp];
    return orbit.length === 1 ? plain(tok.cp) : `[${orbit.map(plain).join('')}]`;
  }
  const parts: string[] = [];
  for (const item of tok.items) {
    if ('r' in item) {
      parts.push(...(fold ? folded([item.r]) : [item.r]).map(spell));
      continue;
    }
    const ascii = perl[item.esc.slice(1).toLowerCase()];
    if (fold && ascii && item.esc.length === 2) {
      // RE2 folds \w first and then negates it for \W.
      const set = folded(ascii);
      parts.push(...(item.esc === item.esc.toLowerCase() ? set : complement(set)).map(spell));
    } else {
      parts.push(item.esc);
    }
  }
  return `[${tok.neg ? '^' : ''}${parts.join('')}]`;
}

export interface JsRegex {
  readonly source: string;
  readonly flags: string;
}

export interface JsSubmatchRegex extends JsRegex {
  /** Go's SubexpNames: index 0 (the whole match) and unnamed groups are ''. */
  readonly names: readonly string[];
}

/**
 * The JavaScript equivalent of Go's regexp.Compile("^(?:" + pattern + ")$");
 * throws Re2SyntaxError for what RE2 rejects. With `captures`, the groups
 * Go numbers are JavaScript's groups 1.. in the same order (names stay out
 * of the source: Go allows repeated and digit-led names), and `(?U)` is
 * honoured, so both leftmost-first engines pick the same submatches.
 */
export function re2ToJs(pattern: string): JsRegex;
export function re2ToJs(pattern: string, opts: { readonly captures: true }): JsSubmatchRegex;
export function re2ToJs(
  pattern: string,
  opts?: { readonly captures: boolean },
): JsRegex | JsSubmatchRegex {
  const captures = opts?.captures ?? false;
  const js = jsSource(parseRe2(pattern), captures);
  return captures ? js : { source: js.source, flags: js.flags };
}

/** The JavaScript source of a parsed pattern; names is empty without captures. */
export function jsSource(parsed: Parsed, captures: boolean): JsSubmatchRegex {
  const { toks, global } = parsed;
  const source = toks.map((t) => render(t, !global, captures)).join('');
  const flags = global ? 'iu' : 'u';
  if (!captures) return { source, flags, names: [] };
  const names = [''];
  for (const t of toks) if (t.t === 'raw' && t.cap !== undefined) names.push(t.cap);
  return { source, flags, names };
}
