// Errors carry the Prometheus API errorType they map to, so the HTTP layer
// answers with the same status and type as Prometheus 2.x.

export type PromErrorType = 'bad_data' | 'execution' | 'timeout' | 'canceled' | 'internal';

export class PromQLError extends Error {
  constructor(
    readonly type: PromErrorType,
    message: string,
  ) {
    super(message);
    this.name = 'PromQLError';
  }
}

export function badData(message: string): PromQLError {
  return new PromQLError('bad_data', message);
}

export function execution(message: string): PromQLError {
  return new PromQLError('execution', message);
}
