// Our OTLP receivers for the SDK exporter suites: a memory store behind an
// ingest pipeline that also keeps the OTel metric points written (the store
// seam reads metrics in the Prometheus model only), and both receivers on
// free ports for the length of the suite.

import { after, before } from 'node:test';
import { startOtlpGrpcReceiver } from '../../src/collector/grpc/receiver';
import type { RunningGrpcReceiver } from '../../src/collector/grpc/receiver';
import { startOtlpHttpReceiver } from '../../src/collector/http/receiver';
import type { RunningReceiver } from '../../src/collector/http/receiver';
import { IngestPipeline } from '../../src/collector/pipeline';
import type { MetricPoint, TelemetryBatch } from '../../src/model/telemetry';
import { createMemoryStore } from '../../src/store/memory';
import type { TelemetryStore } from '../../src/store/store';

type ReceiverPipeline = Pick<IngestPipeline, 'ingest' | 'recordRequest' | 'recordRejected'>;

export interface SuiteReceivers {
  readonly store: TelemetryStore;
  /** The OTel metric points as written, before the Prometheus translation. */
  readonly points: MetricPoint[];
  /** OTLP/HTTP endpoint of a signal path, e.g. `httpUrl('traces')`. */
  httpUrl(path: string): string;
  grpcUrl(): string;
}

/**
 * Call inside a `describe`: the receivers start before its tests and close
 * after them. `front` puts something between the receivers and the pipeline
 * (e.g. one that refuses exports).
 */
export function suiteReceivers(
  front: (pipeline: IngestPipeline) => ReceiverPipeline = (p) => p,
): SuiteReceivers {
  const store = createMemoryStore();
  const points: MetricPoint[] = [];
  const pipeline = new IngestPipeline({
    store: {
      write: (b: TelemetryBatch) => {
        points.push(...(b.metrics ?? []));
        return store.write(b);
      },
    },
  });
  let httpRx: RunningReceiver | undefined;
  let grpcRx: RunningGrpcReceiver | undefined;
  before(async () => {
    const receiving = front(pipeline);
    httpRx = await startOtlpHttpReceiver({ port: 0, pipeline: receiving });
    grpcRx = await startOtlpGrpcReceiver({ port: 0, pipeline: receiving });
  });
  after(async () => {
    await httpRx?.close();
    await grpcRx?.close();
    await pipeline.close();
    await store.close();
  });
  return {
    store,
    points,
    httpUrl: (path) => `http://127.0.0.1:${httpRx!.port}/v1/${path}`,
    grpcUrl: () => `http://127.0.0.1:${grpcRx!.port}`,
  };
}
