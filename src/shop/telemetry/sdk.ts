// Starts the OpenTelemetry Node SDK for one shop service. Must run before
// @grpc/grpc-js and node:http are used by the service (see register.ts).
// Exporters come from the standard OTEL_* variables; the defaults below only
// fill what is unset, so any OTLP backend works.
import { randomUUID } from 'node:crypto';
import { metrics } from '@opentelemetry/api';
import { GrpcInstrumentation } from '@opentelemetry/instrumentation-grpc';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { RuntimeNodeInstrumentation } from '@opentelemetry/instrumentation-runtime-node';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { packageVersion } from './package';
import { registerProcessMetrics } from './process-metrics';

export const SERVICE_NAMESPACE = 'opentelemetry-demo';

/** Fills unset OTEL_* variables with the lab's defaults (mutates `env`). */
export function applyOtelDefaults(env: NodeJS.ProcessEnv): void {
  const protocol = env['OTEL_EXPORTER_OTLP_PROTOCOL'] || 'http/protobuf';
  if (!env['OTEL_EXPORTER_OTLP_PROTOCOL']) env['OTEL_EXPORTER_OTLP_PROTOCOL'] = protocol;
  if (!env['OTEL_EXPORTER_OTLP_ENDPOINT']) {
    env['OTEL_EXPORTER_OTLP_ENDPOINT'] =
      protocol === 'grpc' ? 'http://127.0.0.1:4317' : 'http://127.0.0.1:4318';
  }
  if (!env['OTEL_METRIC_EXPORT_INTERVAL']) env['OTEL_METRIC_EXPORT_INTERVAL'] = '10000';
}

export interface Telemetry {
  readonly serviceName: string;
  readonly instanceId: string;
  shutdown(): Promise<void>;
}

export function startTelemetry(serviceName: string, env: NodeJS.ProcessEnv = process.env): Telemetry {
  applyOtelDefaults(env);
  const instanceId = randomUUID();
  const sdk = new NodeSDK({
    serviceName,
    resource: resourceFromAttributes({
      'service.name': serviceName,
      'service.version': packageVersion(),
      'service.instance.id': instanceId,
      'service.namespace': SERVICE_NAMESPACE,
    }),
    instrumentations: [
      new HttpInstrumentation(),
      new GrpcInstrumentation(),
      new RuntimeNodeInstrumentation(),
    ],
  });
  sdk.start();
  registerProcessMetrics(metrics.getMeter('otel-lab.process'));
  return { serviceName, instanceId, shutdown: () => sdk.shutdown() };
}
