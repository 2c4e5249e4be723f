// Runs PromQL test files in Prometheus's format against our engine.
//
// Two sources: our own cases in test/compat/promql/testdata/, and
// Prometheus v2.42.0's promql/testdata/*.test when they are present in
// PROMQL_TESTDATA_DIR, else <repo>/.cache/promql-testdata (where
// scripts/promql-testdata.sh puts them), else <repo>/../shared/promql-testdata
// (they are not vendored here). With PROMQL_TESTDATA_REQUIRED=1 (CI) missing
// upstream files fail the run instead of being skipped with a note. Cases
// known to fail are listed with a reason in known-failures.txt; a listed case
// that passes fails the test, so the list only shrinks.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { runTestFile } from '../../../src/query/promql/testfile';

function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${__dirname}`);
    dir = up;
  }
  return dir;
}

const root = repoRoot();
const own = join(root, 'test/compat/promql/testdata');
const upstreamCandidates = process.env['PROMQL_TESTDATA_DIR']
  ? [process.env['PROMQL_TESTDATA_DIR']]
  : [join(root, '.cache', 'promql-testdata'), join(root, '..', 'shared', 'promql-testdata')];
const required = process.env['PROMQL_TESTDATA_REQUIRED'] === '1';
/** Files every Prometheus 2.x promql/testdata has; a copy without them is not the real set. */
const coreUpstreamFiles = ['aggregators.test', 'functions.test', 'operators.test'];

/** `file.test:line reason` per line; # comments. */
function knownFailures(): Map<string, string> {
  const out = new Map<string, string>();
  const text = readFileSync(join(root, 'test/compat/promql/known-failures.txt'), 'utf8');
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (t === '' || t.startsWith('#')) continue;
    const space = t.indexOf(' ');
    out.set(space === -1 ? t : t.slice(0, space), space === -1 ? '' : t.slice(space + 1));
  }
  return out;
}

function testFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.test'))
    .sort()
    .map((f) => join(dir, f));
}

const known = knownFailures();
const files = [...testFiles(own)];
const upstream =
  upstreamCandidates.find((d) => testFiles(d).length > 0) ?? upstreamCandidates.join(' or ');
const upstreamFiles = testFiles(upstream);
if (upstreamFiles.length === 0 && !required) {
  console.log(`# Prometheus's own PromQL test files not found in ${upstream}; running only ${own}`);
}
files.push(...upstreamFiles);

describe('PromQL test files', () => {
  it('has our own test files to run', () => {
    assert.ok(testFiles(own).length > 0, `no .test files in ${own}`);
  });

  if (required) {
    it("has Prometheus's own test files (PROMQL_TESTDATA_REQUIRED=1)", () => {
      const names = new Set(upstreamFiles.map((f) => f.slice(f.lastIndexOf('/') + 1)));
      const missing = coreUpstreamFiles.filter((f) => !names.has(f));
      assert.deepEqual(
        missing,
        [],
        `PROMQL_TESTDATA_REQUIRED=1 but ${missing.join(', ')} not found in ${upstream}: run scripts/promql-testdata.sh (or set PROMQL_TESTDATA_DIR to a copy of Prometheus 2.42's promql/testdata)`,
      );
    });
  }

  for (const file of files) {
    const name = file.slice(file.lastIndexOf('/') + 1);
    it(name, async () => {
      const results = await runTestFile(readFileSync(file, 'utf8'));
      assert.ok(results.length > 0, `${name} has no eval commands`);
      const unexpected: string[] = [];
      const fixed: string[] = [];
      for (const r of results) {
        const id = `${name}:${r.line}`;
        if (r.error !== undefined && !known.has(id))
          unexpected.push(`${id} ${r.expr}\n    ${r.error}`);
        if (r.error === undefined && known.has(id))
          fixed.push(`${id} now passes: remove it from known-failures.txt`);
      }
      assert.deepEqual(
        [...unexpected, ...fixed],
        [],
        `${name}: ${unexpected.length} new failures, ${fixed.length} fixed`,
      );
    });
  }
});
