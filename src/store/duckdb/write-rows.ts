// Rows of the tables written as data chunks (spans, trace index, logs,
// samples): their column kinds in table order and how a domain item fills
// one row of a ChunkWriter. write.ts drives them, a chunk per turn.

import type { DuckDBConnection } from '@duckdb/node-api';

import type { AnyValue, Attributes, LogRecord, Span } from '../../model/telemetry';
import { serviceOf } from '../span-match';
import { encodeValue } from '../values';
import { ATTRIBUTE_SLOTS } from './catalog';
import type { Staged } from './catalog';
import type { ColumnKind } from './chunk-writer';
import { ChunkWriter, hexWords } from './chunk-writer';
import { encodeAttributesFast, encodeSpanExtras, encodeValueFast } from './codec';

const SPAN_COLUMNS: readonly ColumnKind[] = [
  'uhugeint', // trace_id
  'ubigint', // span_id
  'ubigint', // parent_span_id
  'varchar', // name
  'utinyint', // kind
  'bigint', // start_ns
  'bigint', // duration_ns
  'varchar', // service
  'uinteger', // resource_id
  'uinteger', // scope_id
  'utinyint', // status_code
  'uinteger', // flags
  'varchar', // extras
  'uinteger', // keyset_id
  ...new Array<ColumnKind>(ATTRIBUTE_SLOTS).fill('varchar'), // a0..a15
  'varchar', // attributes_rest
];
const KEYSET = 13;
const SLOT0 = 14;
const REST = SLOT0 + ATTRIBUTE_SLOTS;

const TRACE_INDEX_COLUMNS: readonly ColumnKind[] = [
  'uhugeint', // trace_id
  'bigint', // start_min
  'bigint', // start_max
  'bigint', // end_max
  'uinteger', // span_count
  'uinteger', // error_count
  'varchar', // root_service
  'varchar', // root_name
  'bigint', // root_start
  'varchar', // first_service
  'varchar', // first_name
  'uinteger', // write_seq (schema 7)
];

const LOG_COLUMNS: readonly ColumnKind[] = [
  'bigint', // time_ns
  'bigint', // time_unix_nano
  'bigint', // observed_time_unix_nano
  'utinyint', // severity_number
  'varchar', // severity_text
  'varchar', // body
  'varchar', // attributes
  'uinteger', // dropped_attributes_count
  'uinteger', // flags
  'uhugeint', // trace_id
  'ubigint', // span_id
  'varchar', // event_name
  'varchar', // service
  'uinteger', // resource_id
  'uinteger', // scope_id
];

const SAMPLE_COLUMNS: readonly ColumnKind[] = ['uinteger', 'bigint', 'double'];

/** One writer's chunks, made once per connection (writes on one connection are serialized). */
export interface Writers {
  readonly spans: ChunkWriter;
  readonly traceIndex: ChunkWriter;
  readonly logs: ChunkWriter;
  readonly samples: ChunkWriter;
}
const writersOf = new WeakMap<DuckDBConnection, Writers>();

export function chunkWriters(conn: DuckDBConnection): Writers {
  let w = writersOf.get(conn);
  if (w === undefined) {
    w = {
      spans: new ChunkWriter(SPAN_COLUMNS),
      traceIndex: new ChunkWriter(TRACE_INDEX_COLUMNS),
      logs: new ChunkWriter(LOG_COLUMNS),
      samples: new ChunkWriter(SAMPLE_COLUMNS),
    };
    writersOf.set(conn, w);
  }
  return w;
}

/**
 * The batch's spans per trace, traces in order of first appearance (which
 * follows time), and each trace id as four 32-bit words (`ids`, 4 per trace),
 * converted once for the spans and the index row.
 */
export interface Traces {
  readonly groups: readonly (readonly Span[])[];
  readonly ids: Uint32Array;
}

export function groupByTrace(spans: readonly Span[]): Traces {
  const byTrace = new Map<string, Span[]>();
  for (const s of spans) {
    const list = byTrace.get(s.traceId);
    if (list === undefined) byTrace.set(s.traceId, [s]);
    else list.push(s);
  }
  const ids = new Uint32Array(byTrace.size * 4);
  const groups: Span[][] = [];
  for (const [traceId, list] of byTrace) {
    hexWords(traceId, 4, ids, groups.length * 4);
    groups.push(list);
  }
  return { groups, ids };
}

function fillSpan(
  w: ChunkWriter,
  s: Span,
  ids: Uint32Array,
  at: number,
  st: Staged,
  memo: KeysetMemo,
): void {
  w.u128Words(0, ids, at);
  w.u64Hex(1, s.spanId);
  if (s.parentSpanId === '') w.null(2);
  else w.u64Hex(2, s.parentSpanId);
  w.str(3, s.name);
  w.u8(4, s.kind);
  w.i64(5, s.startTimeUnixNano);
  w.i64(6, s.endTimeUnixNano - s.startTimeUnixNano);
  const resourceId = st.resourceId(s.resource);
  const service = st.serviceOf(resourceId);
  if (service !== '') st.spanServices.add(service);
  w.str(7, service);
  w.u32(8, resourceId);
  w.u32(9, st.scopeId(s.scope));
  w.u8(10, s.status.code);
  w.u32(11, s.flags);
  w.optStr(12, encodeSpanExtras(s));
  fillAttributes(w, s.attributes, st, memo);
}

/**
 * keyset_id, a0..a15, attributes_rest (migration 004): the values by
 * position when the keys are an interned key set, else the whole JSON.
 */
function fillAttributes(w: ChunkWriter, attrs: Attributes, st: Staged, memo: KeysetMemo): void {
  const keys = Object.keys(attrs);
  const id = keys.length <= ATTRIBUTE_SLOTS ? memo.id(keys, st) : undefined;
  if (id === undefined) {
    w.null(KEYSET);
    for (let i = 0; i < ATTRIBUTE_SLOTS; i++) w.null(SLOT0 + i);
    w.str(REST, encodeAttributesFast(attrs));
    return;
  }
  w.u32(KEYSET, id);
  for (let i = 0; i < keys.length; i++) fillValue(w, SLOT0 + i, attrs[keys[i]!] ?? null);
  for (let i = keys.length; i < ATTRIBUTE_SLOTS; i++) w.null(SLOT0 + i);
  w.null(REST);
}

/** `encodeValueFast` (codec.ts) written straight into the slot: short values never become a string. */
function fillValue(w: ChunkWriter, col: number, v: AnyValue): void {
  switch (typeof v) {
    case 'string':
      return w.tagged(col, 's', v);
    case 'boolean':
      return w.str(col, v ? 'btrue' : 'bfalse');
    case 'bigint':
      return w.tagged(col, 'i', v.toString());
    default:
      return w.str(col, encodeValueFast(v));
  }
}

/**
 * The key set ids of the last few distinct key lists of one batch: a batch
 * holds a handful of span shapes, and comparing a span's keys with a known
 * list is cheaper than the catalog's lookup (which joins the keys into one
 * text). `Staged.keysetId` answers the same for the same keys within a batch.
 */
class KeysetMemo {
  private readonly lists: (readonly string[])[] = [];
  private readonly ids: (number | undefined)[] = [];
  private next = 0;

  constructor(private readonly size = 16) {}

  id(keys: readonly string[], st: Staged): number | undefined {
    const lists = this.lists;
    for (let j = 0; j < lists.length; j++) {
      if (sameKeys(lists[j]!, keys)) return this.ids[j];
    }
    const id = st.keysetId(keys);
    lists[this.next] = keys;
    this.ids[this.next] = id;
    this.next = (this.next + 1) % this.size;
    return id;
  }
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Fills the batch's span rows in trace order: spans of one trace side by side,
 * so the trace id column compresses by run length (a service exports a
 * trace's client and server spans together). Row `i` must follow row `i - 1`.
 */
export function spanRows({ groups, ids }: Traces, st: Staged): (w: ChunkWriter, i: number) => void {
  let g = 0;
  let k = 0;
  const memo = new KeysetMemo();
  return (w) => {
    let list = groups[g]!;
    if (k === list.length) {
      list = groups[++g]!;
      k = 0;
    }
    fillSpan(w, list[k++]!, ids, g * 4, st, memo);
  };
}

/** One trace-index row per trace of this batch; `seq`: the write's sequence number. */
export function fillTraceIndex(
  w: ChunkWriter,
  list: readonly Span[],
  ids: Uint32Array,
  at: number,
  seq: number,
): void {
  let first = list[0]!;
  let root: Span | undefined;
  let startMax = first.startTimeUnixNano;
  let endMax = first.endTimeUnixNano;
  let errors = 0;
  for (const s of list) {
    if (s.startTimeUnixNano < first.startTimeUnixNano) first = s;
    if (s.startTimeUnixNano > startMax) startMax = s.startTimeUnixNano;
    if (s.endTimeUnixNano > endMax) endMax = s.endTimeUnixNano;
    if (s.status.code === 2) errors++;
    const isEarlierRoot = root === undefined || s.startTimeUnixNano < root.startTimeUnixNano;
    if (s.parentSpanId === '' && isEarlierRoot) root = s;
  }
  w.u128Words(0, ids, at);
  w.i64(1, first.startTimeUnixNano);
  w.i64(2, startMax);
  w.i64(3, endMax);
  w.u32(4, list.length);
  w.u32(5, errors);
  if (root === undefined) {
    w.null(6);
    w.null(7);
    w.null(8);
  } else {
    w.str(6, serviceOf(root));
    w.str(7, root.name);
    w.i64(8, root.startTimeUnixNano);
  }
  w.str(9, serviceOf(first));
  w.str(10, first.name);
  w.u32(11, seq);
}

export function fillLog(w: ChunkWriter, l: LogRecord, st: Staged): void {
  w.i64(0, l.timeUnixNano !== 0n ? l.timeUnixNano : l.observedTimeUnixNano);
  w.i64(1, l.timeUnixNano);
  w.i64(2, l.observedTimeUnixNano);
  w.u8(3, l.severityNumber);
  w.str(4, l.severityText);
  w.str(5, encodeValue(l.body));
  w.str(6, encodeAttributesFast(l.attributes));
  w.u32(7, l.droppedAttributesCount);
  w.u32(8, l.flags);
  if (l.traceId === '') w.null(9);
  else w.u128Hex(9, l.traceId);
  if (l.spanId === '') w.null(10);
  else w.u64Hex(10, l.spanId);
  w.str(11, l.eventName);
  w.str(12, serviceOf(l));
  w.u32(13, st.resourceId(l.resource));
  w.u32(14, st.scopeId(l.scope));
}
