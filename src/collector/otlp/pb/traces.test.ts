import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_LIMITS } from '../limits';
import { encodeRequest } from '../testing/otlp-proto';
import { decodeTracesProto } from './traces';

const id = (n: number, size: number): Buffer => Buffer.alloc(size, n);

function span(n: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    traceId: id(n, 16),
    spanId: id(n, 8),
    name: `s${n}`,
    startTimeUnixNano: '1',
    endTimeUnixNano: '2',
    ...extra,
  };
}

describe('decodeTracesProto: values shared between spans', () => {
  it('gives a span with events, links or a status message its own, whatever the spans before it had', () => {
    const bytes = encodeRequest('traces', {
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                span(1, { status: { code: 2 } }),
                span(2, {
                  events: [{ timeUnixNano: '1', name: 'e' }],
                  links: [{ traceId: id(9, 16), spanId: id(9, 8) }],
                  status: { code: 2, message: 'boom' },
                }),
                span(3),
              ],
            },
          ],
        },
      ],
    });
    const { items } = decodeTracesProto(bytes, DEFAULT_LIMITS);
    const [a, b, c] = items;
    assert.deepEqual(a?.events, []);
    assert.deepEqual(a?.links, []);
    assert.deepEqual(a?.status, { code: 2, message: '' });
    assert.deepEqual(
      b?.events.map((e) => e.name),
      ['e'],
    );
    assert.equal(b?.links.length, 1);
    assert.deepEqual(b?.status, { code: 2, message: 'boom' });
    assert.deepEqual(c?.events, []);
    assert.deepEqual(c?.links, []);
    assert.deepEqual(c?.status, { code: 0, message: '' });
    // The shared empty values refuse changes instead of leaking them into other spans.
    assert.throws(() => (a?.events as unknown[]).push(b?.events[0]));
    assert.equal(c?.events.length, 0);
  });
});
