// JavaScript's RegExp backtracks: `(a|aa)*b` or `.*a.*a.*b` against a long
// attacker-written label value takes seconds to hours, where RE2 is linear.
// Patterns with nested or repeated quantifiers run on a Thompson NFA
// simulation instead (a Pike VM without captures; submatch.ts runs the same
// program with them): time linear in the value times the program length.

import { foldOrbit, render } from './render';
import type { Assertion, RawKind, Token } from './syntax';

/** Whether a whole value matches. */
export type Test = (value: string) => boolean;

export type Ast =
  | { readonly k: 'char'; readonly test: (cp: number) => boolean }
  | { readonly k: 'assert'; readonly a: Assertion }
  | { readonly k: 'cat' | 'alt'; readonly subs: readonly Ast[] }
  | { readonly k: 'cap'; readonly sub: Ast; readonly n: number }
  | {
      readonly k: 'rep';
      readonly sub: Ast;
      readonly min: number;
      readonly max: number;
      /** Prefers fewer repetitions: written `*?` etc., or greedy under (?U). */
      readonly lazy: boolean;
    };

const isRaw = (t: Token | undefined, ...kinds: RawKind[]): boolean =>
  t?.t === 'raw' && kinds.includes(t.k);

function charTest(tok: Token, global: boolean): (cp: number) => boolean {
  if (tok.t === 'raw') return tok.k === 'dot' ? (cp) => cp !== 0x0a : () => true;
  if (tok.t === 'lit') {
    if (!tok.fold) return (cp) => cp === tok.cp;
    let orbit: Set<number> | undefined;
    return (cp) => (orbit ??= new Set(foldOrbit(tok.cp))).has(cp);
  }
  let re: RegExp | undefined;
  // ASCII answers remembered: 0 unknown, 1 no, 2 yes.
  const ascii = new Uint8Array(128);
  return (cp) => {
    re ??= new RegExp(`^${render(tok, !global)}$`, global ? 'iu' : 'u');
    if (cp >= 128) return re.test(String.fromCodePoint(cp));
    let known = ascii[cp] ?? 0;
    if (known === 0) ascii[cp] = known = re.test(String.fromCharCode(cp)) ? 2 : 1;
    return known === 2;
  };
}

function repeatBounds(op: string): [number, number] {
  const m = /^\{(\d+)(,(\d*))?\}/.exec(op);
  if (m) return [Number(m[1]), m[2] === undefined ? Number(m[1]) : m[3] === '' ? -1 : Number(m[3])];
  return op[0] === '*' ? [0, -1] : op[0] === '+' ? [1, -1] : [0, 1];
}

/** The tree of the tokens; capturing groups become 'cap' nodes numbered 1.. as Go numbers them. */
export function toAst(toks: readonly Token[], global: boolean): Ast {
  let i = 0;
  let groups = 0;
  const alt = (): Ast => {
    const subs = [cat()];
    while (isRaw(toks[i], 'alt')) {
      i++;
      subs.push(cat());
    }
    return subs.length === 1 ? (subs[0] as Ast) : { k: 'alt', subs };
  };
  const cat = (): Ast => {
    const subs: Ast[] = [];
    for (let t = toks[i]; t && !isRaw(t, 'alt', 'close'); t = toks[i]) {
      i++;
      let a: Ast;
      if (t.t === 'raw' && t.k === 'open') {
        const n = t.cap === undefined ? 0 : ++groups;
        a = alt();
        i++; // the group's close
        if (n > 0) a = { k: 'cap', sub: a, n };
      } else if (t.t === 'raw' && t.k !== 'dot' && t.k !== 'dotnl') {
        a = { k: 'assert', a: t.k as Assertion };
      } else {
        a = { k: 'char', test: charTest(t, global) };
      }
      for (let r = toks[i]; r?.t === 'raw' && r.k === 'rep'; r = toks[++i]) {
        const [min, max] = repeatBounds(r.s);
        const lazy = (r.s.length > 1 && r.s.endsWith('?')) !== (r.ungreedy ?? false);
        a = { k: 'rep', sub: a, min, max, lazy };
      }
      subs.push(a);
    }
    return { k: 'cat', subs };
  };
  return alt();
}

/**
 * How many ways a backtracking engine can split a value of length n among the
 * pattern's choices, as c * (n + 1)^d; Infinity when a quantifier repeats
 * something that itself has choices (`(a|aa)*`, `(a*)*`): exponential.
 */
export function backtrackCost(n: Ast): { d: number; c: number } {
  switch (n.k) {
    case 'char':
    case 'assert':
      return { d: 0, c: 1 };
    case 'cat':
      return n.subs.map(backtrackCost).reduce((a, b) => ({ d: a.d + b.d, c: a.c * b.c }), {
        d: 0,
        c: 1,
      });
    case 'alt': {
      const subs = n.subs.map(backtrackCost);
      return { d: Math.max(...subs.map((x) => x.d)), c: subs.reduce((a, x) => a + x.c, 0) };
    }
    case 'cap':
      return backtrackCost(n.sub);
    case 'rep': {
      const sub = backtrackCost(n.sub);
      if (sub.d > 0 || sub.c > 1) return { d: Infinity, c: 1 };
      return n.max === n.min ? sub : { d: 1, c: 1 };
    }
  }
}

/** Backtracking steps RegExp may take on one value before the NFA is used instead. */
export const backtrackBudget = 1e7;

export const CHAR = 0;
export const SPLIT = 1;
export const JMP = 2;
export const ASSERT = 3;
export const MATCH = 4;
/** Records the position in capture slot x (only in programs built with captures). */
export const SAVE = 5;
// Bigger programs (Go allows 3.3M instructions) stay on RegExp rather than hold that much memory.
const maxProgram = 100_000;

/**
 * Go's compilation of the tree: a SPLIT tries x before y, so the order of
 * threads is the leftmost-first priority Go's matchers follow.
 */
export class Program {
  constructor(readonly captures = false) {}
  readonly op: number[] = [];
  readonly x: number[] = [];
  readonly y: number[] = [];
  readonly tests: ((cp: number) => boolean)[] = [];
  readonly asserts: Assertion[] = [];

  emit(op: number): number {
    if (this.op.length >= maxProgram) throw new RangeError('program too large for the NFA');
    this.op.push(op);
    this.x.push(0);
    this.y.push(0);
    return this.op.length - 1;
  }

  compile(n: Ast): void {
    const here = (): number => this.op.length;
    switch (n.k) {
      case 'char':
        this.tests[this.emit(CHAR)] = n.test;
        return;
      case 'assert':
        this.asserts[this.emit(ASSERT)] = n.a;
        return;
      case 'cat':
        for (const s of n.subs) this.compile(s);
        return;
      case 'cap':
        if (this.captures) this.x[this.emit(SAVE)] = 2 * n.n;
        this.compile(n.sub);
        if (this.captures) this.x[this.emit(SAVE)] = 2 * n.n + 1;
        return;
      case 'alt': {
        const ends: number[] = [];
        for (const [k, s] of n.subs.entries()) {
          if (k === n.subs.length - 1) {
            this.compile(s);
            break;
          }
          const split = this.emit(SPLIT);
          this.x[split] = split + 1;
          this.compile(s);
          ends.push(this.emit(JMP));
          this.y[split] = here();
        }
        for (const j of ends) this.x[j] = here();
        return;
      }
      case 'rep': {
        for (let k = 0; k < n.min; k++) this.compile(n.sub);
        // Each split chooses between one more repetition (at split + 1) and the way out.
        const splits: number[] = [];
        if (n.max === -1) {
          const split = this.emit(SPLIT);
          splits.push(split);
          this.compile(n.sub);
          this.x[this.emit(JMP)] = split;
        }
        for (let k = n.min; k < n.max; k++) {
          splits.push(this.emit(SPLIT));
          this.compile(n.sub);
        }
        const out = here();
        for (const split of splits) {
          this.x[split] = n.lazy ? out : split + 1;
          this.y[split] = n.lazy ? split + 1 : out;
        }
        return;
      }
    }
  }
}

const isWord = (cp: number | undefined): boolean =>
  cp !== undefined &&
  ((cp >= 0x30 && cp <= 0x39) ||
    (cp >= 0x41 && cp <= 0x5a) ||
    (cp >= 0x61 && cp <= 0x7a) ||
    cp === 0x5f);

export function holds(a: Assertion, v: string, pos: number): boolean {
  // Positions are UTF-16 indexes; the characters looked at here are ASCII.
  const prev = pos > 0 ? v.charCodeAt(pos - 1) : undefined;
  const cur = pos < v.length ? v.charCodeAt(pos) : undefined;
  switch (a) {
    case 'bot':
      return pos === 0;
    case 'eot':
      return pos === v.length;
    case 'bol':
      return pos === 0 || prev === 0x0a;
    case 'eol':
      return pos === v.length || cur === 0x0a;
    case 'wb':
      return isWord(prev) !== isWord(cur);
    case 'nwb':
      return isWord(prev) === isWord(cur);
  }
}

/** The pattern's program ending in MATCH, or undefined when it is too large (RangeError). */
export function compileProgram(ast: Ast, captures = false): Program | undefined {
  const prog = new Program(captures);
  try {
    prog.compile(ast);
    prog.emit(MATCH);
  } catch (err) {
    if (err instanceof RangeError) return undefined;
    throw err;
  }
  return prog;
}

export function linearMatcher(ast: Ast): { test: Test; size: number } | undefined {
  const prog = compileProgram(ast);
  if (prog === undefined) return undefined;
  const { op, x, y, tests, asserts } = prog;
  const n = op.length;
  // Reused by every call (matching never re-enters): `mark[pc] === gen` means pc is already
  // listed at the current step; gen only grows, so no clearing between steps or calls.
  const mark = new Float64Array(n).fill(-1);
  let gen = 0;
  let clist = new Int32Array(n);
  let nlist = new Int32Array(n);
  const stack = new Int32Array(2 * n + 2);
  let value = '';
  // Adds pc and everything reachable from it without reading, at position pos.
  const add = (list: Int32Array, len: number, start: number, pos: number): number => {
    let sp = 0;
    stack[sp++] = start;
    while (sp > 0) {
      const pc = stack[--sp] ?? 0;
      if (mark[pc] === gen) continue;
      mark[pc] = gen;
      const o = op[pc];
      if (o === JMP) stack[sp++] = x[pc] ?? 0;
      else if (o === SAVE) stack[sp++] = pc + 1;
      else if (o === SPLIT) {
        stack[sp++] = y[pc] ?? 0;
        stack[sp++] = x[pc] ?? 0;
      } else if (o === ASSERT) {
        if (holds(asserts[pc] ?? 'bot', value, pos)) stack[sp++] = pc + 1;
      } else list[len++] = pc;
    }
    return len;
  };
  const test: Test = (v) => {
    value = v;
    gen++;
    let cn = add(clist, 0, 0, 0);
    for (let pos = 0; pos < v.length && cn > 0;) {
      const cp = v.codePointAt(pos) ?? 0;
      const next = pos + (cp > 0xffff ? 2 : 1);
      gen++;
      let nn = 0;
      for (let k = 0; k < cn; k++) {
        const pc = clist[k] ?? 0;
        if (op[pc] === CHAR && tests[pc]?.(cp)) nn = add(nlist, nn, pc + 1, next);
      }
      [clist, nlist] = [nlist, clist];
      cn = nn;
      pos = next;
    }
    for (let k = 0; k < cn; k++) if (op[clist[k] ?? 0] === MATCH) return true;
    return false;
  };
  return { test, size: n };
}
