import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { AnyValue } from '../model/telemetry';
import {
  attributeText,
  decodeAttributes,
  decodeValue,
  encodeAttributes,
  encodeValue,
} from './values';

describe('values', () => {
  const cases: [string, AnyValue, string][] = [
    ['string', 'a b', 'a b'],
    ['bool', false, 'false'],
    ['double', 0.25, '0.25'],
    ['whole double', 3, '3'],
    ['int64 beyond 2^53', 9_007_199_254_740_993n, '9007199254740993'],
    ['bytes', new Uint8Array([0, 255]), 'AP8='],
    ['null', null, ''],
  ];
  for (const [name, v, text] of cases) {
    it(`gives ${name} its search text and round-trips it with its type`, () => {
      assert.equal(attributeText(v), text);
      assert.deepEqual(decodeValue(encodeValue(v)), v);
    });
  }

  it('keeps int and double apart for the same number', () => {
    assert.notEqual(encodeValue(3), encodeValue(3n));
    assert.equal(typeof decodeValue(encodeValue(3n)), 'bigint');
  });

  it('round-trips nested arrays and kvlists', () => {
    const v: AnyValue = ['x', 1n, { kvlist: { a: [true, null], b: 2.5 } }];
    assert.deepEqual(decodeValue(encodeValue(v)), v);
    assert.deepEqual(decodeAttributes(encodeAttributes({ k: v, s: 's' })), { k: v, s: 's' });
  });

  it('rejects text with an unknown type tag', () => {
    assert.throws(() => decodeValue('zzz'), /unknown type tag/);
  });

  it('writes attributes as a JSON object of tagged values, awkward keys included', () => {
    const attrs = { 'a"b': 1n, 'caf\u00e9\n': 'x', '': true };
    assert.deepEqual(JSON.parse(encodeAttributes(attrs)), {
      'a"b': 'i1',
      'caf\u00e9\n': 'sx',
      '': 'btrue',
    });
    assert.equal(encodeAttributes({}), '{}');
  });
});
