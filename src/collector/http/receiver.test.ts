import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { IngestPipeline } from '../pipeline';
import { FakeStore, tick } from '../testing/fake-store';
import {
  decodeExportResponse,
  decodeStatus,
  traceRequest,
  traceRequestJson,
  TRACE_ID,
} from '../testing/otlp-bodies';
import { startOtlpHttpReceiver } from './receiver';
import type { RunningReceiver } from './receiver';

const PB = { 'Content-Type': 'application/x-protobuf' };
const JSON_CT = { 'Content-Type': 'application/json' };

describe('OTLP/HTTP receiver', () => {
  const store = new FakeStore();
  const pipeline = new IngestPipeline({ store, maxQueuedItems: 4 });
  let rx: RunningReceiver;
  let base: string;
  before(async () => {
    rx = await startOtlpHttpReceiver({
      port: 0,
      pipeline,
      limits: { maxBodyBytes: 1024 * 1024, maxItemsPerRequest: 10 },
      corsOrigins: ['http://shop.local'],
    });
    base = `http://127.0.0.1:${rx.port}`;
  });
  after(async () => {
    await rx.close();
    await pipeline.close();
  });

  const post = (path: string, body: Uint8Array | string, headers: Record<string, string>) =>
    fetch(base + path, { method: 'POST', body, headers });
  const bytes = async (r: Response) => new Uint8Array(await r.arrayBuffer());

  it('accepts protobuf, answers an empty ExportTraceServiceResponse in protobuf, after the store has it', async () => {
    const r = await post('/v1/traces', traceRequest(['a']), PB);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'application/x-protobuf');
    assert.deepEqual(decodeExportResponse('trace', await bytes(r)), {});
    const s = store.spans().find((x) => x.name === 'a');
    assert.equal(s?.traceId, TRACE_ID);
    assert.equal(s?.resource.attributes['service.name'], 'svc');
  });

  it('accepts JSON and gzip, answering in JSON', async () => {
    const r = await post('/v1/traces', gzipSync(traceRequestJson(['j'])), {
      ...JSON_CT,
      'Content-Encoding': 'gzip',
    });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'application/json');
    assert.deepEqual(await r.json(), {});
    assert.ok(store.spans().some((x) => x.name === 'j'));
  });

  it('answers partial_success with the rejected count and the reason', async () => {
    const bad = {
      traceId: Buffer.alloc(16),
      spanId: Buffer.from('0102030405060708', 'hex'),
      name: 'zero',
    };
    const r = await post('/v1/traces', traceRequest(['kept'], [bad]), PB);
    assert.equal(r.status, 200);
    assert.deepEqual(decodeExportResponse('trace', await bytes(r)), {
      partialSuccess: {
        rejectedSpans: 1,
        errorMessage:
          '1 item(s) rejected; first: resourceSpans[0].scopeSpans[0].spans[1]: span has an empty or all-zero traceId',
      },
    });
    const j = await post(
      '/v1/traces',
      JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ name: 'no ids' }] }] }] }),
      JSON_CT,
    );
    const body = (await j.json()) as {
      partialSuccess: { rejectedSpans: string; errorMessage: string };
    };
    assert.equal(body.partialSuccess.rejectedSpans, '1');
    assert.ok(store.spans().some((x) => x.name === 'kept'));
    assert.ok(!store.spans().some((x) => x.name === 'zero' || x.name === 'no ids'));
  });

  it('400 with a google.rpc.Status naming the problem, in the request encoding', async () => {
    const truncated = traceRequest(['t']).subarray(0, 20);
    const r = await post('/v1/traces', truncated, PB);
    assert.equal(r.status, 400);
    const st = decodeStatus(await bytes(r));
    assert.equal(st.code, 3);
    assert.match(st.message, /^invalid OTLP traces request: resourceSpans\[0\].*truncated/);
    const j = await post('/v1/logs', '{"resourceLogs": 1}', JSON_CT);
    assert.equal(j.status, 400);
    assert.deepEqual(await j.json(), {
      code: 3,
      message: 'invalid OTLP logs request: resourceLogs: expected an array, got a number (1)',
    });
    const g = await post('/v1/metrics', Buffer.from('not gzip'), {
      ...PB,
      'Content-Encoding': 'gzip',
    });
    assert.equal(g.status, 400);
    assert.match(decodeStatus(await bytes(g)).message, /invalid gzip body/);
  });

  it('413 for a body over the limit, a gzip bomb, and too many items', async () => {
    const big = await post('/v1/traces', Buffer.alloc(1024 * 1024 + 1), PB);
    assert.equal(big.status, 413);
    assert.match(decodeStatus(await bytes(big)).message, /more than 1048576 bytes/);
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
    assert.ok(bomb.length < 100 * 1024);
    const b = await post('/v1/traces', bomb, { ...PB, 'Content-Encoding': 'gzip' });
    assert.equal(b.status, 413);
    assert.match(decodeStatus(await bytes(b)).message, /inflates to more than 1048576 bytes/);
    const many = await post(
      '/v1/traces',
      traceRequest(Array.from({ length: 11 }, (_, i) => `s${i}`)),
      PB,
    );
    assert.equal(many.status, 413);
    assert.match(decodeStatus(await bytes(many)).message, /more than 10 items/);
  });

  it('415 for an unknown content type or encoding, 405 for other methods, 404 elsewhere', async () => {
    const t = await post('/v1/traces', 'x', { 'Content-Type': 'text/plain' });
    assert.equal(t.status, 415);
    assert.match(
      ((await t.json()) as { message: string }).message,
      /unsupported content type "text\/plain"/,
    );
    const e = await post('/v1/traces', 'x', { ...PB, 'Content-Encoding': 'br' });
    assert.equal(e.status, 415);
    await e.arrayBuffer();
    const g = await fetch(`${base}/v1/traces`);
    assert.equal(g.status, 405);
    assert.equal(g.headers.get('allow'), 'POST, OPTIONS');
    await g.arrayBuffer();
    const n = await post('/v1/profiles', 'x', PB);
    assert.equal(n.status, 404);
    await n.arrayBuffer();
  });

  it('CORS: preflight and POST from an allowed origin, 403 for others', async () => {
    const pre = await fetch(`${base}/v1/traces`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://shop.local',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type',
      },
    });
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get('access-control-allow-origin'), 'http://shop.local');
    assert.match(pre.headers.get('access-control-allow-methods') ?? '', /POST/);
    assert.equal(pre.headers.get('access-control-allow-headers'), 'content-type');
    const p = await post('/v1/traces', traceRequestJson(['cors']), {
      ...JSON_CT,
      Origin: 'http://shop.local',
    });
    assert.equal(p.headers.get('access-control-allow-origin'), 'http://shop.local');
    await p.arrayBuffer();
    const no = await fetch(`${base}/v1/traces`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://evil.example' },
    });
    assert.equal(no.status, 403);
    assert.equal(no.headers.get('access-control-allow-origin'), null);
    await no.arrayBuffer();
  });

  it("CORS: '*' allows any origin, echoed back; no origin configured allows none", async () => {
    for (const [corsOrigins, allowed] of [
      [['*'], 'http://any.example'],
      [[], null],
    ] as const) {
      const open = await startOtlpHttpReceiver({ port: 0, pipeline, corsOrigins });
      try {
        const pre = await fetch(`http://127.0.0.1:${open.port}/v1/logs`, {
          method: 'OPTIONS',
          headers: { Origin: 'http://any.example', 'Access-Control-Request-Method': 'POST' },
        });
        assert.equal(pre.status, allowed === null ? 403 : 204);
        assert.equal(pre.headers.get('access-control-allow-origin'), allowed);
        await pre.arrayBuffer();
      } finally {
        await open.close();
      }
    }
  });

  it('503 with Retry-After when the write queue is full, then accepts again', async () => {
    store.hold = true;
    const first = post('/v1/traces', traceRequest(['q1', 'q2', 'q3']), PB);
    while (store.heldCount === 0) await tick();
    const r = await post('/v1/traces', traceRequest(['q4', 'q5']), PB);
    assert.equal(r.status, 503);
    assert.equal(r.headers.get('retry-after'), '1');
    assert.equal(decodeStatus(await bytes(r)).code, 14);
    store.hold = false;
    store.release();
    assert.equal((await first).status, 200);
    assert.ok(!store.spans().some((x) => x.name === 'q4'));
  });

  it('503 when the store write fails, with the store error in the message', async () => {
    store.failNext = new Error('No space left on device: /data/otel-lab.duckdb');
    const r = await post(
      '/v1/logs',
      JSON.stringify({
        resourceLogs: [{ scopeLogs: [{ logRecords: [{ body: { stringValue: 'x' } }] }] }],
      }),
      JSON_CT,
    );
    assert.equal(r.status, 503);
    assert.match(((await r.json()) as { message: string }).message, /No space left on device/);
  });

  it('400 for AnyValue nested deeper than the limit', async () => {
    let v: unknown = { stringValue: 'x' };
    for (let i = 0; i < 20; i++) v = { arrayValue: { values: [v] } };
    const body = JSON.stringify({
      resourceLogs: [{ scopeLogs: [{ logRecords: [{ body: v }] }] }],
    });
    const r = await post('/v1/logs', body, JSON_CT);
    assert.equal(r.status, 400);
    assert.match(((await r.json()) as { message: string }).message, /nested deeper than 16 levels/);
  });

  it('a client that disconnects mid-body leaves nothing pending', async () => {
    const { request } = await import('node:http');
    const before = pipeline.stats().signals.metrics.invalidRequests;
    const req = request({
      host: '127.0.0.1',
      port: rx.port,
      path: '/v1/metrics',
      method: 'POST',
      headers: { ...PB, 'Content-Length': '1000' },
    });
    req.on('error', () => undefined);
    req.write(Buffer.alloc(10));
    await new Promise((r) => setTimeout(r, 50));
    req.destroy();
    for (let i = 0; i < 100 && pipeline.stats().signals.metrics.invalidRequests === before; i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.equal(pipeline.stats().signals.metrics.invalidRequests, before + 1);
  });

  it('counts requests, bytes, accepted and rejected items per signal', () => {
    const s = pipeline.stats().signals.traces;
    assert.ok(s.requests >= 8);
    assert.ok(s.bytes > 0);
    assert.ok(s.accepted >= 4);
    assert.ok(s.rejected >= 2);
    assert.ok(s.invalidRequests >= 3);
    assert.equal(pipeline.stats().signals.logs.invalidRequests, 2);
  });
});
