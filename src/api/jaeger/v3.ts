// Jaeger's api/v3 over HTTP (under `/jaeger`), what current Jaeger UIs call.
// Parameters follow jaeger's apiv3 HTTP gateway: camelCase names with the
// older snake_case spellings accepted; traces answer OTLP/JSON wrapped in
// `{result: ...}` as the gateway streams them; errors are
// `{error:{httpCode,message}}`.

import { Hono } from 'hono';
import type { Context } from 'hono';
import {
  findTraces,
  parseTraceSort,
  spanKindFromName,
  spanKindName,
  toOtlpTracesData,
  toV3Summary,
} from '../../query/traces';
import type { Span } from '../../model/telemetry';
import type { TelemetryStore, TraceQuery } from '../../store/store';
import { statusOf, v3Error } from '../errors';
import {
  MAX_LIMIT,
  ParamError,
  boundedRange,
  parseDurationBounds,
  parseJsonStringMap,
  parseRfc3339,
} from '../params';
import { TRUNCATED_HEADER, normalizeTraceId } from './legacy';

/** Jaeger's default search depth for api/v3. */
const DEFAULT_SEARCH_DEPTH = 100;
const MAX_NAME = 1024;

/** The value of the first spelling present, and which spelling it was. */
function pick(c: Context, ...names: string[]): { value: string; param: string } | undefined {
  for (const n of names) {
    const v = c.req.query(n);
    if (v !== undefined && v !== '') return { value: v, param: n };
  }
  return undefined;
}

function nameParam(c: Context, ...names: string[]): string | undefined {
  const p = pick(c, ...names);
  if (p !== undefined && p.value.length > MAX_NAME) {
    throw new ParamError(p.param, `parameter '${p.param}' is longer than ${MAX_NAME} characters`);
  }
  return p?.value;
}

/** `query.*` parameters as a store query (exported for the tests). */
export function parseV3TraceQuery(c: Context): TraceQuery {
  const service = nameParam(c, 'query.serviceName', 'query.service_name');
  const operation = nameParam(c, 'query.operationName', 'query.operation_name');
  const min = pick(c, 'query.startTimeMin', 'query.start_time_min');
  const max = pick(c, 'query.startTimeMax', 'query.start_time_max');
  if (min === undefined || max === undefined) {
    throw new ParamError(
      'query.startTimeMin',
      'query.startTimeMin and query.startTimeMax are required',
    );
  }
  const start = parseRfc3339(min.param, min.value);
  const end = parseRfc3339(max.param, max.value);
  if (start >= end) throw new ParamError(min.param, `${min.param} must be before ${max.param}`);
  const depth = pick(c, 'query.searchDepth', 'query.search_depth', 'query.num_traces');
  let limit = DEFAULT_SEARCH_DEPTH;
  if (depth !== undefined) {
    if (!/^\d{1,10}$/.test(depth.value) || Number(depth.value) === 0) {
      throw new ParamError(
        depth.param,
        `malformed parameter ${depth.param}: expected a positive integer`,
      );
    }
    limit = Math.min(Number(depth.value), MAX_LIMIT);
  }
  const attrsText = c.req.query('query.attributes');
  const attributes = attrsText
    ? Object.fromEntries(parseJsonStringMap('query.attributes', attrsText))
    : {};
  const dmin = pick(c, 'query.durationMin', 'query.duration_min');
  const dmax = pick(c, 'query.durationMax', 'query.duration_max');
  const sortText = c.req.query('sort');
  const sort = sortText ? parseTraceSort(sortText) : 'recent';
  if (sort === undefined) {
    throw new ParamError(
      'sort',
      `unknown sort '${sortText?.slice(0, 40)}' (valid: recent, longest, shortest, most-spans)`,
    );
  }
  return {
    range: boundedRange(min.param, start, end - 1n),
    ...(service !== undefined ? { service } : {}),
    ...(operation !== undefined ? { operation } : {}),
    ...(Object.keys(attributes).length > 0 ? { attributes } : {}),
    ...parseDurationBounds(
      dmin?.param ?? 'query.durationMin',
      dmin?.value,
      dmax?.param ?? 'query.durationMax',
      dmax?.value,
    ),
    limit,
    sort,
  };
}

export function createJaegerV3Api(deps: { store: TelemetryStore }): Hono {
  const { store } = deps;
  const app = new Hono();

  app.onError((err, c) => {
    const { status, message } = statusOf(err);
    return v3Error(c, status, message);
  });

  app.get('/api/v3/services', async (c) => c.json({ services: await store.services() }));

  app.get('/api/v3/operations', async (c) => {
    const service = nameParam(c, 'service');
    if (service === undefined) throw new ParamError('service', "parameter 'service' is required");
    const kindParam = pick(c, 'spanKind', 'span_kind');
    let kind: ReturnType<typeof spanKindFromName>;
    if (kindParam !== undefined) {
      kind = spanKindFromName(kindParam.value);
      if (kind === undefined) {
        throw new ParamError(
          kindParam.param,
          `unsupported span kind '${kindParam.value.slice(0, 40)}'`,
        );
      }
    }
    const ops = await store.operations(service, kind);
    return c.json({
      operations: ops.map((o) => ({ name: o.name, spanKind: spanKindName(o.spanKind) })),
    });
  });

  app.get('/api/v3/traces', async (c) => {
    const found = await findTraces(store, parseV3TraceQuery(c));
    if (found.truncated) c.header(TRUNCATED_HEADER, 'spans');
    const spans: Span[] = found.traces.flatMap((t) => t.spans);
    return c.json({ result: toOtlpTracesData(spans) });
  });

  app.get('/api/v3/trace-summaries', async (c) => {
    const found = await findTraces(store, parseV3TraceQuery(c));
    if (found.truncated) c.header(TRUNCATED_HEADER, 'spans');
    return c.json({ summaries: found.traces.map((t) => toV3Summary(t.traceId, t.spans)) });
  });

  app.get('/api/v3/traces/:id', async (c) => {
    const id = normalizeTraceId('trace_id', c.req.param('id'));
    // startTime/endTime narrow Jaeger's lookup; the store finds a trace by id alone, so they are only validated.
    for (const p of ['startTime', 'endTime', 'start_time', 'end_time']) {
      const v = c.req.query(p);
      if (v) parseRfc3339(p, v);
    }
    const spans = await store.getTrace(id);
    if (spans.length === 0) return v3Error(c, 404, 'trace not found');
    return c.json({ result: toOtlpTracesData(spans) });
  });

  return app;
}
