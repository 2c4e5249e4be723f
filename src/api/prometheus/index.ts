// The Prometheus HTTP API (v1) over the TelemetryStore, as Prometheus 2.42
// serves it: enough for Grafana's Prometheus data source (health check,
// label browser, range queries, metadata, exemplars).
//
// Mounted by api/app.ts at /prometheus; routes here start at /api/v1.

import type { Context } from 'hono';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { PromMetadata } from '../../model/telemetry';
import type { Expr } from '../../query/promql/ast';
import type { EngineOptions, SeriesSource } from '../../query/promql/engine';
import { instantQuery, maxPointsPerSeries, rangeQuery } from '../../query/promql/engine';
import { badData, PromQLError } from '../../query/promql/errors';
import { formatValue } from '../../query/promql/lexical';
import { compareLabels } from '../../query/promql/values';
import { parseExpr } from '../../query/promql/parse';
import type { LabelMatcher, TelemetryStore } from '../../store/store';
import {
  maxTime,
  minTime,
  parseDurationParam,
  parseMatchSets,
  parseTime,
  parseTimeOr,
} from './params';
import { errorStatus, resultData } from './respond';

export interface PrometheusApiDeps {
  readonly store: TelemetryStore;
  /** Clock for queries without `time` (ms). */
  readonly now?: () => number;
  /** Upper bound on one query's run time; a smaller `timeout` parameter wins. Default 2 minutes, as Prometheus. */
  readonly queryTimeoutMs?: number;
  /** Samples one query may hold at once. Default 5,000,000. */
  readonly maxSamples?: number;
  readonly lookbackDeltaMs?: number;
}

const maxBodyBytes = 1024 * 1024;
const labelNamePattern = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export const buildInfo = {
  version: '2.42.0',
  revision: 'otel-lab',
  branch: 'otel-lab',
  buildUser: 'otel-lab',
  buildDate: '',
  goVersion: 'none (TypeScript PromQL engine)',
};

/** Reads parameters from the form body (POST) first, then the URL, like Go's FormValue. */
class Params {
  private constructor(
    private readonly body: Readonly<Record<string, string[]>>,
    private readonly c: Context,
  ) {}

  static async of(c: Context): Promise<Params> {
    const body: Record<string, string[]> = {};
    const type = c.req.header('content-type') ?? '';
    if (c.req.method === 'POST' && type.includes('application/x-www-form-urlencoded')) {
      const parsed = new URLSearchParams(await c.req.text());
      for (const [k, v] of parsed) (body[k] ??= []).push(v);
    }
    return new Params(body, c);
  }

  get(name: string): string | undefined {
    return this.body[name]?.[0] ?? this.c.req.query(name);
  }

  all(name: string): string[] {
    return [...(this.body[name] ?? []), ...(this.c.req.queries(name) ?? [])];
  }
}

function ok(c: Context, data: unknown): Response {
  return c.json({ status: 'success', data });
}

function fail(c: Context, err: unknown): Response {
  if (err instanceof PromQLError) {
    const status = errorStatus[err.type] as 400 | 422 | 503 | 500;
    return c.json({ status: 'error', errorType: err.type, error: err.message }, status);
  }
  return c.json(
    {
      status: 'error',
      errorType: 'internal',
      error: err instanceof Error ? err.message : String(err),
    },
    500,
  );
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new PromQLError('timeout', 'query timed out in query execution')),
      ms,
    );
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function selectorsOf(e: Expr, out: LabelMatcher[][] = []): LabelMatcher[][] {
  switch (e.kind) {
    case 'vector':
      out.push([...e.matchers]);
      break;
    case 'matrix':
      out.push([...e.selector.matchers]);
      break;
    case 'subquery':
    case 'paren':
    case 'unary':
      selectorsOf(e.expr, out);
      break;
    case 'binary':
      selectorsOf(e.lhs, out);
      selectorsOf(e.rhs, out);
      break;
    case 'aggregate':
      if (e.param) selectorsOf(e.param, out);
      selectorsOf(e.expr, out);
      break;
    case 'call':
      for (const a of e.args) selectorsOf(a, out);
      break;
    default:
      break;
  }
  return out;
}

export function createPrometheusApi(deps: PrometheusApiDeps): Hono {
  const app = new Hono();
  const now = deps.now ?? Date.now;
  const defaultTimeout = deps.queryTimeoutMs ?? 120_000;
  const source: SeriesSource = {
    // Regex matchers stay RE2: the store matches them with RE2's semantics (store/labels.ts).
    select: (matchers, minT, maxT) => deps.store.selectSeries(matchers, { minT, maxT }),
  };

  function engineOptions(p: Params): EngineOptions {
    const to = p.get('timeout');
    const requested = to ? parseDurationParam(to, 'timeout') : defaultTimeout;
    return {
      timeoutMs: Math.max(1, Math.min(requested, defaultTimeout)),
      maxSamples: deps.maxSamples ?? 5_000_000,
      ...(deps.lookbackDeltaMs !== undefined ? { lookbackDelta: deps.lookbackDeltaMs } : {}),
    };
  }

  app.use(
    '*',
    bodyLimit({
      maxSize: maxBodyBytes,
      onError: (c) => fail(c, badData(`request body larger than ${maxBodyBytes} bytes`)),
    }),
  );

  const query = async (c: Context): Promise<Response> => {
    try {
      const p = await Params.of(c);
      const t = parseTimeOr(p.get('time'), 'time', now());
      const opts = engineOptions(p);
      let expr: Expr;
      try {
        expr = parseExpr(p.get('query') ?? '');
      } catch (err) {
        throw err instanceof PromQLError
          ? badData(`invalid parameter "query": ${err.message}`)
          : err;
      }
      const result = await withTimeout(
        instantQuery(source, expr, t, opts),
        opts.timeoutMs ?? defaultTimeout,
      );
      return ok(c, resultData(result));
    } catch (err) {
      return fail(c, err);
    }
  };

  const queryRange = async (c: Context): Promise<Response> => {
    try {
      const p = await Params.of(c);
      const start = parseTime(p.get('start') ?? '', 'start');
      const end = parseTime(p.get('end') ?? '', 'end');
      if (end < start)
        throw badData('invalid parameter "end": end timestamp must not be before start time');
      const step = parseDurationParam(p.get('step') ?? '', 'step');
      if (!(step > 0)) {
        throw badData(
          'invalid parameter "step": zero or negative query resolution step widths are not accepted. Try a positive integer',
        );
      }
      if ((end - start) / step > maxPointsPerSeries) {
        throw badData(
          'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)',
        );
      }
      const opts = engineOptions(p);
      const expr = parseExpr(p.get('query') ?? '');
      const result = await withTimeout(
        rangeQuery(source, expr, start, end, step, opts),
        opts.timeoutMs ?? defaultTimeout,
      );
      return ok(c, resultData(result));
    } catch (err) {
      return fail(c, err);
    }
  };

  const range = (p: Params): { minT: number; maxT: number } => ({
    minT: parseTimeOr(p.get('start'), 'start', minTime),
    maxT: parseTimeOr(p.get('end'), 'end', maxTime),
  });

  const labels = async (c: Context): Promise<Response> => {
    try {
      const p = await Params.of(c);
      const r = range(p);
      const sets = parseMatchSets(p.all('match[]'));
      const names = await deps.store.labelNames(sets, r);
      return ok(c, [...new Set(names)].sort());
    } catch (err) {
      return fail(c, err);
    }
  };

  const labelValues = async (c: Context): Promise<Response> => {
    try {
      const name = c.req.param('name') ?? '';
      if (!labelNamePattern.test(name))
        throw badData(`invalid label name: ${JSON.stringify(name)}`);
      const p = await Params.of(c);
      const r = range(p);
      const sets = parseMatchSets(p.all('match[]'));
      const values = await deps.store.labelValues(name, sets, r);
      return ok(c, [...new Set(values)].sort());
    } catch (err) {
      return fail(c, err);
    }
  };

  const series = async (c: Context): Promise<Response> => {
    try {
      const p = await Params.of(c);
      const matches = p.all('match[]');
      if (matches.length === 0) throw badData('no match[] parameter provided');
      const r = range(p);
      const sets = parseMatchSets(matches, 'match[]', true);
      const found = await deps.store.series(sets, r);
      return ok(c, [...found].sort(compareLabels));
    } catch (err) {
      return fail(c, err);
    }
  };

  const exemplars = async (c: Context): Promise<Response> => {
    try {
      const p = await Params.of(c);
      const r = range(p);
      if (r.maxT < r.minT) throw badData('end timestamp must not be before start timestamp');
      const sets = selectorsOf(parseExpr(p.get('query') ?? ''));
      if (sets.length === 0) return ok(c, null);
      const found = await deps.store.exemplars(sets, r);
      return ok(
        c,
        found.map((s) => ({
          seriesLabels: s.seriesLabels,
          exemplars: s.exemplars.map((e) => ({
            labels: e.labels,
            value: formatValue(e.v),
            timestamp: e.t / 1000,
          })),
        })),
      );
    } catch (err) {
      return fail(c, err);
    }
  };

  const metadata = async (c: Context): Promise<Response> => {
    try {
      const p = await Params.of(c);
      let limit = -1;
      const l = p.get('limit');
      if (l !== undefined && l !== '') {
        if (!/^[+-]?\d+$/.test(l)) throw badData('limit must be a number');
        limit = Number(l);
      }
      const metric = p.get('metric');
      const all: PromMetadata[] = await deps.store.metadata(metric === '' ? undefined : metric);
      const out: Record<string, { type: string; help: string; unit: string }[]> = {};
      for (const m of all) {
        if (!(m.metric in out)) {
          if (limit >= 0 && Object.keys(out).length >= limit) continue;
          out[m.metric] = [];
        }
        const list = out[m.metric];
        if (
          list &&
          !list.some((x) => x.type === m.type && x.help === m.help && x.unit === m.unit)
        ) {
          list.push({ type: m.type, help: m.help, unit: m.unit });
        }
      }
      return ok(c, out);
    } catch (err) {
      return fail(c, err);
    }
  };

  type Handler = (c: Context) => Response | Promise<Response>;
  const routes: readonly [string, readonly ('GET' | 'POST')[], Handler][] = [
    ['/api/v1/query', ['GET', 'POST'], query],
    ['/api/v1/query_range', ['GET', 'POST'], queryRange],
    ['/api/v1/labels', ['GET', 'POST'], labels],
    ['/api/v1/label/:name/values', ['GET'], labelValues],
    ['/api/v1/series', ['GET', 'POST'], series],
    ['/api/v1/query_exemplars', ['GET', 'POST'], exemplars],
    ['/api/v1/metadata', ['GET'], metadata],
    ['/api/v1/status/buildinfo', ['GET'], (c) => ok(c, buildInfo)],
    // Grafana asks for rules and alerts; this backend evaluates none.
    ['/api/v1/rules', ['GET'], (c) => ok(c, { groups: [] })],
    ['/api/v1/alerts', ['GET'], (c) => ok(c, { alerts: [] })],
  ];
  for (const [path, methods, handler] of routes) app.on([...methods], path, handler);
  // Registered after the handlers above, so it answers only the other
  // methods: Prometheus' router says 405 for a known path, not 404.
  for (const [path, methods] of routes) {
    app.all(path, (c) => {
      c.header('Allow', methods.join(', '));
      return c.json(
        {
          status: 'error',
          errorType: 'method_not_allowed',
          error: `method ${c.req.method.slice(0, 16)} not allowed on ${c.req.path.slice(0, 200)}; use ${methods.join(' or ')}`,
        },
        405,
      );
    });
  }
  app.notFound((c) =>
    c.json(
      { status: 'error', errorType: 'not_found', error: `no route ${c.req.method} ${c.req.path}` },
      404,
    ),
  );
  return app;
}
