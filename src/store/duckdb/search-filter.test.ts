import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { INTEGER, LIST, UINTEGER, listValue } from '@duckdb/node-api';

import type { Attributes, Span } from '../../model/telemetry';
import { ALL_TIME } from '../contract-fixtures';
import { createMemoryStore } from '../memory';
import { makeResource, makeSpan, ms, spanIdOf, traceIdOf } from '../testing';
import type { SpanFilter, TraceQuery } from '../store';
import { createDuckDbStore } from './index';
import { filterParams, tiny } from './params';
import type { Params } from './params';
import { spansMatching } from './search-filter';

/** withSearchParams' parameters for `f`, with the given resource ids and key positions per tag. */
function params(
  f: SpanFilter & { spanKind?: number },
  rids: number[][],
  positions: number[][],
): Params {
  const list = (l: number[] | undefined, t: typeof INTEGER | typeof UINTEGER) =>
    [listValue(l ?? []), LIST(t)] as const;
  return {
    ...filterParams(f),
    kind: tiny(f.spanKind),
    r1: list(rids[0], UINTEGER),
    r2: list(rids[1], UINTEGER),
    r3: list(rids[2], UINTEGER),
    p1: list(positions[0], INTEGER),
    p2: list(positions[1], INTEGER),
    p3: list(positions[2], INTEGER),
    tag_rids: [listValue([]), LIST(LIST(UINTEGER))],
    tag_pos: [listValue([]), LIST(LIST(INTEGER))],
  };
}

describe('spansMatching', () => {
  it('names only the fields given and the slots the tag key occupies in some key set', () => {
    const f = { range: ALL_TIME, service: 'cart', attributes: { 'rpc.method': 'Get' } };
    const m = spansMatching(params(f, [[]], [[0, 3, 3, 5]]));
    const columns = new Set(m.where.match(/\ba\d+\b/g));
    assert.deepEqual([...columns].sort(), ['a2', 'a4']);
    assert.match(m.where, /service = \$service/);
    assert.doesNotMatch(m.where, /name =|kind =|duration_ns|pseudo_tag_matches|list_contains/);
    assert.deepEqual(Object.keys(m.params).sort(), ['end', 'n1', 'p1', 'service', 'start', 'v1']);
  });

  it('tests a pseudo-tag key as a span field and a resource tag by id', () => {
    const f = { range: ALL_TIME, attributes: { error: 'true', 'host.name': 'x' } };
    const m = spansMatching(params(f, [[], [4]], [[], []]));
    assert.match(m.where, /pseudo_tag_matches\(status_code, kind, \$k1, \$v1\)/);
    assert.doesNotMatch(m.where, /\$k2/);
    assert.match(m.where, /list_contains\(\$r2, resource_id\)/);
    assert.doesNotMatch(m.where, /\ba\d+\b/);
  });
});

const attrs = (n: number, extra: Attributes): Attributes => {
  const out: Record<string, string> = {};
  for (let i = 0; i < n; i++) out[`f${i}`] = String(i);
  return { ...out, ...extra };
};

describe('DuckDB search filter, as the memory store filters', () => {
  it('answers the same for tags in any slot, in the JSON remainder, typed, pseudo and resource tags', async () => {
    const duck = await createDuckDbStore({ dataDir: ':memory:', threads: 1 });
    const mem = createMemoryStore();
    try {
      // The key `k` at slot 1, 3 and 16, past the 16 slots (JSON remainder),
      // typed, and absent; spans of two kinds, statuses, names and durations.
      const shapes: Attributes[] = [
        { k: 'v' },
        attrs(2, { k: 'v' }),
        attrs(15, { k: 'v' }),
        attrs(20, { k: 'v' }),
        { k: 7, b: true },
        attrs(3, {}),
        { a: '1', b: '2', c: '3', k: 'v' },
      ];
      const spans: Span[] = [];
      for (let t = 1; t <= 28; t++) {
        const shape = shapes[t % shapes.length]!;
        const at = 1_000 + t * 10;
        spans.push(
          makeSpan({
            traceId: traceIdOf(t),
            spanId: spanIdOf(t),
            name: t % 2 === 0 ? 'get' : 'put',
            kind: t % 3 === 0 ? 3 : 2,
            status: { code: t % 4 === 0 ? 2 : t % 4 === 1 ? 1 : 0, message: '' },
            startTimeUnixNano: ms(at),
            endTimeUnixNano: ms(at + (t % 5) * 3),
            attributes: shape,
            resource: makeResource(t % 2 === 0 ? 'cart' : 'ad', { 'host.name': `h${t % 3}` }),
          }),
        );
      }
      for (const s of [duck, mem]) await s.write({ spans });
      const filters: Omit<TraceQuery, 'range' | 'limit'>[] = [
        { attributes: { k: 'v' } },
        { attributes: { k: '7' } },
        { attributes: { b: 'true', k: '7' } },
        { attributes: { error: 'true' } },
        { attributes: { 'span.kind': 'client', k: 'v' } },
        { attributes: { 'otel.status_code': 'OK' } },
        { attributes: { 'host.name': 'h1' } },
        { attributes: { a: '1', b: '2', c: '3', k: 'v' } },
        { attributes: { f0: '0', f1: '1', 'host.name': 'h2', k: 'v' } },
        { service: 'cart', operation: 'get', attributes: { k: 'v' } },
        { service: 'ad', spanKind: 3, minDuration: ms(3), maxDuration: ms(9) },
        { attributes: { f19: '19' } },
      ];
      for (const f of filters)
        for (const sort of ['recent', 'longest'] as const) {
          const q: TraceQuery = { ...f, range: ALL_TIME, limit: 6, sort };
          const want = await mem.searchTraces(q);
          assert.deepEqual(
            await duck.searchTraces(q),
            want,
            `${JSON.stringify(f.attributes)} ${sort}`,
          );
        }
      const some = await mem.searchTraces({ range: ALL_TIME, limit: 30, attributes: { k: 'v' } });
      assert.equal(some.length, 20);
    } finally {
      await duck.close();
    }
  });
});
