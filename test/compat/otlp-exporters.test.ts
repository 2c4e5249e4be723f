// The real OpenTelemetry JS SDK exporters (http/protobuf, http/json, grpc)
// send to our receivers; what they sent is read back field by field.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { context, SpanKind, SpanStatusCode, trace, TraceFlags } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { TraceState } from '@opentelemetry/core';
import { OTLPLogExporter as LogsGrpc } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPLogExporter as LogsJson } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as LogsProto } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter as MetricsGrpc } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPMetricExporter as MetricsJson } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as MetricsProto } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter as TraceGrpc } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as TraceJson } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as TraceProto } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import type { LogRecordExporter } from '@opentelemetry/sdk-logs';
import {
  AggregationType,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { suiteReceivers } from './sdk-receivers';

type Transport = 'http/protobuf' | 'http/json' | 'grpc';
const TRANSPORTS: Transport[] = ['http/protobuf', 'http/json', 'grpc'];

describe('OpenTelemetry JS SDK exporters -> otel-lab receivers', () => {
  const { store, points, httpUrl, grpcUrl } = suiteReceivers();

  const url = (t: Transport, path: string): string => (t === 'grpc' ? grpcUrl() : httpUrl(path));
  const traceExporter = (t: Transport): SpanExporter => {
    const o = { url: url(t, 'traces') };
    return t === 'grpc'
      ? new TraceGrpc(o)
      : t === 'http/json'
        ? new TraceJson(o)
        : new TraceProto(o);
  };
  const metricExporter = (t: Transport): PushMetricExporter => {
    const o = { url: url(t, 'metrics') };
    return t === 'grpc'
      ? new MetricsGrpc(o)
      : t === 'http/json'
        ? new MetricsJson(o)
        : new MetricsProto(o);
  };
  const logExporter = (t: Transport): LogRecordExporter => {
    const o = { url: url(t, 'logs') };
    return t === 'grpc' ? new LogsGrpc(o) : t === 'http/json' ? new LogsJson(o) : new LogsProto(o);
  };
  const resource = (t: Transport) =>
    resourceFromAttributes({ 'service.name': `svc-${t}`, 'deployment.environment': 'test' });

  const remoteParent = (i: number): Context =>
    trace.setSpanContext(context.active(), {
      traceId: `4bf92f3577b34da6a3ce929d0e0e47${String(30 + i)}`,
      spanId: '00f067aa0ba902b7',
      traceFlags: TraceFlags.SAMPLED,
      isRemote: true,
      traceState: new TraceState('vendor=abc'),
    });

  for (const [i, t] of TRANSPORTS.entries()) {
    it(`${t}: a span with attributes of every type, events, links and status`, async () => {
      const provider = new BasicTracerProvider({
        resource: resource(t),
        spanProcessors: [new SimpleSpanProcessor(traceExporter(t))],
      });
      const tracer = provider.getTracer('compat-lib', '1.2.3');
      const span = tracer.startSpan(
        'checkout',
        {
          kind: SpanKind.SERVER,
          startTime: [1700000000, 123456789],
          attributes: {
            s: 'text',
            b: true,
            i: 42,
            d: 1.5,
            sa: ['a', 'b'],
            ia: [1, 2],
            da: [0.5, 2.5],
            ba: [true, false],
          },
          links: [
            {
              context: {
                traceId: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
                spanId: 'bbbbbbbbbbbbbbbb',
                traceFlags: 1,
              },
              attributes: { why: 'batch' },
            },
          ],
        },
        remoteParent(i),
      );
      span.addEvent('exception', { 'exception.message': 'boom', n: 7 }, [1700000000, 500000000]);
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'payment failed' });
      span.end([1700000001, 5]);
      await provider.forceFlush();
      await provider.shutdown();

      const traceId = span.spanContext().traceId;
      const [got, ...rest] = await store.getTrace(traceId);
      assert.equal(rest.length, 0);
      assert.ok(got);
      assert.equal(got.traceId, traceId);
      assert.equal(got.spanId, span.spanContext().spanId);
      assert.equal(got.parentSpanId, '00f067aa0ba902b7');
      assert.equal(got.traceState, 'vendor=abc');
      assert.equal(got.flags & 0xff, 1);
      assert.equal(got.name, 'checkout');
      assert.equal(got.kind, 2);
      assert.equal(got.startTimeUnixNano, 1700000000123456789n);
      assert.equal(got.endTimeUnixNano, 1700000001000000005n);
      assert.deepEqual(got.attributes, {
        s: 'text',
        b: true,
        i: 42n,
        d: 1.5,
        sa: ['a', 'b'],
        ia: [1n, 2n],
        da: [0.5, 2.5],
        ba: [true, false],
      });
      assert.deepEqual(got.events, [
        {
          timeUnixNano: 1700000000500000000n,
          name: 'exception',
          attributes: { 'exception.message': 'boom', n: 7n },
          droppedAttributesCount: 0,
        },
      ]);
      assert.equal(got.links.length, 1);
      assert.deepEqual(
        { ...got.links[0], flags: undefined },
        {
          traceId: 'a'.repeat(32),
          spanId: 'b'.repeat(16),
          traceState: '',
          attributes: { why: 'batch' },
          droppedAttributesCount: 0,
          flags: undefined,
        },
      );
      assert.deepEqual(got.status, { code: 2, message: 'payment failed' });
      assert.deepEqual(got.resource.attributes['service.name'], `svc-${t}`);
      assert.equal(got.resource.attributes['deployment.environment'], 'test');
      assert.equal(got.scope.name, 'compat-lib');
      assert.equal(got.scope.version, '1.2.3');
    });

    it(`${t}: every metric kind the SDK makes`, async () => {
      const reader = new PeriodicExportingMetricReader({
        exporter: metricExporter(t),
        exportIntervalMillis: 600_000,
      });
      const provider = new MeterProvider({
        resource: resource(t),
        readers: [reader],
        views: [
          { instrumentName: 'expo', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } },
        ],
      });
      const meter = provider.getMeter('compat-meter', '9.9');
      meter
        .createCounter('calls', { description: 'calls made', unit: '{call}' })
        .add(3, { route: '/a' });
      meter.createUpDownCounter('inflight').add(-2);
      meter
        .createHistogram('latency', { unit: 'ms', advice: { explicitBucketBoundaries: [10, 100] } })
        .record(50, { route: '/a' });
      meter.createHistogram('expo').record(3);
      meter.createGauge('temp').record(21.5);
      meter.createObservableGauge('heap').addCallback((r) => r.observe(1024, { space: 'old' }));
      await reader.forceFlush();
      await provider.shutdown();

      const mine = points.filter((p) => p.resource.attributes['service.name'] === `svc-${t}`);
      const by = (name: string) => {
        const p = mine.find((x) => x.name === name);
        assert.ok(p, `${name} arrived`);
        assert.equal(p.scope.name, 'compat-meter');
        assert.equal(p.scope.version, '9.9');
        assert.ok(p.timeUnixNano > 1_600_000_000_000_000_000n);
        return p;
      };
      const calls = by('calls');
      assert.ok(calls.type === 'sum');
      assert.deepEqual(
        [
          calls.value,
          calls.isMonotonic,
          calls.temporality,
          calls.description,
          calls.unit,
          calls.attributes,
        ],
        [3, true, 2, 'calls made', '{call}', { route: '/a' }],
      );
      const inflight = by('inflight');
      assert.ok(inflight.type === 'sum');
      assert.deepEqual([inflight.value, inflight.isMonotonic], [-2, false]);
      const lat = by('latency');
      assert.ok(lat.type === 'histogram');
      assert.deepEqual(
        [lat.count, lat.sum, lat.min, lat.max, lat.explicitBounds, lat.bucketCounts, lat.unit],
        [1n, 50, 50, 50, [10, 100], [0n, 1n, 0n], 'ms'],
      );
      const expo = by('expo');
      assert.ok(expo.type === 'exponential_histogram');
      assert.equal(expo.count, 1n);
      assert.equal(expo.sum, 3);
      assert.equal(
        expo.positive.bucketCounts.reduce((a, b) => a + b, 0n),
        1n,
      );
      assert.equal(typeof expo.scale, 'number');
      const temp = by('temp');
      assert.deepEqual([temp.type, temp.type === 'gauge' && temp.value], ['gauge', 21.5]);
      const heap = by('heap');
      assert.deepEqual(
        [heap.type, heap.type === 'gauge' && heap.value, heap.attributes],
        ['gauge', 1024, { space: 'old' }],
      );
    });

    it(`${t}: a log record with a body, severity, attributes and trace context`, async () => {
      const provider = new LoggerProvider({
        resource: resource(t),
        processors: [new SimpleLogRecordProcessor({ exporter: logExporter(t) })],
      });
      const logger = provider.getLogger('compat-logger', '0.1');
      const ctx = remoteParent(i);
      logger.emit({
        severityNumber: SeverityNumber.WARN,
        severityText: 'WARN',
        body: { msg: 'card declined', attempts: 2 },
        attributes: { 'user.id': 'u1', retry: true },
        timestamp: [1700000002, 7],
        eventName: 'payment.declined',
        context: ctx,
      });
      await provider.forceFlush();
      await provider.shutdown();

      const traceId = trace.getSpanContext(ctx)?.traceId ?? '';
      const logs = await store.searchLogs({
        range: { start: 0n, end: 1n << 62n },
        traceId,
        limit: 10,
      });
      assert.equal(logs.length, 1);
      const l = logs[0];
      assert.ok(l);
      assert.equal(l.traceId, traceId);
      assert.equal(l.spanId, '00f067aa0ba902b7');
      assert.equal(l.flags, 1);
      assert.equal(l.severityNumber, 13);
      assert.equal(l.severityText, 'WARN');
      assert.deepEqual(l.body, { kvlist: { msg: 'card declined', attempts: 2n } });
      assert.deepEqual(l.attributes, { 'user.id': 'u1', retry: true });
      assert.equal(l.timeUnixNano, 1700000002000000007n);
      assert.ok(l.observedTimeUnixNano > 0n);
      assert.equal(l.eventName, 'payment.declined');
      assert.equal(l.resource.attributes['service.name'], `svc-${t}`);
      assert.deepEqual([l.scope.name, l.scope.version], ['compat-logger', '0.1']);
    });
  }
});
