// Where each trace's rows in the hot trace index lie in time, held in
// memory so a trace by id probes only the cold part's ART: a scan of the
// unindexed hot table cost ~2 ms of CPU per lookup at 75-150k rows, the
// ART 0.4 ms. Noted before a write commits and kept until a move has
// committed, so a window here is never narrower than the committed hot rows
// (wider is harmless: it only bounds a scan of spans). Bounded: past
// `maxTraces` it stops being complete and readers scan the hot table again
// until the next move.

/** A time window, in nanoseconds, inclusive. */
export interface Window {
  readonly lo: bigint;
  readonly hi: bigint;
}

export class HotWindows {
  private readonly slots = new Map<string, number>();
  private lo = new BigInt64Array(1024);
  private hi = new BigInt64Array(1024);
  private full = false;

  constructor(private readonly maxTraces: number) {
    if (!Number.isInteger(maxTraces) || maxTraces < 1)
      throw new RangeError(`maxTraces must be a positive integer, got ${maxTraces}`);
  }

  /** Whether every trace with hot rows has its window here. */
  get complete(): boolean {
    return !this.full;
  }

  get size(): number {
    return this.slots.size;
  }

  /** Widens (or adds) the window of a trace (lowercase hex id). */
  note(traceId: string, lo: bigint, hi: bigint): void {
    if (this.full) return;
    const at = this.slots.get(traceId);
    if (at !== undefined) {
      if (lo < this.lo[at]!) this.lo[at] = lo;
      if (hi > this.hi[at]!) this.hi[at] = hi;
      return;
    }
    const n = this.slots.size;
    if (n >= this.maxTraces) {
      // Incomplete from here on: drop the memory too, readers scan the table.
      this.full = true;
      this.slots.clear();
      this.lo = new BigInt64Array(1024);
      this.hi = new BigInt64Array(1024);
      return;
    }
    if (n === this.lo.length) {
      const lo2 = new BigInt64Array(n * 2);
      const hi2 = new BigInt64Array(n * 2);
      lo2.set(this.lo);
      hi2.set(this.hi);
      this.lo = lo2;
      this.hi = hi2;
    }
    this.slots.set(traceId, n);
    this.lo[n] = lo;
    this.hi[n] = hi;
  }

  get(traceId: string): Window | undefined {
    const at = this.slots.get(traceId);
    return at === undefined ? undefined : { lo: this.lo[at]!, hi: this.hi[at]! };
  }

  /** After a move committed: the hot table is empty. */
  clear(): void {
    this.slots.clear();
    if (this.lo.length > 1024) {
      this.lo = new BigInt64Array(1024);
      this.hi = new BigInt64Array(1024);
    }
    this.full = false;
  }

  /** Gives up on completeness (e.g. the hot table could not be read at open). */
  abandon(): void {
    this.full = true;
    this.slots.clear();
  }
}
