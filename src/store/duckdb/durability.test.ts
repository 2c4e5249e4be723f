import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';

import type { Attributes, TelemetryBatch } from '../../model/telemetry';
import { ALL_TIME, richSpan, shopSpans } from '../contract-fixtures';
import {
  makeExponentialHistogram,
  makeGauge,
  makeHistogram,
  makeLog,
  makeSeries,
  makeSum,
  makeSummary,
  ms,
  spanIdOf,
  traceIdOf,
} from '../testing';
import { createDuckDbStore } from './index';

const root = mkdtempSync(path.join(tmpdir(), 'otel-lab-durable-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDir = (): string => path.join(root, String(n++));

function fullBatch(): TelemetryBatch {
  return {
    spans: [richSpan(), ...shopSpans()],
    logs: [
      makeLog({
        body: ['a', 1n, { kvlist: { k: new Uint8Array([1, 2]) } }],
        traceId: traceIdOf(1),
        spanId: spanIdOf(3),
      }),
    ],
    metrics: [
      makeGauge({ value: 42n, timeUnixNano: ms(1_003) }),
      makeSum({ value: 0.5, temporality: 1, timeUnixNano: ms(1_002) }),
      makeHistogram({ timeUnixNano: ms(1_001) }),
      makeExponentialHistogram({ timeUnixNano: ms(999) }),
      makeSummary({ timeUnixNano: ms(998) }),
    ],
    samples: [
      makeSeries({ __name__: 'up', job: 'shop' }, [
        [1_000, 1],
        [2_000, 0],
      ]),
    ],
    exemplars: [
      {
        seriesLabels: { __name__: 'up', job: 'shop' },
        exemplars: [{ labels: { trace_id: traceIdOf(1) }, t: 1_000, v: 1 }],
      },
    ],
    metadata: [{ metric: 'up', type: 'gauge', help: 'is it up', unit: '' }],
  };
}

describe('DuckDB store durability', () => {
  it('reads back every signal field by field after close and reopen', async () => {
    const dataDir = freshDir();
    const batch = fullBatch();
    const first = await createDuckDbStore({ dataDir, threads: 1 });
    await first.write(batch);
    await first.close();

    const again = await createDuckDbStore({ dataDir, threads: 1 });
    try {
      const span = richSpan();
      assert.deepEqual(await again.getTrace(span.traceId), [span]);
      assert.deepEqual(
        await again.getTrace(traceIdOf(2)),
        shopSpans().filter((s) => s.traceId === traceIdOf(2)),
      );
      assert.deepEqual(await again.searchLogs({ range: ALL_TIME, limit: 10 }), batch.logs);
      const points = await again.searchMetricPoints({ range: ALL_TIME, limit: 10 });
      assert.deepEqual(points, batch.metrics);
      assert.deepEqual(
        await again.selectSeries([{ name: '__name__', op: '=', value: 'up' }], {
          minT: 0,
          maxT: 5_000,
        }),
        batch.samples,
      );
      assert.deepEqual(
        await again.exemplars([], { minT: 0, maxT: 5_000 }),
        batch.exemplars?.map((e) => ({ ...e })),
      );
      assert.deepEqual(await again.metadata(), batch.metadata);
      const st = await again.stats();
      assert.equal(st.spans, 10);
      assert.ok(st.bytesOnDisk > 0, 'a file store reports its size');
    } finally {
      await again.close();
    }
  });

  it('keeps interned resources apart after reopening (new ids do not collide)', async () => {
    const dataDir = freshDir();
    const a = await createDuckDbStore({ dataDir, threads: 1 });
    await a.write({ spans: shopSpans().slice(0, 3) });
    await a.close();
    const b = await createDuckDbStore({ dataDir, threads: 1 });
    try {
      await b.write({ spans: shopSpans().slice(6) });
      assert.deepEqual(await b.services(), ['checkout', 'frontend', 'recommendation']);
      assert.deepEqual(await b.getTrace(traceIdOf(3)), shopSpans().slice(6));
      assert.deepEqual(await b.getTrace(traceIdOf(1)), shopSpans().slice(0, 3));
    } finally {
      await b.close();
    }
  });

  it('rolls back a write that fails half way: earlier tables of the batch keep nothing', async () => {
    const store = await createDuckDbStore({ dataDir: freshDir(), threads: 1 });
    try {
      const exploding = new Proxy<Attributes>(
        {},
        {
          ownKeys() {
            throw new Error('attribute source failed');
          },
        },
      );
      const batch: TelemetryBatch = {
        spans: shopSpans(),
        logs: [makeLog({ attributes: exploding })],
      };
      await assert.rejects(store.write(batch), /rolled back.*attribute source failed/);
      assert.deepEqual(await store.getTrace(traceIdOf(1)), []);
      assert.deepEqual(await store.searchTraces({ range: ALL_TIME, limit: 10 }), []);
      assert.equal((await store.stats()).spans, 0);
      await store.write({ spans: shopSpans() });
      assert.equal(
        (await store.getTrace(traceIdOf(1))).length,
        3,
        'the store is usable after a rollback',
      );
    } finally {
      await store.close();
    }
  });

  it('gives concurrent writes each their own transaction, all of them kept', async () => {
    const store = await createDuckDbStore({ dataDir: ':memory:', threads: 1 });
    try {
      await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          store.write({
            spans: shopSpans().map((s) => ({
              ...s,
              traceId: traceIdOf(100 + i * 10 + Number.parseInt(s.traceId, 16)),
            })),
          }),
        ),
      );
      assert.equal((await store.stats()).spans, 72);
      assert.equal((await store.searchTraces({ range: ALL_TIME, limit: 100 })).length, 24);
    } finally {
      await store.close();
    }
  });

  it('lets reads already started finish when the store closes', async () => {
    const store = await createDuckDbStore({ dataDir: ':memory:', threads: 2 });
    await store.write({ spans: shopSpans() });
    const reads = Array.from({ length: 6 }, () => store.getTrace(traceIdOf(1)));
    await store.close();
    for (const r of await Promise.all(reads)) assert.equal(r.length, 3);
    await assert.rejects(store.getTrace(traceIdOf(1)), /closed/);
  });
});
