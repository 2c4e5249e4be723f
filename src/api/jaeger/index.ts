// The Jaeger-compatible trace APIs, mounted at `/jaeger`: the legacy JSON
// API and api/v3, side by side as Jaeger's query service serves them.

import { Hono } from 'hono';
import type { TelemetryStore } from '../../store/store';
import { jaegerError } from '../errors';
import { createJaegerLegacyApi } from './legacy';
import { createJaegerV3Api } from './v3';

export function createJaegerApi(deps: { store: TelemetryStore }): Hono {
  const app = new Hono();
  app.route('/', createJaegerV3Api(deps));
  app.route('/', createJaegerLegacyApi(deps));
  app.all('*', (c) => jaegerError(c, 404, `no such endpoint: ${c.req.method} ${c.req.path}`));
  return app;
}

export { normalizeTraceId, parseLegacyTraceQuery } from './legacy';
export { parseV3TraceQuery } from './v3';
