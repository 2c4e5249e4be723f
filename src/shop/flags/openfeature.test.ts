import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { flagsFilePath, startFileFlags, staticFlags } from './openfeature';

function flagsDoc(
  values: Record<string, 'on' | 'off'>,
  numbers: Record<string, number> = {},
): string {
  const flags: Record<string, unknown> = {};
  for (const [name, dv] of Object.entries(values)) {
    flags[name] = { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: dv };
  }
  for (const [name, n] of Object.entries(numbers)) {
    flags[name] = { state: 'ENABLED', variants: { v: n, off: 0 }, defaultVariant: 'v' };
  }
  return JSON.stringify({ $schema: 'https://flagd.dev/schema/v0/flags.json', flags });
}

/** The CLI's way of changing the file: write a temp file, rename over. */
function writeAtomically(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

async function until(cond: () => Promise<boolean>, ms: number): Promise<number> {
  const start = Date.now();
  while (Date.now() - start < ms) {
    if (await cond()) return Date.now() - start;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`condition not met within ${ms} ms`);
}

test('flagsFilePath: env wins, else the demo file in the package', () => {
  assert.equal(flagsFilePath({ OTEL_LAB_FLAGS_FILE: '/tmp/x.json' }), '/tmp/x.json');
  assert.match(flagsFilePath({}), /src\/shop\/flags\/demo\.flagd\.json$/);
  assert.ok(fs.existsSync(flagsFilePath({})));
});

test('file flags: read, atomic rename picked up within 2 s, corrupt file keeps last good', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'otel-lab-flags-'));
  const file = path.join(dir, 'flags.json');
  fs.writeFileSync(
    file,
    flagsDoc({ recommendationServiceCacheFailure: 'off' }, { imageSlowLoad: 0 }),
  );
  const errors: string[] = [];
  const flags = await startFileFlags({
    file,
    logger: { info: () => undefined, warn: (m) => errors.push(m), error: (m) => errors.push(m) },
  });
  try {
    assert.equal(await flags.bool('recommendationServiceCacheFailure', true), false);
    assert.equal(await flags.bool('noSuchFlag', true), true);

    writeAtomically(
      file,
      flagsDoc({ recommendationServiceCacheFailure: 'on' }, { imageSlowLoad: 750 }),
    );
    const took = await until(
      async () => flags.bool('recommendationServiceCacheFailure', false),
      2000,
    );
    assert.ok(took < 2000);
    assert.equal(await flags.number('imageSlowLoad', 0), 750);

    writeAtomically(file, '{"flags": {"recommendationServiceCacheFailure": ');
    await until(async () => errors.some((e) => e.includes('keeping the last good flags')), 2000);
    assert.ok(errors.some((e) => e.includes(file) && e.includes('not valid JSON')));
    assert.equal(await flags.bool('recommendationServiceCacheFailure', false), true);

    writeAtomically(file, flagsDoc({ recommendationServiceCacheFailure: 'off' }));
    await until(async () => !(await flags.bool('recommendationServiceCacheFailure', true)), 2000);
  } finally {
    await flags.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('file flags: a missing file means defaults, and is loaded once it appears', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'otel-lab-flags-'));
  const file = path.join(dir, 'flags.json');
  const errors: string[] = [];
  const flags = await startFileFlags({
    file,
    logger: { info: () => undefined, warn: (m) => errors.push(m), error: (m) => errors.push(m) },
  });
  try {
    assert.ok(errors.some((e) => e.includes(file) && e.includes('at its default')));
    assert.equal(await flags.bool('cartServiceFailure', false), false);
    writeAtomically(file, flagsDoc({ cartServiceFailure: 'on' }));
    // Not the 2 s change budget: this also starts the provider.
    await until(async () => flags.bool('cartServiceFailure', false), 5000);
  } finally {
    await flags.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('staticFlags: values by type, fallback otherwise, set changes', async () => {
  const f = staticFlags({ a: true, n: 3 });
  assert.equal(await f.bool('a', false), true);
  assert.equal(await f.bool('n', false), false);
  assert.equal(await f.number('n', 0), 3);
  f.set('a', false);
  assert.equal(await f.bool('a', true), false);
});
