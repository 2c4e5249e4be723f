import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  formatFloatPlain,
  formatGoV,
  formatValue,
  parseDuration,
  parseNumber,
  unquote,
} from './lexical';

describe('parseDuration', () => {
  const cases: [string, number | undefined][] = [
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['250ms', 250],
    ['1y', 365 * 86_400_000],
    ['2w', 14 * 86_400_000],
    ['0', 0],
    ['', undefined],
    ['5', undefined],
    ['1m1h', undefined],
    ['-5m', undefined],
    ['5M', undefined],
  ];
  for (const [text, want] of cases)
    it(`${JSON.stringify(text)} -> ${want}`, () => assert.equal(parseDuration(text), want));
});

describe('unquote', () => {
  const cases: [string, string | undefined][] = [
    ['"a"', 'a'],
    ["'a'", 'a'],
    ['`a\\b`', 'a\\b'],
    ['"a\\nb"', 'a\nb'],
    ['"\\x41\\u00e9\\U0001F600"', 'Aé😀'],
    ['"\\101"', 'A'],
    ['"\\""', '"'],
    ["'\\''", "'"],
    ['"a', undefined],
    ['"\\q"', undefined],
    ["'\\\"'", undefined],
  ];
  for (const [text, want] of cases)
    it(`${text} -> ${JSON.stringify(want)}`, () => assert.equal(unquote(text), want));
});

describe('parseNumber', () => {
  const cases: [string, number | undefined][] = [
    ['1', 1],
    ['-1.5', -1.5],
    ['1e3', 1000],
    ['.5', 0.5],
    ['0x1F', 31],
    ['010', 8],
    ['Inf', Infinity],
    ['-inf', -Infinity],
    ['+Inf', Infinity],
    ['abc', undefined],
  ];
  for (const [text, want] of cases)
    it(`${text} -> ${want}`, () => assert.equal(parseNumber(text), want));
  it('NaN in any case', () => assert.ok(Number.isNaN(parseNumber('nAn') as number)));
});

describe('formatValue (Prometheus JSON sample values)', () => {
  const cases: [number, string][] = [
    [1, '1'],
    [0.1, '0.1'],
    [-2.5, '-2.5'],
    [1e-6, '0.000001'],
    [1e-7, '1e-07'],
    [1.5e21, '1.5e+21'],
    [1e20, '100000000000000000000'],
    [NaN, 'NaN'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
    [1700000000000, '1700000000000'],
  ];
  for (const [v, want] of cases) it(`${v} -> ${want}`, () => assert.equal(formatValue(v), want));
});

describe('formatFloatPlain (count_values labels)', () => {
  const cases: [number, string][] = [
    [1, '1'],
    [1e21, '1000000000000000000000'],
    [1.5e-7, '0.00000015'],
    [-0.5, '-0.5'],
    [Infinity, '+Inf'],
  ];
  for (const [v, want] of cases)
    it(`${v} -> ${want}`, () => assert.equal(formatFloatPlain(v), want));
});

describe("formatGoV (Go's %v in error messages)", () => {
  const cases: [number, string][] = [
    [1e20, '1e+20'],
    [1234567, '1.234567e+06'],
    [123456, '123456'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [-2.5, '-2.5'],
    [NaN, 'NaN'],
    [-Infinity, '-Inf'],
  ];
  for (const [v, want] of cases) it(`${v} -> ${want}`, () => assert.equal(formatGoV(v), want));
});
