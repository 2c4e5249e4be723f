// The HTTP surfaces on port 8080 (see app.ts for the map).

export { SECURITY_HEADERS, createApiApp } from './app';
export type { ApiDeps } from './app';
export { startApiServer } from './server';
export type { ApiServer, ApiServerOptions } from './server';
export { renderHealthMetrics } from './health';
export type { Flag, FlagValue, FlagsService } from './lab';
