// Starts the telemetry parts sdk.ts builds through @opentelemetry/sdk-node's
// NodeSDK, the default (OTEL_LAB_TELEMETRY_SDK=node-sdk). sdk.ts requires this
// module only when it is chosen, so OTEL_LAB_TELEMETRY_SDK=providers does not
// load NodeSDK at all (bench/RESULTS.md compares the two).
//
// Why the class is required from its own module: the package's index also
// loads the experimental startNodeSDK (declarative file configuration), whose
// @opentelemetry/configuration pulls in a YAML parser, ~90 modules and ~2.4 MB
// of heap per process that NodeSDK never uses (bench/shop-footprint.md). The
// class is the same object the index exports (node-sdk.test.ts checks).
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

/** The module of @opentelemetry/sdk-node that defines NodeSDK (the package has no exports map). */
export const NODE_SDK_MODULE = '@opentelemetry/sdk-node/build/src/sdk';

type SdkNode = typeof import('@opentelemetry/sdk-node');

/** The NodeSDK class, without the package index's other entry points. */
export function nodeSdkClass(): SdkNode['NodeSDK'] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when chosen
  return (require(NODE_SDK_MODULE) as Pick<SdkNode, 'NodeSDK'>).NodeSDK;
}

/** Starts NodeSDK with exactly these parts (no resource detection of its own); returns its shutdown. */
export function startNodeSdk(parts: NodeSdkParts): () => Promise<void> {
  const NodeSDK = nodeSdkClass();
  const sdk = new NodeSDK({ ...parts, autoDetectResources: false });
  sdk.start();
  return () => sdk.shutdown();
}
