// Go's FindStringSubmatch on the anchored pattern, for label_replace.
//
// A JavaScript RegExp rendered with captures (re2ToJs(p, { captures: true }))
// picks the same leftmost-first match as Go with one exception: a group
// inside a repetition is reset on each iteration in JavaScript, while Go
// keeps the last submatch it took (`(?:(a)|b)+` on "ab": Go's $1 is "a").
// Those patterns, and values long enough for backtracking to blow up, run on
// a Pike VM instead: the NFA of nfa.ts with capture slots, threads kept in
// priority order, time linear in the value times the program length.

import { ASSERT, CHAR, compileProgram, holds, JMP, MATCH, SAVE, SPLIT, toAst } from './nfa';
import type { Ast } from './nfa';
import { parseRe2 } from './parse';
import { jsSource } from './render';

/** The whole match and each group (undefined where the group took no part), or null. */
export type Submatch = readonly (string | undefined)[];

export interface Re2Submatcher {
  /** Go's SubexpNames: '' for the whole match and for unnamed groups. */
  readonly names: readonly string[];
  exec(value: string): Submatch | null;
}

/** Values longer than this run on the Pike VM: RegExp's backtracking is bounded by length. */
const longValue = 256;

/** Some capturing group sits inside a repetition of more than one iteration. */
function repeatsCaptures(n: Ast, repeated = false): boolean {
  switch (n.k) {
    case 'char':
    case 'assert':
      return false;
    case 'cap':
      return repeated || repeatsCaptures(n.sub, repeated);
    case 'cat':
    case 'alt':
      return n.subs.some((s) => repeatsCaptures(s, repeated));
    case 'rep':
      return repeatsCaptures(n.sub, repeated || n.max === -1 || n.max > 1);
  }
}

type Exec = (value: string) => Submatch | null;

interface Thread {
  readonly pc: number;
  readonly caps: Int32Array;
}

/** The Pike VM over the pattern's program, or undefined if the program is too large. */
function pikeVm(ast: Ast, groups: number): { exec: Exec; size: number } | undefined {
  const prog = compileProgram(ast, true);
  if (prog === undefined) return undefined;
  const { op, x, y, tests, asserts } = prog;
  const mark = new Float64Array(op.length).fill(-1);
  let gen = 0;
  // Threads reachable from pc without reading, in priority order; a pc already
  // listed at this position keeps its higher-priority thread (leftmost-first).
  const add = (list: Thread[], pc0: number, caps0: Int32Array, v: string, pos: number): void => {
    const stack: Thread[] = [{ pc: pc0, caps: caps0 }];
    for (let t = stack.pop(); t !== undefined; t = stack.pop()) {
      const { pc, caps } = t;
      if (mark[pc] === gen) continue;
      mark[pc] = gen;
      const o = op[pc];
      if (o === JMP) stack.push({ pc: x[pc] ?? 0, caps });
      else if (o === SPLIT) {
        stack.push({ pc: y[pc] ?? 0, caps }, { pc: x[pc] ?? 0, caps });
      } else if (o === ASSERT) {
        if (holds(asserts[pc] ?? 'bot', v, pos)) stack.push({ pc: pc + 1, caps });
      } else if (o === SAVE) {
        const next = caps.slice();
        next[x[pc] ?? 0] = pos;
        stack.push({ pc: pc + 1, caps: next });
      } else list.push(t);
    }
  };
  const exec: Exec = (v) => {
    gen++;
    let threads: Thread[] = [];
    add(threads, 0, new Int32Array(2 * groups + 2).fill(-1), v, 0);
    for (let pos = 0; pos < v.length && threads.length > 0;) {
      const cp = v.codePointAt(pos) ?? 0;
      const next = pos + (cp > 0xffff ? 2 : 1);
      gen++;
      const after: Thread[] = [];
      for (const t of threads) {
        if (op[t.pc] === CHAR && tests[t.pc]?.(cp)) add(after, t.pc + 1, t.caps, v, next);
      }
      threads = after;
      pos = next;
    }
    // The pattern ends in `$`: a thread at MATCH has read the whole value.
    const won = threads.find((t) => op[t.pc] === MATCH);
    if (!won) return null;
    const out: (string | undefined)[] = [v];
    for (let g = 1; g <= groups; g++) {
      const from = won.caps[2 * g] ?? -1;
      const to = won.caps[2 * g + 1] ?? -1;
      out.push(from >= 0 && to >= 0 ? v.slice(from, to) : undefined);
    }
    return out;
  };
  return { exec, size: op.length };
}

// Programs, built on first need and kept within one budget of instructions
// for all patterns together, oldest out (as index.ts keeps the NFAs): a
// stream of distinct label_replace regexes cannot pile up memory.
const vms = new Map<Ast, { readonly exec: Exec | undefined; readonly size: number }>();
const vmBudget = 1_000_000;
let vmTotal = 0;

function vmFor(ast: Ast, groups: number): Exec | undefined {
  const hit = vms.get(ast);
  if (hit) return hit.exec;
  const built = pikeVm(ast, groups);
  // Each entry also costs a little on its own, so failed builds cannot pile up either.
  const size = (built?.size ?? 0) + 100;
  for (const [k, v] of vms) {
    if (vmTotal + size <= vmBudget) break;
    vms.delete(k);
    vmTotal -= v.size;
  }
  vms.set(ast, { exec: built?.exec, size });
  vmTotal += size;
  return built?.exec;
}

/**
 * Go's regexp.Compile("^(?:" + pattern + ")$") for its submatches; throws
 * Re2SyntaxError for what RE2 rejects. engine: 'auto' (RegExp where it
 * agrees with Go and stays fast, else the Pike VM), or one of the two.
 */
export function compileSubmatcher(
  pattern: string,
  engine: 'auto' | 'pike' | 'regexp' = 'auto',
): Re2Submatcher {
  const parsed = parseRe2(pattern);
  const { source, flags, names } = jsSource(parsed, true);
  const re = new RegExp(source, flags);
  const regexp: Exec = (v) => {
    const m = re.exec(v);
    return m && [...m];
  };
  if (engine === 'regexp') return { names, exec: regexp };
  const ast = toAst(parsed.toks, parsed.global);
  // Too large a program stays on RegExp.
  const pike = (): Exec => vmFor(ast, names.length - 1) ?? regexp;
  if (engine === 'pike') return { names, exec: (v) => pike()(v) };
  const always = repeatsCaptures(ast);
  return { names, exec: (v) => (always || v.length > longValue ? pike() : regexp)(v) };
}
