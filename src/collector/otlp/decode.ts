// One entry point for the receivers: signal + encoding + bytes -> a batch.

import type { TelemetryBatch } from '../../model/telemetry';
import { DecodeError } from './errors';
import { decodeLogsJson } from './json/logs';
import { decodeMetricsJson } from './json/metrics';
import { decodeTracesJson } from './json/traces';
import type { OtlpLimits } from './limits';
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
  let root: unknown;
  if (encoding === 'json') root = parseJson(body);
  switch (signal) {
    case 'traces': {
      const d =
        encoding === 'json' ? decodeTracesJson(root, limits) : decodeTracesProto(body, limits);
      return {
        signal,
        batch: { spans: d.spans },
        accepted: d.spans.length,
        rejected: d.rejected,
        rejectReason: d.rejectReason,
      };
    }
    case 'metrics': {
      const d =
        encoding === 'json' ? decodeMetricsJson(root, limits) : decodeMetricsProto(body, limits);
      return {
        signal,
        batch: { metrics: d.points },
        accepted: d.points.length,
        rejected: d.rejected,
        rejectReason: d.rejectReason,
      };
    }
    case 'logs': {
      const d = encoding === 'json' ? decodeLogsJson(root, limits) : decodeLogsProto(body, limits);
      return {
        signal,
        batch: { logs: d.logs },
        accepted: d.logs.length,
        rejected: d.rejected,
        rejectReason: d.rejectReason,
      };
    }
  }
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
