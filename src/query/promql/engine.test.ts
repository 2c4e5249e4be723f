import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Labels } from '../../model/telemetry';
import { instantQuery, rangeQuery } from './engine';
import { MemorySeriesSource } from './testfile';
import type { QueryResult } from './values';
import { makeStaleNaN } from './values';

const m = 60_000;

/** A source with series given as `labels -> value per minute` (undefined: no sample). */
function source(series: [Labels, (number | undefined)[]][]): MemorySeriesSource {
  const s = new MemorySeriesSource();
  for (const [labels, values] of series) {
    const samples: { t: number; v: number }[] = [];
    values.forEach((v, i) => {
      if (v !== undefined) samples.push({ t: i * m, v });
    });
    s.add(labels, samples);
  }
  return s;
}

function vector(r: QueryResult): Record<string, number> {
  assert.equal(r.resultType, 'vector');
  const out: Record<string, number> = {};
  if (r.resultType === 'vector') for (const s of r.samples) out[JSON.stringify(s.labels)] = s.v;
  return out;
}

const ramp = (n: number, step: number, from = 0) =>
  Array.from({ length: n }, (_, i) => from + i * step);
const data = source([
  [{ __name__: 'req', job: 'a', code: '200' }, ramp(11, 60)],
  [{ __name__: 'req', job: 'a', code: '500' }, ramp(11, 6)],
  [{ __name__: 'req', job: 'b', code: '200' }, ramp(11, 120)],
  [{ __name__: 'mem', job: 'a' }, [5, 3, 8, 1, 9, 2, 7, 4, 6, 10, 0]],
  [{ __name__: 'info', job: 'a', version: '1' }, ramp(11, 0, 1)],
]);

describe('engine: instant queries', () => {
  const cases: [string, number, Record<string, number>][] = [
    [
      'req{code="200"}',
      10 * m,
      {
        '{"__name__":"req","job":"a","code":"200"}': 600,
        '{"__name__":"req","job":"b","code":"200"}': 1200,
      },
    ],
    ['rate(req{job="b"}[5m])', 10 * m, { '{"job":"b","code":"200"}': 2 }],
    ['increase(req{job="a",code="500"}[5m])', 10 * m, { '{"job":"a","code":"500"}': 30 }],
    ['sum by (job) (req)', 10 * m, { '{"job":"a"}': 660, '{"job":"b"}': 1200 }],
    ['sum without (code) (req)', 10 * m, { '{"job":"a"}': 660, '{"job":"b"}': 1200 }],
    ['count(req)', 10 * m, { '{}': 3 }],
    ['avg(req)', 10 * m, { '{}': 620 }],
    ['max_over_time(mem[10m])', 10 * m, { '{"job":"a"}': 10 }],
    ['min_over_time(mem[3m])', 10 * m, { '{"job":"a"}': 0 }],
    ['quantile_over_time(0.5, mem[10m])', 10 * m, { '{"job":"a"}': 5 }],
    ['changes(mem[10m])', 10 * m, { '{"job":"a"}': 10 }],
    ['resets(mem[10m])', 10 * m, { '{"job":"a"}': 5 }],
    ['mem offset 2m', 10 * m, { '{"__name__":"mem","job":"a"}': 6 }],
    ['mem @ 120', 10 * m, { '{"__name__":"mem","job":"a"}': 8 }],
    ['mem', 14 * m, { '{"__name__":"mem","job":"a"}': 0 }],
    ['mem', 16 * m, {}],
    [
      'req{code="500"} / on(job) group_left(version) info',
      10 * m,
      { '{"job":"a","code":"500","version":"1"}': 60 },
    ],
    [
      'req > bool 600',
      10 * m,
      {
        '{"job":"a","code":"200"}': 0,
        '{"job":"a","code":"500"}': 0,
        '{"job":"b","code":"200"}': 1,
      },
    ],
    ['req unless on(job) info', 10 * m, { '{"__name__":"req","job":"b","code":"200"}': 1200 }],
    ['topk(1, req)', 10 * m, { '{"__name__":"req","job":"b","code":"200"}': 1200 }],
    ['bottomk(1, req)', 10 * m, { '{"__name__":"req","job":"a","code":"500"}': 60 }],
    ['count_values("v", mem)', 10 * m, { '{"v":"0"}': 1 }],
    ['timestamp(mem)', 12 * m, { '{"job":"a"}': 600 }],
    ['absent(nope{job="x"})', 10 * m, { '{"job":"x"}': 1 }],
    ['vector(2) * 3', 0, { '{}': 6 }],
    [
      'label_replace(info, "major", "v$1", "version", "(.*)")',
      0,
      { '{"__name__":"info","job":"a","version":"1","major":"v1"}': 1 },
    ],
    [
      'label_replace(info, "v", "${x}.$x", "job", "\\\\Q(\\\\E?(?P<x>[[:^digit:]])")',
      0,
      { '{"__name__":"info","job":"a","version":"1","v":"a.a"}': 1 },
    ],
    ['max_over_time(rate(req{job="b"}[2m])[5m:1m])', 10 * m, { '{"job":"b","code":"200"}': 2 }],
  ];
  for (const [q, t, want] of cases) {
    it(`${q} at ${t / m}m`, async () =>
      assert.deepEqual(vector(await instantQuery(data, q, t)), want));
  }

  it('returns scalars and strings', async () => {
    assert.deepEqual(await instantQuery(data, '1 + 2 * 3', 5000), {
      resultType: 'scalar',
      t: 5000,
      v: 7,
    });
    assert.deepEqual(await instantQuery(data, '"hi"', 5000), {
      resultType: 'string',
      t: 5000,
      v: 'hi',
    });
    assert.deepEqual(await instantQuery(data, 'time()', 90_500), {
      resultType: 'scalar',
      t: 90_500,
      v: 90.5,
    });
  });

  it('returns a range vector for a matrix selector, points inclusive at both ends (Prometheus 2.x)', async () => {
    const r = await instantQuery(data, 'mem[2m]', 10 * m);
    assert.deepEqual(r, {
      resultType: 'matrix',
      series: [
        {
          labels: { __name__: 'mem', job: 'a' },
          points: [
            { t: 8 * m, v: 6 },
            { t: 9 * m, v: 10 },
            { t: 10 * m, v: 0 },
          ],
        },
      ],
    });
  });

  it('drops a series at a staleness marker', async () => {
    const s = new MemorySeriesSource();
    s.add({ __name__: 'x' }, [
      { t: 0, v: 1 },
      { t: m, v: makeStaleNaN() },
    ]);
    assert.deepEqual(vector(await instantQuery(s, 'x', 30_000)), { '{"__name__":"x"}': 1 });
    assert.deepEqual(vector(await instantQuery(s, 'x', 2 * m)), {});
  });
});

describe('engine: errors', () => {
  const cases: [string, string, RegExp][] = [
    ['req + on(job) info', 'execution', /multiple matches for labels|found duplicate series/],
    [
      'info + on(job) req',
      'execution',
      /found duplicate series for the match group \{job="a"\} on the right hand-side/,
    ],
    [
      'label_replace(req, "a-b", "", "job", ".*")',
      'execution',
      /invalid destination label name in label_replace\(\): a-b/,
    ],
    [
      'label_replace(req, "a", "$1", "job", "(a)\\\\1")',
      'execution',
      /^invalid regular expression in label_replace\(\): \(a\)\\1$/,
    ],
    [
      'label_replace(nothing, "a-b", "$1", "job", "(?<n>a)")',
      'execution',
      /^invalid regular expression in label_replace\(\): \(\?<n>a\)$/,
    ],
    ['count_values("a-b", req)', 'execution', /invalid label name "a-b"/],
    ['holt_winters(mem[5m], 2, 0.5)', 'execution', /invalid smoothing factor/],
    [
      'label_replace(req, "code", "x", "", "")',
      'execution',
      /vector cannot contain metrics with the same labelset/,
    ],
  ];
  for (const [q, type, msg] of cases) {
    it(q, async () => {
      await assert.rejects(instantQuery(data, q, 10 * m), (err: Error & { type?: string }) => {
        assert.equal(err.type, type);
        assert.match(err.message, msg);
        return true;
      });
    });
  }

  it('times out', async () => {
    await assert.rejects(
      instantQuery(data, 'max_over_time(rate(req[1m])[1000d:1m])', 10 * m, {
        timeoutMs: 0,
        maxSamples: 1e12,
      }),
      {
        type: 'timeout',
      } as object,
    );
  });

  it('refuses to hold more samples than allowed', async () => {
    await assert.rejects(
      instantQuery(data, 'count_over_time(req[1h])', 10 * m, { maxSamples: 10 }),
      /too many samples/,
    );
  });
});

describe('engine: range queries', () => {
  it('evaluates every step and sorts series by labels', async () => {
    const r = await rangeQuery(data, 'sum by (job) (req)', 0, 2 * m, m);
    assert.deepEqual(r, {
      resultType: 'matrix',
      series: [
        {
          labels: { job: 'a' },
          points: [
            { t: 0, v: 0 },
            { t: m, v: 66 },
            { t: 2 * m, v: 132 },
          ],
        },
        {
          labels: { job: 'b' },
          points: [
            { t: 0, v: 0 },
            { t: m, v: 120 },
            { t: 2 * m, v: 240 },
          ],
        },
      ],
    });
  });

  it('turns a scalar into one series without labels', async () => {
    assert.deepEqual(await rangeQuery(data, 'time()', 0, 2 * m, m), {
      resultType: 'matrix',
      series: [
        {
          labels: {},
          points: [
            { t: 0, v: 0 },
            { t: m, v: 60 },
            { t: 2 * m, v: 120 },
          ],
        },
      ],
    });
  });

  it('resolves @ start() and end() to the query range', async () => {
    const r = await rangeQuery(data, 'mem @ start() - mem @ end()', 2 * m, 4 * m, m);
    assert.deepEqual(
      r.resultType === 'matrix' && r.series[0]?.points.map((p) => p.v),
      [-1, -1, -1],
    );
  });

  it('refuses a range vector, a bad step and an inverted range', async () => {
    await assert.rejects(
      rangeQuery(data, 'mem[5m]', 0, m, m),
      /invalid expression type "range vector" for range query/,
    );
    await assert.rejects(
      rangeQuery(data, 'mem', 0, m, 0),
      /zero or negative query resolution step/,
    );
    await assert.rejects(
      rangeQuery(data, 'mem', m, 0, m),
      /end timestamp must not be before start time/,
    );
  });
});
