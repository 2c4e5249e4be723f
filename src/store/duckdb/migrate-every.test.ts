// Every older schema version, not only the ones migrate.test.ts fills with
// data, upgrades in place to the latest and then works as a new store does.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { ALL_TIME, shopSpans } from '../contract-fixtures';
import { createDuckDbStore } from './index';
import { latestSchemaVersion } from './migrate';

const root = mkdtempSync(path.join(tmpdir(), 'otel-lab-migrate-every-'));
after(() => rmSync(root, { recursive: true, force: true }));

describe('schema migrations from every older version', () => {
  const latest = latestSchemaVersion();
  it('knows more than one version (so the loop below runs)', () => {
    assert.ok(latest >= 2, `latest schema version ${latest}`);
  });
  for (let version = 1; version < latest; version++) {
    it(`upgrades an empty version-${version} store to ${latest}, which then stores and reads`, async () => {
      const dataDir = path.join(root, `v${version}`);
      const old = await createDuckDbStore({ dataDir, threads: 1, schemaVersion: version });
      assert.equal(old.schemaVersion, version);
      await old.close();
      const spans = shopSpans();
      const store = await createDuckDbStore({ dataDir, threads: 1 });
      try {
        assert.equal(store.schemaVersion, latest);
        await store.write({ spans });
        const traceId = spans[0]!.traceId;
        assert.deepEqual(
          await store.getTrace(traceId),
          spans
            .filter((s) => s.traceId === traceId)
            .sort((a, b) =>
              a.startTimeUnixNano < b.startTimeUnixNano
                ? -1
                : a.startTimeUnixNano > b.startTimeUnixNano
                  ? 1
                  : 0,
            ),
        );
        const found = await store.searchTraces({ range: ALL_TIME, limit: 100 });
        assert.equal(found.length, new Set(spans.map((s) => s.traceId)).size);
      } finally {
        await store.close();
      }
    });
  }
});
