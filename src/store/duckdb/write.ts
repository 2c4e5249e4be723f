// One batch, one transaction: every table is filled through an Appender
// (no row-by-row INSERT) and the whole thing commits or rolls back.

import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
import { LIST, VARCHAR, listValue } from '@duckdb/node-api';

import type {
  Attributes,
  LogRecord,
  PromMetadata,
  Span,
  TelemetryBatch,
} from '../../model/telemetry';
import { serviceOf } from '../span-match';
import { encodeValue } from '../values';
import { ATTRIBUTE_SLOTS } from './catalog';
import type { Catalog, Staged } from './catalog';
import { encodeAttributesFast, encodeSpanExtras, encodeValueFast, hexToBig } from './codec';
import { query } from './sql';
import { appendPointChunk } from './write-points';

async function appendTo(
  conn: DuckDBConnection,
  table: string,
  fill: (a: DuckDBAppender) => void,
): Promise<void> {
  await appendChunked(conn, table, [null], (a) => fill(a));
}

/** Rows per turn of the event loop: a big batch must not stall reads behind it. */
export const CHUNK = 2048;
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function appendChunked<T>(
  conn: DuckDBConnection,
  table: string,
  items: readonly T[],
  fill: (a: DuckDBAppender, chunk: readonly T[]) => void,
  size = CHUNK,
): Promise<void> {
  const a = await conn.createAppender(table);
  try {
    for (let i = 0; i < items.length; i += size) {
      if (i > 0) await nextTurn();
      fill(a, items.length <= size ? items : items.slice(i, i + size));
      a.flushSync();
    }
  } finally {
    a.closeSync();
  }
}

const optVarchar = (a: DuckDBAppender, v: string | null): void =>
  v === null ? a.appendNull() : a.appendVarchar(v);

/** One trace's spans; the trace id is converted once for the spans and the index row. */
interface TraceGroup {
  readonly id: bigint;
  readonly spans: readonly Span[];
}

function appendSpans(a: DuckDBAppender, g: TraceGroup, st: Staged): void {
  for (const s of g.spans) {
    a.appendUHugeInt(g.id);
    a.appendUBigInt(hexToBig(s.spanId));
    if (s.parentSpanId === '') a.appendNull();
    else a.appendUBigInt(hexToBig(s.parentSpanId));
    a.appendVarchar(s.name);
    a.appendUTinyInt(s.kind);
    a.appendBigInt(s.startTimeUnixNano);
    a.appendBigInt(s.endTimeUnixNano - s.startTimeUnixNano);
    const resourceId = st.resourceId(s.resource);
    const service = st.serviceOf(resourceId);
    if (service !== '') st.spanServices.add(service);
    a.appendVarchar(service);
    a.appendUInteger(resourceId);
    a.appendUInteger(st.scopeId(s.scope));
    a.appendUTinyInt(s.status.code);
    a.appendUInteger(s.flags);
    optVarchar(a, encodeSpanExtras(s));
    appendAttributes(a, s.attributes, st);
    a.endRow();
  }
}

/**
 * keyset_id, a0..a15, attributes_rest (migration 004): the values by
 * position when the keys are an interned key set, else the whole JSON.
 */
function appendAttributes(a: DuckDBAppender, attrs: Attributes, st: Staged): void {
  const keys = Object.keys(attrs);
  const id = keys.length <= ATTRIBUTE_SLOTS ? st.keysetId(keys) : undefined;
  if (id === undefined) {
    a.appendNull();
    for (let i = 0; i < ATTRIBUTE_SLOTS; i++) a.appendNull();
    a.appendVarchar(encodeAttributesFast(attrs));
    return;
  }
  a.appendUInteger(id);
  for (const k of keys) a.appendVarchar(encodeValueFast(attrs[k] ?? null));
  for (let i = keys.length; i < ATTRIBUTE_SLOTS; i++) a.appendNull();
  a.appendNull();
}

/** The batch's spans per trace, traces in order of first appearance (which follows time). */
function groupByTrace(spans: readonly Span[]): TraceGroup[] {
  const byTrace = new Map<string, Span[]>();
  for (const s of spans) {
    const list = byTrace.get(s.traceId);
    if (list === undefined) byTrace.set(s.traceId, [s]);
    else list.push(s);
  }
  const groups: TraceGroup[] = [];
  for (const [traceId, list] of byTrace) groups.push({ id: hexToBig(traceId), spans: list });
  return groups;
}

/** One trace-index row per trace of this batch. */
function appendTraceIndex(a: DuckDBAppender, groups: readonly TraceGroup[]): void {
  for (const { id, spans: list } of groups) {
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
    a.appendUHugeInt(id);
    a.appendBigInt(first.startTimeUnixNano);
    a.appendBigInt(startMax);
    a.appendBigInt(endMax);
    a.appendUInteger(list.length);
    a.appendUInteger(errors);
    if (root === undefined) {
      a.appendNull();
      a.appendNull();
      a.appendNull();
    } else {
      a.appendVarchar(serviceOf(root));
      a.appendVarchar(root.name);
      a.appendBigInt(root.startTimeUnixNano);
    }
    a.appendVarchar(serviceOf(first));
    a.appendVarchar(first.name);
    a.endRow();
  }
}

function appendLogs(a: DuckDBAppender, logs: readonly LogRecord[], st: Staged): void {
  for (const l of logs) {
    a.appendBigInt(l.timeUnixNano !== 0n ? l.timeUnixNano : l.observedTimeUnixNano);
    a.appendBigInt(l.timeUnixNano);
    a.appendBigInt(l.observedTimeUnixNano);
    a.appendUTinyInt(l.severityNumber);
    a.appendVarchar(l.severityText);
    a.appendVarchar(encodeValue(l.body));
    a.appendVarchar(encodeAttributesFast(l.attributes));
    a.appendUInteger(l.droppedAttributesCount);
    a.appendUInteger(l.flags);
    if (l.traceId === '') a.appendNull();
    else a.appendUHugeInt(hexToBig(l.traceId));
    if (l.spanId === '') a.appendNull();
    else a.appendUBigInt(hexToBig(l.spanId));
    a.appendVarchar(l.eventName);
    a.appendVarchar(serviceOf(l));
    a.appendUInteger(st.resourceId(l.resource));
    a.appendUInteger(st.scopeId(l.scope));
    a.endRow();
  }
}

async function upsertMetadata(
  conn: DuckDBConnection,
  items: readonly PromMetadata[],
  known: Map<string, PromMetadata>,
): Promise<void> {
  const last = new Map<string, PromMetadata>();
  for (const m of items) last.set(m.metric, m);
  for (const m of last.values()) {
    const k = known.get(m.metric);
    if (k !== undefined && k.type === m.type && k.help === m.help && k.unit === m.unit) continue;
    await conn.run(query('upsert-metadata'), {
      metric: m.metric,
      type: m.type,
      help: m.help,
      unit: m.unit,
    });
  }
}

/** Writes a validated batch inside the caller's transaction. */
export async function writeBatch(
  conn: DuckDBConnection,
  batch: TelemetryBatch,
  catalog: Catalog,
  metadataCache: Map<string, PromMetadata>,
): Promise<Staged> {
  const st = catalog.begin();
  // Spans of one trace side by side: the trace id column then compresses by
  // run length (a service exports a trace's client and server spans together).
  const groups = groupByTrace(batch.spans ?? []);
  if (groups.length > 0) {
    const tracesPerTurn = Math.max(
      1,
      Math.floor((CHUNK * groups.length) / (batch.spans?.length ?? 1)),
    );
    await appendChunked(
      conn,
      'spans',
      groups,
      (a, chunk) => {
        for (const g of chunk) appendSpans(a, g, st);
      },
      tracesPerTurn,
    );
    await appendChunked(conn, 'trace_index_hot', groups, appendTraceIndex);
  }
  if (batch.logs?.length)
    await appendChunked(conn, 'logs', batch.logs, (a, chunk) => appendLogs(a, chunk, st));
  if (batch.metrics?.length)
    await appendChunked(conn, 'metric_points', batch.metrics ?? [], (a, chunk) =>
      appendPointChunk(a, chunk, st),
    );
  const samples = batch.samples ?? [];
  const exemplars = batch.exemplars ?? [];
  // Series the catalog dropped from memory get their stored ids back (no
  // second row per key); returns at once while memory holds every series.
  if (samples.length > 0 || exemplars.length > 0)
    await st.resolveSeries(conn, [
      ...samples.map((s) => s.labels),
      ...exemplars.map((e) => e.seriesLabels),
    ]);
  if (samples.length > 0) {
    // Series of one batch mostly share their timestamps: one bigint per run of equal times.
    let lastT = NaN;
    let lastBig = 0n;
    await appendChunked(conn, 'samples', samples, (a, chunk) => {
      for (const s of chunk) {
        const id = st.seriesId(s.labels);
        for (const p of s.samples) {
          if (p.t !== lastT) {
            lastT = p.t;
            lastBig = BigInt(p.t);
          }
          a.appendUInteger(id);
          a.appendBigInt(lastBig);
          a.appendDouble(p.v);
          a.endRow();
        }
      }
    });
  }
  if (exemplars.length > 0) {
    await appendTo(conn, 'exemplars', (a) => {
      for (const s of exemplars) {
        const id = st.seriesId(s.seriesLabels);
        for (const e of s.exemplars) {
          a.appendUInteger(id);
          a.appendBigInt(BigInt(e.t));
          a.appendDouble(e.v);
          a.appendVarchar(JSON.stringify(Object.entries(e.labels)));
          a.endRow();
        }
      }
    });
  }
  if (batch.metadata?.length) await upsertMetadata(conn, batch.metadata, metadataCache);
  // The small tables go last: by now every id a row refers to is staged.
  if (st.newResources.length > 0) {
    await appendTo(conn, 'resources', (a) => {
      for (const r of st.newResources) {
        a.appendUInteger(r.id);
        a.appendVarchar(r.service);
        a.appendVarchar(r.attributes);
        a.appendUInteger(r.resource.droppedAttributesCount);
        a.appendVarchar(r.resource.schemaUrl);
        optVarchar(a, r.entityRefs);
        a.endRow();
      }
    });
  }
  if (st.newScopes.length > 0) {
    await appendTo(conn, 'scopes', (a) => {
      for (const s of st.newScopes) {
        a.appendUInteger(s.id);
        a.appendVarchar(s.scope.name);
        a.appendVarchar(s.scope.version);
        a.appendVarchar(s.attributes);
        a.appendUInteger(s.scope.droppedAttributesCount);
        a.appendVarchar(s.scope.schemaUrl);
        a.endRow();
      }
    });
  }
  if (st.newKeysets.length > 0) {
    await appendTo(conn, 'attribute_keysets', (a) => {
      for (const k of st.newKeysets) {
        a.appendUInteger(k.id);
        a.appendList(listValue([...k.keys]), LIST(VARCHAR));
        a.endRow();
      }
    });
  }
  if (st.newSeries.length > 0) {
    await appendTo(conn, 'series', (a) => {
      for (const s of st.newSeries) {
        a.appendUInteger(s.id);
        a.appendVarchar(s.metric);
        a.appendVarchar(s.key);
        a.endRow();
      }
    });
  }
  return st;
}
