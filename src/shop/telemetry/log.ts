// A small logger: one line on stdout for a person, one OTel log record for
// the backend. Records emitted inside a span carry its trace and span ids
// (the logs SDK reads the active context).
import { logs, SeverityNumber } from '@opentelemetry/api-logs';
import type { AttributeValue } from '@opentelemetry/api';

export type LogAttributes = Record<string, AttributeValue>;

export interface Logger {
  info(message: string, attributes?: LogAttributes): void;
  warn(message: string, attributes?: LogAttributes): void;
  error(message: string, attributes?: LogAttributes): void;
}

const LEVELS = {
  info: SeverityNumber.INFO,
  warn: SeverityNumber.WARN,
  error: SeverityNumber.ERROR,
} as const;

/** Keeps stdout lines short whatever the attributes hold. */
function render(attributes: LogAttributes | undefined): string {
  if (!attributes) return '';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(attributes)) {
    let text = Array.isArray(v) ? JSON.stringify(v) : String(v);
    if (text.length > 200) text = `${text.slice(0, 200)}...`;
    parts.push(`${k}=${/[\s"]/.test(text) ? JSON.stringify(text) : text}`);
  }
  return parts.length ? ` ${parts.join(' ')}` : '';
}

export function createLogger(
  scope: string,
  print: (line: string) => void = (l) => console.log(l),
): Logger {
  const otel = logs.getLogger(scope);
  const emit = (level: keyof typeof LEVELS, message: string, attributes?: LogAttributes) => {
    print(
      `${new Date().toISOString()} ${level.toUpperCase()} [${scope}] ${message}${render(attributes)}`,
    );
    otel.emit({
      severityNumber: LEVELS[level],
      severityText: level.toUpperCase(),
      body: message,
      ...(attributes ? { attributes } : {}),
    });
  };
  return {
    info: (m, a) => emit('info', m, a),
    warn: (m, a) => emit('warn', m, a),
    error: (m, a) => emit('error', m, a),
  };
}
