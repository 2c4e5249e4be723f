import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { DuckDBInstance, INTEGER } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';

import { MAX_PREPARED_PER_CONNECTION, read, readPrepared } from './params';

const int = (n: number) => [n, INTEGER] as const;

describe('read and readPrepared', () => {
  let db: DuckDBInstance;
  let conn: DuckDBConnection;
  let other: DuckDBConnection;

  before(async () => {
    db = await DuckDBInstance.create(':memory:');
    conn = await db.connect();
    other = await db.connect();
    await conn.run('CREATE TABLE t AS SELECT i AS a FROM range(5000) r(i)');
  });
  after(() => {
    conn.closeSync();
    other.closeSync();
    db.closeSync();
  });

  it('read gives every row, none, or those of the last of several statements', async () => {
    assert.equal((await read(conn, 'SELECT a FROM t')).currentRowCount, 5000);
    assert.equal(
      (await read(conn, 'SELECT a FROM t WHERE a < $n', { n: int(0) })).currentRowCount,
      0,
    );
    const rows = await read(conn, 'SELECT 1 AS x; SELECT 2 AS y');
    assert.deepEqual(rows.getRowObjectsJS(), [{ y: 2 }]);
  });

  it('readPrepared answers each run with its own parameters', async () => {
    const sql = 'SELECT count(*)::INTEGER AS n FROM t WHERE a < $n';
    for (const n of [10, 0, 4999, 3])
      assert.deepEqual((await readPrepared(conn, sql, { n: int(n) })).getRowsJS(), [[n]]);
  });

  it('readPrepared sees a table changed after its statement was prepared', async () => {
    await other.run('CREATE TABLE u (a INTEGER)');
    await other.run('INSERT INTO u VALUES (1)');
    const sql = 'SELECT * FROM u WHERE a >= $n';
    assert.deepEqual((await readPrepared(conn, sql, { n: int(0) })).getRowObjectsJS(), [{ a: 1 }]);
    await other.run("ALTER TABLE u ADD COLUMN b VARCHAR DEFAULT 'x'");
    assert.deepEqual((await readPrepared(conn, sql, { n: int(0) })).getRowObjectsJS(), [
      { a: 1, b: 'x' },
    ]);
    await other.run('DROP TABLE u');
    await assert.rejects(readPrepared(conn, sql, { n: int(0) }), /does not exist/);
    await other.run('CREATE TABLE u (a INTEGER, c INTEGER)');
    await other.run('INSERT INTO u VALUES (7, 8)');
    assert.deepEqual((await readPrepared(conn, sql, { n: int(0) })).getRowObjectsJS(), [
      { a: 7, c: 8 },
    ]);
  });

  it('readPrepared keeps runs of the same text at once on one connection apart', async () => {
    const sql = 'SELECT count(*)::INTEGER AS n FROM t WHERE a < $n';
    const ns = [1, 2, 3, 4, 5, 6, 7, 8];
    const got = await Promise.all(ns.map((n) => readPrepared(conn, sql, { n: int(n) })));
    assert.deepEqual(
      got.map((r) => r.getRowsJS()[0]?.[0]),
      ns,
    );
  });

  it('readPrepared stays right past the number of statements it keeps', async () => {
    for (let round = 0; round < 2; round++)
      for (let i = 0; i < MAX_PREPARED_PER_CONNECTION + 5; i++) {
        const sql = `SELECT ${i}::INTEGER + count(*)::INTEGER AS n FROM t WHERE a < $n`;
        assert.deepEqual((await readPrepared(conn, sql, { n: int(round) })).getRowsJS(), [
          [i + round],
        ]);
      }
  });
});
