// label_replace needs Go's FindStringSubmatchIndex and Regexp.Expand on an
// RE2 pattern. store/labels parses RE2 the way Go does (its errors, `\Q..\E`,
// POSIX classes, `.` without newline) and renders every group as `(?:`,
// since matchers never need captures. Here the groups of that rendering are
// mapped back, in order, to the pattern's groups, and the capturing ones
// become JavaScript captures. Both backtracking engines pick the same
// leftmost-first submatches.

import { re2Matcher, re2ToJs } from '../../store/labels';

export interface Submatcher {
  readonly re: RegExp;
  /** Go's SubexpNames: '' for the whole match and for unnamed groups. */
  readonly names: readonly string[];
}

interface Group {
  readonly capture: boolean;
  readonly name: string;
}

/** The groups of a pattern RE2 accepted, in the order their `(` appear. */
function re2Groups(p: string): Group[] {
  const out: Group[] = [];
  let i = 0;
  while (i < p.length) {
    const c = p[i];
    if (c === '\\') {
      if (p[i + 1] === 'Q') {
        const end = p.indexOf('\\E', i + 2);
        i = end === -1 ? p.length : end + 2;
      } else {
        i += 2;
      }
    } else if (c === '[') {
      i = classEnd(p, i) + 1;
    } else if (c === '(' && p[i + 1] === '?') {
      const named = p.startsWith('(?P<', i) ? i + 4 : p.startsWith('(?<', i) ? i + 3 : -1;
      if (named !== -1) {
        const close = p.indexOf('>', named);
        out.push({ capture: true, name: p.slice(named, close) });
        i = close + 1;
        continue;
      }
      let j = i + 2;
      while (j < p.length && p[j] !== ':' && p[j] !== ')') j++;
      // `(?i)` sets flags and opens no group.
      if (p[j] === ':') out.push({ capture: false, name: '' });
      i = j + 1;
    } else if (c === '(') {
      out.push({ capture: true, name: '' });
      i++;
    } else {
      i++;
    }
  }
  return out;
}

/** Index of the `]` closing the class that opens at `start` (Go's parseClass). */
function classEnd(p: string, start: number): number {
  let j = start + 1;
  if (p[j] === '^') j++;
  // A `]` right after `[` or `[^` is a literal.
  let first = true;
  while (j < p.length && (p[j] !== ']' || first)) {
    first = false;
    if (p[j] === '[' && p[j + 1] === ':') {
      const close = p.indexOf(':]', j + 2);
      if (close !== -1) {
        j = close + 2;
        continue;
      }
    }
    j += p[j] === '\\' ? 2 : 1;
  }
  return j;
}

// In re2ToJs's output every `(` is a group `(?:`, an empty-width assertion
// `(?:^)`, `(?:$)`, `(?:\b)`, `(?:\B)`, `(?:^|(?<=\n))`, `(?:$|(?=\n))`, or a
// lookaround inside one; literals other than letters and digits are `\u{..}`.
const assertionAfterOpen = /^(?:\^|\$|\\[bB]\))/;

function withCaptures(source: string, groups: readonly Group[], pattern: string): string {
  let out = '';
  let k = 0;
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (c === '\\') {
      out += source.slice(i, i + 2);
      i += 2;
    } else if (c === '[') {
      let j = i + 1;
      while (j < source.length && source[j] !== ']') j += source[j] === '\\' ? 2 : 1;
      out += source.slice(i, j + 1);
      i = j + 1;
    } else if (
      source.startsWith('(?:', i) &&
      !assertionAfterOpen.test(source.slice(i + 3, i + 6))
    ) {
      const g = groups[k++];
      if (!g) break;
      out += g.capture ? '(' : '(?:';
      i += 3;
    } else {
      out += c;
      i++;
    }
  }
  if (k !== groups.length || i < source.length) {
    throw new Error(
      `internal error: cannot map the groups of the RE2 pattern ${JSON.stringify(pattern.slice(0, 200))}`,
    );
  }
  return out;
}

const cache = new Map<string, Submatcher>();
const cacheMax = 256;

/**
 * Go's regexp.Compile("^(?:" + pattern + ")$") with its capture groups;
 * throws store/labels' Re2SyntaxError for what RE2 rejects.
 */
export function compileSubmatch(pattern: string): Submatcher {
  const hit = cache.get(pattern);
  if (hit) return hit;
  const { source, flags } = re2ToJs(pattern);
  const groups = re2Groups(`^(?:${pattern})$`);
  const sub: Submatcher = {
    re: new RegExp(withCaptures(source, groups, pattern), flags),
    names: ['', ...groups.filter((g) => g.capture).map((g) => g.name)],
  };
  if (cache.size >= cacheMax) cache.delete(cache.keys().next().value ?? '');
  cache.set(pattern, sub);
  return sub;
}

// Beyond this length a value is first tested on store/labels' matcher, which
// falls back to a linear-time engine where backtracking could explode; only a
// value that matches is run through RegExp for its submatches.
const longValue = 256;

/** Go's FindStringSubmatch on the anchored pattern: the whole match and each group (undefined if it did not take part), or null. */
export function findSubmatch(pattern: string, value: string): RegExpExecArray | null {
  if (value.length > longValue && !re2Matcher(pattern)(value)) return null;
  return compileSubmatch(pattern).re.exec(value);
}

const nameChar = /[\p{L}\p{Nd}_]/u;

/** Go's Regexp.Expand: `$1`, `${1}`, `$name`, `${name}`, `$$`; anything else after `$` is kept as written. */
export function expandTemplate(
  template: string,
  match: RegExpExecArray,
  names: readonly string[],
): string {
  let out = '';
  let i = 0;
  for (;;) {
    const dollar = template.indexOf('$', i);
    if (dollar === -1) break;
    out += template.slice(i, dollar);
    i = dollar + 1;
    if (template[i] === '$') {
      out += '$';
      i++;
      continue;
    }
    const brace = template[i] === '{';
    let j = brace ? i + 1 : i;
    while (j < template.length) {
      const ch = String.fromCodePoint(template.codePointAt(j) ?? 0);
      if (!nameChar.test(ch)) break;
      j += ch.length;
    }
    const name = template.slice(brace ? i + 1 : i, j);
    if (name === '' || (brace && template[j] !== '}')) {
      out += '$';
      continue;
    }
    i = brace ? j + 1 : j;
    out += group(name, match, names);
  }
  return out + template.slice(i);
}

function group(name: string, match: RegExpExecArray, names: readonly string[]): string {
  // A number: ASCII digits, no leading zero, at most 9 of them (Go's cap); else a name.
  if (/^(?:0|[1-9][0-9]{0,8})$/.test(name)) return match[Number(name)] ?? '';
  for (let k = 1; k < names.length; k++) {
    // The first group of that name that took part in the match.
    if (names[k] === name && match[k] !== undefined) return match[k] ?? '';
  }
  return '';
}
