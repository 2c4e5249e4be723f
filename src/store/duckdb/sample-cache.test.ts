import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { SampleCache } from './sample-cache';

const block = (...tv: number[]) => Float64Array.from(tv);

describe('SampleCache', () => {
  it('holds a block put after a snapshot nothing touched', () => {
    const c = new SampleCache(100, 1000);
    const snap = c.snapshot(2, 3);
    c.put(snap, 2, 'a', block(2000, 1));
    c.put(snap, 3, 'a', block());
    assert.deepEqual(c.get(2, 'a'), block(2000, 1));
    assert.deepEqual(c.get(3, 'a'), block());
    assert.equal(c.get(2, 'b'), undefined);
    assert.equal(c.size, 1);
  });

  it('drops a block when a write touching it starts, and refuses what a read saw before', () => {
    const c = new SampleCache(100, 1000);
    const before = c.snapshot(0, 1);
    c.put(before, 0, 'a', block(10, 1));
    c.put(before, 1, 'a', block(1010, 1));
    c.writeStarted(c.blocksOf([1500]));
    assert.equal(c.get(1, 'a'), undefined);
    assert.deepEqual(c.get(0, 'a'), block(10, 1));
    // A read begun before the write, or while it runs, may have seen either state.
    c.put(before, 1, 'a', block(1010, 1));
    const during = c.snapshot(1, 1);
    c.put(during, 1, 'a', block(1010, 1));
    assert.equal(c.get(1, 'a'), undefined);
    c.writeEnded(c.blocksOf([1500]));
    c.put(during, 1, 'a', block(1010, 1));
    assert.equal(c.get(1, 'a'), undefined);
    const afterWrite = c.snapshot(1, 1);
    c.put(afterWrite, 1, 'a', block(1010, 1, 1500, 2));
    assert.deepEqual(c.get(1, 'a'), block(1010, 1, 1500, 2));
  });

  it('counts overlapping writes of a block', () => {
    const c = new SampleCache(100, 1000);
    const blocks = c.blocksOf([5]);
    c.writeStarted(blocks);
    c.writeStarted(blocks);
    c.writeEnded(blocks);
    c.put(c.snapshot(0, 0), 0, 'a', block(5, 1));
    assert.equal(c.get(0, 'a'), undefined);
    c.writeEnded(blocks);
    c.put(c.snapshot(0, 0), 0, 'a', block(5, 1));
    assert.deepEqual(c.get(0, 'a'), block(5, 1));
  });

  it('holds nothing below a retention cutoff', () => {
    const c = new SampleCache(100, 1000);
    const snap = c.snapshot(0, 3);
    c.put(snap, 1, 'a', block(1000, 1));
    c.put(snap, 3, 'a', block(3000, 1));
    c.dropBefore(2500);
    assert.equal(c.get(1, 'a'), undefined);
    assert.deepEqual(c.get(3, 'a'), block(3000, 1));
    c.put(snap, 2, 'a', block(2600, 1));
    c.put(c.snapshot(2, 2), 2, 'a', block(2600, 1));
    assert.equal(c.get(2, 'a'), undefined);
    assert.equal(c.size, 1);
  });

  it('evicts the least recently used blocks past its bound', () => {
    const c = new SampleCache(4, 1000);
    const snap = c.snapshot(0, 9);
    c.put(snap, 0, 'a', block(0, 1, 1, 1));
    c.put(snap, 1, 'a', block(1000, 1, 1001, 1));
    c.used(0);
    c.put(snap, 2, 'a', block(2000, 1));
    assert.equal(c.size, 3);
    assert.equal(c.get(1, 'a'), undefined);
    assert.notEqual(c.get(0, 'a'), undefined);
    // More than the bound in one block is not held at all.
    c.put(snap, 5, 'a', block(5000, 1, 5001, 1, 5002, 1, 5003, 1, 5004, 1));
    assert.equal(c.get(5, 'a'), undefined);
    assert.ok(c.size <= 4);
  });

  it('holds nothing when its bound is 0', () => {
    const c = new SampleCache(0, 1000);
    assert.equal(c.enabled, false);
    c.put(c.snapshot(0, 0), 0, 'a', block(1, 1));
    assert.equal(c.get(0, 'a'), undefined);
  });

  it('lists the blocks of a time range', () => {
    const c = new SampleCache(10, 1000);
    assert.deepEqual([...c.blocksBetween(1000, 3000)], [1, 2]);
    assert.deepEqual([...c.blocksBetween(-1, 1)], [-1, 0]);
    assert.deepEqual([...c.blocksOf([-1, 0, 999, 1000])], [-1, 0, 1]);
  });
});
