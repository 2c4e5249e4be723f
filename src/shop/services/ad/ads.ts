// Ads by category (upstream 1.11.0's ad service, texts our own), with its three flags:
// adServiceFailure (1 in 10 GetAds fail), adServiceHighCpu (a CPU burner runs
// while the flag is on), adServiceManualGc (full GCs on each request; needs
// node --expose-gc, which the registry passes).
import { status } from '@grpc/grpc-js';
import { context, metrics, propagation, trace, type Span } from '@opentelemetry/api';
import type { EvaluationContext } from '@openfeature/server-sdk';
import type { FlagSource } from '../../flags/openfeature';
import { GrpcError, bindService, type Handlers, type ServiceBinding } from '../../grpc/server';
import type { Ad } from '../../grpc/types';
import type { Logger } from '../../telemetry/log';
import { CpuLoad } from './cpu-load';

export const MAX_ADS_TO_SERVE = 2;
export const MAX_CONTEXT_KEYS = 20;

const ad = (productId: string, text: string): Ad => ({
  redirectUrl: `/product/${productId}`,
  text,
});

export const ADS_BY_CATEGORY: ReadonlyMap<string, readonly Ad[]> = new Map([
  ['binoculars', [ad('2ZYFJ3GM2N', 'Roof Binoculars: half price this week.')]],
  ['telescopes', [ad('66VCHSJNUP', 'Starsense Explorer refractor: 20% off for new stargazers.')]],
  [
    'accessories',
    [
      ad('0PUK6V6EV0', 'Color imager for planets: 30% off.'),
      ad('6E92ZMYYFZ', 'Solar filters: three for the price of two.'),
      ad('L9ECAV7KIM', 'Lens cleaning kit: a second one free with each.'),
    ],
  ],
  ['assembly', [ad('9SIQT8TOJO', 'Optical tube assembly: 10% off.')]],
  ['travel', [ad('1YMWWN1N4O', 'Travel refractor kit: bring a friend, the second kit is free.')]],
]);

const ALL_ADS: readonly Ad[] = [...ADS_BY_CATEGORY.values()].flat();

export interface AdDeps {
  readonly flags: FlagSource;
  readonly log?: Logger;
  readonly random?: () => number;
  readonly cpu?: CpuLoad;
  /** A full GC; undefined when node runs without --expose-gc. */
  readonly gc?: (() => void) | undefined;
}

export function adHandlers(deps: AdDeps): Handlers<'AdService'> {
  const random = deps.random ?? Math.random;
  const cpu = deps.cpu ?? new CpuLoad();
  const tracer = trace.getTracer('ad');
  const counter = metrics.getMeter('ad').createCounter('app.ads.ad_requests', {
    description: 'Counts ad requests by request and response type',
  });
  const inSpan = <T>(name: string, fn: (s: Span) => T): T =>
    tracer.startActiveSpan(name, (s) => {
      try {
        return fn(s);
      } finally {
        s.end();
      }
    });
  const randomAds = () =>
    inSpan('getRandomAds', (s) => {
      const ads: Ad[] = [];
      for (let i = 0; i < MAX_ADS_TO_SERVE; i++) {
        const pick = ALL_ADS[Math.floor(random() * ALL_ADS.length)];
        if (pick) ads.push(pick);
      }
      s.setAttribute('app.ads.count', ads.length);
      return ads;
    });
  const byCategory = (category: string) =>
    inSpan('getAdsByCategory', (s) => {
      s.setAttribute('app.ads.category', category);
      const ads = ADS_BY_CATEGORY.get(category) ?? [];
      s.setAttribute('app.ads.count', ads.length);
      return ads;
    });

  return {
    GetAds: async ({ contextKeys }) => {
      const span = trace.getActiveSpan();
      const sessionId = propagation.getBaggage(context.active())?.getEntry('session.id')?.value;
      if (sessionId !== undefined) span?.setAttribute('session.id', sessionId.slice(0, 64));
      const evalContext: EvaluationContext =
        sessionId !== undefined ? { targetingKey: sessionId } : {};
      cpu.execute(await deps.flags.bool('adServiceHighCpu', false, evalContext));

      const keys = contextKeys.slice(0, MAX_CONTEXT_KEYS).map((k) => k.slice(0, 64));
      span?.setAttribute('app.ads.contextKeys', `[${keys.join(', ')}]`);
      span?.setAttribute('app.ads.contextKeys.count', keys.length);
      let ads: Ad[] = [];
      let requestType = 'NOT_TARGETED';
      let responseType = 'RANDOM';
      if (keys.length > 0) {
        for (const k of keys) ads.push(...byCategory(k));
        requestType = 'TARGETED';
        responseType = 'TARGETED';
      } else {
        ads = randomAds();
      }
      if (ads.length === 0) {
        ads = randomAds();
        responseType = 'RANDOM';
      }
      span?.setAttribute('app.ads.count', ads.length);
      span?.setAttribute('app.ads.ad_request_type', requestType);
      span?.setAttribute('app.ads.ad_response_type', responseType);
      counter.add(1, {
        'app.ads.ad_request_type': requestType,
        'app.ads.ad_response_type': responseType,
      });

      // Upstream's flag targets 10% of evaluations (fractional); ours is a plain
      // boolean, so the 1-in-10 draw happens here.
      if ((await deps.flags.bool('adServiceFailure', false, evalContext)) && random() < 0.1) {
        throw new GrpcError(status.UNAVAILABLE, 'UNAVAILABLE: adServiceFailure flag is on');
      }
      if (await deps.flags.bool('adServiceManualGc', false, evalContext)) {
        deps.log?.warn('Feature Flag adServiceManualGc enabled, performing a manual gc now');
        span?.addEvent('manual gc');
        deps.gc?.();
      }
      return { ads };
    },
  };
}

/** global.gc when node runs with --expose-gc. */
export function exposedGc(): (() => void) | undefined {
  const g: unknown = Reflect.get(globalThis, 'gc');
  return typeof g === 'function'
    ? () => void Reflect.apply(g, globalThis, [{ type: 'major' }])
    : undefined;
}

export function adService(deps: AdDeps): ServiceBinding {
  return bindService('AdService', adHandlers(deps));
}
