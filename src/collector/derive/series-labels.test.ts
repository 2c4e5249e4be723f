import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Attributes, MetricPoint } from '../../model/telemetry';
import { AggregationTemporality } from '../../model/telemetry';
import { attributesKey, seriesLabels } from './labels';
import { PrometheusTranslator } from './prometheus-translator';
import { metricName } from './prom-names';
import { SeriesLabelCache } from './series-labels';
import {
  at,
  makeGauge,
  makeHistogram,
  makeResource,
  makeScope,
  makeSum,
  makeSummary,
} from './testing';

const svc = (name: string, extra: Attributes = {}) =>
  makeResource({ 'service.name': name, 'service.instance.id': 'i-1', ...extra });

describe('SeriesLabelCache', () => {
  it('hands out the same frozen object for a stream seen again in a new request', () => {
    const cache = new SeriesLabelCache(1000, true);
    const point = () =>
      makeHistogram({ resource: svc('cart'), attributes: { 'http.route': '/a' } });
    const first = point();
    const again = point();
    const f1 = cache.family(first, attributesKey(first.attributes), 'latency');
    const f2 = cache.family(again, attributesKey(again.attributes), 'latency');
    assert.equal(f1, f2);
    assert.equal(f1.bucket(10), f2.bucket(10));
    assert.ok(Object.isFrozen(f1.bucket(10)));
    assert.deepEqual(f1.bucket(10), {
      __name__: 'latency_bucket',
      http_route: '/a',
      instance: 'i-1',
      job: 'cart',
      le: '10',
      otel_scope_name: 'app',
    });
    assert.equal(f1.bucket(Infinity)['le'], '+Inf');
  });

  it('interns equal label sets from different streams into one object', () => {
    const cache = new SeriesLabelCache(1000, true);
    // Only job and instance come from the resource; `a.b` and `a_b` both sanitize to `a_b`.
    const p1 = makeGauge({
      resource: svc('cart', { 'host.name': 'x' }),
      attributes: { 'a.b': 'v' },
    });
    const p2 = makeGauge({ resource: svc('cart', { 'host.name': 'y' }), attributes: { a_b: 'v' } });
    const f1 = cache.family(p1, attributesKey(p1.attributes), 'g');
    const f2 = cache.family(p2, attributesKey(p2.attributes), 'g');
    assert.notEqual(f1, f2);
    assert.equal(f1.plain, f2.plain);
  });

  it('builds everything again once past its bound, between batches only', () => {
    const cache = new SeriesLabelCache(3, true);
    const p = makeGauge({ attributes: { k: 'v' } });
    const f = cache.family(p, attributesKey(p.attributes), 'g');
    f.bucket(1);
    f.bucket(2);
    f.bucket(3);
    const before = f.plain;
    assert.equal(cache.family(p, attributesKey(p.attributes), 'g'), f);
    cache.trim();
    assert.deepEqual(cache.stats, { labelSets: 0, cleared: 1 });
    const rebuilt = cache.family(p, attributesKey(p.attributes), 'g');
    assert.notEqual(rebuilt.plain, before);
    assert.deepEqual(rebuilt.plain, before);
  });

  it('keeps label sets whose hashes collide apart', () => {
    const cache = new SeriesLabelCache(1000, true);
    // These two have the same 32-bit FNV-1a hash (found by search).
    const a = cache.intern({ __name__: 'm', id: 'v80189' });
    const b = cache.intern({ __name__: 'm', id: 'v1134900' });
    assert.notEqual(a, b);
    assert.deepEqual([a['id'], b['id']], ['v80189', 'v1134900']);
    assert.equal(cache.intern({ id: 'v1134900', __name__: 'm' }), b);
    assert.equal(cache.intern({ __name__: 'm', id: 'v80189' }), a);
    assert.equal(cache.stats.labelSets, 2);
  });

  it('refuses a bound that is not positive', () => {
    assert.throws(() => new SeriesLabelCache(0, true), /maxLabelSets must be > 0, got 0/);
  });
});

describe('PrometheusTranslator with cached labels', () => {
  it('gives the same label objects to a repeated stream, batch after batch', () => {
    const t = new PrometheusTranslator();
    const batch = (ms: number) => [
      makeSum({ resource: svc('cart'), timeUnixNano: at(ms), value: ms }),
      makeHistogram({ resource: svc('cart'), timeUnixNano: at(ms) }),
    ];
    const a = t.translate(batch(1000)).samples;
    const b = t.translate(batch(2000)).samples;
    assert.equal(a.length, b.length);
    a.forEach((s, i) => assert.equal(s.labels, b[i]?.labels));
  });

  it('merges streams with equal labels into one series within a batch', () => {
    const t = new PrometheusTranslator({ targetInfo: false });
    const r = t.translate([
      makeGauge({ resource: svc('cart', { 'host.name': 'x' }), timeUnixNano: at(1000), value: 1 }),
      makeGauge({ resource: svc('cart', { 'host.name': 'y' }), timeUnixNano: at(2000), value: 2 }),
    ]);
    assert.equal(r.samples.length, 1);
    assert.deepEqual(
      r.samples[0]?.samples.map((s) => s.v),
      [1, 2],
    );
  });

  it('names and labels exactly as built without the cache', () => {
    const cache = new SeriesLabelCache(1000, true);
    const key = fc.constantFrom('a.b', 'a_b', 'x', 'http.route', '_y', '9z', 'le');
    const value = fc.oneof(fc.constantFrom('', 'v', 'w'), fc.integer({ min: -2, max: 2 }));
    fc.assert(
      fc.property(
        fc.dictionary(key, value, { maxKeys: 4 }),
        fc.dictionary(fc.constantFrom('s.a', 's_a', 'b'), fc.constantFrom('1', '2', ''), {
          maxKeys: 2,
        }),
        fc.constantFrom('', 'lib'),
        fc.constantFrom('cart', 'ad'),
        fc.constantFrom('ms', '1', 'By/s', '{req}'),
        fc.constantFrom('counter', 'gauge', 'histogram', 'other') as fc.Arbitrary<
          'counter' | 'gauge' | 'histogram' | 'other'
        >,
        (attributes, scopeAttrs, scopeName, service, unit, kind) => {
          const scope = { ...makeScope(scopeName, '1.0'), attributes: scopeAttrs };
          const p: MetricPoint = makeGauge({ attributes, scope, resource: svc(service), unit });
          const name = cache.metricName(p, kind);
          assert.equal(name, metricName(p.name, p.unit, kind, true));
          const f = cache.family(p, attributesKey(attributes), name);
          const base = seriesLabels(attributes, scope, p.resource);
          assert.deepEqual({ ...f.plain }, { ...base, __name__: name });
          assert.deepEqual({ ...f.suffixed('_sum') }, { ...base, __name__: `${name}_sum` });
          assert.deepEqual({ ...f.quantile(0.5) }, { ...base, __name__: name, quantile: '0.5' });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('translates alike whether its labels are cached or rebuilt every batch', () => {
    const stream = (i: number, ms: number): MetricPoint[] => {
      const resource = svc(i % 2 === 0 ? 'cart' : 'ad', { 'host.name': `h${i % 3}` });
      const attributes = { route: `/r${i % 4}` };
      return [
        makeSum({
          resource,
          attributes,
          timeUnixNano: at(ms),
          startTimeUnixNano: at(0),
          value: ms + i,
        }),
        makeSum({
          resource,
          attributes,
          name: 'd',
          temporality: AggregationTemporality.DELTA,
          timeUnixNano: at(ms),
          startTimeUnixNano: at(ms - 1000),
          value: i,
        }),
        makeHistogram({ resource, attributes, timeUnixNano: at(ms) }),
        makeSummary({
          resource,
          attributes,
          timeUnixNano: at(ms),
          quantileValues: [{ quantile: 0.99, value: ms }],
        }),
      ];
    };
    const warm = new PrometheusTranslator();
    const cold = new PrometheusTranslator({ maxLabelSets: 1 });
    for (let round = 1; round <= 3; round++) {
      const points = Array.from({ length: 6 }, (_, i) => stream(i, round * 1000)).flat();
      assert.deepEqual(warm.translate(points), cold.translate(points));
    }
  });
});
