// Grafana-style dashboard variables in PromQL templates. `$__rate_interval`
// follows Grafana's rule, max(step + scrape interval, 4 × scrape interval), so
// a rate() window always holds at least four samples.

export interface TemplateVars {
  service: string;
  /** Query step in seconds. */
  stepSeconds: number;
  /** How often the backend receives points for a series, in seconds. */
  scrapeSeconds: number;
}

export function rateIntervalSeconds(stepSeconds: number, scrapeSeconds: number): number {
  return Math.max(stepSeconds + scrapeSeconds, 4 * scrapeSeconds);
}

/** Escapes text for a double-quoted PromQL string literal. */
export function promqlString(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

export function substitute(template: string, vars: TemplateVars): string {
  const rate = `${rateIntervalSeconds(vars.stepSeconds, vars.scrapeSeconds)}s`;
  const interval = `${vars.stepSeconds}s`;
  // Longest names first so `$__rate_interval` is not read as `$__interval`'s prefix.
  return template
    .replace(/\$__rate_interval\b|\$\{__rate_interval\}/g, rate)
    .replace(/\$__interval\b|\$\{__interval\}/g, interval)
    .replace(/\$service\b|\$\{service\}/g, promqlString(vars.service));
}

/**
 * A step that gives about `points` points over the range, rounded to a
 * friendly value and never under `minStep`, so charts stay fast for any range.
 */
export function chooseStep(rangeSeconds: number, points = 240, minStep = 5): number {
  const raw = Math.max(minStep, rangeSeconds / points);
  const nice = [5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400];
  for (const n of nice) if (n >= raw) return n;
  return Math.ceil(raw / 86400) * 86400;
}

/** Legend text from series labels: `{{span_name}}` templates, else the label set. */
export function legendFor(labels: Record<string, string>, format?: string): string {
  if (format)
    return format.replace(
      /\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g,
      (_, name: string) => labels[name] ?? '',
    );
  const entries = Object.entries(labels).filter(([k]) => k !== '__name__');
  if (entries.length === 0) return labels['__name__'] ?? 'value';
  return '{' + entries.map(([k, v]) => `${k}="${v}"`).join(', ') + '}';
}
