// Jaeger API compatibility with real telemetry: the OpenTelemetry JS SDK
// exports spans (http/json and http/protobuf) to the lab's OTLP receiver;
// the lab's HTTP server answers the Jaeger APIs. The expected Jaeger shape
// is derived from the SDK's own ReadableSpans with Jaeger's conventions,
// independently of the lab's conversion code; api/v3's OTLP/JSON answer is
// fed back through the OTLP/JSON decoder and must equal what was stored.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { HrTime } from '@opentelemetry/api';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { startApiServer } from '../../src/api/server';
import type { ApiServer } from '../../src/api/server';
import { startOtlpHttpReceiver } from '../../src/collector/http/receiver';
import type { RunningReceiver } from '../../src/collector/http/receiver';
import { decodeRequest } from '../../src/collector/otlp/decode';
import { resolveLimits } from '../../src/collector/otlp/limits';
import { IngestPipeline } from '../../src/collector/pipeline';
import { createMemoryStore } from '../../src/store/memory';
import type { TelemetryStore } from '../../src/store/store';

const micros = (t: HrTime): number =>
  Number((BigInt(t[0]) * 1_000_000_000n + BigInt(t[1])) / 1000n);
const nanos = (t: HrTime): bigint => BigInt(t[0]) * 1_000_000_000n + BigInt(t[1]);

interface JaegerKV {
  key: string;
  type: string;
  value: unknown;
}
interface JaegerSpanJson {
  traceID: string;
  spanID: string;
  operationName: string;
  references: { refType: string; traceID: string; spanID: string }[];
  startTime: number;
  duration: number;
  tags: JaegerKV[];
  logs: { timestamp: number; fields: JaegerKV[] }[];
  processID: string;
  warnings: null;
}
interface JaegerTraceJson {
  traceID: string;
  spans: JaegerSpanJson[];
  processes: Record<string, { serviceName: string; tags: JaegerKV[] }>;
  warnings: null;
}

/** Spans like the scenario's: a server span, a slow internal child with a cache miss, a linked consumer span. */
async function produce(exporter: JsonExporter | ProtoExporter): Promise<ReadableSpan[]> {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: defaultResource().merge(
      resourceFromAttributes({ 'service.name': 'recommendation', 'service.version': '2.0.1' }),
    ),
    spanProcessors: [new SimpleSpanProcessor(memory), new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('compat-test', '1.2.3');
  const server = tracer.startSpan('/oteldemo.RecommendationService/ListRecommendations', {
    kind: SpanKind.SERVER,
    attributes: { 'rpc.system': 'grpc', 'app.products_recommended.count': 5 },
  });
  const inServer = trace.setSpan(ROOT_CONTEXT, server);
  const child = tracer.startSpan(
    'get_product_list',
    {
      kind: SpanKind.INTERNAL,
      attributes: {
        'app.cache_hit': false,
        'app.products.count': 364_000,
        'app.ratio': 0.25,
        'app.filtered_products.list': ['OLJCESPC7Z', '66VCHSJNUP'],
      },
    },
    inServer,
  );
  child.addEvent('cache miss', { 'cache.size': 10 });
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'cache exploded' });
  child.end();
  server.setStatus({ code: SpanStatusCode.OK });
  server.end();
  const consumer = tracer.startSpan(
    'process',
    { kind: SpanKind.CONSUMER, links: [{ context: server.spanContext(), attributes: {} }] },
    inServer,
  );
  consumer.end();
  await provider.forceFlush();
  const spans = memory.getFinishedSpans();
  await provider.shutdown();
  return [...spans];
}

/** The Jaeger span Jaeger's own OTLP translation would give, from the SDK's span. */
function expectedJaegerSpan(
  s: ReadableSpan,
): Omit<JaegerSpanJson, 'processID' | 'tags'> & { tags: JaegerKV[] } {
  const ctx = s.spanContext();
  const refs: JaegerSpanJson['references'] = [];
  if (s.parentSpanContext !== undefined) {
    refs.push({ refType: 'CHILD_OF', traceID: ctx.traceId, spanID: s.parentSpanContext.spanId });
  }
  for (const l of s.links)
    refs.push({ refType: 'FOLLOWS_FROM', traceID: l.context.traceId, spanID: l.context.spanId });
  const tag = (key: string, v: unknown): JaegerKV => {
    if (typeof v === 'string') return { key, type: 'string', value: v };
    if (typeof v === 'boolean') return { key, type: 'bool', value: v };
    if (typeof v === 'number')
      return Number.isInteger(v)
        ? { key, type: 'int64', value: v }
        : { key, type: 'float64', value: v };
    return { key, type: 'string', value: JSON.stringify(v) };
  };
  const tags = Object.entries(s.attributes).map(([k, v]) => tag(k, v));
  tags.push({ key: 'otel.scope.name', type: 'string', value: 'compat-test' });
  tags.push({ key: 'otel.scope.version', type: 'string', value: '1.2.3' });
  tags.push({
    key: 'span.kind',
    type: 'string',
    value: ['internal', 'server', 'client', 'producer', 'consumer'][s.kind] ?? '',
  });
  if (s.status.code === SpanStatusCode.OK)
    tags.push({ key: 'otel.status_code', type: 'string', value: 'OK' });
  if (s.status.code === SpanStatusCode.ERROR) {
    tags.push(
      { key: 'otel.status_code', type: 'string', value: 'ERROR' },
      { key: 'error', type: 'bool', value: true },
    );
  }
  if (s.status.message)
    tags.push({ key: 'otel.status_description', type: 'string', value: s.status.message });
  return {
    traceID: ctx.traceId,
    spanID: ctx.spanId,
    operationName: s.name,
    references: refs,
    startTime: micros(s.startTime),
    duration: Number((nanos(s.endTime) - nanos(s.startTime)) / 1000n),
    tags,
    logs: s.events.map((e) => ({
      timestamp: micros(e.time),
      fields: [
        { key: 'event', type: 'string', value: e.name },
        ...Object.entries(e.attributes ?? {}).map(([k, v]) => tag(k, v)),
      ],
    })),
    warnings: null,
  };
}

for (const [encoding, makeExporter] of [
  ['http/json', (url: string) => new JsonExporter({ url })],
  ['http/protobuf', (url: string) => new ProtoExporter({ url })],
] as const) {
  describe(`Jaeger APIs over spans sent by the OTel JS SDK (${encoding})`, () => {
    let store: TelemetryStore;
    let pipeline: IngestPipeline;
    let receiver: RunningReceiver;
    let api: ApiServer;
    let sent: ReadableSpan[];
    let traceId: string;

    before(async () => {
      store = createMemoryStore();
      pipeline = new IngestPipeline({ store });
      receiver = await startOtlpHttpReceiver({ port: 0, pipeline });
      api = await startApiServer({ store, port: 0, uiDir: '/nonexistent' });
      sent = await produce(makeExporter(`http://127.0.0.1:${receiver.port}/v1/traces`));
      traceId = sent[0]?.spanContext().traceId ?? '';
    });

    after(async () => {
      await api.close();
      await receiver.close();
      await pipeline.close();
      await store.close();
    });

    const getJson = async (path: string): Promise<Record<string, unknown>> => {
      const res = await fetch(`${api.url}/jaeger${path}`);
      assert.equal(res.status, 200, `${path} -> ${res.status}`);
      return (await res.json()) as Record<string, unknown>;
    };

    test('every span the SDK sent reads back from /api/traces/{id} in Jaeger shape', async () => {
      const body = await getJson(`/api/traces/${traceId}`);
      assert.deepEqual(Object.keys(body), ['data', 'total', 'limit', 'offset', 'errors']);
      const [t] = body['data'] as JaegerTraceJson[];
      assert.ok(t);
      assert.equal(t.traceID, traceId);
      assert.equal(t.warnings, null);
      assert.equal(t.spans.length, sent.length);
      const processIds = Object.keys(t.processes);
      assert.deepEqual(processIds, ['p1']);
      const process = t.processes['p1'];
      assert.equal(process?.serviceName, 'recommendation');
      const ptags = new Map(process?.tags.map((x) => [x.key, x.value]));
      assert.equal(ptags.get('service.version'), '2.0.1');
      assert.equal(ptags.get('telemetry.sdk.language'), 'nodejs');
      assert.equal(ptags.has('service.name'), false);
      for (const s of sent) {
        const got: JaegerSpanJson | undefined = t.spans.find(
          (x) => x.spanID === s.spanContext().spanId,
        );
        assert.ok(got, `span ${s.name} missing`);
        assert.deepEqual(
          { ...got, processID: undefined, flags: undefined },
          { ...expectedJaegerSpan(s), processID: undefined, flags: undefined },
        );
        assert.equal(got.processID, 'p1');
      }
    });

    test('search by service, operation, tag and duration finds the trace', async () => {
      const start = micros(sent[0]?.startTime ?? [0, 0]) - 60_000_000;
      const end = start + 120_000_000;
      const found = await getJson(
        `/api/traces?service=recommendation&operation=get_product_list&tag=app.cache_hit:false&minDuration=0us&start=${start}&end=${end}`,
      );
      assert.deepEqual(
        (found['data'] as JaegerTraceJson[]).map((x) => x.traceID),
        [traceId],
      );
      const none = await getJson(
        `/api/traces?service=recommendation&tag=app.cache_hit:true&start=${start}&end=${end}`,
      );
      assert.deepEqual(none['data'], []);
    });

    test('services and operations list what the SDK sent', async () => {
      assert.deepEqual((await getJson('/api/services'))['data'], ['recommendation']);
      const ops = (await getJson('/api/operations?service=recommendation'))['data'] as {
        name: string;
        spanKind: string;
      }[];
      assert.deepEqual(ops.map((o) => `${o.name}:${o.spanKind}`).sort(), [
        '/oteldemo.RecommendationService/ListRecommendations:server',
        'get_product_list:internal',
        'process:consumer',
      ]);
    });

    test('api/v3 OTLP/JSON decodes back to exactly the stored spans', async () => {
      const body = await getJson(`/api/v3/traces/${traceId}`);
      const bytes = new TextEncoder().encode(JSON.stringify(body['result']));
      const decoded = decodeRequest('traces', 'json', bytes, resolveLimits());
      assert.equal(decoded.rejected, 0, decoded.rejectReason);
      const bySpanId = (a: { spanId: string }, b: { spanId: string }): number =>
        a.spanId.localeCompare(b.spanId);
      const stored = [...(await store.getTrace(traceId))].sort(bySpanId);
      const roundTripped = [...(decoded.batch.spans ?? [])].sort(bySpanId);
      assert.equal(roundTripped.length, sent.length);
      assert.deepEqual(roundTripped, stored);
    });
  });
}
