import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MetricPoint, Span } from '../model/telemetry';
import { IngestPipeline } from './pipeline';
import { FakeStore, tick } from './testing/fake-store';
import { BackpressureError, WriteFailedError } from './write-queue';

const res = { attributes: {}, droppedAttributesCount: 0, schemaUrl: '' };
const scope = { name: '', version: '', attributes: {}, droppedAttributesCount: 0, schemaUrl: '' };
function makeSpan(name: string): Span {
  return {
    traceId: '1'.repeat(32),
    spanId: '2'.repeat(16),
    parentSpanId: '',
    traceState: '',
    flags: 0,
    name,
    kind: 1,
    startTimeUnixNano: 1n,
    endTimeUnixNano: 2n,
    attributes: {},
    droppedAttributesCount: 0,
    events: [],
    droppedEventsCount: 0,
    links: [],
    droppedLinksCount: 0,
    status: { code: 0, message: '' },
    resource: res,
    scope,
  };
}
const gauge = (name: string): MetricPoint => ({
  type: 'gauge',
  name,
  description: '',
  unit: '',
  metadata: {},
  attributes: {},
  startTimeUnixNano: 0n,
  timeUnixNano: 1n,
  flags: 0,
  exemplars: [],
  value: 1,
  resource: res,
  scope,
});

describe('IngestPipeline', () => {
  it('resolves only after the store committed, and merges batches waiting meanwhile into one write', async () => {
    const store = new FakeStore();
    store.hold = true;
    const p = new IngestPipeline({ store });
    let firstDone = false;
    const first = p.ingest({ spans: [makeSpan('a')] }).then(() => (firstDone = true));
    const second = p.ingest({ spans: [makeSpan('b')] });
    const third = p.ingest({ spans: [makeSpan('c'), makeSpan('d')] });
    await tick();
    assert.equal(firstDone, false);
    assert.equal(store.heldCount, 1);
    assert.equal(p.stats().queueDepthItems, 4);
    store.release();
    await first;
    await tick();
    assert.equal(store.heldCount, 1, 'b, c, d are one group write');
    store.release();
    assert.deepEqual(await second, { items: 1 });
    assert.deepEqual(await third, { items: 2 });
    assert.deepEqual(
      store.written.map((b) => b.spans?.map((s) => s.name)),
      [['a'], ['b', 'c', 'd']],
    );
    assert.equal(p.stats().signals.traces.accepted, 4);
    assert.equal(p.stats().storeWrites, 2);
    await p.close();
  });

  it('refuses with BackpressureError when the queue is full, storing nothing of the refused batch', async () => {
    const store = new FakeStore();
    store.hold = true;
    const p = new IngestPipeline({ store, maxQueuedItems: 3, retryAfterSeconds: 7 });
    const a = p.ingest({ spans: [makeSpan('a'), makeSpan('b')] });
    await assert.rejects(
      p.ingest({ spans: [makeSpan('c'), makeSpan('d')] }),
      (e: unknown) => e instanceof BackpressureError && e.retryAfterSeconds === 7,
    );
    const c = p.ingest({ spans: [makeSpan('e')] });
    store.release();
    await a;
    await tick();
    store.release();
    await c;
    assert.deepEqual(
      store.spans().map((s) => s.name),
      ['a', 'b', 'e'],
    );
    assert.equal(p.stats().signals.traces.dropped, 2);
    await p.close();
  });

  it('takes a batch larger than the queue when the queue is empty', async () => {
    const p = new IngestPipeline({ store: new FakeStore(), maxQueuedItems: 1 });
    assert.deepEqual(await p.ingest({ logs: [], spans: [makeSpan('a'), makeSpan('b')] }), {
      items: 2,
    });
    await p.close();
  });

  it('reports a failed merged write to every request of the group', async () => {
    const store = new FakeStore();
    store.hold = true;
    const p = new IngestPipeline({ store });
    const a = p.ingest({ spans: [makeSpan('a')] });
    const b = p.ingest({ spans: [makeSpan('b')] });
    const c = p.ingest({ spans: [makeSpan('c')] });
    await tick();
    store.release();
    await a;
    await tick();
    store.release(new Error('disk full at /data'));
    await assert.rejects(
      b,
      (e: unknown) => e instanceof WriteFailedError && /disk full at \/data/.test(e.message),
    );
    await assert.rejects(c, WriteFailedError);
    const s = p.stats();
    assert.equal(s.storeWriteFailures, 1);
    assert.equal(s.lastStoreError, 'disk full at /data');
    assert.equal(s.signals.traces.dropped, 2);
    assert.equal(s.signals.traces.accepted, 1);
    await p.close();
  });

  it('translates metric points into Prometheus series written with them', async () => {
    const store = new FakeStore();
    const seen: string[] = [];
    const translator = {
      translate: (pts: readonly MetricPoint[]) => {
        seen.push(...pts.map((x) => x.name));
        return {
          samples: [{ labels: { __name__: 'g' }, samples: [{ t: 1, v: 1 }] }],
          exemplars: [],
          metadata: [{ metric: 'g', type: 'gauge' as const, help: '', unit: '' }],
        };
      },
    };
    const p = new IngestPipeline({ store, translator });
    await p.ingest({ metrics: [gauge('g')] });
    assert.deepEqual(seen, ['g']);
    assert.equal(store.written[0]?.metrics?.length, 1);
    assert.deepEqual(store.written[0]?.samples?.[0]?.labels, { __name__: 'g' });
    assert.equal(store.written[0]?.metadata?.[0]?.metric, 'g');
    await p.close();
  });

  it('feeds spans to span metrics and writes the translated flush; refused requests are not counted', async () => {
    const store = new FakeStore();
    const consumed: string[] = [];
    const spanMetrics = {
      consume: (spans: readonly Span[]) => void consumed.push(...spans.map((s) => s.name)),
      flush: (now: bigint) => (consumed.length > 0 && now === 42n ? [gauge('calls')] : []),
    };
    const translator = {
      translate: (pts: readonly MetricPoint[]) => ({
        samples: pts.map((x) => ({ labels: { __name__: x.name }, samples: [] })),
        exemplars: [],
        metadata: [],
      }),
    };
    store.hold = true;
    const p = new IngestPipeline({
      store,
      spanMetrics,
      translator,
      maxQueuedItems: 1,
      now: () => 42n,
      spanMetricsFlushIntervalMs: 0,
    });
    const a = p.ingest({ spans: [makeSpan('a')] });
    await assert.rejects(p.ingest({ spans: [makeSpan('refused')] }), BackpressureError);
    store.release();
    await a;
    store.hold = false;
    await p.flushSpanMetrics();
    assert.deepEqual(consumed, ['a']);
    assert.deepEqual(
      store.written.at(-1)?.samples?.map((s) => s.labels['__name__']),
      ['calls'],
    );
    await p.close();
  });

  it('keeps the raw data when derive throws, and counts the error', async () => {
    const store = new FakeStore();
    const errors: unknown[] = [];
    const p = new IngestPipeline({
      store,
      translator: {
        translate: () => {
          throw new Error('bug');
        },
      },
      onDeriveError: (e) => errors.push(e),
    });
    await p.ingest({ metrics: [gauge('g')] });
    assert.equal(store.written[0]?.metrics?.length, 1);
    assert.equal(p.stats().deriveErrors, 1);
    assert.equal(errors.length, 1);
    await p.close();
  });
});
