// Test helpers: the real handlers as in-process clients, so service tests
// exercise the call graph without sockets.
import type { Client } from '../../grpc/client';
import type { Handlers } from '../../grpc/server';
import type { ServiceName } from '../../grpc/types';

export function asClient<S extends ServiceName>(handlers: Handlers<S>): Client<S> {
  return Object.assign(Object.create(null) as object, handlers, {
    close: () => undefined,
  }) as Client<S>;
}
