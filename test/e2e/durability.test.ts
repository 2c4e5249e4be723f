// "Acknowledged means durable", end to end: concurrent OTLP/HTTP clients
// send spans, metric points and log records to a real `otel-lab serve`
// process, the process is SIGKILLed in the middle of heavy ingest, and a new
// process on the same data directory must show every item whose request got
// a 2xx. Requests still in flight at the kill may or may not be there, but
// never in part. The harness is bench/ingest-soak.ts (which runs it longer).

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import {
  SHAPE,
  SIGNALS,
  ingestThenKill,
  killAll,
  patch,
  spansByTrace,
  startServe,
  templates,
  traceMarker,
  verify,
} from '../../bench/ingest-soak';
import type { Ledger, Serve } from '../../bench/ingest-soak';

const CLI = path.join(__dirname, '..', '..', 'src', 'cli', 'main.js');
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'otel-lab-durability-e2e-'));
after(() => {
  killAll();
  fs.rmSync(root, { recursive: true, force: true });
});

/** Ingest at least this long (plus up to a second, so the kill lands anywhere in a commit)... */
const MIN_INGEST_MS = 2500;
/** ...and until every signal has this many acknowledged requests. */
const MIN_ACKED_PER_SIGNAL = 20;

describe('acknowledged means durable (otel-lab serve, SIGKILL mid-ingest)', () => {
  it('keeps every acknowledged span, metric point and log record across two SIGKILLs', async (t) => {
    const dataDir = path.join(root, 'data');
    const tpl = Array.from({ length: SHAPE.clients }, (_, c) => templates(c, Date.now()));
    const ledger: Ledger = { acked: [], inFlight: [], refused: 0 };
    const reopenMs: number[] = [];
    let serve: Serve = await startServe(CLI, dataDir, root);
    // Round 2 runs on the store recovered from round 1, so a second crash after a
    // recovery must not lose what the first recovery brought back.
    for (let round = 1; round <= 2; round++) {
      const r = await ingestThenKill(serve, round, tpl, ledger, {
        minMs: MIN_INGEST_MS + Math.floor(Math.random() * 1000),
        minAckedPerSignal: MIN_ACKED_PER_SIGNAL,
        maxMs: 30_000,
      });
      for (const s of SIGNALS) {
        assert.ok(r.acked[s] >= MIN_ACKED_PER_SIGNAL, `${s}: only ${r.acked[s]} acknowledged`);
      }
      // The kill landed during ingest: clients had requests outstanding.
      assert.ok(r.inFlight > 0, 'no request was in flight at the kill');
      t.diagnostic(
        `round ${round}: SIGKILL after ${r.ingestMs} ms; acknowledged requests traces ${r.acked.traces}, ` +
          `metrics ${r.acked.metrics}, logs ${r.acked.logs}; 503s ${r.refused}; in flight ${r.inFlight}`,
      );
      const reopenStarted = Date.now();
      serve = await startServe(CLI, dataDir, root);
      reopenMs.push(Date.now() - reopenStarted);
      assert.doesNotMatch(serve.output(), /error|failed/i);
    }
    const last = serve;
    try {
      const v = await verify(last.api, ledger);
      for (const s of SIGNALS) {
        assert.deepEqual(
          v.missing[s].slice(0, 5),
          [],
          `${v.missing[s].length} acked ${s} requests lost`,
        );
      }
      assert.deepEqual(v.broken.slice(0, 5), [], 'nothing half stored, nothing never sent');
      const perRequest = SHAPE.seriesPerRequest * SHAPE.pointsPerSeries;
      assert.equal(
        v.items.metrics,
        ledger.acked.filter((a) => a.signal === 'metrics').length * perRequest,
      );

      // The recovered store takes writes.
      const id = randomBytes(16);
      const res = await fetch(`${last.otlp}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-protobuf' },
        body: patch(tpl[0]!.traces, [[traceMarker(0), id]]),
      });
      assert.equal(res.status, 200);
      const back = await spansByTrace(last.api, [id.toString('hex')]);
      assert.equal(back.get(id.toString('hex')), SHAPE.spansPerTrace);

      t.diagnostic(
        `verified ${v.items.traces} spans, ${v.items.metrics} points, ${v.items.logs} log records; ` +
          `of ${ledger.inFlight.length} requests in flight at the kills ${v.inFlightStored} were ` +
          `stored whole, the others not at all; reopen to ready ${reopenMs.join(' ms, ')} ms`,
      );
    } finally {
      last.proc.kill('SIGTERM');
      const end = await last.exited;
      assert.equal(end.code, 0, last.output());
    }
  });
});
