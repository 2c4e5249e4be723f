// In-process copies of the small tables (resources, scopes, series), so a
// write interns them without a query and a read rebuilds a Resource or a
// label set from an id. New entries are staged per write and only become
// visible when the write commits.

import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';

import type { EntityRef, InstrumentationScope, Labels, Resource } from '../../model/telemetry';
import { normalizeLabels, seriesKey } from '../labels';
import { serviceOf } from '../span-match';
import { decodeAttributes, encodeAttributes } from '../values';
import { asNum, asStr, listItems } from './codec';
import { Interned, ReadRows } from './interned';
import type { IdCache } from './interned';
import { inTransaction, limitParam, read } from './params';
import { SeriesIndex } from './series-index';
import { query } from './sql';

export interface NewResource {
  readonly id: number;
  readonly service: string;
  readonly attributes: string;
  /** The `entity_refs` column: null when the resource has none. */
  readonly entityRefs: string | null;
  readonly resource: Resource;
}
export interface NewScope {
  readonly id: number;
  readonly attributes: string;
  readonly scope: InstrumentationScope;
}
export interface NewKeyset {
  readonly id: number;
  readonly keys: readonly string[];
}
export interface NewSeries {
  readonly id: number;
  readonly metric: string;
  readonly key: string;
  readonly labels: Labels;
}

// The translator hands out one frozen object per label set and reuses it
// batch after batch: its key is computed once. Only frozen objects, whose
// labels cannot change after the key was taken.
const frozenKeys = new WeakMap<Labels, string>();
function keyOf(labels: Labels): string {
  if (!Object.isFrozen(labels)) return seriesKey(labels);
  let key = frozenKeys.get(labels);
  if (key === undefined) {
    key = seriesKey(labels);
    frozenKeys.set(labels, key);
  }
  return key;
}

const resourceKey = (r: Resource, attrs: string, refs: string | null): string =>
  JSON.stringify([attrs, r.droppedAttributesCount, r.schemaUrl, refs ?? '']);

/** Resource.entityRefs as stored (see migration 003); null for none. */
export function encodeEntityRefs(refs: readonly EntityRef[] | undefined): string | null {
  if (refs === undefined || refs.length === 0) return null;
  return JSON.stringify(
    refs.map((e) => ({ s: e.schemaUrl, t: e.type, i: e.idKeys, d: e.descriptionKeys })),
  );
}

export function decodeEntityRefs(text: string): EntityRef[] {
  const rows = JSON.parse(text) as { s: string; t: string; i: string[]; d: string[] }[];
  return rows.map((e) => ({ schemaUrl: e.s, type: e.t, idKeys: e.i, descriptionKeys: e.d }));
}
const scopeKey = (s: InstrumentationScope, attrs: string): string =>
  JSON.stringify([s.name, s.version, attrs, s.droppedAttributesCount, s.schemaUrl]);

type Row = Record<string, DuckDBValue>;

/**
 * Span attributes are stored as a key set id plus values by position (see
 * migration 004) when a span has at most ATTRIBUTE_SLOTS keys and its key
 * set is among the first MAX_KEYSETS ones; any other span keeps a JSON
 * object. Key sets are never deleted, so the table stays that small and the
 * catalog holds all of it. (Migration 004 caps its conversion at 4096 too.)
 */
export const ATTRIBUTE_SLOTS = 16;
export const MAX_KEYSETS = 4096;
/**
 * Keys are client text of any length: a key set whose keys add up to more
 * UTF-16 units than this stays JSON, so the catalog holds at most
 * MAX_KEYSETS x this (16 MiB).
 */
export const MAX_KEYSET_CHARS = 2048;

/** A key set's key in the catalog; two key lists can share one (keys with NUL), so a hit is compared. */
export const keysetKey = (keys: readonly string[]): string => keys.join('\u0000');

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function keysetOf(row: Row): readonly string[] {
  return Object.freeze(listItems(row['keys'] ?? null).map((k) => asStr(k)));
}

function resourceOf(row: Row): { key: string; resource: Resource } {
  const refs = row['entity_refs'];
  const refsText = refs === null || refs === undefined ? null : asStr(refs);
  const attrs = asStr(row['attributes']!);
  const resource: Resource = {
    attributes: decodeAttributes(attrs),
    droppedAttributesCount: asNum(row['dropped_attributes_count']!),
    schemaUrl: asStr(row['schema_url']!),
    ...(refsText === null ? {} : { entityRefs: decodeEntityRefs(refsText) }),
  };
  return { key: resourceKey(resource, attrs, refsText), resource };
}

function scopeOf(row: Row): { key: string; scope: InstrumentationScope } {
  const attrs = asStr(row['attributes']!);
  const scope: InstrumentationScope = {
    name: asStr(row['name']!),
    version: asStr(row['version']!),
    attributes: decodeAttributes(attrs),
    droppedAttributesCount: asNum(row['dropped_attributes_count']!),
    schemaUrl: asStr(row['schema_url']!),
  };
  return { key: scopeKey(scope, attrs), scope };
}

export class Catalog {
  private readonly resourceTable: Interned<Resource>;
  private readonly scopeTable: Interned<InstrumentationScope>;
  private readonly keysetTable: Interned<readonly string[]>;
  /** id -> the keys of an attribute key set, in slot order. */
  readonly keysets: IdCache<readonly string[]>;
  /** id -> Resource, a bounded cache (see interned.ts): a miss is noted for loadMissing. */
  readonly resources: IdCache<Resource>;
  readonly scopes: IdCache<InstrumentationScope>;
  /** Ids of frozen label objects seen before (see keyOf); renewed when ids can change. */
  private idsByObject = new WeakMap<Labels, number>();
  /** Prometheus series, bounded (series-index.ts). */
  readonly seriesIndex: SeriesIndex;
  /** Services that have spans: the Jaeger UI asks for this list all the time. */
  readonly spanServices = new Set<string>();

  /**
   * `maxEntries` bounds each resource and scope map, `maxSeries` the series
   * held in memory (tests set them low).
   */
  constructor(maxEntries?: number, maxSeries?: number) {
    this.seriesIndex = new SeriesIndex(maxSeries);
    this.resourceTable = new Interned(maxEntries);
    this.scopeTable = new Interned(maxEntries);
    this.keysetTable = new Interned(Math.min(maxEntries ?? MAX_KEYSETS, MAX_KEYSETS));
    this.resources = this.resourceTable.values;
    this.scopes = this.scopeTable.values;
    this.keysets = this.keysetTable.values;
  }

  /** Key sets a write may intern (their ids run from 1 and are never reused). */
  get maxKeysets(): number {
    return this.keysetTable.max;
  }

  async load(conn: DuckDBConnection): Promise<void> {
    const limit = { limit: limitParam(this.resourceTable.max) };
    this.resourceTable.clear();
    const resources = (await read(conn, query('load-resources'), limit)).getRowObjects();
    // Newest first from the query; added oldest first, so the newest are trimmed last.
    for (const row of resources.reverse()) {
      const { key, resource } = resourceOf(row);
      this.resourceTable.add(asNum(row['id']!), key, resource);
    }
    this.scopeTable.clear();
    const scopes = (await read(conn, query('load-scopes'), limit)).getRowObjects();
    for (const row of scopes.reverse()) {
      const { key, scope } = scopeOf(row);
      this.scopeTable.add(asNum(row['id']!), key, scope);
    }
    this.keysetTable.clear();
    // A store opened at a schema version before 4 (tests do) has no key sets.
    const hasKeysets = (await read(conn, query('has-keysets'))).getRows().length > 0;
    const keysets = hasKeysets
      ? (await read(conn, query('load-keysets'), limit)).getRowObjects()
      : [];
    for (const row of keysets.reverse()) {
      const keys = keysetOf(row);
      this.keysetTable.add(asNum(row['id']!), keysetKey(keys), keys);
    }
    await this.loadSeries(conn);
    await this.loadSpanServices(conn);
    this.noteIds();
  }

  async loadSpanServices(conn: DuckDBConnection): Promise<void> {
    this.spanServices.clear();
    for (const [svc] of (await conn.runAndReadAll(query('span-services'))).getRows())
      this.spanServices.add(asStr(svc!));
  }

  async loadSeries(conn: DuckDBConnection): Promise<void> {
    this.idsByObject = new WeakMap();
    await this.seriesIndex.load(conn);
    this.noteIds();
  }

  /** Sets how many series memory holds (tests; see DEFAULT_SERIES_ENTRIES). */
  limitSeries(max: number): void {
    this.seriesIndex.setLimit(max);
  }

  begin(): Staged {
    return new Staged(this);
  }

  /** Called by Staged.commit once the transaction committed. */
  adopt(s: Staged): void {
    for (const r of s.newResources)
      this.resourceTable.add(r.id, resourceKey(r.resource, r.attributes, r.entityRefs), r.resource);
    for (const sc of s.newScopes)
      this.scopeTable.add(sc.id, scopeKey(sc.scope, sc.attributes), sc.scope);
    for (const k of s.newKeysets) this.keysetTable.add(k.id, keysetKey(k.keys), k.keys);
    for (const se of s.newSeries) this.seriesIndex.add(se.id, se.key, se.labels);
    for (const svc of s.spanServices) this.spanServices.add(svc);
    this.noteStaged(s);
  }

  private noteStaged(s: Staged): void {
    for (const r of s.newResources) this.maxResource = Math.max(this.maxResource, r.id);
    for (const sc of s.newScopes) this.maxScope = Math.max(this.maxScope, sc.id);
    for (const se of s.newSeries) this.maxSeries = Math.max(this.maxSeries, se.id);
    for (const k of s.newKeysets) this.maxKeyset = Math.max(this.maxKeyset, k.id);
  }

  lookupResource(key: string): number | undefined {
    return this.resourceTable.idOf(key);
  }
  lookupScope(key: string): number | undefined {
    return this.scopeTable.idOf(key);
  }
  /** The committed id under this key, whatever its keys. */
  lookupKeysetId(key: string): number | undefined {
    return this.keysetTable.idOf(key);
  }
  /** The committed id of exactly these keys (in this order), if interned. */
  lookupKeyset(keys: readonly string[], key: string): number | undefined {
    const id = this.keysetTable.idOf(key);
    if (id === undefined) return undefined;
    const known = this.keysets.get(id);
    return known !== undefined && sameKeys(known, keys) ? id : undefined;
  }

  /**
   * Deletes the resources and scopes no row refers to any more (run after
   * retention, inside the writer's turn so no write is staged meanwhile).
   */
  async dropUnused(conn: DuckDBConnection): Promise<{ resources: number; scopes: number }> {
    const ids = async (name: string): Promise<number[]> =>
      (await read(conn, query(name))).getRows().map(([id]) => asNum(id!));
    const [resources, scopes] = await inTransaction(conn, async () => [
      await ids('unused-resources'),
      await ids('unused-scopes'),
    ]);
    this.resourceTable.retire(resources);
    this.scopeTable.retire(scopes);
    return { resources: resources.length, scopes: scopes.length };
  }

  /**
   * Loads the rows reads missed in the caches, with the ids around each (a
   * read's rows were mostly interned at about the same time, and a read stops
   * at its first miss); true when it found any (the read is worth running again).
   * With `reader` (see beginRead) only that read's misses are loaded, and the
   * rows stay readable for it until it ends, whatever the bound evicts.
   */
  async loadMissing(conn: DuckDBConnection, reader?: ReadRows): Promise<boolean> {
    const load = async <V>(
      table: Interned<V>,
      name: string,
      build: (row: Row) => V,
    ): Promise<boolean> => {
      const missed = table.takeMisses(reader);
      if (missed.length === 0) return false;
      const half = Math.max(1, Math.min(128, Math.floor(table.max / 8)));
      const ranges = missed.map((id) => `id BETWEEN ${id - half} AND ${id + half}`).join(' OR ');
      const rows = (await read(conn, query(name).replaceAll('{{ranges}}', ranges))).getRowObjects();
      const wanted = new Set(missed);
      // The missed rows go in last, so the bound trims neighbours first.
      rows.sort(
        (a, b) => Number(wanted.has(asNum(a['id']!))) - Number(wanted.has(asNum(b['id']!))),
      );
      for (const row of rows) table.cache(asNum(row['id']!), build(row), reader);
      return rows.some((row) => wanted.has(asNum(row['id']!)));
    };
    const r = await load(this.resourceTable, 'resources-by-id', (row) => resourceOf(row).resource);
    const s = await load(this.scopeTable, 'scopes-by-id', (row) => scopeOf(row).scope);
    const k = await load(this.keysetTable, 'keysets-by-id', keysetOf);
    return r || s || k;
  }

  /** The rows one read loads, held for it alone (run the read with its `run`). */
  beginRead(): ReadRows {
    return new ReadRows();
  }

  /**
   * Looks up every row's resource, scope and key set before any row is decoded, so
   * one reload (`loadMissing`) fetches all that a read misses, not one id
   * per retry. Throws once when any is missing.
   */
  requireOwners(rows: readonly Record<string, DuckDBValue>[], what: string): void {
    let missing = false;
    for (const r of rows) {
      if (this.resources.get(asNum(r['resource_id']!)) === undefined) missing = true;
      if (this.scopes.get(asNum(r['scope_id']!)) === undefined) missing = true;
      const ks = r['keyset_id'];
      if (ks !== null && ks !== undefined && this.keysets.get(asNum(ks)) === undefined)
        missing = true;
    }
    if (missing)
      throw new Error(
        `${what} refers to a resource, scope or attribute key set the store does not have`,
      );
  }

  /** Entries held in memory, for health and tests. */
  sizes(): {
    resourceKeys: number;
    resources: number;
    scopeKeys: number;
    scopes: number;
    series: number;
  } {
    return {
      series: this.seriesIndex.size,
      resourceKeys: this.resourceTable.keys,
      resources: this.resources.size,
      scopeKeys: this.scopeTable.keys,
      scopes: this.scopes.size,
    };
  }
  lookupSeries(key: string): number | undefined {
    return this.seriesIndex.idOf(key);
  }
  /** The committed id of a label object, when it is frozen and was looked up before. */
  seriesIdOf(labels: Labels): number | undefined {
    return this.idsByObject.get(labels);
  }
  /** Remembers a committed id for a frozen label object. */
  noteSeriesObject(labels: Labels, id: number): void {
    if (Object.isFrozen(labels)) this.idsByObject.set(labels, id);
  }
  /** The next free id of each table (ids are never reused while the store is open). */
  nextIds(): { resource: number; scope: number; series: number; keyset: number } {
    return {
      resource: this.maxResource + 1,
      scope: this.maxScope + 1,
      series: this.maxSeries + 1,
      keyset: this.maxKeyset + 1,
    };
  }

  private maxResource = 0;
  private maxScope = 0;
  private maxSeries = 0;
  private maxKeyset = 0;

  private noteIds(): void {
    for (const id of this.keysets.keys()) this.maxKeyset = Math.max(this.maxKeyset, id);
    for (const id of this.resources.keys()) this.maxResource = Math.max(this.maxResource, id);
    for (const id of this.scopes.keys()) this.maxScope = Math.max(this.maxScope, id);
    this.maxSeries = Math.max(this.maxSeries, this.seriesIndex.highestId);
  }
}

/** The catalog as one write sees it: existing entries plus the ones it adds. */
export class Staged {
  readonly newResources: NewResource[] = [];
  readonly newScopes: NewScope[] = [];
  readonly newSeries: NewSeries[] = [];
  readonly newKeysets: NewKeyset[] = [];
  readonly spanServices = new Set<string>();
  private readonly byResource = new WeakMap<Resource, number>();
  private readonly serviceById = new Map<number, string>();
  private readonly byScope = new WeakMap<InstrumentationScope, number>();
  private readonly stagedKeys = new Map<string, number>();
  /** Stored ids of series memory had lost, found by resolveSeries. */
  private readonly resolved = new Map<string, number>();
  private nextResource: number;
  private nextScope: number;
  private nextSeries: number;
  private nextKeyset: number;
  private readonly stagedKeysets = new Map<string, NewKeyset>();

  constructor(private readonly catalog: Catalog) {
    const next = catalog.nextIds();
    this.nextKeyset = next.keyset;
    this.nextResource = next.resource;
    this.nextScope = next.scope;
    this.nextSeries = next.series;
  }

  resourceId(r: Resource): number {
    const known = this.byResource.get(r);
    if (known !== undefined) return known;
    const attrs = encodeAttributes(r.attributes);
    const refs = encodeEntityRefs(r.entityRefs);
    const key = resourceKey(r, attrs, refs);
    let id = this.catalog.lookupResource(key) ?? this.stagedKeys.get(`r${key}`);
    if (id === undefined) {
      id = this.nextResource++;
      this.stagedKeys.set(`r${key}`, id);
      this.newResources.push({
        id,
        service: serviceOf({ resource: r }),
        attributes: attrs,
        entityRefs: refs,
        resource: r,
      });
    }
    this.byResource.set(r, id);
    this.serviceById.set(id, serviceOf({ resource: r }));
    return id;
  }

  scopeId(s: InstrumentationScope): number {
    const known = this.byScope.get(s);
    if (known !== undefined) return known;
    const attrs = encodeAttributes(s.attributes);
    const key = scopeKey(s, attrs);
    let id = this.catalog.lookupScope(key) ?? this.stagedKeys.get(`s${key}`);
    if (id === undefined) {
      id = this.nextScope++;
      this.stagedKeys.set(`s${key}`, id);
      this.newScopes.push({ id, attributes: attrs, scope: s });
    }
    this.byScope.set(s, id);
    return id;
  }

  seriesId(labels: Labels): number {
    const known = this.catalog.seriesIdOf(labels);
    if (known !== undefined) return known;
    const key = keyOf(labels);
    const committed = this.catalog.lookupSeries(key) ?? this.resolved.get(key);
    if (committed !== undefined) {
      this.catalog.noteSeriesObject(labels, committed);
      return committed;
    }
    let id = this.stagedKeys.get(`x${key}`);
    if (id === undefined) {
      id = this.nextSeries++;
      this.stagedKeys.set(`x${key}`, id);
      const norm = normalizeLabels(labels);
      this.newSeries.push({ id, metric: norm['__name__'] ?? '', key, labels: norm });
    }
    return id;
  }

  /**
   * Finds the stored ids of these series where memory lost them (a query
   * only once series were evicted), so seriesId reuses them. Call it before
   * seriesId in the write's transaction; without it an evicted series is
   * stored again under a new id (reads still merge the two).
   */
  async resolveSeries(conn: DuckDBConnection, labelSets: Iterable<Labels>): Promise<void> {
    if (this.catalog.seriesIndex.holdsAll) return;
    const wanted = new Map<string, Labels>();
    for (const labels of labelSets) {
      if (this.catalog.seriesIdOf(labels) !== undefined) continue;
      const key = keyOf(labels);
      if (this.resolved.has(key)) continue;
      // Kept here too: the series found below go into memory and may push these out.
      const inMemory = this.catalog.lookupSeries(key);
      if (inMemory === undefined) wanted.set(key, labels);
      else this.resolved.set(key, inMemory);
    }
    if (wanted.size === 0) return;
    for (const [key, id] of await this.catalog.seriesIndex.resolve(conn, wanted))
      this.resolved.set(key, id);
  }

  /**
   * The key set id of a span's attribute keys (in their order), interned
   * now if new; undefined past MAX_KEYSETS (the span keeps a JSON object).
   */
  keysetId(keys: readonly string[]): number | undefined {
    const key = keysetKey(keys);
    const committed = this.catalog.lookupKeyset(keys, key);
    if (committed !== undefined) return committed;
    const staged = this.stagedKeysets.get(key);
    if (staged !== undefined) return sameKeys(staged.keys, keys) ? staged.id : undefined;
    // Another key list under the same key (keys holding NUL): leave this one out.
    if (this.catalog.lookupKeysetId(key) !== undefined) return undefined;
    if (this.nextKeyset > this.catalog.maxKeysets || key.length > MAX_KEYSET_CHARS)
      return undefined;
    const k: NewKeyset = { id: this.nextKeyset++, keys: Object.freeze([...keys]) };
    this.stagedKeysets.set(key, k);
    this.newKeysets.push(k);
    return k.id;
  }

  /** The service name of a resource this write interned. */
  serviceOf(resourceId: number): string {
    return this.serviceById.get(resourceId) ?? '';
  }

  commit(): void {
    this.catalog.adopt(this);
  }
}
