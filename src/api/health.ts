// The backend's own health at `/metrics`, in Prometheus text exposition
// format 0.0.4: items accepted, rejected and dropped per signal, write
// queue depth, store size and row counts.

import type { StoreStats } from '../store/store';

export interface SignalCounts {
  readonly accepted: number;
  readonly rejected: number;
  readonly dropped: number;
}

/** What the OTLP receivers report; the caller adapts the collector's counters to it. */
export interface IngestStats {
  readonly traces: SignalCounts;
  readonly metrics: SignalCounts;
  readonly logs: SignalCounts;
  readonly queueDepth: number;
  readonly queueCapacity?: number;
}

function sample(name: string, labels: Record<string, string>, value: number): string {
  const l = Object.entries(labels)
    .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`)
    .join(',');
  const v = Number.isFinite(value) ? String(value) : Number.isNaN(value) ? 'NaN' : value > 0 ? '+Inf' : '-Inf';
  return `${name}${l === '' ? '' : `{${l}}`} ${v}\n`;
}

function family(name: string, type: 'counter' | 'gauge', help: string, samples: string[]): string {
  return `# HELP ${name} ${help}\n# TYPE ${name} ${type}\n${samples.join('')}`;
}

export function renderHealthMetrics(store: StoreStats, ingest: IngestStats | undefined): string {
  let out = '';
  if (ingest !== undefined) {
    const rows: string[] = [];
    for (const signal of ['traces', 'metrics', 'logs'] as const) {
      for (const outcome of ['accepted', 'rejected', 'dropped'] as const) {
        rows.push(sample('otel_lab_ingest_items_total', { signal, outcome }, ingest[signal][outcome]));
      }
    }
    out += family('otel_lab_ingest_items_total', 'counter', 'OTLP items received, by signal and outcome.', rows);
    out += family('otel_lab_write_queue_depth', 'gauge', 'Batches waiting to be written to the store.', [
      sample('otel_lab_write_queue_depth', {}, ingest.queueDepth),
    ]);
    if (ingest.queueCapacity !== undefined) {
      out += family('otel_lab_write_queue_capacity', 'gauge', 'Batches the write queue holds before refusing more.', [
        sample('otel_lab_write_queue_capacity', {}, ingest.queueCapacity),
      ]);
    }
  }
  out += family('otel_lab_store_bytes', 'gauge', 'Bytes the store uses on disk (0 in memory).', [
    sample('otel_lab_store_bytes', {}, store.bytesOnDisk),
  ]);
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
