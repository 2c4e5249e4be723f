import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { Attributes } from '../../model/telemetry';
import { decodeAttributes, encodeAttributes } from '../values';
import { encodeAttributesFast } from './codec';

test('encodeAttributesFast writes the same text as encodeAttributes', () => {
  const sets: Attributes[] = [
    {},
    { 'app.cache_hit': false, ok: true },
    { 'http.status_code': 200n, big: -(2n ** 63n), d: 1.5, nan: Number.NaN, inf: -Infinity },
    { q: 'a "quoted" \\ back\nslash \u0000 \u2028 é 😀', '"odd key"': '' },
    { nil: null, bytes: new Uint8Array([0, 255, 7]) },
    { arr: ['x', 1n, 2.5, true, null], kv: { kvlist: { inner: 'v', n: 3n } } },
    { '2': 'numeric keys come first', a: 'b', '1': 'c' },
  ];
  for (const attrs of sets) {
    const text = encodeAttributesFast(attrs);
    assert.equal(text, encodeAttributes(attrs));
    assert.deepEqual(decodeAttributes(text), attrs);
  }
});

test('encodeAttributesFast stays exact for many distinct keys (cache bound)', () => {
  for (let i = 0; i < 5000; i++) {
    const attrs: Attributes = { [`key.${i}`]: `value ${i}`, common: 'x' };
    assert.equal(encodeAttributesFast(attrs), encodeAttributes(attrs));
  }
});
