import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MeterProvider,
  PeriodicExportingMetricReader,
  InMemoryMetricExporter,
  AggregationTemporality,
} from '@opentelemetry/sdk-metrics';
import { trace } from '@opentelemetry/api';
import { logs } from '@opentelemetry/api-logs';
import {
  InMemoryLogRecordExporter,
  LoggerProvider,
  SimpleLogRecordProcessor,
} from '@opentelemetry/sdk-logs';
import { defaultUrl, protocolFor, signalEnabled, traceExporter } from './exporters';
import { createLogger } from './log';
import { packageVersion } from './package';
import { cpuUtilization, registerProcessMetrics } from './process-metrics';
import { instanceIdFromEnv, withInstanceId } from './resource-env';
import { SERVICE_NAMESPACE, serviceResource } from './sdk';
import { inServerSpan, memorySpans } from './testing';

test('protocol: per-signal beats generic, default http/protobuf, unknown refused', () => {
  assert.equal(protocolFor('traces', {}), 'http/protobuf');
  assert.equal(protocolFor('metrics', { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }), 'grpc');
  assert.equal(
    protocolFor('logs', {
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
      OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: 'http/json',
    }),
    'http/json',
  );
  assert.throws(
    () => protocolFor('traces', { OTEL_EXPORTER_OTLP_PROTOCOL: 'thrift' }),
    /'thrift' for traces is not supported/,
  );
});

test('endpoint: lab backend on loopback unless the environment names one', () => {
  assert.equal(defaultUrl('traces', 'http/protobuf', {}), 'http://127.0.0.1:4318/v1/traces');
  assert.equal(defaultUrl('metrics', 'grpc', {}), 'http://127.0.0.1:4317');
  assert.equal(
    defaultUrl('logs', 'http/json', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://x:4318' }),
    undefined,
  );
  assert.equal(
    defaultUrl('logs', 'http/json', { OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://x/v1/logs' }),
    undefined,
  );
  assert.equal(signalEnabled('logs', { OTEL_LOGS_EXPORTER: 'none' }), false);
  assert.equal(signalEnabled('logs', { OTEL_LOGS_EXPORTER: 'otlp' }), true);
});

test('resource: service identity wins over OTEL_RESOURCE_ATTRIBUTES', () => {
  const r = serviceResource('cart', 'id-1', {
    OTEL_RESOURCE_ATTRIBUTES: 'service.name=evil,deployment.environment=lab',
  });
  assert.equal(r.attributes['service.name'], 'cart');
  assert.equal(r.attributes['service.instance.id'], 'id-1');
  assert.equal(r.attributes['service.namespace'], SERVICE_NAMESPACE);
  assert.equal(r.attributes['service.version'], packageVersion());
  assert.match(packageVersion(), /^\d+\.\d+\.\d+/);
});

test('instance id: read from OTEL_RESOURCE_ATTRIBUTES, absent when not set there', () => {
  assert.equal(instanceIdFromEnv({}), undefined);
  assert.equal(
    instanceIdFromEnv({ OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=lab' }),
    undefined,
  );
  assert.equal(
    instanceIdFromEnv({
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=lab, service.instance.id = rec-1 ,x=y',
    }),
    'rec-1',
  );
  // Values are percent-encoded (W3C baggage octets); a bad escape is ignored.
  assert.equal(
    instanceIdFromEnv({ OTEL_RESOURCE_ATTRIBUTES: 'service.instance.id=a%2Cb%20c' }),
    'a,b c',
  );
  assert.equal(
    instanceIdFromEnv({ OTEL_RESOURCE_ATTRIBUTES: 'service.instance.id=%zz' }),
    undefined,
  );
  assert.equal(instanceIdFromEnv({ OTEL_RESOURCE_ATTRIBUTES: 'service.instance.id=' }), undefined);
  assert.equal(
    instanceIdFromEnv({ OTEL_RESOURCE_ATTRIBUTES: `service.instance.id=${'x'.repeat(256)}` }),
    undefined,
  );
  // The last one wins, as in the SDK's parser.
  assert.equal(
    instanceIdFromEnv({ OTEL_RESOURCE_ATTRIBUTES: 'service.instance.id=a,service.instance.id=b' }),
    'b',
  );
});

test('instance id: added beside the attributes set, never over a set id', () => {
  assert.deepEqual(withInstanceId({ A: '1' }, 'id 1'), {
    A: '1',
    OTEL_RESOURCE_ATTRIBUTES: 'service.instance.id=id%201',
  });
  const merged = withInstanceId({ OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=lab' }, 'x');
  assert.equal(
    merged['OTEL_RESOURCE_ATTRIBUTES'],
    'deployment.environment=lab,service.instance.id=x',
  );
  assert.equal(instanceIdFromEnv(withInstanceId({}, 'a,b')), 'a,b');
  const mine = { OTEL_RESOURCE_ATTRIBUTES: 'service.instance.id=mine' };
  assert.equal(withInstanceId(mine, 'x'), mine);
});

test('cpu utilization: CPU time over wall time and CPUs', () => {
  const u = cpuUtilization(
    { user: 0, system: 0, at: 0 },
    { user: 500_000, system: 100_000, at: 1000 },
    2,
  );
  assert.equal(u.user, 0.25);
  assert.equal(u.system, 0.05);
  assert.deepEqual(
    cpuUtilization({ user: 0, system: 0, at: 5 }, { user: 9, system: 9, at: 5 }, 1),
    { user: 0, system: 0 },
  );
});

test('process metrics use the semantic-convention names', async () => {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
  const provider = new MeterProvider({ readers: [reader] });
  registerProcessMetrics(provider.getMeter('t'));
  await reader.forceFlush();
  const names = exporter
    .getMetrics()
    .flatMap((rm) => rm.scopeMetrics.flatMap((s) => s.metrics.map((m) => m.descriptor.name)));
  assert.deepEqual(names.sort(), [
    'process.cpu.time',
    'process.cpu.utilization',
    'process.memory.usage',
  ]);
  await provider.shutdown();
});

test('logger prints one line with bounded attributes', () => {
  const lines: string[] = [];
  const log = createLogger('svc', (l) => lines.push(l));
  log.warn('hello', { k: 'x'.repeat(500), n: 3 });
  assert.equal(lines.length, 1);
  assert.match(lines[0] ?? '', /WARN \[svc\] hello k=x{200}\.\.\. n=3$/);
});

test('log records carry the active span ids', async () => {
  memorySpans();
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter })] });
  logs.setGlobalLoggerProvider(provider);
  try {
    const log = createLogger('svc', () => undefined);
    let spanId = '';
    await inServerSpan('work', async () => {
      spanId = trace.getActiveSpan()?.spanContext().spanId ?? '';
      log.info('inside', { n: 1 });
    });
    const [rec] = exporter.getFinishedLogRecords();
    assert.equal(rec?.body, 'inside');
    assert.equal(rec?.severityText, 'INFO');
    assert.equal(rec?.spanContext?.spanId, spanId);
    assert.match(spanId, /^[0-9a-f]{16}$/);
  } finally {
    logs.disable();
    await provider.shutdown();
  }
});

test('exporters: only the chosen protocol is loaded', () => {
  const exporter = traceExporter({
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9',
  });
  assert.equal(exporter.constructor.name, 'OTLPTraceExporter');
  const loaded = Object.keys(require.cache);
  assert.ok(loaded.some((f) => f.includes('/exporter-trace-otlp-http/')));
  assert.ok(!loaded.some((f) => f.includes('/exporter-trace-otlp-grpc/')));
  assert.ok(!loaded.some((f) => f.includes('/exporter-trace-otlp-proto/')));
  void exporter.shutdown();
});
