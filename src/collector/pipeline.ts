// The write path every receiver calls: derive (OTel -> Prometheus series,
// span metrics), then the bounded group-commit queue in front of the store.
// A request is acknowledged only once its data is committed.

import type {
  MetricPoint,
  PromMetadata,
  SeriesExemplars,
  SeriesSamples,
  Span,
  TelemetryBatch,
} from '../model/telemetry';
import type { TelemetryStore } from '../store/store';
import type { Signal } from './otlp/decode';
import { batchItems, WriteQueue } from './write-queue';

/** What collector/derive's PrometheusTranslator offers; optional so the pipeline runs without it. */
export interface MetricTranslator {
  translate(points: readonly MetricPoint[]): {
    samples: SeriesSamples[];
    exemplars: SeriesExemplars[];
    metadata: PromMetadata[];
  };
}

/** What collector/derive's SpanMetricsConnector offers. */
export interface SpanMetricsSink {
  consume(spans: readonly Span[]): void;
  flush(nowNs: bigint): MetricPoint[];
}

export interface PipelineOptions {
  readonly store: Pick<TelemetryStore, 'write'>;
  readonly translator?: MetricTranslator;
  readonly spanMetrics?: SpanMetricsSink;
  /** Default 5000; 0 disables the timer (call flushSpanMetrics yourself). */
  readonly spanMetricsFlushIntervalMs?: number;
  /** Default 100,000 items queued or being written (decoded spans cost ~1 KB each in memory). */
  readonly maxQueuedItems?: number;
  /** Default 25,000 items merged into one store.write. */
  readonly maxGroupItems?: number;
  /** Sent with 503 / UNAVAILABLE. Default 1. */
  readonly retryAfterSeconds?: number;
  readonly now?: () => bigint;
  /** Where derive failures are reported (default console.error). */
  readonly onDeriveError?: (e: unknown) => void;
}

export interface IngestResult {
  /** Items of the request now durable in the store. */
  readonly items: number;
}

export interface SignalStats {
  /** Export requests received (valid or not). */
  requests: number;
  /** Request bytes after decompression. */
  bytes: number;
  /** Items committed to the store. */
  accepted: number;
  /** Items refused by validation (partial success) plus whole requests refused as malformed or over limits. */
  rejected: number;
  invalidRequests: number;
  /** Items refused because the queue was full or the store write failed (the client was told to retry). */
  dropped: number;
}

export interface IngestStats {
  readonly signals: Readonly<Record<Signal, Readonly<SignalStats>>>;
  readonly queueDepthItems: number;
  readonly queueDepthBatches: number;
  readonly queueCapacityItems: number;
  readonly storeWrites: number;
  readonly storeWriteFailures: number;
  readonly lastStoreError: string;
  readonly deriveErrors: number;
}

const nowNs = (): bigint => BigInt(Date.now()) * 1_000_000n;

function emptyStats(): SignalStats {
  return { requests: 0, bytes: 0, accepted: 0, rejected: 0, invalidRequests: 0, dropped: 0 };
}

export class IngestPipeline {
  private readonly queue: WriteQueue;
  private readonly counters: Record<Signal, SignalStats> = {
    traces: emptyStats(),
    metrics: emptyStats(),
    logs: emptyStats(),
  };
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly maxQueuedItems: number;
  private deriveErrors = 0;
  private closed = false;

  constructor(private readonly opts: PipelineOptions) {
    this.maxQueuedItems = opts.maxQueuedItems ?? 100_000;
    this.queue = new WriteQueue((b) => opts.store.write(b), {
      maxQueuedItems: this.maxQueuedItems,
      maxGroupItems: opts.maxGroupItems ?? 25_000,
      retryAfterSeconds: opts.retryAfterSeconds ?? 1,
    });
    const every = opts.spanMetricsFlushIntervalMs ?? 5000;
    if (opts.spanMetrics !== undefined && every > 0) {
      this.timer = setInterval(() => {
        this.flushSpanMetrics().catch((e: unknown) => this.reportDeriveError(e));
      }, every);
      this.timer.unref();
    }
  }

  /** Counts a received export request and its decompressed size. */
  recordRequest(signal: Signal, bytes: number): void {
    const c = this.counters[signal];
    c.requests++;
    c.bytes += bytes;
  }

  /** Counts items refused by validation, or a whole request refused (`invalidRequest`). */
  recordRejected(signal: Signal, items: number, invalidRequest = false): void {
    const c = this.counters[signal];
    c.rejected += items;
    if (invalidRequest) c.invalidRequests++;
  }

  /**
   * Derives and queues the batch; resolves once it is durable. Rejects with
   * BackpressureError (queue full: tell the client to retry later) or
   * WriteFailedError (the store refused the write; nothing was stored).
   */
  async ingest(batch: TelemetryBatch, signal?: Signal): Promise<IngestResult> {
    const sig = signal ?? signalOf(batch);
    const items = batchItems(batch);
    if (this.closed) throw new Error('ingest pipeline is closed');
    // Derive only what will be queued (enqueue refuses synchronously when full):
    // a refused request must not be counted in span metrics.
    const full = this.queue.isFull(items) ? batch : this.derive(batch);
    try {
      await this.queue.enqueue(full);
    } catch (e) {
      this.counters[sig].dropped += items;
      throw e;
    }
    this.counters[sig].accepted += items;
    return { items };
  }

  private derive(batch: TelemetryBatch): TelemetryBatch {
    const { translator, spanMetrics } = this.opts;
    let out = batch;
    try {
      if (spanMetrics !== undefined && batch.spans !== undefined && batch.spans.length > 0)
        spanMetrics.consume(batch.spans);
      if (translator !== undefined && batch.metrics !== undefined && batch.metrics.length > 0) {
        const t = translator.translate(batch.metrics);
        out = { ...batch, samples: t.samples, exemplars: t.exemplars, metadata: t.metadata };
      }
    } catch (e) {
      // A derive bug must not lose the raw telemetry: store it underived and say so.
      this.reportDeriveError(e);
    }
    return out;
  }

  private reportDeriveError(e: unknown): void {
    this.deriveErrors++;
    (
      this.opts.onDeriveError ??
      ((x: unknown) => console.error('otel-lab collector: derive failed:', x))
    )(e);
  }

  /** Writes the span metrics accumulated since the last flush (as Prometheus series). */
  async flushSpanMetrics(): Promise<void> {
    const { spanMetrics, translator } = this.opts;
    if (spanMetrics === undefined) return;
    const points = spanMetrics.flush((this.opts.now ?? nowNs)());
    if (points.length === 0) return;
    const batch: TelemetryBatch =
      translator !== undefined ? translator.translate(points) : { metrics: points };
    // Derived data is small and already counted: not subject to backpressure.
    await this.queue.enqueue(batch, true);
  }

  stats(): IngestStats {
    const copy = (s: SignalStats): SignalStats => ({ ...s });
    return {
      signals: {
        traces: copy(this.counters.traces),
        metrics: copy(this.counters.metrics),
        logs: copy(this.counters.logs),
      },
      queueDepthItems: this.queue.depthItems,
      queueDepthBatches: this.queue.depthBatches,
      queueCapacityItems: this.maxQueuedItems,
      storeWrites: this.queue.writes,
      storeWriteFailures: this.queue.failures,
      lastStoreError: this.queue.lastError,
      deriveErrors: this.deriveErrors,
    };
  }

  /** Stops the flush timer, writes the last span metrics and waits for the queue to drain. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    try {
      await this.flushSpanMetrics();
    } catch (e) {
      this.reportDeriveError(e);
    }
    await this.queue.drain();
  }
}

function signalOf(b: TelemetryBatch): Signal {
  if (b.spans !== undefined && b.spans.length > 0) return 'traces';
  if (b.logs !== undefined && b.logs.length > 0) return 'logs';
  return 'metrics';
}
