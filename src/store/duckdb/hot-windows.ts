// Where each trace's rows in the hot trace index lie in time, held in
// memory so a trace by id probes only the cold part's ART: a scan of the
// unindexed hot table cost ~2 ms of CPU per lookup at 75-150k rows, the
// ART 0.4 ms. Noted before a write commits and kept until a move has
// committed, so a window here is never narrower than the committed hot rows
// (wider is harmless: it only bounds a scan of spans). Bounded: past
// `maxTraces` it stops being complete and readers scan the hot table again
// until the next move. A move runs in slices with writes in between, so
// during one the windows noted since it began are also kept apart: they
// are the ones still needed once it has moved every older row.

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
  /** During a move: the windows noted since it began. */
  private next: HotWindows | undefined;

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
    this.next?.note(traceId, lo, hi);
    this.add(traceId, lo, hi);
  }

  private add(traceId: string, lo: bigint, hi: bigint): void {
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

  /** After a move committed with no write since it began: the hot table is empty. */
  clear(): void {
    this.slots.clear();
    if (this.lo.length > 1024) {
      this.lo = new BigInt64Array(1024);
      this.hi = new BigInt64Array(1024);
    }
    this.full = false;
    this.next = undefined;
  }

  /**
   * A move begins: until `endMove`, windows are noted twice, here and apart.
   * Called again after a move that failed, it starts apart afresh (this map
   * still covers every hot row).
   */
  beginMove(): void {
    this.next = new HotWindows(this.maxTraces);
  }

  /**
   * The move committed its last slice: every row older than its beginning
   * left the hot table, so only the windows noted since then are kept.
   */
  endMove(): void {
    const n = this.next;
    if (n === undefined) {
      this.clear();
      return;
    }
    this.next = undefined;
    this.slots.clear();
    for (const [id, at] of n.slots) this.slots.set(id, at);
    this.lo = n.lo;
    this.hi = n.hi;
    this.full = n.full;
  }

  /** Gives up on completeness (e.g. the hot table could not be read at open). */
  abandon(): void {
    this.full = true;
    this.slots.clear();
  }
}
