// A small, readable data set for the API tests: the scenario's two kinds of
// recommendation traces (cache miss: slow; cache hit: fast), an error trace,
// and logs linked to a trace. Times are fixed so assertions can be exact.

import type { Span } from '../model/telemetry';
import { createMemoryStore } from '../store/memory';
import type { TelemetryStore } from '../store/store';
import { makeLog, makeResource, makeScope, makeSpan, spanIdOf, traceIdOf } from '../store/testing';

/** 2023-11-14T22:13:20Z in ms; every fixture time is relative to it. */
export const T0_MS = 1_700_000_000_000;
export const nsAt = (msAfterT0: number): bigint => BigInt(T0_MS + msAfterT0) * 1_000_000n;
export const usAt = (msAfterT0: number): number => (T0_MS + msAfterT0) * 1000;
/** `start`/`end` (microseconds) covering every fixture. */
export const RANGE_QUERY = `start=${usAt(-60_000)}&end=${usAt(60_000)}`;

export const frontend = makeResource('frontend', { 'service.version': '1.0' });
export const recommendation = makeResource('recommendation');

export const MISS = traceIdOf(1);
export const HIT = traceIdOf(2);
export const FAILED = traceIdOf(3);

function recommendationTrace(
  traceId: string,
  atMs: number,
  durationMs: number,
  cacheHit: boolean,
): Span[] {
  const root = makeSpan({
    traceId,
    spanId: spanIdOf(1),
    name: 'GET /api/recommendations',
    kind: 2,
    resource: frontend,
    startTimeUnixNano: nsAt(atMs),
    endTimeUnixNano: nsAt(atMs + durationMs + 2),
    attributes: { 'http.method': 'GET', 'http.status_code': 200n },
  });
  const server = makeSpan({
    traceId,
    spanId: spanIdOf(2),
    parentSpanId: spanIdOf(1),
    name: '/oteldemo.RecommendationService/ListRecommendations',
    kind: 2,
    resource: recommendation,
    startTimeUnixNano: nsAt(atMs + 1),
    endTimeUnixNano: nsAt(atMs + durationMs + 1),
    attributes: { 'app.products_recommended.count': 5n },
  });
  const internal = makeSpan({
    traceId,
    spanId: spanIdOf(3),
    parentSpanId: spanIdOf(2),
    name: 'get_product_list',
    kind: 1,
    resource: recommendation,
    scope: makeScope({ name: 'recommendation', version: '' }),
    startTimeUnixNano: nsAt(atMs + 1),
    endTimeUnixNano: nsAt(atMs + durationMs),
    attributes: {
      'app.recommendation.cache_enabled': true,
      'app.cache_hit': cacheHit,
      'app.products.count': cacheHit ? 10n : 364_000n,
    },
    events: [
      {
        timeUnixNano: nsAt(atMs + 1),
        name: 'cache checked',
        attributes: { hit: cacheHit },
        droppedAttributesCount: 0,
      },
    ],
  });
  return [root, server, internal];
}

export function fixtureSpans(): Span[] {
  const failed = makeSpan({
    traceId: FAILED,
    spanId: spanIdOf(9),
    name: 'GET /api/products',
    resource: frontend,
    startTimeUnixNano: nsAt(-30_000),
    endTimeUnixNano: nsAt(-30_000 + 50),
    status: { code: 2, message: 'catalog down' },
  });
  return [
    ...recommendationTrace(MISS, 0, 900, false),
    ...recommendationTrace(HIT, 10_000, 5, true),
    failed,
  ];
}

/** The fixture written into `store` (default: a new in-memory store). */
export async function fixtureStore(
  store: TelemetryStore = createMemoryStore(),
): Promise<TelemetryStore> {
  await store.write({
    spans: fixtureSpans(),
    logs: [
      makeLog({
        service: 'recommendation',
        timeUnixNano: nsAt(2),
        severityNumber: 9,
        severityText: 'INFO',
        body: 'Receive ListRecommendations for product ids:[OLJCESPC7Z]',
        traceId: MISS,
        spanId: spanIdOf(2),
        attributes: { count: 5n },
      }),
      makeLog({
        service: 'frontend',
        timeUnixNano: nsAt(-30_000 + 10),
        severityNumber: 17,
        severityText: 'ERROR',
        body: { kvlist: { msg: 'catalog down', code: 14n } },
      }),
    ],
  });
  return store;
}
