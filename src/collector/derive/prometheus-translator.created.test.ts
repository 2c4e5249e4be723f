// A new cumulative series starts with a zero at its start time, as Prometheus 3
// writes for a created timestamp ("created timestamp zero ingestion").

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AggregationTemporality, StatusCode } from '../../model/telemetry';
import { PrometheusTranslator } from './prometheus-translator';
import { SpanMetricsConnector } from './span-metrics';
import { at, byName, makeGauge, makeHistogram, makeResource, makeSpan, makeSum } from './testing';

describe('PrometheusTranslator: zero at a new cumulative series start', () => {
  it('writes it once, with the first point, not with later ones', () => {
    const t = new PrometheusTranslator();
    const first = t.translate([
      makeSum({ startTimeUnixNano: at(200), timeUnixNano: at(1000), value: 4 }),
    ]);
    assert.deepEqual(byName(first).get('m_total{}'), [
      [200, 0],
      [1000, 4],
    ]);
    const next = t.translate([
      makeSum({ startTimeUnixNano: at(200), timeUnixNano: at(2000), value: 6 }),
    ]);
    assert.deepEqual(byName(next).get('m_total{}'), [[2000, 6]]);
  });

  it('writes none for gauges and non-monotonic sums', () => {
    const t = new PrometheusTranslator();
    const r = t.translate([
      makeGauge({ name: 'g', startTimeUnixNano: at(0), timeUnixNano: at(1000), value: 3 }),
      makeSum({ name: 'u', isMonotonic: false, startTimeUnixNano: at(0), value: 3 }),
    ]);
    assert.deepEqual(byName(r).get('g{}'), [[1000, 3]]);
    assert.deepEqual(byName(r).get('u{}'), [[1000, 3]]);
  });

  it('writes none without a start time, or with one not before the point', () => {
    const t = new PrometheusTranslator();
    const r = t.translate([
      makeSum({ name: 'a', startTimeUnixNano: 0n, timeUnixNano: at(1000), value: 1 }),
      makeSum({ name: 'b', startTimeUnixNano: at(1000), timeUnixNano: at(1000), value: 1 }),
      makeSum({ name: 'c', startTimeUnixNano: at(1200), timeUnixNano: at(1000), value: 1 }),
    ]);
    assert.deepEqual(byName(r).get('a_total{}'), [[1000, 1]]);
    assert.deepEqual(byName(r).get('b_total{}'), [[1000, 1]]);
    assert.deepEqual(byName(r).get('c_total{}'), [[1000, 1]]);
  });

  it('writes none for a start older than the idle timeout', () => {
    const t = new PrometheusTranslator({ idleTimeoutMs: 60_000 });
    const r = t.translate([
      makeSum({ name: 'old', startTimeUnixNano: at(0), timeUnixNano: at(60_001), value: 1 }),
      makeSum({ name: 'recent', startTimeUnixNano: at(1), timeUnixNano: at(60_001), value: 1 }),
    ]);
    assert.deepEqual(byName(r).get('old_total{}'), [[60_001, 1]]);
    assert.deepEqual(byName(r).get('recent_total{}'), [
      [1, 0],
      [60_001, 1],
    ]);
  });

  it('writes none for a delta stream (its start abuts a stored point once the stream is forgotten)', () => {
    const t = new PrometheusTranslator();
    const r = t.translate([
      makeSum({
        temporality: AggregationTemporality.DELTA,
        startTimeUnixNano: at(0),
        timeUnixNano: at(1000),
        value: 5,
      }),
    ]);
    assert.deepEqual(byName(r).get('m_total{}'), [[1000, 5]]);
  });

  it('zeroes every bucket, _sum and _count of a new histogram', () => {
    const t = new PrometheusTranslator();
    const r = t.translate([makeHistogram({ startTimeUnixNano: at(100), timeUnixNano: at(1000) })]);
    for (const [name, samples] of byName(r)) {
      assert.deepEqual(samples[0], [100, 0], name);
      assert.equal(samples.length, 2, name);
    }
  });

  it("gives a span-metrics error series born mid-run its own zero, the others' untouched", () => {
    const resource = makeResource({ 'service.name': 'frontend', 'service.instance.id': 'f-1' });
    let now = at(0);
    const connector = new SpanMetricsConnector({ clock: () => now });
    const t = new PrometheusTranslator();
    const calls = (r: ReturnType<PrometheusTranslator['translate']>, status: string) =>
      r.samples.find(
        (s) =>
          s.labels['__name__'] === 'traces_span_metrics_calls_total' &&
          s.labels['status_code'] === status,
      )?.samples;
    connector.consume([makeSpan({ resource, name: 'GET' })]);
    t.translate(connector.flush(at(5000)));
    now = at(7000);
    const error = { code: StatusCode.ERROR, message: 'boom' };
    connector.consume([1, 2, 3, 4].map(() => makeSpan({ resource, name: 'GET', status: error })));
    const r = t.translate(connector.flush(at(10_000)));
    assert.deepEqual(calls(r, 'STATUS_CODE_ERROR'), [
      { t: Number(at(7000) / 1_000_000n), v: 0 },
      { t: Number(at(10_000) / 1_000_000n), v: 4 },
    ]);
    assert.deepEqual(calls(r, 'STATUS_CODE_UNSET'), [{ t: Number(at(10_000) / 1_000_000n), v: 1 }]);
  });
});
