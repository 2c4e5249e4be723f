// Jaeger's legacy JSON model (jaeger `model/json`, what `/api/traces` returns
// and what Grafana's Jaeger data source and the Jaeger UI read).
// Times are microseconds since the epoch; durations microseconds.

export type JaegerValueType = 'string' | 'bool' | 'int64' | 'float64' | 'binary';

export interface JaegerKeyValue {
  readonly key: string;
  readonly type: JaegerValueType;
  readonly value: string | boolean | number;
}

export type JaegerRefType = 'CHILD_OF' | 'FOLLOWS_FROM';

export interface JaegerReference {
  readonly refType: JaegerRefType;
  readonly traceID: string;
  readonly spanID: string;
}

export interface JaegerLog {
  readonly timestamp: number;
  readonly fields: JaegerKeyValue[];
}

export interface JaegerSpan {
  readonly traceID: string;
  readonly spanID: string;
  /** Present only when non-zero, as Jaeger's `omitempty` does. */
  readonly flags?: number;
  readonly operationName: string;
  readonly references: JaegerReference[];
  readonly startTime: number;
  readonly duration: number;
  readonly tags: JaegerKeyValue[];
  readonly logs: JaegerLog[];
  readonly processID: string;
  readonly warnings: string[] | null;
}

export interface JaegerProcess {
  readonly serviceName: string;
  readonly tags: JaegerKeyValue[];
}

export interface JaegerTrace {
  readonly traceID: string;
  readonly spans: JaegerSpan[];
  readonly processes: Record<string, JaegerProcess>;
  readonly warnings: string[] | null;
}

export interface JaegerOperation {
  readonly name: string;
  readonly spanKind: string;
}

export interface JaegerDependencyLink {
  readonly parent: string;
  readonly child: string;
  readonly callCount: number;
}

export interface JaegerError {
  readonly code?: number;
  readonly msg: string;
  readonly traceID?: string;
}

/** Every legacy response has this envelope. */
export interface JaegerResponse<T> {
  readonly data: T;
  readonly total: number;
  readonly limit: number;
  readonly offset: number;
  readonly errors: JaegerError[] | null;
}
