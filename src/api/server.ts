// Listens with the app of app.ts on 127.0.0.1:8080 by default.

import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { createApiApp } from './app';
import type { ApiDeps } from './app';

export interface ApiServerOptions extends ApiDeps {
  readonly host?: string;
  /** 0 picks a free port (tests). */
  readonly port?: number;
}

export interface ApiServer {
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

export function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const { host = '127.0.0.1', port = 8080, ...deps } = options;
  const app = createApiApp(deps);
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: host, port }, (info: AddressInfo) => {
      server.off('error', reject);
      const shownHost = host.includes(':') ? `[${host}]` : host;
      resolve({
        port: info.port,
        url: `http://${shownHost}:${info.port}`,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((err) => (err ? fail(err) : done()));
            // Keep-alive sockets would hold close() open; nothing here streams.
            if ('closeAllConnections' in server) server.closeAllConnections();
          }),
      });
    });
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(
        err.code === 'EADDRINUSE'
          ? new Error(
              `port ${port} on ${host} is already in use: stop what holds it or pass another port`,
            )
          : err,
      );
    });
  });
}
