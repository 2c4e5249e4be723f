// label_replace needs Go's FindStringSubmatchIndex and Regexp.Expand on an
// RE2 pattern. store/re2 parses RE2 the way Go does (its errors, `\Q..\E`,
// POSIX classes, `.` without newline) and renders it with Go's capture
// groups, in Go's order, and `(?U)` honoured; both backtracking engines then
// pick the same leftmost-first submatches.

import { re2Matcher, re2ToJs } from '../../store/re2';

export interface Submatcher {
  readonly re: RegExp;
  /** Go's SubexpNames: '' for the whole match and for unnamed groups. */
  readonly names: readonly string[];
}

const cache = new Map<string, Submatcher>();
const cacheMax = 256;

/**
 * Go's regexp.Compile("^(?:" + pattern + ")$") with its capture groups;
 * throws store/re2's Re2SyntaxError for what RE2 rejects.
 */
export function compileSubmatch(pattern: string): Submatcher {
  const hit = cache.get(pattern);
  if (hit) return hit;
  const { source, flags, names } = re2ToJs(pattern, { captures: true });
  const sub: Submatcher = { re: new RegExp(source, flags), names };
  if (cache.size >= cacheMax) cache.delete(cache.keys().next().value ?? '');
  cache.set(pattern, sub);
  return sub;
}

// Beyond this length a value is first tested on store/re2's matcher, which
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
