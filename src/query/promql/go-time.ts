// Go's time arithmetic for PromQL's date functions (Prometheus 2.42 converts
// a sample with int64(v) and asks time.Unix(sec, 0).UTC()). Reproduced with
// bigint, including Go's uint64 wrap-around for extreme seconds and amd64's
// int64(NaN or out of range) = math.MinInt64, so NaN and huge values give
// the same odd dates Prometheus does.

const secondsPerDay = 86_400n;
const daysPer400Years = 146_097n;
const daysPer100Years = 36_524n;
const daysPer4Years = 1_461n;
const absoluteZeroYear = -292_277_022_399n;
const unixToInternal = 62_135_596_800n;
const internalToAbsolute = 9_223_371_966_579_724_800n;
const two64 = 1n << 64n;
const minInt64 = -(1n << 63n);
const daysBefore = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365];

export interface GoDate {
  readonly year: number;
  /** 1..12 */
  readonly month: number;
  readonly day: number;
  /** 1..366 */
  readonly yearDay: number;
  /** 0 = Sunday */
  readonly weekday: number;
  readonly hour: number;
  readonly minute: number;
}

/** Go's int64(v) on amd64: truncation, and MinInt64 for NaN, ±Inf and out of range. */
export function goInt64(v: number): bigint {
  if (!Number.isFinite(v) || v >= 2 ** 63 || v < -(2 ** 63)) return minInt64;
  return BigInt(Math.trunc(v));
}

function wrapInt64(x: bigint): bigint {
  const m = ((x % two64) + two64) % two64;
  return m >= 1n << 63n ? m - two64 : m;
}

function isLeap(year: bigint): boolean {
  // Go's % truncates, as bigint's does.
  return year % 4n === 0n && (year % 100n !== 0n || year % 400n === 0n);
}

/** time.Unix(sec, 0).UTC() broken down as Go does (absDate). */
export function goDate(sec: bigint): GoDate {
  const abs = ((wrapInt64(sec + unixToInternal + internalToAbsolute) % two64) + two64) % two64;
  let d = abs / secondsPerDay;
  let n = d / daysPer400Years;
  let y = 400n * n;
  d -= daysPer400Years * n;
  n = d / daysPer100Years;
  n -= n >> 2n;
  y += 100n * n;
  d -= daysPer100Years * n;
  n = d / daysPer4Years;
  y += 4n * n;
  d -= daysPer4Years * n;
  n = d / 365n;
  n -= n >> 2n;
  y += n;
  d -= 365n * n;
  const year = wrapInt64(y) + absoluteZeroYear;
  const yday = Number(d);
  let day = yday;
  let month: number;
  if (isLeap(year) && day === 31 + 29 - 1) {
    month = 2;
    day = 29;
  } else {
    if (isLeap(year) && day > 31 + 29 - 1) day--;
    month = Math.floor(day / 31);
    const end = daysBefore[month + 1] ?? 365;
    let begin: number;
    if (day >= end) {
      month++;
      begin = end;
    } else {
      begin = daysBefore[month] ?? 0;
    }
    month++;
    day = day - begin + 1;
  }
  const secOfDay = Number(abs % secondsPerDay);
  const weekday = Number(((abs + secondsPerDay) % (7n * secondsPerDay)) / secondsPerDay);
  return {
    year: Number(year),
    month,
    day,
    yearDay: yday + 1,
    weekday,
    hour: Math.floor(secOfDay / 3600),
    minute: Math.floor((secOfDay % 3600) / 60),
  };
}

/** days_in_month: the month's length in that (proleptic Gregorian) year. */
export function goDaysInMonth(d: GoDate): number {
  const lengths = [31, isLeap(BigInt(d.year)) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return lengths[d.month - 1] ?? 31;
}
