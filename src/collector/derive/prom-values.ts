// Sample values and exemplar labels with Prometheus' special meanings.

import type { Exemplar, Labels } from '../../model/telemetry';
import { attributeLabels } from './labels';

/** OTLP `DataPointFlags.NO_RECORDED_VALUE`: the stream has gone away. */
const FLAG_NO_RECORDED_VALUE = 1;

export function isNoRecordedValue(flags: number): boolean {
  return (flags & FLAG_NO_RECORDED_VALUE) !== 0;
}

const view = new DataView(new ArrayBuffer(8));
view.setBigUint64(0, 0x7ff0000000000002n);

/**
 * Prometheus' staleness marker, a NaN with payload 2. CPUs set the quiet bit
 * when a signalling NaN is copied, so test for it with `isStaleNaN`, which
 * ignores that bit, never with `===` (NaN never equals anything).
 */
export const STALE_NAN: number = view.getFloat64(0);

export function isStaleNaN(v: number): boolean {
  if (!Number.isNaN(v)) return false;
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, v);
  return (dv.getBigUint64(0) & ~0x0008000000000000n) === 0x7ff0000000000002n;
}

/** OpenMetrics caps an exemplar's label set at 128 UTF-8 characters. */
const EXEMPLAR_LABELS_MAX = 128;

/** `trace_id`, `span_id` and the filtered attributes, within the OpenMetrics size cap. */
export function exemplarLabels(e: Exemplar): Labels {
  const ids: Record<string, string> = {};
  if (e.traceId !== '') ids['trace_id'] = e.traceId;
  if (e.spanId !== '') ids['span_id'] = e.spanId;
  const all = attributeLabels(e.filteredAttributes, {});
  Object.assign(all, ids);
  let size = 0;
  for (const [k, v] of Object.entries(all)) size += [...k].length + [...v].length;
  // Over the cap: the ids are what an exemplar is for, so they are what stays.
  return size <= EXEMPLAR_LABELS_MAX ? all : ids;
}
