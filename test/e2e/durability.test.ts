// "Acknowledged means durable", end to end: concurrent OTLP/HTTP clients
// send spans, metric points and log records to a real `otel-lab serve`
// process, the process is SIGKILLed in the middle of heavy ingest, and a new
// process on the same data directory must show every item whose request got
// a 2xx. Requests still in flight at the kill may or may not be there.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { encodeRequest } from '../../src/collector/otlp/testing/otlp-proto';
import { decodeExportResponse } from '../../src/collector/testing/otlp-bodies';

const CLI = path.join(__dirname, '..', '..', 'src', 'cli', 'main.js');
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'otel-lab-durability-e2e-'));
const children: ChildProcess[] = [];
after(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  fs.rmSync(root, { recursive: true, force: true });
});

const CLIENTS = 6;
const TRACES_PER_REQUEST = 4;
const SPANS_PER_TRACE = 50;
const LOGS_PER_REQUEST = 200;
const SERIES_PER_REQUEST = 20;
const POINTS_PER_SERIES = 10;
/** Ingest at least this long, and until every signal has this many acknowledged requests. */
const MIN_INGEST_MS = 2500;
const MIN_ACKED_PER_SIGNAL = 20;

interface Serve {
  readonly proc: ChildProcess;
  readonly api: string;
  readonly otlp: string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
}

async function startServe(dataDir: string): Promise<Serve> {
  const env: NodeJS.ProcessEnv = { ...process.env, OTEL_LAB_HOME: path.join(root, 'home') };
  delete env['OTEL_LAB_DATA_DIR'];
  const proc = spawn(
    process.execPath,
    [
      CLI,
      'serve',
      '--http-port',
      '0',
      '--otlp-http-port',
      '0',
      '--otlp-grpc-port',
      '0',
      '--data-dir',
      dataDir,
      '--flags-file',
      path.join(root, 'flags.json'),
    ],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.push(proc);
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    proc.once('exit', (code, signal) => r({ code, signal })),
  );
  let gone = false;
  void exited.then(() => (gone = true));
  for (let i = 0; i < 1200 && !gone && !/data\s+\S+\n/.test(out); i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  const api = /lab UI\s+(http:\/\/\S+?)\/\n/.exec(out)?.[1];
  const otlp = /OTLP\/HTTP\s+(http:\/\/\S+?)\/v1\//.exec(out)?.[1];
  if (api === undefined || otlp === undefined) {
    proc.kill('SIGKILL');
    throw new Error(`otel-lab serve did not become ready:\n${out}`);
  }
  return { proc, api, otlp, exited, output: () => out };
}

type Signal = 'traces' | 'metrics' | 'logs';

/** Replaces every occurrence of `marker` (same length as `by`) in a copy of `bytes`. */
function patch(bytes: Buffer, replacements: readonly [Buffer, Buffer][]): Buffer {
  const out = Buffer.from(bytes);
  for (const [marker, by] of replacements) {
    for (let at = out.indexOf(marker); at !== -1; at = out.indexOf(marker, at + by.length)) {
      by.copy(out, at);
    }
  }
  return out;
}

const traceMarker = (t: number): Buffer =>
  Buffer.from(`feedface${t.toString(16).padStart(2, '0')}feedfacefeedfacefeedfa`, 'hex');
const REQ_MARKER = 'reqmark-000000000';

interface Templates {
  readonly traces: Buffer;
  readonly metrics: Buffer;
  readonly logs: Buffer;
}

/**
 * One encoded request per signal for a client; each sent request is the
 * template with fresh trace ids (spans, logs) or a fresh `req` label
 * (metrics), so encoding costs nothing during the run.
 */
function templates(client: number, nowMs: number): Templates {
  const resource = {
    attributes: [{ key: 'service.name', value: { stringValue: `durability-${client}` } }],
  };
  const ns = (ms: number): string => (BigInt(ms) * 1_000_000n).toString();
  const spanId = (t: number, s: number): Buffer => Buffer.from([0x5a, t + 1, s + 1, 0, 0, 0, 0, 1]);
  const spans = [];
  for (let t = 0; t < TRACES_PER_REQUEST; t++) {
    for (let s = 0; s < SPANS_PER_TRACE; s++) {
      spans.push({
        traceId: traceMarker(t),
        spanId: spanId(t, s),
        ...(s > 0 ? { parentSpanId: spanId(t, 0) } : {}),
        name: `op-${s % 5}`,
        kind: s === 0 ? 2 : 3,
        startTimeUnixNano: ns(nowMs - 10_000 + s),
        endTimeUnixNano: ns(nowMs - 10_000 + s + 5),
        attributes: [{ key: 'span.index', value: { intValue: s } }],
      });
    }
  }
  const points = [];
  for (let k = 0; k < SERIES_PER_REQUEST; k++) {
    for (let j = 0; j < POINTS_PER_SERIES; j++) {
      points.push({
        attributes: [
          { key: 'req', value: { stringValue: REQ_MARKER } },
          { key: 'k', value: { stringValue: `k${k}` } },
        ],
        timeUnixNano: ns(nowMs - 60_000 + j * 1000),
        asDouble: j,
      });
    }
  }
  const logRecords = Array.from({ length: LOGS_PER_REQUEST }, (_, i) => ({
    timeUnixNano: ns(nowMs - 5_000 + i),
    severityNumber: 9,
    body: { stringValue: `durability log ${i}` },
    traceId: traceMarker(0),
    spanId: spanId(0, i % SPANS_PER_TRACE),
  }));
  return {
    traces: Buffer.from(
      encodeRequest('traces', { resourceSpans: [{ resource, scopeSpans: [{ spans }] }] }),
    ),
    metrics: Buffer.from(
      encodeRequest('metrics', {
        resourceMetrics: [
          {
            resource,
            scopeMetrics: [
              { metrics: [{ name: 'durability_probe', gauge: { dataPoints: points } }] },
            ],
          },
        ],
      }),
    ),
    logs: Buffer.from(
      encodeRequest('logs', { resourceLogs: [{ resource, scopeLogs: [{ logRecords }] }] }),
    ),
  };
}

/** What one request carried: the trace ids (spans, logs) or the `req` label (metrics). */
interface Sent {
  readonly signal: Signal;
  readonly keys: readonly string[];
}

interface Ledger {
  readonly acked: Sent[];
  /** Requests that had no answer when the process died. */
  readonly inFlight: Sent[];
  refused: number;
}

const PATHS: Record<Signal, string> = {
  traces: '/v1/traces',
  metrics: '/v1/metrics',
  logs: '/v1/logs',
};

async function runClient(
  otlp: string,
  round: number,
  client: number,
  t: Templates,
  ledger: Ledger,
  stopped: () => boolean,
): Promise<void> {
  const order: Signal[] = ['traces', 'metrics', 'logs'];
  for (let seq = client; !stopped(); seq++) {
    const signal = order[seq % 3] as Signal;
    let body: Buffer;
    let sent: Sent;
    if (signal === 'metrics') {
      const prefix = `r${round}c${client}-`;
      const req = `${prefix}${String(seq).padStart(REQ_MARKER.length - prefix.length, '0')}`;
      body = patch(t.metrics, [[Buffer.from(REQ_MARKER), Buffer.from(req)]]);
      sent = { signal, keys: [req] };
    } else {
      const n = signal === 'traces' ? TRACES_PER_REQUEST : 1;
      const ids = Array.from({ length: n }, () => randomBytes(16));
      body = patch(
        t[signal],
        ids.map((id, i) => [traceMarker(i), id]),
      );
      sent = { signal, keys: ids.map((id) => id.toString('hex')) };
    }
    let res: Response;
    try {
      res = await fetch(`${otlp}${PATHS[signal]}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-protobuf' },
        body,
      });
    } catch {
      // The backend died with this request unanswered.
      ledger.inFlight.push(sent);
      return;
    }
    const answer = Buffer.from(await res.arrayBuffer());
    if (res.status === 200) {
      const kind = signal === 'traces' ? 'trace' : signal;
      // A partial success would make "acknowledged" not mean "all stored": the data is valid.
      assert.deepEqual(decodeExportResponse(kind, answer), {}, `${signal} partial success`);
      ledger.acked.push(sent);
    } else {
      assert.equal(res.status, 503, `${signal}: ${res.status} ${answer.toString('utf8', 0, 200)}`);
      ledger.refused++;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

async function getJson(url: string): Promise<unknown> {
  const res = await fetch(url);
  const text = await res.text();
  assert.equal(res.status, 200, `${url}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as unknown;
}

interface JaegerTraces {
  data: { traceID: string; spans: { spanID: string }[] }[];
}
interface LabLogs {
  data: { traceID: string; body: unknown }[];
}
interface PromVector {
  data: { result: { metric: Record<string, string>; value: [number, string] }[] };
}

/** Trace id -> span count, for the ids found. */
async function spansByTrace(api: string, ids: readonly string[]): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  for (let i = 0; i < ids.length; i += 100) {
    const q = ids
      .slice(i, i + 100)
      .map((id) => `traceID=${id}`)
      .join('&');
    const body = (await getJson(`${api}/jaeger/api/traces?${q}`)) as JaegerTraces;
    for (const t of body.data) found.set(t.traceID.padStart(32, '0'), t.spans.length);
  }
  return found;
}

async function logsByTrace(api: string, ids: readonly string[]): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  const queue = [...ids];
  const worker = async (): Promise<void> => {
    for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
      const body = (await getJson(
        `${api}/api/logs?traceId=${id}&limit=${LOGS_PER_REQUEST * 2}`,
      )) as LabLogs;
      if (body.data.length > 0) found.set(id, body.data.length);
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  return found;
}

async function samplesByReq(api: string): Promise<Map<string, number>> {
  const q = encodeURIComponent('sum by (req) (count_over_time(durability_probe[1h]))');
  const body = (await getJson(
    `${api}/prometheus/api/v1/query?query=${q}&time=${Date.now() / 1000}`,
  )) as PromVector;
  return new Map(body.data.result.map((r) => [r.metric['req'] ?? '', Number(r.value[1])]));
}

interface Round {
  readonly ingestMs: number;
  readonly acked: Record<Signal, number>;
  readonly refused: number;
  readonly inFlight: number;
}

/** Clients send until enough is acknowledged, then the backend is SIGKILLed under them. */
async function ingestThenKill(serve: Serve, round: number, tpl: Templates[], ledger: Ledger) {
  const mine: Ledger = { acked: [], inFlight: [], refused: 0 };
  let stop = false;
  const started = Date.now();
  const clients = tpl.map((x, c) => runClient(serve.otlp, round, c, x, mine, () => stop));
  const ackedOf = (s: Signal): number => mine.acked.filter((a) => a.signal === s).length;
  // A varying extra delay moves the kill around the group-commit cycle from run to run.
  const minMs = MIN_INGEST_MS + Math.floor(Math.random() * 1000);
  while (
    Date.now() - started < 30_000 &&
    (Date.now() - started < minMs || SIGNALS.some((s) => ackedOf(s) < MIN_ACKED_PER_SIGNAL))
  ) {
    await new Promise((r) => setTimeout(r, 50));
  }
  const ingestMs = Date.now() - started;
  serve.proc.kill('SIGKILL');
  const death = await serve.exited;
  stop = true;
  await Promise.all(clients);
  assert.equal(death.signal, 'SIGKILL');
  for (const s of SIGNALS) {
    assert.ok(ackedOf(s) >= MIN_ACKED_PER_SIGNAL, `${s}: only ${ackedOf(s)} acknowledged`);
  }
  // The kill landed during ingest: clients had requests outstanding.
  assert.ok(mine.inFlight.length > 0, 'no request was in flight at the kill');
  ledger.acked.push(...mine.acked);
  ledger.inFlight.push(...mine.inFlight);
  ledger.refused += mine.refused;
  return {
    ingestMs,
    acked: { traces: ackedOf('traces'), metrics: ackedOf('metrics'), logs: ackedOf('logs') },
    refused: mine.refused,
    inFlight: mine.inFlight.length,
  } satisfies Round;
}

const SIGNALS: readonly Signal[] = ['traces', 'metrics', 'logs'];

describe('acknowledged means durable (otel-lab serve, SIGKILL mid-ingest)', () => {
  it('keeps every acknowledged span, metric point and log record across two SIGKILLs', async (t) => {
    const dataDir = path.join(root, 'data');
    const nowMs = Date.now();
    const tpl = Array.from({ length: CLIENTS }, (_, c) => templates(c, nowMs));
    const ledger: Ledger = { acked: [], inFlight: [], refused: 0 };
    const reopenMs: number[] = [];
    let serve = await startServe(dataDir);
    // Round 2 runs on the store recovered from round 1, so a second crash after a
    // recovery must not lose what the first recovery brought back.
    for (let round = 1; round <= 2; round++) {
      const r = await ingestThenKill(serve, round, tpl, ledger);
      t.diagnostic(
        `round ${round}: SIGKILL after ${r.ingestMs} ms; acknowledged requests traces ${r.acked.traces} ` +
          `(${r.acked.traces * TRACES_PER_REQUEST * SPANS_PER_TRACE} spans), metrics ${r.acked.metrics} ` +
          `(${r.acked.metrics * SERIES_PER_REQUEST * POINTS_PER_SERIES} points), logs ${r.acked.logs} ` +
          `(${r.acked.logs * LOGS_PER_REQUEST} records); 503s ${r.refused}; in flight at the kill ${r.inFlight}`,
      );
      const reopenStarted = Date.now();
      serve = await startServe(dataDir);
      reopenMs.push(Date.now() - reopenStarted);
      assert.doesNotMatch(serve.output(), /error|failed/i);
    }
    const last = serve;
    try {
      const acked = (s: Signal): string[] =>
        ledger.acked.filter((a) => a.signal === s).flatMap((a) => a.keys);
      const unacked = (s: Signal): string[] =>
        ledger.inFlight.filter((a) => a.signal === s).flatMap((a) => a.keys);

      const traceIds = acked('traces');
      const spans = await spansByTrace(last.api, [...traceIds, ...unacked('traces')]);
      const missingTraces = traceIds.filter((id) => spans.get(id) !== SPANS_PER_TRACE);
      assert.deepEqual(missingTraces.slice(0, 5), [], `${missingTraces.length} acked traces lost`);

      const logIds = acked('logs');
      const logs = await logsByTrace(last.api, [...logIds, ...unacked('logs')]);
      const missingLogs = logIds.filter((id) => logs.get(id) !== LOGS_PER_REQUEST);
      assert.deepEqual(
        missingLogs.slice(0, 5),
        [],
        `${missingLogs.length} acked log requests lost`,
      );

      const samples = await samplesByReq(last.api);
      const reqs = acked('metrics');
      const perReq = SERIES_PER_REQUEST * POINTS_PER_SERIES;
      const missingPoints = reqs.filter((r) => samples.get(r) !== perReq);
      assert.deepEqual(
        missingPoints.slice(0, 5).map((r) => [r, samples.get(r)]),
        [],
        `${missingPoints.length} acked metric requests lost`,
      );
      // Nothing appears that was never sent, and nothing is half there.
      const sentReqs = new Set([...reqs, ...unacked('metrics')]);
      for (const [req, n] of samples) {
        assert.ok(sentReqs.has(req), `unknown series req=${req}`);
        assert.equal(n, perReq, `req=${req} is half stored`);
      }
      for (const [id, n] of spans) assert.equal(n, SPANS_PER_TRACE, `trace ${id} is half stored`);
      for (const [id, n] of logs) assert.equal(n, LOGS_PER_REQUEST, `logs of ${id} half stored`);

      // The recovered store takes writes.
      const id = randomBytes(16);
      const res = await fetch(`${last.otlp}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-protobuf' },
        body: patch(tpl[0]!.traces, [[traceMarker(0), id]]),
      });
      assert.equal(res.status, 200);
      assert.equal(
        (await spansByTrace(last.api, [id.toString('hex')])).get(id.toString('hex')),
        50,
      );

      const inFlightFound =
        unacked('traces').filter((x) => spans.has(x)).length / TRACES_PER_REQUEST +
        unacked('logs').filter((x) => logs.has(x)).length +
        unacked('metrics').filter((r) => samples.has(r)).length;
      t.diagnostic(
        `verified ${traceIds.length * SPANS_PER_TRACE} spans, ${reqs.length * perReq} points, ` +
          `${logIds.length * LOGS_PER_REQUEST} log records; of ${ledger.inFlight.length} requests ` +
          `in flight at the kills ${inFlightFound} were stored whole, the others not at all; ` +
          `reopen to ready ${reopenMs.join(' ms, ')} ms`,
      );
    } finally {
      last.proc.kill('SIGTERM');
      const end = await last.exited;
      assert.equal(end.code, 0, last.output());
    }
  });
});
