// One simulated user: a session with synthetic-request baggage, then tasks
// picked by weight with think time in between, until told to stop.

import { context, propagation } from '@opentelemetry/api';
import { randomUUID } from 'node:crypto';
import type { Frontend, RequestResult } from './client';
import { PEOPLE } from './people';
import {
  AD_CATEGORIES,
  MULTI_CHECKOUT_ITEMS,
  PRODUCT_IDS,
  QUANTITIES,
  choice,
  floodCount,
  pickTask,
  thinkTimeMs,
  type Random,
  type TaskName,
} from './tasks';

export interface UserDeps {
  readonly frontend: Frontend;
  readonly rand: Random;
  readonly speed: number;
  /** The current value of `loadgeneratorFloodHomepage`. */
  readonly floodFlag: () => Promise<unknown>;
  readonly onResult: (task: TaskName, result: RequestResult) => void;
  readonly newId?: () => string;
}

/**
 * Runs one task the way upstream's Locust user does. One difference: the
 * cart is viewed for the user's session (`?sessionId=`); upstream sends no
 * id and its frontend reads an empty cart, ours asks for one.
 */
export async function runTask(
  name: TaskName,
  deps: UserDeps,
  sessionId = 'anonymous',
): Promise<void> {
  const { frontend, rand } = deps;
  const newId = deps.newId ?? randomUUID;
  const record = async (p: Promise<RequestResult>): Promise<void> => deps.onResult(name, await p);
  const addToCart = async (userId: string): Promise<void> => {
    const product = choice(rand, PRODUCT_IDS);
    await record(frontend.get(`/api/products/${product}`));
    await record(
      frontend.postJson('/api/cart', {
        item: { productId: product, quantity: choice(rand, QUANTITIES) },
        userId,
      }),
    );
  };
  const checkout = async (userId: string): Promise<void> => {
    await record(frontend.postJson('/api/checkout', { ...choice(rand, PEOPLE), userId }));
  };

  switch (name) {
    case 'index':
      return record(frontend.get('/'));
    case 'browse_product':
      return record(frontend.get(`/api/products/${choice(rand, PRODUCT_IDS)}`));
    case 'get_recommendations':
      return record(frontend.get(`/api/recommendations?productIds=${choice(rand, PRODUCT_IDS)}`));
    case 'get_ads': {
      const category = choice(rand, AD_CATEGORIES);
      const query = category === undefined ? '' : `?contextKeys=${category}`;
      return record(frontend.get(`/api/data${query}`));
    }
    case 'view_cart':
      return record(frontend.get(`/api/cart?sessionId=${encodeURIComponent(sessionId)}`));
    case 'add_to_cart':
      return addToCart(newId());
    case 'checkout': {
      const userId = newId();
      await addToCart(userId);
      return checkout(userId);
    }
    case 'checkout_multi': {
      const userId = newId();
      const items = choice(rand, MULTI_CHECKOUT_ITEMS);
      for (let i = 0; i < items; i++) await addToCart(userId);
      return checkout(userId);
    }
    case 'flood_home': {
      const n = floodCount(await deps.floodFlag());
      for (let i = 0; i < n; i++) await record(frontend.get('/'));
      return undefined;
    }
  }
}

/** The context a user's requests run in: baggage `session.id` and `synthetic_request=true`. */
export function sessionContext(sessionId: string): ReturnType<typeof context.active> {
  const bag = propagation.createBaggage({
    'session.id': { value: sessionId },
    synthetic_request: { value: 'true' },
  });
  return propagation.setBaggage(context.active(), bag);
}

/** Loads the home page (upstream's on_start), then weighted tasks with think time until `signal` aborts. */
export async function runUser(deps: UserDeps, signal: AbortSignal): Promise<void> {
  const sessionId = (deps.newId ?? randomUUID)();
  await context.with(sessionContext(sessionId), async () => {
    await runTask('index', deps, sessionId);
    // Locust's order: a task, then the think time, then the next task.
    while (!signal.aborted) {
      await sleep(thinkTimeMs(deps.rand, deps.speed), signal);
      if (signal.aborted) break;
      await runTask(pickTask(deps.rand), deps, sessionId);
    }
  });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
