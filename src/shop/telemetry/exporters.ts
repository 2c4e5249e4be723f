// OTLP exporters chosen by the standard variables: OTEL_EXPORTER_OTLP_PROTOCOL
// (or the per-signal OTEL_EXPORTER_OTLP_{TRACES,METRICS,LOGS}_PROTOCOL):
// http/protobuf (default), http/json or grpc. Endpoints, headers and timeouts
// are read from the environment by the exporters themselves; when no endpoint
// is set at all we point at the lab backend on 127.0.0.1.
//
// Each exporter package is required only when chosen: loading all nine costs
// every service ~300 modules it never runs (measured in bench/RESULTS.md).
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

/* eslint-disable @typescript-eslint/no-require-imports -- lazy: see the top of this file */
type TraceGrpc = typeof import('@opentelemetry/exporter-trace-otlp-grpc');
type TraceJson = typeof import('@opentelemetry/exporter-trace-otlp-http');
type TraceProto = typeof import('@opentelemetry/exporter-trace-otlp-proto');
type MetricGrpc = typeof import('@opentelemetry/exporter-metrics-otlp-grpc');
type MetricJson = typeof import('@opentelemetry/exporter-metrics-otlp-http');
type MetricProto = typeof import('@opentelemetry/exporter-metrics-otlp-proto');
type LogGrpc = typeof import('@opentelemetry/exporter-logs-otlp-grpc');
type LogJson = typeof import('@opentelemetry/exporter-logs-otlp-http');
type LogProto = typeof import('@opentelemetry/exporter-logs-otlp-proto');

export function traceExporter(env: NodeJS.ProcessEnv): SpanExporter {
  const p = protocolFor('traces', env);
  const c = cfg(defaultUrl('traces', p, env));
  if (p === 'grpc') {
    const m = require('@opentelemetry/exporter-trace-otlp-grpc') as TraceGrpc;
    return new m.OTLPTraceExporter(c);
  }
  if (p === 'http/json') {
    const m = require('@opentelemetry/exporter-trace-otlp-http') as TraceJson;
    return new m.OTLPTraceExporter(c);
  }
  const m = require('@opentelemetry/exporter-trace-otlp-proto') as TraceProto;
  return new m.OTLPTraceExporter(c);
}

export function metricExporter(env: NodeJS.ProcessEnv): PushMetricExporter {
  const p = protocolFor('metrics', env);
  const c = cfg(defaultUrl('metrics', p, env));
  if (p === 'grpc') {
    const m = require('@opentelemetry/exporter-metrics-otlp-grpc') as MetricGrpc;
    return new m.OTLPMetricExporter(c);
  }
  if (p === 'http/json') {
    const m = require('@opentelemetry/exporter-metrics-otlp-http') as MetricJson;
    return new m.OTLPMetricExporter(c);
  }
  const m = require('@opentelemetry/exporter-metrics-otlp-proto') as MetricProto;
  return new m.OTLPMetricExporter(c);
}

export function logExporter(env: NodeJS.ProcessEnv): LogRecordExporter {
  const p = protocolFor('logs', env);
  const c = cfg(defaultUrl('logs', p, env));
  if (p === 'grpc') {
    const m = require('@opentelemetry/exporter-logs-otlp-grpc') as LogGrpc;
    return new m.OTLPLogExporter(c);
  }
  if (p === 'http/json') {
    const m = require('@opentelemetry/exporter-logs-otlp-http') as LogJson;
    return new m.OTLPLogExporter(c);
  }
  const m = require('@opentelemetry/exporter-logs-otlp-proto') as LogProto;
  return new m.OTLPLogExporter(c);
}
/* eslint-enable @typescript-eslint/no-require-imports */
