// Shared fixtures of the contract suite: a store per case, a span using
// every field, and a small shop of three traces.

import type { Span } from '../model/telemetry';
import type { TelemetryStore, TimeRange } from './store';
import { makeResource, makeScope, makeSpan, ms, spanIdOf, traceIdOf } from './testing';

export type MakeStore = () => Promise<TelemetryStore>;

export async function withStore(
  make: MakeStore,
  fn: (s: TelemetryStore) => Promise<void>,
): Promise<void> {
  const store = await make();
  try {
    await fn(store);
  } finally {
    await store.close();
  }
}

export const ALL_TIME: TimeRange = { start: 0n, end: ms(10_000_000) };

/** A span using every field and every AnyValue kind, to prove nothing is lost. */
export function richSpan(): Span {
  return makeSpan({
    traceId: 'abcdef0123456789abcdef0123456789',
    spanId: '0123456789abcdef',
    parentSpanId: 'fedcba9876543210',
    traceState: 'vendor=x',
    flags: 257,
    name: 'get_product_list',
    kind: 1,
    startTimeUnixNano: 1_700_000_000_123_456_789n,
    endTimeUnixNano: 1_700_000_000_223_456_789n,
    attributes: {
      'app.cache_hit': false,
      'app.products.count': 364_000n,
      'big.int': 9_007_199_254_740_993n,
      ratio: 0.25,
      'whole.double': 3,
      text: 'caf\u00e9 "quoted" \n line',
      bytes: new Uint8Array([0, 1, 254, 255]),
      list: ['a', 1n, 2.5, true, null],
      nested: { kvlist: { inner: { kvlist: { deep: 'x' } }, n: 7n } },
      empty: null,
    },
    droppedAttributesCount: 2,
    events: [
      {
        timeUnixNano: 1_700_000_000_150_000_000n,
        name: 'exception',
        attributes: { 'exception.type': 'Error', code: 5n },
        droppedAttributesCount: 1,
      },
    ],
    droppedEventsCount: 3,
    links: [
      {
        traceId: '11111111111111111111111111111111',
        spanId: '2222222222222222',
        traceState: 'a=b',
        attributes: { why: 'retry' },
        droppedAttributesCount: 4,
        flags: 1,
      },
    ],
    droppedLinksCount: 5,
    status: { code: 2, message: 'boom' },
    resource: {
      attributes: { 'service.name': 'recommendation', 'service.version': '1.2.3', pid: 42n },
      droppedAttributesCount: 6,
      schemaUrl: 'https://opentelemetry.io/schemas/1.24.0',
    },
    scope: makeScope({
      name: 'recommendation',
      version: '0.1',
      attributes: { 'scope.attr': true },
      droppedAttributesCount: 7,
      schemaUrl: 'https://s/1',
    }),
  });
}

/** Three traces: a fast cache hit, a slow cache miss with an error, a checkout. */
export function shopSpans(): Span[] {
  const rec = makeResource('recommendation', { 'host.name': 'laptop' });
  const fe = makeResource('frontend');
  const co = makeResource('checkout');
  const t = (n: number): string => traceIdOf(n);
  return [
    makeSpan({
      traceId: t(1),
      spanId: spanIdOf(1),
      name: 'GET /api/recommendations',
      kind: 2,
      resource: fe,
      startTimeUnixNano: ms(1_000),
      endTimeUnixNano: ms(1_020),
    }),
    makeSpan({
      traceId: t(1),
      spanId: spanIdOf(2),
      parentSpanId: spanIdOf(1),
      name: 'ListRecommendations',
      kind: 3,
      resource: fe,
      startTimeUnixNano: ms(1_001),
      endTimeUnixNano: ms(1_019),
    }),
    makeSpan({
      traceId: t(1),
      spanId: spanIdOf(3),
      parentSpanId: spanIdOf(2),
      name: 'get_product_list',
      kind: 1,
      resource: rec,
      startTimeUnixNano: ms(1_002),
      endTimeUnixNano: ms(1_005),
      attributes: { 'app.cache_hit': true, 'app.products.count': 10n },
    }),
    makeSpan({
      traceId: t(2),
      spanId: spanIdOf(4),
      name: 'GET /api/recommendations',
      kind: 2,
      resource: fe,
      startTimeUnixNano: ms(2_000),
      endTimeUnixNano: ms(2_900),
    }),
    makeSpan({
      traceId: t(2),
      spanId: spanIdOf(5),
      parentSpanId: spanIdOf(4),
      name: 'ListRecommendations',
      kind: 3,
      resource: fe,
      startTimeUnixNano: ms(2_001),
      endTimeUnixNano: ms(2_899),
      status: { code: 2, message: '' },
    }),
    makeSpan({
      traceId: t(2),
      spanId: spanIdOf(6),
      parentSpanId: spanIdOf(5),
      name: 'get_product_list',
      kind: 1,
      resource: rec,
      startTimeUnixNano: ms(2_002),
      endTimeUnixNano: ms(2_800),
      attributes: { 'app.cache_hit': false, 'app.products.count': 364_000n },
      status: { code: 2, message: 'oom' },
    }),
    makeSpan({
      traceId: t(3),
      spanId: spanIdOf(7),
      name: 'PlaceOrder',
      kind: 2,
      resource: co,
      startTimeUnixNano: ms(3_000),
      endTimeUnixNano: ms(3_050),
      attributes: { 'app.order.items': 2n },
    }),
    makeSpan({
      traceId: t(3),
      spanId: spanIdOf(8),
      parentSpanId: spanIdOf(7),
      name: 'PlaceOrder',
      kind: 3,
      resource: co,
      startTimeUnixNano: ms(3_001),
      endTimeUnixNano: ms(3_040),
    }),
    makeSpan({
      traceId: t(3),
      spanId: spanIdOf(9),
      parentSpanId: spanIdOf(8),
      name: 'GetProduct',
      kind: 2,
      resource: fe,
      startTimeUnixNano: ms(3_002),
      endTimeUnixNano: ms(3_030),
    }),
  ];
}
