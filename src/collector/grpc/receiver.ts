// OTLP/gRPC receiver (default 127.0.0.1:4317): the three Export services,
// with raw-buffer (de)serializers so the bytes go straight to the
// hand-written decoder. grpc-js inflates gzip itself, bounded by
// grpc.max_receive_message_length (checked on the inflated size).

import { Metadata, Server, ServerCredentials, status } from '@grpc/grpc-js';
import type {
  sendUnaryData,
  ServerUnaryCall,
  ServiceDefinition,
  UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { decodeRequest } from '../otlp/decode';
import type { Signal } from '../otlp/decode';
import { DecodeError } from '../otlp/errors';
import { resolveLimits } from '../otlp/limits';
import type { OtlpLimits } from '../otlp/limits';
import { exportResponse, retryStatusDetails } from '../otlp/response';
import type { IngestPipeline } from '../pipeline';
import { BackpressureError, WRITE_FAILED_RETRY_SECONDS, WriteFailedError } from '../write-queue';

export interface OtlpGrpcOptions {
  readonly host?: string;
  readonly port?: number;
  readonly pipeline: Pick<IngestPipeline, 'ingest' | 'recordRequest' | 'recordRejected'>;
  readonly limits?: Partial<OtlpLimits>;
}

export interface RunningGrpcReceiver {
  readonly port: number;
  close(): Promise<void>;
}

const SERVICES: Record<Signal, string> = {
  traces: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
  metrics: '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export',
  logs: '/opentelemetry.proto.collector.logs.v1.LogsService/Export',
};

const identity = (b: Buffer): Buffer => b;

function serviceDefinition(signal: Signal): ServiceDefinition {
  return {
    Export: {
      path: SERVICES[signal],
      requestStream: false,
      responseStream: false,
      requestSerialize: identity,
      requestDeserialize: identity,
      responseSerialize: identity,
      responseDeserialize: identity,
      originalName: 'export',
    },
  };
}

interface GrpcError {
  code: number;
  details: string;
  metadata?: Metadata;
}

/** UNAVAILABLE with a RetryInfo, so exporters that read it (Go, Java, the collector) wait that long. */
function unavailable(message: string, retrySeconds: number): GrpcError {
  const metadata = new Metadata();
  metadata.set(
    'grpc-status-details-bin',
    retryStatusDetails(status.UNAVAILABLE, message, retrySeconds),
  );
  return { code: status.UNAVAILABLE, details: message, metadata };
}

export function exportHandler(
  signal: Signal,
  opts: OtlpGrpcOptions,
  limits: OtlpLimits,
): (call: ServerUnaryCall<Buffer, Buffer>, cb: sendUnaryData<Buffer>) => void {
  const { pipeline } = opts;
  return (call, cb) => {
    const body = call.request;
    pipeline.recordRequest(signal, body.length);
    let decoded;
    try {
      decoded = decodeRequest(signal, 'protobuf', body, limits);
    } catch (e) {
      pipeline.recordRejected(signal, 0, true);
      if (e instanceof DecodeError) {
        const err: GrpcError = {
          code: e.kind === 'limit' ? status.RESOURCE_EXHAUSTED : status.INVALID_ARGUMENT,
          details: `invalid OTLP ${signal} request: ${e.message}`,
        };
        cb(err);
      } else
        cb({
          code: status.INTERNAL,
          details: `internal error: ${e instanceof Error ? e.message : String(e)}`,
        });
      return;
    }
    if (decoded.rejected > 0) pipeline.recordRejected(signal, decoded.rejected);
    const reply = (): void => {
      const message =
        decoded.rejected > 0
          ? `${decoded.rejected} item(s) rejected; first: ${decoded.rejectReason}`
          : '';
      cb(null, exportResponse(signal, 'protobuf', decoded.rejected, message));
    };
    if (decoded.accepted === 0) return reply();
    pipeline.ingest(decoded.batch, signal).then(reply, (e: unknown) => {
      // UNAVAILABLE is retryable for OTLP exporters: the data was not stored.
      if (e instanceof BackpressureError) cb(unavailable(e.message, e.retryAfterSeconds));
      else if (e instanceof WriteFailedError)
        cb(unavailable(e.message, WRITE_FAILED_RETRY_SECONDS));
      else
        cb({
          code: status.INTERNAL,
          details: `internal error: ${e instanceof Error ? e.message : String(e)}`,
        });
    });
  };
}

export function startOtlpGrpcReceiver(opts: OtlpGrpcOptions): Promise<RunningGrpcReceiver> {
  const limits = resolveLimits(opts.limits);
  const server = new Server({
    'grpc.max_receive_message_length': limits.maxBodyBytes,
    'grpc.max_send_message_length': 4 * 1024 * 1024,
  });
  for (const signal of ['traces', 'metrics', 'logs'] as const) {
    const impl: UntypedServiceImplementation = { Export: exportHandler(signal, opts, limits) };
    server.addService(serviceDefinition(signal), impl);
  }
  const host = opts.host ?? '127.0.0.1';
  const address = host.includes(':')
    ? `[${host}]:${opts.port ?? 4317}`
    : `${host}:${opts.port ?? 4317}`;
  return new Promise((resolve, reject) => {
    server.bindAsync(address, ServerCredentials.createInsecure(), (err, port) => {
      if (err !== null) {
        reject(new Error(`OTLP/gRPC receiver cannot listen on ${address}: ${err.message}`));
        return;
      }
      resolve({
        port,
        close: () =>
          new Promise<void>((done) => {
            // In-flight calls get a grace period to be answered, then the server is stopped hard.
            const force = setTimeout(() => {
              server.forceShutdown();
              done();
            }, 2000);
            force.unref();
            server.tryShutdown(() => {
              clearTimeout(force);
              done();
            });
          }),
      });
    });
  });
}
