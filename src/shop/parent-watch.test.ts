import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { watchSupervisor } from './parent-watch';

describe('watchSupervisor', () => {
  it('calls onGone once the parent is no longer the supervisor', async () => {
    let ppid = 42;
    let gone = 0;
    watchSupervisor(
      () => gone++,
      { OTEL_LAB_SUPERVISOR_PID: '42' },
      () => ppid,
      5,
    );
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(gone, 0);
    ppid = 1;
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(gone, 1);
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(gone, 1);
  });

  it('does nothing outside a supervisor', async () => {
    let gone = 0;
    const stop = watchSupervisor(
      () => gone++,
      {},
      () => 1,
      5,
    );
    await new Promise((r) => setTimeout(r, 20));
    stop();
    assert.equal(gone, 0);
  });
});
