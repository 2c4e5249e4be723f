// The time range of a page, as it lives in the URL: either a relative
// `range=15m` (re-evaluated at every refresh) or absolute `from`/`to` in
// epoch milliseconds for a custom window.

export const RANGES: Record<string, number> = {
  '5m': 300,
  '15m': 900,
  '1h': 3600,
  '6h': 21600,
  '24h': 86400,
};

export interface ResolvedRange {
  /** Seconds since the epoch. */
  start: number;
  end: number;
  label: string;
}

export type RangeResult = { ok: true; range: ResolvedRange } | { ok: false; error: string };

export function resolveRange(
  params: URLSearchParams,
  nowMs: number,
  fallback = '15m',
): RangeResult {
  const from = params.get('from');
  const to = params.get('to');
  if (from !== null || to !== null) {
    const a = Number(from);
    const b = to === null || to === '' ? nowMs : Number(to);
    if (!Number.isFinite(a) || from === '' || !Number.isFinite(b)) {
      return { ok: false, error: 'custom time range: "from" and "to" must be dates' };
    }
    if (b <= a) return { ok: false, error: 'custom time range: "to" must be after "from"' };
    return { ok: true, range: { start: a / 1000, end: b / 1000, label: 'custom' } };
  }
  const key = params.get('range') ?? fallback;
  const seconds = RANGES[key];
  if (seconds === undefined) {
    return {
      ok: false,
      error: `unknown time range "${key}": use one of ${Object.keys(RANGES).join(', ')}`,
    };
  }
  return { ok: true, range: { start: nowMs / 1000 - seconds, end: nowMs / 1000, label: key } };
}

/** `yyyy-MM-ddTHH:mm` in local time, for datetime-local inputs. */
export function toLocalInput(ms: number): string {
  const d = new Date(ms);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}
