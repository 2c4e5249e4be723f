// The HTTP surface on port 8080: Jaeger APIs at /jaeger, the Prometheus API
// at /prometheus, the lab API at /api, the backend's own health at /metrics,
// and the lab UI everywhere else.

import { Hono } from 'hono';
import type { TelemetryStore } from '../store/store';
import { jaegerError } from './errors';
import { renderHealthMetrics } from './health';
import type { IngestStats } from '../collector/pipeline';
import { createJaegerApi } from './jaeger';
import { createLabApi } from './lab';
import { createPrometheusApi } from './prometheus';
import type { FlagsService } from './lab';
import { createStaticHandler } from './static';

export interface ApiDeps {
  readonly store: TelemetryStore;
  /** Feature flags; without it `/api/flags` answers 503 (e.g. `otel-lab serve`). */
  readonly flags?: FlagsService;
  /** The ingest pipeline's counters for `/metrics` (`() => pipeline.stats()`); left out there when absent. */
  readonly ingestStats?: () => IngestStats | Promise<IngestStats>;
  /** The built UI; default `dist/ui` under the package root. */
  readonly uiDir?: string;
  /**
   * Replaces the Prometheus API mounted at `/prometheus` (routes under
   * `/api/v1/...`); default `createPrometheusApi({ store })`.
   */
  readonly prometheus?: Hono;
}

/** Security headers for every response; the UI's CSP forbids inline scripts. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
};

export function createApiApp(deps: ApiDeps): Hono {
  const app = new Hono();

  app.use('*', async (c, next) => {
    await next();
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) c.res.headers.set(k, v);
  });

  app.route('/jaeger', createJaegerApi(deps));
  app.route('/api', createLabApi(deps));
  app.route('/prometheus', deps.prometheus ?? createPrometheusApi({ store: deps.store }));

  app.get('/metrics', async (c) => {
    const [store, ingest] = await Promise.all([deps.store.stats(), deps.ingestStats?.()]);
    return c.text(renderHealthMetrics(store, ingest), 200, {
      'Content-Type': 'text/plain; version=0.0.4; charset=utf-8',
    });
  });

  // JSON 404s for the API prefixes, so a typo never gets the UI's index.html.
  app.all('/jaeger', (c) => jaegerError(c, 404, `no such endpoint: ${c.req.method} ${c.req.path}`));
  app.all('/api', (c) => jaegerError(c, 404, `no such endpoint: ${c.req.method} ${c.req.path}`));
  app.all('/prometheus/*', (c) =>
    c.json(
      {
        status: 'error',
        errorType: 'not_found',
        error: `no such endpoint: ${c.req.method} ${c.req.path}`,
      },
      404,
    ),
  );

  const serveUi = createStaticHandler(deps.uiDir);
  app.on(['GET', 'HEAD'], '*', (c) => serveUi(c));

  app.onError((err, c) =>
    jaegerError(c, 500, `internal error: ${err instanceof Error ? err.message : String(err)}`),
  );
  return app;
}
