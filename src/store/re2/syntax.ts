// What RE2's parser produces here: Go's error type and input bound, the
// tokens the pattern is rewritten into (rendered to JavaScript by render.ts,
// compiled to an NFA by nfa.ts) and RE2's character class tables.

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

export type Range = readonly [number, number];
export type ClassItem = { readonly r: Range } | { readonly esc: string };
/** Structure, repetition, `.` and empty-width assertions (text start/end, line start/end, word boundary). */
export type RawKind = 'open' | 'close' | 'alt' | 'rep' | 'dot' | 'dotnl' | Assertion;
export type Assertion = 'bot' | 'eot' | 'bol' | 'eol' | 'wb' | 'nwb';
export type Token =
  | {
      readonly t: 'raw';
      readonly s: string;
      readonly k: RawKind;
      /** On the `(?:` that opens a capturing group: the group's name, '' if it has none. */
      readonly cap?: string;
      /** On a repetition: `(?U)` was in effect, so greedy and lazy swap. */
      readonly ungreedy?: boolean;
    }
  | { readonly t: 'lit'; readonly cp: number; readonly fold: boolean }
  | {
      readonly t: 'cls';
      readonly neg: boolean;
      readonly items: readonly ClassItem[];
      readonly fold: boolean;
    };

export interface Flags {
  readonly fold: boolean;
  readonly oneLine: boolean;
  readonly dotNL: boolean;
  readonly ungreedy: boolean;
}

export const maxCodePoint = 0x10ffff;
/** Ranges spelled as pairs of characters: '09AZ' is 0-9 and A-Z. */
function pairs(spec: string): Range[] {
  const out: Range[] = [];
  for (let i = 0; i + 1 < spec.length; i += 2)
    out.push([spec.charCodeAt(i), spec.charCodeAt(i + 1)]);
  return out;
}
export const perl: Readonly<Record<string, readonly Range[]>> = {
  d: pairs('09'),
  s: pairs('\t\n\f\r  '),
  w: pairs('09AZ__az'),
};
// RE2's POSIX classes are ASCII only.
export const posix: Readonly<Record<string, readonly Range[]>> = {
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
export const categories = new Set(
  'C Cc Cf Co Cs L Ll Lm Lo Lt Lu M Mc Me Mn N Nd Nl No P Pc Pd Pe Pf Pi Po Ps S Sc Sk Sm So Z Zl Zp Zs'.split(
    ' ',
  ),
);

export function complement(ranges: readonly Range[]): Range[] {
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

export const isOctal = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '7';
export const hexValue = (c: string | undefined): number =>
  c !== undefined && /^[0-9a-fA-F]$/.test(c) ? parseInt(c, 16) : -1;
