// The in-memory side of one interning table (resources or scopes): key -> id
// so a write reuses a row, id -> value so a read rebuilds the object. Both
// are bounded caches of the table, not copies of it:
// - a key that fell out makes a write insert the same content again under a
//   new id (a duplicate row, correct for every read; retention removes it
//   once nothing refers to it);
// - an id that fell out is noted as a miss when a read asks for it; the
//   store loads the missed rows and runs the read again (Catalog.loadMissing).

import { AsyncLocalStorage } from 'node:async_hooks';

/** Entries kept per map unless told otherwise: far beyond any normal sender. */
export const DEFAULT_INTERNED_ENTRIES = 50_000;

/**
 * A Map whose `get` remembers the ids it did not have. Inside a read run by
 * ReadRows.run, an id the bounded entries lack is looked up in that read's
 * own rows, and a miss is noted for that read alone: loading what one read
 * needs cannot evict what the same read needs (a result may use more
 * resources than the bound), and concurrent reads do not take each other's
 * misses.
 */
export class IdCache<V> extends Map<number, V> {
  readonly misses = new Set<number>();

  override get(id: number): V | undefined {
    const v = super.get(id);
    if (v !== undefined) return v;
    const read = currentRead.getStore();
    if (read === undefined) {
      this.misses.add(id);
      return undefined;
    }
    return read.lookup(this, id);
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
   * it. With `read`, the row also stays readable for that read until it ends.
   */
  cache(id: number, value: V, read?: ReadRows): void {
    this.values.set(id, value);
    trim(this.values, this.max);
    read?.keep(this.values, id, value);
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

  /** The ids reads missed since the last call (the ids `read` missed, with one). */
  takeMisses(read?: ReadRows): number[] {
    if (read !== undefined) return read.takeMisses(this.values);
    const out = [...this.values.misses];
    this.values.misses.clear();
    return out;
  }

  get keys(): number {
    return this.ids.size;
  }
}

const currentRead = new AsyncLocalStorage<ReadRows>();

interface Held {
  readonly rows: Map<number, unknown>;
  readonly misses: Set<number>;
}

/**
 * The rows one read loaded, readable by it until it ends whatever the bound
 * evicts meanwhile: bounded by the ids the read itself missed (and their
 * neighbours, see Catalog.loadMissing), not by the cache.
 */
export class ReadRows {
  // Keyed by the cache object; each entry only ever holds values of that cache's type.
  private readonly held = new Map<IdCache<unknown>, Held>();

  /** Runs `task` (and everything it awaits) as this read. */
  run<T>(task: () => Promise<T>): Promise<T> {
    return currentRead.run(this, task);
  }

  private of<V>(cache: IdCache<V>): Held {
    const key = cache as unknown as IdCache<unknown>;
    let h = this.held.get(key);
    if (h === undefined) {
      h = { rows: new Map(), misses: new Set() };
      this.held.set(key, h);
    }
    return h;
  }

  lookup<V>(cache: IdCache<V>, id: number): V | undefined {
    const h = this.of(cache);
    const v = h.rows.get(id) as V | undefined;
    if (v === undefined) h.misses.add(id);
    return v;
  }

  keep<V>(cache: IdCache<V>, id: number, value: V): void {
    this.of(cache).rows.set(id, value);
  }

  takeMisses<V>(cache: IdCache<V>): number[] {
    const h = this.of(cache);
    const out = [...h.misses];
    h.misses.clear();
    return out;
  }

  /** How many rows this read holds. */
  get size(): number {
    let n = 0;
    for (const h of this.held.values()) n += h.rows.size;
    return n;
  }
}
