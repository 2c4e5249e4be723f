// Prometheus label rules shared by every store: matcher semantics (a missing
// label equals the empty string; regexes are fully anchored) and the
// canonical key that identifies a series.

import type { Labels } from '../model/telemetry';
import type { LabelMatcher } from './store';

const regexCache = new Map<string, RegExp>();
const REGEX_CACHE_MAX = 1000;

export function anchoredRegex(source: string): RegExp {
  let re = regexCache.get(source);
  if (re === undefined) {
    try {
      re = new RegExp(`^(?:${source})$`, 's');
    } catch (err) {
      throw new Error(
        `invalid regular expression in label matcher: ${JSON.stringify(source)} (${(err as Error).message})`,
        { cause: err },
      );
    }
    if (regexCache.size >= REGEX_CACHE_MAX) regexCache.clear();
    regexCache.set(source, re);
  }
  return re;
}

export function matcherMatches(m: LabelMatcher, value: string): boolean {
  switch (m.op) {
    case '=':
      return value === m.value;
    case '!=':
      return value !== m.value;
    case '=~':
      return anchoredRegex(m.value).test(value);
    case '!~':
      return !anchoredRegex(m.value).test(value);
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
