// The frontend's HTTP server (instrumented by @opentelemetry/instrumentation-http):
// /api/* JSON, /images/products/<picture> SVGs delayed by imageSlowLoad (ms),
// the storefront page and its script. Requests run with the session id as
// W3C baggage (session.id), as upstream's frontend does for downstream calls.
import http from 'node:http';
import { context, propagation, trace } from '@opentelemetry/api';
import type { FlagSource } from '../../flags/openfeature';
import type { Product } from '../../grpc/types';
import type { Logger } from '../../telemetry/log';
import { createApi, type FrontendClients } from './api';
import { productForPicture, productSvg } from './images';
import { CLIENT_JS, PAGE_HTML, PAGE_PATHS } from './page';

export const MAX_BODY_BYTES = 64 * 1024;
export const MAX_IMAGE_DELAY_MS = 10_000;
const PRODUCTS_TTL_MS = 60_000;

export interface FrontendDeps {
  readonly clients: FrontendClients;
  readonly flags: FlagSource;
  readonly log?: Logger;
}

class BodyError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function readBody(req: http.IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyError(413, `request body is larger than ${MAX_BODY_BYTES} bytes`));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('error', reject);
    req.on('end', () => {
      if (size === 0) return resolve(undefined);
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        reject(new BodyError(400, 'request body is not valid JSON'));
      }
    });
  });
}

function send(res: http.ServerResponse, status: number, body: string, type: string): void {
  res.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'x-content-type-options': 'nosniff',
  });
  res.end(body);
}

function sendJson(res: http.ServerResponse, status: number, v: unknown): void {
  if (status === 204) {
    res.writeHead(204);
    res.end();
  } else {
    send(res, status, JSON.stringify(v), 'application/json');
  }
}

export function createFrontendHandler(deps: FrontendDeps) {
  const api = createApi(deps.clients);
  let products: { at: number; list: readonly Product[] } | undefined;
  const catalog = async () => {
    if (!products || Date.now() - products.at > PRODUCTS_TTL_MS) {
      products = { at: Date.now(), list: (await deps.clients.catalog.ListProducts({})).products };
    }
    return products.list;
  };

  const serveImage = async (res: http.ServerResponse, name: string) => {
    const delay = Math.min(
      MAX_IMAGE_DELAY_MS,
      Math.max(0, await deps.flags.number('imageSlowLoad', 0)),
    );
    trace.getActiveSpan()?.setAttribute('app.image.delay_ms', delay);
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    const p = productForPicture(await catalog(), name);
    if (!p) return sendJson(res, 404, { error: `no product picture ${name.slice(0, 100)}` });
    res.setHeader('cache-control', 'no-cache');
    send(res, 200, productSvg(p), 'image/svg+xml');
  };

  return async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    try {
      if (url.pathname.startsWith('/api/')) {
        const body = method === 'POST' || method === 'DELETE' ? await readBody(req) : undefined;
        const session = url.searchParams.get('sessionId') ?? undefined;
        let ctx = context.active();
        if (session && session.length <= 64) {
          trace.getActiveSpan()?.setAttribute('session.id', session);
          const bag = propagation.getBaggage(ctx) ?? propagation.createBaggage();
          ctx = propagation.setBaggage(ctx, bag.setEntry('session.id', { value: session }));
        }
        const out = await context.with(ctx, () =>
          api({ method, path: url.pathname, query: url.searchParams, body }),
        );
        if (out.status >= 500)
          deps.log?.error(`${method} ${url.pathname} failed`, { 'http.status': out.status });
        return sendJson(res, out.status, out.json);
      }
      const img = /^\/images\/products\/([A-Za-z0-9._-]{1,100})$/.exec(url.pathname);
      const route = img
        ? '/images/products/[file]'
        : PAGE_PATHS.test(url.pathname)
          ? url.pathname.replace(/^\/product\/.*/, '/product/[productId]')
          : undefined;
      if (route) {
        trace.getActiveSpan()?.updateName(`${method} ${route}`);
        trace.getActiveSpan()?.setAttribute('http.route', route);
      }
      if (img && method === 'GET') return await serveImage(res, img[1] ?? '');
      if (url.pathname === '/static/shop.js' && method === 'GET') {
        return send(res, 200, CLIENT_JS, 'text/javascript; charset=utf-8');
      }
      if (PAGE_PATHS.test(url.pathname) && method === 'GET') {
        return send(res, 200, PAGE_HTML, 'text/html; charset=utf-8');
      }
      return sendJson(res, 404, { error: `nothing at ${url.pathname.slice(0, 100)}` });
    } catch (err) {
      const status = err instanceof BodyError ? err.status : 500;
      const message = err instanceof Error ? err.message : String(err);
      if (status >= 500) deps.log?.error(`${method} ${url.pathname} failed: ${message}`);
      if (!res.headersSent) sendJson(res, status, { error: message });
      else res.destroy();
    }
  };
}

export interface RunningHttp {
  readonly port: number;
  readonly server: http.Server;
  close(): Promise<void>;
}

export async function startFrontend(
  deps: FrontendDeps,
  port: number,
  host = '127.0.0.1',
): Promise<RunningHttp> {
  const handle = createFrontendHandler(deps);
  const server = http.createServer((req, res) => void handle(req, res));
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const addr = server.address();
  return {
    port: typeof addr === 'object' && addr ? addr.port : port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
