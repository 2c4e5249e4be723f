// Query parameter parsing shared by the Jaeger and lab APIs. Every parser
// throws ParamError naming the parameter, which the routes turn into a 400.
// Limits and time ranges are bounded here so no request can ask the store
// for an unbounded scan.

import { parseGoDuration, parseLogfmt } from '../query/traces';
import type { TimeRange } from '../store/store';

export class ParamError extends Error {
  constructor(
    readonly param: string,
    message: string,
  ) {
    super(message);
    this.name = 'ParamError';
  }
}

export const MAX_LIMIT = 1500;
export const DEFAULT_LOOKBACK_NS = 3_600_000_000_000n; // 1 hour, as Jaeger's default
export const MAX_RANGE_NS = 7n * 24n * DEFAULT_LOOKBACK_NS; // 7 days
const MAX_VALUE_CHARS = 8192;

export function nowNanos(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}

function bounded(param: string, text: string): string {
  if (text.length > MAX_VALUE_CHARS) {
    throw new ParamError(
      param,
      `parameter '${param}' is longer than ${MAX_VALUE_CHARS} characters`,
    );
  }
  return text;
}

/** An integer count of `unitNanos` since the epoch (Jaeger: microseconds), as nanoseconds. */
export function parseEpoch(param: string, text: string, unitNanos: bigint): bigint {
  if (!/^-?\d{1,19}$/.test(text)) {
    throw new ParamError(
      param,
      `unable to parse param '${param}': expected an integer, got "${bounded(param, text).slice(0, 40)}"`,
    );
  }
  const v = BigInt(text);
  if (v < 0n) throw new ParamError(param, `unable to parse param '${param}': must not be negative`);
  return v * unitNanos;
}

/** A Go duration (`1.2s`, `100ms`, `500us`) in nanoseconds, never negative. */
export function parseDurationParam(param: string, text: string): bigint {
  const r = parseGoDuration(bounded(param, text));
  if (!r.ok) throw new ParamError(param, `unable to parse param '${param}': ${r.error}`);
  if (r.nanos < 0n)
    throw new ParamError(param, `unable to parse param '${param}': must not be negative`);
  return r.nanos;
}

export function parseDurationBounds(
  minParam: string,
  min: string | undefined,
  maxParam: string,
  max: string | undefined,
): { minDuration?: bigint; maxDuration?: bigint } {
  const out: { minDuration?: bigint; maxDuration?: bigint } = {};
  if (min !== undefined && min !== '') out.minDuration = parseDurationParam(minParam, min);
  if (max !== undefined && max !== '') out.maxDuration = parseDurationParam(maxParam, max);
  if (
    out.minDuration !== undefined &&
    out.maxDuration !== undefined &&
    out.maxDuration < out.minDuration
  ) {
    throw new ParamError(maxParam, `'${maxParam}' should be greater than '${minParam}'`);
  }
  return out;
}

/** A positive limit, default when absent, capped at MAX_LIMIT. */
export function parseLimit(param: string, text: string | undefined, fallback: number): number {
  if (text === undefined || text === '') return fallback;
  if (!/^\d{1,10}$/.test(text)) {
    throw new ParamError(
      param,
      `unable to parse param '${param}': expected a non-negative integer, got "${bounded(param, text).slice(0, 40)}"`,
    );
  }
  const n = Number(text);
  if (n === 0) return fallback;
  return Math.min(n, MAX_LIMIT);
}

/**
 * A search window from optional bounds (nanoseconds). Missing end: now;
 * missing start: end minus `lookback` (default 1 hour). A window longer than
 * MAX_RANGE_NS keeps its most recent 7 days: a search never scans more.
 */
export function boundedRange(
  startParam: string,
  start: bigint | undefined,
  end: bigint | undefined,
  lookback: bigint = DEFAULT_LOOKBACK_NS,
  now: bigint = nowNanos(),
): TimeRange {
  const e = end ?? now;
  let s = start ?? e - lookback;
  if (s > e)
    throw new ParamError(startParam, `'${startParam}' must not be after the end of the range`);
  if (e - s > MAX_RANGE_NS) s = e - MAX_RANGE_NS;
  // TimeRange is end-exclusive; a bound given in whole microseconds includes that microsecond.
  return { start: s < 0n ? 0n : s, end: e + 1n };
}

/** Jaeger's `tag=k:v` (repeated) and `tags={"k":"v"}` (JSON map, repeated), merged. */
export function parseJaegerTags(
  tagValues: readonly string[],
  tagsValues: readonly string[],
): Record<string, string> {
  const out = new Map<string, string>();
  for (const tag of tagValues) {
    const i = bounded('tag', tag).indexOf(':');
    if (i <= 0) {
      throw new ParamError(
        'tag',
        `malformed 'tag' parameter, expecting key:value, received: ${tag.slice(0, 80)}`,
      );
    }
    out.set(tag.slice(0, i), tag.slice(i + 1));
  }
  for (const json of tagsValues) {
    for (const [k, v] of parseJsonStringMap('tags', json)) out.set(k, v);
  }
  if (out.size > 64) throw new ParamError('tags', `more than 64 tag filters`);
  return Object.fromEntries(out);
}

/** A JSON object whose values are all strings (Jaeger's `tags`, api/v3's `query.attributes`). */
export function parseJsonStringMap(param: string, text: string): Map<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bounded(param, text));
  } catch (e) {
    throw new ParamError(
      param,
      `malformed '${param}' parameter, cannot unmarshal JSON: ${(e as Error).message}`,
    );
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ParamError(
      param,
      `malformed '${param}' parameter: expected a JSON object of strings`,
    );
  }
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
    if (typeof v !== 'string') {
      throw new ParamError(
        param,
        `malformed '${param}' parameter: the value of "${k.slice(0, 80)}" is not a string`,
      );
    }
    out.set(k, v);
  }
  return out;
}

/** The lab's logfmt tag filter (`app.cache_hit=false`). */
export function parseLogfmtTags(
  param: string,
  text: string | undefined,
): Record<string, string> | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const r = parseLogfmt(text);
  if (!r.ok)
    throw new ParamError(
      param,
      `malformed '${param}' parameter (logfmt, e.g. app.cache_hit=false): ${r.error}`,
    );
  return r.pairs;
}

/** An RFC 3339 timestamp (api/v3's `query.start_time_min`), as nanoseconds, keeping sub-millisecond digits. */
export function parseRfc3339(param: string, text: string): bigint {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/i.exec(
    bounded(param, text),
  );
  const ms = m === null ? Number.NaN : Date.parse(`${m[1]}${m[3]}`);
  if (m === null || Number.isNaN(ms)) {
    throw new ParamError(
      param,
      `malformed parameter ${param}: expected an RFC 3339 time such as 2024-01-02T15:04:05.123Z, got "${text.slice(0, 40)}"`,
    );
  }
  const frac = (m[2] ?? '').padEnd(9, '0');
  return BigInt(ms) * 1_000_000n + BigInt(frac);
}
