// OTel -> Prometheus naming, by the OpenTelemetry "Prometheus and OpenMetrics
// Compatibility" rules as the collector's prometheus/prometheusremotewrite
// exporters apply them with `add_metric_suffixes: true`. Pure functions.

/** What the naming rules need to know about a metric's kind. */
export type NameKind = 'counter' | 'gauge' | 'histogram' | 'summary' | 'other';

// UCUM units the exporters spell out; anything else is kept, sanitized.
const UNIT_WORDS: Readonly<Record<string, string>> = {
  d: 'days',
  h: 'hours',
  min: 'minutes',
  s: 'seconds',
  ms: 'milliseconds',
  us: 'microseconds',
  ns: 'nanoseconds',
  By: 'bytes',
  KiBy: 'kibibytes',
  MiBy: 'mebibytes',
  GiBy: 'gibibytes',
  TiBy: 'tibibytes',
  KBy: 'kilobytes',
  MBy: 'megabytes',
  GBy: 'gigabytes',
  TBy: 'terabytes',
  m: 'meters',
  V: 'volts',
  A: 'amperes',
  J: 'joules',
  W: 'watts',
  g: 'grams',
  Cel: 'celsius',
  Hz: 'hertz',
  '1': '',
  '%': 'percent',
};

const PER_UNIT_WORDS: Readonly<Record<string, string>> = {
  s: 'second',
  m: 'minute',
  h: 'hour',
  d: 'day',
  w: 'week',
  mo: 'month',
  y: 'year',
};

const NOT_NAME_CHAR = /[^a-zA-Z0-9:]+/;
const NOT_UNIT_CHAR = /[^a-zA-Z0-9:]+/g;
const NOT_LABEL_CHAR = /[^a-zA-Z0-9_]/g;

function cleanUnit(word: string): string {
  return word.replace(NOT_UNIT_CHAR, '_').replace(/^_+|_+$/g, '');
}

/**
 * The unit words of a Prometheus name (`ms` -> milliseconds, `By/s` -> bytes
 * per second). A part holding a `{...}` annotation is dropped whole, and `1`
 * has no word (gauges get `_ratio` instead), as in Prometheus' otlptranslator.
 */
export function unitWords(unit: string): { main: string; per: string } {
  const slash = unit.indexOf('/');
  const mainText = (slash < 0 ? unit : unit.slice(0, slash)).trim();
  const perText = slash < 0 ? '' : unit.slice(slash + 1).trim();
  const usable = (t: string): boolean => t !== '' && !/[{}]/.test(t);
  return {
    main: usable(mainText) ? cleanUnit(UNIT_WORDS[mainText] ?? mainText) : '',
    per: usable(perText) ? cleanUnit(PER_UNIT_WORDS[perText] ?? perText) : '',
  };
}

/**
 * The Prometheus metric name (without `_bucket`/`_sum`/`_count`): invalid
 * characters split the name into words joined by `_`; the unit word is
 * appended unless already a word of the name, then `per_<unit>`; counters end
 * in `_total`, gauges of unit `1` in `_ratio`.
 */
export function metricName(name: string, unit: string, kind: NameKind, addSuffixes = true): string {
  let words = name.split(NOT_NAME_CHAR).filter((w) => w !== '');
  if (addSuffixes) {
    const { main, per } = unitWords(unit);
    if (main !== '' && !words.includes(main)) words.push(main);
    // The per part is checked as `per_<unit>`, which no single word can equal:
    // upstream appends it always, and so do we.
    if (per !== '') words.push('per', per);
    if (kind === 'counter') words = [...words.filter((w) => w !== 'total'), 'total'];
    if (unit === '1' && kind === 'gauge') words = [...words.filter((w) => w !== 'ratio'), 'ratio'];
  }
  let out = words.join('_');
  if (out === '') out = '_';
  if (/^[0-9]/.test(out)) out = '_' + out;
  return out;
}

/** A Prometheus label name from an attribute key (`service.name` -> `service_name`). */
export function labelName(key: string): string {
  if (key === '') return '';
  let out = key.replace(NOT_LABEL_CHAR, '_');
  if (/^[0-9]/.test(out)) out = 'key_' + out;
  else if (out.startsWith('_') && !out.startsWith('__')) out = 'key' + out;
  return out;
}

/** The Prometheus unit word for metadata (`ms` -> `milliseconds`, `{call}` -> ``, `1` on a gauge -> `ratio`). */
export function metadataUnit(unit: string, kind: NameKind): string {
  if (unit === '1' && kind === 'gauge') return 'ratio';
  const { main, per } = unitWords(unit);
  if (per === '') return main;
  return main === '' ? `per_${per}` : `${main}_per_${per}`;
}

/**
 * A float as Prometheus writes `le` and `quantile` label values (Go's
 * FormatFloat 'f', -1): shortest round-trip digits, never an exponent.
 */
export function formatFloat(v: number): string {
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (Number.isNaN(v)) return 'NaN';
  const s = String(v);
  if (!s.includes('e')) return s;
  const [mantissa = '', expText = '0'] = s.split('e');
  const negative = mantissa.startsWith('-');
  const unsigned = negative ? mantissa.slice(1) : mantissa;
  const dot = unsigned.indexOf('.');
  const digits = unsigned.replace('.', '');
  const newPoint = (dot < 0 ? unsigned.length : dot) + Number(expText);
  let body: string;
  if (newPoint <= 0) body = '0.' + '0'.repeat(-newPoint) + digits;
  else if (newPoint >= digits.length) body = digits + '0'.repeat(newPoint - digits.length);
  else body = digits.slice(0, newPoint) + '.' + digits.slice(newPoint);
  return (negative ? '-' : '') + body;
}
