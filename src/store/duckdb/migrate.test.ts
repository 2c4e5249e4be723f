import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';

import { DuckDBInstance } from '@duckdb/node-api';

import { ALL_TIME, shopSpans } from '../contract-fixtures';
import { makeResource, makeSpan, spanIdOf, traceIdOf } from '../testing';
import { encodeAttributes } from '../values';
import { DB_FILE_NAME, StoreOpenError, createDuckDbStore } from './index';
import { latestSchemaVersion } from './migrate';
import { read } from './params';

/** The shop's spans plus one with more keys than slots and one with a few typed values. */
const oldSpans = [
  ...shopSpans(),
  makeSpan({
    traceId: traceIdOf(30),
    spanId: spanIdOf(30),
    attributes: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`wide.k${i}`, BigInt(i)])),
  }),
  makeSpan({
    traceId: traceIdOf(31),
    spanId: spanIdOf(31),
    attributes: { 'wide.k3': 3.5, 'narrow.flag': false, 'wide.k3 ': 'x' },
  }),
  makeSpan({
    traceId: traceIdOf(32),
    spanId: spanIdOf(32),
    attributes: { 'wide.k3': 3, 'narrow.flag': false, n: null },
  }),
];

const root = mkdtempSync(path.join(tmpdir(), 'otel-lab-migrate-'));
after(() => rmSync(root, { recursive: true, force: true }));

describe('schema migrations', () => {
  it('upgrades a version-1 store to the latest without losing data', async () => {
    const dataDir = path.join(root, 'v1');
    // A store as version 1 of otel-lab left it: spans written by this code
    // into a latest store and copied over in v1's layout (spans, trace index
    // and scopes unchanged since; resources had five columns), and a metric
    // point in v1's layout by hand.
    const source = path.join(root, 'v1-source');
    const latest = await createDuckDbStore({ dataDir: source, threads: 1 });
    await latest.write({ spans: oldSpans });
    await latest.close();
    const old = await createDuckDbStore({ dataDir, threads: 1, schemaVersion: 1 });
    assert.equal(old.schemaVersion, 1);
    await old.close();
    const db = await DuckDBInstance.create(path.join(dataDir, DB_FILE_NAME));
    const conn = await db.connect();
    await conn.run(`ATTACH '${path.join(source, DB_FILE_NAME)}' AS src (READ_ONLY)`);
    await conn.run('INSERT INTO scopes SELECT * FROM src.scopes');
    // Up to version 4 the trace index was one table.
    await conn.run(
      'INSERT INTO trace_index SELECT * EXCLUDE (write_seq) FROM src.trace_index_hot UNION ALL SELECT * FROM src.trace_index',
    );
    // Spans had one JSON attributes column up to version 3.
    await conn.run('CREATE TEMP TABLE old_attrs (span_id UBIGINT, attributes VARCHAR)');
    for (const sp of oldSpans)
      await conn.run('INSERT INTO old_attrs VALUES ($id::UBIGINT, $a)', {
        id: BigInt(`0x${sp.spanId}`).toString(),
        a: encodeAttributes(sp.attributes),
      });
    await conn.run(
      `INSERT INTO spans SELECT s.trace_id, s.span_id, s.parent_span_id, s.name, s.kind, s.start_ns,
         s.duration_ns, s.service, s.resource_id, s.scope_id, a.attributes, s.status_code, s.flags, s.extras
       FROM src.spans s JOIN old_attrs a USING (span_id)`,
    );
    await conn.run(
      'INSERT INTO resources SELECT id, service, attributes, dropped_attributes_count, schema_url FROM src.resources',
    );
    await conn.run('DETACH src');
    const attrs = encodeAttributes({ 'service.name': 'recommendation' });
    await conn.run(`INSERT INTO resources VALUES (100, 'recommendation', '${attrs}', 0, '')`);
    await conn.run(`INSERT INTO scopes VALUES (100, 'meter', '1', '{}', 0, '')`);
    await conn.run(
      `INSERT INTO metric_points (time_ns, start_ns, type, name, description, unit, metadata, resource_id, scope_id, attributes, flags, value_double)
       VALUES (5000000000, 0, 0, 'app_recommendations_counter', 'd', '1', '{}', 100, 100, '{}', 0, 12.5)`,
    );
    conn.closeSync();
    db.closeSync();

    const store = await createDuckDbStore({ dataDir, threads: 1 });
    try {
      assert.equal(store.schemaVersion, latestSchemaVersion());
      for (const id of new Set(oldSpans.map((sp) => sp.traceId)))
        assert.deepEqual(
          await store.getTrace(id),
          oldSpans.filter((sp) => sp.traceId === id),
        );
      // v4: old spans' attributes moved into key sets and slots, the wide one kept as JSON.
      const wide = await store.searchTraces({
        range: ALL_TIME,
        limit: 5,
        attributes: { 'wide.k19': '19' },
      });
      assert.deepEqual(
        wide.map((t) => t.traceId),
        [traceIdOf(30)],
      );
      const slotted = await store.searchTraces({
        range: ALL_TIME,
        limit: 5,
        attributes: { 'wide.k3': '3', 'narrow.flag': 'false' },
      });
      assert.deepEqual(
        slotted.map((t) => t.traceId),
        [traceIdOf(32)],
      );
      const [point] = await store.searchMetricPoints({
        range: ALL_TIME,
        limit: 5,
        service: 'recommendation',
      });
      assert.equal(point?.name, 'app_recommendations_counter');
      assert.equal(point?.type === 'gauge' ? point.value : undefined, 12.5);
      // v3: resources gained entity refs; old ones have none, new ones keep theirs.
      const refs = [
        { schemaUrl: '', type: 'service', idKeys: ['service.name'], descriptionKeys: [] },
      ];
      const span = makeSpan({
        traceId: traceIdOf(40),
        resource: { ...makeResource('ad'), entityRefs: refs },
      });
      await store.write({ spans: [span] });
      assert.deepEqual(await store.getTrace(traceIdOf(40)), [span]);
    } finally {
      await store.close();
    }
    const check = await DuckDBInstance.create(path.join(dataDir, DB_FILE_NAME));
    const c = await check.connect();
    const versions = (await read(c, 'SELECT version FROM schema_version ORDER BY version'))
      .getRows()
      .map((r) => Number(r[0]));
    const [layout] = (
      await read(
        c,
        'SELECT count(*) FILTER (WHERE keyset_id IS NULL)::INTEGER, count(*)::INTEGER, (SELECT count(*)::INTEGER FROM attribute_keysets) FROM spans',
      )
    ).getRows();
    c.closeSync();
    check.closeSync();
    assert.deepEqual(
      versions,
      Array.from({ length: latestSchemaVersion() }, (_, i) => i + 1),
    );
    // Only the span with more keys than slots kept its JSON.
    assert.deepEqual(layout, [
      1,
      oldSpans.length + 1,
      new Set(oldSpans.slice(0, -3).map((sp) => Object.keys(sp.attributes).join())).size + 2,
    ]);
  });

  it('upgrades a version-4 store: its trace index becomes the cold part, new rows go to the hot one', async () => {
    const source = path.join(root, 'v4-source');
    const latest = await createDuckDbStore({ dataDir: source, threads: 1 });
    const late = oldSpans.filter((sp) => sp.traceId === traceIdOf(2)).slice(-1);
    await latest.write({ spans: oldSpans.filter((sp) => !late.includes(sp)) });
    const query = { range: ALL_TIME, limit: 50 };
    await latest.write({ spans: late });
    const expected = await latest.searchTraces(query);
    await latest.close();

    const dataDir = path.join(root, 'v4');
    const old = await createDuckDbStore({ dataDir, threads: 1, schemaVersion: 4 });
    assert.equal(old.schemaVersion, 4);
    await old.close();
    const db = await DuckDBInstance.create(path.join(dataDir, DB_FILE_NAME));
    const conn = await db.connect();
    await conn.run(`ATTACH '${path.join(source, DB_FILE_NAME)}' AS src (READ_ONLY)`);
    for (const t of ['spans', 'resources', 'scopes', 'attribute_keysets'])
      await conn.run(`INSERT INTO ${t} SELECT * FROM src.${t}`);
    // Without trace 2's late span: it comes after the upgrade.
    await conn.run(
      `INSERT INTO trace_index SELECT * EXCLUDE (write_seq) FROM src.trace_index_hot WHERE span_count > 1 OR trace_id <> ${BigInt(`0x${traceIdOf(2)}`)}::UHUGEINT`,
    );
    await conn.run(`DELETE FROM spans WHERE span_id = ${BigInt(`0x${late[0]!.spanId}`)}::UBIGINT`);
    await conn.run('DETACH src');
    conn.closeSync();
    db.closeSync();

    const store = await createDuckDbStore({ dataDir, threads: 1 });
    try {
      assert.equal(store.schemaVersion, latestSchemaVersion());
      await store.write({ spans: late });
      for (const id of new Set(oldSpans.map((sp) => sp.traceId)))
        assert.deepEqual(
          await store.getTrace(id),
          oldSpans.filter((sp) => sp.traceId === id),
        );
      assert.deepEqual(await store.searchTraces(query), expected);
    } finally {
      await store.close();
    }
    const check = await DuckDBInstance.create(path.join(dataDir, DB_FILE_NAME));
    const c = await check.connect();
    const [rows] = (
      await read(
        c,
        'SELECT (SELECT count(*)::INTEGER FROM trace_index_hot), count(DISTINCT trace_id)::INTEGER FROM trace_index',
      )
    ).getRows();
    c.closeSync();
    check.closeSync();
    assert.deepEqual(rows, [1, new Set(oldSpans.map((sp) => sp.traceId)).size]);
  });

  it('refuses a store written by a newer otel-lab and leaves it alone', async () => {
    const dataDir = path.join(root, 'future');
    const s = await createDuckDbStore({ dataDir, threads: 1 });
    await s.write({ spans: shopSpans() });
    await s.close();
    const db = await DuckDBInstance.create(path.join(dataDir, DB_FILE_NAME));
    const conn = await db.connect();
    await conn.run('INSERT INTO schema_version (version) VALUES (99)');
    conn.closeSync();
    db.closeSync();
    await assert.rejects(createDuckDbStore({ dataDir, threads: 1 }), (err: unknown) => {
      assert.ok(err instanceof StoreOpenError);
      assert.match(err.message, /schema version 99/);
      assert.match(err.message, /upgrade otel-lab/);
      assert.ok(err.message.includes(dataDir));
      return true;
    });
  });
});
