// The backend as `otel-lab serve` assembles it (DuckDB store, pipeline,
// receivers, API, retention timer), driven over its real ports: retention
// runs on its own, and /metrics reports what the receivers really counted.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startBackend } from './backend';
import type { Backend } from './backend';

const HOUR_NS = 3_600_000_000_000n;

function spanJson(traceId: string, name: string, startNs: bigint): Record<string, unknown> {
  return {
    traceId,
    spanId: traceId.slice(0, 16),
    name,
    startTimeUnixNano: String(startNs),
    endTimeUnixNano: String(startNs + 1_000_000n),
  };
}

function tracesJson(spans: Record<string, unknown>[]): string {
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'backend-test' } }] },
        scopeSpans: [{ spans }],
      },
    ],
  });
}

describe('startBackend (what otel-lab serve runs)', () => {
  let backend: Backend;
  let otlp: string;
  before(async () => {
    backend = await startBackend({
      host: '127.0.0.1',
      httpPort: 0,
      otlpHttpPort: 0,
      otlpGrpcPort: 0,
      dataDir: ':memory:',
      retention: { maxAge: HOUR_NS },
      retentionIntervalMs: 20,
    });
    otlp = `http://127.0.0.1:${backend.ports.otlpHttp}`;
  });
  after(() => backend.close());

  const post = (body: string): Promise<Response> =>
    fetch(`${otlp}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });

  it('drops data older than its retention age on its own timer, keeping newer data', async () => {
    const now = BigInt(Date.now()) * 1_000_000n;
    const old = 'a1'.repeat(16);
    const fresh = 'b2'.repeat(16);
    const r = await post(
      tracesJson([spanJson(old, 'two-hours-ago', now - 2n * HOUR_NS), spanJson(fresh, 'now', now)]),
    );
    assert.equal(r.status, 200, await r.text());
    // Polled, not timed: the retention timer runs every 20 ms.
    for (let i = 0; i < 500 && (await backend.store.getTrace(old)).length > 0; i++) {
      await new Promise((done) => setTimeout(done, 10));
    }
    assert.deepEqual(await backend.store.getTrace(old), []);
    assert.deepEqual(
      (await backend.store.getTrace(fresh)).map((s) => s.name),
      ['now'],
    );
  });

  it('/metrics counts what the receivers accepted and rejected, the queue and the store', async () => {
    const now = BigInt(Date.now()) * 1_000_000n;
    const before = await (await fetch(`${backend.url}/metrics`)).text();
    const count = (text: string, line: RegExp): number => Number(line.exec(text)?.[1] ?? 'NaN');
    const accepted = /^otel_lab_ingest_items_total\{signal="traces",outcome="accepted"\} (\d+)$/m;
    const rejected = /^otel_lab_ingest_items_total\{signal="traces",outcome="rejected"\} (\d+)$/m;
    const invalid = /^otel_lab_ingest_invalid_requests_total\{signal="traces"\} (\d+)$/m;

    // Two good spans and one with an all-zero trace id (partial success).
    const partial = await post(
      tracesJson([
        spanJson('c3'.repeat(16), 'ok-1', now),
        spanJson('d4'.repeat(16), 'ok-2', now),
        spanJson('0'.repeat(32), 'zero-id', now),
      ]),
    );
    assert.equal(partial.status, 200);
    assert.match(await partial.text(), /"rejectedSpans":"1"/);
    const invalidJson = await post('{"resourceSpans":[');
    assert.equal(invalidJson.status, 400);
    await invalidJson.arrayBuffer();

    const text = await (await fetch(`${backend.url}/metrics`)).text();
    assert.equal(count(text, accepted) - count(before, accepted), 2);
    assert.equal(count(text, rejected) - count(before, rejected), 1);
    assert.equal(count(text, invalid) - count(before, invalid), 1);
    assert.match(text, /^otel_lab_ingest_items_total\{signal="traces",outcome="dropped"\} 0$/m);
    assert.match(text, /^otel_lab_write_queue_items 0$/m);
    assert.match(text, /^otel_lab_write_queue_capacity_items \d+$/m);
    assert.ok(count(text, /^otel_lab_store_rows\{table="spans"\} (\d+)$/m) >= 3);
    assert.match(text, /^otel_lab_store_bytes \d+$/m);
    assert.match(text, /^otel_lab_store_free_bytes \d+$/m);
  });
});
