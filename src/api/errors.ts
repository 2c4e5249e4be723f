// Error bodies in the shapes clients of each API expect: Jaeger's legacy
// envelope (`{data:null,...,errors:[{code,msg}]}`) and api/v3's gateway
// error (`{error:{httpCode,message}}`).

import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { JaegerResponse } from '../query/traces';
import { ParamError } from './params';

export function jaegerEnvelope<T>(data: T, total = 0): JaegerResponse<T> {
  return { data, total, limit: 0, offset: 0, errors: null };
}

export function jaegerErrorBody(status: number, msg: string): JaegerResponse<null> {
  return { data: null, total: 0, limit: 0, offset: 0, errors: [{ code: status, msg }] };
}

export function jaegerError(c: Context, status: ContentfulStatusCode, msg: string): Response {
  return c.json(jaegerErrorBody(status, msg), status);
}

export function v3Error(c: Context, status: ContentfulStatusCode, message: string): Response {
  return c.json({ error: { httpCode: status, message } }, status);
}

/** 400 for a bad parameter, 500 (with the cause) for anything else. */
export function statusOf(err: unknown): { status: ContentfulStatusCode; message: string } {
  if (err instanceof ParamError) return { status: 400, message: err.message };
  const message = err instanceof Error ? err.message : String(err);
  return { status: 500, message: `internal error: ${message}` };
}
