// Log search and raw OTLP metric points read back into domain objects.

import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { UBIGINT, UHUGEINT, UTINYINT } from '@duckdb/node-api';

import type { AggregationTemporality, LogRecord, MetricPoint } from '../../model/telemetry';
import type { LogQuery, MetricPointQuery } from '../store';
import { decodeAttributes, decodeValue } from '../values';
import type { Catalog } from './catalog';
import {
  asBig,
  asNum,
  asStr,
  decodeExemplars,
  hexToBig,
  listItems,
  optNum,
  spanHex,
  traceHex,
} from './codec';
import { limitParam, rangeParams, read, text } from './params';
import { query } from './sql';

const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;

function owners(r: Record<string, DuckDBValue>, catalog: Catalog) {
  const resource = catalog.resources.get(asNum(r['resource_id']!));
  const scope = catalog.scopes.get(asNum(r['scope_id']!));
  if (resource === undefined || scope === undefined)
    throw new Error('a row refers to a resource or scope the store does not have');
  return { resource, scope };
}

export async function searchLogs(
  conn: DuckDBConnection,
  catalog: Catalog,
  q: LogQuery,
): Promise<LogRecord[]> {
  if (!(q.limit >= 1)) return [];
  const traceId = q.traceId?.toLowerCase();
  const spanId = q.spanId?.toLowerCase();
  // An id that cannot exist matches nothing (and must not reach BigInt()).
  if (
    (traceId !== undefined && !TRACE_ID.test(traceId)) ||
    (spanId !== undefined && !SPAN_ID.test(spanId))
  )
    return [];
  const rows = await read(conn, query('logs'), {
    ...rangeParams(q.range),
    service: text(q.service),
    min_severity: [
      q.minSeverity === undefined ? null : Math.max(0, Math.min(255, Math.floor(q.minSeverity))),
      UTINYINT,
    ],
    text: text(q.text),
    trace_id: [traceId === undefined ? null : hexToBig(traceId), UHUGEINT],
    span_id: [spanId === undefined ? null : hexToBig(spanId), UBIGINT],
    limit: limitParam(q.limit),
  });
  const objects = rows.getRowObjects();
  catalog.requireOwners(objects, 'a log record');
  return objects.map((r) => ({
    ...owners(r, catalog),
    timeUnixNano: asBig(r['time_unix_nano']!),
    observedTimeUnixNano: asBig(r['observed_time_unix_nano']!),
    severityNumber: asNum(r['severity_number']!),
    severityText: asStr(r['severity_text']!),
    body: decodeValue(asStr(r['body']!)),
    attributes: decodeAttributes(asStr(r['attributes']!)),
    droppedAttributesCount: asNum(r['dropped_attributes_count']!),
    flags: asNum(r['flags']!),
    traceId: traceHex(r['trace_id'] ?? null),
    spanId: spanHex(r['span_id'] ?? null),
    eventName: asStr(r['event_name']!),
  }));
}

const bigList = (v: DuckDBValue): bigint[] => listItems(v).map((x) => asBig(x));
const numList = (v: DuckDBValue): number[] => listItems(v).map((x) => asNum(x));
const valueOf = (r: Record<string, DuckDBValue>): number | bigint =>
  r['value_int'] !== null && r['value_int'] !== undefined
    ? asBig(r['value_int'])
    : asNum(r['value_double']!);

function rowToPoint(r: Record<string, DuckDBValue>, catalog: Catalog): MetricPoint {
  const base = {
    ...owners(r, catalog),
    name: asStr(r['name']!),
    description: asStr(r['description']!),
    unit: asStr(r['unit']!),
    metadata: decodeAttributes(asStr(r['metadata']!)),
    attributes: decodeAttributes(asStr(r['attributes']!)),
    startTimeUnixNano: asBig(r['start_ns']!),
    timeUnixNano: asBig(r['time_ns']!),
    flags: asNum(r['flags']!),
    exemplars: decodeExemplars(r['exemplars'] ?? null),
  };
  const temporality = (
    r['temporality'] === null ? 0 : asNum(r['temporality']!)
  ) as AggregationTemporality;
  switch (asNum(r['type']!)) {
    case 0:
      return { ...base, type: 'gauge', value: valueOf(r) };
    case 1:
      return {
        ...base,
        type: 'sum',
        temporality,
        isMonotonic: r['is_monotonic'] === true,
        value: valueOf(r),
      };
    case 2:
      return {
        ...base,
        type: 'histogram',
        temporality,
        count: asBig(r['count']!),
        sum: optNum(r['sum'] ?? null),
        min: optNum(r['min'] ?? null),
        max: optNum(r['max'] ?? null),
        bucketCounts: bigList(r['bucket_counts'] ?? null),
        explicitBounds: numList(r['explicit_bounds'] ?? null),
      };
    case 3:
      return {
        ...base,
        type: 'exponential_histogram',
        temporality,
        count: asBig(r['count']!),
        sum: optNum(r['sum'] ?? null),
        min: optNum(r['min'] ?? null),
        max: optNum(r['max'] ?? null),
        scale: asNum(r['scale']!),
        zeroCount: asBig(r['zero_count']!),
        zeroThreshold: asNum(r['zero_threshold']!),
        positive: {
          offset: asNum(r['positive_offset']!),
          bucketCounts: bigList(r['positive_bucket_counts'] ?? null),
        },
        negative: {
          offset: asNum(r['negative_offset']!),
          bucketCounts: bigList(r['negative_bucket_counts'] ?? null),
        },
      };
    default: {
      const qs = numList(r['quantiles'] ?? null);
      const vs = numList(r['quantile_values'] ?? null);
      return {
        ...base,
        type: 'summary',
        count: asBig(r['count']!),
        sum: asNum(r['sum']!),
        quantileValues: qs.map((quantile, i) => ({ quantile, value: vs[i] ?? 0 })),
      };
    }
  }
}

export async function searchMetricPoints(
  conn: DuckDBConnection,
  catalog: Catalog,
  q: MetricPointQuery,
): Promise<MetricPoint[]> {
  if (!(q.limit >= 1)) return [];
  const rows = await read(conn, query('metric-points'), {
    ...rangeParams(q.range),
    name: text(q.name),
    service: text(q.service),
    limit: limitParam(q.limit),
  });
  const objects = rows.getRowObjects();
  catalog.requireOwners(objects, 'a metric point');
  return objects.map((r) => rowToPoint(r, catalog));
}
