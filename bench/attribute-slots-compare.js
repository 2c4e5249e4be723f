// Same answers from two builds on two copies of one store: the old build
// (e.g. a checkout before schema 4, built) reads OLD_DIR, this checkout's
// build reads NEW_DIR (a copy of OLD_DIR it migrates on open). Compares 300
// traces by id, one getTraces of 100, the whole attribute distribution, and
// for the first 40 keys' top 2 values a tag search plus a filtered
// distribution. Exits 1 at the first difference.
//
//   npm run build && node bench/attribute-slots-compare.js <old-build-root> <OLD_DIR> <NEW_DIR>
//
// Both stores are opened read-write (the new one is migrated): use copies.

const assert = require('node:assert/strict');
const path = require('node:path');

const [oldRoot, oldDir, newDir] = process.argv.slice(2);
if (!oldRoot || !oldDir || !newDir) {
  console.error(
    'usage: node bench/attribute-slots-compare.js <old-build-root> <OLD_DIR> <NEW_DIR>',
  );
  process.exit(2);
}
const before = require(path.resolve(oldRoot, 'dist/src/store/duckdb'));
const after = require(path.resolve(__dirname, '../dist/src/store/duckdb'));

(async () => {
  const a = await before.createDuckDbStore({ dataDir: oldDir, threads: 1 });
  const b = await after.createDuckDbStore({ dataDir: newDir, threads: 1 });
  try {
    const range = { start: 0n, end: 1n << 62n };
    const list = await a.searchTraces({ range, limit: 300 });
    for (const t of list)
      assert.deepEqual(await b.getTrace(t.traceId), await a.getTrace(t.traceId));
    const ids = list.slice(0, 100).map((t) => t.traceId);
    assert.deepEqual(await b.getTraces(ids), await a.getTraces(ids));
    const dist = await a.attributeDistribution({ range }, 10);
    assert.deepEqual(await b.attributeDistribution({ range }, 10), dist);
    let searches = 0;
    for (const k of dist.keys.slice(0, 40))
      for (const v of k.values.slice(0, 2)) {
        const attributes = { [k.key]: v.value };
        const q = { range, limit: 20, attributes };
        assert.deepEqual(
          await b.searchTraces(q),
          await a.searchTraces(q),
          JSON.stringify(attributes),
        );
        const f = { range, attributes };
        assert.deepEqual(await b.attributeDistribution(f, 3), await a.attributeDistribution(f, 3));
        searches++;
      }
    console.log(
      JSON.stringify({ identical: true, traces: list.length, keys: dist.keys.length, searches }),
    );
  } finally {
    await a.close();
    await b.close();
  }
})().catch((e) => {
  console.error(String(e.message).slice(0, 2000));
  process.exit(1);
});
