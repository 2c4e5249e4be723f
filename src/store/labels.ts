// Prometheus label rules shared by every store: matcher semantics (a missing
// label equals the empty string; regexes are RE2, fully anchored) and the
// canonical key that identifies a series.
//
// Prometheus 2.42 compiles a matcher's regex as Go's regexp.Compile("^(?:" +
// v + ")$"). JavaScript's RegExp differs in what it accepts (backreferences,
// lookaround) and what it means (`\s`, `.` and newline, scoped `(?i)`,
// `\Q..\E`, `[[:^alpha:]]`, `\pL`), so the pattern is parsed here the way Go
// parses it, rejected with Go's error for what RE2 rejects (including Go's
// limits on nesting, program size and nested repeat counts), and rewritten
// into an equivalent JavaScript (`u` mode) source. RE2 matches in linear
// time and a RegExp backtracks, so values long enough for a pattern's
// backtracking to blow up go to a linear-time NFA instead (see below).
//
// Sections: the parser (Go's parse, Go's tree limits), rendering to
// JavaScript, the NFA, the cached matcher, and the label-set helpers.

import type { Labels } from '../model/telemetry';
import type { LabelMatcher } from './store';

/** Patterns are attacker-controlled text: longer ones are refused before parsing. */
export const maxRegexLength = 64 * 1024;

/** A pattern RE2 rejects; the message is Go's (`error parsing regexp: <what>: \`<where>\``). */
export class Re2SyntaxError extends Error {
  constructor(
    readonly code: string,
    readonly expr: string,
  ) {
    super(`error parsing regexp: ${code}: \`${expr}\``);
    this.name = 'Re2SyntaxError';
  }
}

type Range = readonly [number, number];
type ClassItem = { readonly r: Range } | { readonly esc: string };
/** Structure, repetition, `.` and empty-width assertions (text start/end, line start/end, word boundary). */
type RawKind = 'open' | 'close' | 'alt' | 'rep' | 'dot' | 'dotnl' | Assertion;
type Assertion = 'bot' | 'eot' | 'bol' | 'eol' | 'wb' | 'nwb';
type Token =
  | { readonly t: 'raw'; readonly s: string; readonly k: RawKind }
  | { readonly t: 'lit'; readonly cp: number; readonly fold: boolean }
  | {
      readonly t: 'cls';
      readonly neg: boolean;
      readonly items: readonly ClassItem[];
      readonly fold: boolean;
    };

interface Flags {
  readonly fold: boolean;
  readonly oneLine: boolean;
  readonly dotNL: boolean;
}

const maxCodePoint = 0x10ffff;
/** Ranges spelled as pairs of characters: '09AZ' is 0-9 and A-Z. */
function pairs(spec: string): Range[] {
  const out: Range[] = [];
  for (let i = 0; i + 1 < spec.length; i += 2)
    out.push([spec.charCodeAt(i), spec.charCodeAt(i + 1)]);
  return out;
}
const perl: Readonly<Record<string, readonly Range[]>> = {
  d: pairs('09'),
  s: pairs('\t\n\f\r  '),
  w: pairs('09AZ__az'),
};
// RE2's POSIX classes are ASCII only.
const posix: Readonly<Record<string, readonly Range[]>> = {
  alnum: pairs('09AZaz'),
  alpha: pairs('AZaz'),
  ascii: pairs('\x00\x7f'),
  blank: pairs('\t\t  '),
  cntrl: pairs('\x00\x1f\x7f\x7f'),
  digit: pairs('09'),
  graph: pairs('!~'),
  lower: pairs('az'),
  print: pairs(' ~'),
  punct: pairs('!/:@[`{~'),
  space: pairs('\t\r  '),
  upper: pairs('AZ'),
  word: pairs('09AZ__az'),
  xdigit: pairs('09AFaf'),
};
// Go's unicode.Categories; anything else after \p must be a script name.
const categories = new Set(
  'C Cc Cf Co Cs L Ll Lm Lo Lt Lu M Mc Me Mn N Nd Nl No P Pc Pd Pe Pf Pi Po Ps S Sc Sk Sm So Z Zl Zp Zs'.split(
    ' ',
  ),
);

function complement(ranges: readonly Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: Range[] = [];
  let next = 0;
  for (const [lo, hi] of sorted) {
    if (lo > next) out.push([next, lo - 1]);
    next = Math.max(next, hi + 1);
  }
  if (next <= maxCodePoint) out.push([next, maxCodePoint]);
  return out;
}

const isOctal = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '7';
const hexValue = (c: string | undefined): number =>
  c !== undefined && /^[0-9a-fA-F]$/.test(c) ? parseInt(c, 16) : -1;

// Go's parse tree, kept only for the limits Go enforces on it (nesting
// height, program size, nested repeat counts): each node knows its height and
// size, computed as regexp/syntax computes them.
interface Node {
  readonly op: 'lit' | 'leaf' | 'cap' | 'star' | 'plus' | 'quest' | 'rep' | 'cat' | 'alt';
  readonly h: number;
  readonly size: number;
  readonly subs: readonly Node[];
  readonly min?: number;
  readonly max?: number;
}
const maxHeight = 1000;
// regexp/syntax's budget: 128 MB of 40-byte instructions.
const maxSize = Math.floor((128 << 20) / 40);
const leaf: Node = { op: 'leaf', h: 1, size: 1, subs: [] };
const lit: Node = { op: 'lit', h: 1, size: 1, subs: [] };

function node(op: Node['op'], subs: readonly Node[], size: number, rep?: [number, number]): Node {
  const h = 1 + Math.max(0, ...subs.map((n) => n.h));
  return { op, h, size: Math.max(1, size), subs, ...(rep ? { min: rep[0], max: rep[1] } : {}) };
}

/** Concatenation as Go builds it: nested concatenations flattened, adjacent literals one string. */
function concat(items: readonly Node[]): Node {
  const flat: Node[] = [];
  for (const n of items.flatMap((x) => (x.op === 'cat' ? x.subs : [x]))) {
    const last = flat[flat.length - 1];
    if (n.op === 'lit' && last?.op === 'lit')
      flat[flat.length - 1] = { ...last, size: last.size + n.size };
    else flat.push(n);
  }
  if (flat.length === 0) return leaf;
  if (flat.length === 1) return flat[0] ?? leaf;
  return node(
    'cat',
    flat,
    flat.reduce((a, n) => a + n.size, 0),
  );
}

function alternate(alts: readonly Node[]): Node {
  const flat = alts.flatMap((x) => (x.op === 'alt' ? x.subs : [x]));
  if (flat.length === 1) return flat[0] ?? leaf;
  return node('alt', flat, flat.reduce((a, n) => a + n.size, 0) + flat.length - 1);
}

function repeated(sub: Node, op: string): Node {
  if (op === '*') return node('star', [sub], 2 + sub.size);
  if (op === '+') return node('plus', [sub], 1 + sub.size);
  if (op === '?') return node('quest', [sub], 1 + sub.size);
  const m = /^\{(\d+)(,(\d*))?\}/.exec(op);
  const min = Number(m?.[1]);
  const max = m?.[2] === undefined ? min : m[3] === '' ? -1 : Number(m[3]);
  const size =
    max === -1 ? (min === 0 ? 2 + sub.size : 1 + min * sub.size) : max * sub.size + max - min;
  return node('rep', [sub], size, [min, max]);
}

/** Go's repeatIsValid: nested {n,m} counts multiply to at most n copies of the innermost thing. */
function repeatIsValid(n: Node, budget: number): boolean {
  let left = budget;
  if (n.op === 'rep') {
    let m = n.max ?? 0;
    if (m === 0) return true;
    if (m < 0) m = n.min ?? 0;
    if (m > left) return false;
    if (m > 0) left = Math.floor(left / m);
  }
  return n.subs.every((s) => repeatIsValid(s, left));
}

/** Go's regexp/syntax parser over the anchored pattern, producing JavaScript tokens. */
class Parser {
  private readonly cps: string[];
  private i = 0;
  private flags: Flags = { fold: false, oneLine: true, dotNL: false };
  private readonly stack: { flags: Flags; tok: number; capture: boolean }[] = [];
  // Go's tree of the group being parsed: finished alternatives and the current one's items.
  private frames: { alts: Node[]; items: Node[] }[] = [{ alts: [], items: [] }];
  readonly toks: Token[] = [];
  // Token index where the last repeatable item starts; -1 after `(`, `|` or at the start.
  private atom = -1;
  // Code-point index where the previous item's repetition operator started (a** is an error).
  private lastRepeat = -1;

  constructor(private readonly whole: string) {
    this.cps = Array.from(whole);
  }

  private text(from: number, to: number): string {
    return this.cps.slice(from, to).join('');
  }

  private fail(code: string, from: number, to = this.cps.length): never {
    throw new Re2SyntaxError(code, this.text(from, to));
  }

  private push(tok: Token): void {
    this.atom = this.toks.length;
    this.toks.push(tok);
    this.items().push(tok.t === 'lit' ? lit : leaf);
  }

  private items(): Node[] {
    return this.frames[this.frames.length - 1]?.items ?? [];
  }

  private openFrame(capture: boolean, saved: Flags): void {
    this.stack.push({ flags: saved, tok: this.toks.length, capture });
    this.toks.push({ t: 'raw', s: '(?:', k: 'open' });
    this.frames.push({ alts: [], items: [] });
    this.atom = -1;
  }

  private checkLimits(n: Node): Node {
    if (n.h > maxHeight) this.fail('expression nests too deeply', 0);
    // Go 1.19 reports its program-size limit as an internal error.
    if (n.size > maxSize) this.fail('regexp/syntax: internal error', 0);
    return n;
  }

  /** The tree of the whole pattern, checked against Go's limits; call after parse(). */
  tree(): Node {
    const f = this.frames[0] ?? { alts: [], items: [] };
    return this.checkLimits(alternate([...f.alts, concat(f.items)]));
  }

  parse(): void {
    const cps = this.cps;
    while (this.i < cps.length) {
      const c = cps[this.i] as string;
      let repeatAt = -1;
      switch (c) {
        case '(':
          this.openGroup();
          break;
        case '|':
          this.toks.push({ t: 'raw', s: '|', k: 'alt' });
          this.atom = -1;
          {
            const f = this.frames[this.frames.length - 1];
            f?.alts.push(concat(f.items.splice(0)));
          }
          this.i++;
          break;
        case ')': {
          const open = this.stack.pop();
          if (!open) this.fail('unexpected )', 0);
          this.flags = open.flags;
          this.toks.push({ t: 'raw', s: ')', k: 'close' });
          this.atom = open.tok;
          const f = this.frames.pop() ?? { alts: [], items: [] };
          const inner = alternate([...f.alts, concat(f.items)]);
          this.items().push(
            this.checkLimits(open.capture ? node('cap', [inner], 2 + inner.size) : inner),
          );
          this.i++;
          break;
        }
        case '^':
          this.push(
            this.flags.oneLine
              ? { t: 'raw', s: '(?:^)', k: 'bot' }
              : { t: 'raw', s: '(?:^|(?<=\\n))', k: 'bol' },
          );
          this.i++;
          break;
        case '$':
          this.push(
            this.flags.oneLine
              ? { t: 'raw', s: '(?:$)', k: 'eot' }
              : { t: 'raw', s: '(?:$|(?=\\n))', k: 'eol' },
          );
          this.i++;
          break;
        case '.':
          this.push(
            this.flags.dotNL
              ? { t: 'raw', s: '[\\s\\S]', k: 'dotnl' }
              : { t: 'raw', s: '[^\\n]', k: 'dot' },
          );
          this.i++;
          break;
        case '[':
          this.push(this.parseClass());
          break;
        case '*':
        case '+':
        case '?':
          repeatAt = this.i;
          this.repeat(c, this.i + 1);
          break;
        case '{': {
          const m = /^\{(\d+)(,(\d*))?\}/.exec(this.text(this.i, this.i + 40));
          if (!m) {
            this.push({ t: 'lit', cp: 0x7b, fold: false });
            this.i++;
            break;
          }
          const end = this.i + m[0].length;
          const min = Number(m[1]);
          const max = m[2] === undefined ? min : m[3] === '' ? -1 : Number(m[3]);
          if (min > 1000 || max > 1000 || (max >= 0 && min > max)) {
            this.fail('invalid repeat count', this.i, end);
          }
          repeatAt = this.i;
          this.repeat(m[0], end);
          break;
        }
        case '\\':
          this.parseBackslash();
          break;
        default:
          this.push({ t: 'lit', cp: c.codePointAt(0) ?? 0, fold: this.flags.fold });
          this.i++;
      }
      this.lastRepeat = repeatAt;
    }
    if (this.stack.length > 0) this.fail('missing closing )', 0);
  }

  private repeat(op: string, after: number): void {
    let end = after;
    if (this.cps[end] === '?') end++;
    if (this.lastRepeat !== -1)
      this.fail('invalid nested repetition operator', this.lastRepeat, end);
    if (this.atom === -1) this.fail('missing argument to repetition operator', this.i, end);
    this.toks.push({ t: 'raw', s: op + (end > after ? '?' : ''), k: 'rep' });
    const items = this.items();
    const n = this.checkLimits(repeated(items.pop() ?? leaf, op));
    items.push(n);
    if (n.op === 'rep' && ((n.min ?? 0) >= 2 || (n.max ?? 0) >= 2) && !repeatIsValid(n, 1000))
      this.fail('invalid repeat count', this.i, end);
    this.i = end;
  }

  private openGroup(): void {
    const start = this.i;
    const saved = this.flags;
    if (this.cps[start + 1] !== '?') {
      this.openFrame(true, saved);
      this.i++;
      return;
    }
    if (this.text(start, start + 4) === '(?P<') {
      const close = this.cps.indexOf('>', start + 4);
      if (close === -1) this.fail('invalid named capture', start);
      if (!/^[0-9A-Za-z_]+$/.test(this.text(start + 4, close)))
        this.fail('invalid named capture', start, close + 1);
      this.openFrame(true, saved);
      this.i = close + 1;
      return;
    }
    let f = { ...saved };
    let negate = false;
    let sawFlag = false;
    for (let j = start + 2; j < this.cps.length; j++) {
      const c = this.cps[j];
      if (c === 'i') f.fold = !negate;
      else if (c === 'm') f.oneLine = negate;
      else if (c === 's') f.dotNL = !negate;
      else if (c === 'U') {
        // Ungreedy: changes which match is found, never whether one is (all matches are anchored).
      } else if (c === '-' && !negate) {
        negate = true;
        sawFlag = false;
        continue;
      } else if ((c === ')' || c === ':') && !(negate && !sawFlag)) {
        if (c === ':') this.openFrame(false, saved);
        this.flags = f;
        this.i = j + 1;
        return;
      } else {
        this.fail('invalid or unsupported Perl syntax', start, j + 1);
      }
      sawFlag = true;
      f = { ...f };
    }
    this.fail('invalid or unsupported Perl syntax', start);
  }

  private parseBackslash(): void {
    const start = this.i;
    const c = this.cps[start + 1];
    const assertion: Readonly<Record<string, Token>> = {
      A: { t: 'raw', s: '(?:^)', k: 'bot' },
      z: { t: 'raw', s: '(?:$)', k: 'eot' },
      b: { t: 'raw', s: '(?:\\b)', k: 'wb' },
      B: { t: 'raw', s: '(?:\\B)', k: 'nwb' },
    };
    const empty = c === undefined ? undefined : assertion[c];
    if (empty) {
      this.push(empty);
      this.i += 2;
      return;
    }
    if (c === 'Q') {
      let end = this.cps.length;
      for (let j = start + 2; j + 1 < this.cps.length; j++) {
        if (this.cps[j] === '\\' && this.cps[j + 1] === 'E') {
          end = j;
          break;
        }
      }
      for (let j = start + 2; j < end; j++) {
        this.push({ t: 'lit', cp: this.cps[j]?.codePointAt(0) ?? 0, fold: this.flags.fold });
      }
      this.i = end === this.cps.length ? end : end + 2;
      return;
    }
    const group = this.classEscape();
    if (group) {
      this.push({ t: 'cls', neg: false, items: group, fold: this.flags.fold });
      return;
    }
    this.push({ t: 'lit', cp: this.escape(), fold: this.flags.fold });
  }

  /** `\d \s \w \pL \p{Greek}` and their negations at this.i, or undefined. */
  private classEscape(): ClassItem[] | undefined {
    const start = this.i;
    const c = this.cps[start + 1] ?? '';
    const lower = c.toLowerCase();
    if ('dsw'.includes(lower) && c !== '') {
      this.i += 2;
      const ranges = perl[lower] ?? [];
      // JavaScript's \w \W \d \D are RE2's, also under case folding; its \s is Unicode's.
      if (lower === 's') return (c === 'S' ? complement(ranges) : ranges).map((r) => ({ r }));
      return [{ esc: `\\${c}` }];
    }
    if (c !== 'p' && c !== 'P') return undefined;
    let name: string;
    let end: number;
    if (this.cps[start + 2] === '{') {
      const close = this.cps.indexOf('}', start + 3);
      if (close === -1) this.fail('invalid character class range', start);
      name = this.text(start + 3, close);
      end = close + 1;
    } else {
      name = this.cps[start + 2] ?? '';
      end = start + 3;
    }
    let negated = c === 'P';
    if (name.startsWith('^')) {
      negated = !negated;
      name = name.slice(1);
    }
    let prop: string | undefined;
    if (name === 'Any' || categories.has(name)) prop = name;
    else if (/^[A-Z][a-z]+(_[A-Z][a-z]+)*$/.test(name)) {
      try {
        new RegExp(`\\p{Script=${name}}`, 'u');
        prop = `Script=${name}`;
      } catch {
        prop = undefined;
      }
    }
    if (prop === undefined) this.fail('invalid character class range', start, end);
    this.i = end;
    return [{ esc: `\\${negated ? 'P' : 'p'}{${prop}}` }];
  }

  /** One escaped character at this.i (Go's parseEscape). */
  private escape(): number {
    const start = this.i;
    const c = this.cps[start + 1] ?? '';
    let j = start + 2;
    const bad = (): never => this.fail('invalid escape sequence', start, j);
    if (c.length === 1 && c < '\x80' && !/[0-9A-Za-z]/.test(c)) {
      this.i = j;
      return c.charCodeAt(0);
    }
    const simple: Readonly<Record<string, number>> = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11 };
    if (simple[c] !== undefined) {
      this.i = j;
      return simple[c] ?? 0;
    }
    if (c === '0' || (c >= '1' && c <= '7' && isOctal(this.cps[j]))) {
      let v = Number(c);
      for (let k = 0; k < 2 && isOctal(this.cps[j]); k++) v = v * 8 + Number(this.cps[j++]);
      this.i = j;
      return v;
    }
    if (c === 'x') {
      if (this.cps[j] === '{') {
        j++;
        let v = 0;
        let digits = 0;
        for (;;) {
          const d = this.cps[j++];
          if (d === undefined) return bad();
          if (d === '}') break;
          const h = hexValue(d);
          if (h < 0) return bad();
          v = v * 16 + h;
          if (v > maxCodePoint) return bad();
          digits++;
        }
        if (digits === 0) return bad();
        this.i = j;
        return v;
      }
      const x = hexValue(this.cps[j++]);
      const y = hexValue(this.cps[j++]);
      if (x < 0 || y < 0) return bad();
      this.i = j;
      return x * 16 + y;
    }
    return bad();
  }

  private classChar(): number {
    if (this.cps[this.i] === '\\') return this.escape();
    const c = this.cps[this.i++] ?? '';
    return c.codePointAt(0) ?? 0;
  }

  private parseClass(): Token {
    const start = this.i;
    this.i++;
    const neg = this.cps[this.i] === '^';
    if (neg) this.i++;
    const items: ClassItem[] = [];
    let first = true;
    while (this.i < this.cps.length && (this.cps[this.i] !== ']' || first)) {
      first = false;
      const at = this.i;
      if (this.cps[at] === '[' && this.cps[at + 1] === ':') {
        const close = this.text(at, this.cps.length).indexOf(':]', 2);
        if (close !== -1) {
          const name = Array.from(this.text(at, this.cps.length).slice(0, close + 2));
          const spelled = name.join('');
          const neg = spelled[2] === '^';
          const ranges = posix[spelled.slice(neg ? 3 : 2, -2)];
          if (!ranges) this.fail('invalid character class range', at, at + name.length);
          items.push(...(neg ? complement(ranges) : ranges).map((r) => ({ r })));
          this.i = at + name.length;
          continue;
        }
      }
      const group = this.cps[at] === '\\' ? this.classEscape() : undefined;
      if (group) {
        items.push(...group);
        continue;
      }
      const lo = this.classChar();
      let hi = lo;
      if (
        this.cps[this.i] === '-' &&
        this.cps[this.i + 1] !== ']' &&
        this.i + 1 < this.cps.length
      ) {
        this.i++;
        hi = this.classChar();
        if (hi < lo) this.fail('invalid character class range', at, this.i);
      }
      items.push({ r: [lo, hi] });
    }
    if (this.i >= this.cps.length) this.fail('missing closing ]', start);
    this.i++;
    return { t: 'cls', neg, items, fold: this.flags.fold };
  }
}

const hex = (cp: number): string => `\\u{${cp.toString(16)}}`;
const plain = (cp: number): string =>
  (cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a)
    ? String.fromCodePoint(cp)
    : hex(cp);

function caseSensitive(tok: Token): boolean {
  if (tok.t === 'cls') return true;
  if (tok.t !== 'lit') return false;
  const s = String.fromCodePoint(tok.cp);
  return s.toLowerCase() !== s || s.toUpperCase() !== s;
}

let reverseCase: Map<number, number[]> | undefined;

function single(s: string): number | undefined {
  const c = s.codePointAt(0);
  return c !== undefined && String.fromCodePoint(c) === s ? c : undefined;
}

/** Code points equal to cp under simple case folding. */
function foldOrbit(cp: number): number[] {
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

function render(tok: Token, expandFold: boolean): string {
  if (tok.t === 'raw') return tok.s;
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

interface Parsed {
  readonly toks: readonly Token[];
  /** Every case-sensitive item is under (?i): JavaScript's own i flag folds exactly as RE2 does. */
  readonly global: boolean;
}

function parseRe2(pattern: string): Parsed {
  if (pattern.length > maxRegexLength) {
    throw new Re2SyntaxError('expression too large', `${pattern.slice(0, 40)}...`);
  }
  const p = new Parser(`^(?:${pattern})$`);
  p.parse();
  p.tree();
  const relevant = p.toks.filter(caseSensitive);
  const folded = relevant.filter((t) => t.t !== 'raw' && t.fold).length;
  return { toks: p.toks, global: folded > 0 && folded === relevant.length };
}

/** The JavaScript equivalent of Go's regexp.Compile("^(?:" + pattern + ")$"). */
export function re2ToJs(pattern: string): { source: string; flags: string } {
  const { toks, global } = parseRe2(pattern);
  return { source: toks.map((t) => render(t, !global)).join(''), flags: global ? 'iu' : 'u' };
}

// ---------- linear-time matching ----------
//
// JavaScript's RegExp backtracks: `(a|aa)*b` or `.*a.*a.*b` against a long
// attacker-written label value takes seconds to hours, where RE2 is linear.
// Patterns with nested or repeated quantifiers run on a Thompson NFA
// simulation instead (a Pike VM without captures): time linear in the value
// times the program length.

type Ast =
  | { readonly k: 'char'; readonly test: (cp: number) => boolean }
  | { readonly k: 'assert'; readonly a: Assertion }
  | { readonly k: 'cat' | 'alt'; readonly subs: readonly Ast[] }
  | { readonly k: 'rep'; readonly sub: Ast; readonly min: number; readonly max: number };

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

function toAst(toks: readonly Token[], global: boolean): Ast {
  let i = 0;
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
      if (isRaw(t, 'open')) {
        a = alt();
        i++; // the group's close
      } else if (t.t === 'raw' && t.k !== 'dot' && t.k !== 'dotnl') {
        a = { k: 'assert', a: t.k as Assertion };
      } else {
        a = { k: 'char', test: charTest(t, global) };
      }
      for (let r = toks[i]; r?.t === 'raw' && r.k === 'rep'; r = toks[++i]) {
        const [min, max] = repeatBounds(r.s);
        a = { k: 'rep', sub: a, min, max };
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
function backtrackCost(n: Ast): { d: number; c: number } {
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
    case 'rep': {
      const sub = backtrackCost(n.sub);
      if (sub.d > 0 || sub.c > 1) return { d: Infinity, c: 1 };
      return n.max === n.min ? sub : { d: 1, c: 1 };
    }
  }
}

/** Backtracking steps RegExp may take on one value before the NFA is used instead. */
const backtrackBudget = 1e7;

const CHAR = 0;
const SPLIT = 1;
const JMP = 2;
const ASSERT = 3;
const MATCH = 4;
// Bigger programs (Go allows 3.3M instructions) stay on RegExp rather than hold that much memory.
const maxProgram = 100_000;

class Program {
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
        if (n.max === -1) {
          const split = this.emit(SPLIT);
          this.x[split] = split + 1;
          this.compile(n.sub);
          this.x[this.emit(JMP)] = split;
          this.y[split] = here();
          return;
        }
        const skips: number[] = [];
        for (let k = n.min; k < n.max; k++) {
          const split = this.emit(SPLIT);
          this.x[split] = split + 1;
          skips.push(split);
          this.compile(n.sub);
        }
        for (const s of skips) this.y[s] = here();
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

function holds(a: Assertion, v: string, pos: number): boolean {
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

function linearMatcher(ast: Ast): { test: Test; size: number } | undefined {
  const prog = new Program();
  try {
    prog.compile(ast);
    prog.emit(MATCH);
  } catch (err) {
    if (err instanceof RangeError) return undefined;
    throw err;
  }
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

type Test = (value: string) => boolean;
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
  const re = new RegExp(
    parsed.toks.map((t) => render(t, !parsed.global)).join(''),
    parsed.global ? 'iu' : 'u',
  );
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

function regexTest(pattern: string): Test {
  try {
    return re2Matcher(pattern);
  } catch (err) {
    throw new Error(
      `invalid regular expression in label matcher: ${JSON.stringify(pattern.slice(0, 200))} (${(err as Error).message})`,
      { cause: err },
    );
  }
}

export function matcherMatches(m: LabelMatcher, value: string): boolean {
  switch (m.op) {
    case '=':
      return value === m.value;
    case '!=':
      return value !== m.value;
    case '=~':
      return regexTest(m.value)(value);
    case '!~':
      return !regexTest(m.value)(value);
    default:
      throw new Error(`unknown label matcher operator ${JSON.stringify(m.op as string)}`);
  }
}

export function labelsMatch(labels: Labels, matchers: readonly LabelMatcher[]): boolean {
  return matchers.every((m) => matcherMatches(m, labels[m.name] ?? ''));
}

/** Any of the matcher sets; no sets at all selects everything. */
export function labelsMatchAny(
  labels: Labels,
  sets: readonly (readonly LabelMatcher[])[],
): boolean {
  return sets.length === 0 || sets.some((s) => labelsMatch(labels, s));
}

/** Prometheus drops empty-valued labels; sort keys so equal sets compare equal. */
export function normalizeLabels(labels: Labels): Labels {
  const out: Record<string, string> = {};
  for (const k of Object.keys(labels).sort()) {
    const v = labels[k];
    if (v !== undefined && v !== '') out[k] = v;
  }
  return out;
}

export function seriesKey(labels: Labels): string {
  return JSON.stringify(Object.entries(normalizeLabels(labels)));
}
