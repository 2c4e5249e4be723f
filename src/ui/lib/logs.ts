// Log records from the lab API, normalized: the API is young, so field
// spellings (traceID/traceId/trace_id) and timestamp units are accepted
// loosely here and nowhere else.

export interface LogRow {
  /** Microseconds since the epoch. */
  time: number;
  service: string;
  severity: string;
  body: string;
  traceID: string;
  spanID: string;
  attributes: [string, string][];
}

function str(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v);
}

/** Epoch time in any of s/ms/µs/ns (number or numeric string) to µs. */
export function toMicros(v: unknown): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) return 0;
  if (n > 1e17) return n / 1000;
  if (n > 1e14) return n;
  if (n > 1e11) return n * 1000;
  return n * 1e6;
}

export function normalizeLog(raw: unknown): LogRow {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const pick = (...keys: string[]): unknown =>
    keys.map((k) => r[k]).find((v) => v !== undefined && v !== null && v !== '');
  const attrsRaw = pick('attributes', 'attrs');
  let attributes: [string, string][] = [];
  if (Array.isArray(attrsRaw)) {
    attributes = attrsRaw.map((a) => {
      const o = (a ?? {}) as Record<string, unknown>;
      return [str(o['key']), str(o['value'])];
    });
  } else if (typeof attrsRaw === 'object' && attrsRaw !== null) {
    attributes = Object.entries(attrsRaw).map(([k, v]) => [k, str(v)]);
  }
  return {
    time: toMicros(pick('timeUnixNano', 'timestamp', 'time', 'observedTimeUnixNano')),
    service: str(pick('serviceName', 'service', 'service.name', 'service_name')) || 'unknown',
    severity: str(pick('severityText', 'severity', 'level')) || str(pick('severityNumber')) || '–',
    body: str(pick('body', 'message', 'msg')),
    traceID: str(pick('traceID', 'traceId', 'trace_id')).toLowerCase(),
    spanID: str(pick('spanID', 'spanId', 'span_id')).toLowerCase(),
    attributes,
  };
}
