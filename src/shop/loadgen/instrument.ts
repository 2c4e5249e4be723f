// Imported first by main.ts: starts the OpenTelemetry SDK (the shop's
// bootstrap) before node:http is loaded, so every request is traced.
import { startTelemetry, type Telemetry } from '../telemetry/sdk';

export const SERVICE_NAME = 'load-generator';

export const telemetry: Telemetry = startTelemetry(SERVICE_NAME);
