// Tiny builders for the derive tests (not used by production code).

import type {
  Attributes,
  Exemplar,
  ExponentialHistogramPoint,
  GaugePoint,
  HistogramPoint,
  InstrumentationScope,
  Resource,
  Span,
  SumPoint,
  SummaryPoint,
} from '../../model/telemetry';
import { AggregationTemporality, SpanKind, StatusCode } from '../../model/telemetry';
import type { SeriesSamples } from '../../model/telemetry';
import type { TranslateResult } from './prometheus-translator';

export function makeResource(
  attributes: Attributes = { 'service.name': 'recommendation' },
): Resource {
  return { attributes, droppedAttributesCount: 0, schemaUrl: '' };
}

export function makeScope(name = 'app', version = ''): InstrumentationScope {
  return { name, version, attributes: {}, droppedAttributesCount: 0, schemaUrl: '' };
}

const MS = 1_000_000n;
/** Nanoseconds for `ms` milliseconds after a fixed epoch (2026-01-01). */
export function at(ms: number): bigint {
  return 1_767_225_600_000n * MS + BigInt(ms) * MS;
}

const base = {
  resource: makeResource(),
  scope: makeScope(),
  name: 'm',
  description: '',
  unit: '',
  metadata: {},
  attributes: {},
  startTimeUnixNano: at(0),
  timeUnixNano: at(1000),
  flags: 0,
  exemplars: [] as readonly Exemplar[],
};

export function makeGauge(over: Partial<GaugePoint> = {}): GaugePoint {
  return { ...base, type: 'gauge', value: 1, ...over };
}

export function makeSum(over: Partial<SumPoint> = {}): SumPoint {
  return {
    ...base,
    type: 'sum',
    temporality: AggregationTemporality.CUMULATIVE,
    isMonotonic: true,
    value: 1,
    ...over,
  };
}

export function makeHistogram(over: Partial<HistogramPoint> = {}): HistogramPoint {
  return {
    ...base,
    type: 'histogram',
    temporality: AggregationTemporality.CUMULATIVE,
    count: 3n,
    sum: 12,
    min: undefined,
    max: undefined,
    explicitBounds: [1, 5],
    bucketCounts: [1n, 1n, 1n],
    ...over,
  };
}

export function makeExponential(
  over: Partial<ExponentialHistogramPoint> = {},
): ExponentialHistogramPoint {
  return {
    ...base,
    type: 'exponential_histogram',
    temporality: AggregationTemporality.CUMULATIVE,
    count: 0n,
    sum: 0,
    min: undefined,
    max: undefined,
    scale: 0,
    zeroCount: 0n,
    zeroThreshold: 0,
    positive: { offset: 0, bucketCounts: [] },
    negative: { offset: 0, bucketCounts: [] },
    ...over,
  };
}

export function makeSummary(over: Partial<SummaryPoint> = {}): SummaryPoint {
  return { ...base, type: 'summary', count: 4n, sum: 10, quantileValues: [], ...over };
}

export function makeExemplar(over: Partial<Exemplar> = {}): Exemplar {
  return {
    filteredAttributes: {},
    timeUnixNano: at(500),
    value: 1,
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    ...over,
  };
}

let nextId = 1;
export function makeSpan(over: Partial<Span> & { durationMs?: number } = {}): Span {
  const { durationMs = 5, ...rest } = over;
  const id = (nextId++).toString(16).padStart(16, '0');
  return {
    traceId: id.padStart(32, 'a'),
    spanId: id,
    parentSpanId: '',
    traceState: '',
    flags: 0,
    name: 'get_product_list',
    kind: SpanKind.INTERNAL,
    startTimeUnixNano: at(0),
    endTimeUnixNano: at(0) + BigInt(Math.round(durationMs * 1e6)),
    attributes: {},
    droppedAttributesCount: 0,
    events: [],
    droppedEventsCount: 0,
    links: [],
    droppedLinksCount: 0,
    status: { code: StatusCode.UNSET, message: '' },
    resource: makeResource(),
    scope: makeScope('recommendation'),
    ...rest,
  };
}

export const T0 = Number(at(0) / 1_000_000n);

/** `name{a="b",...}` -> samples as [ms after T0, value]. */
export function byName(r: TranslateResult): Map<string, [number, number][]> {
  const out = new Map<string, [number, number][]>();
  for (const s of r.samples)
    out.set(
      render(s),
      s.samples.map(({ t, v }) => [t - T0, v]),
    );
  return out;
}

export function render(s: Pick<SeriesSamples, 'labels'>): string {
  const { __name__, ...rest } = s.labels;
  const inner = Object.keys(rest)
    .sort()
    .filter((k) => !['job', 'otel_scope_name'].includes(k))
    .map((k) => `${k}="${rest[k]}"`)
    .join(',');
  return `${__name__ ?? ''}{${inner}}`;
}
