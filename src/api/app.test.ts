import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Hono } from 'hono';
import { createApiApp } from './app';
import { startApiServer } from './server';
import { fixtureStore } from './testing';
import { defaultUiDir, packageRoot } from './static';
import type { TelemetryStore } from '../store/store';

let dir: string;
let ui: string;
let store: TelemetryStore;
let app: Hono;

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'otel-lab-ui-'));
  ui = path.join(dir, 'ui');
  mkdirSync(path.join(ui, 'assets'), { recursive: true });
  writeFileSync(
    path.join(ui, 'index.html'),
    '<!doctype html><title>lab</title><script type="module" src="/assets/app-abc.js"></script>',
  );
  writeFileSync(path.join(ui, 'assets', 'app-abc.js'), 'console.log("lab")');
  writeFileSync(path.join(ui, 'assets', 'app-abc.css'), 'body{}');
  writeFileSync(path.join(ui, 'favicon.svg'), '<svg/>');
  writeFileSync(path.join(ui, '.env'), 'SECRET=1');
  writeFileSync(path.join(dir, 'secret.txt'), 'outside the UI');
  symlinkSync(path.join(dir, 'secret.txt'), path.join(ui, 'link.txt'));
  store = await fixtureStore();
  app = createApiApp({
    store,
    uiDir: ui,
    ingestStats: () => ({
      signals: {
        traces: {
          requests: 3,
          bytes: 900,
          accepted: 10,
          rejected: 2,
          invalidRequests: 1,
          dropped: 0,
        },
        metrics: {
          requests: 1,
          bytes: 100,
          accepted: 5,
          rejected: 0,
          invalidRequests: 0,
          dropped: 1,
        },
        logs: { requests: 1, bytes: 50, accepted: 3, rejected: 0, invalidRequests: 0, dropped: 0 },
      },
      queueDepthItems: 4,
      queueDepthBatches: 2,
      queueCapacityItems: 200_000,
      storeWrites: 7,
      storeWriteFailures: 0,
      lastStoreError: '',
      deriveErrors: 0,
    }),
  });
});

after(() => rmSync(dir, { recursive: true, force: true }));

test('/ serves index.html with the CSP and nosniff headers', async () => {
  const res = await app.request('http://localhost/');
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
  assert.match(await res.text(), /<title>lab<\/title>/);
  const csp = res.headers.get('content-security-policy') ?? '';
  assert.match(csp, /script-src 'self'(;|$)/);
  assert.doesNotMatch(csp, /script-src[^;]*unsafe-inline/);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(res.headers.get('cache-control'), 'no-cache');
});

test('assets get their content type and a long cache', async () => {
  const js = await app.request('http://localhost/assets/app-abc.js');
  assert.equal(js.status, 200);
  assert.equal(js.headers.get('content-type'), 'text/javascript; charset=utf-8');
  assert.match(js.headers.get('cache-control') ?? '', /immutable/);
  assert.equal(await js.text(), 'console.log("lab")');
  const css = await app.request('http://localhost/assets/app-abc.css');
  assert.equal(css.headers.get('content-type'), 'text/css; charset=utf-8');
  const svg = await app.request('http://localhost/favicon.svg');
  assert.equal(svg.headers.get('content-type'), 'image/svg+xml');
});

test('HEAD answers headers without a body', async () => {
  const res = await app.request('http://localhost/assets/app-abc.js', { method: 'HEAD' });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-length'), String('console.log("lab")'.length));
  assert.equal((await res.text()).length, 0);
});

test('client-side routes fall back to index.html; missing files with an extension are 404', async () => {
  const route = await app.request('http://localhost/traces/0123abcd?service=frontend');
  assert.equal(route.status, 200);
  assert.match(await route.text(), /<title>lab<\/title>/);
  const missing = await app.request('http://localhost/assets/gone.js');
  assert.equal(missing.status, 404);
});

const traversals = [
  '/..%2f..%2fsecret.txt',
  '/%2e%2e/secret.txt',
  '/assets/..%5c..%5csecret.txt',
  '/.env',
  '/%2eenv',
  '/link.txt',
  '/a%00.js',
  '/%E0%A4%A',
];

for (const p of traversals) {
  test(`traversal attempt ${p} never reads outside the UI`, async () => {
    const res = await app.request(`http://localhost${p}`);
    const text = await res.text();
    assert.doesNotMatch(text, /outside the UI|SECRET/);
    assert.ok(
      [400, 404].includes(res.status) || /<title>lab<\/title>/.test(text),
      `status ${res.status}`,
    );
  });
}

test('without a built UI the page says how to build it', async () => {
  const bare = createApiApp({ store, uiDir: path.join(dir, 'missing') });
  const res = await bare.request('http://localhost/');
  assert.equal(res.status, 503);
  assert.match(await res.text(), /npm run build:ui/);
});

test('the default UI directory is dist/ui under the otel-lab package root', () => {
  assert.equal(defaultUiDir(), path.join(packageRoot(), 'dist', 'ui'));
  const pkg = JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as {
    name: string;
  };
  assert.equal(pkg.name, 'otel-lab');
});

test('/metrics reports ingest counters, queue and store rows in Prometheus text format', async () => {
  const res = await app.request('http://localhost/metrics');
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
  const text = await res.text();
  assert.match(text, /^# TYPE otel_lab_ingest_items_total counter$/m);
  assert.match(text, /^otel_lab_ingest_items_total\{signal="traces",outcome="accepted"\} 10$/m);
  assert.match(text, /^otel_lab_ingest_items_total\{signal="traces",outcome="rejected"\} 2$/m);
  assert.match(text, /^otel_lab_ingest_items_total\{signal="metrics",outcome="dropped"\} 1$/m);
  assert.match(text, /^otel_lab_ingest_requests_total\{signal="traces"\} 3$/m);
  assert.match(text, /^otel_lab_ingest_invalid_requests_total\{signal="traces"\} 1$/m);
  assert.match(text, /^otel_lab_write_queue_items 4$/m);
  assert.match(text, /^otel_lab_write_queue_capacity_items 200000$/m);
  assert.match(text, /^otel_lab_store_writes_total 7$/m);
  assert.match(text, /^otel_lab_store_rows\{table="spans"\} 7$/m);
  assert.match(text, /^otel_lab_store_rows\{table="logs"\} 2$/m);
  assert.match(text, /^otel_lab_store_bytes 0$/m);
  assert.match(text, /^otel_lab_store_free_bytes 0$/m);
});

test('/metrics without ingest stats still reports the store', async () => {
  const bare = createApiApp({ store, uiDir: ui });
  const text = await (await bare.request('http://localhost/metrics')).text();
  assert.doesNotMatch(text, /otel_lab_ingest_items_total/);
  assert.match(text, /otel_lab_store_rows\{table="spans"\} 7/);
});

test("/prometheus mounts the Prometheus API (Grafana's `1+1` health check), or the one given", async () => {
  const res = await app.request('http://localhost/prometheus/api/v1/query?query=1%2B1');
  assert.equal(res.status, 200);
  const body = (await res.json()) as { status: string; data: { resultType: string } };
  assert.equal(body.status, 'success');
  assert.equal(body.data.resultType, 'scalar');
  const prom = new Hono();
  prom.get('/api/v1/status/buildinfo', (c) =>
    c.json({ status: 'success', data: { version: 'fake' } }),
  );
  const mounted = createApiApp({ store, uiDir: ui, prometheus: prom });
  const ok = await mounted.request('http://localhost/prometheus/api/v1/status/buildinfo');
  assert.deepEqual(await ok.json(), { status: 'success', data: { version: 'fake' } });
});

test('an unknown /prometheus path is a JSON 404, not the UI', async () => {
  const res = await app.request('http://localhost/prometheus/nothing');
  assert.equal(res.status, 404);
  assert.match(res.headers.get('content-type') ?? '', /json/);
});

test('a failing store gives a 500 in Jaeger shape naming the cause', async () => {
  const broken = {
    ...store,
    services: async () => Promise.reject(new Error('disk on fire')),
  } as TelemetryStore;
  const res = await createApiApp({ store: broken, uiDir: ui }).request(
    'http://localhost/jaeger/api/services',
  );
  assert.equal(res.status, 500);
  const body = (await res.json()) as { errors: { msg: string }[] };
  assert.match(body.errors[0]?.msg ?? '', /disk on fire/);
});

test('startApiServer listens on 127.0.0.1, serves, and closes', async () => {
  const server = await startApiServer({ store, uiDir: ui, port: 0 });
  try {
    assert.ok(server.port > 0);
    assert.equal(server.url, `http://127.0.0.1:${server.port}`);
    const res = await fetch(`${server.url}/jaeger/api/services`);
    assert.equal(res.status, 200);
    assert.deepEqual(((await res.json()) as { data: string[] }).data, [
      'frontend',
      'recommendation',
    ]);
  } finally {
    await server.close();
  }
});

test('startApiServer on a busy port rejects with a clear message', async () => {
  const first = await startApiServer({ store, uiDir: ui, port: 0 });
  try {
    await assert.rejects(startApiServer({ store, uiDir: ui, port: first.port }), /already in use/);
  } finally {
    await first.close();
  }
});
