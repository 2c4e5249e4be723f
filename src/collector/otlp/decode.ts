// One entry point for the receivers: signal + encoding + bytes -> a batch.

import type { TelemetryBatch } from '../../model/telemetry';
import { DecodeError } from './errors';
import { decodeLogsJson } from './json/logs';
import { decodeMetricsJson } from './json/metrics';
import { decodeTracesJson } from './json/traces';
import type { OtlpLimits } from './limits';
import type { Decoded } from './validate';
import { decodeLogsProto } from './pb/logs';
import { decodeMetricsProto } from './pb/metrics';
import { decodeTracesProto } from './pb/traces';

export type Signal = 'traces' | 'metrics' | 'logs';
export type Encoding = 'protobuf' | 'json';

export interface DecodedRequest {
  readonly signal: Signal;
  readonly batch: TelemetryBatch;
  /** Spans, metric data points or log records kept. */
  readonly accepted: number;
  /** Items refused one by one (partial success); the rest of the request is kept. */
  readonly rejected: number;
  /** Why the first rejected item was refused, with its path; '' when none. */
  readonly rejectReason: string;
}

/** Throws DecodeError for malformed input or a request over the limits. */
export function decodeRequest(
  signal: Signal,
  encoding: Encoding,
  body: Uint8Array,
  limits: OtlpLimits,
): DecodedRequest {
  const json = encoding === 'json';
  const root: unknown = json ? parseJson(body) : undefined;
  switch (signal) {
    case 'traces': {
      const d = json ? decodeTracesJson(root, limits) : decodeTracesProto(body, limits);
      return request(signal, { spans: d.items }, d);
    }
    case 'metrics': {
      const d = json ? decodeMetricsJson(root, limits) : decodeMetricsProto(body, limits);
      return request(signal, { metrics: d.items }, d);
    }
    case 'logs': {
      const d = json ? decodeLogsJson(root, limits) : decodeLogsProto(body, limits);
      return request(signal, { logs: d.items }, d);
    }
  }
}

function request(signal: Signal, batch: TelemetryBatch, d: Decoded<unknown>): DecodedRequest {
  const { items, rejected, rejectReason } = d;
  return { signal, batch, accepted: items.length, rejected, rejectReason };
}

const decoder = new TextDecoder('utf-8', { fatal: true });

function parseJson(body: Uint8Array): unknown {
  let text: string;
  try {
    text = decoder.decode(body);
  } catch {
    throw new DecodeError('invalid JSON: the body is not valid UTF-8');
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new DecodeError(`invalid JSON: ${(e as Error).message}`);
  }
}
