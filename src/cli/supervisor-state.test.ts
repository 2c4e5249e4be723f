import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EXIT_CONFIG } from './io';
import {
  backoffDelay,
  initialState,
  onExit,
  onReady,
  onRestart,
  onSpawned,
  onStopping,
  statusLine,
  type BackoffPolicy,
  type ChildState,
} from './supervisor-state';

const policy: BackoffPolicy = {
  initialMs: 500,
  factor: 2,
  maxMs: 30_000,
  stableMs: 60_000,
  maxStreak: 10,
};
const crash = { code: 1, signal: null };

function upAt(now: number, s: ChildState = initialState('svc')): ChildState {
  return onReady(onSpawned(s, 100, now));
}

describe('backoffDelay', () => {
  const table: Array<[number, number]> = [
    [1, 500],
    [2, 1000],
    [3, 2000],
    [4, 4000],
    [6, 16_000],
    [7, 30_000],
    [50, 30_000],
  ];
  for (const [streak, ms] of table) {
    it(`waits ${ms} ms before restart ${streak} of a streak`, () => {
      assert.equal(backoffDelay(streak, policy), ms);
    });
  }
});

describe('onExit', () => {
  it('restarts a crashed child after the initial delay and records the exit', () => {
    const { state, decision } = onExit(upAt(0), crash, 1000, false, policy);
    assert.deepEqual(decision, { kind: 'restart', delayMs: 500 });
    assert.equal(state.phase, 'backoff');
    assert.equal(state.pid, undefined);
    assert.deepEqual(state.lastExit, crash);
  });

  it('doubles the delay for each quick death in a row', () => {
    let s = upAt(0);
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      const r = onExit(s, crash, i * 10 + 5, false, policy);
      delays.push(r.decision.kind === 'restart' ? r.decision.delayMs : -1);
      s = onReady(onSpawned(onRestart(r.state), 200 + i, i * 10 + 6));
    }
    assert.deepEqual(delays, [500, 1000, 2000, 4000]);
    assert.equal(s.restarts, 4);
  });

  it('starts a new streak after a stable run', () => {
    let s = upAt(0);
    for (let i = 0; i < 3; i++)
      s = onSpawned(onRestart(onExit(s, crash, 1, false, policy).state), 1, 1);
    const r = onExit(s, crash, 1 + 60_000, false, policy);
    assert.deepEqual(r.decision, { kind: 'restart', delayMs: 500 });
    assert.equal(r.state.streak, 1);
  });

  it('gives up after maxStreak quick deaths in a row', () => {
    let s = upAt(0);
    const kinds: string[] = [];
    for (let i = 0; i < 11; i++) {
      const r = onExit(s, crash, i + 1, false, policy);
      kinds.push(r.decision.kind);
      s = r.decision.kind === 'restart' ? onSpawned(onRestart(r.state), 1, i + 1) : r.state;
    }
    assert.deepEqual(kinds, [...Array<string>(10).fill('restart'), 'give-up']);
    assert.equal(s.phase, 'failed');
    assert.equal(s.restarts, 10);
  });

  it('never gives up on a child that keeps running a while between deaths', () => {
    let s = upAt(0);
    let now = 0;
    for (let i = 0; i < 30; i++) {
      now += 61_000;
      const r = onExit(s, crash, now, false, policy);
      assert.deepEqual(r.decision, { kind: 'restart', delayMs: 500 });
      s = onSpawned(onRestart(r.state), 1, now + 500);
    }
  });

  it('leaves a child down at once when it exits with EXIT_CONFIG (78)', () => {
    const r = onExit(upAt(0), { code: EXIT_CONFIG, signal: null }, 5, false, policy);
    assert.deepEqual(r.decision, { kind: 'give-up' });
    assert.equal(r.state.phase, 'failed');
    assert.equal(EXIT_CONFIG, 78);
    // Any other code is still retried.
    assert.equal(
      onExit(upAt(0), { code: 77, signal: null }, 5, false, policy).decision.kind,
      'restart',
    );
  });

  it('leaves a child down while the lab stops', () => {
    const r = onExit(onStopping(upAt(0)), { code: null, signal: 'SIGTERM' }, 5, false, policy);
    assert.deepEqual(r.decision, { kind: 'stay-stopped' });
    assert.equal(r.state.phase, 'stopped');
    const r2 = onExit(upAt(0), crash, 5, true, policy);
    assert.deepEqual(r2.decision, { kind: 'stay-stopped' });
  });
});

describe('statusLine', () => {
  it('counts children up and lists restarts', () => {
    const a = upAt(0, initialState('cart'));
    let b = upAt(0, initialState('recommendation'));
    b = onExit(b, crash, 1, false, policy).state;
    b = onReady(onSpawned(onRestart(b), 3, 2));
    b = onReady(onSpawned(onRestart(onExit(b, crash, 3, false, policy).state), 4, 4));
    const c = onExit(upAt(0, initialState('ad')), crash, 1, false, policy).state;
    assert.equal(
      statusLine([a, b, c]),
      '2/3 up | not up: ad (backoff) | restarts: recommendation 2',
    );
  });

  it('says none when nothing restarted', () => {
    assert.equal(statusLine([upAt(0)]), '1/1 up | restarts: none');
  });
});
