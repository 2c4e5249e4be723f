// The lab UI's own reads where the Jaeger APIs do not reach: trace lists
// with summaries and sorts, duration distributions for the compare page,
// attribute breakdowns, service-map edges with errors, and logs with their
// trace links.
// Times are microseconds since the epoch (as in Jaeger's API); tag filters
// are logfmt (`app.cache_hit=false`).

import { Hono } from 'hono';
import type { Context } from 'hono';
import type { LogRecord, StatusCode } from '../../model/telemetry';
import {
  anyValueToJson,
  parseTraceSort,
  serviceNameOf,
  toLabSummary,
  toMicros,
} from '../../query/traces';
import type { JsonValue } from '../../query/traces';
import type { SpanFilter, TelemetryStore, TimeRange } from '../../store/store';
import { jaegerError, statusOf } from '../errors';
import {
  ParamError,
  boundedRange,
  parseDurationBounds,
  parseEpoch,
  parseLimit,
  parseLogfmtTags,
} from '../params';

const MICROS = 1_000n;
const DEFAULT_LIMIT = 20;
const DEFAULT_LOG_LIMIT = 100;
const MAX_NAME = 1024;

const SEVERITIES: Readonly<Record<string, number>> = {
  trace: 1,
  debug: 5,
  info: 9,
  warn: 13,
  error: 17,
  fatal: 21,
};

function text(c: Context, param: string): string | undefined {
  const v = c.req.query(param);
  if (v === undefined || v === '') return undefined;
  if (v.length > MAX_NAME)
    throw new ParamError(param, `parameter '${param}' is longer than ${MAX_NAME} characters`);
  return v;
}

function range(c: Context): TimeRange {
  const s = text(c, 'start');
  const e = text(c, 'end');
  return boundedRange(
    'start',
    s === undefined ? undefined : parseEpoch('start', s, MICROS),
    e === undefined ? undefined : parseEpoch('end', e, MICROS),
  );
}

/** The filter the trace list and the distributions share. */
function spanFilter(c: Context): SpanFilter {
  const service = text(c, 'service');
  const operation = text(c, 'operation');
  const attributes = parseLogfmtTags('tags', c.req.query('tags'));
  return {
    range: range(c),
    ...(service !== undefined ? { service } : {}),
    ...(operation !== undefined ? { operation } : {}),
    ...(attributes !== undefined ? { attributes } : {}),
    ...parseDurationBounds(
      'minDuration',
      c.req.query('minDuration'),
      'maxDuration',
      c.req.query('maxDuration'),
    ),
  };
}

const STATUSES: Readonly<Record<string, StatusCode>> = { unset: 0, ok: 1, error: 2 };

/** `status=error|ok|unset`, for the span-level reads (trace lists filter on spans' tags instead). */
function statusParam(c: Context): { status?: StatusCode } {
  const v = text(c, 'status');
  if (v === undefined) return {};
  const code = STATUSES[v.toLowerCase()];
  if (code === undefined)
    throw new ParamError('status', `'status' must be one of unset, ok, error`);
  return { status: code };
}

function severityParam(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const named = SEVERITIES[value.toLowerCase()];
  if (named !== undefined) return named;
  const n = /^\d{1,2}$/.test(value) ? Number(value) : Number.NaN;
  if (!(n >= 1 && n <= 24)) {
    throw new ParamError(
      'minSeverity',
      `'minSeverity' must be 1..24 or one of ${Object.keys(SEVERITIES).join(', ')}`,
    );
  }
  return n;
}

function hexParam(c: Context, param: string, length: number): string | undefined {
  const v = text(c, param);
  if (v === undefined) return undefined;
  if (!new RegExp(`^[0-9a-fA-F]{1,${length}}$`).test(v)) {
    throw new ParamError(param, `'${param}' must be up to ${length} hex digits`);
  }
  return v.toLowerCase().padStart(length, '0');
}

function jsonAttributes(attrs: LogRecord['attributes']): Record<string, JsonValue> {
  return Object.fromEntries(Object.entries(attrs).map(([k, v]) => [k, anyValueToJson(v)]));
}

export interface LabLog {
  readonly time: number;
  readonly timeUnixNano: string;
  readonly severityNumber: number;
  readonly severityText: string;
  readonly body: JsonValue;
  readonly service: string;
  readonly attributes: Record<string, JsonValue>;
  readonly resource: Record<string, JsonValue>;
  readonly scope: { readonly name: string; readonly version: string };
  readonly eventName: string;
  /** '' when the log was not written inside a span. */
  readonly traceID: string;
  readonly spanID: string;
}

export function toLabLog(l: LogRecord): LabLog {
  const t = l.timeUnixNano !== 0n ? l.timeUnixNano : l.observedTimeUnixNano;
  return {
    time: toMicros(t),
    timeUnixNano: t.toString(),
    severityNumber: l.severityNumber,
    severityText: l.severityText,
    body: anyValueToJson(l.body),
    service: serviceNameOf(l.resource),
    attributes: jsonAttributes(l.attributes),
    resource: jsonAttributes(l.resource.attributes),
    scope: { name: l.scope.name, version: l.scope.version },
    eventName: l.eventName,
    traceID: l.traceId,
    spanID: l.spanId,
  };
}

export function createSearchApi(deps: { store: TelemetryStore }): Hono {
  const { store } = deps;
  const app = new Hono();
  app.onError((err, c) => {
    const { status, message } = statusOf(err);
    return jaegerError(c, status, message);
  });

  app.get('/trace-summaries', async (c) => {
    const filter = spanFilter(c);
    const sortText = c.req.query('sort');
    const sort = sortText ? parseTraceSort(sortText) : 'recent';
    if (sort === undefined) {
      throw new ParamError(
        'sort',
        `unknown sort '${sortText?.slice(0, 40)}' (valid: recent, longest, shortest, most-spans)`,
      );
    }
    const summaries = await store.searchTraces({
      ...filter,
      limit: parseLimit('limit', c.req.query('limit'), DEFAULT_LIMIT),
      sort,
    });
    return c.json({ data: summaries.map(toLabSummary) });
  });

  app.get('/spans/distribution', async (c) => {
    const d = await store.durationDistribution({ ...spanFilter(c), ...statusParam(c) });
    // Nanoseconds, as the store computes them; an unbounded last bucket has `le: null` in JSON.
    return c.json({
      data: {
        count: d.count,
        quantiles: d.quantiles,
        buckets: d.buckets.map((b) => ({
          le: Number.isFinite(b.le) ? b.le : null,
          count: b.count,
        })),
      },
    });
  });

  app.get('/spans/attributes', async (c) => {
    const maxValues = parseLimit('maxValues', c.req.query('maxValues'), 10);
    return c.json({
      data: await store.attributeDistribution(
        { ...spanFilter(c), ...statusParam(c) },
        Math.min(maxValues, 100),
      ),
    });
  });

  // The service map's edges with error counts (Jaeger's /api/dependencies has call counts only).
  app.get('/dependencies', async (c) => {
    const edges = await store.dependencies(range(c));
    return c.json({
      data: edges.map((e) => ({
        parent: e.parent,
        child: e.child,
        callCount: e.callCount,
        errorCount: e.errorCount,
      })),
    });
  });

  app.get('/logs', async (c) => {
    const service = text(c, 'service');
    const minSeverity = severityParam(text(c, 'minSeverity'));
    const search = text(c, 'text');
    const traceId = hexParam(c, 'traceId', 32);
    const spanId = hexParam(c, 'spanId', 16);
    const logs = await store.searchLogs({
      range: range(c),
      ...(service !== undefined ? { service } : {}),
      ...(minSeverity !== undefined ? { minSeverity } : {}),
      ...(search !== undefined ? { text: search } : {}),
      ...(traceId !== undefined ? { traceId } : {}),
      ...(spanId !== undefined ? { spanId } : {}),
      limit: parseLimit('limit', c.req.query('limit'), DEFAULT_LOG_LIMIT),
    });
    return c.json({ data: logs.map(toLabLog) });
  });

  return app;
}
