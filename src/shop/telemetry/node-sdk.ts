// Starts the telemetry parts sdk.ts builds through @opentelemetry/sdk-node's
// NodeSDK, the default (OTEL_LAB_TELEMETRY_SDK=node-sdk). sdk.ts requires this
// module only when it is chosen, so OTEL_LAB_TELEMETRY_SDK=providers does not
// load NodeSDK at all (bench/RESULTS.md compares the two).
import type { Instrumentation } from '@opentelemetry/instrumentation';
import type { Resource } from '@opentelemetry/resources';
import type { LogRecordProcessor } from '@opentelemetry/sdk-logs';
import type { IMetricReader } from '@opentelemetry/sdk-metrics';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';

export interface NodeSdkParts {
  readonly resource: Resource;
  readonly spanProcessors: SpanProcessor[];
  readonly metricReaders: IMetricReader[];
  readonly logRecordProcessors: LogRecordProcessor[];
  readonly instrumentations: Instrumentation[];
}

/** Starts NodeSDK with exactly these parts (no resource detection of its own); returns its shutdown. */
export function startNodeSdk(parts: NodeSdkParts): () => Promise<void> {
  type SdkNode = typeof import('@opentelemetry/sdk-node');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when chosen
  const { NodeSDK } = require('@opentelemetry/sdk-node') as SdkNode;
  const sdk = new NodeSDK({ ...parts, autoDetectResources: false });
  sdk.start();
  return () => sdk.shutdown();
}
