// End to end: spans -> span metrics -> Prometheus series, as the upstream
// dashboard queries (SCENARIO.md) expect them.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SpanKind, StatusCode } from '../../model/telemetry';
import { PrometheusTranslator, SpanMetricsConnector } from './index';
import { at, makeResource, makeScope, makeSpan, makeSum } from './testing';

const recommendation = makeResource({
  'service.name': 'recommendation',
  'service.instance.id': 'rec-1',
  'service.version': '1.11.0',
});

describe('translate(flush(consume(spans)))', () => {
  const connector = new SpanMetricsConnector({ clock: () => at(0) });
  connector.consume([
    makeSpan({ resource: recommendation, name: 'get_product_list', durationMs: 3 }),
    makeSpan({ resource: recommendation, name: 'get_product_list', durationMs: 700 }),
    makeSpan({
      resource: recommendation,
      name: 'oteldemo.RecommendationService/ListRecommendations',
      kind: SpanKind.SERVER,
      status: { code: StatusCode.ERROR, message: 'x' },
      durationMs: 1,
    }),
  ]);
  const result = new PrometheusTranslator().translate(connector.flush(at(15_000)));
  const names = new Set(result.samples.map((s) => s.labels['__name__']));

  it('yields exactly the span-metrics series names the dashboard queries', () => {
    assert.deepEqual([...names].sort(), [
      'target_info',
      'traces_span_metrics_calls_total',
      'traces_span_metrics_duration_milliseconds_bucket',
      'traces_span_metrics_duration_milliseconds_count',
      'traces_span_metrics_duration_milliseconds_sum',
    ]);
  });

  it('labels them service_name, span_name, span_kind, status_code, job and instance', () => {
    const errors = result.samples.find(
      (s) =>
        s.labels['__name__'] === 'traces_span_metrics_calls_total' &&
        s.labels['status_code'] === 'STATUS_CODE_ERROR',
    );
    assert.deepEqual(errors, {
      labels: {
        __name__: 'traces_span_metrics_calls_total',
        service_name: 'recommendation',
        span_name: 'oteldemo.RecommendationService/ListRecommendations',
        span_kind: 'SPAN_KIND_SERVER',
        status_code: 'STATUS_CODE_ERROR',
        otel_scope_name: 'spanmetricsconnector',
        job: 'recommendation',
        instance: 'rec-1',
      },
      // The zero at the series' start: `increase()` sees the first error.
      samples: [
        { t: Number(at(0) / 1_000_000n), v: 0 },
        { t: Number(at(15_000) / 1_000_000n), v: 1 },
      ],
    });
  });

  it('writes every default bucket as an le series, cumulative', () => {
    const buckets = result.samples.filter(
      (s) =>
        s.labels['__name__'] === 'traces_span_metrics_duration_milliseconds_bucket' &&
        s.labels['span_name'] === 'get_product_list',
    );
    assert.deepEqual(
      buckets.map((s) => [s.labels['le'], s.samples.at(-1)?.v]),
      [
        ['2', 0],
        ['4', 1],
        ['6', 1],
        ['8', 1],
        ['10', 1],
        ['50', 1],
        ['100', 1],
        ['200', 1],
        ['400', 1],
        ['800', 2],
        ['1000', 2],
        ['1400', 2],
        ['2000', 2],
        ['5000', 2],
        ['10000', 2],
        ['15000', 2],
        ['+Inf', 2],
      ],
    );
  });

  it('attaches span exemplars to the bucket series with trace_id and span_id', () => {
    const slow = result.exemplars.find(
      (e) => e.seriesLabels['le'] === '800' && e.seriesLabels['span_name'] === 'get_product_list',
    );
    assert.equal(slow?.exemplars.length, 1);
    assert.deepEqual(Object.keys(slow?.exemplars[0]?.labels ?? {}).sort(), ['span_id', 'trace_id']);
    assert.equal(slow?.exemplars[0]?.v, 700);
  });

  it('declares counter and histogram metadata in milliseconds', () => {
    const meta = Object.fromEntries(result.metadata.map((m) => [m.metric, [m.type, m.unit]]));
    assert.deepEqual(meta['traces_span_metrics_calls_total'], ['counter', '']);
    assert.deepEqual(meta['traces_span_metrics_duration_milliseconds'], [
      'histogram',
      'milliseconds',
    ]);
  });
});

describe('the recommendation counter', () => {
  it('becomes app_recommendations_counter_total{recommendation_type="catalog"}', () => {
    const r = new PrometheusTranslator().translate([
      makeSum({
        resource: recommendation,
        scope: makeScope('recommendation'),
        name: 'app_recommendations_counter',
        attributes: { 'recommendation.type': 'catalog' },
        timeUnixNano: at(1000),
        value: 5n,
      }),
    ]);
    const series = r.samples.find((s) => s.labels['__name__'] !== 'target_info');
    assert.deepEqual(series?.labels, {
      __name__: 'app_recommendations_counter_total',
      recommendation_type: 'catalog',
      otel_scope_name: 'recommendation',
      job: 'recommendation',
      instance: 'rec-1',
    });
  });
});
