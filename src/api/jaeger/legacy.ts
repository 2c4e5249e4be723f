// Jaeger's legacy JSON API (`/api/...` under `/jaeger`), the one Grafana's
// Jaeger data source and older Jaeger UIs call. Parameters and response
// envelopes follow jaeger `cmd/query/app` (http_handler.go, query_parser.go).

import { Hono } from 'hono';
import type { Context } from 'hono';
import {
  findTraces,
  parseTraceSort,
  spanKindFromName,
  spanKindName,
  toJaegerTrace,
} from '../../query/traces';
import type { JaegerDependencyLink, JaegerOperation } from '../../query/traces';
import type { TelemetryStore, TraceQuery } from '../../store/store';
import { jaegerEnvelope, jaegerError, statusOf } from '../errors';
import {
  DEFAULT_LOOKBACK_NS,
  ParamError,
  boundedRange,
  parseDurationBounds,
  parseDurationParam,
  parseEpoch,
  parseJaegerTags,
  parseLimit,
} from '../params';

const MICROS = 1_000n;
const MILLIS = 1_000_000n;
/** Jaeger's default search depth when `limit` is absent. */
const DEFAULT_LIMIT = 100;
const TRACE_ID = /^[0-9a-f]{1,32}$/i;
const MAX_NAME = 1024;

/**
 * Set when a search left traces out to stay under MAX_SEARCH_SPANS. A header,
 * not an entry in `errors`, because clients treat `errors` as failure.
 */
export const TRUNCATED_HEADER = 'X-Otel-Lab-Truncated';

/** Jaeger accepts short ids (leading zeros dropped); the store keys 32 lowercase hex chars. */
export function normalizeTraceId(param: string, text: string): string {
  if (!TRACE_ID.test(text)) {
    throw new ParamError(
      param,
      `malformed parameter ${param}: expected 1 to 32 hex digits, got "${text.slice(0, 40)}"`,
    );
  }
  return text.toLowerCase().padStart(32, '0');
}

function name(param: string, text: string | undefined): string | undefined {
  if (text === undefined || text === '') return undefined;
  if (text.length > MAX_NAME)
    throw new ParamError(param, `parameter '${param}' is longer than ${MAX_NAME} characters`);
  return text;
}

function spanKindParam(text: string | undefined): TraceQuery['spanKind'] {
  if (text === undefined || text === '') return undefined;
  const kind = spanKindFromName(text);
  if (kind === undefined) {
    throw new ParamError(
      'spanKind',
      `unsupported span kind '${text.slice(0, 40)}' (valid: server, client, producer, consumer, internal)`,
    );
  }
  return kind;
}

/** `/api/traces` parameters as a store query (exported for the tests). */
export function parseLegacyTraceQuery(c: Context): TraceQuery {
  const q = (k: string): string | undefined => c.req.query(k);
  const service = name('service', q('service'));
  if (service === undefined) throw new ParamError('service', "parameter 'service' is required");
  const start = q('start') ? parseEpoch('start', q('start') ?? '', MICROS) : undefined;
  const end = q('end') ? parseEpoch('end', q('end') ?? '', MICROS) : undefined;
  const lookbackText = q('lookback');
  // The Jaeger UI sends `lookback=1h` (or `custom`) beside start/end; it only matters without a start.
  const lookback =
    lookbackText && lookbackText !== 'custom'
      ? parseDurationParam('lookback', lookbackText)
      : DEFAULT_LOOKBACK_NS;
  const sortText = q('sort');
  const sort = sortText ? parseTraceSort(sortText) : 'recent';
  if (sort === undefined) {
    throw new ParamError(
      'sort',
      `unknown sort '${sortText?.slice(0, 40)}' (valid: recent, longest, shortest, most-spans)`,
    );
  }
  const operation = name('operation', q('operation'));
  const spanKind = spanKindParam(q('spanKind'));
  const attributes = parseJaegerTags(c.req.queries('tag') ?? [], c.req.queries('tags') ?? []);
  return {
    range: boundedRange('start', start, end, lookback),
    service,
    ...(operation !== undefined ? { operation } : {}),
    ...(spanKind !== undefined ? { spanKind } : {}),
    ...(Object.keys(attributes).length > 0 ? { attributes } : {}),
    ...parseDurationBounds('minDuration', q('minDuration'), 'maxDuration', q('maxDuration')),
    limit: parseLimit('limit', q('limit'), DEFAULT_LIMIT),
    sort,
  };
}

export function createJaegerLegacyApi(deps: { store: TelemetryStore }): Hono {
  const { store } = deps;
  const app = new Hono();

  app.onError((err, c) => {
    const { status, message } = statusOf(err);
    return jaegerError(c, status, message);
  });

  app.get('/api/services', async (c) => {
    const services = await store.services();
    return c.json(jaegerEnvelope(services, services.length));
  });

  app.get('/api/services/:service/operations', async (c) => {
    const service = name('service', c.req.param('service')) ?? '';
    const ops = await store.operations(service);
    const names = [...new Set(ops.map((o) => o.name))];
    return c.json(jaegerEnvelope(names, names.length));
  });

  app.get('/api/operations', async (c) => {
    const service = name('service', c.req.query('service'));
    if (service === undefined) throw new ParamError('service', "parameter 'service' is required");
    const ops = await store.operations(service, spanKindParam(c.req.query('spanKind')));
    const data: JaegerOperation[] = ops.map((o) => ({
      name: o.name,
      spanKind: spanKindName(o.spanKind),
    }));
    return c.json(jaegerEnvelope(data, data.length));
  });

  app.get('/api/traces', async (c) => {
    const ids = c.req.queries('traceID') ?? [];
    if (ids.length > 0) {
      // Jaeger's "find by ids" form of search; unknown ids are silently absent.
      if (ids.length > 100) throw new ParamError('traceID', 'at most 100 traceID values');
      const wanted = [...new Set(ids.map((id) => normalizeTraceId('traceID', id)))];
      const found = await Promise.all(
        wanted.map(async (id) => ({ id, spans: await store.getTrace(id) })),
      );
      return c.json(
        jaegerEnvelope(
          found.filter((t) => t.spans.length > 0).map((t) => toJaegerTrace(t.id, t.spans)),
        ),
      );
    }
    const found = await findTraces(store, parseLegacyTraceQuery(c));
    if (found.truncated) c.header(TRUNCATED_HEADER, 'spans');
    return c.json(jaegerEnvelope(found.traces.map((t) => toJaegerTrace(t.traceId, t.spans))));
  });

  app.get('/api/traces/:id', async (c) => {
    const id = normalizeTraceId('traceID', c.req.param('id'));
    const spans = await store.getTrace(id);
    if (spans.length === 0) return jaegerError(c, 404, 'trace not found');
    return c.json(jaegerEnvelope([toJaegerTrace(id, spans)]));
  });

  app.get('/api/dependencies', async (c) => {
    const endText = c.req.query('endTs');
    const lookbackText = c.req.query('lookback');
    const end = endText ? parseEpoch('endTs', endText, MILLIS) : undefined;
    // Jaeger's dependencies lookback is milliseconds (default 24h); a Go duration is accepted too.
    let lookback = 24n * DEFAULT_LOOKBACK_NS;
    if (lookbackText) {
      lookback = /^\d+$/.test(lookbackText)
        ? parseEpoch('lookback', lookbackText, MILLIS)
        : parseDurationParam('lookback', lookbackText);
    }
    const edges = await store.dependencies(boundedRange('lookback', undefined, end, lookback));
    const data: JaegerDependencyLink[] = edges.map((e) => ({
      parent: e.parent,
      child: e.child,
      callCount: e.callCount,
    }));
    return c.json(jaegerEnvelope(data));
  });

  return app;
}
