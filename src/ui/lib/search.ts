// The trace search as it lives in the URL: reading it, checking it before a
// request is sent (each problem named by its field), sorting summaries for
// backends that cannot, and the scatter plot's brushed region.
import { parseGoDuration } from './duration';
import type { TraceSummary } from './jaeger';
import { parseLogfmt } from './logfmt';

export const SORTS: Record<string, string> = {
  recent: 'Most recent',
  longest: 'Longest first',
  shortest: 'Shortest first',
  'most-spans': 'Most spans',
};

/** The lab API caps a search at this many traces. */
export const MAX_LIMIT = 1500;
export const DEFAULT_LIMIT = '100';

export interface SearchQuery {
  service: string;
  operation: string;
  tags: string;
  minDuration: string;
  maxDuration: string;
  limit: string;
  sort: string;
}

export function queryFrom(params: URLSearchParams, prefix = ''): SearchQuery {
  const g = (k: string, d = ''): string => params.get(prefix + k) ?? d;
  return {
    service: g('service'),
    operation: g('operation'),
    tags: g('tags'),
    minDuration: g('minDuration'),
    maxDuration: g('maxDuration'),
    limit: g('limit', DEFAULT_LIMIT),
    sort: g('sort', 'recent'),
  };
}

export function validateQuery(q: SearchQuery): string | null {
  const tags = parseLogfmt(q.tags);
  if (!tags.ok) return `Tags: ${tags.error}`;
  const min = q.minDuration ? parseGoDuration(q.minDuration) : 0;
  const max = q.maxDuration ? parseGoDuration(q.maxDuration) : Infinity;
  if (min === null) return `Min duration "${q.minDuration}" is not a duration like 100ms or 1.5s`;
  if (max === null) return `Max duration "${q.maxDuration}" is not a duration like 100ms or 1.5s`;
  if (min > max) return `Min duration ${q.minDuration} is above max duration ${q.maxDuration}`;
  const limit = Number(q.limit);
  if (!/^\d+$/.test(q.limit) || limit < 1 || limit > MAX_LIMIT) {
    return `Limit must be a whole number from 1 to ${MAX_LIMIT}`;
  }
  if (!SORTS[q.sort]) return `Sort must be one of ${Object.keys(SORTS).join(', ')}`;
  return null;
}

const ORDER: Record<string, (a: TraceSummary, b: TraceSummary) => number> = {
  recent: (a, b) => b.startTime - a.startTime,
  longest: (a, b) => b.duration - a.duration,
  shortest: (a, b) => a.duration - b.duration,
  'most-spans': (a, b) => b.spanCount - a.spanCount,
};

export function sortSummaries(list: TraceSummary[], sort: string): TraceSummary[] {
  return [...list].sort(ORDER[sort] ?? ORDER['recent']);
}

/** A region of the scatter plot: start time and duration ranges, in µs. */
export interface Brush {
  t0: number;
  t1: number;
  d0: number;
  d1: number;
}

export function formatBrush(b: Brush): string {
  return `${Math.round(b.t0)},${Math.round(b.t1)},${Math.round(b.d0)},${Math.round(b.d1)}`;
}

export function parseBrush(s: string | null): Brush | null {
  if (!s) return null;
  const parts = s.split(',');
  if (parts.length !== 4 || parts.some((p) => !/^-?\d+(\.\d+)?$/.test(p))) return null;
  const [t0, t1, d0, d1] = parts.map(Number) as [number, number, number, number];
  if (t1 < t0 || d1 < d0) return null;
  return { t0, t1, d0, d1 };
}

export function inBrush(t: TraceSummary, b: Brush | null): boolean {
  return (
    !b || (t.startTime >= b.t0 && t.startTime <= b.t1 && t.duration >= b.d0 && t.duration <= b.d1)
  );
}
