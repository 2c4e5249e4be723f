// Tiny builders for tests of anything that writes or reads the store.
// Every field has a plain default; pass only what the test is about.

import type {
  Attributes,
  ExponentialHistogramPoint,
  GaugePoint,
  HistogramPoint,
  InstrumentationScope,
  LogRecord,
  Labels,
  Resource,
  SeriesSamples,
  Span,
  SumPoint,
  SummaryPoint,
} from '../model/telemetry';

/** A 32-hex-char trace id from a small number: traceIdOf(1) = '000...001'. */
export function traceIdOf(n: number): string {
  return n.toString(16).padStart(32, '0');
}

/** A 16-hex-char span id from a small number. */
export function spanIdOf(n: number): string {
  return n.toString(16).padStart(16, '0');
}

/** Nanoseconds from milliseconds, for readable test times. */
export function ms(n: number): bigint {
  return BigInt(n) * 1_000_000n;
}

export function makeResource(service = 'frontend', attributes: Attributes = {}): Resource {
  return {
    attributes: { 'service.name': service, ...attributes },
    droppedAttributesCount: 0,
    schemaUrl: '',
  };
}

export function makeScope(over: Partial<InstrumentationScope> = {}): InstrumentationScope {
  return {
    name: 'test-scope',
    version: '1.0.0',
    attributes: {},
    droppedAttributesCount: 0,
    schemaUrl: '',
    ...over,
  };
}

type With<T> = Partial<T> & { readonly service?: string };

export function makeSpan(over: With<Span> = {}): Span {
  const { service, ...rest } = over;
  const start = rest.startTimeUnixNano ?? ms(1_000);
  return {
    traceId: traceIdOf(1),
    spanId: spanIdOf(1),
    parentSpanId: '',
    traceState: '',
    flags: 0,
    name: 'GET /',
    kind: 2,
    startTimeUnixNano: start,
    endTimeUnixNano: start + ms(10),
    attributes: {},
    droppedAttributesCount: 0,
    events: [],
    droppedEventsCount: 0,
    links: [],
    droppedLinksCount: 0,
    status: { code: 0, message: '' },
    resource: makeResource(service ?? 'frontend'),
    scope: makeScope(),
    ...rest,
  };
}

/**
 * `n` one-span traces starting at `atMs`, ids from `first`, each with a unique
 * `payload` attribute of about `payloadChars` characters (retention tests:
 * bulky rows that fill row groups).
 */
export function bulkySpans(atMs: number, first: number, n: number, payloadChars = 200): Span[] {
  const resource = makeResource('load');
  return Array.from({ length: n }, (_, i) =>
    makeSpan({
      traceId: traceIdOf(first + i),
      spanId: spanIdOf(first + i),
      resource,
      startTimeUnixNano: ms(atMs),
      endTimeUnixNano: ms(atMs + 5),
      attributes: { payload: `${first + i}-${'x'.repeat(payloadChars)}-${Math.random()}` },
    }),
  );
}

export function makeLog(over: With<LogRecord> = {}): LogRecord {
  const { service, ...rest } = over;
  return {
    resource: makeResource(service ?? 'frontend'),
    scope: makeScope(),
    timeUnixNano: ms(1_000),
    observedTimeUnixNano: ms(1_001),
    severityNumber: 9,
    severityText: 'INFO',
    body: 'hello',
    attributes: {},
    droppedAttributesCount: 0,
    flags: 0,
    traceId: '',
    spanId: '',
    eventName: '',
    ...rest,
  };
}

function pointBase(service: string | undefined) {
  return {
    resource: makeResource(service ?? 'frontend'),
    scope: makeScope(),
    name: 'test.metric',
    description: '',
    unit: '',
    metadata: {},
    attributes: {},
    startTimeUnixNano: ms(0),
    timeUnixNano: ms(1_000),
    flags: 0,
    exemplars: [],
  };
}

export function makeGauge(over: With<GaugePoint> = {}): GaugePoint {
  const { service, ...rest } = over;
  return { ...pointBase(service), type: 'gauge', value: 1, ...rest };
}

export function makeSum(over: With<SumPoint> = {}): SumPoint {
  const { service, ...rest } = over;
  return {
    ...pointBase(service),
    type: 'sum',
    temporality: 2,
    isMonotonic: true,
    value: 1n,
    ...rest,
  };
}

export function makeHistogram(over: With<HistogramPoint> = {}): HistogramPoint {
  const { service, ...rest } = over;
  return {
    ...pointBase(service),
    type: 'histogram',
    temporality: 2,
    count: 3n,
    sum: 12.5,
    min: 1,
    max: 8,
    bucketCounts: [1n, 1n, 1n],
    explicitBounds: [2, 5],
    ...rest,
  };
}

export function makeExponentialHistogram(
  over: With<ExponentialHistogramPoint> = {},
): ExponentialHistogramPoint {
  const { service, ...rest } = over;
  return {
    ...pointBase(service),
    type: 'exponential_histogram',
    temporality: 1,
    count: 4n,
    sum: 10,
    min: 0,
    max: 5,
    scale: 2,
    zeroCount: 1n,
    zeroThreshold: 0,
    positive: { offset: 3, bucketCounts: [1n, 2n] },
    negative: { offset: 0, bucketCounts: [] },
    ...rest,
  };
}

export function makeSummary(over: With<SummaryPoint> = {}): SummaryPoint {
  const { service, ...rest } = over;
  return {
    ...pointBase(service),
    type: 'summary',
    count: 2n,
    sum: 3,
    quantileValues: [
      { quantile: 0.5, value: 1 },
      { quantile: 1, value: 2 },
    ],
    ...rest,
  };
}

/** A series from its labels (give `__name__`) and [t ms, value] pairs. */
export function makeSeries(
  labels: Labels,
  samples: readonly (readonly [number, number])[],
): SeriesSamples {
  return { labels, samples: samples.map(([t, v]) => ({ t, v })) };
}
