import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, credentials, Metadata, status } from '@grpc/grpc-js';
import type { ServerUnaryCall, ServiceError } from '@grpc/grpc-js';
import { resolveLimits } from '../otlp/limits';
import { IngestPipeline } from '../pipeline';
import { FakeStore, tick } from '../testing/fake-store';
import { decodeExportResponse, decodeStatusDetails, traceRequest } from '../testing/otlp-bodies';
import { exportHandler, startOtlpGrpcReceiver } from './receiver';
import type { RunningGrpcReceiver } from './receiver';

const TRACE_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';
const LOGS_PATH = '/opentelemetry.proto.collector.logs.v1.LogsService/Export';

function call(client: Client, path: string, body: Uint8Array): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest(
      path,
      (b: Buffer) => b,
      (b: Buffer) => b,
      Buffer.from(body),
      new Metadata(),
      {},
      (err: ServiceError | null, res?: Buffer) => {
        if (err !== null) reject(err);
        else resolve(res ?? Buffer.alloc(0));
      },
    );
  });
}

const grpcError = (code: number, re: RegExp) => (e: unknown) => {
  const err = e as ServiceError;
  assert.equal(err.code, code, err.details);
  assert.match(err.details, re);
  return true;
};

describe('OTLP/gRPC receiver', () => {
  const store = new FakeStore();
  const pipeline = new IngestPipeline({ store, maxQueuedItems: 2 });
  let rx: RunningGrpcReceiver;
  let client: Client;
  let gzipClient: Client;
  before(async () => {
    rx = await startOtlpGrpcReceiver({
      port: 0,
      pipeline,
      limits: { maxBodyBytes: 64 * 1024, maxItemsPerRequest: 5 },
    });
    client = new Client(`127.0.0.1:${rx.port}`, credentials.createInsecure());
    gzipClient = new Client(`127.0.0.1:${rx.port}`, credentials.createInsecure(), {
      'grpc.default_compression_algorithm': 2,
    });
  });
  after(async () => {
    client.close();
    gzipClient.close();
    await rx.close();
    await pipeline.close();
  });

  it('stores spans and answers an empty response; gzip-compressed requests too', async () => {
    assert.deepEqual(
      decodeExportResponse('trace', await call(client, TRACE_PATH, traceRequest(['g1']))),
      {},
    );
    assert.deepEqual(
      decodeExportResponse('trace', await call(gzipClient, TRACE_PATH, traceRequest(['g2']))),
      {},
    );
    assert.deepEqual(
      store.spans().map((s) => s.name),
      ['g1', 'g2'],
    );
  });

  it('answers partial_success for rejected spans', async () => {
    const res = await call(client, TRACE_PATH, traceRequest(['p'], [{ name: 'no ids' }]));
    assert.deepEqual(decodeExportResponse('trace', res), {
      partialSuccess: {
        rejectedSpans: 1,
        errorMessage:
          '1 item(s) rejected; first: resourceSpans[0].scopeSpans[0].spans[1]: span has an empty or all-zero traceId',
      },
    });
  });

  it('INVALID_ARGUMENT naming the problem for malformed input', async () => {
    await assert.rejects(
      call(client, TRACE_PATH, traceRequest(['t']).subarray(0, 30)),
      grpcError(status.INVALID_ARGUMENT, /^invalid OTLP traces request: resourceSpans\[0\]/),
    );
    await assert.rejects(
      call(client, LOGS_PATH, Buffer.from([0x0a, 0x02, 0x12, 0x05])),
      grpcError(status.INVALID_ARGUMENT, /resourceLogs\[0\]\.scopeLogs\[0\]: truncated/),
    );
  });

  it('RESOURCE_EXHAUSTED over the size or item limits, gzip bombs included', async () => {
    await assert.rejects(
      call(client, TRACE_PATH, Buffer.alloc(64 * 1024 + 1)),
      grpcError(status.RESOURCE_EXHAUSTED, /larger than/),
    );
    // A 16 MiB run of zeros is a valid (empty-field-skipping) body only in theory: the inflated size is refused first.
    await assert.rejects(
      call(gzipClient, TRACE_PATH, Buffer.alloc(16 * 1024 * 1024)),
      grpcError(status.RESOURCE_EXHAUSTED, /larger than 65536/),
    );
    await assert.rejects(
      call(client, TRACE_PATH, traceRequest(['1', '2', '3', '4', '5', '6'])),
      grpcError(status.RESOURCE_EXHAUSTED, /more than 5 items/),
    );
  });

  it('UNAVAILABLE when the write queue is full or the store fails', async () => {
    store.hold = true;
    const first = call(client, TRACE_PATH, traceRequest(['u1', 'u2']));
    while (store.heldCount === 0) await tick();
    await assert.rejects(
      call(client, TRACE_PATH, traceRequest(['u3'])),
      grpcError(status.UNAVAILABLE, /write queue full/),
    );
    store.hold = false;
    store.release();
    await first;
    store.failNext = new Error('disk gone');
    await assert.rejects(
      call(client, TRACE_PATH, traceRequest(['u4'])),
      grpcError(status.UNAVAILABLE, /disk gone/),
    );
    assert.ok(!store.spans().some((s) => s.name === 'u3' || s.name === 'u4'));
  });

  it('UNAVAILABLE carries a RetryInfo with the delay to wait (1 s queue full, 5 s store failure)', async () => {
    const retryInfo = async (body: Uint8Array): Promise<unknown> => {
      const err = await call(client, TRACE_PATH, body).then(
        () => assert.fail('expected UNAVAILABLE'),
        (e: unknown) => e as ServiceError,
      );
      assert.equal(err.code, status.UNAVAILABLE, err.details);
      const [bin, ...more] = err.metadata.get('grpc-status-details-bin');
      assert.equal(more.length, 0);
      assert.ok(Buffer.isBuffer(bin), 'grpc-status-details-bin is binary');
      const s = decodeStatusDetails(bin);
      assert.equal(s.code, status.UNAVAILABLE);
      assert.equal(s.message, err.details);
      return s.details;
    };
    store.hold = true;
    const first = call(client, TRACE_PATH, traceRequest(['r1', 'r2']));
    while (store.heldCount === 0) await tick();
    assert.deepEqual(await retryInfo(traceRequest(['r3'])), [
      { typeUrl: 'type.googleapis.com/google.rpc.RetryInfo', retryDelaySeconds: 1 },
    ]);
    store.hold = false;
    store.release();
    await first;
    store.failNext = new Error('disk gone');
    assert.deepEqual(await retryInfo(traceRequest(['r4'])), [
      { typeUrl: 'type.googleapis.com/google.rpc.RetryInfo', retryDelaySeconds: 5 },
    ]);
  });

  it('answers only once the store write has completed (acknowledged means committed)', async () => {
    const held = new FakeStore();
    held.hold = true;
    const own = new IngestPipeline({ store: held });
    const handler = exportHandler('traces', { pipeline: own }, resolveLimits());
    const answers: unknown[] = [];
    const call = { request: Buffer.from(traceRequest(['ack'])) };
    handler(call as unknown as ServerUnaryCall<Buffer, Buffer>, (err) => answers.push(err));
    while (held.heldCount === 0) await tick();
    await tick();
    assert.deepEqual(answers, [], 'answered while the write was still in progress');
    held.release();
    while (answers.length === 0) await tick();
    assert.deepEqual(answers, [null]);
    assert.deepEqual(
      held.spans().map((s) => s.name),
      ['ack'],
    );
    await own.close();
  });
});
