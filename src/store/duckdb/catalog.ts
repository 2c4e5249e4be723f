// In-process copies of the small tables (resources, scopes, series), so a
// write interns them without a query and a read rebuilds a Resource or a
// label set from an id. New entries are staged per write and only become
// visible when the write commits.

import type { DuckDBConnection } from '@duckdb/node-api';

import type { EntityRef, InstrumentationScope, Labels, Resource } from '../../model/telemetry';
import { normalizeLabels, seriesKey } from '../labels';
import { serviceOf } from '../span-match';
import { decodeAttributes, encodeAttributes } from '../values';
import { asNum, asStr } from './codec';
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
export interface NewSeries {
  readonly id: number;
  readonly metric: string;
  readonly key: string;
  readonly labels: Labels;
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

export class Catalog {
  private readonly resourceIds = new Map<string, number>();
  readonly resources = new Map<number, Resource>();
  private readonly scopeIds = new Map<string, number>();
  readonly scopes = new Map<number, InstrumentationScope>();
  private readonly seriesIds = new Map<string, number>();
  readonly series = new Map<number, { readonly key: string; readonly labels: Labels }>();
  /** Services that have spans: the Jaeger UI asks for this list all the time. */
  readonly spanServices = new Set<string>();

  async load(conn: DuckDBConnection): Promise<void> {
    this.resourceIds.clear();
    this.resources.clear();
    for (const row of (await conn.runAndReadAll(query('load-resources'))).getRowObjects()) {
      const refs = row['entity_refs'];
      const refsText = refs === null || refs === undefined ? null : asStr(refs);
      const attrs = asStr(row['attributes']!);
      const r: Resource = {
        attributes: decodeAttributes(attrs),
        droppedAttributesCount: asNum(row['dropped_attributes_count']!),
        schemaUrl: asStr(row['schema_url']!),
        ...(refsText === null ? {} : { entityRefs: decodeEntityRefs(refsText) }),
      };
      this.resources.set(asNum(row['id']!), r);
      this.resourceIds.set(resourceKey(r, attrs, refsText), asNum(row['id']!));
    }
    this.scopeIds.clear();
    this.scopes.clear();
    for (const [id, name, version, attrs, dropped, schemaUrl] of (
      await conn.runAndReadAll(query('load-scopes'))
    ).getRows()) {
      const s: InstrumentationScope = {
        name: asStr(name!),
        version: asStr(version!),
        attributes: decodeAttributes(asStr(attrs!)),
        droppedAttributesCount: asNum(dropped!),
        schemaUrl: asStr(schemaUrl!),
      };
      this.scopes.set(asNum(id!), s);
      this.scopeIds.set(scopeKey(s, asStr(attrs!)), asNum(id!));
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
    this.seriesIds.clear();
    this.series.clear();
    for (const [id, labels] of (await conn.runAndReadAll(query('load-series'))).getRows()) {
      const pairs = JSON.parse(asStr(labels!)) as [string, string][];
      const l: Labels = Object.fromEntries(pairs);
      this.series.set(asNum(id!), { key: asStr(labels!), labels: l });
      this.seriesIds.set(asStr(labels!), asNum(id!));
    }
    this.noteIds();
  }

  begin(): Staged {
    return new Staged(this);
  }

  /** Called by Staged.commit once the transaction committed. */
  adopt(s: Staged): void {
    for (const r of s.newResources) {
      this.resources.set(r.id, r.resource);
      this.resourceIds.set(resourceKey(r.resource, r.attributes, r.entityRefs), r.id);
    }
    for (const sc of s.newScopes) {
      this.scopes.set(sc.id, sc.scope);
      this.scopeIds.set(scopeKey(sc.scope, sc.attributes), sc.id);
    }
    for (const se of s.newSeries) {
      this.series.set(se.id, { key: se.key, labels: se.labels });
      this.seriesIds.set(se.key, se.id);
    }
    for (const svc of s.spanServices) this.spanServices.add(svc);
    this.noteStaged(s);
  }

  private noteStaged(s: Staged): void {
    for (const r of s.newResources) this.maxResource = Math.max(this.maxResource, r.id);
    for (const sc of s.newScopes) this.maxScope = Math.max(this.maxScope, sc.id);
    for (const se of s.newSeries) this.maxSeries = Math.max(this.maxSeries, se.id);
  }

  lookupResource(key: string): number | undefined {
    return this.resourceIds.get(key);
  }
  lookupScope(key: string): number | undefined {
    return this.scopeIds.get(key);
  }
  lookupSeries(key: string): number | undefined {
    return this.seriesIds.get(key);
  }
  /** The next free id of each table (ids are never reused while the store is open). */
  nextIds(): { resource: number; scope: number; series: number } {
    return { resource: this.maxResource + 1, scope: this.maxScope + 1, series: this.maxSeries + 1 };
  }

  private maxResource = 0;
  private maxScope = 0;
  private maxSeries = 0;

  private noteIds(): void {
    for (const id of this.resources.keys()) this.maxResource = Math.max(this.maxResource, id);
    for (const id of this.scopes.keys()) this.maxScope = Math.max(this.maxScope, id);
    for (const id of this.series.keys()) this.maxSeries = Math.max(this.maxSeries, id);
  }
}

/** The catalog as one write sees it: existing entries plus the ones it adds. */
export class Staged {
  readonly newResources: NewResource[] = [];
  readonly newScopes: NewScope[] = [];
  readonly newSeries: NewSeries[] = [];
  readonly spanServices = new Set<string>();
  private readonly byResource = new WeakMap<Resource, number>();
  private readonly serviceById = new Map<number, string>();
  private readonly byScope = new WeakMap<InstrumentationScope, number>();
  private readonly stagedKeys = new Map<string, number>();
  private nextResource: number;
  private nextScope: number;
  private nextSeries: number;

  constructor(private readonly catalog: Catalog) {
    const next = catalog.nextIds();
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
    const key = seriesKey(labels);
    let id = this.catalog.lookupSeries(key) ?? this.stagedKeys.get(`x${key}`);
    if (id === undefined) {
      id = this.nextSeries++;
      this.stagedKeys.set(`x${key}`, id);
      const norm = normalizeLabels(labels);
      this.newSeries.push({ id, metric: norm['__name__'] ?? '', key, labels: norm });
    }
    return id;
  }

  /** The service name of a resource this write interned. */
  serviceOf(resourceId: number): string {
    return this.serviceById.get(resourceId) ?? '';
  }

  commit(): void {
    this.catalog.adopt(this);
  }
}
