// Contract cases for the Prometheus side and raw OTLP metric points.

import assert from 'node:assert/strict';
import { it } from 'node:test';

import type { MetricPoint } from '../model/telemetry';
import type { MakeStore } from './contract-fixtures';
import { ALL_TIME, withStore } from './contract-fixtures';
import type { LabelMatcher, MsRange, TelemetryStore } from './store';
import {
  makeExponentialHistogram,
  makeGauge,
  makeHistogram,
  makeResource,
  makeSeries,
  makeSum,
  makeSummary,
  ms,
  spanIdOf,
  traceIdOf,
} from './testing';

const ALL_MS: MsRange = { minT: 0, maxT: 10_000_000 };
const eq = (name: string, value: string): LabelMatcher => ({ name, op: '=', value });

async function writeSeries(s: TelemetryStore): Promise<void> {
  await s.write({
    samples: [
      makeSeries(
        { __name__: 'calls_total', service_name: 'frontend', status_code: 'STATUS_CODE_OK' },
        [
          [1_000, 1],
          [2_000, 3],
        ],
      ),
      makeSeries(
        {
          __name__: 'calls_total',
          service_name: 'recommendation',
          status_code: 'STATUS_CODE_ERROR',
        },
        [
          [2_000, 1],
          [1_000, 0],
        ],
      ),
      makeSeries({ __name__: 'process_memory_bytes', service_name: 'recommendation', empty: '' }, [
        [5_000, 1e9],
      ]),
    ],
  });
}

export function runMetricsContract(make: MakeStore): void {
  it('selects series by every matcher kind, samples sorted and inside the range', () =>
    withStore(make, async (s) => {
      await writeSeries(s);
      const names = async (m: LabelMatcher[], r: MsRange = ALL_MS): Promise<string[]> =>
        (await s.selectSeries(m, r)).map(
          (x) => `${x.labels['service_name']}:${x.samples.map((p) => `${p.t}=${p.v}`).join(',')}`,
        );
      assert.deepEqual(await names([eq('__name__', 'calls_total')]), [
        'frontend:1000=1,2000=3',
        'recommendation:1000=0,2000=1',
      ]);
      assert.deepEqual(
        await names([
          eq('__name__', 'calls_total'),
          { name: 'service_name', op: '!=', value: 'frontend' },
        ]),
        ['recommendation:1000=0,2000=1'],
      );
      assert.deepEqual(await names([{ name: 'service_name', op: '=~', value: 'rec.*' }]), [
        'recommendation:1000=0,2000=1',
        'recommendation:5000=1000000000',
      ]);
      assert.deepEqual(await names([{ name: 'status_code', op: '!~', value: '.*ERROR' }]), [
        'frontend:1000=1,2000=3',
        'recommendation:5000=1000000000',
      ]);
      assert.deepEqual(await names([eq('__name__', 'calls_total')], { minT: 2_000, maxT: 2_000 }), [
        'frontend:2000=3',
        'recommendation:2000=1',
      ]);
      assert.deepEqual(
        await names([eq('__name__', 'process_memory_bytes')], { minT: 0, maxT: 4_999 }),
        [],
      );
      assert.deepEqual(await names([eq('status_code', '')]), ['recommendation:5000=1000000000']);
    }));

  it('drops empty-valued labels and merges samples of the same series across writes', () =>
    withStore(make, async (s) => {
      await writeSeries(s);
      await s.write({
        samples: [
          makeSeries({ service_name: 'recommendation', __name__: 'process_memory_bytes' }, [
            [6_000, 2e9],
          ]),
        ],
      });
      const got = await s.selectSeries([eq('__name__', 'process_memory_bytes')], ALL_MS);
      assert.deepEqual(got, [
        {
          labels: { __name__: 'process_memory_bytes', service_name: 'recommendation' },
          samples: [
            { t: 5_000, v: 1e9 },
            { t: 6_000, v: 2e9 },
          ],
        },
      ]);
      assert.equal((await s.stats()).series, 3);
    }));

  it('keeps special float values', () =>
    withStore(make, async (s) => {
      await s.write({
        samples: [
          makeSeries({ __name__: 'odd' }, [
            [1, Number.NaN],
            [2, Number.POSITIVE_INFINITY],
            [3, -0.5],
          ]),
        ],
      });
      const [got] = await s.selectSeries([eq('__name__', 'odd')], ALL_MS);
      assert.deepEqual(got?.samples, [
        { t: 1, v: Number.NaN },
        { t: 2, v: Number.POSITIVE_INFINITY },
        { t: 3, v: -0.5 },
      ]);
    }));

  it('rejects an invalid regular expression with a clear error', () =>
    withStore(make, async (s) => {
      await writeSeries(s);
      await assert.rejects(
        s.selectSeries([{ name: 'a', op: '=~', value: '(' }], ALL_MS),
        /regular expression/,
      );
    }));

  it('lists label names, label values and series for any of several matcher sets', () =>
    withStore(make, async (s) => {
      await writeSeries(s);
      assert.deepEqual(await s.labelNames([], ALL_MS), ['__name__', 'service_name', 'status_code']);
      assert.deepEqual(await s.labelNames([[eq('__name__', 'process_memory_bytes')]], ALL_MS), [
        '__name__',
        'service_name',
      ]);
      assert.deepEqual(await s.labelValues('service_name', [], ALL_MS), [
        'frontend',
        'recommendation',
      ]);
      assert.deepEqual(
        await s.labelValues(
          'status_code',
          [[eq('service_name', 'frontend')], [eq('status_code', 'STATUS_CODE_ERROR')]],
          ALL_MS,
        ),
        ['STATUS_CODE_ERROR', 'STATUS_CODE_OK'],
      );
      assert.deepEqual(await s.labelValues('__name__', [], { minT: 4_000, maxT: 9_000 }), [
        'process_memory_bytes',
      ]);
      assert.deepEqual(await s.series([[eq('service_name', 'frontend')]], ALL_MS), [
        { __name__: 'calls_total', service_name: 'frontend', status_code: 'STATUS_CODE_OK' },
      ]);
    }));

  it('stores exemplars per series and returns them by matcher and range', () =>
    withStore(make, async (s) => {
      await writeSeries(s);
      const ex = { labels: { trace_id: traceIdOf(2), span_id: spanIdOf(6) }, t: 2_000, v: 812.5 };
      await s.write({
        exemplars: [
          {
            seriesLabels: { __name__: 'duration_bucket', le: '1000' },
            exemplars: [ex, { labels: {}, t: 9_000, v: 1 }],
          },
        ],
      });
      assert.deepEqual(
        await s.exemplars([[eq('__name__', 'duration_bucket')]], { minT: 0, maxT: 5_000 }),
        [{ seriesLabels: { __name__: 'duration_bucket', le: '1000' }, exemplars: [ex] }],
      );
      assert.deepEqual(await s.exemplars([[eq('__name__', 'calls_total')]], ALL_MS), []);
    }));

  it('keeps the last metadata per metric and filters by name', () =>
    withStore(make, async (s) => {
      await s.write({
        metadata: [
          { metric: 'b', type: 'gauge', help: 'old', unit: '' },
          { metric: 'a', type: 'counter', help: 'A', unit: 'bytes' },
        ],
      });
      await s.write({ metadata: [{ metric: 'b', type: 'gauge', help: 'new', unit: '' }] });
      assert.deepEqual(await s.metadata(), [
        { metric: 'a', type: 'counter', help: 'A', unit: 'bytes' },
        { metric: 'b', type: 'gauge', help: 'new', unit: '' },
      ]);
      assert.deepEqual(await s.metadata('a'), [
        { metric: 'a', type: 'counter', help: 'A', unit: 'bytes' },
      ]);
    }));

  it('reads back raw OTLP points of all five kinds field by field, newest first', () =>
    withStore(make, async (s) => {
      const res = makeResource('recommendation', { 'service.instance.id': 'i-1' });
      const ex = {
        filteredAttributes: { user: 'x' },
        timeUnixNano: ms(4_500),
        value: 7n,
        spanId: spanIdOf(1),
        traceId: traceIdOf(1),
      };
      const points: MetricPoint[] = [
        makeGauge({
          resource: res,
          name: 'g',
          value: 1.5,
          timeUnixNano: ms(5_000),
          description: 'a gauge',
          unit: 'By',
          metadata: { m: 'x' },
          flags: 1,
          attributes: { k: 'v' },
        }),
        makeSum({
          resource: res,
          name: 's',
          value: 9_007_199_254_740_993n,
          isMonotonic: false,
          temporality: 1,
          timeUnixNano: ms(4_000),
          exemplars: [ex],
        }),
        makeHistogram({
          resource: res,
          name: 'h',
          timeUnixNano: ms(3_000),
          min: undefined,
          max: undefined,
          exemplars: [{ ...ex, value: 0.5 }],
        }),
        makeExponentialHistogram({
          resource: res,
          name: 'e',
          timeUnixNano: ms(2_000),
          sum: undefined,
        }),
        makeSummary({ resource: res, name: 'q', timeUnixNano: ms(1_000) }),
      ];
      await s.write({ metrics: points });
      assert.deepEqual(await s.searchMetricPoints({ range: ALL_TIME, limit: 10 }), points);
      assert.deepEqual(await s.searchMetricPoints({ range: ALL_TIME, limit: 10, name: 'h' }), [
        points[2],
      ]);
      assert.deepEqual(
        await s.searchMetricPoints({
          range: { start: ms(1_000), end: ms(3_000) },
          limit: 1,
          service: 'recommendation',
        }),
        [points[3]],
      );
      assert.deepEqual(
        await s.searchMetricPoints({ range: ALL_TIME, limit: 10, service: 'frontend' }),
        [],
      );
    }));
}
