// OTel metric points -> Prometheus series, as the collector's prometheus /
// prometheusremotewrite exporters produce them with default settings
// (`add_metric_suffixes: true`), plus what Prometheus itself needs to see
// for `rate()`: delta streams summed into cumulative ones (stateful, bounded)
// and a zero sample at a cumulative stream's start time when it is new or
// restarts.

import { createHash } from 'node:crypto';
import type {
  ExponentialHistogramPoint,
  HistogramPoint,
  MetricPoint,
  PromExemplar,
  PromMetadata,
  PromMetricType,
  Resource,
  Sample,
  SeriesExemplars,
  SeriesSamples,
  SumPoint,
} from '../../model/telemetry';
import { AggregationTemporality } from '../../model/telemetry';
import { attributesKey } from './labels';
import { metadataUnit, type NameKind } from './prom-names';
import { type SeriesFamily, SeriesLabelCache } from './series-labels';
import {
  addExponential,
  addHistogram,
  exponentialToExplicit,
  type HistogramAcc,
  StreamStates,
} from './stream-state';
import { exemplarLabels, isNoRecordedValue, STALE_NAN } from './prom-values';

export interface PrometheusTranslatorOptions {
  /** Unit and `_total` suffixes (collector `add_metric_suffixes`, default true). */
  readonly addMetricSuffixes?: boolean;
  /** Emit `target_info` per resource (default true). */
  readonly targetInfo?: boolean;
  /** Cap on streams kept for delta -> cumulative and restart detection (default 100_000). */
  readonly maxSeries?: number;
  /** A stream with no point for this long (point time, ms) is forgotten (default 1 h). */
  readonly idleTimeoutMs?: number;
  /** Cap on label sets kept for reuse across batches (default 100_000, ~40 MB; past it they are built again). */
  readonly maxLabelSets?: number;
}

export interface TranslateResult {
  readonly samples: SeriesSamples[];
  readonly exemplars: SeriesExemplars[];
  readonly metadata: PromMetadata[];
}

/** Counts for the backend's own `/metrics`. */
export interface TranslatorStats {
  /** Streams currently held in state. */
  readonly streams: number;
  /** Streams forgotten (cap or idle). */
  readonly evicted: number;
  /** Points not translated: out of order, unspecified temporality, inconsistent buckets. */
  readonly dropped: number;
}

type Labels = Record<string, string>;

// Keyed by label object: the label cache hands out one object per label set.
interface Batch {
  readonly series: Map<Labels, { labels: Labels; samples: Sample[] }>;
  readonly exemplars: Map<Labels, { labels: Labels; exemplars: PromExemplar[] }>;
  readonly metadata: Map<string, PromMetadata>;
  readonly targets: Map<Resource, number>;
}

import { expAcc, NS_PER_MS, num, ordered, running, scopeKey, startOf, toMs } from './point-math';

export class PrometheusTranslator {
  private readonly suffixes: boolean;
  private readonly targetInfo: boolean;
  private readonly states: StreamStates;
  private readonly resourceKeys = new WeakMap<Resource, string>();
  private readonly labels: SeriesLabelCache;
  private readonly idleMs: number;
  private dropped = 0;

  constructor(opts: PrometheusTranslatorOptions = {}) {
    this.suffixes = opts.addMetricSuffixes ?? true;
    this.targetInfo = opts.targetInfo ?? true;
    const idleMs = opts.idleTimeoutMs ?? 3_600_000;
    if (!(idleMs > 0)) throw new RangeError(`idleTimeoutMs must be > 0, got ${idleMs}`);
    this.idleMs = idleMs;
    this.states = new StreamStates(
      opts.maxSeries ?? 100_000,
      BigInt(Math.round(idleMs)) * NS_PER_MS,
    );
    this.labels = new SeriesLabelCache(opts.maxLabelSets ?? 100_000, this.suffixes);
  }

  get stats(): TranslatorStats {
    return { streams: this.states.size, evicted: this.states.evicted, dropped: this.dropped };
  }

  translate(points: readonly MetricPoint[]): TranslateResult {
    this.labels.trim();
    const batch: Batch = {
      series: new Map(),
      exemplars: new Map(),
      metadata: new Map(),
      targets: new Map(),
    };
    // Time order first, so deltas of one stream add up whatever order the batch lists them in.
    const byTime = [...points].sort((a, b) =>
      a.timeUnixNano < b.timeUnixNano ? -1 : a.timeUnixNano > b.timeUnixNano ? 1 : 0,
    );
    for (const p of byTime) this.point(batch, p);
    if (this.targetInfo) this.targetInfoSeries(batch);
    this.states.evictIdle();
    // The batch's entries are the result: no second object per series.
    const samples: SeriesSamples[] = [];
    for (const s of batch.series.values()) {
      if (s.samples.length > 1) s.samples = ordered(s.samples);
      samples.push(s);
    }
    return {
      samples,
      exemplars: [...batch.exemplars.values()].map(({ labels, exemplars }) => ({
        seriesLabels: labels,
        exemplars,
      })),
      metadata: [...batch.metadata.values()],
    };
  }

  private point(batch: Batch, p: MetricPoint): void {
    const t = toMs(p.timeUnixNano);
    const prev = batch.targets.get(p.resource);
    if (prev === undefined || t > prev) batch.targets.set(p.resource, t);
    const attrs = attributesKey(p.attributes);
    switch (p.type) {
      case 'gauge': {
        const f = this.family(batch, p, attrs, 'gauge', 'gauge');
        this.emit(batch, f.plain, t, isNoRecordedValue(p.flags) ? STALE_NAN : num(p.value));
        this.exemplars(batch, f.plain, p.exemplars);
        return;
      }
      case 'sum':
        return this.sum(batch, p, attrs, t);
      case 'histogram':
        return this.histogram(batch, p, attrs, t);
      case 'exponential_histogram':
        return this.exponential(batch, p, attrs, t);
      case 'summary': {
        const f = this.family(batch, p, attrs, 'summary', 'summary');
        const stale = isNoRecordedValue(p.flags);
        for (const q of p.quantileValues) {
          this.emit(batch, f.quantile(q.quantile), t, stale ? STALE_NAN : q.value);
        }
        this.emit(batch, f.suffixed('_sum'), t, stale ? STALE_NAN : p.sum);
        this.emit(batch, f.suffixed('_count'), t, stale ? STALE_NAN : Number(p.count));
        return;
      }
    }
  }

  private sum(batch: Batch, p: SumPoint, attrs: string, t: number): void {
    const counter = p.isMonotonic;
    // A non-monotonic sum is a gauge to Prometheus, but not a "gauge" for the
    // `_ratio` rule, which the exporters apply to OTLP gauges only.
    const f = this.family(
      batch,
      p,
      attrs,
      counter ? 'counter' : 'other',
      counter ? 'counter' : 'gauge',
    );
    const labels = f.plain;
    const key = this.streamKey(p, attrs);
    if (isNoRecordedValue(p.flags)) {
      this.states.delete(key);
      this.emit(batch, labels, t, STALE_NAN);
      return;
    }
    let value = num(p.value);
    if (p.temporality === AggregationTemporality.DELTA) {
      const entry = this.states.get(key);
      if (entry === undefined || entry.state.kind !== 'sum') {
        this.states.set(key, {
          startNs: startOf(p),
          lastNs: p.timeUnixNano,
          state: { kind: 'sum', value },
        });
      } else if (p.timeUnixNano <= entry.lastNs) {
        this.dropped++;
        return;
      } else {
        entry.state.value += value;
        entry.lastNs = p.timeUnixNano;
        value = entry.state.value;
        this.states.set(key, entry);
      }
    } else if (p.temporality === AggregationTemporality.CUMULATIVE) {
      const restart = this.observeCumulative(key, p);
      if (restart === 'drop') return;
      if (restart !== undefined && counter) this.emit(batch, labels, restart, 0);
    } else {
      this.dropped++;
      return;
    }
    this.emit(batch, labels, t, value);
    this.exemplars(batch, labels, p.exemplars);
  }

  private histogram(batch: Batch, p: HistogramPoint, attrs: string, t: number): void {
    if (p.bucketCounts.length !== 0 && p.bucketCounts.length !== p.explicitBounds.length + 1) {
      this.dropped++;
      return;
    }
    const f = this.family(batch, p, attrs, 'histogram', 'histogram');
    const key = this.streamKey(p, attrs);
    const incoming: HistogramAcc = {
      count: Number(p.count),
      sum: p.sum,
      bounds: p.bucketCounts.length === 0 ? [] : p.explicitBounds,
      buckets: p.bucketCounts.map(Number),
    };
    if (isNoRecordedValue(p.flags)) {
      this.states.delete(key);
      this.emitHistogram(
        batch,
        f,
        t,
        incoming.bounds,
        incoming.buckets.map(() => STALE_NAN),
        STALE_NAN,
        STALE_NAN,
        [],
      );
      return;
    }
    let acc = incoming;
    if (p.temporality === AggregationTemporality.DELTA) {
      const entry = this.states.get(key);
      if (
        entry !== undefined &&
        entry.state.kind === 'histogram' &&
        p.timeUnixNano <= entry.lastNs
      ) {
        this.dropped++;
        return;
      }
      if (
        entry !== undefined &&
        entry.state.kind === 'histogram' &&
        addHistogram(entry.state.acc, incoming)
      ) {
        entry.lastNs = p.timeUnixNano;
        acc = entry.state.acc;
        this.states.set(key, entry);
      } else {
        // New stream, or the bounds changed: the sum starts again (a reset to PromQL).
        const copy = { ...incoming, buckets: [...incoming.buckets] };
        this.states.set(key, {
          startNs: startOf(p),
          lastNs: p.timeUnixNano,
          state: { kind: 'histogram', acc: copy },
        });
      }
    } else if (p.temporality === AggregationTemporality.CUMULATIVE) {
      const restart = this.observeCumulative(key, p);
      if (restart === 'drop') return;
      if (restart !== undefined) {
        const zeros = acc.buckets.map(() => 0);
        this.emitHistogram(
          batch,
          f,
          restart,
          acc.bounds,
          running(zeros),
          0,
          acc.sum === undefined ? undefined : 0,
          [],
        );
      }
    } else {
      this.dropped++;
      return;
    }
    this.emitHistogram(
      batch,
      f,
      t,
      acc.bounds,
      running(acc.buckets),
      acc.count,
      acc.sum,
      p.exemplars,
    );
  }

  private exponential(batch: Batch, p: ExponentialHistogramPoint, attrs: string, t: number): void {
    const f = this.family(batch, p, attrs, 'histogram', 'histogram');
    const key = this.streamKey(p, attrs);
    const incoming = expAcc(p);
    if (isNoRecordedValue(p.flags)) {
      this.states.delete(key);
      this.emit(batch, f.suffixed('_count'), t, STALE_NAN);
      return;
    }
    let acc = incoming;
    if (p.temporality === AggregationTemporality.DELTA) {
      const entry = this.states.get(key);
      if (entry !== undefined && entry.state.kind === 'exponential') {
        if (p.timeUnixNano <= entry.lastNs) {
          this.dropped++;
          return;
        }
        addExponential(entry.state.acc, incoming);
        entry.lastNs = p.timeUnixNano;
        acc = entry.state.acc;
        this.states.set(key, entry);
      } else {
        this.states.set(key, {
          startNs: startOf(p),
          lastNs: p.timeUnixNano,
          state: { kind: 'exponential', acc: incoming },
        });
      }
    }
    const { bounds, cumulative } = exponentialToExplicit(acc);
    if (p.temporality === AggregationTemporality.CUMULATIVE) {
      const restart = this.observeCumulative(key, p);
      if (restart === 'drop') return;
      if (restart !== undefined) {
        const zeros = bounds.map(() => 0);
        const zeroSum = acc.sum === undefined ? undefined : 0;
        this.emitHistogram(batch, f, restart, bounds, zeros, 0, zeroSum, []);
      }
    } else if (p.temporality !== AggregationTemporality.DELTA) {
      this.dropped++;
      return;
    }
    this.emitHistogram(batch, f, t, bounds, cumulative, acc.count, acc.sum, p.exemplars);
  }

  /**
   * Tracks a cumulative stream's start time. Returns the ms time of a zero
   * sample to write (what Prometheus 3 does with created timestamps), 'drop'
   * for a point not newer than the last one. A zero goes at the start time
   * when the stream restarted (start moved past the last point), and when the
   * stream is new here: a counter born at 4 (span metrics' first flush after
   * errors) is then a step from 0 that `increase()` and `rate()` see. The
   * start time is when the stream was 0, so the zero never lands inside the
   * stream's own samples, whatever the store held before (a backend restart or
   * a forgotten stream writes the same zero again, or one that precedes the
   * stream's stored points and follows an earlier stream's: a real reset). A
   * start older than the idle timeout gets none: Prometheus refuses samples
   * that far behind its head, and the zero would be one lone point.
   */
  private observeCumulative(key: string, p: MetricPoint): number | 'drop' | undefined {
    const entry = this.states.get(key);
    const start = startOf(p);
    const startMs = toMs(start);
    const tMs = toMs(p.timeUnixNano);
    if (entry === undefined || entry.state.kind !== 'cumulative') {
      this.states.set(key, {
        startNs: start,
        lastNs: p.timeUnixNano,
        state: { kind: 'cumulative' },
      });
      const created = p.startTimeUnixNano !== 0n && startMs < tMs && tMs - startMs <= this.idleMs;
      return created ? startMs : undefined;
    }
    if (p.timeUnixNano <= entry.lastNs) {
      this.dropped++;
      return 'drop';
    }
    const lastMs = toMs(entry.lastNs);
    const restarted = p.startTimeUnixNano !== 0n && start > entry.startNs;
    entry.startNs = start;
    entry.lastNs = p.timeUnixNano;
    this.states.set(key, entry);
    if (!restarted) return undefined;
    return startMs > lastMs && startMs < tMs ? startMs : undefined;
  }

  private emitHistogram(
    batch: Batch,
    f: SeriesFamily,
    t: number,
    bounds: readonly number[],
    cumulative: readonly number[],
    count: number,
    sum: number | undefined,
    exemplars: MetricPoint['exemplars'],
  ): void {
    for (let i = 0; i < bounds.length; i++) {
      this.emit(batch, f.bucket(bounds[i] ?? Infinity), t, cumulative[i] ?? count);
    }
    this.emit(batch, f.bucket(Infinity), t, count);
    if (sum !== undefined) this.emit(batch, f.suffixed('_sum'), t, sum);
    this.emit(batch, f.suffixed('_count'), t, count);
    for (const e of exemplars) {
      const v = num(e.value);
      const at = bounds.findIndex((b) => v <= b);
      this.exemplars(batch, f.bucket(at < 0 ? Infinity : (bounds[at] ?? Infinity)), [e]);
    }
  }

  private family(
    batch: Batch,
    p: MetricPoint,
    attrs: string,
    kind: NameKind,
    type: PromMetricType,
  ): SeriesFamily {
    const name = this.labels.metricName(p, kind);
    if (!batch.metadata.has(name)) {
      batch.metadata.set(name, {
        metric: name,
        type,
        help: p.description,
        unit: metadataUnit(p.unit, kind),
      });
    }
    return this.labels.family(p, attrs, name);
  }

  private emit(batch: Batch, labels: Labels, t: number, v: number): void {
    const series = batch.series.get(labels);
    if (series) series.samples.push({ t, v });
    else batch.series.set(labels, { labels, samples: [{ t, v }] });
  }

  private exemplars(batch: Batch, labels: Labels, exemplars: MetricPoint['exemplars']): void {
    if (exemplars.length === 0) return;
    let entry = batch.exemplars.get(labels);
    if (!entry) {
      entry = { labels, exemplars: [] };
      batch.exemplars.set(labels, entry);
    }
    for (const e of exemplars) {
      entry.exemplars.push({ labels: exemplarLabels(e), t: toMs(e.timeUnixNano), v: num(e.value) });
    }
  }

  private targetInfoSeries(batch: Batch): void {
    for (const [resource, t] of batch.targets) {
      const labels = this.labels.targetInfo(resource);
      if (labels === undefined) continue;
      this.emit(batch, labels, t, 1);
      if (!batch.metadata.has('target_info')) {
        batch.metadata.set('target_info', {
          metric: 'target_info',
          type: 'gauge',
          help: 'Target metadata',
          unit: '',
        });
      }
    }
  }

  private streamKey(p: MetricPoint, attrs: string): string {
    let rk = this.resourceKeys.get(p.resource);
    if (rk === undefined) {
      // Hashed: resource attribute sets run to kilobytes, and each stream holds one.
      rk = createHash('sha256').update(attributesKey(p.resource.attributes)).digest('base64');
      this.resourceKeys.set(p.resource, rk);
    }
    return `${rk}\u0002${scopeKey(p.scope)}\u0002${p.type}\u0002${p.name}\u0002${attrs}`;
  }
}
