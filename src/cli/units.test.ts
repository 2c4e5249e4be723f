import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { parseDuration, parseSize } from './units';

describe('parseDuration', () => {
  const cases: [string, bigint][] = [
    ['30s', 30_000_000_000n],
    ['15m', 900_000_000_000n],
    ['12h', 43_200_000_000_000n],
    ['7d', 604_800_000_000_000n],
    ['2w', 1_209_600_000_000_000n],
  ];
  for (const [text, ns] of cases)
    it(`${text} is ${ns} ns`, () => assert.equal(parseDuration(text), ns));
  for (const bad of ['', '7', 'd', '1.5h', '-1d', '0h', '7 days', '3y']) {
    it(`refuses '${bad}' naming it`, () =>
      assert.throws(
        () => parseDuration(bad),
        (e: Error) => e.message.includes(`'${bad}'`),
      ));
  }
});

describe('parseSize', () => {
  const cases: [string, number][] = [
    ['2GB', 2e9],
    ['512MB', 512e6],
    ['1GiB', 1024 ** 3],
    ['1.5KiB', 1536],
    ['100b', 100],
    ['10 mb', 10e6],
  ];
  for (const [text, bytes] of cases)
    it(`${text} is ${bytes} bytes`, () => assert.equal(parseSize(text), bytes));
  for (const bad of ['', 'GB', '2XB', '-1GB', '0MB', '2 G']) {
    it(`refuses '${bad}'`, () => assert.throws(() => parseSize(bad), RangeError));
  }
});
