import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMemoryStore } from '../../store/memory';
import type { TelemetryStore } from '../../store/store';
import { createPrometheusApi } from './index';

const minute = 60_000;

async function fixture(): Promise<TelemetryStore> {
  const store = createMemoryStore();
  const ramp = (step: number) =>
    Array.from({ length: 11 }, (_, i) => ({ t: i * minute, v: i * step }));
  await store.write({
    samples: [
      { labels: { __name__: 'http_requests_total', job: 'api', instance: 'a' }, samples: ramp(60) },
      {
        labels: { __name__: 'http_requests_total', job: 'api', instance: 'b' },
        samples: ramp(120),
      },
      {
        labels: { __name__: 'up', job: 'api', instance: 'a' },
        samples: ramp(0).map((s) => ({ ...s, v: 1 })),
      },
    ],
    metadata: [{ metric: 'http_requests_total', type: 'counter', help: 'Requests.', unit: '' }],
    exemplars: [
      {
        seriesLabels: { __name__: 'http_requests_total', job: 'api', instance: 'a' },
        exemplars: [{ labels: { trace_id: 'abc' }, t: 120_500, v: 3 }],
      },
    ],
  });
  return store;
}

async function get(
  path: string,
  init?: RequestInit,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const app = createPrometheusApi({ store: await fixture(), now: () => 10 * minute });
  const res = await app.request(`http://localhost${path}`, init);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('Prometheus API: /api/v1/query', () => {
  it("answers Grafana's 1+1 health check with a scalar", async () => {
    const r = await get('/api/v1/query?query=1%2B1&time=600');
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, {
      status: 'success',
      data: { resultType: 'scalar', result: [600, '2'] },
    });
  });

  it('returns a vector with string values and float-second timestamps', async () => {
    const r = await get(
      '/api/v1/query?query=' +
        encodeURIComponent('sum(rate(http_requests_total[5m]))') +
        '&time=600.5',
    );
    assert.deepEqual(r.body, {
      status: 'success',
      data: { resultType: 'vector', result: [{ metric: {}, value: [600.5, '3'] }] },
    });
  });

  it('formats NaN and infinities as Prometheus does', async () => {
    const r = await get('/api/v1/query?query=' + encodeURIComponent('up / 0') + '&time=600');
    assert.deepEqual((r.body['data'] as { result: unknown }).result, [
      { metric: { instance: 'a', job: 'api' }, value: [600, '+Inf'] },
    ]);
    const nan = await get('/api/v1/query?query=' + encodeURIComponent('0/0') + '&time=600');
    assert.deepEqual((nan.body['data'] as { result: unknown }).result, [600, 'NaN']);
  });

  it('accepts RFC3339 times and form POST bodies', async () => {
    const r = await get('/api/v1/query', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'query=up&time=1970-01-01T00:10:00Z',
    });
    assert.equal(r.status, 200);
    assert.deepEqual((r.body['data'] as { result: unknown }).result, [
      { metric: { __name__: 'up', instance: 'a', job: 'api' }, value: [600, '1'] },
    ]);
  });

  it('reports parse errors as bad_data 400 naming the parameter', async () => {
    const r = await get('/api/v1/query?query=sum(');
    assert.equal(r.status, 400);
    assert.equal(r.body['errorType'], 'bad_data');
    assert.match(String(r.body['error']), /^invalid parameter "query": 1:\d+: parse error/);
  });

  it('reports a bad time as bad_data', async () => {
    const r = await get('/api/v1/query?query=up&time=yesterday');
    assert.equal(r.status, 400);
    assert.equal(
      r.body['error'],
      `invalid parameter "time": Invalid time value for 'time': cannot parse "yesterday" to a valid timestamp`,
    );
  });

  it('reports evaluation errors as execution 422', async () => {
    const r = await get(
      '/api/v1/query?query=' + encodeURIComponent('up + on() http_requests_total') + '&time=600',
    );
    assert.equal(r.status, 422);
    assert.equal(r.body['errorType'], 'execution');
    assert.match(String(r.body['error']), /found duplicate series for the match group/);
  });
});

describe('Prometheus API: limits', () => {
  it('answers timeout 503 when a query runs past its timeout parameter', async () => {
    const q = encodeURIComponent('max_over_time(rate(http_requests_total[1m])[1000d:1m])');
    const r = await get(`/api/v1/query?query=${q}&time=600&timeout=0.001`);
    assert.equal(r.status, 503);
    assert.equal(r.body['errorType'], 'timeout');
  });

  it('answers execution 422 when a query would hold too many samples', async () => {
    const app = createPrometheusApi({ store: await fixture(), maxSamples: 5 });
    const res = await app.request(
      `http://localhost/api/v1/query?query=${encodeURIComponent('up[1h]')}&time=600`,
    );
    assert.equal(res.status, 422);
    assert.match(((await res.json()) as { error: string }).error, /too many samples/);
  });

  it('refuses an oversized query', async () => {
    const r = await get(`/api/v1/query?query=${'x%2B'.repeat(40_000)}x`);
    assert.equal(r.status, 400);
    assert.match(String(r.body['error']), /longer than/);
  });
});

describe('Prometheus API: /api/v1/query_range', () => {
  it('returns a matrix sorted by labels', async () => {
    const r = await get(
      '/api/v1/query_range?query=' +
        encodeURIComponent('rate(http_requests_total[2m])') +
        '&start=300&end=420&step=1m',
    );
    assert.equal(r.status, 200);
    assert.deepEqual(r.body['data'], {
      resultType: 'matrix',
      result: [
        {
          metric: { instance: 'a', job: 'api' },
          values: [
            [300, '1'],
            [360, '1'],
            [420, '1'],
          ],
        },
        {
          metric: { instance: 'b', job: 'api' },
          values: [
            [300, '2'],
            [360, '2'],
            [420, '2'],
          ],
        },
      ],
    });
  });

  it('accepts a float step in seconds', async () => {
    const r = await get('/api/v1/query_range?query=up&start=0&end=60&step=30');
    assert.deepEqual((r.body['data'] as { result: { values: unknown }[] }).result[0]?.values, [
      [0, '1'],
      [30, '1'],
      [60, '1'],
    ]);
  });

  it('refuses more than 11,000 points per series', async () => {
    const r = await get('/api/v1/query_range?query=up&start=0&end=11001&step=1');
    assert.equal(r.status, 400);
    assert.equal(
      r.body['error'],
      'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)',
    );
  });

  it('refuses end before start and a zero step', async () => {
    const back = await get('/api/v1/query_range?query=up&start=60&end=0&step=1');
    assert.equal(
      back.body['error'],
      'invalid parameter "end": end timestamp must not be before start time',
    );
    const zero = await get('/api/v1/query_range?query=up&start=0&end=60&step=0');
    assert.equal(
      zero.body['error'],
      'invalid parameter "step": zero or negative query resolution step widths are not accepted. Try a positive integer',
    );
    const bad = await get('/api/v1/query_range?query=up&start=0&end=60&step=fast');
    assert.equal(
      bad.body['error'],
      'invalid parameter "step": cannot parse "fast" to a valid duration',
    );
  });

  it('refuses a range-vector expression', async () => {
    const r = await get(
      '/api/v1/query_range?query=' + encodeURIComponent('up[5m]') + '&start=0&end=60&step=15',
    );
    assert.equal(r.status, 400);
    assert.equal(
      r.body['error'],
      'invalid expression type "range vector" for range query, must be Scalar or instant Vector',
    );
  });
});

describe('Prometheus API: metadata endpoints', () => {
  it('lists label names and values', async () => {
    const names = await get('/api/v1/labels');
    assert.deepEqual(names.body, { status: 'success', data: ['__name__', 'instance', 'job'] });
    const values = await get('/api/v1/label/__name__/values');
    assert.deepEqual(values.body, { status: 'success', data: ['http_requests_total', 'up'] });
    const filtered = await get('/api/v1/label/instance/values?match[]=up');
    assert.deepEqual(filtered.body['data'], ['a']);
  });

  it('rejects an invalid label name', async () => {
    const r = await get('/api/v1/label/a-b/values');
    assert.equal(r.status, 400);
    assert.equal(r.body['error'], 'invalid label name: "a-b"');
  });

  it('finds series and requires match[]', async () => {
    const r = await get('/api/v1/series?match[]=' + encodeURIComponent('{job="api",instance="b"}'));
    assert.deepEqual(r.body['data'], [
      { __name__: 'http_requests_total', instance: 'b', job: 'api' },
    ]);
    const none = await get('/api/v1/series');
    assert.equal(none.status, 400);
    assert.equal(none.body['error'], 'no match[] parameter provided');
    const empty = await get('/api/v1/series?match[]=' + encodeURIComponent('{job=~".*"}'));
    assert.equal(empty.status, 400);
    assert.equal(
      empty.body['error'],
      'invalid parameter "match[]": match[] must contain at least one non-empty matcher',
    );
  });

  it('serves metadata, exemplars and build info', async () => {
    const meta = await get('/api/v1/metadata');
    assert.deepEqual(meta.body['data'], {
      http_requests_total: [{ type: 'counter', help: 'Requests.', unit: '' }],
    });
    const ex = await get(
      '/api/v1/query_exemplars?query=' +
        encodeURIComponent('rate(http_requests_total[5m])') +
        '&start=0&end=600',
    );
    assert.deepEqual(ex.body['data'], [
      {
        seriesLabels: { __name__: 'http_requests_total', instance: 'a', job: 'api' },
        exemplars: [{ labels: { trace_id: 'abc' }, value: '3', timestamp: 120.5 }],
      },
    ]);
    const info = await get('/api/v1/status/buildinfo');
    assert.equal((info.body['data'] as { version: string }).version, '2.42.0');
  });
});

describe('Prometheus API: methods', () => {
  const app = createPrometheusApi({ store: createMemoryStore(), now: () => 10 * minute });

  it('answers 405 with Allow for DELETE on /api/v1/query', async () => {
    const res = await app.request('http://localhost/api/v1/query?query=up', { method: 'DELETE' });
    assert.equal(res.status, 405);
    assert.equal(res.headers.get('allow'), 'GET, POST');
    const body = (await res.json()) as Record<string, unknown>;
    assert.equal(body['status'], 'error');
    assert.match(
      String(body['error']),
      /method DELETE not allowed on \/api\/v1\/query; use GET or POST/,
    );
  });

  it('answers 405 naming GET alone where only GET is served', async () => {
    for (const path of [
      '/api/v1/label/job/values',
      '/api/v1/metadata',
      '/api/v1/status/buildinfo',
    ]) {
      const res = await app.request(`http://localhost${path}`, { method: 'POST' });
      assert.equal(res.status, 405, path);
      assert.equal(res.headers.get('allow'), 'GET', path);
    }
  });

  it('answers PUT and PATCH on every GET/POST route with 405', async () => {
    for (const path of ['query', 'query_range', 'labels', 'series', 'query_exemplars']) {
      for (const method of ['PUT', 'PATCH']) {
        const res = await app.request(`http://localhost/api/v1/${path}`, { method });
        assert.equal(res.status, 405, `${method} ${path}`);
      }
    }
  });

  it('still serves GET and POST, and 404s an unknown path', async () => {
    const viaGet = await app.request('http://localhost/api/v1/query?query=1&time=1');
    assert.equal(viaGet.status, 200);
    const viaPost = await app.request('http://localhost/api/v1/query', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'query=1&time=1',
    });
    assert.equal(viaPost.status, 200);
    const unknown = await app.request('http://localhost/api/v1/nope', { method: 'DELETE' });
    assert.equal(unknown.status, 404);
  });
});
