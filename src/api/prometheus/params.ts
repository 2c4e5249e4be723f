// Request parameters as Prometheus 2.x's web/api/v1 parses them: times as
// RFC3339 or unix seconds, durations as Prometheus durations or float
// seconds, and `match[]` series selectors.

import type { LabelMatcher } from '../../store/store';
import { badData, PromQLError } from '../../query/promql/errors';
import { parseDuration as parsePromDuration } from '../../query/promql/lexical';
import { parseExpr } from '../../query/promql/parse';
import { re2Matcher } from '../../store/labels';

/** Prometheus's minTime/maxTime stand-ins: the widest range the store accepts. */
export const minTime = -8_640_000_000_000_000;
export const maxTime = 8_640_000_000_000_000;

const floatPattern = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const goSpecialFloat = /^[+-]?(inf|infinity|nan)$/i;
const rfc3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

function parseTimeValue(value: string): number | undefined {
  if (floatPattern.test(value) || goSpecialFloat.test(value)) {
    const seconds = Number(value.replace(/inf(inity)?/i, 'Infinity').replace(/nan/i, 'NaN'));
    const whole = Math.trunc(seconds);
    const ms = whole * 1000 + Math.round((seconds - whole) * 1000);
    // Go converts out-of-range floats to the smallest int64: a time before any data.
    if (!Number.isFinite(ms) || ms < minTime || ms > maxTime) return minTime;
    return ms;
  }
  if (rfc3339.test(value)) {
    const ms = Date.parse(value);
    if (!Number.isNaN(ms)) return ms;
  }
  return undefined;
}

/** Milliseconds, or a bad_data error naming the parameter (query_range's start and end). */
export function parseTime(value: string, param: string): number {
  const ms = parseTimeValue(value);
  if (ms === undefined) {
    throw badData(`invalid parameter "${param}": cannot parse "${value}" to a valid timestamp`);
  }
  return ms;
}

/** An optional time parameter (Prometheus's parseTimeParam, with its extra wording). */
export function parseTimeOr(value: string | undefined, param: string, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const ms = parseTimeValue(value);
  if (ms === undefined) {
    throw badData(
      `invalid parameter "${param}": Invalid time value for '${param}': cannot parse "${value}" to a valid timestamp`,
    );
  }
  return ms;
}

/** Milliseconds. */
export function parseDurationParam(value: string, param: string): number {
  if (floatPattern.test(value)) {
    const ms = Number(value) * 1000;
    if (!Number.isFinite(ms) || Math.abs(ms) > 9.2e15) {
      throw badData(
        `invalid parameter "${param}": cannot parse "${value}" to a valid duration. It overflows int64`,
      );
    }
    return ms;
  }
  const d = parsePromDuration(value);
  if (d === undefined)
    throw badData(`invalid parameter "${param}": cannot parse "${value}" to a valid duration`);
  return d;
}

const maxMatchSets = 256;

/** Each `match[]` as a matcher list; Prometheus's checks and wording. */
export function parseMatchSets(
  values: readonly string[],
  param = 'match[]',
  wrap = false,
): LabelMatcher[][] {
  const sets: LabelMatcher[][] = [];
  if (values.length > maxMatchSets)
    throw badData(`at most ${maxMatchSets} match[] parameters are accepted`);
  for (const text of values) {
    let matchers: readonly LabelMatcher[];
    try {
      const expr = parseExpr(text);
      if (expr.kind !== 'vector' || expr.offset !== 0 || expr.at !== undefined) {
        throw badData(
          `1:1: parse error: unexpected ${expr.kind === 'matrix' ? 'range selector' : 'expression'} in series selector`,
        );
      }
      matchers = expr.matchers;
    } catch (err) {
      // Prometheus's ParseMetricSelector skips the parser's emptiness check; the API makes its own below.
      const empty =
        err instanceof PromQLError &&
        err.message.endsWith('vector selector must contain at least one non-empty matcher');
      const message = empty
        ? 'match[] must contain at least one non-empty matcher'
        : err instanceof Error
          ? err.message
          : String(err);
      if (wrap) throw badData(`invalid parameter "${param}": ${message}`);
      throw badData(message);
    }
    const nonEmpty = matchers.some((m) => {
      if (m.op === '=') return m.value !== '';
      if (m.op === '!=') return m.value === '';
      const matches = re2Matcher(m.value);
      return m.op === '=~' ? !matches('') : matches('');
    });
    if (!nonEmpty)
      throw badData(
        `${wrap ? `invalid parameter "${param}": ` : ''}match[] must contain at least one non-empty matcher`,
      );
    sets.push([...matchers]);
  }
  return sets;
}
