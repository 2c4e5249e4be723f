import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  almostEqual,
  parseSeriesDesc,
  parseSeriesValues,
  parseTestFile,
  runTestFile,
} from './testfile';
import { isStaleNaN } from './values';

describe('series notation', () => {
  const cases: [string, (number | 'omitted')[]][] = [
    ['1 2 3', [1, 2, 3]],
    ['0+10x3', [0, 10, 20, 30]],
    ['10-2x2', [10, 8, 6]],
    ['5x2', [5, 5, 5]],
    ['_ 1 _x2 2', ['omitted', 1, 'omitted', 'omitted', 2]],
    ['-1+1x2', [-1, 0, 1]],
    ['Inf -Inf', [Infinity, -Infinity]],
  ];
  for (const [text, want] of cases) it(text, () => assert.deepEqual(parseSeriesValues(text), want));

  it('reads stale markers', () => {
    const [v] = parseSeriesValues('stale');
    assert.ok(typeof v === 'number' && isStaleNaN(v));
  });

  it('reads a metric with labels', () => {
    assert.deepEqual(parseSeriesDesc('http_requests{job="api", path="/a b"} 1 2'), {
      labels: { __name__: 'http_requests', job: 'api', path: '/a b' },
      rest: '1 2',
    });
    assert.deepEqual(parseSeriesDesc('{__name__="x"} 1').labels, { __name__: 'x' });
  });
});

describe('test files', () => {
  it('parses commands and their expectations', () => {
    const cmds = parseTestFile(
      '# comment\nload 5m\n  x{a="b"} 1 2\n\neval instant at 5m x\n  x{a="b"} 2\n\neval_fail instant at 0m rate(x)\n\nclear\n',
    );
    assert.deepEqual(
      cmds.map((c) => c.kind),
      ['load', 'eval', 'eval', 'clear'],
    );
    const ev = cmds[1];
    assert.ok(ev?.kind === 'eval');
    assert.equal(ev.at, 300_000);
    assert.deepEqual(ev.expected, [{ labels: { __name__: 'x', a: 'b' }, value: 2 }]);
  });

  it('reports passing and failing evals', async () => {
    const results = await runTestFile(
      'load 1m\n  x 1 2 3\n\neval instant at 2m x\n  x 3\n\neval instant at 2m x\n  x 4\n\neval instant at 1m x * 2\n  {} 4\n',
    );
    assert.deepEqual(
      results.map((r) => [r.line, r.error]),
      [
        [4, undefined],
        [7, 'expected 4 for {__name__="x"} but got 3'],
        [10, undefined],
      ],
    );
  });

  it('compares values with a relative tolerance, NaN equal to NaN', () => {
    assert.ok(almostEqual(1, 1 + 1e-9));
    assert.ok(!almostEqual(1, 1.01));
    assert.ok(almostEqual(NaN, NaN));
    assert.ok(!almostEqual(0, 1e-300));
  });
});
