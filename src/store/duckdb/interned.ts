// The in-memory side of one interning table (resources or scopes): key -> id
// so a write reuses a row, id -> value so a read rebuilds the object. Both
// are bounded caches of the table, not copies of it:
// - a key that fell out makes a write insert the same content again under a
//   new id (a duplicate row, correct for every read; retention removes it
//   once nothing refers to it);
// - an id that fell out is noted as a miss when a read asks for it; the
//   store loads the missed rows and runs the read again (Catalog.loadMissing).

/** Entries kept per map unless told otherwise: far beyond any normal sender. */
export const DEFAULT_INTERNED_ENTRIES = 50_000;

/**
 * A Map whose `get` remembers the ids it did not have. Besides the bounded
 * entries it answers from `pinned`: rows loaded for reads still running, held
 * outside the bound so loading what one read needs cannot evict what the
 * same read needs (a result may use more resources than the bound).
 */
export class IdCache<V> extends Map<number, V> {
  readonly misses = new Set<number>();
  /** id -> value and how many running reads hold it. */
  private readonly pinned = new Map<number, { value: V; holders: number }>();

  override get(id: number): V | undefined {
    const v = super.get(id) ?? this.pinned.get(id)?.value;
    if (v === undefined) this.misses.add(id);
    return v;
  }

  pin(id: number, value: V): void {
    const p = this.pinned.get(id);
    if (p === undefined) this.pinned.set(id, { value, holders: 1 });
    else p.holders++;
  }

  unpin(id: number): void {
    const p = this.pinned.get(id);
    if (p === undefined) return;
    if (--p.holders <= 0) this.pinned.delete(id);
  }

  /** Entries held for running reads, beyond the bound (health and tests). */
  get pinnedSize(): number {
    return this.pinned.size;
  }
}

/** Drops the oldest entries (insertion order) down to 90% of `max`. */
function trim<K, V>(m: Map<K, V>, max: number): void {
  if (m.size <= max) return;
  let n = m.size - Math.floor(max * 0.9);
  for (const k of m.keys()) {
    if (n-- <= 0) break;
    m.delete(k);
  }
}

export class Interned<V> {
  private readonly ids = new Map<string, number>();
  readonly values = new IdCache<V>();
  /** Removed from the table by the last retention run; see retire. */
  private retiring: number[] = [];

  constructor(readonly max: number = DEFAULT_INTERNED_ENTRIES) {
    if (!Number.isSafeInteger(max) || max < 1)
      throw new RangeError(`interned entries must be a positive integer, got ${max}`);
  }

  idOf(key: string): number | undefined {
    return this.ids.get(key);
  }

  /** A row the table holds (loaded, or committed by a write). */
  add(id: number, key: string, value: V): void {
    this.ids.set(key, id);
    this.values.set(id, value);
    trim(this.ids, this.max);
    trim(this.values, this.max);
  }

  /**
   * A row loaded by id for a read: its key stays unknown until a write meets
   * it. With `pins`, the row also stays readable until pins.release().
   */
  cache(id: number, value: V, pins?: Pins): void {
    this.values.set(id, value);
    trim(this.values, this.max);
    if (pins !== undefined && pins.hold(this, id)) this.values.pin(id, value);
  }

  clear(): void {
    this.ids.clear();
    this.values.clear();
    // Pinned rows stay: their reads are still running and release them.
    this.values.misses.clear();
    this.retiring = [];
  }

  /**
   * Rows deleted from the table. Their keys go now, so a write can no longer
   * refer to them (it inserts a new row instead). Their values stay until the
   * next call: a read whose snapshot predates the delete may still meet them.
   */
  retire(deleted: readonly number[]): void {
    for (const id of this.retiring) this.values.delete(id);
    this.retiring = [...deleted];
    if (deleted.length === 0) return;
    const gone = new Set(deleted);
    for (const [key, id] of this.ids) if (gone.has(id)) this.ids.delete(key);
  }

  /** The ids reads missed since the last call. */
  takeMisses(): number[] {
    const out = [...this.values.misses];
    this.values.misses.clear();
    return out;
  }

  get keys(): number {
    return this.ids.size;
  }
}

/**
 * The rows one read had loaded, kept readable until the read ends: bounded by
 * the ids the read itself missed (and their neighbours), not by the cache.
 */
export class Pins {
  private readonly held = new Map<Interned<unknown>, Set<number>>();

  /** True when this read did not hold the id yet (the caller pins it once). */
  hold<V>(table: Interned<V>, id: number): boolean {
    const key = table as Interned<unknown>;
    let ids = this.held.get(key);
    if (ids === undefined) {
      ids = new Set();
      this.held.set(key, ids);
    }
    if (ids.has(id)) return false;
    ids.add(id);
    return true;
  }

  /** How many rows this read holds. */
  get size(): number {
    let n = 0;
    for (const ids of this.held.values()) n += ids.size;
    return n;
  }

  release(): void {
    for (const [table, ids] of this.held) for (const id of ids) table.values.unpin(id);
    this.held.clear();
  }
}
