// Label sets of translated series, built once per OTLP stream and reused by
// every later batch: a repeated stream skips name translation, attribute
// sanitizing, sorting and key building. Every label set handed out is frozen
// and interned (equal labels, same object), so a batch groups samples by
// object identity and the store can cache a series key per object
// (store/labels.ts `seriesKey`).

import type { InstrumentationScope, Labels, MetricPoint, Resource } from '../../model/telemetry';
import { jobInstance, seriesLabels, targetInfoLabels, valueText } from './labels';
import { formatFloat, metricName, type NameKind } from './prom-names';

type Mutable = Record<string, string>;

/** The series of one metric of one stream: `name`, `name_sum`, `name_bucket{le}`, ... */
export class SeriesFamily {
  readonly plain: Labels;
  private readonly buckets = new Map<number, Labels>();
  private readonly quantiles = new Map<number, Labels>();
  private readonly suffixes = new Map<string, Labels>();

  constructor(
    private readonly cache: SeriesLabelCache,
    private readonly base: Labels,
    readonly name: string,
  ) {
    this.plain = cache.intern({ ...base, __name__: name });
  }

  /** `<name><suffix>`, e.g. `_sum`, `_count`. */
  suffixed(suffix: string): Labels {
    let l = this.suffixes.get(suffix);
    if (l === undefined) {
      l = this.cache.intern({ ...this.base, __name__: this.name + suffix });
      this.suffixes.set(suffix, l);
    }
    return l;
  }

  /** `<name>_bucket` with `le` = the bound (Infinity is `+Inf`). */
  bucket(bound: number): Labels {
    let l = this.buckets.get(bound);
    if (l === undefined) {
      const le = formatFloat(bound);
      l = this.cache.intern({ ...this.base, __name__: `${this.name}_bucket`, le });
      this.buckets.set(bound, l);
    }
    return l;
  }

  /** `<name>` with `quantile` = q. */
  quantile(q: number): Labels {
    let l = this.quantiles.get(q);
    if (l === undefined) {
      l = this.cache.intern({ ...this.base, __name__: this.name, quantile: formatFloat(q) });
      this.quantiles.set(q, l);
    }
    return l;
  }
}

/**
 * Bounded: past `maxLabelSets` interned label sets everything is forgotten at
 * the start of the next batch (`trim`), never inside one, so within a batch
 * equal labels are always the same object.
 */
export class SeriesLabelCache {
  /** Label sets by a hash of their text, compared in full on a hit (a text key would double their size). */
  private readonly interned = new Map<number, Labels[]>();
  private labelSets = 0;
  /** stream labels key -> the stream's base labels and its families by metric name */
  private readonly bases = new Map<string, { base: Labels; families: Map<string, SeriesFamily> }>();
  private readonly names = new Map<string, string>();
  private targets = new WeakMap<Resource, Labels | null>();
  private readonly resourceKeys = new WeakMap<Resource, string>();
  private readonly scopeKeys = new WeakMap<InstrumentationScope, string>();
  private cleared = 0;

  constructor(
    readonly maxLabelSets: number,
    private readonly addSuffixes: boolean,
  ) {
    if (!(maxLabelSets > 0)) throw new RangeError(`maxLabelSets must be > 0, got ${maxLabelSets}`);
  }

  /** Label sets held, and how often the cache was emptied for its bound. */
  get stats(): { labelSets: number; cleared: number } {
    return { labelSets: this.labelSets, cleared: this.cleared };
  }

  /** Between batches: empties the cache when past its bound. */
  trim(): void {
    if (this.labelSets + this.bases.size <= this.maxLabelSets) return;
    this.interned.clear();
    this.labelSets = 0;
    this.bases.clear();
    this.names.clear();
    // Keyed by objects a sender may pass again (the span metrics connector keeps its resources).
    this.targets = new WeakMap();
    this.cleared++;
  }

  /** The Prometheus metric name (cached: the naming rules split and test words). */
  metricName(p: MetricPoint, kind: NameKind): string {
    const key = `${kind}\u0000${p.unit}\u0000${p.name}`;
    let name = this.names.get(key);
    if (name === undefined) {
      name = metricName(p.name, p.unit, kind, this.addSuffixes);
      this.names.set(key, name);
    }
    return name;
  }

  /**
   * The family of a point's series. `attrsKey` is `attributesKey(p.attributes)`,
   * which the caller has computed for its stream state anyway.
   */
  family(p: MetricPoint, attrsKey: string, name: string): SeriesFamily {
    const key = `${this.resourceKey(p.resource)}\u0002${this.scopeKey(p.scope)}\u0002${attrsKey}`;
    let entry = this.bases.get(key);
    if (entry === undefined) {
      entry = {
        base: Object.freeze(seriesLabels(p.attributes, p.scope, p.resource)),
        families: new Map(),
      };
      this.bases.set(key, entry);
    }
    let f = entry.families.get(name);
    if (f === undefined) {
      f = new SeriesFamily(this, entry.base, name);
      entry.families.set(name, f);
    }
    return f;
  }

  /** The resource's `target_info` labels, or undefined (see labels.ts). */
  targetInfo(resource: Resource): Labels | undefined {
    let l = this.targets.get(resource);
    if (l === undefined) {
      const made = targetInfoLabels(resource);
      l = made === undefined ? null : this.intern({ ...made });
      this.targets.set(resource, l);
    }
    return l ?? undefined;
  }

  /** The one frozen object of a label set, keys in order. */
  intern(labels: Mutable): Labels {
    const names = Object.keys(labels).sort();
    const h = hashLabels(labels, names);
    const same = this.interned.get(h);
    if (same !== undefined) for (const l of same) if (equalLabels(l, labels, names)) return l;
    const sorted: Mutable = {};
    for (const k of names) sorted[k] = labels[k] as string;
    const l = Object.freeze(sorted);
    if (same === undefined) this.interned.set(h, [l]);
    else same.push(l);
    this.labelSets++;
    return l;
  }

  /** Series labels take only `job` and `instance` from a resource. */
  private resourceKey(r: Resource): string {
    let k = this.resourceKeys.get(r);
    if (k === undefined) {
      const { job, instance } = jobInstance(r);
      k = `${job ?? ''}\u0000${instance ?? ''}`;
      this.resourceKeys.set(r, k);
    }
    return k;
  }

  /** Everything seriesLabels reads of a scope; attributes in their own order (later keys win there). */
  private scopeKey(s: InstrumentationScope): string {
    let k = this.scopeKeys.get(s);
    if (k === undefined) {
      k = `${s.name}\u0000${s.version}\u0000${s.schemaUrl}`;
      if (s.name !== '')
        for (const a of Object.keys(s.attributes))
          k += `\u0000${a}\u0001${valueText(s.attributes[a] ?? null)}`;
      this.scopeKeys.set(s, k);
    }
    return k;
  }
}

/** FNV-1a over names and values with separators, 32 bits. */
function hashLabels(labels: Mutable, names: readonly string[]): number {
  let h = 0x811c9dc5;
  const mix = (text: string): void => {
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    h = Math.imul(h ^ 0xffff, 0x01000193);
  };
  for (const k of names) {
    mix(k);
    mix(labels[k] as string);
  }
  return h >>> 0;
}

function equalLabels(l: Labels, labels: Mutable, names: readonly string[]): boolean {
  if (Object.keys(l).length !== names.length) return false;
  for (const k of names) if (l[k] !== labels[k]) return false;
  return true;
}
