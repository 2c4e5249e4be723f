// The backend as one object: store, ingest pipeline (with span metrics and
// Prometheus translation), OTLP receivers, API server and retention timer.
// `otel-lab serve` runs it; tests start it in-process on port 0.

import type { Hono } from 'hono';
import { startApiServer } from '../api';
import type { FlagsService } from '../api';
import { PrometheusTranslator, SpanMetricsConnector } from '../collector/derive';
import { startOtlpGrpcReceiver } from '../collector/grpc/receiver';
import { startOtlpHttpReceiver } from '../collector/http/receiver';
import type { OtlpLimits } from '../collector/otlp/limits';
import { IngestPipeline } from '../collector/pipeline';
import type { IngestStats } from '../collector/pipeline';
import { createDuckDbStore } from '../store/duckdb';
import { createMemoryStore } from '../store/memory';
import type { RetentionPolicy, TelemetryStore } from '../store/store';

export interface BackendOptions {
  readonly host: string;
  readonly httpPort: number;
  readonly otlpHttpPort: number;
  readonly otlpGrpcPort: number;
  /** A directory for the DuckDB file, ':memory:' for DuckDB in memory, or 'memory' for the plain in-memory store. */
  readonly dataDir: string;
  readonly memoryLimit?: string;
  readonly retention: RetentionPolicy;
  /** How often retention runs; default one minute. */
  readonly retentionIntervalMs?: number;
  readonly corsOrigins?: readonly string[];
  readonly limits?: Partial<OtlpLimits>;
  readonly flags?: FlagsService;
  readonly uiDir?: string;
  /** Span metrics flush interval; default 5 s, so dashboards move while you watch. */
  readonly spanMetricsFlushIntervalMs?: number;
  readonly prometheus?: Hono;
}

export interface Backend {
  readonly store: TelemetryStore;
  readonly pipeline: IngestPipeline;
  readonly ports: { readonly http: number; readonly otlpHttp: number; readonly otlpGrpc: number };
  readonly url: string;
  stats(): IngestStats;
  /** Stops accepting, drains what was acknowledged into the store, closes it. */
  close(): Promise<void>;
}

async function openStore(dataDir: string, memoryLimit?: string): Promise<TelemetryStore> {
  if (dataDir === 'memory') return createMemoryStore();
  return createDuckDbStore({ dataDir, ...(memoryLimit !== undefined ? { memoryLimit } : {}) });
}

export async function startBackend(o: BackendOptions): Promise<Backend> {
  const store = await openStore(o.dataDir, o.memoryLimit);
  const pipeline = new IngestPipeline({
    store,
    translator: new PrometheusTranslator(),
    spanMetrics: new SpanMetricsConnector(),
    spanMetricsFlushIntervalMs: o.spanMetricsFlushIntervalMs ?? 5000,
  });
  const closers: (() => Promise<void>)[] = [];
  const closeAll = async (): Promise<void> => {
    // Receivers first (nothing new comes in), then the API, then the queue
    // drains into the store, and the store closes last.
    for (const close of closers.reverse()) await close().catch(() => undefined);
    await pipeline.close();
    await store.close();
  };
  try {
    const grpc = await startOtlpGrpcReceiver({
      host: o.host,
      port: o.otlpGrpcPort,
      pipeline,
      ...(o.limits ? { limits: o.limits } : {}),
    });
    closers.push(() => grpc.close());
    const http = await startOtlpHttpReceiver({
      host: o.host,
      port: o.otlpHttpPort,
      pipeline,
      ...(o.limits ? { limits: o.limits } : {}),
      ...(o.corsOrigins ? { corsOrigins: o.corsOrigins } : {}),
    });
    closers.push(() => http.close());
    const api = await startApiServer({
      host: o.host,
      port: o.httpPort,
      store,
      ingestStats: () => pipeline.stats(),
      ...(o.flags ? { flags: o.flags } : {}),
      ...(o.uiDir !== undefined ? { uiDir: o.uiDir } : {}),
      ...(o.prometheus ? { prometheus: o.prometheus } : {}),
    });
    closers.unshift(() => api.close());

    const retention = setInterval(() => {
      store
        .applyRetention(o.retention, BigInt(Date.now()) * 1_000_000n)
        .catch((e: unknown) => console.error(`otel-lab: retention failed: ${String(e)}`));
    }, o.retentionIntervalMs ?? 60_000);
    retention.unref();
    closers.unshift(async () => clearInterval(retention));

    return {
      store,
      pipeline,
      ports: { http: api.port, otlpHttp: http.port, otlpGrpc: grpc.port },
      url: api.url,
      stats: () => pipeline.stats(),
      close: closeAll,
    };
  } catch (e) {
    await closeAll();
    throw e;
  }
}
