// Typed promise clients for the demo services, with a deadline on every call.
import * as grpc from '@grpc/grpc-js';
import { serviceConstructor } from './proto';
import type { DemoRpcs, Req, Res, ServiceName } from './types';

export type Client<S extends ServiceName> = {
  [M in keyof DemoRpcs[S]]: (request: Req<S, M>) => Promise<Res<S, M>>;
} & { close(): void };

type Callback = (err: grpc.ServiceError | null, res?: unknown) => void;
type UnaryFn = (
  request: unknown,
  metadata: grpc.Metadata,
  options: grpc.CallOptions,
  callback: Callback,
) => grpc.ClientUnaryCall;

/** Default deadline: long enough for a leaking recommendation service. */
export const DEFAULT_DEADLINE_MS = 10_000;

/** A client of service `name` at `address` (`host:port`). */
export function createClient<S extends ServiceName>(
  name: S,
  address: string,
  deadlineMs = DEFAULT_DEADLINE_MS,
): Client<S> {
  const Ctor = serviceConstructor(name);
  const raw = new Ctor(address, grpc.credentials.createInsecure());
  const methods = raw as unknown as Record<string, UnaryFn>;
  const out: Record<string, unknown> = { close: () => raw.close() };
  for (const method of Object.keys(Ctor.service)) {
    const fn = methods[method];
    if (typeof fn !== 'function') throw new Error(`client of ${name} lacks ${method}`);
    out[method] = (request: unknown) =>
      new Promise((resolve, reject) => {
        fn.call(
          raw,
          request,
          new grpc.Metadata(),
          { deadline: Date.now() + deadlineMs },
          (err, res) => (err ? reject(err) : resolve(res)),
        );
      });
  }
  return out as Client<S>;
}
