// The decoders face attacker-controlled bytes: whatever arrives, they either
// decode or throw DecodeError (never another exception, never hang).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { decodeRequest } from './decode';
import type { Encoding, Signal } from './decode';
import { DecodeError } from './errors';
import { DEFAULT_LIMITS } from './limits';
import { encodeRequest, fullFixture, requestType, toOtlpJson } from './testing/otlp-proto';

const SIGNALS: Signal[] = ['traces', 'metrics', 'logs'];
const RUNS = 300;
const limits = { ...DEFAULT_LIMITS, maxAnyValueDepth: 4, maxItemsPerRequest: 1000 };

function decodesOrDecodeError(signal: Signal, enc: Encoding, body: Uint8Array): boolean {
  try {
    decodeRequest(signal, enc, body, limits);
    return true;
  } catch (e) {
    if (e instanceof DecodeError) return true;
    throw e;
  }
}

const valid = SIGNALS.map((signal) => {
  const type = requestType(signal).fullName.slice(1);
  const { obj } = fullFixture(type, 3);
  return { signal, pb: Buffer.from(encodeRequest(signal, obj)), json: toOtlpJson(type, obj) };
});

/** Truncate, flip, overwrite or insert bytes of a valid payload. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('flip' as const),
    at: fc.nat(),
    bit: fc.integer({ min: 0, max: 7 }),
  }),
  fc.record({
    kind: fc.constant('set' as const),
    at: fc.nat(),
    byte: fc.integer({ min: 0, max: 255 }),
  }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 12 }),
  }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(buf: Buffer, muts: readonly Mutation[]): Buffer {
  let b = Buffer.from(buf);
  for (const m of muts) {
    const at = b.length === 0 ? 0 : m.at % b.length;
    if (m.kind === 'truncate') b = b.subarray(0, at);
    else if (m.kind === 'flip' && b.length > 0) b[at] = (b[at] as number) ^ (1 << m.bit);
    else if (m.kind === 'set' && b.length > 0) b[at] = m.byte;
    else if (m.kind === 'insert') b = Buffer.concat([b.subarray(0, at), m.bytes, b.subarray(at)]);
  }
  return b;
}

/** Replace the value at a random path of a JSON tree. */
function replaceAt(root: unknown, choice: number, value: unknown): unknown {
  const nodes: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) {
      v.forEach((x, i) => {
        nodes.push({ parent: v, key: i });
        walk(x);
      });
    } else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        nodes.push({ parent: v as Record<string, unknown>, key: k });
        walk(x);
      }
    }
  };
  const copy = structuredClone(root);
  walk(copy);
  const n = nodes[choice % Math.max(nodes.length, 1)];
  if (n !== undefined) (n.parent as Record<string | number, unknown>)[n.key] = value;
  return copy;
}

describe('decoder fuzzing', () => {
  for (const signal of SIGNALS) {
    it(`${signal}: random bytes decode or throw DecodeError`, () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 300 }), (b) =>
          decodesOrDecodeError(signal, 'protobuf', b),
        ),
        { numRuns: RUNS },
      );
    });
  }

  for (const v of valid) {
    it(`${v.signal}: mutated valid protobuf decodes or throws DecodeError`, () => {
      fc.assert(
        fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (muts) =>
          decodesOrDecodeError(v.signal, 'protobuf', mutate(v.pb, muts)),
        ),
        { numRuns: RUNS },
      );
    });

    it(`${v.signal}: valid JSON with a value replaced decodes or throws DecodeError`, () => {
      fc.assert(
        fc.property(fc.nat(), fc.jsonValue({ maxDepth: 3 }), (choice, value) =>
          decodesOrDecodeError(
            v.signal,
            'json',
            Buffer.from(JSON.stringify(replaceAt(v.json, choice, value))),
          ),
        ),
        { numRuns: RUNS },
      );
    });

    it(`${v.signal}: mutated JSON text decodes or throws DecodeError`, () => {
      const text = Buffer.from(JSON.stringify(v.json));
      fc.assert(
        fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (muts) =>
          decodesOrDecodeError(v.signal, 'json', mutate(text, muts)),
        ),
        { numRuns: RUNS },
      );
    });
  }

  it('the unmutated fixtures decode (so the properties above are not vacuous)', () => {
    for (const v of valid) {
      assert.ok(decodeRequest(v.signal, 'protobuf', v.pb, limits).accepted > 0);
      assert.ok(
        decodeRequest(v.signal, 'json', Buffer.from(JSON.stringify(v.json)), limits).accepted > 0,
      );
    }
  });
});
