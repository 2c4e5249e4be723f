import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';

import { DuckDBInstance } from '@duckdb/node-api';

import type { Span } from '../../model/telemetry';
import { ALL_TIME } from '../contract-fixtures';
import { createMemoryStore } from '../memory';
import { makeResource, makeSpan, ms, spanIdOf, traceIdOf } from '../testing';
import { DB_FILE_NAME, createDuckDbStore } from './index';
import { MatchingResources } from './params';
import { LISTED_TRACE_IDS, spansOfTraces } from './read-traces';
import { ROW_GROUP_ROWS, SearchedSpans, newestSpans, spanBytes } from './search';
import { openDatabase } from './open';

const span = (trace: number, id: number, atMs: number, attributes = {}): Span =>
  makeSpan({
    traceId: traceIdOf(trace),
    spanId: spanIdOf(id),
    resource: makeResource('recommendation'),
    startTimeUnixNano: ms(atMs),
    endTimeUnixNano: ms(atMs + 5),
    attributes,
  });

const found = (...traces: number[]): Map<string, Span[]> =>
  new Map(traces.map((t) => [traceIdOf(t), [span(t, t, 0)]]));
/** A search that read `spans` with no write in between. */
function searchOnce(c: SearchedSpans, spans: Map<string, Span[]>): void {
  c.searchStarted();
  c.searchEnded(c.mark(), spans);
}
const cached = (c: SearchedSpans, trace: number): boolean =>
  c.take([traceIdOf(trace)]).found.has(traceIdOf(trace));

describe('SearchedSpans', () => {
  it('keeps what a search read and answers it as a copy', () => {
    const c = new SearchedSpans(1_000_000);
    searchOnce(c, found(1));
    const a = c.take([traceIdOf(1), traceIdOf(2)]);
    assert.equal(a.found.get(traceIdOf(1))?.length, 1);
    assert.deepEqual(a.missing, [traceIdOf(2)]);
    a.found.get(traceIdOf(1))!.pop();
    assert.equal(c.take([traceIdOf(1)]).found.get(traceIdOf(1))?.length, 1);
  });

  it('drops a trace a write touches', () => {
    const c = new SearchedSpans(1_000_000);
    searchOnce(c, found(1, 2));
    c.writeStarted(new Set([traceIdOf(1)]));
    c.writeEnded();
    assert.equal(cached(c, 1), false);
    assert.equal(cached(c, 2), true);
  });

  it('does not keep a trace written while the search ran', () => {
    const c = new SearchedSpans(1_000_000);
    c.searchStarted();
    const token = c.mark();
    c.writeStarted(new Set([traceIdOf(1)]));
    c.writeEnded();
    c.searchEnded(token, found(1, 2));
    assert.equal(cached(c, 1), false);
    assert.equal(cached(c, 2), true);
  });

  it('does not keep a trace whose write was under way when its spans were read', () => {
    const c = new SearchedSpans(1_000_000);
    c.searchStarted();
    c.writeStarted(new Set([traceIdOf(1)]));
    const token = c.mark();
    c.writeEnded();
    c.searchEnded(token, found(1, 2));
    assert.equal(cached(c, 1), false);
    assert.equal(cached(c, 2), true);
  });

  it('keeps a trace whose write was under way when its spans were read, if the read saw its sequence number', () => {
    const c = new SearchedSpans(1_000_000);
    c.searchStarted();
    const seq = c.writeStarted(new Set([traceIdOf(1)]));
    const marked = c.mark();
    assert.equal(marked, seq - 1);
    // The read found write_seq = seq: that write's COMMIT was in its snapshot.
    c.searchEnded(Math.max(marked, seq), found(1, 2));
    c.writeEnded();
    assert.equal(cached(c, 1), true);
    assert.equal(cached(c, 2), true);
  });

  it('does not keep a trace of a write after the sequence number its read saw', () => {
    const c = new SearchedSpans(1_000_000);
    c.searchStarted();
    const first = c.writeStarted(new Set([traceIdOf(1)]));
    c.writeEnded();
    c.writeStarted(new Set([traceIdOf(2)]));
    const marked = c.mark();
    c.searchEnded(Math.max(marked, first), found(1, 2, 3));
    c.writeEnded();
    assert.deepEqual(
      [1, 2, 3].map((t) => cached(c, t)),
      [true, false, true],
    );
  });

  it('numbers writes on from where a reopened store left off', () => {
    const c = new SearchedSpans(1_000_000);
    c.resume(41);
    assert.equal(c.writeStarted(new Set([traceIdOf(1)])), 42);
    c.writeEnded();
    c.resume(7); // never back
    assert.equal(c.writeStarted(new Set([traceIdOf(1)])), 43);
    c.writeEnded();
  });

  it('keeps a trace whose write ended before its spans were read', () => {
    const c = new SearchedSpans(1_000_000);
    c.searchStarted();
    c.writeStarted(new Set([traceIdOf(1)]));
    c.writeEnded();
    c.searchEnded(c.mark(), found(1));
    assert.equal(cached(c, 1), true);
  });

  it('keeps nothing of a search that overlapped retention, and retention empties it', () => {
    const c = new SearchedSpans(1_000_000);
    searchOnce(c, found(3));
    c.searchStarted();
    const token = c.mark();
    c.writeStarted('all');
    c.writeEnded();
    c.searchEnded(token, found(1));
    assert.equal(cached(c, 1), false);
    assert.equal(cached(c, 3), false);
  });

  it('keeps nothing of a search that overlapped more writes than it remembers', () => {
    const c = new SearchedSpans(1_000_000, 2);
    c.searchStarted();
    const token = c.mark();
    for (const t of [5, 6, 7]) {
      c.writeStarted(new Set([traceIdOf(t)]));
      c.writeEnded();
    }
    c.searchEnded(token, found(1));
    assert.equal(cached(c, 1), false);
    searchOnce(c, found(1));
    assert.equal(cached(c, 1), true);
  });

  it('holds at most maxBytes of spans, oldest out first', () => {
    const c = new SearchedSpans(2 * spanBytes(span(1, 1, 0)));
    searchOnce(c, found(1, 2));
    searchOnce(c, found(3));
    assert.deepEqual(
      [1, 2, 3].map((t) => cached(c, t)),
      [false, true, true],
    );
  });

  it('does not keep a trace bigger than its bound (attribute values are client text)', () => {
    const c = new SearchedSpans(100_000);
    searchOnce(c, new Map([[traceIdOf(1), [span(1, 1, 0, { big: 'x'.repeat(200_000) })]]]));
    assert.equal(cached(c, 1), false);
    assert.ok(spanBytes(span(1, 1, 0, { big: 'x'.repeat(200_000) })) > 400_000);
  });
});

describe('DuckDB search sorted by duration or span count', () => {
  it('ranks 200k matching traces within a 40MB memory limit, as the sort says', async () => {
    // The ranking's groups once held each trace's texts too: 200k traces
    // needed over 64MB (at 10M spans the 256MB default ran out).
    const dir = mkdtempSync(path.join(tmpdir(), 'otel-lab-sorts-'));
    after(() => rmSync(dir, { recursive: true, force: true }));
    const store = await createDuckDbStore({ dataDir: dir, threads: 1, memoryLimit: '40MB' });
    try {
      const n = 200_000;
      const durationMs = (t: number): number => 1 + (t % 97);
      for (let i = 0; i < n; i += 10_000) {
        const spans: Span[] = [];
        for (let t = i; t < i + 10_000; t++)
          spans.push(
            makeSpan({
              traceId: traceIdOf(t + 1),
              spanId: spanIdOf(t + 1),
              name: `GET /api/products/${t}/${'x'.repeat(60)}`,
              resource: makeResource('svc'),
              startTimeUnixNano: ms(t),
              endTimeUnixNano: ms(t + durationMs(t)),
            }),
          );
        await store.write({ spans });
      }
      const all = Array.from({ length: n }, (_, t) => ({ id: traceIdOf(t + 1), d: durationMs(t) }));
      const byId = (a: { id: string }, b: { id: string }): number =>
        a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
      const q = { range: ALL_TIME, limit: 5, service: 'svc' };
      const longest = await store.searchTraces({ ...q, sort: 'longest' });
      const want = [...all].sort((a, b) => b.d - a.d || byId(a, b)).slice(0, 5);
      assert.deepEqual(
        longest.map((x) => [x.traceId, x.durationNano]),
        want.map((w) => [w.id, BigInt(w.d) * 1_000_000n]),
      );
      assert.equal(longest[0]!.rootName, `GET /api/products/96/${'x'.repeat(60)}`);
      const shortest = await store.searchTraces({ ...q, sort: 'shortest' });
      assert.deepEqual(
        shortest.map((x) => x.traceId),
        [...all]
          .sort((a, b) => a.d - b.d || byId(a, b))
          .slice(0, 5)
          .map((w) => w.id),
      );
    } finally {
      await store.close();
    }
  });
});

describe('newestSpans', () => {
  it("gives the newest span start and the width of the newest row group's worth, nothing for no spans", async () => {
    const opened = await openDatabase({ dataDir: ':memory:', memoryLimit: '256MB', threads: 1 });
    const conn = await opened.instance.connect();
    try {
      assert.equal(await newestSpans(conn), undefined);
      // Starts 1000, 1010, ... in shuffled order: the newest ROW_GROUP_ROWS
      // of n spans begin at 1000 + 10 * (n - ROW_GROUP_ROWS).
      const insert = (from: number, to: number): Promise<unknown> =>
        conn.run(`INSERT INTO spans (trace_id, span_id, name, kind, start_ns, duration_ns, service,
            resource_id, scope_id, status_code, flags)
          SELECT i + 1, i + 1, 'op', 0, 1000 + 10 * i, 5, 'svc', 1, 1, 0, 0
          FROM range(${from}, ${to}) t(i) ORDER BY hash(i)`);
      await insert(0, 3);
      assert.deepEqual(await newestSpans(conn), { newest: 1020n, width: 20n });
      const n = ROW_GROUP_ROWS + 500;
      await insert(3, n);
      const newest = BigInt(1000 + 10 * (n - 1));
      const oldest = BigInt(1000 + 10 * (n - ROW_GROUP_ROWS));
      assert.deepEqual(await newestSpans(conn), { newest, width: newest - oldest });
    } finally {
      conn.closeSync();
      opened.instance.closeSync();
    }
  });
});

describe('spansOfTraces', () => {
  it('tests a list inside the scan up to LISTED_TRACE_IDS traces, IN past it, and refuses none', () => {
    const ids = (n: number): string[] => Array.from({ length: n }, (_, i) => `${i + 1}::UHUGEINT`);
    assert.equal(spansOfTraces(ids(2)), 'list_contains([1::UHUGEINT, 2::UHUGEINT], trace_id)');
    assert.match(spansOfTraces(ids(LISTED_TRACE_IDS)), /^list_contains\(/);
    assert.match(spansOfTraces(ids(LISTED_TRACE_IDS + 1)), /^trace_id IN \(1::UHUGEINT, /);
    assert.throws(() => spansOfTraces([]), RangeError);
  });
});

describe('MatchingResources', () => {
  const needles = ['"host.name":"slaptop"'];

  it('answers what was put while nothing changed', () => {
    const m = new MatchingResources();
    m.put(m.token(), needles, [1, 2]);
    assert.deepEqual(m.get(needles), [1, 2]);
    assert.equal(m.valid(m.token()), true);
  });

  it('does not keep ids read across a change, and forgets everything at one', () => {
    const m = new MatchingResources();
    const before = m.token();
    m.changeStarted();
    assert.equal(m.token(), undefined);
    m.put(before, needles, [1]);
    m.changeEnded();
    m.put(before, needles, [1]);
    assert.equal(m.get(needles), undefined);
    assert.equal(m.valid(before), false);
    m.put(m.token(), needles, [1]);
    m.changeStarted();
    assert.equal(m.get(needles), undefined);
    m.changeEnded();
  });

  it('keeps at most maxEntries', () => {
    const m = new MatchingResources(2);
    for (let i = 0; i < 3; i++) m.put(m.token(), [`k${i}`], [i]);
    assert.equal(m.get(['k0']), undefined);
    assert.deepEqual(m.get(['k2']), [2]);
  });
});

describe('DuckDB recent-first search', () => {
  it('answers from the newest window when it holds enough matches, and widens when not, as the memory store does', async () => {
    const duck = await createDuckDbStore({ dataDir: ':memory:', threads: 1 });
    const mem = createMemoryStore();
    try {
      // Old matches, then 300 small writes a second apart: the first window
      // (the last 256 writes) holds the recent matches but not the old ones.
      const old = Array.from({ length: 30 }, (_, i) =>
        span(i + 1, i + 1, 1_000_000 + i * 1000, { hit: 'yes', old: 'yes' }),
      );
      for (const s of [duck, mem]) await s.write({ spans: old });
      for (let i = 0; i < 300; i++) {
        const at = 3_000_000 + i * 1000;
        const batch = [span(1000 + i, 1000 + i, at, { hit: 'yes' }), span(5000 + i, 5000 + i, at)];
        for (const s of [duck, mem]) await s.write({ spans: batch });
      }
      const recent = { range: ALL_TIME, limit: 5, attributes: { hit: 'yes' } };
      const got = await duck.searchTraces(recent);
      assert.deepEqual(got, await mem.searchTraces(recent));
      assert.deepEqual(
        got.map((x) => x.traceId),
        [1299, 1298, 1297, 1296, 1295].map(traceIdOf),
      );
      const older = { range: ALL_TIME, limit: 5, attributes: { old: 'yes' } };
      const gotOld = await duck.searchTraces(older);
      assert.deepEqual(gotOld, await mem.searchTraces(older));
      assert.deepEqual(
        gotOld.map((x) => x.traceId),
        [30, 29, 28, 27, 26].map(traceIdOf),
      );
    } finally {
      await duck.close();
    }
  });

  it('answers the same after reopening, before and after it has looked at the stored spans', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'otel-lab-search-'));
    after(() => rmSync(dir, { recursive: true, force: true }));
    const mem = createMemoryStore();
    const first = await createDuckDbStore({ dataDir: dir, threads: 1 });
    for (let i = 0; i < 50; i++) {
      const batch = [
        span(i + 1, i + 1, 1_000_000 + i * 1000, { hit: i % 10 === 0 ? 'yes' : 'no' }),
      ];
      await first.write({ spans: batch });
      await mem.write({ spans: batch });
    }
    await first.close();
    const store = await createDuckDbStore({ dataDir: dir, threads: 1 });
    try {
      const q = { range: ALL_TIME, limit: 3, attributes: { hit: 'yes' } };
      const want = await mem.searchTraces(q);
      assert.deepEqual(
        want.map((x) => x.traceId),
        [41, 31, 21].map(traceIdOf),
      );
      for (let i = 0; i < 3; i++) assert.deepEqual(await store.searchTraces(q), want);
      await store.write({ spans: [span(99, 99, 2_000_000, { hit: 'yes' })] });
      await mem.write({ spans: [span(99, 99, 2_000_000, { hit: 'yes' })] });
      assert.deepEqual(await store.searchTraces(q), await mem.searchTraces(q));
    } finally {
      await store.close();
    }
  });

  it('matches resource attributes in any tag position, with more resources than the catalog holds, as the memory store does', async () => {
    const duck = await createDuckDbStore({ dataDir: ':memory:', threads: 1, catalogEntries: 6 });
    const mem = createMemoryStore();
    try {
      const tags = { a: '1', b: 'true', c: 'x' };
      for (let i = 0; i < 12; i++) {
        const resource = makeResource('recommendation', {
          'service.instance.id': `pod-${i % 4}`,
          'host.name': i % 3 === 0 ? 'laptop' : 'server',
        });
        const batch: Span[] = [
          { ...span(i + 1, i + 1, 1000 + i * 10, i % 2 === 0 ? tags : {}), resource },
          { ...span(i + 1, 100 + i, 1003 + i * 10, { 'host.name': 'laptop' }), resource },
        ];
        for (const s of [duck, mem]) await s.write({ spans: batch });
      }
      const queries: Record<string, string>[] = [
        { 'host.name': 'laptop' },
        { 'service.instance.id': 'pod-2', 'host.name': 'server' },
        { ...tags, 'service.instance.id': 'pod-0' },
        { ...tags, 'host.name': 'laptop' },
        { 'service.instance.id': 'pod-9' },
      ];
      for (const attributes of queries) {
        for (const sort of ['recent', 'longest'] as const) {
          const q = { range: ALL_TIME, limit: 4, attributes, sort };
          const want = await mem.searchTraces(q);
          assert.deepEqual(await duck.searchTraces(q), want, JSON.stringify(q.attributes));
        }
      }
      const twoPods = await mem.searchTraces({
        range: ALL_TIME,
        limit: 20,
        attributes: { ...tags, 'service.instance.id': 'pod-0' },
      });
      assert.deepEqual(
        twoPods.map((t) => t.traceId),
        [9, 5, 1].map(traceIdOf),
      );
    } finally {
      await duck.close();
    }
  });

  it('returns traces using more resources than the catalog holds (catalogEntries 2), as the memory store does', async () => {
    const duck = await createDuckDbStore({ dataDir: ':memory:', threads: 1, catalogEntries: 2 });
    const mem = createMemoryStore();
    try {
      // Each trace has spans of three resources of its own, written one batch
      // per trace: the 4 traces returned use 12 resources, the catalog holds 2.
      for (let t = 1; t <= 10; t++) {
        const batch: Span[] = [0, 1, 2].map((j) => ({
          ...span(t, t * 4 + j, t * 10 + j, j === 0 ? { hit: 'yes' } : {}),
          resource: makeResource(`svc-${j}`, { 'service.instance.id': `pod-${t}-${j}` }),
        }));
        for (const s of [duck, mem]) await s.write({ spans: batch });
      }
      for (const sort of ['recent', 'longest'] as const) {
        const q = { range: ALL_TIME, limit: 4, attributes: { hit: 'yes' }, sort };
        const want = await mem.searchTraces(q);
        assert.equal(want.length, 4);
        assert.deepEqual(await duck.searchTraces(q), want);
      }
      const ids = [1, 3, 5, 7, 9].map(traceIdOf);
      assert.deepEqual(await duck.getTraces(ids), await mem.getTraces(ids));
    } finally {
      await duck.close();
    }
  });

  it('reads the spans of a few traces and of many in one window (a list test, then IN), as the memory store does', async () => {
    const duck = await createDuckDbStore({ dataDir: ':memory:', threads: 1 });
    const mem = createMemoryStore();
    try {
      // 100 traces of 3 spans, interleaved in time and written together, so
      // every window read holds spans of traces that were not asked for.
      const batch: Span[] = [];
      for (let t = 1; t <= 100; t++)
        for (let j = 0; j < 3; j++) batch.push(span(t, t * 10 + j, j * 1_000 + t));
      // Ids at the top of the 128-bit range too (the list holds UHUGEINTs).
      const high = ['ffffffffffffffffffffffffffffffff', '80000000000000000000000000000001'];
      for (const [i, traceId] of high.entries())
        for (let j = 0; j < 3; j++)
          batch.push({ ...span(1, 5_000 + i * 10 + j, j * 1_000 + 50), traceId });
      for (const s of [duck, mem]) await s.write({ spans: batch });
      const both = [...high, traceIdOf(3)];
      assert.equal((await duck.getTraces(both)).size, 3);
      assert.deepEqual(await duck.getTraces(both), await mem.getTraces(both));
      const odd = (n: number): string[] =>
        Array.from({ length: n }, (_, i) => traceIdOf(2 * i + 1));
      for (const n of [1, LISTED_TRACE_IDS, LISTED_TRACE_IDS + 1, 50]) {
        const ids = [...odd(n), traceIdOf(1_000)]; // one unknown trace too
        const got = await duck.getTraces(ids);
        assert.equal(got.size, n);
        for (const spans of got.values()) assert.equal(spans.length, 3);
        assert.deepEqual(got, await mem.getTraces(ids));
      }
      // The search's top traces read with their ranking (search-top.sql).
      const q = { range: ALL_TIME, limit: LISTED_TRACE_IDS + 5 };
      assert.deepEqual(await duck.searchTraces(q), await mem.searchTraces(q));
      assert.deepEqual(
        await duck.searchTraces({ ...q, limit: 3 }),
        await mem.searchTraces({ ...q, limit: 3 }),
      );
    } finally {
      await duck.close();
    }
  });

  it('ranks and summarizes many candidates through the id list and the index, as the memory store does', async () => {
    const duck = await createDuckDbStore({ dataDir: ':memory:', threads: 1 });
    const mem = createMemoryStore();
    try {
      // 2,400 candidate traces (past the ids inlined), 600 returned with
      // 2,400 spans (past what is summarized from spans).
      const spans: Span[] = [];
      for (let t = 1; t <= 3000; t++) {
        spans.push(span(t, t * 4, t * 10, { hit: 'yes' }));
        for (let j = 1; j <= 3; j++) spans.push(span(t, t * 4 + j, t * 10 + j));
      }
      for (const s of [duck, mem]) await s.write({ spans });
      const q = { range: ALL_TIME, limit: 600, attributes: { hit: 'yes' } };
      const got = await duck.searchTraces(q);
      assert.equal(got.length, 600);
      assert.deepEqual(got, await mem.searchTraces(q));
    } finally {
      await duck.close();
    }
  });

  it('finds the spans of a resource written after the tag was last searched', async () => {
    const duck = await createDuckDbStore({ dataDir: ':memory:', threads: 1 });
    const mem = createMemoryStore();
    try {
      const laptop = makeResource('recommendation', { 'host.name': 'laptop' });
      const q = { range: ALL_TIME, limit: 10, attributes: { 'host.name': 'laptop' } };
      const step = async (s: Span, want: number[]): Promise<void> => {
        for (const st of [duck, mem]) await st.write({ spans: [s] });
        for (let i = 0; i < 2; i++) {
          const got = await duck.searchTraces(q);
          assert.deepEqual(got, await mem.searchTraces(q));
          assert.deepEqual(
            got.map((t) => t.traceId),
            want.map(traceIdOf),
          );
        }
      };
      await step({ ...span(1, 1, 1000), resource: laptop }, [1]);
      await step({ ...span(2, 2, 2000), resource: makeResource('cart') }, [1]);
      const pod = makeResource('recommendation', { 'host.name': 'laptop', pod: '2' });
      await step({ ...span(3, 3, 3000), resource: pod }, [3, 1]);
      await step({ ...span(4, 4, 4000), resource: laptop }, [4, 3, 1]);
      await duck.applyRetention({ maxAge: 10n ** 15n }, 10n ** 15n + ms(3500));
      await mem.applyRetention({ maxAge: 10n ** 15n }, 10n ** 15n + ms(3500));
      await step({ ...span(5, 5, 5000), resource: makeResource('cart', { x: '1' }) }, [4]);
    } finally {
      await duck.close();
    }
  });

  it('records the sequence number of each span write in its trace-index rows, numbered on after a reopen', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'otel-lab-write-seq-'));
    after(() => rmSync(dir, { recursive: true, force: true }));
    const stored = async (): Promise<unknown> => {
      const db = await DuckDBInstance.create(path.join(dir, DB_FILE_NAME));
      try {
        const c = await db.connect();
        const rows = (
          await c.runAndReadAll('SELECT write_seq FROM trace_index_hot ORDER BY start_min')
        ).getRows();
        c.closeSync();
        return rows.map(([seq]) => seq);
      } finally {
        db.closeSync();
      }
    };
    let store = await createDuckDbStore({ dataDir: dir, threads: 1 });
    await store.write({ spans: [span(1, 1, 1000), span(2, 2, 1500)] });
    await store.write({ logs: [] });
    await store.write({ spans: [span(3, 3, 2000)] });
    await store.close();
    assert.deepEqual(await stored(), [1, 1, 2]);
    store = await createDuckDbStore({ dataDir: dir, threads: 1 });
    await store.write({ spans: [span(4, 4, 3000)] });
    await store.close();
    assert.deepEqual(await stored(), [1, 1, 2, 3]);
  });

  it('never answers a trace from a search that overlapped a write to it, after a reopen too', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'otel-lab-overlap-'));
    after(() => rmSync(dir, { recursive: true, force: true }));
    let store = await createDuckDbStore({ dataDir: dir, threads: 1 });
    for (let i = 0; i < 5; i++) await store.write({ spans: [span(100 + i, 100 + i, 500 + i)] });
    await store.close();
    // Numbered on from the five writes before: a search finding write_seq 5
    // while the next write is under way must not take that write as seen.
    store = await createDuckDbStore({ dataDir: dir, threads: 1, writeTurns: 'always' });
    try {
      const q = { range: ALL_TIME, limit: 3, attributes: { hit: 'yes' } };
      for (let round = 0; round < 8; round++) {
        const t = round + 1;
        await store.write({ spans: [span(t, 1000 * t, 1000 * t, { hit: 'yes' })] });
        // Many spans: the write takes turns of the event loop, the search runs between them.
        const filler = Array.from({ length: 3000 }, (_, i) =>
          span(10_000 + round * 3000 + i, 10_000 + round * 3000 + i, 1000 * t + 1),
        );
        const write = store.write({ spans: [span(t, 1000 * t + 1, 1000 * t + 1), ...filler] });
        await new Promise((resolve) => setImmediate(resolve));
        await Promise.all([write, store.searchTraces(q)]);
        assert.equal((await store.getTraces([traceIdOf(t)])).get(traceIdOf(t))?.length, 2);
        assert.equal((await store.getTrace(traceIdOf(t))).length, 2);
      }
    } finally {
      await store.close();
    }
  });

  it('reads a searched trace again once a write added to it', async () => {
    const store = await createDuckDbStore({ dataDir: ':memory:', threads: 1 });
    try {
      await store.write({ spans: [span(1, 1, 1000, { hit: 'yes' })] });
      const [s] = await store.searchTraces({
        range: ALL_TIME,
        limit: 1,
        attributes: { hit: 'yes' },
      });
      assert.equal(s?.spanCount, 1);
      assert.equal((await store.getTraces([traceIdOf(1)])).get(traceIdOf(1))?.length, 1);
      assert.equal((await store.getTrace(traceIdOf(1))).length, 1);
      await store.write({ spans: [span(1, 2, 1001)] });
      assert.equal((await store.getTraces([traceIdOf(1)])).get(traceIdOf(1))?.length, 2);
      assert.equal((await store.getTrace(traceIdOf(1).toUpperCase())).length, 2);
    } finally {
      await store.close();
    }
  });
});
