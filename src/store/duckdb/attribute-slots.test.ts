import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';

import { DuckDBInstance } from '@duckdb/node-api';

import type { Attributes, Span } from '../../model/telemetry';
import { ALL_TIME } from '../contract-fixtures';
import { createMemoryStore } from '../memory';
import type { DurationDistribution, TelemetryStore } from '../store';
import { makeResource, makeSpan, ms, spanIdOf, traceIdOf } from '../testing';
import { DB_FILE_NAME, createDuckDbStore } from './index';
import { read } from './params';

const root = mkdtempSync(path.join(tmpdir(), 'otel-lab-attr-slots-'));
after(() => rmSync(root, { recursive: true, force: true }));

const keys = (n: number, prefix = 'k'): Attributes =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}${i}`, `v${i}`]));

/** Every shape a span's attributes can take, in one batch. */
const shapes: Attributes[] = [
  {},
  { 'app.cache_hit': false, 'rpc.grpc.status_code': 0n, 'app.ratio': 0.5 },
  // Same keys, other order: another key set (order is kept on reads).
  { 'rpc.grpc.status_code': 2n, 'app.cache_hit': true, 'app.ratio': 1 },
  keys(16),
  { ...keys(16), 'app.cache_hit': false },
  keys(30, 'wide.'),
  {
    'bytes.v': new Uint8Array([1, 2, 3]),
    'arr.v': ['a', 1n, true],
    'kv.v': { kvlist: { inner: 'x', n: 2n } },
    'null.v': null,
    'quote"key': 'a "quoted" value',
    'nul\u0000key': 'nul',
  },
  // Two key lists that join to the same catalog key (keys holding NUL).
  { a: 'first', 'b\u0000c': 'second' },
  { 'a\u0000b': 'first', c: 'second' },
  { ['__proto__']: 'own', constructor: 'also own' },
];

/** `oneResource`: tests with a tiny catalog bound must not need more resources than it holds. */
function spansOf(shapeList: readonly Attributes[], firstTrace = 1, oneResource = false): Span[] {
  return shapeList.map((attributes, i) =>
    makeSpan({
      traceId: traceIdOf(firstTrace + i),
      spanId: spanIdOf(firstTrace + i),
      resource: oneResource
        ? makeResource('cart')
        : makeResource(i % 2 === 0 ? 'cart' : 'ad', { 'host.name': `h${i % 3}` }),
      startTimeUnixNano: ms(1_000 + i),
      endTimeUnixNano: ms(1_010 + i * 3),
      status: { code: (i % 3) as 0 | 1 | 2, message: '' },
      attributes,
    }),
  );
}

const searches: Record<string, string>[] = [
  { 'app.cache_hit': 'false' },
  { 'app.cache_hit': 'true' },
  { 'rpc.grpc.status_code': '2' },
  { k3: 'v3' },
  { k15: 'v15', 'app.cache_hit': 'false' },
  { 'wide.29': 'v29' },
  { 'wide.1': 'v1', 'wide.2': 'v2', 'wide.3': 'v3', 'wide.4': 'v4' },
  { k0: 'v0', k1: 'v1', k2: 'v2', k3: 'v3', k4: 'v4' },
  { 'host.name': 'h1', 'app.ratio': '1' },
  { 'quote"key': 'a "quoted" value' },
  { 'nul\u0000key': 'nul' },
  { 'b\u0000c': 'second' },
  { 'a\u0000b': 'first' },
  { 'kv.v': '{"inner":"sx","n":"i2"}' },
  { __proto__: 'own' } as Record<string, string>,
  { 'null.v': '' },
  { error: 'false', k7: 'v7' },
];

/** Counts exactly; interpolated quantiles up to floating-point rounding (DuckDB's quantile_cont). */
function sameDurations(a: DurationDistribution, b: DurationDistribution, what: string): void {
  assert.equal(a.count, b.count, what);
  assert.deepEqual(a.buckets, b.buckets, what);
  for (const [q, v] of Object.entries(b.quantiles)) {
    const got = a.quantiles[q as keyof typeof a.quantiles];
    assert.ok(Math.abs(got - v) <= 1e-9 * Math.max(1, Math.abs(v)), `${what} ${q}: ${got} vs ${v}`);
  }
}

async function sameAnswers(duck: TelemetryStore, mem: TelemetryStore): Promise<void> {
  for (const attributes of searches) {
    const q = { range: ALL_TIME, limit: 50, attributes };
    assert.deepEqual(
      await duck.searchTraces(q),
      await mem.searchTraces(q),
      JSON.stringify(attributes),
    );
    const longest = { ...q, sort: 'longest' as const };
    assert.deepEqual(
      await duck.searchTraces(longest),
      await mem.searchTraces(longest),
      JSON.stringify(attributes),
    );
    const f = { range: ALL_TIME, attributes };
    assert.deepEqual(
      await duck.attributeDistribution(f, 3),
      await mem.attributeDistribution(f, 3),
      JSON.stringify(attributes),
    );
    sameDurations(
      await duck.durationDistribution(f),
      await mem.durationDistribution(f),
      JSON.stringify(attributes),
    );
  }
  assert.deepEqual(
    await duck.attributeDistribution({ range: ALL_TIME }, 5),
    await mem.attributeDistribution({ range: ALL_TIME }, 5),
  );
  for (const status of [0, 1, 2] as const) {
    const f = { range: ALL_TIME, status, service: 'cart' };
    assert.deepEqual(
      await duck.attributeDistribution(f, 5),
      await mem.attributeDistribution(f, 5),
      `status ${status}`,
    );
    sameDurations(
      await duck.durationDistribution(f),
      await mem.durationDistribution(f),
      `status ${status}`,
    );
  }
}

async function layout(dataDir: string): Promise<{ rest: number; keysets: number }> {
  const db = await DuckDBInstance.create(path.join(dataDir, DB_FILE_NAME));
  const c = await db.connect();
  try {
    const [row] = (
      await read(
        c,
        `SELECT count(*) FILTER (WHERE keyset_id IS NULL)::INTEGER,
                (SELECT count(*)::INTEGER FROM attribute_keysets) FROM spans`,
      )
    ).getRows();
    return { rest: Number(row?.[0]), keysets: Number(row?.[1]) };
  } finally {
    c.closeSync();
    db.closeSync();
  }
}

describe('DuckDB span attributes: key set + slots + JSON remainder', () => {
  it('gives back every shape exactly, mixed in one batch, and searches them as the memory store does', async () => {
    const dataDir = path.join(root, 'mixed');
    const spans = spansOf(shapes);
    const duck = await createDuckDbStore({ dataDir, threads: 1 });
    const mem = createMemoryStore();
    try {
      await duck.write({ spans });
      await mem.write({ spans });
      for (const s of spans) assert.deepEqual(await duck.getTrace(s.traceId), [s]);
      const all = await duck.getTraces(spans.map((s) => s.traceId));
      assert.deepEqual(
        [...all.values()].flat().sort((a, b) => (a.spanId < b.spanId ? -1 : 1)),
        spans,
      );
      const proto = (await duck.getTrace(traceIdOf(shapes.length)))[0]!.attributes;
      assert.equal(Object.getPrototypeOf(proto), Object.prototype);
      assert.deepEqual(Object.keys(proto), ['__proto__', 'constructor']);
      await sameAnswers(duck, mem);
      // The same shapes again reuse their key sets.
      await duck.write({ spans: spansOf(shapes, 100) });
      await mem.write({ spans: spansOf(shapes, 100) });
      await sameAnswers(duck, mem);
    } finally {
      await duck.close();
      await mem.close();
    }
    const l = await layout(dataDir);
    // More than 16 keys (two shapes, written twice) and the second of the
    // two key lists sharing a catalog key stay JSON; no key set was interned twice.
    assert.equal(l.rest, 6);
    assert.equal(l.keysets, shapes.length - 3);
    // After a reopen the catalog knows the key sets: nothing new interned, reads unchanged.
    const again = await createDuckDbStore({ dataDir, threads: 1 });
    try {
      await again.write({ spans: spansOf(shapes, 200) });
      assert.deepEqual(await again.getTrace(traceIdOf(205)), spansOf(shapes, 200).slice(5, 6));
      assert.deepEqual(await again.getTrace(traceIdOf(2)), spansOf(shapes).slice(1, 2));
    } finally {
      await again.close();
    }
    assert.deepEqual(await layout(dataDir), { rest: 9, keysets: shapes.length - 3 });
  });

  it('finds a tag in a key set written after a search remembered the key positions', async () => {
    const duck = await createDuckDbStore({ dataDir: path.join(root, 'remembered'), threads: 1 });
    try {
      const q = { range: ALL_TIME, limit: 5, attributes: { x: '1' } };
      await duck.write({ spans: spansOf([{ x: '1' }], 1, true) });
      assert.deepEqual(
        (await duck.searchTraces(q)).map((t) => t.traceId),
        [traceIdOf(1)],
      );
      assert.equal((await duck.searchTraces(q)).length, 1);
      // A new key set with x at another position, same resource (no new resource).
      await duck.write({ spans: spansOf([{ y: '2', x: '1' }], 2, true) });
      assert.deepEqual(
        (await duck.searchTraces(q)).map((t) => t.traceId),
        [traceIdOf(1), traceIdOf(2)],
      );
    } finally {
      await duck.close();
    }
  });

  it('keeps a key set of very long keys as JSON (the catalog holds key sets in memory)', async () => {
    const dataDir = path.join(root, 'long-keys');
    const long = spansOf([{ ['k'.repeat(3000)]: 'v', short: 1n }, { short: 2n }], 1, true);
    const duck = await createDuckDbStore({ dataDir, threads: 1 });
    try {
      await duck.write({ spans: long });
      for (const s of long) assert.deepEqual(await duck.getTrace(s.traceId), [s]);
      const q = { range: ALL_TIME, limit: 5, attributes: { ['k'.repeat(3000)]: 'v' } };
      assert.deepEqual(
        (await duck.searchTraces(q)).map((t) => t.traceId),
        [traceIdOf(1)],
      );
    } finally {
      await duck.close();
    }
    assert.deepEqual(await layout(dataDir), { rest: 1, keysets: 1 });
  });

  it('sends key sets past the bound to the JSON remainder, across reopens', async () => {
    const dataDir = path.join(root, 'bound');
    const narrow: Attributes[] = Array.from({ length: 6 }, (_, i) => ({
      [`only${i}`]: `x${i}`,
      shared: 'yes',
    }));
    const spans = spansOf(narrow, 1, true);
    const duck = await createDuckDbStore({ dataDir, threads: 1, catalogEntries: 3 });
    const mem = createMemoryStore();
    try {
      await duck.write({ spans: spans.slice(0, 2) });
      await duck.write({ spans: spans.slice(2) });
      await mem.write({ spans });
      for (const s of spans) assert.deepEqual(await duck.getTrace(s.traceId), [s]);
      const tagSets: Record<string, string>[] = [
        { shared: 'yes' },
        { only1: 'x1' },
        { only5: 'x5' },
      ];
      for (const attributes of tagSets) {
        const q = { range: ALL_TIME, limit: 50, attributes };
        assert.deepEqual(await duck.searchTraces(q), await mem.searchTraces(q));
      }
      assert.deepEqual(
        await duck.attributeDistribution({ range: ALL_TIME }, 10),
        await mem.attributeDistribution({ range: ALL_TIME }, 10),
      );
    } finally {
      await duck.close();
      await mem.close();
    }
    assert.deepEqual(await layout(dataDir), { rest: 3, keysets: 3 });
    // A larger bound later interns new key sets after the old ones; a smaller one reads them all.
    const wider = await createDuckDbStore({ dataDir, threads: 1, catalogEntries: 4 });
    try {
      await wider.write({ spans: spansOf([{ fresh: 1n }], 50, true) });
    } finally {
      await wider.close();
    }
    assert.deepEqual(await layout(dataDir), { rest: 3, keysets: 4 });
    const smaller = await createDuckDbStore({ dataDir, threads: 1, catalogEntries: 1 });
    try {
      assert.deepEqual(await smaller.getTrace(traceIdOf(1)), spans.slice(0, 1));
      assert.deepEqual(await smaller.getTrace(traceIdOf(50)), spansOf([{ fresh: 1n }], 50, true));
    } finally {
      await smaller.close();
    }
  });
});
