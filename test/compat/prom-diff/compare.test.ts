// The comparer decides what "agrees" means; a lenient one would let the
// differential suite pass on wrong answers, so it is tested on its own.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diffAnswers, sameNumber, type Answer } from './compare';

function vector(...samples: [Record<string, string>, string][]): Answer {
  return {
    status: 200,
    body: {
      status: 'success',
      data: {
        resultType: 'vector',
        result: samples.map(([metric, v]) => ({ metric, value: [100, v] })),
      },
    },
  };
}

function matrix(...series: [Record<string, string>, [number, string][]][]): Answer {
  return {
    status: 200,
    body: {
      status: 'success',
      data: {
        resultType: 'matrix',
        result: series.map(([metric, values]) => ({ metric, values })),
      },
    },
  };
}

function error(status: number, errorType: string, message = 'x'): Answer {
  return { status, body: { status: 'error', errorType, error: message } };
}

const a = { __name__: 'up', job: 'a' };
const b = { __name__: 'up', job: 'b' };

describe('sameNumber', () => {
  it('takes NaN as equal to NaN only', () => {
    assert.ok(sameNumber(NaN, NaN));
    assert.ok(!sameNumber(NaN, 0));
    assert.ok(!sameNumber(Infinity, NaN));
  });

  it('allows 1e-9 relative error and float noise around zero, no more', () => {
    assert.ok(sameNumber(1e6, 1e6 * (1 + 5e-10)));
    assert.ok(!sameNumber(1e6, 1e6 * (1 + 5e-9)));
    assert.ok(sameNumber(0, 1e-17));
    assert.ok(!sameNumber(0, 1e-6));
    assert.ok(sameNumber(Infinity, Infinity));
    assert.ok(!sameNumber(Infinity, -Infinity));
    assert.ok(!sameNumber(Infinity, 5));
    assert.ok(!sameNumber(-1e308, -Infinity));
  });
});

describe('diffAnswers', () => {
  it('accepts the same vector in another order', () => {
    assert.equal(
      diffAnswers('up', vector([a, '1'], [b, '2']), vector([b, '2'], [a, '1']), false),
      undefined,
    );
  });

  it('reports a missing series, an extra one and a different value', () => {
    assert.match(
      diffAnswers('up', vector([a, '1'], [b, '2']), vector([a, '1']), false) ?? '',
      /only in Prometheus/,
    );
    assert.match(
      diffAnswers('up', vector([a, '1']), vector([a, '1'], [b, '2']), false) ?? '',
      /only in ours/,
    );
    assert.match(
      diffAnswers('up', vector([a, '1']), vector([a, '1.5']), false) ?? '',
      /values of 1 series differ/,
    );
  });

  it('wants equal values spelled as Prometheus spells them', () => {
    assert.match(
      diffAnswers('x', vector([a, '1e+06']), vector([a, '1000000']), false) ?? '',
      /differ/,
    );
    assert.match(
      diffAnswers('x', vector([a, '+Inf']), vector([a, 'Infinity']), false) ?? '',
      /differ/,
    );
    assert.equal(diffAnswers('x', vector([a, 'NaN']), vector([a, 'NaN']), false), undefined);
  });

  it('checks the value order of sort() but not of plain vectors', () => {
    const want = vector([a, '1'], [b, '2']);
    const got = vector([b, '2'], [a, '1']);
    assert.match(diffAnswers('sort(up)', want, got, false) ?? '', /sort order/);
    assert.equal(diffAnswers('sum(up)', want, got, false), undefined);
  });

  it('compares range results point by point and in label order', () => {
    const want = matrix(
      [
        a,
        [
          [1, '1'],
          [2, '2'],
        ],
      ],
      [b, [[1, '3']]],
    );
    assert.equal(
      diffAnswers(
        'up',
        want,
        matrix(
          [
            a,
            [
              [1, '1'],
              [2, '2'],
            ],
          ],
          [b, [[1, '3']]],
        ),
        true,
      ),
      undefined,
    );
    assert.match(
      diffAnswers('up', want, matrix([a, [[1, '1']]], [b, [[1, '3']]]), true) ?? '',
      /@2: 2 vs ours \(none\)/,
    );
    assert.match(
      diffAnswers(
        'up',
        want,
        matrix(
          [b, [[1, '3']]],
          [
            a,
            [
              [1, '1'],
              [2, '2'],
            ],
          ],
        ),
        true,
      ) ?? '',
      /order/,
    );
  });

  it('needs both sides to fail alike', () => {
    assert.equal(
      diffAnswers('x', error(400, 'bad_data', 'one'), error(400, 'bad_data', 'other'), false),
      undefined,
    );
    assert.match(
      diffAnswers('x', error(400, 'bad_data'), error(422, 'execution'), false) ?? '',
      /outcome/,
    );
    assert.match(diffAnswers('x', error(400, 'bad_data'), vector(), false) ?? '', /outcome/);
    assert.match(diffAnswers('x', vector(), error(500, 'internal'), false) ?? '', /outcome/);
  });

  it('reports a different result type and a different scalar', () => {
    const scalar = (v: string): Answer => ({
      status: 200,
      body: { status: 'success', data: { resultType: 'scalar', result: [100, v] } },
    });
    assert.match(diffAnswers('x', scalar('1'), vector([{}, '1']), false) ?? '', /resultType/);
    assert.match(diffAnswers('x', scalar('1'), scalar('2'), false) ?? '', /scalar/);
    assert.equal(diffAnswers('x', scalar('2'), scalar('2'), false), undefined);
  });
});
