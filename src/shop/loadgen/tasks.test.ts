import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  PRODUCT_IDS,
  TASKS,
  choice,
  floodCount,
  pickTask,
  thinkTimeMs,
  type TaskName,
} from './tasks';

/** A Random that returns the given values in turn. */
function seq(...values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length] as number;
}

describe('TASKS', () => {
  it("carry upstream's Locust weights", () => {
    assert.deepEqual(Object.fromEntries(TASKS.map((t) => [t.name, t.weight])), {
      index: 1,
      browse_product: 10,
      get_recommendations: 3,
      get_ads: 3,
      view_cart: 3,
      add_to_cart: 2,
      checkout: 1,
      checkout_multi: 1,
      flood_home: 5,
    });
  });

  it('use the ten catalog products', () => {
    assert.equal(new Set(PRODUCT_IDS).size, 10);
    assert.ok(PRODUCT_IDS.includes('OLJCESPC7Z'));
  });
});

describe('pickTask', () => {
  // Total weight is 29: [0,1) index, [1,11) browse, [11,14) recommendations, ...
  const table: Array<[number, TaskName]> = [
    [0, 'index'],
    [0.99 / 29, 'index'],
    [1 / 29, 'browse_product'],
    [10.99 / 29, 'browse_product'],
    [11 / 29, 'get_recommendations'],
    [14 / 29, 'get_ads'],
    [17 / 29, 'view_cart'],
    [20 / 29, 'add_to_cart'],
    [22 / 29, 'checkout'],
    [23 / 29, 'checkout_multi'],
    [24 / 29, 'flood_home'],
    [0.999999, 'flood_home'],
  ];
  for (const [r, name] of table) {
    it(`maps ${r.toFixed(4)} to ${name}`, () => {
      assert.equal(
        pickTask(() => r),
        name,
      );
    });
  }

  it('picks each task in proportion to its weight', () => {
    const counts = new Map<TaskName, number>();
    const n = 29_000;
    for (let i = 0; i < n; i++) {
      const name = pickTask(() => (i + 0.5) / n);
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    for (const t of TASKS) assert.equal(counts.get(t.name), t.weight * 1000, t.name);
  });

  it('ignores tasks of weight zero', () => {
    const tasks = [
      { name: 'index' as const, weight: 0 },
      { name: 'view_cart' as const, weight: 2 },
    ];
    assert.equal(
      pickTask(() => 0, tasks),
      'view_cart',
    );
  });
});

describe('thinkTimeMs', () => {
  it('spans 1 to 10 seconds at speed 1', () => {
    assert.equal(
      thinkTimeMs(() => 0, 1),
      1000,
    );
    assert.equal(
      thinkTimeMs(() => 0.5, 1),
      5500,
    );
    assert.equal(
      thinkTimeMs(() => 1, 1),
      10_000,
    );
  });

  it('is divided by the speed factor', () => {
    assert.equal(
      thinkTimeMs(() => 0, 10),
      100,
    );
    assert.equal(
      thinkTimeMs(() => 1, 10),
      1000,
    );
    assert.equal(
      thinkTimeMs(() => 0.5, 0.5),
      11_000,
    );
  });

  it('rejects a speed that is not positive', () => {
    assert.throws(() => thinkTimeMs(() => 0, 0), /speed must be above 0/);
    assert.throws(() => thinkTimeMs(() => 0, Number.NaN), /speed must be above 0/);
  });
});

describe('choice', () => {
  it('picks by position and never past the end', () => {
    assert.equal(choice(seq(0), ['a', 'b', 'c']), 'a');
    assert.equal(choice(seq(0.5), ['a', 'b', 'c']), 'b');
    assert.equal(choice(seq(0.9999999999), ['a', 'b', 'c']), 'c');
  });
});

describe('floodCount', () => {
  it("is the flag's integer value, zero when off or not a number, and bounded", () => {
    assert.equal(floodCount(100), 100);
    assert.equal(floodCount(0), 0);
    assert.equal(floodCount(false), 0);
    assert.equal(floodCount('100'), 0);
    assert.equal(floodCount(-5), 0);
    assert.equal(floodCount(1e9), 10_000);
  });
});
