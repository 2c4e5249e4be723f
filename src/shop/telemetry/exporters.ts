// OTLP exporters chosen by the standard variables: OTEL_EXPORTER_OTLP_PROTOCOL
// (or the per-signal OTEL_EXPORTER_OTLP_{TRACES,METRICS,LOGS}_PROTOCOL):
// http/protobuf (default), http/json or grpc. Endpoints, headers and timeouts
// are read from the environment by the exporters themselves; when no endpoint
// is set at all we point at the lab backend on 127.0.0.1.
import { OTLPLogExporter as GrpcLogs } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPLogExporter as JsonLogs } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtoLogs } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter as GrpcMetrics } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPMetricExporter as JsonMetrics } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoMetrics } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter as GrpcTraces } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as JsonTraces } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoTraces } from '@opentelemetry/exporter-trace-otlp-proto';
import type { LogRecordExporter } from '@opentelemetry/sdk-logs';
import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';

export type Signal = 'traces' | 'metrics' | 'logs';
export type OtlpProtocol = 'http/protobuf' | 'http/json' | 'grpc';

export const DEFAULT_HTTP_ENDPOINT = 'http://127.0.0.1:4318';
export const DEFAULT_GRPC_ENDPOINT = 'http://127.0.0.1:4317';

const set = (v: string | undefined): v is string => v !== undefined && v.trim() !== '';

export function protocolFor(signal: Signal, env: NodeJS.ProcessEnv): OtlpProtocol {
  const raw =
    env[`OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_PROTOCOL`] ??
    env['OTEL_EXPORTER_OTLP_PROTOCOL'];
  const p = set(raw) ? raw.trim() : 'http/protobuf';
  if (p === 'http/protobuf' || p === 'http/json' || p === 'grpc') return p;
  throw new Error(
    `OTLP protocol '${p}' for ${signal} is not supported (use http/protobuf, http/json or grpc)`,
  );
}

/** The exporter `url` to pass, or undefined when the environment names one. */
export function defaultUrl(
  signal: Signal,
  protocol: OtlpProtocol,
  env: NodeJS.ProcessEnv,
): string | undefined {
  if (
    set(env['OTEL_EXPORTER_OTLP_ENDPOINT']) ||
    set(env[`OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_ENDPOINT`])
  ) {
    return undefined;
  }
  return protocol === 'grpc' ? DEFAULT_GRPC_ENDPOINT : `${DEFAULT_HTTP_ENDPOINT}/v1/${signal}`;
}

/** False when OTEL_{TRACES,METRICS,LOGS}_EXPORTER says none. */
export function signalEnabled(signal: Signal, env: NodeJS.ProcessEnv): boolean {
  const v = env[`OTEL_${signal.toUpperCase()}_EXPORTER`];
  return (
    !set(v) ||
    !v
      .split(',')
      .map((s) => s.trim())
      .includes('none')
  );
}

const cfg = (url: string | undefined) => (url === undefined ? {} : { url });

export function traceExporter(env: NodeJS.ProcessEnv): SpanExporter {
  const p = protocolFor('traces', env);
  const c = cfg(defaultUrl('traces', p, env));
  return p === 'grpc'
    ? new GrpcTraces(c)
    : p === 'http/json'
      ? new JsonTraces(c)
      : new ProtoTraces(c);
}

export function metricExporter(env: NodeJS.ProcessEnv): PushMetricExporter {
  const p = protocolFor('metrics', env);
  const c = cfg(defaultUrl('metrics', p, env));
  return p === 'grpc'
    ? new GrpcMetrics(c)
    : p === 'http/json'
      ? new JsonMetrics(c)
      : new ProtoMetrics(c);
}

export function logExporter(env: NodeJS.ProcessEnv): LogRecordExporter {
  const p = protocolFor('logs', env);
  const c = cfg(defaultUrl('logs', p, env));
  return p === 'grpc' ? new GrpcLogs(c) : p === 'http/json' ? new JsonLogs(c) : new ProtoLogs(c);
}
