// Jaeger's legacy JSON shapes (what /jaeger/api/traces answers) and the
// lab's trace summaries. Only the fields the UI reads are declared.

export type TagValue = string | number | boolean;

export interface JaegerTag {
  key: string;
  type?: string;
  value: TagValue;
}

export interface JaegerLog {
  timestamp: number;
  fields: JaegerTag[];
}

export interface JaegerReference {
  refType: 'CHILD_OF' | 'FOLLOWS_FROM' | string;
  traceID: string;
  spanID: string;
}

export interface JaegerSpan {
  traceID: string;
  spanID: string;
  operationName: string;
  references?: JaegerReference[];
  startTime: number;
  duration: number;
  tags?: JaegerTag[];
  logs?: JaegerLog[];
  processID: string;
  warnings?: string[] | null;
}

export interface JaegerProcess {
  serviceName: string;
  tags?: JaegerTag[];
}

export interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<string, JaegerProcess>;
  warnings?: string[] | null;
}

export interface TraceSummary {
  traceID: string;
  rootService: string;
  rootOperation: string;
  startTime: number;
  duration: number;
  spanCount: number;
  errorCount: number;
  services: Record<string, number>;
}

export function isErrorSpan(span: JaegerSpan): boolean {
  for (const t of span.tags ?? []) {
    if (t.key === 'error' && (t.value === true || t.value === 'true')) return true;
    if (t.key === 'otel.status_code' && t.value === 'ERROR') return true;
  }
  return false;
}

export function tagValue(tags: JaegerTag[] | undefined, key: string): TagValue | undefined {
  return tags?.find((t) => t.key === key)?.value;
}

/** Summary of a full trace, for backends that only speak Jaeger's API. */
export function summarizeTrace(trace: JaegerTrace): TraceSummary {
  const ids = new Set(trace.spans.map((s) => s.spanID));
  let root: JaegerSpan | undefined;
  let start = Infinity;
  let end = -Infinity;
  let errors = 0;
  const services: Record<string, number> = {};
  for (const s of trace.spans) {
    start = Math.min(start, s.startTime);
    end = Math.max(end, s.startTime + s.duration);
    if (isErrorSpan(s)) errors++;
    const svc = trace.processes[s.processID]?.serviceName ?? 'unknown';
    services[svc] = (services[svc] ?? 0) + 1;
    const hasParent = (s.references ?? []).some((r) => ids.has(r.spanID));
    if (!hasParent && (!root || s.startTime < root.startTime)) root = s;
  }
  return {
    traceID: trace.traceID,
    rootService: root ? (trace.processes[root.processID]?.serviceName ?? 'unknown') : 'unknown',
    rootOperation: root?.operationName ?? '(no spans)',
    startTime: Number.isFinite(start) ? start : 0,
    duration: Number.isFinite(end) ? end - start : 0,
    spanCount: trace.spans.length,
    errorCount: errors,
    services,
  };
}
