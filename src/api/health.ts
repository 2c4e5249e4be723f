// The backend's own health at `/metrics`, in Prometheus text exposition
// format 0.0.4: items accepted, rejected and dropped per signal, requests
// and bytes, write queue depth, store writes, store size and row counts.

import type { IngestStats } from '../collector/pipeline';
import type { StoreStats } from '../store/store';

const SIGNALS = ['traces', 'metrics', 'logs'] as const;

function sample(name: string, labels: Record<string, string>, value: number): string {
  const l = Object.entries(labels)
    .map(
      ([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`,
    )
    .join(',');
  const v = Number.isFinite(value)
    ? String(value)
    : Number.isNaN(value)
      ? 'NaN'
      : value > 0
        ? '+Inf'
        : '-Inf';
  return `${name}${l === '' ? '' : `{${l}}`} ${v}\n`;
}

function family(name: string, type: 'counter' | 'gauge', help: string, samples: string[]): string {
  return `# HELP ${name} ${help}\n# TYPE ${name} ${type}\n${samples.join('')}`;
}

function single(name: string, type: 'counter' | 'gauge', help: string, value: number): string {
  return family(name, type, help, [sample(name, {}, value)]);
}

function ingestFamilies(ingest: IngestStats): string {
  const perSignal = (
    name: string,
    help: string,
    pick: (s: IngestStats['signals']['traces']) => number,
  ): string =>
    family(
      name,
      'counter',
      help,
      SIGNALS.map((signal) => sample(name, { signal }, pick(ingest.signals[signal]))),
    );
  const items: string[] = [];
  for (const signal of SIGNALS) {
    for (const outcome of ['accepted', 'rejected', 'dropped'] as const) {
      items.push(
        sample('otel_lab_ingest_items_total', { signal, outcome }, ingest.signals[signal][outcome]),
      );
    }
  }
  return (
    family(
      'otel_lab_ingest_items_total',
      'counter',
      'OTLP items (spans, metric points, log records) received, by outcome: accepted = committed to the store, rejected = invalid, dropped = refused with a retry (queue full or store failure).',
      items,
    ) +
    perSignal(
      'otel_lab_ingest_requests_total',
      'OTLP export requests received.',
      (s) => s.requests,
    ) +
    perSignal(
      'otel_lab_ingest_invalid_requests_total',
      'OTLP export requests refused whole as malformed or over limits.',
      (s) => s.invalidRequests,
    ) +
    perSignal(
      'otel_lab_ingest_bytes_total',
      'OTLP request bytes after decompression.',
      (s) => s.bytes,
    ) +
    single(
      'otel_lab_write_queue_items',
      'gauge',
      'Items queued or being written to the store.',
      ingest.queueDepthItems,
    ) +
    single(
      'otel_lab_write_queue_batches',
      'gauge',
      'Batches queued or being written to the store.',
      ingest.queueDepthBatches,
    ) +
    single(
      'otel_lab_write_queue_capacity_items',
      'gauge',
      'Items the write queue holds before refusing more.',
      ingest.queueCapacityItems,
    ) +
    single(
      'otel_lab_store_writes_total',
      'counter',
      'Group commits to the store.',
      ingest.storeWrites,
    ) +
    single(
      'otel_lab_store_write_failures_total',
      'counter',
      'Group commits the store refused.',
      ingest.storeWriteFailures,
    ) +
    single(
      'otel_lab_derive_errors_total',
      'counter',
      'Failures deriving span metrics or Prometheus series.',
      ingest.deriveErrors,
    )
  );
}

export function renderHealthMetrics(store: StoreStats, ingest: IngestStats | undefined): string {
  let out = ingest !== undefined ? ingestFamilies(ingest) : '';
  out += single(
    'otel_lab_store_bytes',
    'gauge',
    'Bytes the store uses on disk (0 in memory).',
    store.bytesOnDisk,
  );
  out += single(
    'otel_lab_store_free_bytes',
    'gauge',
    'Of otel_lab_store_bytes, free blocks (retention frees them; new data reuses them). otel-lab compact, with the backend stopped, gives back at least this much.',
    store.bytesFree,
  );
  const tables: [string, number][] = [
    ['spans', store.spans],
    ['logs', store.logs],
    ['metric_points', store.metricPoints],
    ['series', store.series],
    ['samples', store.samples],
  ];
  out += family(
    'otel_lab_store_rows',
    'gauge',
    'Rows held in the store, by kind.',
    tables.map(([table, n]) => sample('otel_lab_store_rows', { table }, n)),
  );
  return out;
}
