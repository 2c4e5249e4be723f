// The in-memory TelemetryStore: plain arrays and filters, the reference the
// contract suite is written against. Good for tests and small runs; memory
// grows with the data (retention by age still applies).

import type {
  Labels,
  LogRecord,
  MetricPoint,
  PromExemplar,
  PromMetadata,
  SeriesExemplars,
  Sample,
  SeriesSamples,
  Span,
  SpanKind,
  TelemetryBatch,
  UnixNano,
} from '../../model/telemetry';
import { labelsMatch, labelsMatchAny, normalizeLabels, seriesKey } from '../labels';
import type {
  AttributeDistribution,
  DependencyEdge,
  DurationDistribution,
  LabelMatcher,
  LogQuery,
  MetricPointQuery,
  MsRange,
  Operation,
  RetentionPolicy,
  SpanFilter,
  StoreStats,
  TelemetryStore,
  TimeRange,
  TraceQuery,
  TraceSummary,
} from '../store';
import {
  QUANTILES,
  bucketExponent,
  bucketsFromCounts,
  quantileOfSorted,
  serviceOf,
  spanMatchesTags,
} from '../span-match';
import { validateBatch } from '../validate';
import { checkTraceIds } from '../store';
import { attributeText } from '../values';
import { summarizeTraces } from './trace-summary';

interface MemSeries {
  readonly labels: Labels;
  readonly samples: Map<number, number>;
  readonly exemplars: PromExemplar[];
  /** The samples in time order, built at the first read after a change. */
  sorted: Sample[] | undefined;
}

const inRange = (t: UnixNano, r: TimeRange): boolean => t >= r.start && t < r.end;
const logTime = (l: LogRecord): UnixNano =>
  l.timeUnixNano !== 0n ? l.timeUnixNano : l.observedTimeUnixNano;

function spanInFilter(s: Span, f: SpanFilter): boolean {
  if (!inRange(s.startTimeUnixNano, f.range)) return false;
  if (f.service !== undefined && serviceOf(s) !== f.service) return false;
  if (f.operation !== undefined && s.name !== f.operation) return false;
  if (f.status !== undefined && s.status.code !== f.status) return false;
  const d = s.endTimeUnixNano - s.startTimeUnixNano;
  if (f.minDuration !== undefined && d < f.minDuration) return false;
  if (f.maxDuration !== undefined && d > f.maxDuration) return false;
  return f.attributes === undefined || spanMatchesTags(s, f.attributes);
}

class MemoryStore implements TelemetryStore {
  private spans: Span[] = [];
  private logs: LogRecord[] = [];
  private points: MetricPoint[] = [];
  private readonly seriesByKey = new Map<string, MemSeries>();
  private readonly meta = new Map<string, PromMetadata>();
  private closed = false;

  private open(): void {
    if (this.closed) throw new Error('the store is closed');
  }

  private seriesFor(labels: Labels): MemSeries {
    const key = seriesKey(labels);
    let s = this.seriesByKey.get(key);
    if (s === undefined) {
      s = { labels: normalizeLabels(labels), samples: new Map(), exemplars: [], sorted: undefined };
      this.seriesByKey.set(key, s);
    }
    return s;
  }

  async write(batch: TelemetryBatch): Promise<void> {
    this.open();
    validateBatch(batch);
    this.spans.push(...(batch.spans ?? []));
    this.logs.push(...(batch.logs ?? []));
    this.points.push(...(batch.metrics ?? []));
    for (const s of batch.samples ?? []) {
      const ser = this.seriesFor(s.labels);
      for (const smp of s.samples) ser.samples.set(smp.t, smp.v);
      ser.sorted = undefined;
    }
    for (const e of batch.exemplars ?? [])
      this.seriesFor(e.seriesLabels).exemplars.push(...e.exemplars);
    for (const m of batch.metadata ?? []) this.meta.set(m.metric, m);
  }

  async getTraces(traceIds: readonly string[]): Promise<Map<string, Span[]>> {
    checkTraceIds(traceIds);
    const out = new Map<string, Span[]>();
    for (const id of traceIds) {
      const spans = await this.getTrace(id);
      if (spans.length > 0) out.set(id.toLowerCase(), spans);
    }
    return out;
  }

  async getTrace(traceId: string): Promise<Span[]> {
    this.open();
    const id = traceId.toLowerCase();
    return this.spans
      .filter((s) => s.traceId === id)
      .sort(
        (a, b) =>
          cmpBig(a.startTimeUnixNano, b.startTimeUnixNano) || a.spanId.localeCompare(b.spanId),
      );
  }

  async searchTraces(q: TraceQuery): Promise<TraceSummary[]> {
    this.open();
    const ids = new Set<string>();
    for (const s of this.spans) {
      if (q.spanKind !== undefined && s.kind !== q.spanKind) continue;
      if (spanInFilter(s, q)) ids.add(s.traceId);
    }
    const byTrace = new Map<string, Span[]>();
    for (const s of this.spans) {
      if (!ids.has(s.traceId)) continue;
      const list = byTrace.get(s.traceId);
      if (list === undefined) byTrace.set(s.traceId, [s]);
      else list.push(s);
    }
    return summarizeTraces(byTrace, q.sort ?? 'recent', q.limit);
  }

  async services(range?: TimeRange): Promise<string[]> {
    this.open();
    const names = new Set<string>();
    for (const s of this.spans) {
      if (range === undefined || inRange(s.startTimeUnixNano, range)) names.add(serviceOf(s));
    }
    names.delete('');
    return [...names].sort();
  }

  async operations(service: string, spanKind?: SpanKind): Promise<Operation[]> {
    this.open();
    const seen = new Map<string, Operation>();
    for (const s of this.spans) {
      if (serviceOf(s) !== service || (spanKind !== undefined && s.kind !== spanKind)) continue;
      seen.set(`${s.name}\u0000${s.kind}`, { name: s.name, spanKind: s.kind });
    }
    return [...seen.values()].sort((a, b) => cmpStr(a.name, b.name) || a.spanKind - b.spanKind);
  }

  async dependencies(range: TimeRange): Promise<DependencyEdge[]> {
    this.open();
    const inWindow = this.spans.filter((s) => inRange(s.startTimeUnixNano, range));
    const byId = new Map(inWindow.map((s) => [`${s.traceId}/${s.spanId}`, s]));
    const edges = new Map<
      string,
      { parent: string; child: string; callCount: number; errorCount: number }
    >();
    for (const child of inWindow) {
      if (child.parentSpanId === '') continue;
      const parent = byId.get(`${child.traceId}/${child.parentSpanId}`);
      if (parent === undefined) continue;
      const p = serviceOf(parent);
      const c = serviceOf(child);
      if (p === c) continue;
      const key = `${p}\u0000${c}`;
      const e = edges.get(key) ?? { parent: p, child: c, callCount: 0, errorCount: 0 };
      e.callCount++;
      if (child.status.code === 2) e.errorCount++;
      edges.set(key, e);
    }
    return [...edges.values()].sort(
      (a, b) => cmpStr(a.parent, b.parent) || cmpStr(a.child, b.child),
    );
  }

  async durationDistribution(filter: SpanFilter): Promise<DurationDistribution> {
    this.open();
    const ds = this.spans
      .filter((s) => spanInFilter(s, filter))
      .map((s) => Number(s.endTimeUnixNano - s.startTimeUnixNano))
      .sort((a, b) => a - b);
    const counts = new Map<number, number>();
    for (const d of ds) counts.set(bucketExponent(d), (counts.get(bucketExponent(d)) ?? 0) + 1);
    return {
      count: ds.length,
      quantiles: {
        p50: quantileOfSorted(ds, QUANTILES.p50),
        p90: quantileOfSorted(ds, QUANTILES.p90),
        p95: quantileOfSorted(ds, QUANTILES.p95),
        p99: quantileOfSorted(ds, QUANTILES.p99),
        p999: quantileOfSorted(ds, QUANTILES.p999),
      },
      buckets: bucketsFromCounts(counts),
    };
  }

  async attributeDistribution(
    filter: SpanFilter,
    maxValuesPerKey: number,
  ): Promise<AttributeDistribution> {
    this.open();
    const perKey = new Map<string, Map<string, number>>();
    let spanCount = 0;
    for (const s of this.spans) {
      if (!spanInFilter(s, filter)) continue;
      spanCount++;
      for (const [k, v] of Object.entries(s.attributes)) {
        const values = perKey.get(k) ?? new Map<string, number>();
        const text = attributeText(v);
        values.set(text, (values.get(text) ?? 0) + 1);
        perKey.set(k, values);
      }
    }
    const keys = [...perKey.entries()]
      .sort(([a], [b]) => cmpStr(a, b))
      .map(([key, values]) => ({
        key,
        spanCount: [...values.values()].reduce((a, b) => a + b, 0),
        values: [...values.entries()]
          .map(([value, count]) => ({ value, count }))
          .sort((a, b) => b.count - a.count || cmpStr(a.value, b.value))
          .slice(0, Math.max(0, maxValuesPerKey)),
      }));
    return { spanCount, keys };
  }

  async searchMetricPoints(q: MetricPointQuery): Promise<MetricPoint[]> {
    this.open();
    return this.points
      .filter(
        (p) =>
          inRange(p.timeUnixNano, q.range) &&
          (q.name === undefined || p.name === q.name) &&
          (q.service === undefined || serviceOf(p) === q.service),
      )
      .sort((a, b) => cmpBig(b.timeUnixNano, a.timeUnixNano))
      .slice(0, Math.max(0, q.limit));
  }

  async selectSeries(matchers: readonly LabelMatcher[], range: MsRange): Promise<SeriesSamples[]> {
    this.open();
    const out: SeriesSamples[] = [];
    for (const s of this.sortedSeries()) {
      if (!labelsMatch(s.labels, matchers)) continue;
      const all = sortedSamples(s);
      const samples = all.slice(firstAtOrAfter(all, range.minT), firstAfter(all, range.maxT));
      if (samples.length > 0) out.push({ labels: s.labels, samples });
    }
    return out;
  }

  private sortedSeries(): MemSeries[] {
    return [...this.seriesByKey.entries()].sort(([a], [b]) => cmpStr(a, b)).map(([, s]) => s);
  }

  private activeSeries(sets: readonly (readonly LabelMatcher[])[], range: MsRange): MemSeries[] {
    return this.sortedSeries().filter(
      (s) =>
        labelsMatchAny(s.labels, sets) &&
        [...s.samples.keys()].some((t) => t >= range.minT && t <= range.maxT),
    );
  }

  async labelNames(sets: readonly LabelMatcher[][], range: MsRange): Promise<string[]> {
    this.open();
    const names = new Set<string>();
    for (const s of this.activeSeries(sets, range))
      for (const k of Object.keys(s.labels)) names.add(k);
    return [...names].sort(cmpStr);
  }

  async labelValues(
    name: string,
    sets: readonly LabelMatcher[][],
    range: MsRange,
  ): Promise<string[]> {
    this.open();
    const values = new Set<string>();
    for (const s of this.activeSeries(sets, range)) {
      const v = s.labels[name];
      if (v !== undefined) values.add(v);
    }
    return [...values].sort(cmpStr);
  }

  async series(sets: readonly LabelMatcher[][], range: MsRange): Promise<Labels[]> {
    this.open();
    return this.activeSeries(sets, range).map((s) => s.labels);
  }

  async exemplars(sets: readonly LabelMatcher[][], range: MsRange): Promise<SeriesExemplars[]> {
    this.open();
    const out: SeriesExemplars[] = [];
    for (const s of this.sortedSeries()) {
      if (!labelsMatchAny(s.labels, sets)) continue;
      const ex = s.exemplars
        .filter((e) => e.t >= range.minT && e.t <= range.maxT)
        .sort((a, b) => a.t - b.t);
      if (ex.length > 0) out.push({ seriesLabels: s.labels, exemplars: ex });
    }
    return out;
  }

  async metadata(metric?: string): Promise<PromMetadata[]> {
    this.open();
    return [...this.meta.values()]
      .filter((m) => metric === undefined || m.metric === metric)
      .sort((a, b) => cmpStr(a.metric, b.metric));
  }

  async searchLogs(q: LogQuery): Promise<LogRecord[]> {
    this.open();
    const text = q.text?.toLowerCase();
    return this.logs
      .filter(
        (l) =>
          inRange(logTime(l), q.range) &&
          (q.service === undefined || serviceOf(l) === q.service) &&
          (q.minSeverity === undefined || l.severityNumber >= q.minSeverity) &&
          (q.traceId === undefined || l.traceId === q.traceId.toLowerCase()) &&
          (q.spanId === undefined || l.spanId === q.spanId.toLowerCase()) &&
          (text === undefined || attributeText(l.body).toLowerCase().includes(text)),
      )
      .sort((a, b) => cmpBig(logTime(b), logTime(a)))
      .slice(0, Math.max(0, q.limit));
  }

  async stats(): Promise<StoreStats> {
    this.open();
    let samples = 0;
    for (const s of this.seriesByKey.values()) samples += s.samples.size;
    return {
      spans: this.spans.length,
      logs: this.logs.length,
      metricPoints: this.points.length,
      series: this.seriesByKey.size,
      samples,
      bytesOnDisk: 0,
      bytesFree: 0,
    };
  }

  async applyRetention(policy: RetentionPolicy, now: UnixNano): Promise<void> {
    this.open();
    // Nothing is on disk, so only the age limit applies here.
    if (policy.maxAge === undefined) return;
    const cutoff = now - policy.maxAge;
    const cutoffMs = Number(cutoff / 1_000_000n);
    this.spans = this.spans.filter((s) => s.startTimeUnixNano >= cutoff);
    this.logs = this.logs.filter((l) => logTime(l) >= cutoff);
    this.points = this.points.filter((p) => p.timeUnixNano >= cutoff);
    for (const [key, s] of this.seriesByKey) {
      for (const t of [...s.samples.keys()]) if (t < cutoffMs) s.samples.delete(t);
      s.sorted = undefined;
      const kept = s.exemplars.filter((e) => e.t >= cutoffMs);
      s.exemplars.splice(0, s.exemplars.length, ...kept);
      if (s.samples.size === 0 && s.exemplars.length === 0) this.seriesByKey.delete(key);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

function sortedSamples(s: MemSeries): Sample[] {
  if (s.sorted) return s.sorted;
  const out: Sample[] = [];
  for (const [t, v] of s.samples) out.push({ t, v });
  // Samples usually arrive in time order (a Map keeps insertion order).
  let ordered = true;
  for (let i = 1; i < out.length && ordered; i++)
    ordered = (out[i - 1] as Sample).t < (out[i] as Sample).t;
  if (!ordered) out.sort((a, b) => a.t - b.t);
  s.sorted = out;
  return out;
}

function firstAtOrAfter(samples: readonly Sample[], t: number): number {
  let lo = 0;
  let hi = samples.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((samples[mid] as Sample).t < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function firstAfter(samples: readonly Sample[], t: number): number {
  let lo = 0;
  let hi = samples.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((samples[mid] as Sample).t <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function cmpBig(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function createMemoryStore(): TelemetryStore {
  return new MemoryStore();
}
