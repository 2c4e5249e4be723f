import {
  ROOT_CONTEXT,
  context,
  propagation,
  type Context,
  type ContextManager,
} from '@opentelemetry/api';
import { W3CBaggagePropagator } from '@opentelemetry/core';
import assert from 'node:assert/strict';
import { AsyncLocalStorage } from 'node:async_hooks';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { HttpFrontend, type Frontend, type RequestResult } from './client';
import type { TaskName } from './tasks';
import { runTask, runUser, sessionContext, type UserDeps } from './user';

interface Call {
  readonly method: string;
  readonly path: string;
  readonly body?: unknown;
}

function fakeDeps(opts: { flood?: unknown; rand?: () => number } = {}) {
  const calls: Call[] = [];
  const results: Array<[TaskName, RequestResult]> = [];
  const ok = (method: string, path: string): RequestResult => ({ method, path, status: 200 });
  const frontend: Frontend = {
    get: async (path) => {
      calls.push({ method: 'GET', path });
      return ok('GET', path);
    },
    postJson: async (path, body) => {
      calls.push({ method: 'POST', path, body });
      return ok('POST', path);
    },
  };
  let ids = 0;
  const deps: UserDeps = {
    frontend,
    rand: opts.rand ?? (() => 0),
    speed: 1000,
    floodFlag: async () => opts.flood ?? 0,
    onResult: (task, r) => results.push([task, r]),
    newId: () => `user-${ids++}`,
  };
  return { deps, calls, results };
}

describe('runTask', () => {
  it('browses a product, asks for recommendations and ads as upstream does', async () => {
    const { deps, calls } = fakeDeps();
    await runTask('browse_product', deps);
    await runTask('get_recommendations', deps);
    await runTask('get_ads', deps);
    await runTask('view_cart', deps, 'session-1');
    await runTask('index', deps);
    assert.deepEqual(
      calls.map((c) => c.path),
      [
        '/api/products/0PUK6V6EV0',
        '/api/recommendations?productIds=0PUK6V6EV0',
        '/api/data?contextKeys=binoculars',
        '/api/cart?sessionId=session-1',
        '/',
      ],
    );
  });

  it('asks for ads without context for the None category', async () => {
    const { deps, calls } = fakeDeps({ rand: () => 0.99 });
    await runTask('get_ads', deps);
    assert.deepEqual(calls, [{ method: 'GET', path: '/api/data' }]);
  });

  it('checks out: views the product, adds it to the cart, then places the order for that user', async () => {
    const { deps, calls, results } = fakeDeps();
    await runTask('checkout', deps);
    assert.equal(calls.length, 3);
    assert.deepEqual(calls[0], { method: 'GET', path: '/api/products/0PUK6V6EV0' });
    assert.deepEqual(calls[1], {
      method: 'POST',
      path: '/api/cart',
      body: { item: { productId: '0PUK6V6EV0', quantity: 1 }, userId: 'user-0' },
    });
    const order = calls[2]?.body as { userId: string; email: string; creditCard: object };
    assert.equal(calls[2]?.path, '/api/checkout');
    assert.equal(order.userId, 'user-0');
    assert.equal(order.email, 'ada@example.com');
    assert.ok(results.every(([task]) => task === 'checkout'));
  });

  it('adds 2 to 4 items for one user before a multi-item checkout', async () => {
    const { deps, calls } = fakeDeps({ rand: () => 0.99 });
    await runTask('checkout_multi', deps);
    const carts = calls.filter((c) => c.path === '/api/cart');
    assert.equal(carts.length, 4);
    assert.ok(carts.every((c) => (c.body as { userId: string }).userId === 'user-0'));
    assert.equal(calls.at(-1)?.path, '/api/checkout');
  });

  it('floods the home page as many times as the flag says, and not at all when off', async () => {
    const on = fakeDeps({ flood: 100 });
    await runTask('flood_home', on.deps);
    assert.equal(on.calls.length, 100);
    assert.ok(on.calls.every((c) => c.path === '/'));
    const off = fakeDeps({ flood: 0 });
    await runTask('flood_home', off.deps);
    assert.equal(off.calls.length, 0);
  });
});

describe('runUser', () => {
  it('starts with the home page and stops when aborted', async () => {
    const { deps, calls } = fakeDeps({ rand: () => 0.5 });
    const ctl = new AbortController();
    const done = runUser(deps, ctl.signal);
    await new Promise((r) => setTimeout(r, 50));
    ctl.abort();
    await done;
    assert.equal(calls[0]?.path, '/');
    assert.ok(calls.length >= 2, `think time 5.5 ms: ${calls.length} calls`);
    const n = calls.length;
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(calls.length, n);
  });
});

/** What the SDK registers in a service: contexts that follow async calls. */
class AlsContextManager implements ContextManager {
  private readonly als = new AsyncLocalStorage<Context>();
  active(): Context {
    return this.als.getStore() ?? ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    ctx: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    return this.als.run(ctx, () => fn.call(thisArg, ...args));
  }
  bind<T>(_ctx: Context, target: T): T {
    return target;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this.als.disable();
    return this;
  }
}

describe('synthetic marking', () => {
  let server: http.Server;
  const seen: http.IncomingHttpHeaders[] = [];
  before(async () => {
    propagation.setGlobalPropagator(new W3CBaggagePropagator());
    context.setGlobalContextManager(new AlsContextManager());
    server = http.createServer((req, res) => {
      seen.push(req.headers);
      res.end('{}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  });
  after(() => {
    propagation.disable();
    context.disable();
    server.close();
  });

  it('sends baggage synthetic_request=true and the session id on every request', async () => {
    const port = (server.address() as AddressInfo).port;
    const frontend = new HttpFrontend(`127.0.0.1:${port}`);
    const results: RequestResult[] = [];
    await context.with(sessionContext('s-1'), async () => {
      results.push(await frontend.get('/'));
      results.push(await frontend.postJson('/api/cart', { a: 1 }));
    });
    frontend.close();
    assert.deepEqual(
      results.map((r) => r.status),
      [200, 200],
    );
    assert.equal(seen.length, 2);
    for (const h of seen) {
      const entries = String(h['baggage'])
        .split(',')
        .map((s) => s.trim())
        .sort();
      assert.deepEqual(entries, ['session.id=s-1', 'synthetic_request=true']);
    }
  });

  it('reports a refused connection as status 0 with the error', async () => {
    const probe = http.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const frontend = new HttpFrontend(`127.0.0.1:${port}`);
    const r = await frontend.get('/');
    frontend.close();
    assert.equal(r.status, 0);
    assert.match(r.error ?? '', /ECONNREFUSED/);
  });
});
