import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { HistogramPoint, MetricPoint, SumPoint } from '../../model/telemetry';
import { AggregationTemporality, SpanKind, StatusCode } from '../../model/telemetry';
import {
  DEFAULT_BUCKETS_MS,
  durationMs,
  SpanMetricsConnector,
  type SpanMetricsOptions,
} from './span-metrics';
import { at, makeResource, makeSpan } from './testing';

const FIRST_SEEN = at(100);

function connector(opts: SpanMetricsOptions = {}): SpanMetricsConnector {
  return new SpanMetricsConnector({ clock: () => FIRST_SEEN, ...opts });
}

function calls(points: MetricPoint[]): SumPoint[] {
  return points.filter((p): p is SumPoint => p.type === 'sum');
}

function durations(points: MetricPoint[]): HistogramPoint[] {
  return points.filter((p): p is HistogramPoint => p.type === 'histogram');
}

describe('SpanMetricsConnector: dimensions', () => {
  it('keys series by service.name, span.name, span.kind and status.code, as the connector spells them', () => {
    const c = connector();
    c.consume([
      makeSpan({
        name: 'oteldemo.RecommendationService/ListRecommendations',
        kind: SpanKind.SERVER,
      }),
      makeSpan({
        name: 'get_product_list',
        kind: SpanKind.INTERNAL,
        status: { code: StatusCode.ERROR, message: 'boom' },
      }),
      makeSpan({ name: 'x', kind: SpanKind.CLIENT, status: { code: StatusCode.OK, message: '' } }),
    ]);
    const attrs = calls(c.flush(at(1000))).map((p) => p.attributes);
    assert.deepEqual(attrs, [
      {
        'service.name': 'recommendation',
        'span.name': 'oteldemo.RecommendationService/ListRecommendations',
        'span.kind': 'SPAN_KIND_SERVER',
        'status.code': 'STATUS_CODE_UNSET',
      },
      {
        'service.name': 'recommendation',
        'span.name': 'get_product_list',
        'span.kind': 'SPAN_KIND_INTERNAL',
        'status.code': 'STATUS_CODE_ERROR',
      },
      {
        'service.name': 'recommendation',
        'span.name': 'x',
        'span.kind': 'SPAN_KIND_CLIENT',
        'status.code': 'STATUS_CODE_OK',
      },
    ]);
  });

  it('emits points under the span resource, one resource per service', () => {
    const cart = makeResource({ 'service.name': 'cart', 'service.instance.id': 'c1' });
    const c = connector();
    c.consume([makeSpan(), makeSpan({ resource: cart }), makeSpan({ resource: { ...cart } })]);
    const out = calls(c.flush(at(1000)));
    assert.deepEqual(
      out.map((p) => [p.resource.attributes['service.name'], p.value]),
      [
        ['recommendation', 1n],
        ['cart', 2n],
      ],
    );
    assert.equal(out[0]?.scope.name, 'spanmetricsconnector');
  });

  it('skips spans whose resource has no service.name, as the connector does', () => {
    const c = connector();
    c.consume([makeSpan({ resource: makeResource({ 'host.name': 'h' }) })]);
    assert.deepEqual(c.flush(at(1000)), []);
    assert.equal(c.skipped, 1);
  });
});

describe('SpanMetricsConnector: calls and duration', () => {
  it('names the metrics in the traces.span.metrics namespace: calls a monotonic cumulative sum, duration a ms histogram', () => {
    const c = connector();
    c.consume([makeSpan()]);
    const [sum, hist] = c.flush(at(1000));
    assert.equal(sum?.type, 'sum');
    assert.equal(sum?.name, 'traces.span.metrics.calls');
    assert.equal(sum?.type === 'sum' && sum.isMonotonic, true);
    assert.equal(sum?.type === 'sum' && sum.temporality, AggregationTemporality.CUMULATIVE);
    assert.equal(hist?.name, 'traces.span.metrics.duration');
    assert.equal(hist?.unit, 'ms');
    assert.deepEqual(hist?.type === 'histogram' && hist.explicitBounds, DEFAULT_BUCKETS_MS);
  });

  it('honours the namespace option', () => {
    const c = connector({ namespace: '' });
    c.consume([makeSpan()]);
    assert.deepEqual(
      c.flush(at(1000)).map((p) => p.name),
      ['calls', 'duration'],
    );
  });

  it('puts durations in the default ms buckets, upper bounds inclusive', () => {
    const c = connector();
    const ms = [1, 2, 2.5, 10, 10.000001, 999, 15000, 20000];
    c.consume(ms.map((durationMs) => makeSpan({ durationMs })));
    const [h] = durations(c.flush(at(1000)));
    const counts = (h?.bucketCounts ?? []).map(Number);
    // le=2: 1 and 2; le=4: 2.5; le=10: 10; le=50: 10.000001; le=1000: 999; le=15000: 15000; +Inf: 20000
    const want = [2, 1, 0, 0, 1, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 1];
    assert.deepEqual(counts, want);
    assert.equal(h?.count, BigInt(ms.length));
    assert.ok(Math.abs((h?.sum ?? 0) - ms.reduce((a, b) => a + b, 0)) < 1e-6);
  });

  it('counts a span that ends before it starts as 0 ms', () => {
    const c = connector();
    c.consume([makeSpan({ startTimeUnixNano: at(10), endTimeUnixNano: at(5) })]);
    const [h] = durations(c.flush(at(1000)));
    assert.equal(h?.bucketCounts[0], 1n);
    assert.equal(h?.sum, 0);
  });

  it('is cumulative: later flushes carry earlier counts, start time is when the series was first seen', () => {
    let now = FIRST_SEEN;
    const c = new SpanMetricsConnector({ clock: () => now });
    c.consume([makeSpan(), makeSpan()]);
    const first = calls(c.flush(at(1000)));
    now = at(1500);
    c.consume([makeSpan()]);
    const second = calls(c.flush(at(2000)));
    const third = calls(c.flush(at(3000)));
    assert.deepEqual(
      [first, second, third].map((ps) => [
        ps[0]?.value,
        ps[0]?.startTimeUnixNano,
        ps[0]?.timeUnixNano,
      ]),
      [
        [2n, FIRST_SEEN, at(1000)],
        [3n, FIRST_SEEN, at(2000)],
        [3n, FIRST_SEEN, at(3000)],
      ],
    );
  });
});

describe('SpanMetricsConnector: exemplars', () => {
  it('keeps at most N exemplars per series per flush, with trace id, span id and the duration in ms', () => {
    const c = connector({ exemplarsPerSeries: 2 });
    const spans = [makeSpan({ durationMs: 7 }), makeSpan(), makeSpan()];
    c.consume(spans);
    const [h] = durations(c.flush(at(1000)));
    assert.deepEqual(
      h?.exemplars.map((e) => [e.traceId, e.spanId, e.value, e.timeUnixNano]),
      spans
        .slice(0, 2)
        .map((s) => [
          s.traceId,
          s.spanId,
          Number(s.endTimeUnixNano - s.startTimeUnixNano) / 1e6,
          s.endTimeUnixNano,
        ]),
    );
    assert.equal(
      calls(c.flush(at(2000)))[0]?.exemplars.length,
      0,
      'exemplars are cleared by a flush',
    );
  });

  it('takes no exemplar from a span without a trace id, and none when disabled', () => {
    const c = connector();
    c.consume([makeSpan({ traceId: '' })]);
    assert.equal(durations(c.flush(at(1000)))[0]?.exemplars.length, 0);
    const off = connector({ exemplarsPerSeries: 0 });
    off.consume([makeSpan()]);
    assert.equal(durations(off.flush(at(1000)))[0]?.exemplars.length, 0);
  });
});

describe('SpanMetricsConnector: bounds', () => {
  it('counts spans of new series beyond the cardinality limit in one overflow series', () => {
    const c = connector({ cardinalityLimit: 2 });
    c.consume(['a', 'b', 'c', 'd', 'a'].map((name) => makeSpan({ name })));
    const out = calls(c.flush(at(1000)));
    assert.deepEqual(
      out.map((p) => [p.attributes['span.name'] ?? p.attributes['otel.metric.overflow'], p.value]),
      [
        ['a', 2n],
        ['b', 1n],
        [true, 2n],
      ],
    );
    assert.equal(c.seriesCount, 3);
  });

  it('stops emitting series idle longer than the expiration', () => {
    let now = at(0);
    const c = new SpanMetricsConnector({ clock: () => now, expirationMs: 60_000 });
    c.consume([makeSpan({ name: 'old' })]);
    now = at(50_000);
    c.consume([makeSpan({ name: 'new' })]);
    assert.deepEqual(
      calls(c.flush(at(70_000))).map((p) => p.attributes['span.name']),
      ['new'],
    );
    assert.equal(c.seriesCount, 1);
  });

  it('gives a span its own series again once the series it overflowed beside expired', () => {
    let now = at(0);
    const c = new SpanMetricsConnector({
      clock: () => now,
      expirationMs: 60_000,
      cardinalityLimit: 1,
    });
    c.consume([makeSpan({ name: 'a' })]);
    now = at(50_000);
    c.consume([makeSpan({ name: 'b' })]);
    c.flush(at(70_000)); // 'a' expires; the overflow series (seen at 50 s) stays
    now = at(80_000);
    c.consume([makeSpan({ name: 'b' }), makeSpan({ name: 'b' })]);
    assert.deepEqual(
      calls(c.flush(at(90_000))).map((p) => [
        p.attributes['span.name'] ?? p.attributes['otel.metric.overflow'],
        p.value,
      ]),
      [
        [true, 1n],
        ['b', 2n],
      ],
    );
  });

  it('starts an expired series again from zero, first seen when it comes back', () => {
    let now = at(0);
    const c = new SpanMetricsConnector({ clock: () => now, expirationMs: 60_000 });
    c.consume([makeSpan({ name: 'x' }), makeSpan({ name: 'x' })]);
    assert.equal(calls(c.flush(at(70_000))).length, 0);
    now = at(80_000);
    c.consume([makeSpan({ name: 'x' })]);
    const [p] = calls(c.flush(at(90_000)));
    assert.equal(p?.value, 1n);
    assert.equal(p?.startTimeUnixNano, at(80_000));
  });

  it('keeps at most maxResources resources, dropping the least recently used', () => {
    const c = connector({ maxResources: 2 });
    const r = (name: string) => makeResource({ 'service.name': name });
    c.consume([
      makeSpan({ resource: r('a') }),
      makeSpan({ resource: r('b') }),
      makeSpan({ resource: r('a') }),
      makeSpan({ resource: r('c') }),
    ]);
    assert.deepEqual(
      calls(c.flush(at(1000))).map((p) => p.attributes['service.name']),
      ['a', 'c'],
    );
  });

  it('rejects bad options with a message naming the option', () => {
    assert.throws(() => new SpanMetricsConnector({ bucketsMs: [5, 2] }), /bucketsMs/);
    assert.throws(() => new SpanMetricsConnector({ cardinalityLimit: 0 }), /cardinalityLimit/);
    assert.throws(() => new SpanMetricsConnector({ exemplarsPerSeries: -1 }), /exemplarsPerSeries/);
  });
});

describe('durationMs', () => {
  it('is whole milliseconds plus the rest as a fraction, as the bigint arithmetic gives it', () => {
    const NS = 1_000_000n;
    const exact = (a: bigint, b: bigint): number => {
      const d = b > a ? b - a : 0n;
      return Number(d / NS) + Number(d % NS) / 1e6;
    };
    const t = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
    const near = fc.bigInt({ min: 0n, max: 1n << 60n });
    fc.assert(
      fc.property(t, near, fc.boolean(), (a, d, later) => {
        const b = later ? a + d : a - d;
        assert.equal(durationMs(a, b), exact(a, b));
      }),
      { numRuns: 2000 },
    );
    assert.equal(durationMs(0n, 3_500_000n), 3.5);
    assert.equal(durationMs(5n, 5n), 0);
    assert.equal(durationMs(9n, 5n), 0);
  });
});
