import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatFloat, labelName, metadataUnit, metricName, type NameKind } from './prom-names';

describe('metricName (OTel -> Prometheus, add_metric_suffixes)', () => {
  const cases: [name: string, unit: string, kind: NameKind, want: string][] = [
    ['traces.span.metrics.calls', '', 'counter', 'traces_span_metrics_calls_total'],
    [
      'traces.span.metrics.duration',
      'ms',
      'histogram',
      'traces_span_metrics_duration_milliseconds',
    ],
    ['app_recommendations_counter', '', 'counter', 'app_recommendations_counter_total'],
    ['system.filesystem.usage', 'By', 'gauge', 'system_filesystem_usage_bytes'],
    ['system.network.io', 'By', 'counter', 'system_network_io_bytes_total'],
    ['system.network.dropped', '{packets}', 'counter', 'system_network_dropped_total'],
    ['system.cpu.utilization', '1', 'gauge', 'system_cpu_utilization_ratio'],
    ['queue.size', '1', 'other', 'queue_size'],
    ['http.server.request.duration', 's', 'histogram', 'http_server_request_duration_seconds'],
    ['process.cpu.time', 's', 'counter', 'process_cpu_time_seconds_total'],
    ['hw.temperature', 'Cel', 'gauge', 'hw_temperature_celsius'],
    ['speed', 'm/s', 'gauge', 'speed_meters_per_second'],
    ['throughput', 'By/s', 'counter', 'throughput_bytes_per_second_total'],
    ['requests', '{request}/s', 'gauge', 'requests_per_second'],
    ['latency.milliseconds', 'ms', 'gauge', 'latency_milliseconds'],
    ['sample_total', '', 'counter', 'sample_total'],
    ['transmitted.total.bytes', 'By', 'counter', 'transmitted_bytes_total'],
    ['distance', 'furlongs', 'gauge', 'distance_furlongs'],
    ['2xx.requests', '', 'gauge', '_2xx_requests'],
    ['metric-with.dashes..and  spaces', '', 'gauge', 'metric_with_dashes_and_spaces'],
    ['job:rate5m', '', 'gauge', 'job:rate5m'],
    ['disk.usage', 'MiBy', 'gauge', 'disk_usage_mebibytes'],
    ['foo.ratio.bar', '1', 'gauge', 'foo_bar_ratio'],
    ['packets', 'By{compressed}', 'gauge', 'packets'],
    ['rate.per.second', '1/s', 'gauge', 'rate_per_second_per_second'],
    ['ünicode.metric', '', 'gauge', 'nicode_metric'],
    ['cpu.usage', '%', 'gauge', 'cpu_usage_percent'],
  ];
  for (const [name, unit, kind, want] of cases) {
    it(`${name} [${unit}] ${kind} -> ${want}`, () => {
      assert.equal(metricName(name, unit, kind), want);
    });
  }

  it('adds no suffixes when add_metric_suffixes is off', () => {
    assert.equal(
      metricName('http.server.duration', 'ms', 'counter', false),
      'http_server_duration',
    );
  });
});

describe('labelName', () => {
  const cases: [string, string][] = [
    ['service.name', 'service_name'],
    ['recommendation.type', 'recommendation_type'],
    ['http-method', 'http_method'],
    ['0day', 'key_0day'],
    ['_private', 'key_private'],
    ['__reserved', '__reserved'],
    ['ünicode', 'key_nicode'],
  ];
  for (const [key, want] of cases) {
    it(`${key} -> ${want}`, () => assert.equal(labelName(key), want));
  }
});

describe('metadataUnit', () => {
  it('spells out the unit words', () => {
    assert.equal(metadataUnit('ms', 'histogram'), 'milliseconds');
    assert.equal(metadataUnit('By/s', 'gauge'), 'bytes_per_second');
    assert.equal(metadataUnit('{call}', 'counter'), '');
    assert.equal(metadataUnit('1', 'gauge'), 'ratio');
  });
});

describe('formatFloat (le / quantile values)', () => {
  const cases: [number, string][] = [
    [2, '2'],
    [0.005, '0.005'],
    [15000, '15000'],
    [1e-7, '0.0000001'],
    [-3.5e-8, '-0.000000035'],
    [1e21, '1000000000000000000000'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
  ];
  for (const [v, want] of cases) {
    it(`${v} -> ${want}`, () => assert.equal(formatFloat(v), want));
  }
});
