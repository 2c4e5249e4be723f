import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { SeriesSamples } from '../../model/telemetry';
import type { BlockSamples } from './sample-cache';
import { ENTRY_BYTES, MAX_VERSIONED_BLOCKS, SampleCache, WIDE_WRITE_BLOCKS } from './sample-cache';

const block = (...tv: number[]) => tv;
/** What a reader sees of a series' block now. */
const held = (c: SampleCache, b: number, key: string) => {
  const s = c.get(b, key);
  return s === undefined ? undefined : s.data.slice(0, s.n * 2);
};
const seen = (s: BlockSamples | undefined) => s?.data.slice(0, s.n * 2);

describe('SampleCache', () => {
  it('holds a block put after a snapshot nothing touched', () => {
    const c = new SampleCache(1e6, 1000);
    const snap = c.snapshot(2, 3);
    c.put(snap, 2, 'a', block(2000, 1));
    c.put(snap, 3, 'a', block());
    assert.deepEqual(held(c, 2, 'a'), block(2000, 1));
    assert.deepEqual(held(c, 3, 'a'), block());
    assert.equal(held(c, 2, 'b'), undefined);
    assert.equal(c.size, 2 * ENTRY_BYTES + 16);
  });

  it('answers as before a write while it runs, and refuses what a read saw before it ended', () => {
    const c = new SampleCache(1e6, 1000);
    const before = c.snapshot(0, 1);
    c.put(before, 0, 'a', block(10, 1));
    c.put(before, 1, 'a', block(1010, 1));
    const batch = [{ labels: { x: 'a' }, samples: [{ t: 1500, v: 2 }] }];
    const blocks = c.blocksOf(batch);
    assert.deepEqual([...blocks], [1]);
    c.writeStarted(blocks);
    assert.deepEqual(held(c, 1, 'a'), block(1010, 1));
    // A read begun before the write, or while it runs, may have seen either state.
    const during = c.snapshot(1, 1);
    c.put(during, 1, 'b', block());
    assert.equal(held(c, 1, 'b'), undefined);
    c.writeEnded(blocks, []);
    c.put(before, 1, 'b', block());
    c.put(during, 1, 'b', block());
    assert.equal(held(c, 1, 'b'), undefined);
    c.put(c.snapshot(1, 1), 1, 'b', block());
    assert.deepEqual(held(c, 1, 'b'), block());
  });

  it('drops the blocks of a write that rolled back or rewrote them', () => {
    const c = new SampleCache(1e6, 1000);
    const snap = c.snapshot(0, 1);
    c.put(snap, 0, 'a', block(10, 1));
    c.put(snap, 1, 'a', block(1010, 1));
    c.writeStarted(new Set([1]));
    c.writeEnded(new Set([1]));
    assert.equal(held(c, 1, 'a'), undefined);
    assert.deepEqual(held(c, 0, 'a'), block(10, 1));
    assert.equal(c.size, ENTRY_BYTES + 16);
  });

  it('merges a committed write into the series it holds: appends, rewrites of a time, late samples', () => {
    const c = new SampleCache(1e6, 1000);
    const key = '[["__name__","up"],["job","a"]]';
    const snap = c.snapshot(0, 1);
    c.put(snap, 0, key, block(100, 1, 200, 2));
    c.put(snap, 1, key, block());
    const view = c.get(0, key);
    const batch: SeriesSamples[] = [
      // Labels in any order, empty values left out: the key the series table has.
      { labels: { job: 'a', zone: '', __name__: 'up' }, samples: [{ t: 300, v: 3 }] },
      { labels: { __name__: 'up', job: 'b' }, samples: [{ t: 300, v: 9 }] },
      {
        labels: Object.freeze({ __name__: 'up', job: 'a' }),
        samples: [
          { t: 200, v: 20 },
          { t: 150, v: 15 },
          { t: 1200, v: 12 },
          { t: 300, v: 30 },
          { t: 400, v: 4 },
          { t: 2500, v: 25 },
        ],
      },
    ];
    const blocks = c.blocksOf(batch);
    c.writeStarted(blocks);
    c.writeEnded(blocks, batch);
    assert.deepEqual(held(c, 0, key), block(100, 1, 150, 15, 200, 20, 300, 30, 400, 4));
    assert.deepEqual(held(c, 1, key), block(1200, 12));
    assert.equal(held(c, 0, '[["__name__","up"],["job","b"]]'), undefined);
    assert.equal(held(c, 2, key), undefined);
    // What a read took before is unchanged.
    assert.deepEqual(seen(view), block(100, 1, 200, 2));
    const appended = [{ labels: { __name__: 'up', job: 'a' }, samples: [{ t: 500, v: 5 }] }];
    const taken = c.get(0, key);
    c.writeStarted(c.blocksOf(appended));
    c.writeEnded(c.blocksOf(appended), appended);
    assert.deepEqual(seen(taken), block(100, 1, 150, 15, 200, 20, 300, 30, 400, 4));
    assert.deepEqual(held(c, 0, key), block(100, 1, 150, 15, 200, 20, 300, 30, 400, 4, 500, 5));
    // What is counted goes with what is dropped.
    c.dropBefore(10_000);
    assert.equal(c.size, 0);
  });

  it('counts overlapping writes of a block', () => {
    const c = new SampleCache(1e6, 1000);
    const blocks = new Set([0]);
    c.writeStarted(blocks);
    c.writeStarted(blocks);
    c.writeEnded(blocks, []);
    c.put(c.snapshot(0, 0), 0, 'a', block(5, 1));
    assert.equal(held(c, 0, 'a'), undefined);
    c.writeEnded(blocks, []);
    c.put(c.snapshot(0, 0), 0, 'a', block(5, 1));
    assert.deepEqual(held(c, 0, 'a'), block(5, 1));
  });

  it('holds nothing below a retention cutoff', () => {
    const c = new SampleCache(1e6, 1000);
    const snap = c.snapshot(0, 3);
    c.put(snap, 1, 'a', block(1000, 1));
    c.put(snap, 3, 'a', block(3000, 1));
    c.dropBefore(2500);
    assert.equal(held(c, 1, 'a'), undefined);
    assert.deepEqual(held(c, 3, 'a'), block(3000, 1));
    c.put(snap, 2, 'a', block(2600, 1));
    c.put(c.snapshot(2, 2), 2, 'a', block(2600, 1));
    assert.equal(held(c, 2, 'a'), undefined);
    assert.equal(c.size, ENTRY_BYTES + 16);
  });

  it('evicts the least recently used blocks past its bound', () => {
    const bound = 2 * ENTRY_BYTES + 80;
    const c = new SampleCache(bound, 1000);
    const snap = c.snapshot(0, 9);
    c.put(snap, 0, 'a', block(0, 1, 1, 1));
    c.put(snap, 1, 'a', block(1000, 1, 1001, 1));
    c.used(0);
    c.put(snap, 2, 'a', block(2000, 1));
    assert.equal(c.size, 2 * ENTRY_BYTES + 48);
    assert.equal(held(c, 1, 'a'), undefined);
    assert.notEqual(held(c, 0, 'a'), undefined);
    // More than the bound in one block is not held at all.
    const big = new Array<number>(Math.ceil(bound / 8) + 2).fill(5000);
    c.put(snap, 5, 'a', big);
    assert.equal(held(c, 5, 'a'), undefined);
    assert.equal(c.size, 2 * ENTRY_BYTES + 48);
  });

  it('holds nothing when its bound is 0', () => {
    const c = new SampleCache(0, 1000);
    assert.equal(c.enabled, false);
    c.put(c.snapshot(0, 0), 0, 'a', block(1, 1));
    assert.equal(held(c, 0, 'a'), undefined);
  });

  it('lists the blocks of a time range', () => {
    const c = new SampleCache(10, 1000);
    assert.deepEqual([...c.blocksBetween(1000, 3000)], [1, 2]);
    assert.deepEqual([...c.blocksBetween(-1, 1)], [-1, 0]);
  });
  it('keeps a bounded memory of blocks whatever times a sender writes at', () => {
    const c = new SampleCache(1e6, 1000);
    const key = '[["__name__","up"]]';
    c.put(c.snapshot(0, 0), 0, key, [5, 1]);
    // One write over many blocks: no read under way stores anything.
    const wide: SeriesSamples[] = [
      {
        labels: { __name__: 'up' },
        samples: Array.from({ length: WIDE_WRITE_BLOCKS + 1 }, (_, i) => ({
          t: i * 1000 + 7,
          v: i,
        })),
      },
    ];
    const before = c.snapshot(1, 1);
    const blocks = c.blocksOf(wide);
    c.writeStarted(blocks);
    c.put(c.snapshot(1, 1), 1, key, []);
    assert.equal(held(c, 1, key), undefined);
    c.writeEnded(blocks, wide);
    c.put(before, 1, key, []);
    assert.equal(held(c, 1, key), undefined);
    assert.deepEqual(held(c, 0, key), [5, 1, 7, 0]);
    assert.equal(c.versionedBlocks, 0);
    // Many narrow writes at scattered times.
    const old = c.snapshot(2, 2);
    for (let i = 0; i < MAX_VERSIONED_BLOCKS + 10; i++) {
      const b = new Set([1_000_000 + i * 7]);
      c.writeStarted(b);
      c.writeEnded(b, []);
      assert.ok(c.versionedBlocks <= MAX_VERSIONED_BLOCKS);
    }
    c.put(old, 2, key, []);
    assert.equal(held(c, 2, key), undefined);
    c.put(c.snapshot(2, 2), 2, key, []);
    assert.deepEqual(held(c, 2, key), []);
  });
});
