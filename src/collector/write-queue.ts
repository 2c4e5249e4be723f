// A bounded queue in front of store.write with group commit: one write runs
// at a time; batches arriving meanwhile are merged into the next write, so a
// slow commit is amortised over many requests. Each enqueue resolves only
// when the write holding its data has committed, and is rejected when it
// failed (the store writes a merged group atomically, so a failed group
// leaves nothing behind).

import type { TelemetryBatch } from '../model/telemetry';

export class BackpressureError extends Error {
  override readonly name = 'BackpressureError';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** Seconds a client is told to wait after a failed store write (a full disk does not clear in 1 s). */
export const WRITE_FAILED_RETRY_SECONDS = 5;

export class WriteFailedError extends Error {
  override readonly name = 'WriteFailedError';
}

export interface WriteQueueOptions {
  /** Items (spans + points + log records + samples) waiting or being written before new batches are refused. */
  readonly maxQueuedItems: number;
  /** Upper bound of items merged into one store.write (a single larger batch is written alone). */
  readonly maxGroupItems: number;
  readonly retryAfterSeconds: number;
}

interface Pending {
  readonly batch: TelemetryBatch;
  readonly items: number;
  resolve(): void;
  reject(e: Error): void;
}

export function batchItems(b: TelemetryBatch): number {
  return (
    (b.spans?.length ?? 0) +
    (b.metrics?.length ?? 0) +
    (b.logs?.length ?? 0) +
    (b.samples?.length ?? 0)
  );
}

export class WriteQueue {
  private readonly pending: Pending[] = [];
  private queuedItems = 0;
  private inFlightItems = 0;
  private writing = false;
  private idle: (() => void)[] = [];
  writes = 0;
  failures = 0;
  lastError = '';

  constructor(
    private readonly write: (batch: TelemetryBatch) => Promise<void>,
    private readonly opts: WriteQueueOptions,
  ) {}

  get depthItems(): number {
    return this.queuedItems + this.inFlightItems;
  }

  get depthBatches(): number {
    return this.pending.length;
  }

  /** Whether a batch of `items` would be refused now. */
  isFull(items: number): boolean {
    const depth = this.depthItems;
    // An empty queue takes any batch, else one batch over the bound could never be written.
    return depth > 0 && depth + items > this.opts.maxQueuedItems;
  }

  /**
   * Resolves when the batch is durable. Rejects with BackpressureError
   * (nothing queued) when full, unless `force` (small internal batches).
   */
  enqueue(batch: TelemetryBatch, force = false): Promise<void> {
    const items = batchItems(batch);
    if (!force && this.isFull(items)) {
      return Promise.reject(
        new BackpressureError(
          `write queue full (${this.depthItems} items waiting, limit ${this.opts.maxQueuedItems}); retry after ${this.opts.retryAfterSeconds} s`,
          this.opts.retryAfterSeconds,
        ),
      );
    }
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ batch, items, resolve, reject });
      this.queuedItems += items;
      this.pump();
    });
  }

  /** Resolves once everything queued so far has been written (or failed). */
  drain(): Promise<void> {
    if (!this.writing && this.pending.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private pump(): void {
    if (this.writing) return;
    if (this.pending.length === 0) {
      const waiters = this.idle;
      this.idle = [];
      for (const w of waiters) w();
      return;
    }
    const group: Pending[] = [];
    let items = 0;
    while (this.pending.length > 0) {
      const next = this.pending[0] as Pending;
      if (group.length > 0 && items + next.items > this.opts.maxGroupItems) break;
      group.push(next);
      items += next.items;
      this.pending.shift();
    }
    this.queuedItems -= items;
    this.inFlightItems = items;
    this.writing = true;
    const merged =
      group.length === 1 ? (group[0] as Pending).batch : mergeBatches(group.map((p) => p.batch));
    let done: Promise<void>;
    try {
      done = this.write(merged);
    } catch (e) {
      done = Promise.reject(e);
    }
    done
      .then(
        () => {
          this.writes++;
          for (const p of group) p.resolve();
        },
        (e: unknown) => {
          this.failures++;
          const msg = e instanceof Error ? e.message : String(e);
          this.lastError = msg;
          const err = new WriteFailedError(
            `store write failed, nothing of this request was stored: ${msg}`,
          );
          for (const p of group) p.reject(err);
        },
      )
      .finally(() => {
        this.writing = false;
        this.inFlightItems = 0;
        this.pump();
      });
  }
}

export function mergeBatches(batches: readonly TelemetryBatch[]): TelemetryBatch {
  const spans = [];
  const metrics = [];
  const logs = [];
  const samples = [];
  const exemplars = [];
  const metadata = [];
  for (const b of batches) {
    if (b.spans) for (const x of b.spans) spans.push(x);
    if (b.metrics) for (const x of b.metrics) metrics.push(x);
    if (b.logs) for (const x of b.logs) logs.push(x);
    if (b.samples) for (const x of b.samples) samples.push(x);
    if (b.exemplars) for (const x of b.exemplars) exemplars.push(x);
    if (b.metadata) for (const x of b.metadata) metadata.push(x);
  }
  const out: { -readonly [K in keyof TelemetryBatch]: TelemetryBatch[K] } = {};
  if (spans.length) out.spans = spans;
  if (metrics.length) out.metrics = metrics;
  if (logs.length) out.logs = logs;
  if (samples.length) out.samples = samples;
  if (exemplars.length) out.exemplars = exemplars;
  if (metadata.length) out.metadata = metadata;
  return out;
}
