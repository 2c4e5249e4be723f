// Test support: small OTLP requests and a google.rpc.Status reader.

import protobuf from 'protobufjs';
import { encodeRequest, otlpRoot } from '../otlp/testing/otlp-proto';

export const TRACE_ID = '5b8efff798038103d269b633813fc60c';
export const SPAN_ID = 'eee19b7ec3c1b174';

export function traceRequest(
  names: readonly string[],
  extra: Record<string, unknown>[] = [],
): Uint8Array {
  const spans = names.map((name, i) => ({
    traceId: Buffer.from(TRACE_ID, 'hex'),
    spanId: Buffer.from(SPAN_ID.slice(0, 14) + String(10 + i).padStart(2, '0'), 'hex'),
    name,
    startTimeUnixNano: '1700000000000000000',
    endTimeUnixNano: '1700000001000000000',
  }));
  return encodeRequest('traces', {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] },
        scopeSpans: [{ spans: [...spans, ...extra] }],
      },
    ],
  });
}

export function traceRequestJson(names: readonly string[]): string {
  return JSON.stringify({
    resourceSpans: [
      {
        scopeSpans: [
          {
            spans: names.map((name, i) => ({
              traceId: TRACE_ID,
              spanId: SPAN_ID.slice(0, 14) + String(10 + i).padStart(2, '0'),
              name,
              startTimeUnixNano: '1',
              endTimeUnixNano: '2',
            })),
          },
        ],
      },
    ],
  });
}

const Status = new protobuf.Type('Status')
  .add(new protobuf.Field('code', 1, 'int32'))
  .add(new protobuf.Field('message', 2, 'string'));

export function decodeStatus(bytes: Uint8Array): { code: number; message: string } {
  const o = Status.toObject(Status.decode(bytes), { defaults: true }) as {
    code: number;
    message: string;
  };
  return { code: o.code, message: o.message };
}

const Duration = new protobuf.Type('Duration')
  .add(new protobuf.Field('seconds', 1, 'int64'))
  .add(new protobuf.Field('nanos', 2, 'int32'));
const RetryInfo = new protobuf.Type('RetryInfo')
  .add(new protobuf.Field('retryDelay', 1, 'Duration'))
  .add(Duration);
const Any = new protobuf.Type('Any')
  .add(new protobuf.Field('typeUrl', 1, 'string'))
  .add(new protobuf.Field('value', 2, 'bytes'));
const StatusWithDetails = new protobuf.Type('StatusWithDetails')
  .add(new protobuf.Field('code', 1, 'int32'))
  .add(new protobuf.Field('message', 2, 'string'))
  .add(new protobuf.Field('details', 3, 'Any', 'repeated'))
  .add(Any);
new protobuf.Root().add(RetryInfo).add(StatusWithDetails);

/** A google.rpc.Status with its details; RetryInfo details read as their delay in seconds. */
export function decodeStatusDetails(bytes: Uint8Array): {
  code: number;
  message: string;
  details: { typeUrl: string; retryDelaySeconds?: number }[];
} {
  const o = StatusWithDetails.toObject(StatusWithDetails.decode(bytes), {
    defaults: true,
    longs: Number,
  }) as { code: number; message: string; details: { typeUrl: string; value: Uint8Array }[] };
  const details = o.details.map((d) => {
    if (d.typeUrl !== 'type.googleapis.com/google.rpc.RetryInfo') return { typeUrl: d.typeUrl };
    const r = RetryInfo.toObject(RetryInfo.decode(d.value), { defaults: true, longs: Number }) as {
      retryDelay?: { seconds: number; nanos: number };
    };
    return { typeUrl: d.typeUrl, retryDelaySeconds: r.retryDelay?.seconds ?? 0 };
  });
  return { code: o.code, message: o.message, details };
}

export function decodeExportResponse(
  signal: 'trace' | 'metrics' | 'logs',
  bytes: Uint8Array,
): Record<string, unknown> {
  const name = {
    trace: 'ExportTraceServiceResponse',
    metrics: 'ExportMetricsServiceResponse',
    logs: 'ExportLogsServiceResponse',
  }[signal];
  const t = otlpRoot().lookupType(`opentelemetry.proto.collector.${signal}.v1.${name}`);
  return t.toObject(t.decode(bytes), { longs: Number }) as Record<string, unknown>;
}
