// OTLP/HTTP receiver (default 127.0.0.1:4318): POST /v1/traces|metrics|logs,
// protobuf or JSON, optionally gzip; the answer in the request's encoding.

import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeRequest } from '../otlp/decode';
import type { Encoding, Signal } from '../otlp/decode';
import { DecodeError } from '../otlp/errors';
import { resolveLimits } from '../otlp/limits';
import type { OtlpLimits } from '../otlp/limits';
import { exportResponse, statusBody } from '../otlp/response';
import type { IngestPipeline } from '../pipeline';
import { BackpressureError, WRITE_FAILED_RETRY_SECONDS, WriteFailedError } from '../write-queue';
import { HttpError, readBody } from './body';

export interface OtlpHttpOptions {
  readonly host?: string;
  readonly port?: number;
  readonly pipeline: Pick<IngestPipeline, 'ingest' | 'recordRequest' | 'recordRejected'>;
  readonly limits?: Partial<OtlpLimits>;
  /** Origins allowed to send from a browser (exact match, or '*'). Default none. */
  readonly corsOrigins?: readonly string[];
}

export interface RunningReceiver {
  readonly port: number;
  close(): Promise<void>;
}

const PATHS: Record<string, Signal> = {
  '/v1/traces': 'traces',
  '/v1/metrics': 'metrics',
  '/v1/logs': 'logs',
};
const CONTENT_TYPES: Record<string, Encoding> = {
  'application/x-protobuf': 'protobuf',
  'application/protobuf': 'protobuf',
  'application/json': 'json',
};
const MEDIA_TYPE: Record<Encoding, string> = {
  protobuf: 'application/x-protobuf',
  json: 'application/json',
};

// google.rpc.Code values for the Status body.
const CODE_FOR_HTTP: Record<number, number> = {
  400: 3,
  404: 5,
  405: 12,
  413: 8,
  415: 3,
  500: 13,
  503: 14,
  403: 7,
};

export function createOtlpHttpHandler(
  opts: OtlpHttpOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  const limits = resolveLimits(opts.limits);
  const origins = new Set(opts.corsOrigins ?? []);
  const allowOrigin = (origin: string | undefined): boolean =>
    origin !== undefined && (origins.has('*') || origins.has(origin));

  return (req, res) => {
    const origin = req.headers.origin;
    if (allowOrigin(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin as string);
      res.setHeader('Vary', 'Origin');
    }
    let encoding: Encoding = 'json';
    const fail = (status: number, message: string, extra: Record<string, string> = {}): void => {
      if (res.headersSent) return;
      res.writeHead(status, { 'Content-Type': MEDIA_TYPE[encoding], ...extra });
      res.end(statusBody(encoding, CODE_FOR_HTTP[status] ?? 2, message));
    };
    const url = req.url ?? '/';
    const path = url.split('?', 1)[0] as string;
    const signal = PATHS[path];
    if (signal === undefined) {
      req.resume();
      return fail(
        404,
        `no OTLP endpoint at ${JSON.stringify(path.slice(0, 200))}; POST to /v1/traces, /v1/metrics or /v1/logs`,
      );
    }
    if (req.method === 'OPTIONS') {
      req.resume();
      if (!allowOrigin(origin))
        return fail(
          403,
          `origin ${JSON.stringify(origin ?? '')} is not allowed (configure the receiver's CORS origins)`,
        );
      res.writeHead(204, {
        'Access-Control-Allow-Methods': 'POST, OPTIONS',
        'Access-Control-Allow-Headers':
          req.headers['access-control-request-headers'] ?? 'Content-Type, Content-Encoding',
        'Access-Control-Max-Age': '86400',
      });
      res.end();
      return;
    }
    if (req.method !== 'POST') {
      req.resume();
      return fail(405, `method ${req.method ?? ''} not allowed on ${path}; use POST`, {
        Allow: 'POST, OPTIONS',
      });
    }
    const mediaType =
      (req.headers['content-type'] ?? '').split(';', 1)[0]?.trim().toLowerCase() ?? '';
    const enc = CONTENT_TYPES[mediaType];
    if (enc === undefined) {
      req.resume();
      return fail(
        415,
        `unsupported content type ${JSON.stringify(mediaType)}; send application/x-protobuf or application/json`,
      );
    }
    encoding = enc;
    const contentEncoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
    if (contentEncoding !== 'identity' && contentEncoding !== 'gzip') {
      req.resume();
      return fail(
        415,
        `unsupported content encoding ${JSON.stringify(contentEncoding)}; send gzip or none`,
      );
    }
    handleExport(req, signal, enc, contentEncoding === 'gzip').then(
      ({ status, body, headers }) => {
        res.writeHead(status, { 'Content-Type': MEDIA_TYPE[enc], ...headers });
        res.end(body);
      },
      (e: unknown) => fail(500, `internal error: ${e instanceof Error ? e.message : String(e)}`),
    );
  };

  async function handleExport(
    req: IncomingMessage,
    signal: Signal,
    enc: Encoding,
    gzip: boolean,
  ): Promise<{ status: number; body: Buffer; headers: Record<string, string> }> {
    const answer = (status: number, message: string, headers: Record<string, string> = {}) => ({
      status,
      body: statusBody(enc, CODE_FOR_HTTP[status] ?? 2, message),
      headers,
    });
    let body: Buffer;
    try {
      body = await readBody(req, limits.maxBodyBytes, gzip);
    } catch (e) {
      if (e instanceof HttpError) {
        opts.pipeline.recordRequest(signal, 0);
        opts.pipeline.recordRejected(signal, 0, true);
        return answer(e.status, e.message, e.status === 413 ? { Connection: 'close' } : {});
      }
      throw e;
    }
    opts.pipeline.recordRequest(signal, body.length);
    let decoded;
    try {
      decoded = decodeRequest(signal, enc, body, limits);
    } catch (e) {
      if (e instanceof DecodeError) {
        opts.pipeline.recordRejected(signal, 0, true);
        return answer(
          e.kind === 'limit' ? 413 : 400,
          `invalid OTLP ${signal} request: ${e.message}`,
        );
      }
      throw e;
    }
    if (decoded.rejected > 0) opts.pipeline.recordRejected(signal, decoded.rejected);
    if (decoded.accepted > 0) {
      try {
        await opts.pipeline.ingest(decoded.batch, signal);
      } catch (e) {
        if (e instanceof BackpressureError)
          return answer(503, e.message, { 'Retry-After': String(e.retryAfterSeconds) });
        if (e instanceof WriteFailedError)
          return answer(503, e.message, { 'Retry-After': String(WRITE_FAILED_RETRY_SECONDS) });
        throw e;
      }
    }
    const message =
      decoded.rejected > 0
        ? `${decoded.rejected} item(s) rejected; first: ${decoded.rejectReason}`
        : '';
    return {
      status: 200,
      body: exportResponse(signal, enc, decoded.rejected, message),
      headers: {},
    };
  }
}

export function startOtlpHttpReceiver(opts: OtlpHttpOptions): Promise<RunningReceiver> {
  const server = createServer(createOtlpHttpHandler(opts));
  // Slow-loris bounds: a client must send its headers and body in reasonable time.
  server.headersTimeout = 30_000;
  server.requestTimeout = 120_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 4318, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () =>
          new Promise<void>((done) => {
            // In-flight requests get a grace period to be answered, then connections are cut.
            // Keep-alive sockets become idle only once their answer is written, so close
            // idle ones as they appear rather than waiting out the grace period.
            const force = setTimeout(() => server.closeAllConnections(), 2000);
            force.unref();
            const idle = setInterval(() => server.closeIdleConnections(), 25);
            server.close(() => {
              clearTimeout(force);
              clearInterval(idle);
              done();
            });
            server.closeIdleConnections();
          }),
      });
    });
  });
}
