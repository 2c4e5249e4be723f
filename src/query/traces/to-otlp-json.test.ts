import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { InstrumentationScope, Resource, Span } from '../../model/telemetry';
import { createDuckDbStore } from '../../store/duckdb';
import { toOtlpAnyValue, toOtlpTracesData } from './to-otlp-json';

const T = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const res = (name: string): Resource => ({
  attributes: { 'service.name': name },
  droppedAttributesCount: 0,
  schemaUrl: '',
});
const scope = (name: string): InstrumentationScope => ({
  name,
  version: '',
  attributes: {},
  droppedAttributesCount: 0,
  schemaUrl: '',
});

function makeSpan(over: Partial<Span> = {}): Span {
  return {
    traceId: T,
    spanId: '0000000000000001',
    parentSpanId: '',
    traceState: '',
    flags: 0,
    name: 'op',
    kind: 2,
    startTimeUnixNano: 1_700_000_000_000_000_001n,
    endTimeUnixNano: 1_700_000_000_000_000_002n,
    attributes: {},
    droppedAttributesCount: 0,
    events: [],
    droppedEventsCount: 0,
    links: [],
    droppedLinksCount: 0,
    status: { code: 0, message: '' },
    resource: res('a'),
    scope: scope('s'),
    ...over,
  };
}

test('AnyValue kinds use the OTLP/JSON field names, int64 as text', () => {
  assert.deepEqual(toOtlpAnyValue('x'), { stringValue: 'x' });
  assert.deepEqual(toOtlpAnyValue(true), { boolValue: true });
  assert.deepEqual(toOtlpAnyValue(2n ** 62n), { intValue: '4611686018427387904' });
  assert.deepEqual(toOtlpAnyValue(0.5), { doubleValue: 0.5 });
  assert.deepEqual(toOtlpAnyValue(Number.NEGATIVE_INFINITY), { doubleValue: '-Infinity' });
  assert.deepEqual(toOtlpAnyValue(new Uint8Array([0xff])), { bytesValue: '/w==' });
  assert.deepEqual(toOtlpAnyValue(['a', 1n]), {
    arrayValue: { values: [{ stringValue: 'a' }, { intValue: '1' }] },
  });
  assert.deepEqual(toOtlpAnyValue({ kvlist: { k: null } }), {
    kvlistValue: { values: [{ key: 'k', value: {} }] },
  });
});

test('a minimal span keeps only non-default fields and an empty status', () => {
  assert.deepEqual(toOtlpTracesData([makeSpan()]), {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'a' } }] },
        scopeSpans: [
          {
            scope: { name: 's' },
            spans: [
              {
                traceId: T,
                spanId: '0000000000000001',
                name: 'op',
                kind: 2,
                startTimeUnixNano: '1700000000000000001',
                endTimeUnixNano: '1700000000000000002',
                status: {},
              },
            ],
          },
        ],
      },
    ],
  });
});

test('every span field lands in the OTLP/JSON span', () => {
  const span = makeSpan({
    parentSpanId: '0000000000000009',
    traceState: 'k=v',
    flags: 0x301,
    attributes: { n: 3n },
    droppedAttributesCount: 1,
    events: [{ timeUnixNano: 5n, name: 'e', attributes: { b: true }, droppedAttributesCount: 2 }],
    droppedEventsCount: 3,
    links: [
      {
        traceId: 'b'.repeat(32),
        spanId: '000000000000000b',
        traceState: 'x=y',
        attributes: {},
        droppedAttributesCount: 0,
        flags: 1,
      },
    ],
    droppedLinksCount: 4,
    status: { code: 2, message: 'bad' },
  });
  const [rs] = toOtlpTracesData([span]).resourceSpans;
  const spans = (rs?.['scopeSpans'] as { spans: unknown[] }[])[0]?.spans;
  assert.deepEqual(spans?.[0], {
    traceId: T,
    spanId: '0000000000000001',
    traceState: 'k=v',
    parentSpanId: '0000000000000009',
    flags: 0x301,
    name: 'op',
    kind: 2,
    startTimeUnixNano: '1700000000000000001',
    endTimeUnixNano: '1700000000000000002',
    attributes: [{ key: 'n', value: { intValue: '3' } }],
    droppedAttributesCount: 1,
    events: [
      {
        timeUnixNano: '5',
        name: 'e',
        attributes: [{ key: 'b', value: { boolValue: true } }],
        droppedAttributesCount: 2,
      },
    ],
    droppedEventsCount: 3,
    links: [{ traceId: 'b'.repeat(32), spanId: '000000000000000b', traceState: 'x=y', flags: 1 }],
    droppedLinksCount: 4,
    status: { message: 'bad', code: 2 },
  });
});

test('spans group by resource and scope content, keeping first-seen order', () => {
  const data = toOtlpTracesData([
    makeSpan({ spanId: '0000000000000001', resource: res('a'), scope: scope('s1') }),
    makeSpan({ spanId: '0000000000000002', resource: res('b'), scope: scope('s1') }),
    makeSpan({ spanId: '0000000000000003', resource: res('a'), scope: scope('s2') }),
    makeSpan({ spanId: '0000000000000004', resource: res('a'), scope: scope('s1') }),
  ]);
  const shape = data.resourceSpans.map((r) =>
    (r['scopeSpans'] as { scope: { name: string }; spans: { spanId: string }[] }[]).map((s) => [
      s.scope.name,
      s.spans.map((x) => x.spanId.slice(-1)),
    ]),
  );
  assert.deepEqual(shape, [
    [
      ['s1', ['1', '4']],
      ['s2', ['3']],
    ],
    [['s1', ['2']]],
  ]);
});

test('schema URLs are kept on resource and scope groups', () => {
  const data = toOtlpTracesData([
    makeSpan({
      resource: { ...res('a'), schemaUrl: 'https://r' },
      scope: { ...scope('s'), schemaUrl: 'https://s' },
    }),
  ]);
  const [rs] = data.resourceSpans;
  assert.equal(rs?.['schemaUrl'], 'https://r');
  assert.equal((rs?.['scopeSpans'] as { schemaUrl: string }[])[0]?.schemaUrl, 'https://s');
});

test('resource entity refs read back from the DuckDB store are written out, defaults left out', async () => {
  const resource: Resource = {
    ...res('cart'),
    entityRefs: [
      { schemaUrl: 'https://s', type: 'service', idKeys: ['service.name'], descriptionKeys: [] },
      { schemaUrl: '', type: 'host', idKeys: ['host.id'], descriptionKeys: ['host.name'] },
    ],
  };
  const store = await createDuckDbStore({ dataDir: ':memory:', threads: 1 });
  try {
    await store.write({ spans: [makeSpan({ resource })] });
    const out = toOtlpTracesData(await store.getTrace(T));
    assert.deepEqual(out.resourceSpans[0]?.['resource'], {
      attributes: [{ key: 'service.name', value: { stringValue: 'cart' } }],
      entityRefs: [
        { schemaUrl: 'https://s', type: 'service', idKeys: ['service.name'] },
        { type: 'host', idKeys: ['host.id'], descriptionKeys: ['host.name'] },
      ],
    });
  } finally {
    await store.close();
  }
});
