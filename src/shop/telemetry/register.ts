// Import this module first in a service's main.ts (`import '../../telemetry/register'`):
// it starts telemetry before grpc or http are loaded, so their instrumentation
// hooks are in place. The service name is the folder of the main module
// (dist/src/shop/services/<name>/main.js), or OTEL_LAB_SERVICE_NAME.
import path from 'node:path';
import { watchSupervisor } from '../parent-watch';
import { startTelemetry, type Telemetry } from './sdk';

function serviceName(): string {
  const explicit = process.env['OTEL_LAB_SERVICE_NAME'];
  if (explicit) return explicit;
  const main = require.main?.filename;
  if (!main) throw new Error('cannot tell the service name: set OTEL_LAB_SERVICE_NAME');
  return path.basename(path.dirname(main));
}

export const telemetry: Telemetry = startTelemetry(serviceName());

let stopping = false;
/** Flushes telemetry (at most 3 s), then exits. */
export function shutdownAndExit(code = 0): void {
  if (stopping) return;
  stopping = true;
  const timer = setTimeout(() => process.exit(code), 3000);
  timer.unref();
  telemetry.shutdown().finally(() => process.exit(code));
}

process.on('SIGTERM', () => shutdownAndExit(0));
process.on('SIGINT', () => shutdownAndExit(0));
// Leave with the supervisor even when it was killed too hard to stop us.
watchSupervisor(() => shutdownAndExit(0));
