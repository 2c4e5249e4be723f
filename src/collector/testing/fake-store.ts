// Test support: a store that only records writes, each held until released,
// so tests can observe group commit, backpressure and failures.

import type { Span, TelemetryBatch } from '../../model/telemetry';

export class FakeStore {
  readonly written: TelemetryBatch[] = [];
  private readonly held: { batch: TelemetryBatch; resolve(): void; reject(e: Error): void }[] = [];
  /** When false, writes complete at once. */
  hold = false;
  failNext: Error | undefined;

  write(batch: TelemetryBatch): Promise<void> {
    if (this.failNext !== undefined) {
      const e = this.failNext;
      this.failNext = undefined;
      return Promise.reject(e);
    }
    if (!this.hold) {
      this.written.push(batch);
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => this.held.push({ batch, resolve, reject }));
  }

  get heldCount(): number {
    return this.held.length;
  }

  /** Completes the oldest held write. */
  release(fail?: Error): void {
    const h = this.held.shift();
    if (h === undefined) throw new Error('no held write');
    if (fail !== undefined) h.reject(fail);
    else {
      this.written.push(h.batch);
      h.resolve();
    }
  }

  spans(): Span[] {
    return this.written.flatMap((b) => [...(b.spans ?? [])]);
  }
}

/** Lets pending promise callbacks run. */
export function tick(): Promise<void> {
  return new Promise((r) => setImmediate(r));
}
