// What recording a write's sequence number in write_seq costs a write:
// process CPU (all threads) of `BEGIN; UPDATE write_seq ...` + a 512-row
// append + COMMIT against the same without the UPDATE, alternated write by
// write in one process on a file database (WAL and checkpoints as the store
// has them).
//
//   node bench/write-seq-cost.mjs [--writes 2000] [--rounds 4]

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';

const { values } = parseArgs({
  options: {
    writes: { type: 'string', default: '2000' },
    rounds: { type: 'string', default: '4' },
  },
});
const writes = Number(values.writes);
const rounds = Number(values.rounds);
const dir = mkdtempSync(path.join(tmpdir(), 'otel-lab-write-seq-'));
const db = await DuckDBInstance.create(path.join(dir, 'x.duckdb'));
const c = await db.connect();
await c.run('CREATE TABLE write_seq (seq UBIGINT NOT NULL); INSERT INTO write_seq VALUES (0);');
await c.run('CREATE TABLE t (a BIGINT, b VARCHAR)');
let seq = 0;

async function write(withSeq) {
  seq++;
  await c.run(
    withSeq ? `BEGIN TRANSACTION; UPDATE write_seq SET seq = ${seq}` : 'BEGIN TRANSACTION',
  );
  const a = await c.createAppender('t');
  for (let r = 0; r < 512; r++) {
    a.appendBigInt(BigInt(seq * 512 + r));
    a.appendVarchar('recommendation');
    a.endRow();
  }
  a.flushSync();
  a.closeSync();
  await c.run('COMMIT');
}

// Alternated write by write, so that the table's growth and its checkpoints
// fall on both alike.
for (let r = 0; r < rounds; r++) {
  const sum = { with: 0, without: 0, wallWith: 0, wallWithout: 0 };
  for (let i = 0; i < writes; i++) {
    const withSeq = i % 2 === 1;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await write(withSeq);
    const cpu = process.cpuUsage(cpu0);
    sum[withSeq ? 'with' : 'without'] += cpu.user + cpu.system;
    sum[withSeq ? 'wallWith' : 'wallWithout'] += performance.now() - t0;
  }
  const n = writes / 2;
  console.log(
    `round ${r + 1}: ${n} writes of 512 rows each way: without UPDATE ${(sum.without / n).toFixed(0)} us CPU, ${(sum.wallWithout / n).toFixed(2)} ms; with ${(sum.with / n).toFixed(0)} us CPU, ${(sum.wallWith / n).toFixed(2)} ms`,
  );
}
c.closeSync();
db.closeSync();
rmSync(dir, { recursive: true, force: true });
