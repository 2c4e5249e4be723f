import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PrometheusTranslator } from './prometheus-translator';
import { isStaleNaN } from './prom-values';
import {
  at,
  byName,
  render,
  T0,
  makeExemplar,
  makeExponential,
  makeGauge,
  makeHistogram,
  makeResource,
  makeScope,
  makeSum,
  makeSummary,
} from './testing';

describe('PrometheusTranslator: series and labels', () => {
  it('names a gauge, sanitizes attribute names, adds job, instance and scope labels', () => {
    const t = new PrometheusTranslator();
    const resource = makeResource({
      'service.name': 'recommendation',
      'service.instance.id': 'i-1',
    });
    const r = t.translate([
      makeGauge({
        name: 'process.memory.usage',
        unit: 'By',
        value: 2048n,
        resource,
        scope: makeScope('@opentelemetry/instrumentation-runtime-node', '0.36.1'),
        attributes: { 'memory.type': 'heap' },
      }),
    ]);
    assert.deepEqual(r.samples, [
      {
        labels: {
          __name__: 'process_memory_usage_bytes',
          memory_type: 'heap',
          job: 'recommendation',
          instance: 'i-1',
          otel_scope_name: '@opentelemetry/instrumentation-runtime-node',
          otel_scope_version: '0.36.1',
        },
        samples: [{ t: T0 + 1000, v: 2048 }],
      },
    ]);
    assert.deepEqual(r.metadata, [
      { metric: 'process_memory_usage_bytes', type: 'gauge', help: '', unit: 'bytes' },
    ]);
  });

  it('makes job from service.namespace/service.name', () => {
    const t = new PrometheusTranslator();
    const resource = makeResource({ 'service.name': 'cart', 'service.namespace': 'shop' });
    const r = t.translate([makeGauge({ resource })]);
    assert.equal(r.samples[0]?.labels['job'], 'shop/cart');
  });

  it('joins the values of attributes whose names sanitize alike', () => {
    const t = new PrometheusTranslator();
    const r = t.translate([makeGauge({ attributes: { 'a.b': 'x', a_b: 'y', empty: '' } })]);
    assert.equal(r.samples[0]?.labels['a_b'], 'x;y');
    assert.equal(r.samples[0]?.labels['empty'], undefined);
  });

  it('turns a monotonic sum into a _total counter', () => {
    const t = new PrometheusTranslator();
    const r = t.translate([
      makeSum({
        name: 'app_recommendations_counter',
        value: 7n,
        attributes: { 'recommendation.type': 'catalog' },
      }),
    ]);
    assert.deepEqual(
      [...byName(r)],
      // The zero at the start time: what Prometheus 3 writes for a created timestamp.
      [
        [
          'app_recommendations_counter_total{recommendation_type="catalog"}',
          [
            [0, 0],
            [1000, 7],
          ],
        ],
      ],
    );
    assert.equal(r.metadata[0]?.type, 'counter');
  });

  it('turns a non-monotonic sum into a gauge without _total or _ratio', () => {
    const t = new PrometheusTranslator();
    const r = t.translate([
      makeSum({ name: 'queue.size', unit: '1', isMonotonic: false, value: 4 }),
    ]);
    assert.deepEqual([...byName(r)], [['queue_size{}', [[1000, 4]]]]);
    assert.equal(r.metadata[0]?.type, 'gauge');
  });

  it('writes histogram buckets cumulatively, with +Inf, _sum and _count', () => {
    const t = new PrometheusTranslator();
    const r = t.translate([
      makeHistogram({
        name: 'rpc.server.duration',
        unit: 'ms',
        explicitBounds: [1, 5],
        bucketCounts: [1n, 0n, 2n],
        count: 3n,
        sum: 12,
      }),
    ]);
    assert.deepEqual(
      [...byName(r)],
      [
        [
          'rpc_server_duration_milliseconds_bucket{le="1"}',
          [
            [0, 0],
            [1000, 1],
          ],
        ],
        [
          'rpc_server_duration_milliseconds_bucket{le="5"}',
          [
            [0, 0],
            [1000, 1],
          ],
        ],
        [
          'rpc_server_duration_milliseconds_bucket{le="+Inf"}',
          [
            [0, 0],
            [1000, 3],
          ],
        ],
        [
          'rpc_server_duration_milliseconds_sum{}',
          [
            [0, 0],
            [1000, 12],
          ],
        ],
        [
          'rpc_server_duration_milliseconds_count{}',
          [
            [0, 0],
            [1000, 3],
          ],
        ],
      ],
    );
    assert.deepEqual(r.metadata[0], {
      metric: 'rpc_server_duration_milliseconds',
      type: 'histogram',
      help: '',
      unit: 'milliseconds',
    });
  });

  it('writes a histogram without sum as buckets and _count only', () => {
    const t = new PrometheusTranslator();
    const r = t.translate([
      makeHistogram({ sum: undefined, explicitBounds: [], bucketCounts: [], count: 2n }),
    ]);
    assert.deepEqual([...byName(r).keys()], ['m_bucket{le="+Inf"}', 'm_count{}']);
  });

  it('drops a histogram whose bucket counts do not fit its bounds', () => {
    const t = new PrometheusTranslator();
    const r = t.translate([makeHistogram({ explicitBounds: [1, 5], bucketCounts: [1n] })]);
    assert.equal(r.samples.length, 0);
    assert.equal(t.stats.dropped, 1);
  });

  it('writes a summary as quantile series, _sum and _count', () => {
    const t = new PrometheusTranslator();
    const r = t.translate([
      makeSummary({
        name: 'gc.pause',
        unit: 's',
        quantileValues: [
          { quantile: 0.5, value: 0.1 },
          { quantile: 0.99, value: 0.4 },
        ],
      }),
    ]);
    assert.deepEqual(
      [...byName(r)],
      [
        ['gc_pause_seconds{quantile="0.5"}', [[1000, 0.1]]],
        ['gc_pause_seconds{quantile="0.99"}', [[1000, 0.4]]],
        ['gc_pause_seconds_sum{}', [[1000, 10]]],
        ['gc_pause_seconds_count{}', [[1000, 4]]],
      ],
    );
    assert.equal(r.metadata[0]?.type, 'summary');
  });

  it('converts an exponential histogram to explicit cumulative buckets', () => {
    const t = new PrometheusTranslator();
    // scale 0: bucket i covers (2^i, 2^(i+1)]
    const r = t.translate([
      makeExponential({
        name: 'sizes',
        count: 6n,
        sum: 20,
        zeroCount: 1n,
        positive: { offset: 0, bucketCounts: [2n, 3n] },
      }),
    ]);
    assert.deepEqual(
      [...byName(r)],
      [
        [
          'sizes_bucket{le="0"}',
          [
            [0, 0],
            [1000, 1],
          ],
        ],
        [
          'sizes_bucket{le="2"}',
          [
            [0, 0],
            [1000, 3],
          ],
        ],
        [
          'sizes_bucket{le="4"}',
          [
            [0, 0],
            [1000, 6],
          ],
        ],
        [
          'sizes_bucket{le="+Inf"}',
          [
            [0, 0],
            [1000, 6],
          ],
        ],
        [
          'sizes_sum{}',
          [
            [0, 0],
            [1000, 20],
          ],
        ],
        [
          'sizes_count{}',
          [
            [0, 0],
            [1000, 6],
          ],
        ],
      ],
    );
  });

  it('emits target_info with the resource attributes beyond its identity', () => {
    const t = new PrometheusTranslator();
    const resource = makeResource({
      'service.name': 'ad',
      'service.instance.id': 'i-9',
      'service.version': '1.2.0',
      'telemetry.sdk.language': 'nodejs',
    });
    const r = t.translate([
      makeGauge({ resource, timeUnixNano: at(1000) }),
      makeGauge({ resource, name: 'n', timeUnixNano: at(3000) }),
    ]);
    const info = r.samples.find((s) => s.labels['__name__'] === 'target_info');
    assert.deepEqual(info, {
      labels: {
        __name__: 'target_info',
        job: 'ad',
        instance: 'i-9',
        service_version: '1.2.0',
        telemetry_sdk_language: 'nodejs',
      },
      samples: [{ t: T0 + 3000, v: 1 }],
    });
    assert.ok(r.metadata.some((m) => m.metric === 'target_info' && m.type === 'gauge'));
  });

  it('emits no target_info for a resource that is only its identity', () => {
    const t = new PrometheusTranslator();
    const r = t.translate([makeGauge()]);
    assert.ok(!r.samples.some((s) => s.labels['__name__'] === 'target_info'));
  });

  it('emits no target_info for a resource without service.name or service.instance.id', () => {
    const t = new PrometheusTranslator();
    const r = t.translate([makeGauge({ resource: makeResource({ 'host.name': 'h' }) })]);
    assert.ok(!r.samples.some((s) => s.labels['__name__'] === 'target_info'));
  });

  it('adds scope attributes as otel_scope_ labels, and no scope labels for an unnamed scope', () => {
    const t = new PrometheusTranslator();
    const scope = { ...makeScope('lib', '1.0'), attributes: { 'lib.flavour': 'x' } };
    const r = t.translate([
      makeGauge({ scope }),
      makeGauge({ name: 'n', scope: makeScope('', '9') }),
    ]);
    assert.equal(r.samples[0]?.labels['otel_scope_lib_flavour'], 'x');
    assert.equal(r.samples[1]?.labels['otel_scope_version'], undefined);
  });

  it('writes the staleness marker for a point flagged NO_RECORDED_VALUE', () => {
    const t = new PrometheusTranslator();
    const r = t.translate([makeGauge({ flags: 1 })]);
    assert.ok(isStaleNaN(r.samples[0]?.samples[0]?.v ?? 0));
    assert.ok(!isStaleNaN(NaN));
  });
});

describe('PrometheusTranslator: exemplars', () => {
  it('attaches a histogram exemplar to the bucket its value falls in', () => {
    const t = new PrometheusTranslator();
    const r = t.translate([
      makeHistogram({
        explicitBounds: [1, 5],
        exemplars: [
          makeExemplar({ value: 3 }),
          makeExemplar({ value: 1, spanId: '00000000000000aa' }),
          makeExemplar({ value: 9 }),
        ],
      }),
    ]);
    const where = r.exemplars.map((e) => [
      render({ labels: e.seriesLabels }),
      e.exemplars.map((x) => x.v),
    ]);
    assert.deepEqual(where, [
      ['m_bucket{le="5"}', [3]],
      ['m_bucket{le="1"}', [1]],
      ['m_bucket{le="+Inf"}', [9]],
    ]);
    assert.deepEqual(r.exemplars[0]?.exemplars[0], {
      labels: { trace_id: '0af7651916cd43dd8448eb211c80319c', span_id: 'b7ad6b7169203331' },
      t: T0 + 500,
      v: 3,
    });
  });

  it('attaches a counter exemplar to the _total series, with its filtered attributes', () => {
    const t = new PrometheusTranslator();
    const r = t.translate([
      makeSum({
        exemplars: [makeExemplar({ filteredAttributes: { 'user.id': 'u1' }, value: 2n })],
      }),
    ]);
    assert.equal(r.exemplars[0]?.seriesLabels['__name__'], 'm_total');
    assert.equal(r.exemplars[0]?.exemplars[0]?.labels['user_id'], 'u1');
    assert.equal(r.exemplars[0]?.exemplars[0]?.v, 2);
  });

  it('keeps only the ids when the exemplar labels exceed 128 characters', () => {
    const t = new PrometheusTranslator();
    const r = t.translate([
      makeGauge({ exemplars: [makeExemplar({ filteredAttributes: { big: 'x'.repeat(100) } })] }),
    ]);
    assert.deepEqual(Object.keys(r.exemplars[0]?.exemplars[0]?.labels ?? {}).sort(), [
      'span_id',
      'trace_id',
    ]);
  });
});
