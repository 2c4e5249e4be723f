// Export*ServiceResponse and google.rpc.Status, in protobuf or JSON, written by hand
// (each is one or two fields).

import type { Encoding, Signal } from './decode';

const REJECTED_FIELD: Record<Signal, string> = {
  traces: 'rejectedSpans',
  metrics: 'rejectedDataPoints',
  logs: 'rejectedLogRecords',
};

/** ExportXServiceResponse; `partial_success` is set only when something was rejected or there is a message. */
export function exportResponse(
  signal: Signal,
  encoding: Encoding,
  rejected: number,
  message: string,
): Buffer {
  const partial = rejected > 0 || message !== '';
  if (encoding === 'json') {
    if (!partial) return Buffer.from('{}');
    return Buffer.from(
      JSON.stringify({
        partialSuccess: { [REJECTED_FIELD[signal]]: String(rejected), errorMessage: message },
      }),
    );
  }
  if (!partial) return Buffer.alloc(0);
  const inner: Buffer[] = [];
  if (rejected > 0) inner.push(Buffer.from([0x08]), varint(rejected));
  if (message !== '') inner.push(lenField(2, Buffer.from(message, 'utf8')));
  return lenField(1, Buffer.concat(inner));
}

/** A google.rpc.Status {code = 1, message = 2} with a gRPC code (3 INVALID_ARGUMENT, ...). */
export function statusBody(encoding: Encoding, grpcCode: number, message: string): Buffer {
  if (encoding === 'json') return Buffer.from(JSON.stringify({ code: grpcCode, message }));
  const parts: Buffer[] = [];
  if (grpcCode !== 0) parts.push(Buffer.from([0x08]), varint(grpcCode));
  if (message !== '') parts.push(lenField(2, Buffer.from(message, 'utf8')));
  return Buffer.concat(parts);
}

/**
 * A google.rpc.Status in protobuf whose details hold one google.rpc.RetryInfo:
 * the `grpc-status-details-bin` trailer by which OTLP/gRPC tells an exporter
 * how long to wait before retrying (the HTTP side's Retry-After).
 */
export function retryStatusDetails(grpcCode: number, message: string, seconds: number): Buffer {
  const duration = Buffer.concat([Buffer.from([0x08]), varint(seconds)]);
  const retryInfo = lenField(1, duration);
  const any = Buffer.concat([
    lenField(1, Buffer.from('type.googleapis.com/google.rpc.RetryInfo', 'utf8')),
    lenField(2, retryInfo),
  ]);
  return Buffer.concat([statusBody('protobuf', grpcCode, message), lenField(3, any)]);
}

function varint(n: number): Buffer {
  const out: number[] = [];
  let v = n;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return Buffer.from(out);
}

function lenField(field: number, payload: Buffer): Buffer {
  return Buffer.concat([Buffer.from([(field << 3) | 2]), varint(payload.length), payload]);
}
