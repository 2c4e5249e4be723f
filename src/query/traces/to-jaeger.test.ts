import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { InstrumentationScope, Resource, Span } from '../../model/telemetry';
import { spanKindFromName, spanKindName, toJaegerTag, toJaegerTrace } from './to-jaeger';

const T = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const resource = (attributes: Resource['attributes']): Resource => ({
  attributes,
  droppedAttributesCount: 0,
  schemaUrl: '',
});
const scope: InstrumentationScope = {
  name: 'lib',
  version: '1.0',
  attributes: {},
  droppedAttributesCount: 0,
  schemaUrl: '',
};
const recommendation = resource({ 'service.name': 'recommendation', 'host.name': 'h1' });

function makeSpan(over: Partial<Span> = {}): Span {
  return {
    traceId: T,
    spanId: '0000000000000001',
    parentSpanId: '',
    traceState: '',
    flags: 0,
    name: 'get_product_list',
    kind: 1,
    startTimeUnixNano: 1_700_000_000_123_456_789n,
    endTimeUnixNano: 1_700_000_000_125_456_789n,
    attributes: {},
    droppedAttributesCount: 0,
    events: [],
    droppedEventsCount: 0,
    links: [],
    droppedLinksCount: 0,
    status: { code: 0, message: '' },
    resource: recommendation,
    scope,
    ...over,
  };
}

test('a span becomes a Jaeger span with microsecond times and a process', () => {
  const trace = toJaegerTrace(T, [makeSpan({ flags: 0x101 })]);
  assert.deepEqual(trace, {
    traceID: T,
    spans: [
      {
        traceID: T,
        spanID: '0000000000000001',
        flags: 1,
        operationName: 'get_product_list',
        references: [],
        startTime: 1_700_000_000_123_456,
        duration: 2000,
        tags: [
          { key: 'otel.scope.name', type: 'string', value: 'lib' },
          { key: 'otel.scope.version', type: 'string', value: '1.0' },
          { key: 'span.kind', type: 'string', value: 'internal' },
        ],
        logs: [],
        processID: 'p1',
        warnings: null,
      },
    ],
    processes: {
      p1: {
        serviceName: 'recommendation',
        tags: [{ key: 'host.name', type: 'string', value: 'h1' }],
      },
    },
    warnings: null,
  });
});

test('zero flags are left out, as Jaeger omits them', () => {
  const [span] = toJaegerTrace(T, [makeSpan()]).spans;
  assert.equal(span !== undefined && 'flags' in span, false);
});

test('attribute types map to Jaeger tag types', () => {
  const cases: [Parameters<typeof toJaegerTag>[1], ReturnType<typeof toJaegerTag>][] = [
    ['x', { key: 'k', type: 'string', value: 'x' }],
    [false, { key: 'k', type: 'bool', value: false }],
    [42n, { key: 'k', type: 'int64', value: 42 }],
    [2n ** 60n, { key: 'k', type: 'string', value: '1152921504606846976' }],
    [1.5, { key: 'k', type: 'float64', value: 1.5 }],
    [Number.NaN, { key: 'k', type: 'string', value: 'NaN' }],
    [new Uint8Array([1, 2, 255]), { key: 'k', type: 'binary', value: 'AQL/' }],
    [['a', 1n], { key: 'k', type: 'string', value: '["a",1]' }],
    [{ kvlist: { a: true } }, { key: 'k', type: 'string', value: '{"a":true}' }],
    [null, { key: 'k', type: 'string', value: '' }],
  ];
  for (const [value, expected] of cases) assert.deepEqual(toJaegerTag('k', value), expected);
});

test('an error status adds otel.status_code, error=true and the description', () => {
  const [span] = toJaegerTrace(T, [
    makeSpan({
      kind: 2,
      status: { code: 2, message: 'boom' },
      attributes: { 'app.cache_hit': false },
    }),
  ]).spans;
  assert.deepEqual(span?.tags.slice(0, 1), [{ key: 'app.cache_hit', type: 'bool', value: false }]);
  assert.deepEqual(span?.tags.slice(3), [
    { key: 'span.kind', type: 'string', value: 'server' },
    { key: 'otel.status_code', type: 'string', value: 'ERROR' },
    { key: 'error', type: 'bool', value: true },
    { key: 'otel.status_description', type: 'string', value: 'boom' },
  ]);
});

test('OK status and trace state become tags; UNSPECIFIED kind adds none', () => {
  const [span] = toJaegerTrace(T, [
    makeSpan({
      kind: 0,
      status: { code: 1, message: '' },
      traceState: 'k=v',
      scope: { ...scope, name: '', version: '' },
    }),
  ]).spans;
  assert.deepEqual(span?.tags, [
    { key: 'otel.status_code', type: 'string', value: 'OK' },
    { key: 'w3c.tracestate', type: 'string', value: 'k=v' },
  ]);
});

test('parent becomes CHILD_OF first, links FOLLOWS_FROM after', () => {
  const link = { traceState: '', attributes: {}, droppedAttributesCount: 0, flags: 0 };
  const [span] = toJaegerTrace(T, [
    makeSpan({
      parentSpanId: '00000000000000aa',
      links: [{ ...link, traceId: 'b'.repeat(32), spanId: '00000000000000bb' }],
    }),
  ]).spans;
  assert.deepEqual(span?.references, [
    { refType: 'CHILD_OF', traceID: T, spanID: '00000000000000aa' },
    { refType: 'FOLLOWS_FROM', traceID: 'b'.repeat(32), spanID: '00000000000000bb' },
  ]);
});

test('events become logs with the name as the `event` field first', () => {
  const [span] = toJaegerTrace(T, [
    makeSpan({
      events: [
        {
          timeUnixNano: 1_700_000_000_124_000_999n,
          name: 'exception',
          attributes: { 'exception.type': 'E' },
          droppedAttributesCount: 0,
        },
        {
          timeUnixNano: 1_700_000_000_125_000_000n,
          name: '',
          attributes: { n: 1n },
          droppedAttributesCount: 0,
        },
      ],
    }),
  ]).spans;
  assert.deepEqual(span?.logs, [
    {
      timestamp: 1_700_000_000_124_000,
      fields: [
        { key: 'event', type: 'string', value: 'exception' },
        { key: 'exception.type', type: 'string', value: 'E' },
      ],
    },
    { timestamp: 1_700_000_000_125_000, fields: [{ key: 'n', type: 'int64', value: 1 }] },
  ]);
});

test('identical resources share a process; others get p2, p3 in order of appearance', () => {
  const frontend = resource({ 'service.name': 'frontend' });
  const copy = resource({ 'service.name': 'recommendation', 'host.name': 'h1' });
  const anonymous = resource({});
  const trace = toJaegerTrace(T, [
    makeSpan({ resource: frontend }),
    makeSpan({ spanId: '0000000000000002' }),
    makeSpan({ spanId: '0000000000000003', resource: copy }),
    makeSpan({ spanId: '0000000000000004', resource: anonymous }),
  ]);
  assert.deepEqual(
    trace.spans.map((s) => s.processID),
    ['p1', 'p2', 'p2', 'p3'],
  );
  assert.deepEqual(Object.keys(trace.processes), ['p1', 'p2', 'p3']);
  assert.equal(trace.processes['p3']?.serviceName, 'OTLPResourceNoServiceName');
});

test('an end before the start gives duration 0, never negative', () => {
  const [span] = toJaegerTrace(T, [makeSpan({ endTimeUnixNano: 1n })]).spans;
  assert.equal(span?.duration, 0);
});

test('span kind names round-trip and accept the OTLP enum spelling', () => {
  for (const kind of [1, 2, 3, 4, 5] as const)
    assert.equal(spanKindFromName(spanKindName(kind)), kind);
  assert.equal(spanKindFromName('SPAN_KIND_SERVER'), 2);
  assert.equal(spanKindFromName('Client'), 3);
  assert.equal(spanKindFromName('bogus'), undefined);
  assert.equal(spanKindName(0), '');
});
