// Prometheus matches with RE2, anchored at both ends. JavaScript's engine is
// close enough for the syntax PromQL users write; Go-only flag groups at the
// start are mapped to JS flags. Patterns are bounded in length because they
// are attacker-controlled text.

import { badData } from './errors';

export const maxRegexLength = 4096;

const cache = new Map<string, RegExp>();

export function compileAnchored(pattern: string): RegExp {
  const hit = cache.get(pattern);
  if (hit) return hit;
  if (pattern.length > maxRegexLength) {
    throw badData(`regular expression is longer than ${maxRegexLength} characters`);
  }
  let body = pattern;
  let flags = '';
  const flagGroup = /^\(\?([imsU]+)\)/.exec(body);
  if (flagGroup) {
    const f = flagGroup[1] ?? '';
    if (f.includes('i')) flags += 'i';
    if (f.includes('s')) flags += 's';
    if (f.includes('m')) flags += 'm';
    body = body.slice(flagGroup[0].length);
  }
  let re: RegExp;
  try {
    re = new RegExp(`^(?:${body})$`, flags);
  } catch (err) {
    throw badData(`error parsing regexp: ${(err as Error).message}`);
  }
  if (cache.size > 1000) cache.clear();
  cache.set(pattern, re);
  return re;
}

export function matchesLabel(op: '=' | '!=' | '=~' | '!~', want: string, value: string): boolean {
  switch (op) {
    case '=':
      return value === want;
    case '!=':
      return value !== want;
    case '=~':
      return compileAnchored(want).test(value);
    case '!~':
      return !compileAnchored(want).test(value);
  }
}
