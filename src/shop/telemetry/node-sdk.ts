// The same telemetry as sdk.ts, started through @opentelemetry/sdk-node's
// NodeSDK (what the issue names), for OTEL_LAB_TELEMETRY_SDK=node-sdk. Kept so
// the cost of NodeSDK can be measured on the same service under the same load
// (bench/RESULTS.md); sdk.ts requires this module only when it is chosen.
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
