import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnyValue, HistogramPoint, Span } from '../../model/telemetry';
import { decodeRequest } from './decode';
import type { Signal } from './decode';
import { DecodeError } from './errors';
import { DEFAULT_LIMITS } from './limits';
import {
  collectLeaves,
  encodeRequest,
  fullFixture,
  requestType,
  toOtlpJson,
} from './testing/otlp-proto';

const SIGNALS: Signal[] = ['traces', 'metrics', 'logs'];

function json(v: unknown): Uint8Array {
  return Buffer.from(JSON.stringify(v));
}

describe('every proto field reaches the domain model', () => {
  for (const signal of SIGNALS) {
    it(`${signal}: each field set in a full request (all oneof members) is in the protobuf decode`, () => {
      const type = requestType(signal).fullName.slice(1);
      for (let variant = 0; variant < 7; variant++) {
        const { obj, leaves } = fullFixture(type, variant);
        const decoded = decodeRequest(
          signal,
          'protobuf',
          encodeRequest(signal, obj),
          DEFAULT_LIMITS,
        );
        assert.equal(decoded.rejected, 0, decoded.rejectReason);
        assert.ok(decoded.accepted > 0);
        const seen = collectLeaves(decoded.batch);
        const missing = [...leaves]
          .filter(([leaf]) => !seen.has(leaf))
          .map(([leaf, field]) => `${field} (${leaf})`);
        assert.deepEqual(missing, [], `variant ${variant}: fields not decoded`);
      }
    });

    it(`${signal}: OTLP/JSON (camelCase and proto names) decodes to the same as protobuf`, () => {
      const type = requestType(signal).fullName.slice(1);
      for (let variant = 0; variant < 7; variant++) {
        const { obj } = fullFixture(type, variant);
        const fromPb = decodeRequest(
          signal,
          'protobuf',
          encodeRequest(signal, obj),
          DEFAULT_LIMITS,
        );
        const fromJson = decodeRequest(signal, 'json', json(toOtlpJson(type, obj)), DEFAULT_LIMITS);
        const fromSnake = decodeRequest(
          signal,
          'json',
          json(toOtlpJson(type, obj, true)),
          DEFAULT_LIMITS,
        );
        assert.deepEqual(fromJson.batch, fromPb.batch);
        assert.deepEqual(fromSnake.batch, fromPb.batch);
      }
    });
  }
});

const TRACE = '5b8efff798038103d269b633813fc60c';
const SPAN = 'eee19b7ec3c1b174';
const idBytes = (hex: string): Buffer => Buffer.from(hex, 'hex');

function spanRequest(
  span: Record<string, unknown>,
  resource: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    resourceSpans: [
      {
        resource,
        schemaUrl: 'https://opentelemetry.io/schemas/1.21.0',
        scopeSpans: [{ scope: { name: 'lib', version: '1.2' }, schemaUrl: 's', spans: [span] }],
      },
    ],
  };
}

describe('protobuf traces', () => {
  it('decodes a span field by field', () => {
    const body = encodeRequest(
      'traces',
      spanRequest(
        {
          traceId: idBytes(TRACE),
          spanId: idBytes(SPAN),
          parentSpanId: idBytes('0102030405060708'),
          traceState: 'k=v',
          flags: 0x301,
          name: 'GET /',
          kind: 2,
          startTimeUnixNano: '1700000000000000001',
          endTimeUnixNano: '1700000000500000002',
          attributes: [
            { key: 'http.status_code', value: { intValue: '-9007199254740993' } },
            { key: 'ok', value: { boolValue: true } },
          ],
          droppedAttributesCount: 3,
          events: [
            {
              timeUnixNano: '1700000000100000000',
              name: 'exception',
              attributes: [{ key: 'x', value: { doubleValue: 1.5 } }],
              droppedAttributesCount: 1,
            },
          ],
          droppedEventsCount: 4,
          links: [
            {
              traceId: idBytes(TRACE),
              spanId: idBytes('1112131415161718'),
              traceState: 'a=b',
              flags: 1,
              droppedAttributesCount: 2,
            },
          ],
          droppedLinksCount: 5,
          status: { code: 2, message: 'boom' },
        },
        {
          attributes: [{ key: 'service.name', value: { stringValue: 'cart' } }],
          droppedAttributesCount: 7,
        },
      ),
    );
    const d = decodeRequest('traces', 'protobuf', body, DEFAULT_LIMITS);
    const s = d.batch.spans?.[0] as Span;
    assert.equal(s.traceId, TRACE);
    assert.equal(s.spanId, SPAN);
    assert.equal(s.parentSpanId, '0102030405060708');
    assert.equal(s.traceState, 'k=v');
    assert.equal(s.flags, 0x301);
    assert.equal(s.name, 'GET /');
    assert.equal(s.kind, 2);
    assert.equal(s.startTimeUnixNano, 1700000000000000001n);
    assert.equal(s.endTimeUnixNano, 1700000000500000002n);
    assert.deepEqual(s.attributes, { 'http.status_code': -9007199254740993n, ok: true });
    assert.equal(s.droppedAttributesCount, 3);
    assert.deepEqual(s.events, [
      {
        timeUnixNano: 1700000000100000000n,
        name: 'exception',
        attributes: { x: 1.5 },
        droppedAttributesCount: 1,
      },
    ]);
    assert.equal(s.droppedEventsCount, 4);
    assert.deepEqual(s.links, [
      {
        traceId: TRACE,
        spanId: '1112131415161718',
        traceState: 'a=b',
        attributes: {},
        droppedAttributesCount: 2,
        flags: 1,
      },
    ]);
    assert.equal(s.droppedLinksCount, 5);
    assert.deepEqual(s.status, { code: 2, message: 'boom' });
    assert.deepEqual(s.resource, {
      attributes: { 'service.name': 'cart' },
      droppedAttributesCount: 7,
      schemaUrl: 'https://opentelemetry.io/schemas/1.21.0',
    });
    assert.deepEqual(s.scope, {
      name: 'lib',
      version: '1.2',
      attributes: {},
      droppedAttributesCount: 0,
      schemaUrl: 's',
    });
  });

  it('decodes every AnyValue kind, nested', () => {
    const value = {
      kvlistValue: {
        values: [
          { key: 's', value: { stringValue: 'é' } },
          { key: 'b', value: { bytesValue: Buffer.from([0, 255]) } },
          {
            key: 'a',
            value: { arrayValue: { values: [{ intValue: 1 }, { doubleValue: -0.25 }, {}] } },
          },
        ],
      },
    };
    const body = encodeRequest(
      'traces',
      spanRequest({
        traceId: idBytes(TRACE),
        spanId: idBytes(SPAN),
        attributes: [{ key: 'v', value }],
      }),
    );
    const s = decodeRequest('traces', 'protobuf', body, DEFAULT_LIMITS).batch.spans?.[0] as Span;
    const expected: AnyValue = {
      kvlist: { s: 'é', b: new Uint8Array([0, 255]), a: [1n, -0.25, null] },
    };
    assert.deepEqual(s.attributes['v'], expected);
  });

  it('keeps the last of duplicate attribute keys, and `__proto__` as a plain key', () => {
    const body = encodeRequest(
      'traces',
      spanRequest({
        traceId: idBytes(TRACE),
        spanId: idBytes(SPAN),
        attributes: [
          { key: 'k', value: { stringValue: '1' } },
          { key: 'k', value: { stringValue: '2' } },
          { key: '__proto__', value: { stringValue: 'p' } },
        ],
      }),
    );
    const s = decodeRequest('traces', 'protobuf', body, DEFAULT_LIMITS).batch.spans?.[0] as Span;
    assert.equal(s.attributes['k'], '2');
    assert.equal(Object.getPrototypeOf(s.attributes), Object.prototype);
    assert.equal(Object.getOwnPropertyDescriptor(s.attributes, '__proto__')?.value, 'p');
  });

  it('names the field and the sizes when an id has the wrong length', () => {
    const good = { traceId: idBytes(TRACE), spanId: idBytes(SPAN) };
    const body = encodeRequest('traces', {
      resourceSpans: [
        {
          scopeSpans: [
            { spans: [good] },
            {
              spans: [
                good,
                good,
                good,
                { traceId: idBytes(TRACE).subarray(1), spanId: idBytes(SPAN) },
              ],
            },
          ],
        },
      ],
    });
    assert.throws(() => decodeRequest('traces', 'protobuf', body, DEFAULT_LIMITS), {
      name: 'DecodeError',
      message: 'resourceSpans[0].scopeSpans[1].spans[3].traceId: expected 16 bytes, got 15',
    });
  });

  it('rejects spans with empty or all-zero ids one by one (partial success)', () => {
    const body = encodeRequest('traces', {
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                { traceId: idBytes(TRACE), spanId: idBytes(SPAN) },
                { spanId: idBytes(SPAN) },
                { traceId: idBytes(TRACE), spanId: Buffer.alloc(8) },
              ],
            },
          ],
        },
      ],
    });
    const d = decodeRequest('traces', 'protobuf', body, DEFAULT_LIMITS);
    assert.equal(d.accepted, 1);
    assert.equal(d.rejected, 2);
    assert.equal(
      d.rejectReason,
      'resourceSpans[0].scopeSpans[0].spans[1]: span has an empty or all-zero traceId',
    );
  });

  it('rejects alone the items the store would refuse (so one bad item cannot fail a merged write)', () => {
    const ok = { traceId: idBytes(TRACE), spanId: idBytes(SPAN) };
    const body = encodeRequest('traces', {
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                ok,
                { ...ok, startTimeUnixNano: '5', endTimeUnixNano: '4' },
                { ...ok, links: [{ spanId: idBytes(SPAN) }] },
                {
                  ...ok,
                  startTimeUnixNano: '18446744073709551615',
                  endTimeUnixNano: '18446744073709551615',
                },
              ],
            },
          ],
        },
      ],
    });
    const d = decodeRequest('traces', 'protobuf', body, DEFAULT_LIMITS);
    assert.deepEqual([d.accepted, d.rejected], [1, 3]);
    assert.match(d.rejectReason, /spans\[1\]: span ends before it starts/);
    const m = encodeRequest('metrics', {
      resourceMetrics: [
        {
          scopeMetrics: [
            {
              metrics: [
                { gauge: { dataPoints: [{ asDouble: 1 }] } },
                { name: 'n', gauge: { dataPoints: [{ asDouble: 1 }] } },
              ],
            },
          ],
        },
      ],
    });
    const dm = decodeRequest('metrics', 'protobuf', m, DEFAULT_LIMITS);
    assert.deepEqual(
      [dm.accepted, dm.rejected, dm.rejectReason],
      [
        1,
        1,
        'resourceMetrics[0].scopeMetrics[0].metrics[0].gauge.dataPoints[0]: metric has an empty name',
      ],
    );
    const l = json({
      resourceLogs: [
        { scopeLogs: [{ logRecords: [{ timeUnixNano: '18446744073709551615' }, {}] }] },
      ],
    });
    const dl = decodeRequest('logs', 'json', l, DEFAULT_LIMITS);
    assert.deepEqual(
      [dl.accepted, dl.rejected, dl.rejectReason],
      [1, 1, 'resourceLogs[0].scopeLogs[0].logRecords[0]: log time is past the int64 range'],
    );
  });

  it('fails on a truncated message, with the path', () => {
    const body = encodeRequest(
      'traces',
      spanRequest({ traceId: idBytes(TRACE), spanId: idBytes(SPAN), name: 'abc' }),
    );
    for (let cut = 1; cut < body.length; cut++) {
      assert.throws(
        () => decodeRequest('traces', 'protobuf', body.subarray(0, cut), DEFAULT_LIMITS),
        DecodeError,
        `cut at ${cut}`,
      );
    }
    assert.throws(
      () => decodeRequest('traces', 'protobuf', body.subarray(0, body.length - 1), DEFAULT_LIMITS),
      /resourceSpans\[0\]/,
    );
  });

  it('fails on a known field with the wrong wire type and on invalid wire types', () => {
    // resourceSpans (field 1) sent as a varint.
    assert.throws(
      () => decodeRequest('traces', 'protobuf', Buffer.from([0x08, 0x01]), DEFAULT_LIMITS),
      { message: 'field 1 has wrong wire type 0' },
    );
    // Unknown field 9 with wire type 7.
    assert.throws(() => decodeRequest('traces', 'protobuf', Buffer.from([0x4f]), DEFAULT_LIMITS), {
      message: 'invalid wire type 7 for field 9',
    });
  });

  it('skips unknown fields of every wire type, groups included', () => {
    const span = Buffer.from(
      encodeRequest(
        'traces',
        spanRequest({ traceId: idBytes(TRACE), spanId: idBytes(SPAN), name: 'n' }),
      ),
    );
    const unknown = Buffer.from([
      0xa8, 0x06, 0x05, 0xb1, 0x06, 1, 2, 3, 4, 5, 6, 7, 8, 0xba, 0x06, 0x01, 0x00, 0xc5, 0x06, 1,
      2, 3, 4, 0xcb, 0x06, 0x08, 0x01, 0xcc, 0x06,
    ]);
    const d = decodeRequest('traces', 'protobuf', Buffer.concat([unknown, span]), DEFAULT_LIMITS);
    assert.equal(d.batch.spans?.[0]?.name, 'n');
  });
});

describe('limits', () => {
  const limits = {
    ...DEFAULT_LIMITS,
    maxAttributesPerItem: 2,
    maxValueLength: 4,
    maxAnyValueDepth: 2,
    maxItemsPerRequest: 3,
  };

  it('drops attributes over the count (counted as dropped) and truncates long values', () => {
    const body = encodeRequest(
      'traces',
      spanRequest({
        traceId: idBytes(TRACE),
        spanId: idBytes(SPAN),
        droppedAttributesCount: 1,
        attributes: ['a', 'b', 'c', 'd'].map((k) => ({
          key: k,
          value: { stringValue: 'abcdefgh' },
        })),
      }),
    );
    const s = decodeRequest('traces', 'protobuf', body, limits).batch.spans?.[0] as Span;
    assert.deepEqual(s.attributes, { a: 'abcd', b: 'abcd' });
    assert.equal(s.droppedAttributesCount, 3);
  });

  it('refuses AnyValue nested deeper than the limit, in both encodings', () => {
    let v: Record<string, unknown> = { stringValue: 'x' };
    for (let i = 0; i < 3; i++) v = { arrayValue: { values: [v] } };
    const req = spanRequest({
      traceId: idBytes(TRACE),
      spanId: idBytes(SPAN),
      attributes: [{ key: 'deep', value: v }],
    });
    for (const [enc, body] of [
      ['protobuf', encodeRequest('traces', req)],
      [
        'json',
        json(
          toOtlpJson(
            requestType('traces').fullName.slice(1),
            requestType('traces').toObject(requestType('traces').fromObject(req)),
          ),
        ),
      ],
    ] as const) {
      assert.throws(
        () => decodeRequest('traces', enc, body, limits),
        (e: unknown) =>
          e instanceof DecodeError && e.kind === 'malformed' && /maxAnyValueDepth/.test(e.message),
      );
    }
  });

  it('keeps at most maxAttributesPerItem entity refs and keys per list, truncated, in both encodings', () => {
    const ref = {
      schemaUrl: 'https://x',
      type: 'service',
      idKeys: ['service.name', 'service.namespace', 'service.instance.id'],
      descriptionKeys: ['service.version'],
    };
    const req = spanRequest(
      { traceId: idBytes(TRACE), spanId: idBytes(SPAN) },
      { entityRefs: [ref, { type: 'host' }, { type: 'process' }] },
    );
    const type = requestType('traces');
    const asJson = toOtlpJson(type.fullName.slice(1), type.toObject(type.fromObject(req)));
    for (const [enc, body] of [
      ['protobuf', encodeRequest('traces', req)],
      ['json', json(asJson)],
    ] as const) {
      const s = decodeRequest('traces', enc, body, limits).batch.spans?.[0] as Span;
      assert.deepEqual(
        s.resource.entityRefs,
        [
          {
            schemaUrl: 'http',
            type: 'serv',
            idKeys: ['serv', 'serv'],
            descriptionKeys: ['serv'],
          },
          { schemaUrl: '', type: 'host', idKeys: [], descriptionKeys: [] },
        ],
        enc,
      );
    }
  });

  it('names an entity ref field with the wrong wire type (protobuf)', () => {
    // resourceSpans[0].resource.entityRefs[0] = { id_keys (3) as a varint }
    const body = Uint8Array.from([0x0a, 0x06, 0x0a, 0x04, 0x1a, 0x02, 0x18, 0x01]);
    assert.throws(() => decodeRequest('traces', 'protobuf', body, DEFAULT_LIMITS), {
      name: 'DecodeError',
      message: 'resourceSpans[0].resource.entityRefs[0]: field 3 has wrong wire type 0',
    });
  });

  it('leaves entityRefs out of a resource that has none', () => {
    const body = encodeRequest(
      'traces',
      spanRequest({ traceId: idBytes(TRACE), spanId: idBytes(SPAN) }, { attributes: [] }),
    );
    const s = decodeRequest('traces', 'protobuf', body, DEFAULT_LIMITS).batch.spans?.[0] as Span;
    assert.equal('entityRefs' in s.resource, false);
  });

  it('refuses more items than maxItemsPerRequest', () => {
    const spans = Array.from({ length: 4 }, () => ({
      traceId: idBytes(TRACE),
      spanId: idBytes(SPAN),
    }));
    const body = encodeRequest('traces', { resourceSpans: [{ scopeSpans: [{ spans }] }] });
    assert.throws(
      () => decodeRequest('traces', 'protobuf', body, limits),
      (e: unknown) => e instanceof DecodeError && e.kind === 'limit',
    );
  });
});

describe('protobuf metrics', () => {
  const res = { attributes: [{ key: 'service.name', value: { stringValue: 'm' } }] };
  const metricsRequest = (metrics: unknown[]): Uint8Array =>
    encodeRequest('metrics', {
      resourceMetrics: [{ resource: res, scopeMetrics: [{ scope: { name: 's' }, metrics }] }],
    });

  it('decodes sums with temporality and monotonicity, int and double values, exemplars', () => {
    const body = metricsRequest([
      {
        name: 'calls',
        description: 'd',
        unit: '1',
        metadata: [{ key: 'm', value: { stringValue: 'v' } }],
        sum: {
          aggregationTemporality: 1,
          isMonotonic: true,
          dataPoints: [
            {
              attributes: [{ key: 'k', value: { stringValue: 'v' } }],
              startTimeUnixNano: '1',
              timeUnixNano: '2',
              asInt: '-5',
              flags: 1,
              exemplars: [
                {
                  filteredAttributes: [{ key: 'f', value: { stringValue: 'g' } }],
                  timeUnixNano: '3',
                  asDouble: 2.5,
                  traceId: idBytes(TRACE),
                  spanId: idBytes(SPAN),
                },
              ],
            },
            { asDouble: 0.5 },
          ],
        },
      },
    ]);
    const d = decodeRequest('metrics', 'protobuf', body, DEFAULT_LIMITS);
    const [a, b] = d.batch.metrics ?? [];
    assert.ok(a?.type === 'sum' && b?.type === 'sum');
    assert.equal(a.name, 'calls');
    assert.equal(a.description, 'd');
    assert.equal(a.unit, '1');
    assert.deepEqual(a.metadata, { m: 'v' });
    assert.equal(a.temporality, 1);
    assert.equal(a.isMonotonic, true);
    assert.equal(a.value, -5n);
    assert.equal(a.flags, 1);
    assert.equal(a.startTimeUnixNano, 1n);
    assert.equal(a.timeUnixNano, 2n);
    assert.deepEqual(a.attributes, { k: 'v' });
    assert.deepEqual(a.exemplars, [
      {
        filteredAttributes: { f: 'g' },
        timeUnixNano: 3n,
        value: 2.5,
        traceId: TRACE,
        spanId: SPAN,
      },
    ]);
    assert.equal(b.value, 0.5);
    assert.deepEqual(a.resource.attributes, { 'service.name': 'm' });
  });

  it('decodes histograms (packed and unpacked counts), exponential histograms and summaries', () => {
    const body = metricsRequest([
      {
        name: 'h',
        histogram: {
          aggregationTemporality: 2,
          dataPoints: [
            { count: 3, sum: 6, min: 1, max: 3, bucketCounts: [1, 2], explicitBounds: [1.5] },
          ],
        },
      },
      {
        name: 'e',
        exponentialHistogram: {
          aggregationTemporality: 1,
          dataPoints: [
            {
              count: 4,
              sum: 1,
              scale: -3,
              zeroCount: 1,
              zeroThreshold: 0.001,
              positive: { offset: -2, bucketCounts: [1, 2] },
              negative: { offset: 5, bucketCounts: [0] },
            },
          ],
        },
      },
      {
        name: 's',
        summary: {
          dataPoints: [
            {
              count: 10,
              sum: 4.5,
              quantileValues: [
                { quantile: 0.5, value: 0.3 },
                { quantile: 1, value: 0.9 },
              ],
            },
          ],
        },
      },
      { name: 'g', gauge: { dataPoints: [{ asDouble: -1 }] } },
    ]);
    const pts = decodeRequest('metrics', 'protobuf', body, DEFAULT_LIMITS).batch.metrics ?? [];
    const h = pts[0] as HistogramPoint;
    assert.deepEqual(
      [h.type, h.temporality, h.count, h.sum, h.min, h.max, h.bucketCounts, h.explicitBounds],
      ['histogram', 2, 3n, 6, 1, 3, [1n, 2n], [1.5]],
    );
    const e = pts[1];
    assert.ok(e?.type === 'exponential_histogram');
    assert.deepEqual(
      [e.count, e.sum, e.min, e.scale, e.zeroCount, e.zeroThreshold, e.positive, e.negative],
      [
        4n,
        1,
        undefined,
        -3,
        1n,
        0.001,
        { offset: -2, bucketCounts: [1n, 2n] },
        { offset: 5, bucketCounts: [0n] },
      ],
    );
    const s = pts[2];
    assert.ok(s?.type === 'summary');
    assert.deepEqual(
      [s.count, s.sum, s.quantileValues],
      [
        10n,
        4.5,
        [
          { quantile: 0.5, value: 0.3 },
          { quantile: 1, value: 0.9 },
        ],
      ],
    );
    assert.deepEqual([pts[3]?.type, pts[3]?.type === 'gauge' && pts[3].value], ['gauge', -1]);
    // Unpacked repeated fixed64 (field 6, wire type 1) and double (field 7) as older encoders send.
    const point = Buffer.from([
      0x31,
      1,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0x31,
      2,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0x39,
      ...Buffer.from(new Float64Array([1.5]).buffer),
    ]);
    const hist = Buffer.concat([Buffer.from([0x0a, point.length]), point]);
    const metric = Buffer.concat([Buffer.from([0x0a, 1, 0x68, 0x4a, hist.length]), hist]);
    const sm = Buffer.concat([Buffer.from([0x12, metric.length]), metric]);
    const rm = Buffer.concat([Buffer.from([0x12, sm.length]), sm]);
    const req = Buffer.concat([Buffer.from([0x0a, rm.length]), rm]);
    const p = decodeRequest('metrics', 'protobuf', req, DEFAULT_LIMITS).batch
      .metrics?.[0] as HistogramPoint;
    assert.deepEqual([p.name, p.bucketCounts, p.explicitBounds], ['h', [1n, 2n], [1.5]]);
  });

  it('rejects histogram points whose buckets do not match their bounds', () => {
    const body = metricsRequest([
      {
        name: 'h',
        histogram: {
          dataPoints: [
            { bucketCounts: [1, 2, 3], explicitBounds: [1] },
            { bucketCounts: [1], explicitBounds: [] },
          ],
        },
      },
    ]);
    const d = decodeRequest('metrics', 'protobuf', body, DEFAULT_LIMITS);
    assert.equal(d.accepted, 1);
    assert.equal(d.rejected, 1);
    assert.match(
      d.rejectReason,
      /^resourceMetrics\[0\]\.scopeMetrics\[0\]\.metrics\[0\]\.histogram\.dataPoints\[0\]: histogram point has 3 bucketCounts for 1 explicitBounds/,
    );
  });
});

describe('protobuf logs', () => {
  it('decodes a log record field by field', () => {
    const body = encodeRequest('logs', {
      resourceLogs: [
        {
          scopeLogs: [
            {
              logRecords: [
                {
                  timeUnixNano: '5',
                  observedTimeUnixNano: '6',
                  severityNumber: 17,
                  severityText: 'ERROR',
                  body: { stringValue: 'failed' },
                  attributes: [{ key: 'a', value: { intValue: 1 } }],
                  droppedAttributesCount: 2,
                  flags: 1,
                  traceId: idBytes(TRACE),
                  spanId: idBytes(SPAN),
                  eventName: 'ev',
                },
              ],
            },
          ],
        },
      ],
    });
    const l = decodeRequest('logs', 'protobuf', body, DEFAULT_LIMITS).batch.logs?.[0];
    assert.deepEqual(l && { ...l, resource: undefined, scope: undefined }, {
      resource: undefined,
      scope: undefined,
      timeUnixNano: 5n,
      observedTimeUnixNano: 6n,
      severityNumber: 17,
      severityText: 'ERROR',
      body: 'failed',
      attributes: { a: 1n },
      droppedAttributesCount: 2,
      flags: 1,
      traceId: TRACE,
      spanId: SPAN,
      eventName: 'ev',
    });
  });
});

describe('OTLP/JSON', () => {
  const span = {
    traceId: TRACE.toUpperCase(),
    spanId: SPAN,
    startTimeUnixNano: 1700000000000000000,
    endTimeUnixNano: '1700000000000000001',
    kind: 'SPAN_KIND_CLIENT',
    status: { code: 2 },
  };
  const req = (s: Record<string, unknown>): Uint8Array =>
    json({ resourceSpans: [{ scopeSpans: [{ spans: [s] }] }] });

  it('accepts int64 as number or string, enum names, upper-case hex (lowercased)', () => {
    const s = decodeRequest('traces', 'json', req(span), DEFAULT_LIMITS).batch.spans?.[0] as Span;
    assert.equal(s.traceId, TRACE);
    assert.equal(s.startTimeUnixNano, 1700000000000000000n);
    assert.equal(s.endTimeUnixNano, 1700000000000000001n);
    assert.equal(s.kind, 3);
    assert.equal(s.status.code, 2);
  });

  const bad: [string, Record<string, unknown>, string][] = [
    [
      'short trace id',
      { ...span, traceId: TRACE.slice(2) },
      'resourceSpans[0].scopeSpans[0].spans[0].traceId: expected 16 bytes, got 15',
    ],
    [
      'non-hex span id',
      { ...span, spanId: 'zz'.repeat(8) },
      'resourceSpans[0].scopeSpans[0].spans[0].spanId: expected 16 hex digits, got a string ("zzzzzzzzzzzzzzzz")',
    ],
    [
      'name as number',
      { ...span, name: 5 },
      'resourceSpans[0].scopeSpans[0].spans[0].name: expected a string, got a number (5)',
    ],
    [
      'time as float',
      { ...span, startTimeUnixNano: 1.5 },
      'resourceSpans[0].scopeSpans[0].spans[0].startTimeUnixNano: expected a uint64 (a decimal string or integer number), got a number (1.5)',
    ],
    [
      'negative time',
      { ...span, startTimeUnixNano: '-1' },
      'resourceSpans[0].scopeSpans[0].spans[0].startTimeUnixNano: -1 is out of range for a uint64',
    ],
    [
      'attributes not an array',
      { ...span, attributes: {} },
      'resourceSpans[0].scopeSpans[0].spans[0].attributes: expected an array, got an object',
    ],
    [
      'attribute value wrong type',
      { ...span, attributes: [{ key: 'k', value: { intValue: 'x' } }] },
      'resourceSpans[0].scopeSpans[0].spans[0].attributes[0].value.intValue: expected an int64 (a decimal string or integer number), got a string ("x")',
    ],
    [
      'unknown kind name',
      { ...span, kind: 'SERVERISH' },
      'resourceSpans[0].scopeSpans[0].spans[0].kind: unknown enum value a string ("SERVERISH")',
    ],
  ];
  for (const [what, s, message] of bad) {
    it(`400-class error: ${what}`, () => {
      assert.throws(() => decodeRequest('traces', 'json', req(s), DEFAULT_LIMITS), {
        name: 'DecodeError',
        message,
      });
    });
  }

  it('names the malformed entity ref field', () => {
    const withRefs = (entityRefs: unknown): Uint8Array =>
      json({ resourceSpans: [{ resource: { entityRefs }, scopeSpans: [{ spans: [span] }] }] });
    const cases: [unknown, string][] = [
      [
        'service',
        'resourceSpans[0].resource.entityRefs: expected an array, got a string ("service")',
      ],
      [
        [{ idKeys: 'service.name' }],
        'resourceSpans[0].resource.entityRefs[0].idKeys: expected an array',
      ],
      [
        [{ descriptionKeys: [1] }],
        'resourceSpans[0].resource.entityRefs[0].descriptionKeys[0]: expected a string, got a number (1)',
      ],
      [
        [{ type: {} }],
        'resourceSpans[0].resource.entityRefs[0].type: expected a string, got an object',
      ],
    ];
    for (const [refs, message] of cases) {
      assert.throws(
        () => decodeRequest('traces', 'json', withRefs(refs), DEFAULT_LIMITS),
        (e: unknown) => {
          assert.ok(e instanceof DecodeError);
          assert.ok(e.message.startsWith(message), e.message);
          return true;
        },
      );
    }
  });

  it('reports invalid JSON and a non-object root', () => {
    assert.throws(
      () => decodeRequest('traces', 'json', Buffer.from('{"resourceSpans": ['), DEFAULT_LIMITS),
      /^DecodeError: invalid JSON/,
    );
    assert.throws(() => decodeRequest('logs', 'json', Buffer.from('[]'), DEFAULT_LIMITS), {
      message: 'expected an object, got an array',
    });
    assert.throws(
      () => decodeRequest('logs', 'json', Buffer.from([0x7b, 0xff, 0x7d]), DEFAULT_LIMITS),
      /not valid UTF-8/,
    );
  });

  it('accepts doubles as the special strings proto3 JSON allows, and severity names', () => {
    const m = decodeRequest(
      'metrics',
      'json',
      json({
        resourceMetrics: [
          {
            scopeMetrics: [
              {
                metrics: [
                  {
                    name: 'g',
                    gauge: { dataPoints: [{ asDouble: 'NaN' }, { asDouble: '-Infinity' }] },
                  },
                ],
              },
            ],
          },
        ],
      }),
      DEFAULT_LIMITS,
    );
    const vals = (m.batch.metrics ?? []).map((p) => (p.type === 'gauge' ? p.value : undefined));
    assert.deepEqual(vals, [NaN, -Infinity]);
    const l = decodeRequest(
      'logs',
      'json',
      json({
        resourceLogs: [
          {
            scopeLogs: [
              {
                logRecords: [
                  { severityNumber: 'SEVERITY_NUMBER_WARN3', body: { bytesValue: 'AP8=' } },
                ],
              },
            ],
          },
        ],
      }),
      DEFAULT_LIMITS,
    );
    assert.equal(l.batch.logs?.[0]?.severityNumber, 15);
    assert.deepEqual(l.batch.logs?.[0]?.body, new Uint8Array([0, 255]));
  });
});
