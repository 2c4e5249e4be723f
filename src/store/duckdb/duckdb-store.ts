// The DuckDB TelemetryStore: one write connection (writes are serialized,
// one transaction per batch) and a few read connections that see committed
// data only.

import { statSync } from 'node:fs';

import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { BIGINT } from '@duckdb/node-api';

import type {
  Labels,
  LogRecord,
  MetricPoint,
  PromMetadata,
  SeriesExemplars,
  SeriesSamples,
  Span,
  SpanKind,
  TelemetryBatch,
  UnixNano,
} from '../../model/telemetry';
import type {
  AttributeDistribution,
  DependencyEdge,
  DurationDistribution,
  LabelMatcher,
  LogQuery,
  MetricPointQuery,
  MsRange,
  Operation,
  RetentionPolicy,
  SpanFilter,
  StoreStats,
  TelemetryStore,
  TimeRange,
  TraceQuery,
  TraceSummary,
} from '../store';
import { checkTraceIds } from '../store';
import { validateBatchInTurns } from '../validate';
import { Catalog } from './catalog';
import { SamplesCompactor } from './compact-samples';
import { DEFAULT_SAMPLE_CACHE_BYTES, SampleCache } from './sample-cache';
import type { SamplesCompaction } from './compact-samples';
import { asBig, asNum, traceHex } from './codec';
import {
  MEMORY,
  StoreOpenError,
  explainOpenFailure,
  openDatabase,
  prepareConnection,
} from './open';
import { HotWindows } from './hot-windows';
import { MatchingResources, inTransaction, read, runScript } from './params';
import * as logs from './read-logs';
import * as metrics from './read-metrics';
import * as traces from './read-traces';
import { ROW_GROUP_ROWS, SearchedSpans, newestSpans, searchTraces } from './search';
import type { RecentSpans, SearchResult } from './search';
import { query } from './sql';
import { CHUNK, writeBatch } from './write';
import type { WriteTurns } from './write';
import { groupByTrace } from './write-rows';

/**
 * DuckDB's buffer pool bounds the backend's RSS as the store grows: at 256MB
 * RSS stays at 400-410 MiB mean from 5M to 25M spans (512MB: a ramp to
 * ~10M, then 650-700 MiB), and ingest capacity, reads during ingest and
 * trace search at 10M measured the same at both (bench/RESULTS.md,
 * 2026-11-26 session 6). `--memory-limit` raises it for big analytical reads.
 */
export const DEFAULT_MEMORY_LIMIT = '256MB';
export const DEFAULT_THREADS = 2;
/**
 * DuckDB checkpoints (compresses the WAL's rows into the file) at commit once
 * the WAL holds this much; its own default is 16MB. At 64MB a checkpoint runs
 * a quarter as often and ingest costs 10-25% less CPU per span (measured with
 * bench/ingest-http.ts, see bench/ingest-results.md); the price is up to 64MB
 * of WAL to replay on open after a crash.
 */
export const DEFAULT_CHECKPOINT_THRESHOLD = '64MB';
/** Bytes of recent search results' spans kept for the trace reads that follow a search. */
const SEARCHED_BYTES_KEPT = 16 * 1024 * 1024;
/** The schema that added trace_index_hot.write_seq (007_write_seq.sql). */
const WRITE_SEQ_SCHEMA = 7;
/** Writes remembered to find where the newest row group's worth of spans begins. */
const TIMELINE_WRITES = 256;
const DAY_NS = 86_400n * 1_000_000_000n;
/**
 * Rows the hot (unindexed) part of the trace index holds before a write
 * moves it into the cold part first. Reads find hot traces through their
 * windows held in memory (HotWindows, ~23 MiB at 200k traces), so the bound
 * is a memory bound; each move costs one rewrite of the cold ART (0.4 s move
 * + 0.8 s checkpoint at 1.25M cold rows), so not too small either.
 */
export const DEFAULT_TRACE_INDEX_HOT_ROWS = 200_000;
/**
 * Hot rows a move takes per transaction. A move is a run of these slices,
 * one per write turn, so a write waits for one slice (~80 ms of CPU at 20k
 * rows into a 2.5M-row cold part, against ~1 s for 200k in one), and the
 * writes queued meanwhile go between them (bench/checkpoints.md).
 */
const TRACE_INDEX_MOVE_SLICE_ROWS = 20_000;
/** Maintenance moves the hot part at least this often, so a quiet store's index gets compact too. */
const TRACE_INDEX_MOVE_EVERY_NS = 3_600n * 1_000_000_000n;
/** Laptop defaults the CLI wires: a week, 2 GiB. */
export const DEFAULT_RETENTION: RetentionPolicy = { maxAge: 7n * DAY_NS, maxBytes: 2 * 1024 ** 3 };

export interface DuckDbStoreOptions {
  /** Directory holding otel-lab.duckdb (created if missing), or ':memory:'. */
  readonly dataDir: string;
  /** DuckDB memory_limit, e.g. '1GB' (default DEFAULT_MEMORY_LIMIT). */
  readonly memoryLimit?: string;
  readonly threads?: number;
  /** WAL size that triggers a checkpoint (default DEFAULT_CHECKPOINT_THRESHOLD). */
  readonly checkpointThreshold?: string;
  /** Tests only: stop migrating at this schema version. */
  readonly schemaVersion?: number;
  /** Resources (and scopes) kept in memory; default DEFAULT_INTERNED_ENTRIES. */
  readonly catalogEntries?: number;
  /** Prometheus series kept in memory; default DEFAULT_SERIES_ENTRIES. */
  readonly seriesEntries?: number;
  /** Memory for samples PromQL reads keep between queries; default DEFAULT_SAMPLE_CACHE_BYTES, 0 for none. */
  readonly sampleCacheBytes?: number;
  /** Hot trace-index rows before a move into the cold part; default DEFAULT_TRACE_INDEX_HOT_ROWS. */
  readonly traceIndexHotRows?: number;
  /** Tests only: hot rows a move takes per transaction (default TRACE_INDEX_MOVE_SLICE_ROWS). */
  readonly traceIndexMoveSliceRows?: number;
  /**
   * When a write gives the event loop a turn between its chunks: 'reads'
   * (default) only while a read waits for results, 'always' for tests.
   */
  readonly writeTurns?: 'reads' | 'always';
}

/** Runs tasks one at a time, in order; a failure does not block the next. */
class Serial {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(task: () => Promise<T>): Promise<T> {
    const next = this.tail.then(task, task);
    this.tail = next.catch(() => undefined);
    return next;
  }
}

class Pool {
  private readonly lanes: { conn: DuckDBConnection; serial: Serial; queued: number }[];
  constructor(conns: DuckDBConnection[]) {
    this.lanes = conns.map((conn) => ({ conn, serial: new Serial(), queued: 0 }));
  }
  /** On the lane with the fewest reads queued: a trace by id must not wait behind a search. */
  run<T>(task: (c: DuckDBConnection) => Promise<T>): Promise<T> {
    let lane = this.lanes[0]!;
    for (const l of this.lanes) if (l.queued < lane.queued) lane = l;
    lane.queued++;
    const chosen = lane;
    return chosen.serial.run(() => task(chosen.conn)).finally(() => chosen.queued--);
  }
  /** Whether some read is queued or waiting for its statements' results. */
  get waiting(): boolean {
    for (const l of this.lanes) if (l.queued > 0) return true;
    return false;
  }
  /** Waits for every queued read, then closes the connections. */
  async close(): Promise<void> {
    await Promise.all(this.lanes.map((l) => l.serial.run(async () => undefined)));
    for (const l of this.lanes) l.conn.closeSync();
  }
}

export class DuckDbStore implements TelemetryStore {
  private closed = false;
  private readonly writes = new Serial();
  private readonly metadataCache = new Map<string, PromMetadata>();
  /**
   * The latest span start this process committed: where a recent-first
   * search starts looking back from (any value gives the same answers).
   */
  private newestSpanStart = -(1n << 63n);
  /** After each of the last writes: spans written so far, and the newest span start then. */
  private readonly timeline: { spans: number; newest: bigint }[] = [];
  private spansWritten = 0;
  /** The stored spans' newest row group, read once after opening. */
  private stored: RecentSpans | undefined;
  private readonly searched = new SearchedSpans(SEARCHED_BYTES_KEPT);
  /** Span writes record their sequence number in trace_index_hot (schema 7; tests open older ones). */
  private get recordsWrites(): boolean {
    return this.schemaVersion >= WRITE_SEQ_SCHEMA;
  }
  /** Resource ids per search tag, kept until the resources table changes. */
  private readonly matching = new MatchingResources();
  /** Rows in trace_index_hot (counted at open, then one per trace per write). */
  private hotRows = 0;
  private hotRowsBound = DEFAULT_TRACE_INDEX_HOT_ROWS;
  /** The hot rows' window per trace, so a trace by id probes only the cold ART. */
  private hotWindows = new HotWindows(2 * DEFAULT_TRACE_INDEX_HOT_ROWS);
  /** When maintenance last moved the hot trace index (its clock), undefined before its first run. */
  private lastMove: bigint | undefined;
  /** A move from the write path failed: leave it to maintenance, which reports errors. */
  private moveFailed = false;
  /**
   * Bytes in use when retention by size last gave up: deleting the oldest
   * data freed nothing (DuckDB frees a row group's blocks only once all its
   * rows are gone). Later passes wait until the store has grown a tenth past
   * it, rather than deleting everything for a limit they cannot reach.
   */
  private sizeFloor: number | undefined;
  private sliceRows = TRACE_INDEX_MOVE_SLICE_ROWS;
  /** See WriteTurns: a write yields between its chunks only while a read waits. */
  private writeTurns: WriteTurns = () => this.readers.waiting;
  /** The move under way, if any: its slices take turns with writes. */
  private moving: Promise<void> | undefined;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly file: string,
    private readonly writer: DuckDBConnection,
    private readonly readers: Pool,
    private readonly catalog: Catalog,
    readonly schemaVersion: number,
    private readonly sampleCache: SampleCache,
  ) {}

  static async open(o: DuckDbStoreOptions): Promise<DuckDbStore> {
    const hot = o.traceIndexHotRows;
    for (const [name, v] of [
      ['traceIndexHotRows', hot],
      ['traceIndexMoveSliceRows', o.traceIndexMoveSliceRows],
    ] as const)
      if (v !== undefined && (!Number.isSafeInteger(v) || v < 1))
        throw new RangeError(`${name} must be a positive integer, got ${v}`);
    const threads = Math.max(1, Math.floor(o.threads ?? DEFAULT_THREADS));
    const opened = await openDatabase({
      dataDir: o.dataDir,
      memoryLimit: o.memoryLimit ?? DEFAULT_MEMORY_LIMIT,
      threads,
      checkpointThreshold: o.checkpointThreshold ?? DEFAULT_CHECKPOINT_THRESHOLD,
      ...(o.schemaVersion === undefined ? {} : { schemaVersion: o.schemaVersion }),
    });
    const conns: DuckDBConnection[] = [];
    try {
      for (let i = 0; i < threads + 1; i++) {
        const c = await opened.instance.connect();
        conns.push(c);
        await prepareConnection(c, opened.version);
      }
      const catalog = new Catalog(o.catalogEntries, o.seriesEntries);
      await catalog.load(conns[0]!);
      const store = new DuckDbStore(
        opened.instance,
        opened.file,
        conns[0]!,
        new Pool(conns.slice(1)),
        catalog,
        opened.version,
        new SampleCache(o.sampleCacheBytes ?? DEFAULT_SAMPLE_CACHE_BYTES),
      );
      for (const m of await metrics.metadata(conns[0]!)) store.metadataCache.set(m.metric, m);
      store.hotRowsBound = o.traceIndexHotRows ?? DEFAULT_TRACE_INDEX_HOT_ROWS;
      store.sliceRows = o.traceIndexMoveSliceRows ?? TRACE_INDEX_MOVE_SLICE_ROWS;
      if (o.writeTurns === 'always') store.writeTurns = () => true;
      store.hotWindows = new HotWindows(2 * store.hotRowsBound);
      // Older versions (tests open them) have no hot table.
      if (opened.version >= 6) await store.loadHot();
      if (store.recordsWrites) {
        const seq = (await read(conns[0]!, query('write-seq'))).getRows()[0]?.[0];
        store.searched.resume(seq === undefined || seq === null ? 0 : asNum(seq));
      }
      store.readStoredSpans();
      return store;
    } catch (err) {
      for (const c of conns) c.closeSync();
      opened.instance.closeSync();
      throw err instanceof StoreOpenError ? err : explainOpenFailure(opened.file, err);
    }
  }

  private guard(): void {
    if (this.closed) throw new Error('the store is closed');
  }

  private reading<T>(task: (c: DuckDBConnection) => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the store is closed'));
    return this.readers.run(task);
  }

  async write(batch: TelemetryBatch): Promise<void> {
    this.guard();
    await validateBatchInTurns(batch, CHUNK);
    const traces = groupByTrace(batch.spans ?? []);
    // Per trace: the window of its span starts, as its trace-index row will have.
    const windows = new Map<string, { lo: bigint; hi: bigint }>();
    let newest = this.newestSpanStart;
    for (const group of traces.groups) {
      let lo = group[0]!.startTimeUnixNano;
      let hi = lo;
      for (const s of group) {
        const t = s.startTimeUnixNano;
        if (t < lo) lo = t;
        else if (t > hi) hi = t;
      }
      windows.set(group[0]!.traceId, { lo, hi });
      if (hi > newest) newest = hi;
    }
    // PromQL's held samples of these blocks take this write's once it commits.
    const sampleBlocks = this.sampleCache.blocksOf(batch.samples ?? []);
    const traceIds: ReadonlySet<string> = new Set(windows.keys());
    await this.writes.run(async () => {
      this.guard();
      // Its slices queue behind this write, and take turns with the next ones.
      if (traceIds.size > 0 && this.hotRows >= this.hotRowsBound && !this.moveFailed)
        this.moveTraceIndex().catch(() => {
          this.moveFailed = true;
        });
      // Before the commit: a read never sees hot rows memory does not cover.
      for (const [id, w] of windows) this.hotWindows.note(id, w.lo, w.hi);
      const seq = traceIds.size > 0 ? this.searched.writeStarted(traceIds) : undefined;
      this.sampleCache.writeStarted(sampleBlocks);
      let addsResources = false;
      let committed = false;
      try {
        await this.writer.run('BEGIN TRANSACTION');
        const staged = await writeBatch(
          this.writer,
          batch,
          traces,
          this.catalog,
          this.metadataCache,
          this.writeTurns,
          seq,
        );
        // New key sets change the tag key positions searches remember, too.
        addsResources = staged.newResources.length > 0 || staged.newKeysets.length > 0;
        if (addsResources) this.matching.changeStarted();
        await this.writer.run('COMMIT');
        committed = true;
        staged.commit();
        for (const m of batch.metadata ?? []) this.metadataCache.set(m.metric, m);
        if (newest > this.newestSpanStart) this.newestSpanStart = newest;
        if (traceIds.size > 0) this.noteSpans(batch.spans?.length ?? 0);
        this.hotRows += traceIds.size; // one trace-index row per trace per write
      } catch (err) {
        await this.writer.run('ROLLBACK').catch(() => undefined);
        throw new Error(
          `write failed and was rolled back, nothing of this batch was stored: ${(err as Error).message}${advice(this.file, err)}`,
          { cause: err },
        );
      } finally {
        this.sampleCache.writeEnded(sampleBlocks, committed ? (batch.samples ?? []) : undefined);
        if (addsResources) this.matching.changeEnded();
        if (seq !== undefined) this.searched.writeEnded();
      }
    });
  }

  /**
   * A read that rebuilds resources and scopes: run again while the catalog's
   * caches missed some and loading them found rows new to this read (only
   * past `catalogEntries` distinct resources does it happen at all). What it
   * loads is kept for it alone until it ends, so a result may use more
   * resources than the cache holds. Each round adds at least one row and a
   * read stops at its first miss, so the rounds are capped.
   */
  private readingRows<T>(task: (c: DuckDBConnection) => Promise<T>): Promise<T> {
    return this.reading(async (c) => {
      const rows = this.catalog.beginRead();
      for (let round = 0; ; round++) {
        try {
          return await rows.run(() => task(c));
        } catch (err) {
          const held = rows.size;
          if (round >= 64 || !(await this.catalog.loadMissing(c, rows)) || rows.size === held)
            throw err;
        }
      }
    });
  }

  getTrace(traceId: string): Promise<Span[]> {
    // The trace a search just listed is the one a user opens next.
    const cached = this.searched.take([traceId]).found.values().next();
    if (!cached.done) return Promise.resolve(cached.value);
    return this.readingRows((c) => traces.getTrace(c, this.catalog, traceId, this.hotWindows));
  }
  async getTraces(traceIds: readonly string[]): Promise<Map<string, Span[]>> {
    checkTraceIds(traceIds);
    const { found, missing } = this.searched.take(traceIds);
    if (missing.length === 0) return found;
    const read = await this.readingRows((c) =>
      traces.getTraces(c, this.catalog, missing, this.hotWindows),
    );
    for (const [id, spans] of read) found.set(id, spans);
    return found;
  }
  private noteSpans(n: number): void {
    this.spansWritten += n;
    this.timeline.push({ spans: this.spansWritten, newest: this.newestSpanStart });
    if (this.timeline.length > TIMELINE_WRITES) this.timeline.shift();
  }

  /**
   * From this process's writes, or from what was stored when it opened
   * while those do not reach back a row group's worth of spans. Undefined
   * until either is known (a search then scans its whole range).
   */
  private recentSpans(): RecentSpans | undefined {
    const stored = this.stored;
    const last = this.timeline[this.timeline.length - 1];
    if (last === undefined) return stored;
    let from: bigint | undefined;
    for (let i = this.timeline.length - 1; i >= 0 && from === undefined; i--) {
      const e = this.timeline[i]!;
      if (e.spans <= last.spans - ROW_GROUP_ROWS) from = e.newest;
    }
    from ??= stored === undefined ? this.timeline[0]!.newest : stored.newest - stored.width;
    return { newest: this.newestSpanStart, width: this.newestSpanStart - from };
  }

  /** Finds the stored spans' newest row group, in the background (a top-N of every span's start). */
  private readStoredSpans(): void {
    this.reading((c) => newestSpans(c)).then(
      (r) => {
        if (r === undefined) return;
        this.stored = r;
        if (r.newest > this.newestSpanStart) this.newestSpanStart = r.newest;
      },
      // A store closed meanwhile, or damage a later read reports: searches scan their range.
      () => undefined,
    );
  }

  async searchTraces(q: TraceQuery): Promise<TraceSummary[]> {
    this.searched.searchStarted();
    let result: SearchResult | undefined;
    try {
      result = await this.readingRows((c) =>
        searchTraces(
          c,
          this.catalog,
          q,
          this.recentSpans(),
          { mark: () => this.searched.mark(), recorded: this.recordsWrites },
          this.matching,
          this.hotWindows,
        ),
      );
      return result.summaries;
    } finally {
      this.searched.searchEnded(result?.spansToken, result?.spans);
    }
  }

  services(range?: TimeRange): Promise<string[]> {
    if (range === undefined && !this.closed)
      return Promise.resolve([...this.catalog.spanServices].sort());
    return this.reading((c) => traces.services(c, range));
  }
  operations(service: string, spanKind?: SpanKind): Promise<Operation[]> {
    return this.reading((c) => traces.operations(c, service, spanKind));
  }
  dependencies(range: TimeRange): Promise<DependencyEdge[]> {
    return this.reading((c) => traces.dependencies(c, range));
  }
  durationDistribution(filter: SpanFilter): Promise<DurationDistribution> {
    return this.reading((c) => traces.durationDistribution(c, filter, this.matching));
  }
  attributeDistribution(
    filter: SpanFilter,
    maxValuesPerKey: number,
  ): Promise<AttributeDistribution> {
    return this.reading((c) =>
      traces.attributeDistribution(c, filter, maxValuesPerKey, this.matching),
    );
  }
  searchMetricPoints(q: MetricPointQuery): Promise<MetricPoint[]> {
    return this.readingRows((c) => logs.searchMetricPoints(c, this.catalog, q));
  }
  selectSeries(matchers: readonly LabelMatcher[], range: MsRange): Promise<SeriesSamples[]> {
    return this.reading((c) =>
      metrics.selectSeries(c, this.catalog, this.sampleCache, matchers, range),
    );
  }
  labelNames(sets: readonly LabelMatcher[][], range: MsRange): Promise<string[]> {
    return this.reading((c) => metrics.labelNames(c, this.catalog, sets, range));
  }
  labelValues(name: string, sets: readonly LabelMatcher[][], range: MsRange): Promise<string[]> {
    return this.reading((c) => metrics.labelValues(c, this.catalog, name, sets, range));
  }
  series(sets: readonly LabelMatcher[][], range: MsRange): Promise<Labels[]> {
    return this.reading((c) => metrics.seriesLabels(c, this.catalog, sets, range));
  }
  exemplars(sets: readonly LabelMatcher[][], range: MsRange): Promise<SeriesExemplars[]> {
    return this.reading((c) => metrics.exemplars(c, this.catalog, sets, range));
  }
  metadata(metric?: string): Promise<PromMetadata[]> {
    return this.reading((c) => metrics.metadata(c, metric));
  }
  searchLogs(q: LogQuery): Promise<LogRecord[]> {
    return this.readingRows((c) => logs.searchLogs(c, this.catalog, q));
  }

  async stats(): Promise<StoreStats> {
    const row = (await this.reading((c) => read(c, query('stats')))).getRows()[0] ?? [];
    return {
      spans: asNum(row[0] ?? 0),
      logs: asNum(row[1] ?? 0),
      metricPoints: asNum(row[2] ?? 0),
      series: asNum(row[3] ?? 0),
      samples: asNum(row[4] ?? 0),
      bytesOnDisk: this.bytesOnDisk(),
      bytesFree: this.file === MEMORY ? 0 : asNum(row[5] ?? 0),
    };
  }

  /** The database file and its write-ahead log. */
  private bytesOnDisk(): number {
    if (this.file === MEMORY) return 0;
    let total = 0;
    for (const f of [this.file, `${this.file}.wal`]) {
      try {
        total += statSync(f).size;
      } catch {
        // no WAL right after a checkpoint
      }
    }
    return total;
  }

  /**
   * Drops data by age and size, and moves the hot trace index into the cold
   * part when it is full or was last moved an hour ago. Call it periodically.
   */
  async applyRetention(policy: RetentionPolicy, now: UnixNano): Promise<void> {
    this.guard();
    this.lastMove ??= now;
    if (
      this.moving !== undefined ||
      this.hotRows >= this.hotRowsBound ||
      (this.hotRows > 0 && now - this.lastMove >= TRACE_INDEX_MOVE_EVERY_NS)
    ) {
      // Slice by slice, each its own write turn: awaited outside any turn.
      await this.moveTraceIndex();
      this.lastMove = now;
    }
    await this.writes.run(async () => {
      // It deletes spans of any trace: searches keep none it may have touched.
      this.searched.writeStarted('all');
      try {
        if (policy.maxAge !== undefined) await this.dropOlderThan(now - policy.maxAge);
        if (policy.maxBytes !== undefined && this.file !== MEMORY)
          await this.shrinkTo(policy.maxBytes);
        // Deleted resource ids may be given to new resources later.
        this.matching.changeStarted();
        try {
          await this.catalog.dropUnused(this.writer);
        } finally {
          this.matching.changeEnded();
        }
      } finally {
        this.searched.writeEnded();
      }
    });
    // Its own turn of the write queue: writes waiting meanwhile go first.
    if (!this.closed) await this.compactSamples(now);
  }

  private readonly samplesCompactor = new SamplesCompactor();

  /**
   * Rewrites the oldest closed 10-minute block of samples ordered by series
   * (compact-samples.ts), at most one per call; applyRetention calls it.
   */
  compactSamples(now: UnixNano): Promise<SamplesCompaction | undefined> {
    this.guard();
    const nowMs = now >= 0n ? now / 1_000_000n : -((-now + 999_999n) / 1_000_000n);
    // Maintenance: closing meanwhile skips it rather than fail retention.
    return this.samplesCompactor.step(
      (task) => this.writes.run(async () => (this.closed ? undefined : task(this.writer))),
      nowMs,
      (fromMs, toMs) => {
        const blocks = this.sampleCache.blocksBetween(fromMs, toMs);
        this.sampleCache.writeStarted(blocks);
        return () => this.sampleCache.writeEnded(blocks);
      },
    );
  }

  /** Resource and scope entries held in memory (bounded by `catalogEntries`). */
  catalogSizes(): ReturnType<Catalog['sizes']> {
    return this.catalog.sizes();
  }

  private async countHotRows(): Promise<void> {
    const row = (await read(this.writer, query('trace-index-hot-rows'))).getRows()[0];
    this.hotRows = asNum(row?.[0] ?? 0);
  }

  /** At open: the hot rows' count and their windows per trace. */
  private async loadHot(): Promise<void> {
    await this.countHotRows();
    if (this.hotRows > 2 * this.hotRowsBound) {
      this.hotWindows.abandon(); // until the first move
      return;
    }
    const rows = await read(this.writer, query('trace-index-hot-windows'));
    for (const r of rows.getRows())
      this.hotWindows.note(traceHex(r[0]!), asBig(r[1]!), asBig(r[2]!));
  }

  /**
   * Moves the hot trace index into the cold part, the rows there when it
   * begins, in slices of TRACE_INDEX_MOVE_SLICE_ROWS rows: each slice is
   * one transaction (a read sees each row on one side or the other) in its
   * own write turn. Starts a move unless one is under way; resolves when it
   * has moved its last slice (or the store closed), rejects on a failure.
   */
  private moveTraceIndex(): Promise<void> {
    this.moving ??= this.moveInSlices().finally(() => {
      this.moving = undefined;
    });
    return this.moving;
  }

  private async moveInSlices(): Promise<void> {
    let last: bigint | undefined;
    for (;;) {
      const done = await this.writes.run(async () => {
        if (this.closed) return true;
        if (last === undefined) {
          const row = (await read(this.writer, query('trace-index-hot-last'))).getRows()[0];
          const max = row?.[0];
          if (max === null || max === undefined) {
            // Nothing hot, and no write in flight in a write turn: nothing to keep.
            this.hotWindows.clear();
            this.hotRows = 0;
            return true;
          }
          last = asBig(max);
          this.hotWindows.beginMove();
        }
        const bounds = { last: [last, BIGINT], rows: [this.sliceRows, BIGINT] } as const;
        await inTransaction(this.writer, () =>
          runScript(this.writer, query('move-trace-index'), bounds),
        );
        const left = (
          await read(this.writer, query('trace-index-hot-left'), { last: bounds.last })
        ).getRows()[0];
        this.hotRows = asNum(left?.[1] ?? 0);
        if (asNum(left?.[0] ?? 0) > 0) return false;
        // Only now: a read that took its windows from memory before the
        // last slice committed still found the rows in hot.
        this.hotWindows.endMove();
        this.moveFailed = false;
        return true;
      });
      if (done) return;
    }
  }

  /** Tests and benches: move the whole hot trace index into the cold part now, whatever its size. */
  async flushTraceIndex(): Promise<void> {
    this.guard();
    // A move under way leaves the rows written since it began.
    if (this.moving !== undefined) await this.moving;
    await this.moveTraceIndex();
  }

  private async dropOlderThan(cutoff: bigint): Promise<void> {
    const cutoffMs = cutoff >= 0n ? cutoff / 1_000_000n : -((-cutoff + 999_999n) / 1_000_000n);
    this.sampleCache.dropBefore(Number(cutoffMs));
    await inTransaction(this.writer, () =>
      runScript(this.writer, query('retention-age'), {
        cutoff_ns: [cutoff, BIGINT],
        cutoff_ms: [cutoffMs, BIGINT],
      }),
    );
    await this.countHotRows(); // it deleted hot rows too
    await this.catalog.loadSeries(this.writer);
    await this.catalog.loadSpanServices(this.writer);
  }

  /**
   * Size counts blocks in use (the file itself does not shrink: DuckDB
   * reuses freed blocks). Drops the oldest tenth of the time span per round.
   * Blocks are freed per row group, so when dropping stops freeing any (all
   * data in a few row groups) it stops rather than empty the store for nothing.
   */
  private async shrinkTo(maxBytes: number): Promise<void> {
    let best = Number.POSITIVE_INFINITY;
    let idle = 0;
    for (let round = 0; round < 20; round++) {
      await this.writer.run('CHECKPOINT');
      const used = asNum((await read(this.writer, query('database-size'))).getRows()[0]?.[0] ?? 0);
      if (used <= maxBytes) {
        this.sizeFloor = undefined;
        return;
      }
      const floor = this.sizeFloor;
      if (round === 0 && floor !== undefined && used <= floor + floor / 10) return;
      // A slice that ends inside a row group frees nothing until the next one empties it.
      idle = used < best ? 0 : idle + 1;
      best = Math.min(best, used);
      if (idle >= 3) {
        this.sizeFloor = used;
        return;
      }
      const [lo, hi] = (await read(this.writer, query('time-bounds'))).getRows()[0] ?? [];
      if (lo === null || lo === undefined || hi === null || hi === undefined) return;
      const from = asBig(lo);
      const to = asBig(hi);
      if (from >= to) return; // one instant left: keep the newest data
      const step = (to - from) / 10n;
      await this.dropOlderThan(from + (step > 0n ? step : 1n));
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.writes.run(async () => {
      this.closed = true;
    });
    await this.readers.close();
    this.writer.closeSync();
    this.instance.closeSync();
  }
}

/** What to do about a failed write, when the cause is one a user can act on. */
function advice(file: string, err: unknown): string {
  const msg = (err as Error).message;
  if (/no space left|ENOSPC|disk is full/i.test(msg)) {
    return ` (the disk holding ${file} is full: free space or lower the store's size limit; data already stored is kept)`;
  }
  if (/invalidated/i.test(msg)) {
    return ` (the database ${file} stopped after an earlier fatal error: restart otel-lab to reopen it; committed data is kept)`;
  }
  return '';
}

/** Opens (creating or migrating as needed) the DuckDB store. Rejects with StoreOpenError. */
export async function createDuckDbStore(o: DuckDbStoreOptions): Promise<DuckDbStore> {
  return DuckDbStore.open(o);
}
