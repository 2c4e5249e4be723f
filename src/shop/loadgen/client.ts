// HTTP to the frontend over node:http (which the OTel http instrumentation
// traces), with W3C trace context and baggage injected from the active
// context, so the user's `synthetic_request=true` reaches every service.

import { context, propagation } from '@opentelemetry/api';
import * as http from 'node:http';

export interface RequestResult {
  readonly method: string;
  readonly path: string;
  /** HTTP status, or 0 when the request failed before a response. */
  readonly status: number;
  readonly error?: string;
}

export interface Frontend {
  get(path: string): Promise<RequestResult>;
  postJson(path: string, body: unknown): Promise<RequestResult>;
}

/** A keep-alive client for one simulated user (Locust keeps one session per user). */
export class HttpFrontend implements Frontend {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  private readonly host: string;
  private readonly port: number;

  constructor(
    addr: string,
    private readonly timeoutMs = 15_000,
  ) {
    const m = /^(.+):(\d+)$/.exec(addr);
    if (m === null) throw new Error(`frontend address ${JSON.stringify(addr)} is not host:port`);
    this.host = m[1] as string;
    this.port = Number(m[2]);
  }

  get(path: string): Promise<RequestResult> {
    return this.send('GET', path, undefined);
  }

  postJson(path: string, body: unknown): Promise<RequestResult> {
    return this.send('POST', path, JSON.stringify(body));
  }

  close(): void {
    this.agent.destroy();
  }

  private send(method: string, path: string, body: string | undefined): Promise<RequestResult> {
    const headers: Record<string, string> = { accept: 'application/json, text/html' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    propagation.inject(context.active(), headers);
    return new Promise((resolve) => {
      const req = http.request(
        { host: this.host, port: this.port, method, path, headers, agent: this.agent },
        (res) => {
          // The body is not needed; drain it so the socket can be reused.
          res.resume();
          res.on('end', () => resolve({ method, path, status: res.statusCode ?? 0 }));
          res.on('error', (err) => resolve({ method, path, status: 0, error: err.message }));
        },
      );
      req.setTimeout(this.timeoutMs, () =>
        req.destroy(new Error(`no answer in ${this.timeoutMs} ms`)),
      );
      req.on('error', (err) => resolve({ method, path, status: 0, error: err.message }));
      req.end(body);
    });
  }
}
