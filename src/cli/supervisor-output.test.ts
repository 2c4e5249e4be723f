import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lineLevel, outputFilter } from './supervisor-output';

describe('lineLevel', () => {
  const cases: Array<[string, string | undefined]> = [
    // The shop's logger (src/shop/telemetry/log.ts).
    ['2026-11-26T12:00:00.123Z INFO [checkout] payment went through', 'info'],
    ['2026-11-26T12:00:00.123Z WARN [checkout] email failed', 'warn'],
    ['2026-11-26T12:00:00.123Z ERROR [frontend] GET /api/cart failed', 'error'],
    ['2026-11-26T12:00:00+01:00 [debug] x', 'debug'],
    // Plain and bracketed levels.
    ['INFO listening', 'info'],
    ['[warn] slow', 'warn'],
    ['error: cannot bind', 'error'],
    ['Warning: something', 'warn'],
    ['\x1b[32mINFO\x1b[0m coloured', 'info'],
    // JSON loggers: string and pino's numeric levels.
    ['{"level":"info","msg":"x"}', 'info'],
    ['{"level":30,"msg":"x"}', 'info'],
    ['{"level":50,"msg":"x"}', 'error'],
    ['{"severity":"WARNING","message":"x"}', 'warn'],
    ['{"severityText":"DEBUG"}', 'debug'],
    // No level to be told.
    ['{"msg":"x"}', undefined],
    ['{"level":', undefined],
    ['[1,2]', undefined],
    ['listening on 127.0.0.1:9001', undefined],
    ['flags: loaded from /h/flags.json', undefined],
    ['<--- Last few GCs --->', undefined],
    ['', undefined],
    // A level word deep in the message is not the line's level.
    ['user said INFO is fine', undefined],
    [`${'x'.repeat(300)} ERROR`, undefined],
  ];
  for (const [line, level] of cases) {
    it(`${JSON.stringify(line.slice(0, 60))} -> ${String(level)}`, () => {
      assert.equal(lineLevel(line), level);
    });
  }
});

describe('outputFilter', () => {
  it('leaves out INFO and DEBUG on stdout, keeps WARN, ERROR and unlabelled lines', () => {
    const shown = outputFilter(false);
    assert.equal(shown('2026-11-26T12:00:00.000Z INFO [cart] add item', 'stdout'), false);
    assert.equal(shown('DEBUG detail', 'stdout'), false);
    assert.equal(shown('2026-11-26T12:00:00.000Z WARN [cart] slow', 'stdout'), true);
    assert.equal(shown('2026-11-26T12:00:00.000Z ERROR [cart] failed', 'stdout'), true);
    assert.equal(shown('something with no level', 'stdout'), true);
  });

  it('keeps every stderr line, INFO included (crash stacks, OOM reports)', () => {
    const shown = outputFilter(false);
    assert.equal(shown('INFO printed to stderr', 'stderr'), true);
    assert.equal(shown('FATAL ERROR: Reached heap limit Allocation failed', 'stderr'), true);
    assert.equal(shown('    at Object.<anonymous> (/x.js:1:1)', 'stderr'), true);
  });

  it('gives indented and blank lines the fate of the stdout line before them', () => {
    const shown = outputFilter(false);
    assert.equal(shown('INFO a record', 'stdout'), false);
    assert.equal(shown('  its second line', 'stdout'), false);
    assert.equal(shown('', 'stdout'), false);
    assert.equal(shown('ERROR failed', 'stdout'), true);
    assert.equal(shown('    at frame (/x.js:1:1)', 'stdout'), true);
  });

  it('shows everything when verbose', () => {
    const shown = outputFilter(true);
    assert.equal(shown('2026-11-26T12:00:00.000Z INFO [cart] add item', 'stdout'), true);
    assert.equal(shown('DEBUG detail', 'stdout'), true);
  });
});
