// label_replace needs Go's FindStringSubmatch and Regexp.Expand on an RE2
// pattern. store/re2 parses RE2 the way Go does (its errors, `\Q..\E`,
// POSIX classes, `.` without newline) and finds submatches as Go does
// (Go's group numbering, `(?U)`, a repeated group keeping its last
// submatch, linear time on long values); Expand is here.

import { compileSubmatcher } from '../../store/re2';
import type { Re2Submatcher, Submatch } from '../../store/re2';

export type Submatcher = Re2Submatcher;

const cache = new Map<string, Submatcher>();
const cacheMax = 256;

/**
 * Go's regexp.Compile("^(?:" + pattern + ")$") with its capture groups;
 * throws store/re2's Re2SyntaxError for what RE2 rejects.
 */
export function compileSubmatch(pattern: string): Submatcher {
  const hit = cache.get(pattern);
  if (hit) return hit;
  const sub = compileSubmatcher(pattern);
  if (cache.size >= cacheMax) cache.delete(cache.keys().next().value ?? '');
  cache.set(pattern, sub);
  return sub;
}

/** Go's FindStringSubmatch on the anchored pattern: the whole match and each group (undefined if it did not take part), or null. */
export function findSubmatch(pattern: string, value: string): Submatch | null {
  return compileSubmatch(pattern).exec(value);
}

const nameChar = /[\p{L}\p{Nd}_]/u;

/** Go's Regexp.Expand: `$1`, `${1}`, `$name`, `${name}`, `$$`; anything else after `$` is kept as written. */
export function expandTemplate(
  template: string,
  match: Submatch,
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

function group(name: string, match: Submatch, names: readonly string[]): string {
  // A number: ASCII digits, no leading zero, at most 9 of them (Go's cap); else a name.
  if (/^(?:0|[1-9][0-9]{0,8})$/.test(name)) return match[Number(name)] ?? '';
  for (let k = 1; k < names.length; k++) {
    // The first group of that name that took part in the match.
    if (names[k] === name && match[k] !== undefined) return match[k] ?? '';
  }
  return '';
}
