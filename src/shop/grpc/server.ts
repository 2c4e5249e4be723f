// A gRPC server for one demo service: handlers are plain async functions;
// errors become gRPC statuses and are recorded on the server span the grpc
// instrumentation opened (status ERROR plus an exception event, as upstream).
import * as grpc from '@grpc/grpc-js';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { serviceConstructor } from './proto';
import { createLogger } from '../telemetry/log';
import type { DemoRpcs, Req, Res, ServiceName } from './types';

const log = createLogger('grpc-server');

/** An error carrying the gRPC status code the caller should see. */
export class GrpcError extends Error {
  constructor(
    readonly code: grpc.status,
    message: string,
  ) {
    super(message);
    this.name = 'GrpcError';
  }
}

export type Handlers<S extends ServiceName> = {
  [M in keyof DemoRpcs[S]]: (request: Req<S, M>) => Promise<Res<S, M>>;
};

export interface RunningServer {
  readonly port: number;
  close(): Promise<void>;
}

/** Records `err` on the active span like upstream does for failed calls. */
export function recordError(err: unknown): void {
  const span = trace.getActiveSpan();
  if (!span) return;
  const e = err instanceof Error ? err : new Error(String(err));
  span.recordException(e);
  span.setStatus({ code: SpanStatusCode.ERROR, message: e.message });
}

function toStatus(err: unknown): Partial<grpc.StatusObject> {
  if (err instanceof GrpcError) return { code: err.code, details: err.message };
  const code =
    typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'number'
      ? (err.code as grpc.status)
      : grpc.status.INTERNAL;
  return { code, details: err instanceof Error ? err.message : String(err) };
}

const CLIENT_MISTAKES = new Set<number>([
  grpc.status.INVALID_ARGUMENT,
  grpc.status.NOT_FOUND,
  grpc.status.FAILED_PRECONDITION,
  grpc.status.RESOURCE_EXHAUSTED,
]);

function unary<Q, R>(name: string, fn: (request: Q) => Promise<R>): grpc.handleUnaryCall<Q, R> {
  return (call, callback) => {
    fn(call.request).then(
      (res) => callback(null, res),
      (err: unknown) => {
        recordError(err);
        const status = toStatus(err);
        const code = status.code ?? grpc.status.UNKNOWN;
        // Inside the server span's context: the record carries its trace id.
        (CLIENT_MISTAKES.has(code) ? log.warn : log.error)(`${name} failed: ${status.details}`, {
          'rpc.method': name,
          'rpc.grpc.status_code': code,
        });
        callback(status);
      },
    );
  };
}

export interface ServiceBinding {
  readonly definition: grpc.ServiceDefinition;
  readonly implementation: grpc.UntypedServiceImplementation;
}

/** Binds handlers to the demo service `name`; every method must be present. */
export function bindService<S extends ServiceName>(name: S, handlers: Handlers<S>): ServiceBinding {
  const definition = serviceConstructor(name).service;
  const implementation: grpc.UntypedServiceImplementation = {};
  for (const method of Object.keys(definition)) {
    const fn = (handlers as Record<string, unknown>)[method];
    if (typeof fn !== 'function') throw new Error(`${name}.${method} has no handler`);
    implementation[method] = unary(`${name}/${method}`, fn as (q: unknown) => Promise<unknown>);
  }
  return { definition, implementation };
}

/** Starts a server on 127.0.0.1:`port` (0 picks a free port). */
export async function startGrpcServer(
  bindings: readonly ServiceBinding[],
  port: number,
  host = '127.0.0.1',
): Promise<RunningServer> {
  const server = new grpc.Server();
  for (const b of bindings) server.addService(b.definition, b.implementation);
  const bound = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`${host}:${port}`, grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(new Error(`cannot listen on ${host}:${port}: ${err.message}`)) : resolve(p),
    );
  });
  return {
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        server.tryShutdown(() => resolve());
        // Clients that hold streams open would delay tryShutdown forever.
        setTimeout(() => server.forceShutdown(), 1000).unref();
      }),
  };
}
