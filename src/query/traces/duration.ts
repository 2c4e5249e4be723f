// Go's time.ParseDuration grammar, which Jaeger's query parameters use
// (`minDuration=1.2s`, `query.duration_min=500us`), returning nanoseconds.
//
// Parsed with bigint so `1.000000001s` stays exact; values past Go's int64
// range are refused, as Go refuses them.

const UNIT_NANOS: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1_000n,
  µs: 1_000n, // U+00B5 micro sign
  μs: 1_000n, // U+03BC Greek mu
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

const MAX_INT64 = (1n << 63n) - 1n;
const MAX_INPUT = 64;

export type DurationResult = { ok: true; nanos: bigint } | { ok: false; error: string };

export function parseGoDuration(text: string): DurationResult {
  const fail = (why: string): DurationResult => ({
    ok: false,
    error: `invalid duration "${text.slice(0, MAX_INPUT)}": ${why}`,
  });
  if (text.length === 0) return fail('empty');
  if (text.length > MAX_INPUT) return fail('too long');
  let rest = text;
  let negative = false;
  if (rest[0] === '-' || rest[0] === '+') {
    negative = rest[0] === '-';
    rest = rest.slice(1);
  }
  if (rest === '0') return { ok: true, nanos: 0n };
  if (rest === '') return fail('no number');
  let total = 0n;
  const part = /^(\d*)(?:\.(\d*))?([^\d.]+)/;
  while (rest !== '') {
    const m = part.exec(rest);
    if (m === null) return fail('expected a number followed by a unit (ns, us, ms, s, m, h)');
    const whole = m[1] ?? '';
    const frac = m[2] ?? '';
    const unitText = m[3] ?? '';
    if (whole === '' && frac === '') return fail('no number before the unit');
    const unit = UNIT_NANOS[unitText];
    if (unit === undefined)
      return fail(`unknown unit "${unitText}" (valid: ns, us, µs, ms, s, m, h)`);
    let nanos = BigInt(whole === '' ? '0' : whole) * unit;
    if (frac !== '') {
      const scale = 10n ** BigInt(frac.length);
      nanos += (BigInt(frac) * unit) / scale;
    }
    total += nanos;
    if (total > MAX_INT64) return fail('out of range');
    rest = rest.slice(m[0].length);
  }
  return { ok: true, nanos: negative ? -total : total };
}
