// What a simulated user does, as data and pure functions: upstream's Locust
// task weights (demo 1.11.0 `locustfile.py`), its product ids, ad categories
// and quantities, and the 1-10 s think time shortened by `--speed`.

/** A random number in [0, 1), injectable so choices are testable. */
export type Random = () => number;

export type TaskName =
  | 'index'
  | 'browse_product'
  | 'get_recommendations'
  | 'get_ads'
  | 'view_cart'
  | 'add_to_cart'
  | 'checkout'
  | 'checkout_multi'
  | 'flood_home';

export interface WeightedTask {
  readonly name: TaskName;
  readonly weight: number;
}

// flood_home keeps its weight while its flag is off, as upstream: the task is
// picked and then loads the home page zero times.
export const TASKS: readonly WeightedTask[] = [
  { name: 'index', weight: 1 },
  { name: 'browse_product', weight: 10 },
  { name: 'get_recommendations', weight: 3 },
  { name: 'get_ads', weight: 3 },
  { name: 'view_cart', weight: 3 },
  { name: 'add_to_cart', weight: 2 },
  { name: 'checkout', weight: 1 },
  { name: 'checkout_multi', weight: 1 },
  { name: 'flood_home', weight: 5 },
];

export const PRODUCT_IDS: readonly string[] = [
  '0PUK6V6EV0',
  '1YMWWN1N4O',
  '2ZYFJ3GM2N',
  '66VCHSJNUP',
  '6E92ZMYYFZ',
  '9SIQT8TOJO',
  'L9ECAV7KIM',
  'LS4PSXUNUM',
  'OLJCESPC7Z',
  'HQTGWGPNH4',
];

/** Ad context keys; `undefined` asks for ads with no context, as upstream's `None`. */
export const AD_CATEGORIES: readonly (string | undefined)[] = [
  'binoculars',
  'telescopes',
  'accessories',
  'assembly',
  'travel',
  'books',
  undefined,
];

export const QUANTITIES: readonly number[] = [1, 2, 3, 4, 5, 10];

/** Items added before a multi-item checkout. */
export const MULTI_CHECKOUT_ITEMS: readonly number[] = [2, 3, 4];

export const THINK_MIN_MS = 1000;
export const THINK_MAX_MS = 10_000;

/** Picks a task with probability weight / total weight. */
export function pickTask(rand: Random, tasks: readonly WeightedTask[] = TASKS): TaskName {
  const total = tasks.reduce((sum, t) => sum + t.weight, 0);
  let x = rand() * total;
  for (const t of tasks) {
    if (x < t.weight) return t.name;
    x -= t.weight;
  }
  // Only reachable through floating-point rounding at the top end.
  const last = tasks.at(-1);
  if (last === undefined) throw new Error('pickTask: no tasks');
  return last.name;
}

/** Uniform in [1 s, 10 s], divided by `speed` (Locust's `between(1, 10)`). */
export function thinkTimeMs(rand: Random, speed: number): number {
  if (!(speed > 0)) throw new Error(`speed must be above 0, got ${speed}`);
  return (THINK_MIN_MS + rand() * (THINK_MAX_MS - THINK_MIN_MS)) / speed;
}

export function choice<T>(rand: Random, items: readonly T[]): T {
  if (items.length === 0) throw new Error('choice from an empty list');
  const i = Math.min(items.length - 1, Math.floor(rand() * items.length));
  return items[i] as T;
}

/** How many home page loads a flood task does for the flag's value (upstream: an integer, 0 when off). */
export function floodCount(flagValue: unknown): number {
  if (typeof flagValue !== 'number' || !Number.isFinite(flagValue)) return 0;
  // Bounded: a hand-edited flags file must not turn one task into a runaway loop.
  return Math.max(0, Math.min(10_000, Math.floor(flagValue)));
}
