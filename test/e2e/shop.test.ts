// Every shop service as its own process (from dist/, after `npm run build`),
// exporting OTLP/HTTP protobuf to a tiny capture server this test runs. A few
// storefront requests must yield traces from every service, with server spans
// parented by client spans of another process (W3C trace context on every hop).

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import * as protobuf from 'protobufjs';
import { createClient } from '../../src/shop/grpc/client';
import { SHOP_SERVICES } from '../../src/shop/registry';
import {
  SHOP_DIST,
  freePort,
  listening,
  startShopProcesses,
  stopChild,
  until,
  type ShopProcesses,
} from '../../src/shop/shop-processes';
import { packageRoot } from '../../src/shop/telemetry/package';

const ROOT = packageRoot();

interface CapturedSpan {
  service: string;
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  attributes: Map<string, unknown>;
  /** 0 unset, 1 ok, 2 error */
  status: number;
  events: string[];
}

function traceDecoder(): protobuf.Type {
  const protoDir = path.join(ROOT, 'proto');
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) =>
    path.isAbsolute(target) ? target : path.join(protoDir, target);
  root.loadSync('opentelemetry/proto/collector/trace/v1/trace_service.proto');
  return root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest');
}

interface KeyValue {
  key: string;
  value?: Record<string, unknown>;
}
interface Decoded {
  resourceSpans?: Array<{
    resource?: { attributes?: KeyValue[] };
    scopeSpans?: Array<{
      spans?: Array<{
        name: string;
        kind?: number;
        traceId: Buffer;
        spanId: Buffer;
        parentSpanId?: Buffer;
        attributes?: KeyValue[];
        status?: { code?: number };
        events?: Array<{ name: string }>;
      }>;
    }>;
  }>;
}

const hex = (b: Buffer | undefined) => (b ? Buffer.from(b).toString('hex') : '');

async function startCapture(): Promise<{
  server: http.Server;
  port: number;
  spans: CapturedSpan[];
}> {
  const decoder = traceDecoder();
  const spans: CapturedSpan[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url === '/v1/traces') {
        const msg = decoder.toObject(decoder.decode(Buffer.concat(chunks)), {
          enums: Number,
          longs: Number,
          defaults: false,
        }) as Decoded;
        for (const rs of msg.resourceSpans ?? []) {
          const service = String(
            rs.resource?.attributes?.find((a) => a.key === 'service.name')?.value?.[
              'stringValue'
            ] ?? '',
          );
          for (const ss of rs.scopeSpans ?? []) {
            for (const s of ss.spans ?? []) {
              spans.push({
                service,
                name: s.name,
                kind: s.kind ?? 0,
                traceId: hex(s.traceId),
                spanId: hex(s.spanId),
                parentSpanId: hex(s.parentSpanId),
                status: s.status?.code ?? 0,
                events: (s.events ?? []).map((e) => e.name),
                attributes: new Map(
                  (s.attributes ?? []).map((a) => [a.key, Object.values(a.value ?? {})[0]]),
                ),
              });
            }
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/x-protobuf' });
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as net.AddressInfo).port, spans };
}

let shop: ShopProcesses | undefined;
const extraChildren: ReturnType<typeof spawn>[] = [];
let capture: Awaited<ReturnType<typeof startCapture>>;
let frontend = '';
let flagsFile = '';
let sharedEnv: NodeJS.ProcessEnv = {};
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'otel-lab-shop-'));

before(async () => {
  capture = await startCapture();
  flagsFile = path.join(tmp, 'flags.json');
  fs.copyFileSync(path.join(ROOT, 'src', 'shop', 'flags', 'demo.flagd.json'), flagsFile);
  shop = await startShopProcesses({
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${capture.port}`,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    OTEL_BSP_SCHEDULE_DELAY: '200',
    OTEL_LAB_FLAGS_FILE: flagsFile,
  });
  frontend = `http://127.0.0.1:${shop.port('frontend')}`;
  sharedEnv = shop.env;
});

after(async () => {
  await Promise.all([shop?.stop(), ...extraChildren.map((c) => stopChild(c))]);
  await new Promise((r) => capture.server.close(r));
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function api(method: string, p: string, body?: unknown): Promise<unknown> {
  const res = await fetch(frontend + p, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const text = await res.text();
  assert.ok(res.ok, `${method} ${p}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

test('storefront requests give traces from every service, linked across processes', async () => {
  assert.equal(((await api('GET', '/api/products?currencyCode=EUR')) as unknown[]).length, 10);
  assert.equal(
    (
      (await api(
        'GET',
        '/api/recommendations?productIds=OLJCESPC7Z&sessionId=e2e&currencyCode=USD',
      )) as unknown[]
    ).length,
    4,
  );
  await api('GET', '/api/data?contextKeys=telescopes');
  await api('POST', '/api/cart', { userId: 'e2e', item: { productId: 'OLJCESPC7Z', quantity: 1 } });
  const order = (await api('POST', '/api/checkout?currencyCode=USD', {
    userId: 'e2e',
    email: 'someone@example.com',
    userCurrency: 'USD',
    address: {
      streetAddress: '1600 Amphitheatre Parkway',
      city: 'Mountain View',
      state: 'CA',
      country: 'US',
      zipCode: '94043',
    },
    creditCard: {
      creditCardNumber: '4432-8015-6152-0454',
      creditCardCvv: 672,
      creditCardExpirationYear: 2099,
      creditCardExpirationMonth: 1,
    },
  })) as { orderId: string };
  assert.match(order.orderId, /^[0-9a-f-]{36}$/);

  const names = SHOP_SERVICES.map((s) => s.name);
  await until(
    `spans from every service (have: ${[...new Set(capture.spans.map((s) => s.service))].join(', ')})`,
    15_000,
    () => (names.every((n) => capture.spans.some((s) => s.service === n)) ? true : undefined),
  );

  const expected = [
    'frontend->product-catalog',
    'frontend->currency',
    'frontend->recommendation',
    'recommendation->product-catalog',
    'frontend->ad',
    'frontend->cart',
    'frontend->checkout',
    'checkout->cart',
    'checkout->product-catalog',
    'checkout->currency',
    'checkout->shipping',
    'checkout->payment',
    'checkout->email',
  ];
  // A caller's client span ends after its callee's server span, so it may
  // arrive in a later export: wait for the links, not just for the services.
  const links = () => {
    const byId = new Map(capture.spans.map((s) => [s.spanId, s]));
    const edges = new Set<string>();
    for (const s of capture.spans) {
      const parent = byId.get(s.parentSpanId);
      if (s.kind === 2 && parent && parent.service !== s.service) {
        assert.equal(parent.traceId, s.traceId);
        assert.equal(parent.kind, 3, `parent of ${s.service} ${s.name} is a client span`);
        edges.add(`${parent.service}->${s.service}`);
      }
    }
    return edges;
  };
  await until(
    `links ${expected.join(', ')} (have: ${[...links()].sort().join(', ')})`,
    10_000,
    () => (expected.every((e) => links().has(e)) ? true : undefined),
  );

  const rec = capture.spans.find(
    (s) => s.service === 'recommendation' && s.name === 'get_product_list',
  );
  assert.equal(rec?.attributes.get('app.recommendation.cache_enabled'), false);
  assert.equal(rec?.attributes.get('app.products.count'), 10);
  const placeOrder = capture.spans.find((s) => s.service === 'checkout' && s.kind === 2);
  assert.equal(placeOrder?.attributes.get('app.order.id'), order.orderId);
  // The frontend's server span ends last of the trace: it may come in a later export.
  await until('a frontend server span named after its route (POST /api/checkout)', 5_000, () =>
    capture.spans.find(
      (s) => s.service === 'frontend' && s.kind === 2 && s.name === 'POST /api/checkout',
    ),
  );
});

/** Sets a flag's default variant the way the CLI does: write a temp file, rename it over. */
function setFlag(name: string, variant: 'on' | 'off'): void {
  const doc = JSON.parse(fs.readFileSync(flagsFile, 'utf8')) as {
    flags: Record<string, { defaultVariant: string }>;
  };
  const flag = doc.flags[name];
  assert.ok(flag, `flag ${name} in the demo flags`);
  flag.defaultVariant = variant;
  const temp = `${flagsFile}.tmp`;
  fs.writeFileSync(temp, JSON.stringify(doc));
  fs.renameSync(temp, flagsFile);
}

test('a flag flipped in the file takes effect in the services within 2 s', async () => {
  const status = async () => (await fetch(`${frontend}/api/products/OLJCESPC7Z`)).status;
  assert.equal(await status(), 200);
  setFlag('productCatalogFailure', 'on');
  try {
    const start = Date.now();
    await until('GetProduct to fail for OLJCESPC7Z', 2_000, async () =>
      (await status()) === 500 ? true : undefined,
    );
    assert.ok(Date.now() - start <= 2_000);
    assert.equal((await fetch(`${frontend}/api/products/66VCHSJNUP`)).status, 200);
    const failed = await until('an ERROR GetProduct span from product-catalog', 5_000, () =>
      capture.spans.find((s) => s.service === 'product-catalog' && s.kind === 2 && s.status === 2),
    );
    assert.equal(failed.attributes.get('app.product.id'), 'OLJCESPC7Z');
    assert.ok(failed.events.includes('exception'));
  } finally {
    setFlag('productCatalogFailure', 'off');
  }
  await until('GetProduct to recover', 2_000, async () =>
    (await status()) === 200 ? true : undefined,
  );
});

test('the recommendation cache leak is real: with the flag on the list grows until the heap limit kills the process', async () => {
  const rec = SHOP_SERVICES.find((s) => s.name === 'recommendation');
  assert.ok(rec);
  assert.ok(rec.nodeArgs.includes('--max-old-space-size=500'));
  // Same service, a 48 MB heap instead of 500 MB so the test takes seconds.
  const args = rec.nodeArgs.map((a) =>
    a.startsWith('--max-old-space-size=') ? '--max-old-space-size=48' : a,
  );
  const leakFlags = path.join(tmp, 'leak-flags.json');
  const doc = JSON.parse(fs.readFileSync(flagsFile, 'utf8')) as {
    flags: Record<string, { defaultVariant: string }>;
  };
  const flag = doc.flags['recommendationServiceCacheFailure'];
  assert.ok(flag);
  flag.defaultVariant = 'on';
  fs.writeFileSync(leakFlags, JSON.stringify(doc));
  const port = await freePort();
  const child = spawn(process.execPath, [...args, path.join(SHOP_DIST, rec.entry)], {
    env: {
      ...sharedEnv,
      OTEL_LAB_FLAGS_FILE: leakFlags,
      [rec.portEnv]: String(port),
      OTEL_LAB_SERVICE_NAME: 'recommendation-leak',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  extraChildren.push(child);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? '')),
  );
  await until('the leaking recommendation service to listen', 60_000, async () =>
    (await listening(port)) ? true : undefined,
  );

  const client = createClient('RecommendationService', `127.0.0.1:${port}`, 30_000);
  let dead = false;
  void exited.then(() => (dead = true));
  try {
    for (let i = 0; i < 400 && !dead; i++) {
      await client
        .ListRecommendations({ userId: 'leak', productIds: ['OLJCESPC7Z'] })
        .catch(() => undefined);
    }
  } finally {
    client.close();
  }
  const how = await Promise.race([
    exited,
    new Promise((r) => setTimeout(() => r('still running'), 30_000)),
  ]);
  assert.notEqual(how, 'still running', 'the process should die at its heap limit');
  assert.notEqual(how, 0);
  assert.match(stderr, /heap limit|out of memory/i);
  const counts = capture.spans
    .filter((s) => s.service === 'recommendation-leak' && s.name === 'get_product_list')
    .map((s) => Number(s.attributes.get('app.products.count')));
  assert.ok(counts.length > 10, `spans from the leaking process: ${counts.length}`);
  assert.ok(Math.max(...counts) > 100_000, `largest list ${Math.max(...counts)}`);
  const misses = capture.spans.filter(
    (s) => s.service === 'recommendation-leak' && s.attributes.get('app.cache_hit') === false,
  );
  assert.ok(misses.length > 0);
});
