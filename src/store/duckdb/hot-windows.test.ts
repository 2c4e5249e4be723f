import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { HotWindows } from './hot-windows';

const id = (n: number): string => n.toString(16).padStart(32, '0');

describe('HotWindows', () => {
  it('widens a trace window with every note, never narrows it', () => {
    const w = new HotWindows(10);
    w.note(id(1), 50n, 60n);
    w.note(id(1), 55n, 58n);
    w.note(id(1), 40n, 45n);
    w.note(id(1), 70n, 90n);
    assert.deepEqual(w.get(id(1)), { lo: 40n, hi: 90n });
    assert.equal(w.get(id(2)), undefined);
    assert.ok(w.complete);
  });

  it('keeps exact 64-bit times past its initial capacity', () => {
    const w = new HotWindows(5_000);
    const big = (1n << 62n) + 1n;
    for (let i = 0; i < 3_000; i++) w.note(id(i), big + BigInt(i), big + BigInt(2 * i));
    assert.equal(w.size, 3_000);
    assert.deepEqual(w.get(id(2_999)), { lo: big + 2_999n, hi: big + 5_998n });
    assert.deepEqual(w.get(id(0)), { lo: big, hi: big });
  });

  it('stops being complete past its bound, and is again once cleared', () => {
    const w = new HotWindows(2);
    w.note(id(1), 1n, 2n);
    w.note(id(2), 1n, 2n);
    w.note(id(1), 0n, 3n); // a known trace: still within the bound
    assert.ok(w.complete);
    w.note(id(3), 1n, 2n);
    assert.equal(w.complete, false);
    assert.equal(w.get(id(1)), undefined);
    w.clear();
    assert.ok(w.complete);
    assert.equal(w.size, 0);
    w.abandon();
    assert.equal(w.complete, false);
  });

  it('during a move covers every trace, after it only those noted since it began', () => {
    const w = new HotWindows(3);
    w.note(id(1), 10n, 20n);
    w.note(id(2), 10n, 20n);
    w.beginMove();
    w.note(id(2), 30n, 40n); // written again during the move
    w.note(id(3), 50n, 60n);
    assert.deepEqual(w.get(id(1)), { lo: 10n, hi: 20n });
    assert.deepEqual(w.get(id(2)), { lo: 10n, hi: 40n });
    w.note(id(4), 1n, 2n); // past the bound here, not in what the move keeps
    assert.equal(w.complete, false);
    w.endMove();
    assert.ok(w.complete);
    assert.equal(w.size, 3);
    assert.equal(w.get(id(1)), undefined);
    assert.deepEqual(w.get(id(2)), { lo: 30n, hi: 40n });
    assert.deepEqual(w.get(id(4)), { lo: 1n, hi: 2n });
    w.note(id(2), 7n, 8n); // after the move: noted in place
    assert.deepEqual(w.get(id(2)), { lo: 7n, hi: 40n });
    w.endMove(); // no move began: nothing noted since is kept apart
    assert.equal(w.size, 0);
  });

  it('refuses a bound that is not a positive integer', () => {
    assert.throws(() => new HotWindows(0), RangeError);
    assert.throws(() => new HotWindows(1.5), RangeError);
  });
});
