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

interface Structure {
  /** The groups, in the order their `(` appear. */
  readonly groups: readonly Group[];
  /** For each repetition operator in order: is `(?U)` (swap greedy and lazy) in effect? */
  readonly ungreedy: readonly boolean[];
}

const repeatCount = /^\{\d+(?:,\d*)?\}/;

/** Groups and repetitions of a pattern RE2 accepted. */
function re2Structure(p: string): Structure {
  const groups: Group[] = [];
  const ungreedy: boolean[] = [];
  // The U flag outside each open group: a `)` restores it, as in Go's parser.
  const outer: boolean[] = [];
  let u = false;
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
        groups.push({ capture: true, name: p.slice(named, close) });
        outer.push(u);
        i = close + 1;
        continue;
      }
      let j = i + 2;
      let set = true;
      let next: boolean = u;
      for (; j < p.length && p[j] !== ':' && p[j] !== ')'; j++) {
        if (p[j] === '-') set = false;
        else if (p[j] === 'U') next = set;
      }
      // `(?U)` changes the flags of the enclosing group and opens none.
      if (p[j] === ':') {
        groups.push({ capture: false, name: '' });
        outer.push(u);
      }
      u = next;
      i = j + 1;
    } else if (c === '(') {
      groups.push({ capture: true, name: '' });
      outer.push(u);
      i++;
    } else if (c === ')') {
      u = outer.pop() ?? u;
      i++;
    } else if (c === '*' || c === '+' || c === '?') {
      ungreedy.push(u);
      i += p[i + 1] === '?' ? 2 : 1;
    } else if (c === '{' && repeatCount.test(p.slice(i, i + 24))) {
      const op = repeatCount.exec(p.slice(i, i + 24))?.[0] ?? '{';
      ungreedy.push(u);
      i += op.length + (p[i + op.length] === '?' ? 1 : 0);
    } else {
      i++;
    }
  }
  return { groups, ungreedy };
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
// (below), or a lookaround inside one; literals other than letters and
// digits are `\u{..}`; `.` is a class. So a `*`, `+`, `?` or `{n,m}` outside
// escapes and classes is a repetition, in the pattern's order.
const assertion = /^\(\?:(?:\^\)|\$\)|\\[bB]\)|\^\|\(\?<=\\n\)\)|\$\|\(\?=\\n\)\))/;

function withCaptures(source: string, s: Structure, pattern: string): string {
  // Only patterns with (?U) need their repetitions rewritten (JavaScript has no such flag).
  const swap = s.ungreedy.includes(true);
  let out = '';
  let k = 0;
  let r = 0;
  let i = 0;
  while (i < source.length) {
    const c = source[i] as string;
    if (c === '\\') {
      const braced = 'upP'.includes(source[i + 1] ?? '') && source[i + 2] === '{';
      const j = braced ? source.indexOf('}', i) + 1 : i + 2;
      out += source.slice(i, j);
      i = j;
    } else if (c === '[') {
      let j = i + 1;
      while (j < source.length && source[j] !== ']') j += source[j] === '\\' ? 2 : 1;
      out += source.slice(i, j + 1);
      i = j + 1;
    } else if (source.startsWith('(?:', i)) {
      const a = assertion.exec(source.slice(i, i + 16))?.[0];
      if (a !== undefined) {
        out += a;
        i += a.length;
        continue;
      }
      const g = s.groups[k++];
      if (!g) break;
      out += g.capture ? '(' : '(?:';
      i += 3;
    } else if (swap && (c === '*' || c === '+' || c === '?' || c === '{')) {
      const op = c === '{' ? repeatCount.exec(source.slice(i, i + 24))?.[0] : c;
      if (op === undefined) break;
      const lazy = source[i + op.length] === '?';
      out += op + (lazy !== s.ungreedy[r++] ? '?' : '');
      i += op.length + (lazy ? 1 : 0);
    } else {
      out += c;
      i++;
    }
  }
  if (k !== s.groups.length || (swap && r !== s.ungreedy.length) || i < source.length) {
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
  const structure = re2Structure(`^(?:${pattern})$`);
  const sub: Submatcher = {
    re: new RegExp(withCaptures(source, structure, pattern), flags),
    names: ['', ...structure.groups.filter((g) => g.capture).map((g) => g.name)],
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
