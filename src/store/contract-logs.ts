// Contract cases for logs, statistics, retention and closing.

import assert from 'node:assert/strict';
import { it } from 'node:test';

import type { MakeStore } from './contract-fixtures';
import { ALL_TIME, shopSpans, withStore } from './contract-fixtures';
import { makeGauge, makeLog, makeScope, makeSeries, ms, spanIdOf, traceIdOf } from './testing';

export function runLogsAndHousekeepingContract(make: MakeStore): void {
  it('reads back a log record field by field', () =>
    withStore(make, async (s) => {
      const log = makeLog({
        service: 'recommendation',
        scope: makeScope({ name: 'logger' }),
        timeUnixNano: 1_700_000_000_000_000_001n,
        observedTimeUnixNano: 1_700_000_000_000_000_002n,
        severityNumber: 17,
        severityText: 'ERROR',
        body: { kvlist: { msg: 'cache miss', size: 364_000n, ok: false } },
        attributes: { 'code.lineno': 42n },
        droppedAttributesCount: 1,
        flags: 1,
        traceId: traceIdOf(2),
        spanId: spanIdOf(6),
        eventName: 'cache.miss',
      });
      await s.write({ logs: [log] });
      assert.deepEqual(
        await s.searchLogs({ range: { start: 0n, end: 1_800_000_000_000_000_000n }, limit: 5 }),
        [log],
      );
    }));

  it('searches logs by service, severity, text, trace and span id, newest first', () =>
    withStore(make, async (s) => {
      const logs = [
        makeLog({
          service: 'frontend',
          timeUnixNano: ms(1_000),
          body: 'request served',
          severityNumber: 9,
        }),
        makeLog({
          service: 'recommendation',
          timeUnixNano: ms(2_000),
          body: 'Cache MISS, list grows',
          severityNumber: 13,
          traceId: traceIdOf(2),
          spanId: spanIdOf(6),
        }),
        makeLog({
          service: 'recommendation',
          timeUnixNano: 0n,
          observedTimeUnixNano: ms(3_000),
          body: 'cache hit',
          severityNumber: 9,
        }),
      ];
      await s.write({ logs });
      const bodies = async (q: Partial<Parameters<typeof s.searchLogs>[0]>): Promise<unknown[]> =>
        (await s.searchLogs({ range: ALL_TIME, limit: 10, ...q })).map((l) => l.body);
      assert.deepEqual(await bodies({}), ['cache hit', 'Cache MISS, list grows', 'request served']);
      assert.deepEqual(await bodies({ service: 'recommendation', limit: 1 }), ['cache hit']);
      assert.deepEqual(await bodies({ minSeverity: 13 }), ['Cache MISS, list grows']);
      assert.deepEqual(await bodies({ text: 'cache m' }), ['Cache MISS, list grows']);
      assert.deepEqual(await bodies({ traceId: traceIdOf(2), spanId: spanIdOf(6) }), [
        'Cache MISS, list grows',
      ]);
      assert.deepEqual(await bodies({ range: { start: ms(2_500), end: ms(3_001) } }), [
        'cache hit',
      ]);
    }));

  it('counts what it holds', () =>
    withStore(make, async (s) => {
      await s.write({
        spans: shopSpans(),
        logs: [makeLog()],
        metrics: [makeGauge(), makeGauge({ name: 'other' })],
        samples: [
          makeSeries({ __name__: 'a' }, [
            [1, 1],
            [2, 2],
          ]),
          makeSeries({ __name__: 'b' }, [[1, 1]]),
        ],
      });
      const st = await s.stats();
      assert.deepEqual(
        { ...st, bytesOnDisk: 0, bytesFree: 0 },
        { spans: 9, logs: 1, metricPoints: 2, series: 2, samples: 3, bytesOnDisk: 0, bytesFree: 0 },
      );
      assert.ok(st.bytesOnDisk >= 0);
      assert.ok(st.bytesFree >= 0 && st.bytesFree <= Math.max(st.bytesOnDisk, 0));
    }));

  it('drops data older than the maximum age, in every signal', () =>
    withStore(make, async (s) => {
      await s.write({
        spans: shopSpans(),
        logs: [makeLog({ timeUnixNano: ms(1_000) }), makeLog({ timeUnixNano: ms(3_000) })],
        metrics: [makeGauge({ timeUnixNano: ms(1_000) }), makeGauge({ timeUnixNano: ms(3_000) })],
        samples: [
          makeSeries({ __name__: 'old' }, [[1_000, 1]]),
          makeSeries({ __name__: 'mixed' }, [
            [1_500, 1],
            [2_500, 2],
          ]),
        ],
      });
      await s.applyRetention({ maxAge: ms(1_000) }, ms(3_500));
      const st = await s.stats();
      assert.deepEqual(
        { ...st, bytesOnDisk: 0, bytesFree: 0 },
        { spans: 3, logs: 1, metricPoints: 1, series: 1, samples: 1, bytesOnDisk: 0, bytesFree: 0 },
      );
      assert.deepEqual(await s.getTrace(traceIdOf(1)), []);
      assert.equal((await s.getTrace(traceIdOf(3))).length, 3);
      assert.deepEqual(await s.services(), ['checkout', 'frontend']);
      assert.deepEqual(await s.labelValues('__name__', [], { minT: 0, maxT: 10_000 }), ['mixed']);
    }));

  it('rejects calls after close', async () => {
    const s = await make();
    await s.close();
    await assert.rejects(s.getTrace(traceIdOf(1)), /closed/);
    await assert.rejects(s.write({ spans: [] }), /closed/);
  });
}
