// One batch, one transaction: the big tables (spans, trace index, logs,
// samples) are filled as data chunks (chunk-writer.ts), the rest through an
// Appender (no row-by-row INSERT), and the whole thing commits or rolls back.

import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
import { LIST, VARCHAR, listValue } from '@duckdb/node-api';

import type { PromMetadata, TelemetryBatch } from '../../model/telemetry';
import type { Catalog, Staged } from './catalog';
import type { ChunkWriter } from './chunk-writer';
import { CHUNK_ROWS } from './chunk-writer';
import { query } from './sql';
import { appendPointChunk } from './write-points';
import { chunkWriters, fillLog, fillTraceIndex, spanRows } from './write-rows';
import type { Traces } from './write-rows';

/** The table the per-trace rows go to. */
export const TRACE_INDEX_TABLE = 'trace_index_hot';

/** Items validated per turn of the event loop (cheap checks: ~0.3 us each). */
export const CHUNK = CHUNK_ROWS;
/**
 * Rows filled and appended per turn of the event loop while a read waits
 * (see WriteTurns): the read's statements wait behind each turn. A 2,048-row
 * chunk of spans took ~4 ms to fill, and its flush ~2 ms more in the same
 * turn (bench/event-loop-during-ingest.md).
 */
export const TURN_ROWS = 512;
/**
 * Rows appended between two flushes into the transaction. A flush of the
 * spans table costs ~1.2 ms of CPU whatever its rows plus ~0.5 us a row:
 * flushing every 512 rows doubled the flush CPU per span. So the appender
 * holds 2,048 rows and the flush takes a turn of its own (~2 ms).
 */
const FLUSH_ROWS = CHUNK_ROWS;
const optVarchar = (a: DuckDBAppender, v: string | null): void =>
  v === null ? a.appendNull() : a.appendVarchar(v);

/**
 * Whether a write gives the event loop a turn between its chunks now. Each
 * turn also lets requests arriving meanwhile be decoded before this write
 * commits, which costs ingest ~15 % of its spans/s (4 clients, 512-span
 * batches: bench/event-loop-during-ingest.md), so the store yields only
 * while a read is waiting for its statements' results.
 */
export type WriteTurns = () => boolean;

const nextTurn = (turns: WriteTurns): Promise<void> | undefined =>
  turns() ? new Promise((resolve) => setImmediate(resolve)) : undefined;

/**
 * The turns of one appender's rows: after each TURN_ROWS appended, a turn
 * of the event loop; per FLUSH_ROWS (and after the last rows) a flush in a
 * turn of its own, then a turn for the caller's next work.
 */
class Pace {
  private unflushed = 0;

  constructor(
    private readonly a: DuckDBAppender,
    private readonly turns: WriteTurns,
  ) {}

  async appended(rows: number, last: boolean): Promise<void> {
    this.unflushed += rows;
    if (this.unflushed < FLUSH_ROWS && !last) return nextTurn(this.turns);
    await nextTurn(this.turns);
    this.a.flushSync();
    this.unflushed = 0;
    await nextTurn(this.turns);
  }
}

async function appendTo(
  conn: DuckDBConnection,
  table: string,
  turns: WriteTurns,
  fill: (a: DuckDBAppender) => void,
): Promise<void> {
  await appendChunked(conn, table, turns, [null], (a) => fill(a));
}

async function appendChunked<T>(
  conn: DuckDBConnection,
  table: string,
  turns: WriteTurns,
  items: readonly T[],
  fill: (a: DuckDBAppender, chunk: readonly T[]) => void,
): Promise<void> {
  const a = await conn.createAppender(table);
  try {
    const pace = new Pace(a, turns);
    for (let i = 0; i < items.length; i += TURN_ROWS) {
      const chunk = items.length <= TURN_ROWS ? items : items.slice(i, i + TURN_ROWS);
      fill(a, chunk);
      await pace.appended(chunk.length, i + TURN_ROWS >= items.length);
    }
  } finally {
    a.closeSync();
  }
}

/**
 * `count` rows through `w`: TURN_ROWS filled and appended per turn of the
 * event loop, a flush per FLUSH_ROWS in a turn of its own.
 */
async function appendRows(
  conn: DuckDBConnection,
  table: string,
  turns: WriteTurns,
  w: ChunkWriter,
  count: number,
  fill: (w: ChunkWriter, i: number) => void,
): Promise<void> {
  const a = await conn.createAppender(table);
  try {
    const pace = new Pace(a, turns);
    for (let i = 0; i < count; i++) {
      fill(w, i);
      w.endRow();
      if (w.row >= TURN_ROWS || w.full || i === count - 1) {
        const rows = w.row;
        w.append(a);
        await pace.appended(rows, i === count - 1);
      }
    }
  } finally {
    // A row filled halfway (a failure) must not reach the next write's chunk.
    w.reset();
    a.closeSync();
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

/**
 * Writes a validated batch inside the caller's transaction; `traces` is
 * `groupByTrace(batch.spans)`, which the caller also needs. `seq`: the
 * write's sequence number, recorded in its trace-index rows (see
 * 007_write_seq.sql).
 */
export async function writeBatch(
  conn: DuckDBConnection,
  batch: TelemetryBatch,
  traces: Traces,
  catalog: Catalog,
  metadataCache: Map<string, PromMetadata>,
  turns: WriteTurns = () => true,
  seq = 0,
): Promise<Staged> {
  const st = catalog.begin();
  const w = chunkWriters(conn);
  const spans = batch.spans ?? [];
  if (spans.length > 0) {
    await appendRows(conn, 'spans', turns, w.spans, spans.length, spanRows(traces, st));
    await appendRows(conn, TRACE_INDEX_TABLE, turns, w.traceIndex, traces.groups.length, (w, i) =>
      fillTraceIndex(w, traces.groups[i]!, traces.ids, i * 4, seq),
    );
  }
  const logs = batch.logs ?? [];
  if (logs.length > 0)
    await appendRows(conn, 'logs', turns, w.logs, logs.length, (w, i) => fillLog(w, logs[i]!, st));
  if (batch.metrics?.length)
    await appendChunked(conn, 'metric_points', turns, batch.metrics ?? [], (a, chunk) =>
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
    const ids: number[] = [];
    const points: { readonly t: number; readonly v: number }[] = [];
    for (const s of samples) {
      const id = st.seriesId(s.labels);
      for (const p of s.samples) {
        ids.push(id);
        points.push(p);
      }
    }
    await appendRows(conn, 'samples', turns, w.samples, points.length, (w, i) => {
      const p = points[i]!;
      w.u32(0, ids[i]!);
      w.i64Num(1, p.t);
      w.f64(2, p.v);
    });
  }
  if (exemplars.length > 0) {
    await appendTo(conn, 'exemplars', turns, (a) => {
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
    await appendTo(conn, 'resources', turns, (a) => {
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
    await appendTo(conn, 'scopes', turns, (a) => {
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
    await appendTo(conn, 'attribute_keysets', turns, (a) => {
      for (const k of st.newKeysets) {
        a.appendUInteger(k.id);
        a.appendList(listValue([...k.keys]), LIST(VARCHAR));
        a.endRow();
      }
    });
  }
  if (st.newSeries.length > 0) {
    await appendTo(conn, 'series', turns, (a) => {
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
