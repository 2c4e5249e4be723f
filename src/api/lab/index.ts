// The lab API under `/api`: what the lab UI needs beyond the Jaeger and
// Prometheus APIs. Errors use Jaeger's envelope so the UI reads one shape.

import { Hono } from 'hono';
import type { TelemetryStore } from '../../store/store';
import { jaegerError } from '../errors';
import { createFlagsApi } from './flags';
import type { FlagsService } from './flags';
import { createSearchApi } from './search';

export function createLabApi(deps: { store: TelemetryStore; flags?: FlagsService }): Hono {
  const app = new Hono();
  app.route('/', createFlagsApi(deps.flags));
  app.route('/', createSearchApi(deps));
  app.all('*', (c) => jaegerError(c, 404, `no such endpoint: ${c.req.method} ${c.req.path}`));
  return app;
}

export type { Flag, FlagValue, FlagsService } from './flags';
export { toLabLog } from './search';
export type { LabLog } from './search';
