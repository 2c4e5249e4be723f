// Durations in the UI: Jaeger gives microseconds, span metrics give
// milliseconds, the distribution API gives nanoseconds. Each formatter names
// its unit so the three are never mixed up.

export type Micros = number;

/** Human text for a duration in microseconds: `850µs`, `12.3ms`, `4.56s`, `2m 5s`. */
export function formatMicros(us: Micros): string {
  if (!Number.isFinite(us)) return '–';
  const abs = Math.abs(us);
  const sign = us < 0 ? '-' : '';
  if (abs < 1000) return `${sign}${round(abs, abs < 10 ? 2 : abs < 100 ? 1 : 0)}µs`;
  if (abs < 1_000_000)
    return `${sign}${round(abs / 1000, abs < 10_000 ? 2 : abs < 100_000 ? 1 : 0)}ms`;
  if (abs < 60_000_000) return `${sign}${round(abs / 1_000_000, 2)}s`;
  const totalS = Math.round(abs / 1_000_000);
  const m = Math.floor(totalS / 60);
  const s = totalS % 60;
  return `${sign}${m}m ${s}s`;
}

export function formatMillis(ms: number): string {
  return formatMicros(ms * 1000);
}

export function formatNanos(ns: number): string {
  return formatMicros(ns / 1000);
}

function round(x: number, digits: number): string {
  return Number(x.toFixed(digits)).toString();
}

const GO_UNITS: Record<string, number> = {
  ns: 0.001,
  us: 1,
  µs: 1,
  ms: 1000,
  s: 1_000_000,
  m: 60_000_000,
  h: 3_600_000_000,
};

/**
 * Parses a Go duration (`1.5s`, `100ms`, `1m30s`), the syntax Jaeger's
 * minDuration/maxDuration take, into microseconds; null when malformed.
 */
export function parseGoDuration(text: string): Micros | null {
  const s = text.trim();
  if (s === '' || s.length > 64) return null;
  const re = /(\d+(?:\.\d+)?|\.\d+)(ns|us|µs|ms|s|m|h)/y;
  let total = 0;
  let pos = 0;
  while (pos < s.length) {
    re.lastIndex = pos;
    const m = re.exec(s);
    if (!m || m[1] === undefined || m[2] === undefined) return null;
    total += Number(m[1]) * (GO_UNITS[m[2]] ?? NaN);
    pos = re.lastIndex;
  }
  return Number.isFinite(total) ? total : null;
}

/** Relative or absolute time of day for list rows. */
export function formatClock(us: Micros): string {
  const d = new Date(us / 1000);
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** Compact bytes: `512 B`, `1.5 MiB`. */
export function formatBytes(b: number): string {
  if (!Number.isFinite(b)) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = Math.abs(b);
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${b < 0 ? '-' : ''}${round(v, v < 10 && i > 0 ? 1 : 0)} ${units[i]}`;
}
