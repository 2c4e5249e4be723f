// Starts OpenTelemetry for one shop service. Must run before the service uses
// @grpc/grpc-js or node:http (see register.ts).
//
// Why not NodeSDK by default: @opentelemetry/sdk-node loads every exporter and
// propagator it could configure (zipkin, prometheus, b3, jaeger...), which
// measured 3-4 MB more RSS and heap per process (bench/RESULTS.md), ~40 MB
// across the lab's processes. This wires the same official SDK components
// NodeSDK would (NodeTracerProvider, MeterProvider, LoggerProvider, OTLP
// exporters), configured by the same standard OTEL_* variables;
// OTEL_LAB_TELEMETRY_SDK=node-sdk runs the same parts through NodeSDK.
import { randomUUID } from 'node:crypto';
import { diag, DiagConsoleLogger, DiagLogLevel, metrics } from '@opentelemetry/api';
import { logs } from '@opentelemetry/api-logs';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { GrpcInstrumentation } from '@opentelemetry/instrumentation-grpc';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { RuntimeNodeInstrumentation } from '@opentelemetry/instrumentation-runtime-node';
import {
  detectResources,
  envDetector,
  resourceFromAttributes,
  type Resource,
} from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { logExporter, metricExporter, signalEnabled, traceExporter } from './exporters';
import { startNodeSdk } from './node-sdk';
import { packageVersion } from './package';
import { registerProcessMetrics } from './process-metrics';
import { instanceIdFromEnv } from './resource-env';

export const SERVICE_NAMESPACE = 'opentelemetry-demo';
export const DEFAULT_METRIC_INTERVAL_MS = 10_000;

/**
 * How the SDK is wired: 'node-sdk' (default) hands the parts built here to
 * @opentelemetry/sdk-node's NodeSDK, the official entry point; 'providers'
 * registers the same tracer, meter and logger providers without NodeSDK,
 * which saves 3-4.5 MB RSS per process (bench/RESULTS.md). Chosen with
 * OTEL_LAB_TELEMETRY_SDK.
 */
export type TelemetrySdk = 'providers' | 'node-sdk';

export function telemetrySdk(env: NodeJS.ProcessEnv): TelemetrySdk {
  const raw = env['OTEL_LAB_TELEMETRY_SDK']?.trim();
  if (raw === undefined || raw === '' || raw === 'node-sdk') return 'node-sdk';
  if (raw === 'providers') return 'providers';
  throw new Error(
    `OTEL_LAB_TELEMETRY_SDK='${raw.slice(0, 40)}' is not supported (use providers or node-sdk)`,
  );
}

export interface Telemetry {
  readonly serviceName: string;
  readonly instanceId: string;
  readonly resource: Resource;
  shutdown(): Promise<void>;
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) {
    console.warn(`${name}=${raw} is not a positive integer; using ${fallback}`);
    return fallback;
  }
  return n;
}

/** service.* attributes win over OTEL_RESOURCE_ATTRIBUTES; other env attributes are kept. */
export function serviceResource(
  serviceName: string,
  instanceId: string,
  env: NodeJS.ProcessEnv,
): Resource {
  const fromEnv = env['OTEL_RESOURCE_ATTRIBUTES']
    ? detectResources({ detectors: [envDetector] })
    : undefined;
  const ours = resourceFromAttributes({
    'service.name': serviceName,
    'service.version': packageVersion(),
    'service.instance.id': instanceId,
    'service.namespace': SERVICE_NAMESPACE,
  });
  return fromEnv ? fromEnv.merge(ours) : ours;
}

export function startTelemetry(
  serviceName: string,
  env: NodeJS.ProcessEnv = process.env,
): Telemetry {
  if (env['OTEL_LOG_LEVEL']?.toLowerCase() === 'debug')
    diag.setLogger(new DiagConsoleLogger(), DiagLogLevel.DEBUG);
  const instanceId = instanceIdFromEnv(env) ?? randomUUID();
  const resource = serviceResource(serviceName, instanceId, env);

  const spanProcessors = signalEnabled('traces', env)
    ? [new BatchSpanProcessor(traceExporter(env))]
    : [];
  const interval = positiveInt(env, 'OTEL_METRIC_EXPORT_INTERVAL', DEFAULT_METRIC_INTERVAL_MS);
  const timeout = Math.min(interval, positiveInt(env, 'OTEL_METRIC_EXPORT_TIMEOUT', 30_000));
  const metricReaders = signalEnabled('metrics', env)
    ? [
        new PeriodicExportingMetricReader({
          exporter: metricExporter(env),
          exportIntervalMillis: interval,
          exportTimeoutMillis: timeout,
        }),
      ]
    : [];
  const logRecordProcessors = signalEnabled('logs', env)
    ? [new BatchLogRecordProcessor({ exporter: logExporter(env) })]
    : [];
  const instrumentations = [
    new HttpInstrumentation(),
    new GrpcInstrumentation(),
    new RuntimeNodeInstrumentation(),
  ];

  let shutdown: () => Promise<void>;
  if (telemetrySdk(env) === 'node-sdk') {
    shutdown = startNodeSdk({
      resource,
      spanProcessors,
      metricReaders,
      logRecordProcessors,
      instrumentations,
    });
  } else {
    const tracerProvider = new NodeTracerProvider({ resource, spanProcessors });
    // Registers the AsyncLocalStorage context manager and the W3C trace-context
    // and baggage propagators.
    tracerProvider.register();
    const meterProvider = new MeterProvider({ resource, readers: metricReaders });
    metrics.setGlobalMeterProvider(meterProvider);
    const loggerProvider = new LoggerProvider({ resource, processors: logRecordProcessors });
    logs.setGlobalLoggerProvider(loggerProvider);
    const unregister = registerInstrumentations({
      tracerProvider,
      meterProvider,
      instrumentations,
    });
    shutdown = async () => {
      unregister();
      await Promise.allSettled([
        tracerProvider.shutdown(),
        meterProvider.shutdown(),
        loggerProvider.shutdown(),
      ]);
    };
  }
  registerProcessMetrics(metrics.getMeter('otel-lab.process'));

  return { serviceName, instanceId, resource, shutdown };
}
