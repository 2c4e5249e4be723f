import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { runFlags } from './flags';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './io';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'otel-lab-cli-flags-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));
let n = 0;

function run(argv: string[], file?: string) {
  const flagsFile = file ?? path.join(root, `home-${n++}`, 'flags.json');
  let out = '';
  let err = '';
  const code = runFlags(argv, {
    out: (t) => (out += t),
    err: (t) => (err += t),
    env: { OTEL_LAB_FLAGS_FILE: flagsFile },
  });
  return { code, out, err, file: flagsFile };
}

describe('otel-lab flags list', () => {
  it('creates the file on first use and prints a table of every flag', () => {
    const r = run(['list']);
    assert.equal(r.code, EXIT_OK);
    assert.match(r.err, /created .*flags\.json from the demo flags/);
    const lines = r.out.split('\n');
    assert.match(lines[0] ?? '', /^FLAG\s+VARIANT\s+VARIANTS\s+DESCRIPTION$/);
    assert.match(
      r.out,
      /recommendationServiceCacheFailure\s+off\s+on,off\s+Recommendation service: a product cache/,
    );
    assert.match(r.out, /emailMemoryLeak\s+off\s+off,1x,10x,100x,1000x,10000x/);
    assert.ok(fs.existsSync(r.file));
  });

  it('prints JSON with --json', () => {
    const r = run(['list', '--json']);
    const flags = JSON.parse(r.out) as Array<{ name: string; variant: string }>;
    assert.equal(flags.length, 12);
    assert.deepEqual(flags[1], {
      name: 'recommendationServiceCacheFailure',
      description:
        'Recommendation service: a product cache that grows on every miss (the memory leak)',
      state: 'ENABLED',
      variant: 'off',
      value: false,
      variants: ['on', 'off'],
    });
  });

  it('exits 1 naming the file when it is corrupt', () => {
    const file = path.join(root, 'corrupt.json');
    fs.writeFileSync(file, '{"flags": [');
    const r = run(['list'], file);
    assert.equal(r.code, EXIT_FAILURE);
    assert.ok(r.err.includes(`flags file ${file}: is not valid JSON`));
  });
});

describe('otel-lab flags set', () => {
  it('switches a flag and shows the change; list shows it', () => {
    const r = run(['set', 'recommendationServiceCacheFailure', 'on']);
    assert.equal(r.code, EXIT_OK);
    assert.equal(r.out, 'recommendationServiceCacheFailure: off -> on (true)\n');
    const l = run(['list'], r.file);
    assert.match(l.out, /recommendationServiceCacheFailure\s+on\s/);
  });

  const errors: Array<[string, string[], RegExp]> = [
    [
      'an unknown flag',
      ['set', 'cacheFailure', 'on'],
      /unknown flag "cacheFailure"; valid flags: productCatalogFailure, recommendationServiceCacheFailure,.*emailMemoryLeak\n/,
    ],
    [
      'an unknown variant',
      ['set', 'emailMemoryLeak', 'on'],
      /flag emailMemoryLeak has no variant "on"; valid variants: off, 1x, 10x, 100x, 1000x, 10000x\n/,
    ],
    [
      'a variant value instead of its name',
      ['set', 'imageSlowLoad', '5000'],
      /valid variants: 10sec, 5sec, off/,
    ],
    ['a missing variant', ['set', 'imageSlowLoad'], /bad arguments for 'set'/],
    ['too many arguments', ['set', 'imageSlowLoad', 'off', 'on'], /bad arguments for 'set'/],
    ['an unknown subcommand', ['get', 'imageSlowLoad'], /bad arguments for 'get'/],
    ['no subcommand', [], /missing subcommand/],
    ['an unknown option', ['list', '--all'], /Unknown option '--all'/],
  ];
  for (const [what, argv, re] of errors) {
    it(`rejects ${what} with exit 2, file byte-identical`, () => {
      const first = run(['set', 'adServiceFailure', 'on']);
      const before = fs.readFileSync(first.file);
      const r = run(argv, first.file);
      assert.equal(r.code, EXIT_USAGE);
      assert.match(r.err, re);
      assert.equal(r.out, '');
      assert.deepEqual(fs.readFileSync(first.file), before);
    });
  }

  it('answers --help on stdout with exit 0', () => {
    for (const argv of [['--help'], ['set', '--help'], ['list', '-h']]) {
      const r = run(argv);
      assert.equal(r.code, EXIT_OK);
      assert.match(r.out, /^usage: otel-lab flags list/);
    }
  });
});
