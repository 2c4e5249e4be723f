// The span-metrics error series a frontend crash creates, through PromQL: its
// first errors count in `increase()` because the translator writes a zero at
// the series' start (what Prometheus 3 does with created timestamps).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StatusCode } from '../../model/telemetry';
import { PrometheusTranslator } from '../../collector/derive/prometheus-translator';
import { SpanMetricsConnector } from '../../collector/derive/span-metrics';
import { at, makeResource, makeSpan } from '../../collector/derive/testing';
import { createMemoryStore } from '../../store/memory';
import { createPrometheusApi } from './index';

const T0_MS = Number(at(0) / 1_000_000n);

async function lab() {
  const store = createMemoryStore();
  const resource = makeResource({ 'service.name': 'frontend', 'service.instance.id': 'f-1' });
  let now = at(0);
  const connector = new SpanMetricsConnector({ clock: () => now });
  const translator = new PrometheusTranslator();
  const flush = async (ms: number) => {
    const r = translator.translate(connector.flush(at(ms)));
    await store.write({ samples: r.samples, exemplars: r.exemplars, metadata: r.metadata });
  };
  // A minute of healthy requests, then four errors after the crash.
  for (let ms = 0; ms < 60_000; ms += 5000) {
    now = at(ms);
    connector.consume([makeSpan({ resource, name: 'GET /api/recommendations' })]);
    await flush(ms + 5000);
  }
  now = at(61_000);
  const error = { code: StatusCode.ERROR, message: 'recommendation unavailable' };
  connector.consume(
    [1, 2, 3, 4].map(() => makeSpan({ resource, name: 'GET /api/recommendations', status: error })),
  );
  await flush(65_000);
  return createPrometheusApi({ store, now: () => T0_MS + 65_000 });
}

async function instant(app: Awaited<ReturnType<typeof lab>>, expr: string, ms: number) {
  const res = await app.request(
    `http://localhost/api/v1/query?query=${encodeURIComponent(expr)}&time=${(T0_MS + ms) / 1000}`,
  );
  assert.equal(res.status, 200);
  const body = (await res.json()) as {
    data: { result: { metric: object; value: [number, string] }[] };
  };
  return body.data.result;
}

describe('span metrics through PromQL: a new error series', () => {
  it('increase()[5m] sees its first errors', async () => {
    const app = await lab();
    const result = await instant(
      app,
      'sum by (service_name) (increase(traces_span_metrics_calls_total{status_code="STATUS_CODE_ERROR"}[5m]))',
      65_000,
    );
    assert.deepEqual(result, [
      { metric: { service_name: 'frontend' }, value: [(T0_MS + 65_000) / 1000, '4'] },
    ]);
  });

  it('rate()[1m] is above zero right after the first errors', async () => {
    const app = await lab();
    const result = await instant(
      app,
      'rate(traces_span_metrics_calls_total{status_code="STATUS_CODE_ERROR"}[1m])',
      65_000,
    );
    assert.equal(result.length, 1);
    assert.ok(Number(result[0]?.value[1]) > 0, JSON.stringify(result));
  });

  it('counts the healthy series from its own start: increase is the real count', async () => {
    const app = await lab();
    const result = await instant(
      app,
      'increase(traces_span_metrics_calls_total{status_code="STATUS_CODE_UNSET"}[5m])',
      65_000,
    );
    // 12 calls from 0 at the series' start (t=0) to 12 at t=65 s.
    assert.equal(result.length, 1);
    assert.equal(Number(result[0]?.value[1]), 12);
  });
});
