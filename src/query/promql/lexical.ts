// Prometheus's lexical conventions: durations, string literals, numbers and
// the float text of its JSON API.

const durationPattern =
  /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const unitMs = [365 * 24 * 3600_000, 7 * 24 * 3600_000, 24 * 3600_000, 3600_000, 60_000, 1000, 1];

/** A Prometheus duration (`1h30m`, `5m`, `250ms`) in milliseconds, or undefined if malformed. */
export function parseDuration(text: string): number | undefined {
  if (text === '0') return 0;
  if (text === '') return undefined;
  const m = durationPattern.exec(text);
  if (!m) return undefined;
  let total = 0;
  for (let i = 0; i < unitMs.length; i++) {
    const part = m[i + 1];
    if (part !== undefined) total += Number(part) * (unitMs[i] ?? 0);
  }
  return Number.isSafeInteger(total) ? total : undefined;
}

/** Formats milliseconds the way Prometheus prints durations (`1h30m`, `0s`). */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = ms;
  let out = '';
  const units: [string, number][] = [
    ['y', unitMs[0] ?? 0],
    ['w', unitMs[1] ?? 0],
    ['d', unitMs[2] ?? 0],
    ['h', 3600_000],
    ['m', 60_000],
    ['s', 1000],
    ['ms', 1],
  ];
  for (const [name, size] of units) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${name}`;
      rest -= n * size;
    }
  }
  return out;
}

const simpleEscapes: Readonly<Record<string, string>> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
};

/** Go's strconv.Unquote for "...", '...' and `...`; undefined if malformed. */
export function unquote(text: string): string | undefined {
  if (text.length < 2) return undefined;
  const quote = text[0];
  if (quote !== text[text.length - 1]) return undefined;
  const body = text.slice(1, -1);
  if (quote === '`') return body.includes('`') ? undefined : body;
  if (quote !== '"' && quote !== "'") return undefined;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (c === quote || c === '\n') return undefined;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[++i];
    if (e === undefined) return undefined;
    const simple = simpleEscapes[e];
    if (simple !== undefined) {
      out += simple;
    } else if (e === quote) {
      out += e;
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const len = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = body.slice(i + 1, i + 1 + len);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) return undefined;
      const code = parseInt(hex, 16);
      if (code > 0x10ffff) return undefined;
      out += String.fromCodePoint(code);
      i += len;
    } else if (e >= '0' && e <= '7') {
      const oct = body.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(oct)) return undefined;
      const code = parseInt(oct, 8);
      if (code > 255) return undefined;
      out += String.fromCharCode(code);
      i += 2;
    } else {
      return undefined;
    }
  }
  return out;
}

/** A PromQL number literal (decimal, hex, octal, Inf, NaN, with sign). */
export function parseNumber(text: string): number | undefined {
  const t = text.replace(/\s+/g, '');
  let sign = 1;
  let body = t;
  if (body.startsWith('-') || body.startsWith('+')) {
    sign = body.startsWith('-') ? -1 : 1;
    body = body.slice(1);
  }
  const lower = body.toLowerCase();
  if (lower === 'inf' || lower === 'infinity') return sign * Infinity;
  if (lower === 'nan') return NaN;
  if (/^0x[0-9a-f]+$/.test(lower)) return sign * parseInt(lower.slice(2), 16);
  if (/^0[0-7]+$/.test(lower)) return sign * parseInt(lower.slice(1), 8);
  if (/^(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(lower)) return sign * Number(lower);
  return undefined;
}

/** Prometheus's JSON text for a sample value (util/jsonutil MarshalValue). */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  const abs = Math.abs(v);
  if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) {
    // Go's 'e' format pads the exponent to two digits.
    return v.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  }
  if (Object.is(v, -0)) return '-0';
  return String(v);
}

/** Go's strconv.FormatFloat(v, 'f', -1, 64), as count_values and label values use. */
export function formatFloatPlain(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (Object.is(v, -0)) return '-0';
  const s = String(v);
  if (!s.includes('e')) return s;
  const [mantissa = '', expText = '0'] = s.split('e');
  const exp = Number(expText);
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  const pointAt =
    (mantissa.replace('-', '').indexOf('.') === -1
      ? mantissa.replace('-', '').length
      : mantissa.replace('-', '').indexOf('.')) + exp;
  let out: string;
  if (pointAt <= 0) out = '0.' + '0'.repeat(-pointAt) + digits;
  else if (pointAt >= digits.length) out = digits + '0'.repeat(pointAt - digits.length);
  else out = digits.slice(0, pointAt) + '.' + digits.slice(pointAt);
  return (negative ? '-' : '') + out;
}

/** Timestamp text of the JSON API: seconds with up to 3 decimals (util/jsonutil MarshalTimestamp). */
export function formatTimestamp(ms: number): number {
  return ms / 1000;
}

/** Go's %v for a float64 (strconv 'g', shortest): `1e+20`, `1.5`, `+Inf`. */
export function formatGoV(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const [mantissa = '', expText = '0'] = v.toExponential().split('e');
  const exp = Number(expText);
  // Shortest 'g' switches to an exponent outside [1e-4, 1e6).
  if (exp >= -4 && exp < 6) return String(v);
  const sign = exp < 0 ? '-' : '+';
  return `${mantissa}e${sign}${String(Math.abs(exp)).padStart(2, '0')}`;
}
