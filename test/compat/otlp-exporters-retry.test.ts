// The real OpenTelemetry JS SDK exporters, gzip-compressed on every transport,
// and what they do with our backpressure answer: the HTTP exporters retry a
// 503 + Retry-After, so a refused export arrives on the next attempt.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OTLPLogExporter as LogsJson } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPMetricExporter as MetricsProto } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter as TraceGrpc } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as TraceJson } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as TraceProto } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { Signal } from '../../src/collector/otlp/decode';
import type { IngestPipeline } from '../../src/collector/pipeline';
import { BackpressureError } from '../../src/collector/write-queue';
import type { TelemetryBatch } from '../../src/model/telemetry';
import { suiteReceivers } from './sdk-receivers';

/** The exporters' CompressionAlgorithm.GZIP, without importing their base package. */
const GZIP = 'gzip' as NonNullable<ConstructorParameters<typeof TraceProto>[0]>['compression'];

/** The pipeline, refusing the next `refuse` exports as a full write queue would. */
class Refusing {
  refuse = 0;
  refused = 0;
  attempts = 0;
  constructor(private readonly inner: IngestPipeline) {}
  ingest(batch: TelemetryBatch, signal?: Signal): ReturnType<IngestPipeline['ingest']> {
    this.attempts++;
    if (this.refuse > 0) {
      this.refuse--;
      this.refused++;
      return Promise.reject(new BackpressureError('write queue full (test)', 1));
    }
    return this.inner.ingest(batch, signal);
  }
  recordRequest(signal: Signal, bytes: number): void {
    this.inner.recordRequest(signal, bytes);
  }
  recordRejected(signal: Signal, items: number, invalidRequest?: boolean): void {
    this.inner.recordRejected(signal, items, invalidRequest);
  }
}

describe('SDK exporters with gzip, and their retries of our backpressure answer', () => {
  let pipeline!: Refusing;
  const {
    store,
    points,
    httpUrl: http,
    grpcUrl,
  } = suiteReceivers((inner) => (pipeline = new Refusing(inner)));
  const resource = resourceFromAttributes({ 'service.name': 'retry-test' });

  /** Sends one span through `exporter`; its trace id. */
  async function sendSpan(exporter: SpanExporter, name: string): Promise<string> {
    const provider = new BasicTracerProvider({
      resource,
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    const span = provider.getTracer('retry-lib').startSpan(name);
    span.end();
    await provider.forceFlush();
    await provider.shutdown();
    return span.spanContext().traceId;
  }

  const transports = [
    ['http/protobuf', () => new TraceProto({ url: http('traces'), compression: GZIP })],
    ['http/json', () => new TraceJson({ url: http('traces'), compression: GZIP })],
    ['grpc', () => new TraceGrpc({ url: grpcUrl(), compression: GZIP })],
  ] as const;
  for (const [t, exporter] of transports) {
    it(`${t}: a gzip-compressed export is stored`, async () => {
      const attempts = pipeline.attempts;
      const traceId = await sendSpan(exporter(), `gzip-${t}`);
      const spans = await store.getTrace(traceId);
      assert.deepEqual(
        spans.map((s) => s.name),
        [`gzip-${t}`],
      );
      assert.equal(pipeline.attempts, attempts + 1);
    });
  }

  for (const [t, exporter] of transports.filter(([t]) => t !== 'grpc')) {
    it(`${t}: a span export refused with 503 + Retry-After is retried and stored`, async () => {
      pipeline.refuse = 1;
      const refused = pipeline.refused;
      const traceId = await sendSpan(exporter(), `retried-${t}`);
      assert.equal(pipeline.refused, refused + 1, 'the first attempt was refused');
      const spans = await store.getTrace(traceId);
      assert.deepEqual(
        spans.map((s) => s.name),
        [`retried-${t}`],
      );
    });
  }

  it('http/protobuf: a metric export refused with 503 is retried and stored', async () => {
    const reader = new PeriodicExportingMetricReader({
      exporter: new MetricsProto({ url: http('metrics'), compression: GZIP }),
      exportIntervalMillis: 600_000,
    });
    const provider = new MeterProvider({ resource, readers: [reader] });
    provider.getMeter('retry-meter').createCounter('retried.calls').add(4);
    pipeline.refuse = 1;
    const refused = pipeline.refused;
    await reader.forceFlush();
    // Read before shutdown, whose own final export would deliver the counter anyway.
    const got = points.filter((p) => p.name === 'retried.calls');
    await provider.shutdown();
    assert.equal(pipeline.refused, refused + 1, 'the first attempt was refused');
    assert.equal(got.length, 1);
    assert.ok(got[0]?.type === 'sum');
    assert.equal(got[0].value, 4);
  });

  it('http/json: a log export refused with 503 is retried and stored', async () => {
    const provider = new LoggerProvider({
      resource,
      processors: [
        new SimpleLogRecordProcessor({
          exporter: new LogsJson({ url: http('logs'), compression: GZIP }),
        }),
      ],
    });
    pipeline.refuse = 1;
    const refused = pipeline.refused;
    provider.getLogger('retry-logger').emit({ body: 'retried log', timestamp: [1700000003, 0] });
    await provider.forceFlush();
    await provider.shutdown();
    assert.equal(pipeline.refused, refused + 1, 'the first attempt was refused');
    const logs = await store.searchLogs({
      range: { start: 0n, end: 1n << 62n },
      text: 'retried log',
      limit: 10,
    });
    assert.deepEqual(
      logs.map((l) => l.body),
      ['retried log'],
    );
  });
});
