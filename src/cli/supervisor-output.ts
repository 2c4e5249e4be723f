// Which child output `otel-lab start` shows. The services log every request
// at INFO (~150 lines a minute under load), which buries the lines a person
// running the lab needs: crashes, OOMs, restarts. By default a line is shown
// unless it is on stdout and says it is TRACE, DEBUG or INFO; anything on
// stderr (crash stacks, V8's OOM report, Node warnings) and anything whose
// level cannot be told is shown. `--verbose` shows everything.

export type OutputStream = 'stdout' | 'stderr';
export type LineLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

const QUIET: ReadonlySet<LineLevel> = new Set(['trace', 'debug', 'info']);

const WORDS: Readonly<Record<string, LineLevel>> = {
  trace: 'trace',
  debug: 'debug',
  info: 'info',
  notice: 'info',
  warn: 'warn',
  warning: 'warn',
  error: 'error',
  err: 'error',
  fatal: 'fatal',
  critical: 'fatal',
  panic: 'fatal',
};

// A level is looked for in a line's head only: message text can say anything.
const HEAD = 200;
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;
// Our shop logger (src/shop/telemetry/log.ts): `<ISO time> LEVEL [scope] message`.
const TIMESTAMPED = /^\d{4}-\d\d-\d\dT[\d:.]+(?:Z|[+-]\d\d:?\d\d)?\s+\[?([A-Za-z]{3,8})\]?[\s:]/;
// Plain loggers: `INFO message`, `[warn] message`, `error: message`.
const LEADING = /^\[?([A-Za-z]{3,8})\]?(?::\s|\s)/;
const MAX_JSON = 64 * 1024;

function word(w: string | undefined): LineLevel | undefined {
  return w === undefined ? undefined : WORDS[w.toLowerCase()];
}

/** pino/bunyan numeric levels. */
function numeric(n: number): LineLevel | undefined {
  if (!Number.isFinite(n)) return undefined;
  if (n >= 60) return 'fatal';
  if (n >= 50) return 'error';
  if (n >= 40) return 'warn';
  if (n >= 30) return 'info';
  if (n >= 20) return 'debug';
  return 'trace';
}

function jsonLevel(line: string): LineLevel | undefined {
  if (line.length > MAX_JSON || !line.endsWith('}')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const record = parsed as Record<string, unknown>;
  for (const key of ['level', 'severity', 'severityText', 'levelname', 'lvl']) {
    const v = record[key];
    if (typeof v === 'string') return word(v);
    if (typeof v === 'number') return numeric(v);
  }
  return undefined;
}

/** The level a line of output states, if it states one in a known shape. */
export function lineLevel(raw: string): LineLevel | undefined {
  const line = raw.replace(ANSI, '').trimStart();
  if (line.startsWith('{')) return jsonLevel(line);
  const head = line.slice(0, HEAD);
  return word(TIMESTAMPED.exec(head)?.[1]) ?? word(LEADING.exec(head)?.[1]);
}

/**
 * A filter for one child's output, default or verbose. Indented lines and
 * blank lines follow the line before them on the same stream, so a
 * multi-line INFO record stays hidden and a multi-line error stays whole.
 */
export function outputFilter(verbose: boolean): (line: string, stream: OutputStream) => boolean {
  if (verbose) return () => true;
  let lastStdoutShown = true;
  return (line, stream) => {
    if (stream === 'stderr') return true;
    if (line.trim() === '' || /^\s/.test(line)) return lastStdoutShown;
    const level = lineLevel(line);
    lastStdoutShown = level === undefined || !QUIET.has(level);
    return lastStdoutShown;
  };
}
