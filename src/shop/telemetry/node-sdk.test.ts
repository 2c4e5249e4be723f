// Its own file (own process): NodeSDK sets the global providers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { trace } from '@opentelemetry/api';
import { NODE_SDK_MODULE, nodeSdkClass } from './node-sdk';
import { startTelemetry, telemetrySdk } from './sdk';

test('OTEL_LAB_TELEMETRY_SDK: node-sdk by default, providers on request, anything else refused', () => {
  assert.equal(telemetrySdk({}), 'node-sdk');
  assert.equal(telemetrySdk({ OTEL_LAB_TELEMETRY_SDK: 'providers' }), 'providers');
  assert.equal(telemetrySdk({ OTEL_LAB_TELEMETRY_SDK: ' node-sdk ' }), 'node-sdk');
  assert.throws(
    () => telemetrySdk({ OTEL_LAB_TELEMETRY_SDK: 'auto' }),
    /OTEL_LAB_TELEMETRY_SDK='auto' is not supported/,
  );
});

test('the node-sdk variant exports spans with the service resource', async () => {
  const bodies: string[] = [];
  const sink = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      if (req.url === '/v1/traces') bodies.push(body);
      res.setHeader('content-type', 'application/json');
      res.end('{}');
    });
  });
  await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
  const { port } = sink.address() as AddressInfo;
  try {
    // The OTLP exporters read their endpoint from process.env themselves.
    Object.assign(process.env, {
      OTEL_LAB_TELEMETRY_SDK: 'node-sdk',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
    });
    const t = startTelemetry('node-sdk-probe', process.env);
    trace.getTracer('probe').startSpan('probe-span').end();
    await t.shutdown();
    const all = bodies.join('\n');
    assert.match(all, /"probe-span"/);
    assert.match(all, /"stringValue":"node-sdk-probe"/);
    const loaded = Object.keys(require.cache);
    assert.ok(loaded.some((f) => f.includes('@opentelemetry/sdk-node/')));
    // The package index (and with it the YAML-based file configuration) stays unloaded.
    assert.ok(!loaded.some((f) => f.includes('@opentelemetry/configuration/')));
    assert.ok(!loaded.some((f) => /[/\\]yaml[/\\]/.test(f)));
  } finally {
    await new Promise((r) => sink.close(r));
  }
});

test('the NodeSDK required from its own module is the class the package exports', () => {
  assert.match(require.resolve(NODE_SDK_MODULE), /sdk-node[/\\]build[/\\]src[/\\]sdk\.js$/);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the index on purpose, last
  const index = require('@opentelemetry/sdk-node') as typeof import('@opentelemetry/sdk-node');
  assert.equal(nodeSdkClass(), index.NodeSDK);
});
