// The recommendation service, faithful to upstream 1.11.0
// recommendation_server.py, including its memory leak: with
// recommendationServiceCacheFailure on, every cache miss (random() < 0.5, or
// the first call) appends the catalog to the "cache" and then a quarter of the
// cache to itself (L -> (L + 10) * 1.25), and every request builds a set from
// the whole list. Memory, CPU and latency climb until the heap limit kills
// the process (the registry runs it with --max-old-space-size=500) and the
// supervisor restarts it.
import { metrics, trace } from '@opentelemetry/api';
import type { FlagSource } from '../../flags/openfeature';
import type { Client } from '../../grpc/client';
import { bindService, type Handlers, type ServiceBinding } from '../../grpc/server';
import type { Logger } from '../../telemetry/log';

export const MAX_RESPONSES = 5;

export type CatalogLister = Pick<Client<'ProductCatalogService'>, 'ListProducts'>;

/** The leaking cache: module state in upstream, one per handler set here. */
export interface LeakState {
  cachedIds: string[];
  firstRun: boolean;
}

export interface RecommendationDeps {
  readonly catalog: CatalogLister;
  readonly flags: FlagSource;
  readonly log?: Logger;
  readonly random?: () => number;
  readonly state?: LeakState;
}

/** Upstream's sample of `k` distinct elements. */
function sample<T>(items: readonly T[], k: number, random: () => number): T[] {
  const pool = [...items];
  const out: T[] = [];
  for (let i = 0; i < k && pool.length > 0; i++) {
    const j = Math.floor(random() * pool.length);
    out.push(pool[j] as T);
    pool[j] = pool[pool.length - 1] as T;
    pool.pop();
  }
  return out;
}

export function recommendationHandlers(
  deps: RecommendationDeps,
): Handlers<'RecommendationService'> & {
  readonly state: LeakState;
} {
  const random = deps.random ?? Math.random;
  const state = deps.state ?? { cachedIds: [], firstRun: true };
  const tracer = trace.getTracer('recommendation');
  const counter = metrics.getMeter('recommendation').createCounter('app_recommendations_counter', {
    description: 'Counts the total number of given recommendations',
  });

  const catalogIds = async () => (await deps.catalog.ListProducts({})).products.map((p) => p.id);

  const getProductList = (requestIds: readonly string[]): Promise<string[]> =>
    tracer.startActiveSpan('get_product_list', async (span) => {
      try {
        // Upstream joins the ids with '' and splits on ',' (sic): kept as is.
        const requested = requestIds.join('').split(',');
        let productIds: string[];
        if (await deps.flags.bool('recommendationServiceCacheFailure', false)) {
          span.setAttribute('app.recommendation.cache_enabled', true);
          if (random() < 0.5 || state.firstRun) {
            state.firstRun = false;
            span.setAttribute('app.cache_hit', false);
            deps.log?.info('get_product_list: cache miss');
            const ids = await catalogIds();
            let cached = state.cachedIds.concat(ids);
            cached = cached.concat(cached.slice(0, Math.floor(cached.length / 4)));
            state.cachedIds = cached;
            productIds = cached;
          } else {
            span.setAttribute('app.cache_hit', true);
            deps.log?.info('get_product_list: cache hit');
            productIds = state.cachedIds;
          }
        } else {
          span.setAttribute('app.recommendation.cache_enabled', false);
          productIds = await catalogIds();
        }
        span.setAttribute('app.products.count', productIds.length);

        // The set difference over the whole list, on every request.
        const set = new Set(productIds);
        for (const id of requested) set.delete(id);
        const filtered = [...set];
        span.setAttribute('app.filtered_products.count', filtered.length);
        const list = sample(filtered, Math.min(MAX_RESPONSES, filtered.length), random);
        span.setAttribute('app.filtered_products.list', list);
        return list;
      } finally {
        span.end();
      }
    });

  return {
    state,
    ListRecommendations: async ({ productIds }) => {
      const list = await getProductList(productIds.slice(0, 100).map((id) => id.slice(0, 64)));
      trace.getActiveSpan()?.setAttribute('app.products_recommended.count', list.length);
      deps.log?.info(`Receive ListRecommendations for product ids:[${list.join(', ')}]`);
      counter.add(list.length, { 'recommendation.type': 'catalog' });
      return { productIds: list };
    },
  };
}

export function recommendationService(deps: RecommendationDeps): ServiceBinding {
  return bindService('RecommendationService', recommendationHandlers(deps));
}
