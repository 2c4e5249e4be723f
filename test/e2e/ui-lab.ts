// The lab's own backend code in-process for the browser tests (API server,
// ingest pipeline, span metrics, PromQL over a memory store), and the probe
// sent to a running lab so its data holds a hostile attribute too.

import assert from 'node:assert/strict';
import { startApiServer } from '../../src/api';
import { PrometheusTranslator, SpanMetricsConnector } from '../../src/collector/derive';
import { IngestPipeline } from '../../src/collector/pipeline';
import type { Resource, Span } from '../../src/model/telemetry';
import { createMemoryStore } from '../../src/store/memory';
import {
  makeGauge,
  makeLog,
  makeResource,
  makeScope,
  makeSpan,
  makeSum,
} from '../../src/store/testing';
import { XSS, hex } from './ui-canned';
import type { Backend } from './ui-fixture';

/** A service that sends spans but calls nobody and is called by nobody, in both labs. */
export const PROBE_SERVICE = 'ui-e2e-probe';

// The API server (Jaeger, Prometheus, lab APIs) over an in-memory store, fed
// through the real ingest pipeline with span metrics and the OTel ->
// Prometheus translator. Twenty minutes of the scenario are replayed on a
// simulated clock, so rates and quantiles have history at once.
export async function startLab(uiDir: string): Promise<Backend> {
  let clock = 0n;
  const store = createMemoryStore();
  const pipeline = new IngestPipeline({
    store,
    spanMetrics: new SpanMetricsConnector(),
    translator: new PrometheusTranslator(),
    spanMetricsFlushIntervalMs: 0,
    now: () => clock,
  });
  const resource = (service: string): Resource =>
    makeResource(service, {
      'service.namespace': 'opentelemetry-demo',
      'service.instance.id': `${service}-1`,
      'service.version': '1.11.0',
    });
  const scope = makeScope({ name: 'app' });
  const ns = (ms: number): bigint => BigInt(Math.round(ms * 1000)) * 1000n;
  const endMs = Date.now();
  let seq = 0;
  let cached = 0;
  for (let i = 0, t = endMs - 20 * 60_000; t <= endMs; i++, t += 5000) {
    clock = ns(t);
    const spans: Span[] = [];
    for (let k = 0; k < 3; k++, seq++) {
      const traceId = hex(0x5eed0000 + seq, 32);
      const id = (n: number): string => hex(seq * 16 + n, 16);
      const at = t + k * 1000;
      const miss = seq % 2 === 0;
      // The leak: L -> (L+10)*1.25 per miss, until the process dies and restarts empty.
      if (miss) cached = cached > 3_000_000 ? 0 : Math.round((cached + 10) * 1.25);
      const ms = miss ? 2 + cached / 20_000 : 1 + cached / 200_000;
      const common = { traceId, scope, status: { code: 0 as const, message: '' } };
      spans.push(
        makeSpan({
          ...common,
          spanId: id(1),
          name: 'GET /api/recommendations',
          kind: 2,
          resource: resource('frontend'),
          startTimeUnixNano: ns(at),
          endTimeUnixNano: ns(at + ms + 3),
        }),
        makeSpan({
          ...common,
          spanId: id(2),
          parentSpanId: id(1),
          name: 'oteldemo.RecommendationService/ListRecommendations',
          kind: 2,
          resource: resource('recommendation'),
          startTimeUnixNano: ns(at + 0.5),
          endTimeUnixNano: ns(at + ms + 1),
          attributes: { 'app.products_recommended.count': 5n },
        }),
        makeSpan({
          ...common,
          spanId: id(3),
          parentSpanId: id(2),
          name: 'get_product_list',
          kind: 1,
          resource: resource('recommendation'),
          startTimeUnixNano: ns(at + 0.7),
          endTimeUnixNano: ns(at + 0.7 + ms),
          attributes: {
            'app.recommendation.cache_enabled': true,
            'app.cache_hit': !miss,
            'app.products.count': BigInt(cached),
            ...(seq === 5 ? { 'app.user_note': XSS } : {}),
          },
        }),
      );
    }
    // A service that calls nobody and that nobody calls, as the probe sent
    // to a running lab: the service map must still show it.
    if (i % 6 === 0)
      spans.push(
        makeSpan({
          traceId: hex(0xacc00000 + i, 32),
          spanId: hex(0xacc00000 + i, 16),
          scope,
          status: { code: 0, message: '' },
          name: 'probe',
          kind: 1,
          resource: resource(PROBE_SERVICE),
          startTimeUnixNano: ns(t),
          endTimeUnixNano: ns(t + 2),
        }),
      );
    await pipeline.ingest({ spans });
    if (i % 2 === 0) {
      const base = {
        resource: resource('recommendation'),
        scope: makeScope({ name: 'otel-lab/process' }),
        timeUnixNano: ns(t),
        startTimeUnixNano: ns(endMs - 21 * 60_000),
      };
      await pipeline.ingest({
        metrics: [
          makeGauge({
            ...base,
            name: 'process.cpu.utilization',
            unit: '1',
            value: 0.05 + i / 400,
            attributes: { 'cpu.mode': 'user' },
          }),
          makeSum({
            ...base,
            name: 'process.memory.usage',
            unit: 'By',
            isMonotonic: false,
            value: BigInt(60_000_000 + i * 500_000),
          }),
          makeSum({
            ...base,
            name: 'app_recommendations_counter',
            isMonotonic: true,
            value: BigInt(i * 15),
            attributes: { 'recommendation.type': 'catalog' },
          }),
        ],
      });
    }
    if (i % 3 === 0) await pipeline.flushSpanMetrics();
  }
  const logTrace = hex(0x5eed0000 + 5, 32);
  await store.write({
    logs: [0, 1, 2].map((i) =>
      makeLog({
        service: 'recommendation',
        timeUnixNano: ns(endMs - i * 1000),
        observedTimeUnixNano: ns(endMs),
        severityNumber: i === 1 ? 17 : 9,
        severityText: i === 1 ? 'ERROR' : 'INFO',
        body: i === 2 ? XSS : `Receive ListRecommendations #${i}`,
        traceId: logTrace,
        spanId: hex(5 * 16 + 3, 16),
      }),
    ),
  });
  const flags = [
    {
      name: 'recommendationServiceCacheFailure',
      description: 'Fail recommendation service cache',
      variants: { on: true, off: false },
      defaultVariant: 'off',
      state: 'ENABLED' as const,
    },
  ];
  const server = await startApiServer({
    store,
    port: 0,
    uiDir,
    flags: {
      list: async () => flags,
      set: async (name, variant) => {
        const flag = flags.find((f) => f.name === name);
        if (!flag) throw new Error(`unknown flag ${name}`);
        flag.defaultVariant = variant;
        return flag;
      },
    },
  });
  return {
    url: server.url,
    close: async () => {
      await server.close();
      await pipeline.close();
      await store.close();
    },
  };
}

// A running lab holds the shop's telemetry but no hostile attribute: send one
// span and one log carrying the XSS probe over OTLP/HTTP JSON first
// (OTEL_LAB_OTLP_URL, default port 4318 on the lab's host).
export async function sendProbe(labUrl: string): Promise<void> {
  const otlp =
    process.env['OTEL_LAB_OTLP_URL'] ??
    `${new URL(labUrl).protocol}//${new URL(labUrl).hostname}:4318`;
  const now = BigInt(Date.now()) * 1_000_000n;
  const traceId = hex(Date.now(), 16) + 'e2e0e2e0e2e0e2e0';
  const resource = {
    attributes: [{ key: 'service.name', value: { stringValue: PROBE_SERVICE } }],
  };
  const post = async (signal: string, body: unknown): Promise<void> => {
    const res = await fetch(`${otlp}/v1/${signal}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    assert.ok(res.ok, `OTLP ${signal} to ${otlp} answered ${res.status}: ${await res.text()}`);
  };
  await post('traces', {
    resourceSpans: [
      {
        resource,
        scopeSpans: [
          {
            scope: { name: 'ui-e2e' },
            spans: [
              {
                traceId,
                spanId: 'e2e0e2e0e2e0e2e1',
                name: 'get_product_list',
                kind: 1,
                startTimeUnixNano: String(now - 5_000_000n),
                endTimeUnixNano: String(now),
                attributes: [{ key: 'app.user_note', value: { stringValue: XSS } }],
              },
            ],
          },
        ],
      },
    ],
  });
  await post('logs', {
    resourceLogs: [
      {
        resource,
        scopeLogs: [
          {
            scope: { name: 'ui-e2e' },
            logRecords: [
              {
                timeUnixNano: String(now),
                severityNumber: 9,
                severityText: 'INFO',
                body: { stringValue: XSS },
                traceId,
                spanId: 'e2e0e2e0e2e0e2e1',
              },
            ],
          },
        ],
      },
    ],
  });
}
