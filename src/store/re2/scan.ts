// Go's parsing of escapes and character classes (parseEscape, parseClass,
// parsePerlClassEscape, parseUnicodeClass, parseNamedClass): the cursor over
// the pattern's code points that parse.ts's Parser extends.

import {
  categories,
  complement,
  hexValue,
  isOctal,
  maxCodePoint,
  perl,
  posix,
  Re2SyntaxError,
} from './syntax';
import type { ClassItem, Flags, Token } from './syntax';

export class Scanner {
  protected readonly cps: string[];
  protected i = 0;
  protected flags: Flags = { fold: false, oneLine: true, dotNL: false, ungreedy: false };

  constructor(whole: string) {
    this.cps = Array.from(whole);
  }

  protected text(from: number, to: number): string {
    return this.cps.slice(from, to).join('');
  }

  protected fail(code: string, from: number, to = this.cps.length): never {
    throw new Re2SyntaxError(code, this.text(from, to));
  }

  /** `\d \s \w \pL \p{Greek}` and their negations at this.i, or undefined. */
  protected classEscape(): ClassItem[] | undefined {
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
  protected escape(): number {
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

  protected parseClass(): Token {
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
