import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import {
  DEMO_FLAGS_FILE,
  FlagsFileError,
  UnknownFlagError,
  UnknownVariantError,
  currentValue,
  ensureFlagsFile,
  listFlags,
  parseFlags,
  readFlagsFile,
  resolveFlagsPath,
  setFlag,
} from './file';

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'otel-lab-flags-'));
after(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));
let n = 0;
function freshFile(): string {
  const file = path.join(tmpRoot, `case-${n++}`, 'flags.json');
  assert.equal(ensureFlagsFile(file), true);
  return file;
}

const UPSTREAM_FLAGS = [
  'productCatalogFailure',
  'recommendationServiceCacheFailure',
  'adServiceManualGc',
  'adServiceHighCpu',
  'adServiceFailure',
  'kafkaQueueProblems',
  'cartServiceFailure',
  'paymentServiceFailure',
  'paymentServiceUnreachable',
  'loadgeneratorFloodHomepage',
  'imageSlowLoad',
  'emailMemoryLeak',
];

describe('demo flags', () => {
  it('hold the upstream flags plus emailMemoryLeak, all off, with descriptions', () => {
    const flags = listFlags(DEMO_FLAGS_FILE);
    assert.deepEqual(
      flags.map((f) => f.name),
      UPSTREAM_FLAGS,
    );
    for (const f of flags) {
      assert.equal(f.variant, 'off', f.name);
      assert.ok([false, 0].includes(f.value as number | boolean), f.name);
      assert.ok(f.description.length > 0, f.name);
      assert.equal(f.state, 'ENABLED');
    }
  });

  it('give emailMemoryLeak the later upstream multipliers', () => {
    const doc = readFlagsFile(DEMO_FLAGS_FILE);
    assert.deepEqual(doc.flags['emailMemoryLeak']?.variants, {
      off: 0,
      '1x': 1,
      '10x': 10,
      '100x': 100,
      '1000x': 1000,
      '10000x': 10000,
    });
    assert.equal(doc.$schema, 'https://flagd.dev/schema/v0/flags.json');
  });
});

describe('resolveFlagsPath', () => {
  it('prefers OTEL_LAB_FLAGS_FILE', () => {
    assert.equal(
      resolveFlagsPath({ OTEL_LAB_FLAGS_FILE: '/x/f.json', OTEL_LAB_HOME: '/h' }),
      '/x/f.json',
    );
  });
  it('falls back to OTEL_LAB_HOME/flags.json', () => {
    assert.equal(resolveFlagsPath({ OTEL_LAB_HOME: '/h' }), '/h/flags.json');
  });
  it('defaults to ~/.otel-lab/flags.json', () => {
    assert.equal(resolveFlagsPath({}), path.join(os.homedir(), '.otel-lab', 'flags.json'));
  });
});

describe('ensureFlagsFile', () => {
  it('creates the file from the demo flags once and never overwrites it', () => {
    const file = freshFile();
    assert.deepEqual(readFlagsFile(file), readFlagsFile(DEMO_FLAGS_FILE));
    fs.writeFileSync(file, '{"flags":{}}');
    assert.equal(ensureFlagsFile(file), false);
    assert.equal(fs.readFileSync(file, 'utf8'), '{"flags":{}}');
  });
});

describe('setFlag', () => {
  it('switches the variant and keeps the rest of the document', () => {
    const file = freshFile();
    const s = setFlag(file, 'recommendationServiceCacheFailure', 'on');
    assert.equal(s.variant, 'on');
    assert.equal(s.value, true);
    const doc = readFlagsFile(file);
    assert.equal(currentValue(doc, 'recommendationServiceCacheFailure'), true);
    assert.equal(currentValue(doc, 'productCatalogFailure'), false);
    assert.equal(doc.$schema, 'https://flagd.dev/schema/v0/flags.json');
  });

  it('leaves no temp file behind', () => {
    const file = freshFile();
    setFlag(file, 'imageSlowLoad', '5sec');
    assert.deepEqual(fs.readdirSync(path.dirname(file)), ['flags.json']);
  });

  it('rejects an unknown flag, naming the valid ones, file unchanged', () => {
    const file = freshFile();
    const before = fs.readFileSync(file);
    assert.throws(
      () => setFlag(file, 'nope', 'on'),
      (err: unknown) =>
        err instanceof UnknownFlagError &&
        err.validFlags.length === UPSTREAM_FLAGS.length &&
        /unknown flag "nope"; valid flags: productCatalogFailure, /.test(err.message),
    );
    assert.deepEqual(fs.readFileSync(file), before);
  });

  it('rejects an unknown variant, naming the valid ones, file unchanged', () => {
    const file = freshFile();
    const before = fs.readFileSync(file);
    assert.throws(
      () => setFlag(file, 'imageSlowLoad', 'on'),
      (err: unknown) =>
        err instanceof UnknownVariantError &&
        err.message === 'flag imageSlowLoad has no variant "on"; valid variants: 10sec, 5sec, off',
    );
    assert.deepEqual(fs.readFileSync(file), before);
  });

  it('does not treat inherited object keys as flags or variants', () => {
    const file = freshFile();
    assert.throws(() => setFlag(file, 'constructor', 'on'), UnknownFlagError);
    assert.throws(() => setFlag(file, 'imageSlowLoad', 'toString'), UnknownVariantError);
  });
});

describe('validation', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['not JSON', '{', /is not valid JSON/],
    ['an array', '[]', /must hold a JSON object/],
    ['no flags', '{}', /has no "flags" object/],
    [
      'a bad state',
      '{"flags":{"a":{"state":"ON","variants":{"x":1},"defaultVariant":"x"}}}',
      /flag "a": "state"/,
    ],
    [
      'no variants',
      '{"flags":{"a":{"state":"ENABLED","variants":{},"defaultVariant":"x"}}}',
      /"variants" must be a non-empty object/,
    ],
    [
      'a null variant',
      '{"flags":{"a":{"state":"ENABLED","variants":{"x":null},"defaultVariant":"x"}}}',
      /variant "x" must be/,
    ],
    [
      'a dangling default',
      '{"flags":{"a":{"state":"ENABLED","variants":{"x":1},"defaultVariant":"y"}}}',
      /"defaultVariant" must name one of its variants \(x\)/,
    ],
    [
      'a numeric description',
      '{"flags":{"a":{"state":"ENABLED","variants":{"x":1},"defaultVariant":"x","description":3}}}',
      /"description" must be a string/,
    ],
  ];
  for (const [name, text, re] of cases) {
    it(`rejects ${name}`, () => {
      assert.throws(
        () => parseFlags(text, 'f.json'),
        (err: unknown) =>
          err instanceof FlagsFileError && err.path === 'f.json' && re.test(err.message),
      );
    });
  }

  it('accepts flagd targeting and extra top-level keys', () => {
    const doc = parseFlags(
      '{"$evaluators":{},"flags":{"a":{"state":"DISABLED","variants":{"x":{"k":1}},"defaultVariant":"x","targeting":{"fractional":[]}}}}',
      'f.json',
    );
    assert.deepEqual(currentValue(doc, 'a'), { k: 1 });
  });

  it('says which file is corrupt when listing', () => {
    const file = freshFile();
    fs.writeFileSync(file, '{"flags": ');
    assert.throws(() => listFlags(file), new RegExp(`flags file ${file}: is not valid JSON`));
  });

  it('says when the file is missing', () => {
    assert.throws(() => listFlags(path.join(tmpRoot, 'missing.json')), /cannot be read/);
  });
});
