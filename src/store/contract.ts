// The contract every TelemetryStore passes: run it from each implementation's
// test file with `runStoreContract('memory', async () => createMemoryStore())`.
// Each case opens a fresh store and closes it.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ALL_TIME, richSpan, shopSpans, withStore } from './contract-fixtures';
import type { MakeStore } from './contract-fixtures';
import { runLogsAndHousekeepingContract } from './contract-logs';
import { runMetricsContract } from './contract-metrics';
import type { EntityRef, Resource } from '../model/telemetry';
import type { TelemetryStore } from './store';
import { MAX_TRACES_PER_READ } from './store';
import { makeResource, makeSpan, ms, spanIdOf, traceIdOf } from './testing';

export type { MakeStore } from './contract-fixtures';

export function runStoreContract(name: string, makeStore: MakeStore): void {
  describe(`TelemetryStore contract: ${name}`, () => {
    runTracesContract(makeStore);
    runMetricsContract(makeStore);
    runLogsAndHousekeepingContract(makeStore);
  });
}

function runTracesContract(make: MakeStore): void {
  const shop = async (s: TelemetryStore): Promise<void> => s.write({ spans: shopSpans() });

  it('reads back a trace field by field, every AnyValue kind included', () =>
    withStore(make, async (s) => {
      const span = richSpan();
      await s.write({ spans: [span] });
      assert.deepEqual(await s.getTrace(span.traceId), [span]);
    }));

  it("keeps a resource's entity refs, telling apart resources that differ only by them", () =>
    withStore(make, async (s) => {
      const service: EntityRef = {
        schemaUrl: 'https://opentelemetry.io/schemas/1.30.0',
        type: 'service',
        idKeys: ['service.name', 'service.instance.id'],
        descriptionKeys: ['service.version'],
      };
      const host: EntityRef = {
        schemaUrl: '',
        type: 'host',
        idKeys: ['host.id'],
        descriptionKeys: [],
      };
      const base = makeResource('cart', { 'service.instance.id': 'i-1', 'host.id': 'h' });
      const resources: Resource[] = [
        { ...base, entityRefs: [service, host] },
        { ...base, entityRefs: [service] },
        base,
      ];
      const spans = resources.map((resource, i) =>
        makeSpan({
          traceId: traceIdOf(7),
          spanId: spanIdOf(i + 1),
          startTimeUnixNano: ms(i + 1),
          resource,
        }),
      );
      await s.write({ spans: spans.slice(0, 2) });
      await s.write({ spans: spans.slice(2) });
      const got = await s.getTrace(traceIdOf(7));
      assert.deepEqual(got, spans);
      assert.equal('entityRefs' in got[2]!.resource, false);
    }));

  it('returns the spans of a trace ordered by start time, whatever the batches', () =>
    withStore(make, async (s) => {
      const spans = shopSpans().filter((x) => x.traceId === traceIdOf(2));
      await s.write({ spans: [spans[2]!] });
      await s.write({ spans: [spans[0]!, spans[1]!] });
      const got = await s.getTrace(traceIdOf(2).toUpperCase());
      assert.deepEqual(
        got.map((x) => x.spanId),
        [spanIdOf(4), spanIdOf(5), spanIdOf(6)],
      );
    }));

  it('reads several traces at once, each as getTrace gives it, leaving unknown ids out', () =>
    withStore(make, async (s) => {
      await shop(s);
      const ids = [traceIdOf(2).toUpperCase(), traceIdOf(99), traceIdOf(1), 'not-a-trace-id'];
      const got = await s.getTraces(ids);
      assert.deepEqual([...got.keys()].sort(), [traceIdOf(1), traceIdOf(2)].sort());
      assert.deepEqual(got.get(traceIdOf(2)), await s.getTrace(traceIdOf(2)));
      assert.deepEqual(got.get(traceIdOf(1)), await s.getTrace(traceIdOf(1)));
      assert.equal((await s.getTraces([])).size, 0);
      await assert.rejects(
        s.getTraces(new Array(MAX_TRACES_PER_READ + 1).fill(traceIdOf(1))),
        /at most/,
      );
    }));

  it('returns no spans for an unknown trace id', () =>
    withStore(make, async (s) => {
      await shop(s);
      assert.deepEqual(await s.getTrace(traceIdOf(99)), []);
    }));

  it('rejects a batch with a malformed item and stores nothing of it', () =>
    withStore(make, async (s) => {
      const good = makeSpan({ traceId: traceIdOf(5) });
      const bad = makeSpan({ traceId: 'xyz' });
      await assert.rejects(s.write({ spans: [good, bad] }), /traceId/);
      assert.deepEqual(await s.getTrace(traceIdOf(5)), []);
      assert.equal((await s.stats()).spans, 0);
    }));

  it('finds traces by service, operation, tag and resource tag', () =>
    withStore(make, async (s) => {
      await shop(s);
      const ids = async (
        q: Partial<Parameters<TelemetryStore['searchTraces']>[0]>,
      ): Promise<string[]> =>
        (await s.searchTraces({ range: ALL_TIME, limit: 10, ...q })).map((x) => x.traceId).sort();
      assert.deepEqual(await ids({ service: 'recommendation' }), [traceIdOf(1), traceIdOf(2)]);
      assert.deepEqual(await ids({ service: 'frontend', operation: 'GetProduct' }), [traceIdOf(3)]);
      assert.deepEqual(
        await ids({ service: 'recommendation', attributes: { 'app.cache_hit': 'false' } }),
        [traceIdOf(2)],
      );
      assert.deepEqual(await ids({ attributes: { 'app.products.count': '10' } }), [traceIdOf(1)]);
      assert.deepEqual(
        await ids({ attributes: { 'host.name': 'laptop', 'app.cache_hit': 'true' } }),
        [traceIdOf(1)],
      );
      assert.deepEqual(await ids({ attributes: { 'app.cache_hit': 'maybe' } }), []);
    }));

  it('compares tag values as text whatever the attribute type, escapes and all', () =>
    withStore(make, async (s) => {
      const span = richSpan();
      await s.write({ spans: [span] });
      const found = async (attributes: Record<string, string>): Promise<boolean> =>
        (await s.searchTraces({ range: { start: 0n, end: 1n << 62n }, limit: 5, attributes }))
          .length === 1;
      assert.ok(await found({ ratio: '0.25' }));
      assert.ok(await found({ 'whole.double': '3' }));
      assert.ok(await found({ 'big.int': '9007199254740993' }));
      assert.ok(await found({ bytes: 'AAH+/w==' }));
      assert.ok(await found({ text: 'caf\u00e9 "quoted" \n line' }));
      assert.ok(await found({ empty: '' }));
      assert.ok(await found({ 'service.version': '1.2.3', pid: '42' }));
      assert.equal(await found({ text: 'caf\u00e9' }), false, 'no substring matches');
      assert.equal(await found({ ratio: '0.250' }), false);
      assert.equal(await found({ 'app.cache_hit': 'False' }), false);
      // More tags than the store tests in its fast path.
      assert.ok(
        await found({
          ratio: '0.25',
          'app.cache_hit': 'false',
          'whole.double': '3',
          'big.int': '9007199254740993',
          error: 'true',
        }),
      );
      assert.equal(
        await found({
          ratio: '0.25',
          'app.cache_hit': 'false',
          'whole.double': '3',
          'big.int': '9007199254740993',
          error: 'false',
        }),
        false,
      );
    }));

  it('matches the Jaeger pseudo-tags error, span.kind and otel.status_code', () =>
    withStore(make, async (s) => {
      await shop(s);
      const ids = async (attributes: Record<string, string>): Promise<string[]> =>
        (await s.searchTraces({ range: ALL_TIME, limit: 10, attributes }))
          .map((x) => x.traceId)
          .sort();
      assert.deepEqual(await ids({ error: 'true' }), [traceIdOf(2)]);
      assert.deepEqual(await ids({ 'otel.status_code': 'ERROR', 'span.kind': 'internal' }), [
        traceIdOf(2),
      ]);
      assert.deepEqual(await ids({ 'span.kind': 'server', 'otel.status_code': 'ERROR' }), []);
    }));

  it('filters on the matching span: duration bounds, span kind and time range', () =>
    withStore(make, async (s) => {
      await shop(s);
      const ids = async (
        q: Partial<Parameters<TelemetryStore['searchTraces']>[0]>,
      ): Promise<string[]> =>
        (await s.searchTraces({ range: ALL_TIME, limit: 10, ...q })).map((x) => x.traceId).sort();
      assert.deepEqual(await ids({ service: 'recommendation', minDuration: ms(100) }), [
        traceIdOf(2),
      ]);
      assert.deepEqual(await ids({ service: 'recommendation', maxDuration: ms(3) }), [
        traceIdOf(1),
      ]);
      assert.deepEqual(await ids({ service: 'checkout', spanKind: 3 }), [traceIdOf(3)]);
      assert.deepEqual(await ids({ range: { start: ms(2_000), end: ms(3_000) } }), [traceIdOf(2)]);
      assert.deepEqual(await ids({ range: { start: ms(3_002), end: ms(3_003) } }), [traceIdOf(3)]);
    }));

  it('summarizes whole traces: root, start, duration, counts and services', () =>
    withStore(make, async (s) => {
      await shop(s);
      const [sum] = await s.searchTraces({
        range: ALL_TIME,
        limit: 10,
        service: 'recommendation',
        attributes: { 'app.cache_hit': 'false' },
      });
      assert.deepEqual(sum, {
        traceId: traceIdOf(2),
        rootService: 'frontend',
        rootName: 'GET /api/recommendations',
        startTimeUnixNano: ms(2_000),
        durationNano: ms(900),
        spanCount: 3,
        errorCount: 2,
        services: { frontend: 2, recommendation: 1 },
      });
    }));

  it('sorts by recent, longest, shortest and most spans, then applies the limit', () =>
    withStore(make, async (s) => {
      await s.write({
        spans: [
          ...shopSpans(),
          makeSpan({
            traceId: traceIdOf(4),
            spanId: spanIdOf(10),
            startTimeUnixNano: ms(500),
            endTimeUnixNano: ms(501),
          }),
        ],
      });
      const order = async (
        sort: 'recent' | 'longest' | 'shortest' | 'most-spans',
        limit = 10,
      ): Promise<string[]> =>
        (await s.searchTraces({ range: ALL_TIME, limit, sort })).map((x) => x.traceId);
      assert.deepEqual(await order('recent'), [
        traceIdOf(3),
        traceIdOf(2),
        traceIdOf(1),
        traceIdOf(4),
      ]);
      assert.deepEqual(await order('longest'), [
        traceIdOf(2),
        traceIdOf(3),
        traceIdOf(1),
        traceIdOf(4),
      ]);
      assert.deepEqual(await order('shortest', 2), [traceIdOf(4), traceIdOf(1)]);
      assert.deepEqual(await order('most-spans'), [
        traceIdOf(1),
        traceIdOf(2),
        traceIdOf(3),
        traceIdOf(4),
      ]);
      assert.deepEqual(await order('recent', 1), [traceIdOf(3)]);
      assert.equal((await order('recent', Number.POSITIVE_INFINITY)).length, 4);
      assert.deepEqual(await order('recent', 0), []);
    }));

  it('sorts by trace start, not by when the matching span started', () =>
    withStore(make, async (s) => {
      // 70 traces that started early but match late, one that starts late and matches at once.
      const spans = Array.from({ length: 70 }, (_, i) => [
        makeSpan({
          traceId: traceIdOf(100 + i),
          spanId: spanIdOf(1_000 + i),
          name: 'root',
          startTimeUnixNano: ms(i),
          endTimeUnixNano: ms(30_000),
        }),
        makeSpan({
          traceId: traceIdOf(100 + i),
          spanId: spanIdOf(2_000 + i),
          parentSpanId: spanIdOf(1_000 + i),
          name: 'slow',
          attributes: { hit: 'yes' },
          startTimeUnixNano: ms(20_000 + i),
          endTimeUnixNano: ms(20_001 + i),
        }),
      ]).flat();
      spans.push(
        makeSpan({
          traceId: traceIdOf(999),
          spanId: spanIdOf(9_999),
          attributes: { hit: 'yes' },
          startTimeUnixNano: ms(10_000),
          endTimeUnixNano: ms(10_001),
        }),
      );
      await s.write({ spans });
      const got = await s.searchTraces({ range: ALL_TIME, limit: 2, attributes: { hit: 'yes' } });
      assert.deepEqual(
        got.map((x) => x.traceId),
        [traceIdOf(999), traceIdOf(169)],
      );
    }));

  it('lists services (optionally in a time range) and operations by kind', () =>
    withStore(make, async (s) => {
      await shop(s);
      assert.deepEqual(await s.services(), ['checkout', 'frontend', 'recommendation']);
      assert.deepEqual(await s.services({ start: ms(3_000), end: ms(4_000) }), [
        'checkout',
        'frontend',
      ]);
      assert.deepEqual(await s.operations('checkout'), [
        { name: 'PlaceOrder', spanKind: 2 },
        { name: 'PlaceOrder', spanKind: 3 },
      ]);
      assert.deepEqual(await s.operations('frontend', 3), [
        { name: 'ListRecommendations', spanKind: 3 },
      ]);
      assert.deepEqual(await s.operations('nobody'), []);
    }));

  it('derives service dependencies from parent links across services', () =>
    withStore(make, async (s) => {
      await shop(s);
      assert.deepEqual(await s.dependencies(ALL_TIME), [
        { parent: 'checkout', child: 'frontend', callCount: 1, errorCount: 0 },
        { parent: 'frontend', child: 'recommendation', callCount: 2, errorCount: 1 },
      ]);
      assert.deepEqual(await s.dependencies({ start: ms(2_500), end: ms(2_600) }), []);
    }));

  it('computes duration quantiles (linear interpolation) and log2 buckets', () =>
    withStore(make, async (s) => {
      const spans = [1, 2, 3, 4].map((n) =>
        makeSpan({
          traceId: traceIdOf(n),
          spanId: spanIdOf(n),
          service: 'ad',
          startTimeUnixNano: ms(n),
          endTimeUnixNano: ms(n) + BigInt(n) * 1000n,
        }),
      );
      await s.write({ spans });
      const d = await s.durationDistribution({ range: ALL_TIME, service: 'ad' });
      assert.equal(d.count, 4);
      assert.equal(d.quantiles.p50, 2500);
      assert.ok(Math.abs(d.quantiles.p90 - 3700) < 1e-6);
      assert.deepEqual(d.buckets, [
        { le: 1024, count: 1 },
        { le: 2048, count: 1 },
        { le: 4096, count: 2 },
      ]);
      const none = await s.durationDistribution({ range: ALL_TIME, service: 'nobody' });
      assert.deepEqual(none, {
        count: 0,
        quantiles: { p50: 0, p90: 0, p95: 0, p99: 0, p999: 0 },
        buckets: [],
      });
    }));

  it('counts attribute values over the spans of a filter', () =>
    withStore(make, async (s) => {
      await shop(s);
      const d = await s.attributeDistribution({ range: ALL_TIME, service: 'recommendation' }, 1);
      assert.deepEqual(d, {
        spanCount: 2,
        keys: [
          { key: 'app.cache_hit', spanCount: 2, values: [{ value: 'false', count: 1 }] },
          { key: 'app.products.count', spanCount: 2, values: [{ value: '10', count: 1 }] },
        ],
      });
      const slow = await s.attributeDistribution(
        {
          range: ALL_TIME,
          minDuration: ms(500),
          status: 2,
          attributes: { 'app.cache_hit': 'false' },
        },
        5,
      );
      assert.equal(slow.spanCount, 1);
    }));
}
