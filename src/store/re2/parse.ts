// Go's regexp/syntax parser, over the anchored pattern Prometheus compiles
// ("^(?:" + pattern + ")$"): it accepts and rejects what Go does, with Go's
// error texts and limits, and emits tokens (syntax.ts) that render.ts turns
// into JavaScript and nfa.ts into a linear-time matcher.

import { Scanner } from './scan';
import { maxRegexLength, Re2SyntaxError } from './syntax';
import type { Flags, Token } from './syntax';
import {
  alternate,
  concat,
  leaf,
  lit,
  maxHeight,
  maxSize,
  node,
  repeated,
  repeatIsValid,
} from './tree';
import type { Node } from './tree';

/** Go's regexp/syntax parser over the anchored pattern, producing JavaScript tokens. */
class Parser extends Scanner {
  private readonly stack: { flags: Flags; tok: number; capture: boolean }[] = [];
  // Go's tree of the group being parsed: finished alternatives and the current one's items.
  private frames: { alts: Node[]; items: Node[] }[] = [{ alts: [], items: [] }];
  readonly toks: Token[] = [];
  // Token index where the last repeatable item starts; -1 after `(`, `|` or at the start.
  private atom = -1;
  // Code-point index where the previous item's repetition operator started (a** is an error).
  private lastRepeat = -1;

  private push(tok: Token): void {
    this.atom = this.toks.length;
    this.toks.push(tok);
    this.items().push(tok.t === 'lit' ? lit : leaf);
  }

  private items(): Node[] {
    return this.frames[this.frames.length - 1]?.items ?? [];
  }

  /** name: the capturing group's name ('' if unnamed); undefined for a non-capturing group. */
  private openFrame(saved: Flags, name?: string): void {
    const capture = name !== undefined;
    this.stack.push({ flags: saved, tok: this.toks.length, capture });
    this.toks.push({ t: 'raw', s: '(?:', k: 'open', ...(capture ? { cap: name } : {}) });
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
    this.toks.push({
      t: 'raw',
      s: op + (end > after ? '?' : ''),
      k: 'rep',
      ungreedy: this.flags.ungreedy,
    });
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
      this.openFrame(saved, '');
      this.i++;
      return;
    }
    if (this.text(start, start + 4) === '(?P<') {
      const close = this.cps.indexOf('>', start + 4);
      if (close === -1) this.fail('invalid named capture', start);
      if (!/^[0-9A-Za-z_]+$/.test(this.text(start + 4, close)))
        this.fail('invalid named capture', start, close + 1);
      this.openFrame(saved, this.text(start + 4, close));
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
      // Ungreedy: changes which submatches are found, never whether the anchored pattern matches.
      else if (c === 'U') f.ungreedy = !negate;
      else if (c === '-' && !negate) {
        negate = true;
        sawFlag = false;
        continue;
      } else if ((c === ')' || c === ':') && !(negate && !sawFlag)) {
        if (c === ':') this.openFrame(saved);
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
}

function caseSensitive(tok: Token): boolean {
  if (tok.t === 'cls') return true;
  if (tok.t !== 'lit') return false;
  const s = String.fromCodePoint(tok.cp);
  return s.toLowerCase() !== s || s.toUpperCase() !== s;
}

export interface Parsed {
  readonly toks: readonly Token[];
  /** Every case-sensitive item is under (?i): JavaScript's own i flag folds exactly as RE2 does. */
  readonly global: boolean;
}

export function parseRe2(pattern: string): Parsed {
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
