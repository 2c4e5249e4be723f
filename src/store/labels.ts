// Prometheus label rules shared by every store: matcher semantics (a missing
// label equals the empty string; regexes are RE2, fully anchored: see re2/)
// and the canonical key that identifies a series.

import type { Labels } from '../model/telemetry';
import { re2Matcher } from './re2';
import type { Test } from './re2';
import type { LabelMatcher } from './store';

// Callers that predate re2/ import these from here.
export { compileRe2, maxRegexLength, re2Matcher, re2ToJs, Re2SyntaxError } from './re2';

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
