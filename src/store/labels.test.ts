// Label matchers: a missing label is the empty string; regexes are RE2 (re2/index.test.ts).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { labelsMatch, matcherMatches, normalizeLabels, seriesKey } from './labels';

describe('label matchers', () => {
  it('treats a missing label as the empty string', () => {
    assert.ok(labelsMatch({ a: 'x' }, [{ name: 'b', op: '=~', value: '' }]));
    assert.ok(!labelsMatch({ a: 'x' }, [{ name: 'b', op: '!=', value: '' }]));
  });

  it('names the matcher when a regex is invalid', () => {
    assert.throws(
      () => matcherMatches({ name: 'a', op: '=~', value: '(' }, 'x'),
      /invalid regular expression in label matcher: "\(" \(error parsing regexp: missing closing \)/,
    );
  });

  it('keeps answering after more distinct patterns than the cache holds', () => {
    for (let i = 0; i < 2500; i++) {
      assert.ok(matcherMatches({ name: 'a', op: '=~', value: `x${i}|y+` }, 'yy'));
    }
    assert.ok(matcherMatches({ name: 'a', op: '!~', value: 'x0|y+' }, 'x1'));
  });

  it('drops empty values and sorts names, so equal sets have one key', () => {
    assert.deepEqual(Object.keys(normalizeLabels({ b: '1', a: '2', c: '' })), ['a', 'b']);
    assert.equal(seriesKey({ b: '1', a: '2', c: '' }), seriesKey({ a: '2', b: '1' }));
    assert.notEqual(seriesKey({ a: '1' }), seriesKey({ a: '2' }));
  });
});
