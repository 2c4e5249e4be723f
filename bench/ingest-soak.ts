// Ingest soak with crashes: concurrent OTLP/HTTP clients send spans, metric
// points and log records to a real `otel-lab serve`, which is SIGKILLed under
// them; a new process on the same data directory must show every item whose
// request got a 2xx. test/e2e/durability.test.ts runs two short rounds of
// this harness; run it longer by hand:
//
//   npx tsc -b && node dist/bench/ingest-soak.js --rounds 10 --seconds 20 [--sigterm]
//
// (--sigterm: every second round ends with SIGTERM, which must exit 0.)
// It prints, per round, what was acknowledged, the kill, the time to reopen
// and the files' sizes, and exits 1 if anything acknowledged is missing.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { encodeRequest } from '../src/collector/otlp/testing/otlp-proto';
import { decodeExportResponse } from '../src/collector/testing/otlp-bodies';

/** The shape of every request: big enough that a round writes tens of thousands of items. */
export const SHAPE = {
  clients: 6,
  tracesPerRequest: 4,
  spansPerTrace: 50,
  logsPerRequest: 200,
  seriesPerRequest: 20,
  pointsPerSeries: 10,
} as const;

const spawned = new Set<ChildProcess>();

/** SIGKILLs every serve this module started that is still running. */
export function killAll(): void {
  for (const p of spawned) p.kill('SIGKILL');
}

export interface Serve {
  readonly proc: ChildProcess;
  readonly api: string;
  readonly otlp: string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
}

export async function startServe(cli: string, dataDir: string, home: string): Promise<Serve> {
  const env: NodeJS.ProcessEnv = { ...process.env, OTEL_LAB_HOME: home };
  delete env['OTEL_LAB_DATA_DIR'];
  const proc = spawn(
    process.execPath,
    [
      cli,
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
      path.join(home, 'flags.json'),
    ],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  spawned.add(proc);
  proc.once('exit', () => spawned.delete(proc));
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

export type Signal = 'traces' | 'metrics' | 'logs';

/** Replaces every occurrence of `marker` (same length as `by`) in a copy of `bytes`. */
export function patch(bytes: Buffer, replacements: readonly [Buffer, Buffer][]): Buffer {
  const out = Buffer.from(bytes);
  for (const [marker, by] of replacements) {
    for (let at = out.indexOf(marker); at !== -1; at = out.indexOf(marker, at + by.length)) {
      by.copy(out, at);
    }
  }
  return out;
}

export const traceMarker = (t: number): Buffer =>
  Buffer.from(`feedface${t.toString(16).padStart(2, '0')}feedfacefeedfacefeedfa`, 'hex');
const REQ_MARKER = 'reqmark-000000000';

export interface Templates {
  readonly traces: Buffer;
  readonly metrics: Buffer;
  readonly logs: Buffer;
}

/**
 * One encoded request per signal for a client; each sent request is the
 * template with fresh trace ids (spans, logs) or a fresh `req` label
 * (metrics), so encoding costs nothing during the run.
 */
export function templates(client: number, nowMs: number): Templates {
  const resource = {
    attributes: [{ key: 'service.name', value: { stringValue: `durability-${client}` } }],
  };
  const ns = (ms: number): string => (BigInt(ms) * 1_000_000n).toString();
  const spanId = (t: number, s: number): Buffer => Buffer.from([0x5a, t + 1, s + 1, 0, 0, 0, 0, 1]);
  const spans = [];
  for (let t = 0; t < SHAPE.tracesPerRequest; t++) {
    for (let s = 0; s < SHAPE.spansPerTrace; s++) {
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
  for (let k = 0; k < SHAPE.seriesPerRequest; k++) {
    for (let j = 0; j < SHAPE.pointsPerSeries; j++) {
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
  const logRecords = Array.from({ length: SHAPE.logsPerRequest }, (_, i) => ({
    timeUnixNano: ns(nowMs - 5_000 + i),
    severityNumber: 9,
    body: { stringValue: `durability log ${i}` },
    traceId: traceMarker(0),
    spanId: spanId(0, i % SHAPE.spansPerTrace),
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
export interface Sent {
  readonly signal: Signal;
  readonly keys: readonly string[];
}

export interface Ledger {
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

export async function runClient(
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
      const n = signal === 'traces' ? SHAPE.tracesPerRequest : 1;
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
export async function spansByTrace(
  api: string,
  ids: readonly string[],
): Promise<Map<string, number>> {
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

export async function logsByTrace(
  api: string,
  ids: readonly string[],
): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  const queue = [...ids];
  const worker = async (): Promise<void> => {
    for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
      const body = (await getJson(
        `${api}/api/logs?traceId=${id}&limit=${SHAPE.logsPerRequest * 2}`,
      )) as LabLogs;
      if (body.data.length > 0) found.set(id, body.data.length);
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  return found;
}

export async function samplesByReq(api: string): Promise<Map<string, number>> {
  const q = encodeURIComponent('sum by (req) (count_over_time(durability_probe[1h]))');
  const body = (await getJson(
    `${api}/prometheus/api/v1/query?query=${q}&time=${Date.now() / 1000}`,
  )) as PromVector;
  return new Map(body.data.result.map((r) => [r.metric['req'] ?? '', Number(r.value[1])]));
}

export const SIGNALS: readonly Signal[] = ['traces', 'metrics', 'logs'];

export interface RoundResult {
  readonly ingestMs: number;
  /** Acknowledged requests per signal in this round. */
  readonly acked: Record<Signal, number>;
  readonly refused: number;
  readonly inFlight: number;
}

export interface IngestOptions {
  /** Ingest at least this long... */
  readonly minMs: number;
  /** ...and until every signal has this many acknowledged requests... */
  readonly minAckedPerSignal: number;
  /** ...but never longer than this. */
  readonly maxMs: number;
  /** How the backend is stopped: SIGKILL (a crash, the default) or SIGTERM (must exit 0). */
  readonly signal?: 'SIGKILL' | 'SIGTERM';
}

/** Clients send until `o` is met, then the backend is stopped under them; adds to `ledger`. */
export async function ingestThenKill(
  serve: Serve,
  round: number,
  tpl: readonly Templates[],
  ledger: Ledger,
  o: IngestOptions,
): Promise<RoundResult> {
  const mine: Ledger = { acked: [], inFlight: [], refused: 0 };
  let stop = false;
  const started = Date.now();
  const clients = tpl.map((x, c) => runClient(serve.otlp, round, c, x, mine, () => stop));
  const ackedOf = (s: Signal): number => mine.acked.filter((a) => a.signal === s).length;
  while (
    Date.now() - started < o.maxMs &&
    (Date.now() - started < o.minMs || SIGNALS.some((s) => ackedOf(s) < o.minAckedPerSignal))
  ) {
    await new Promise((r) => setTimeout(r, 50));
  }
  const ingestMs = Date.now() - started;
  const signal = o.signal ?? 'SIGKILL';
  serve.proc.kill(signal);
  const death = await serve.exited;
  stop = true;
  await Promise.all(clients);
  if (signal === 'SIGKILL') assert.equal(death.signal, 'SIGKILL', serve.output());
  else assert.deepEqual(death, { code: 0, signal: null }, serve.output());
  ledger.acked.push(...mine.acked);
  ledger.inFlight.push(...mine.inFlight);
  ledger.refused += mine.refused;
  return {
    ingestMs,
    acked: { traces: ackedOf('traces'), metrics: ackedOf('metrics'), logs: ackedOf('logs') },
    refused: mine.refused,
    inFlight: mine.inFlight.length,
  };
}

export interface Verification {
  /** Acknowledged keys (trace ids; `req` labels for metrics) not found whole. */
  readonly missing: Record<Signal, string[]>;
  /** Anything stored in part, or a series nobody sent. */
  readonly broken: string[];
  /** Items verified present. */
  readonly items: Record<Signal, number>;
  /** Requests in flight at a kill that were stored (whole); the others were not stored at all. */
  readonly inFlightStored: number;
}

/** Reads every acknowledged and in-flight item back through the Jaeger, lab and Prometheus APIs. */
export async function verify(api: string, ledger: Ledger): Promise<Verification> {
  const keys = (from: readonly Sent[], s: Signal): string[] =>
    from.filter((a) => a.signal === s).flatMap((a) => a.keys);
  const acked = (s: Signal): string[] => keys(ledger.acked, s);
  const unacked = (s: Signal): string[] => keys(ledger.inFlight, s);
  const perReq = SHAPE.seriesPerRequest * SHAPE.pointsPerSeries;

  const spans = await spansByTrace(api, [...acked('traces'), ...unacked('traces')]);
  const logs = await logsByTrace(api, [...acked('logs'), ...unacked('logs')]);
  const samples = await samplesByReq(api);
  const broken: string[] = [];
  const sentReqs = new Set([...acked('metrics'), ...unacked('metrics')]);
  for (const [req, n] of samples) {
    if (!sentReqs.has(req)) broken.push(`unknown series req=${req}`);
    else if (n !== perReq) broken.push(`req=${req}: ${n} of ${perReq} points`);
  }
  for (const [id, n] of spans) {
    if (n !== SHAPE.spansPerTrace) broken.push(`trace ${id}: ${n} of ${SHAPE.spansPerTrace} spans`);
  }
  for (const [id, n] of logs) {
    if (n !== SHAPE.logsPerRequest) broken.push(`logs of ${id}: ${n} of ${SHAPE.logsPerRequest}`);
  }
  const missing = {
    traces: acked('traces').filter((id) => spans.get(id) !== SHAPE.spansPerTrace),
    logs: acked('logs').filter((id) => logs.get(id) !== SHAPE.logsPerRequest),
    metrics: acked('metrics').filter((r) => samples.get(r) !== perReq),
  };
  return {
    missing,
    broken,
    items: {
      traces: (acked('traces').length - missing.traces.length) * SHAPE.spansPerTrace,
      logs: (acked('logs').length - missing.logs.length) * SHAPE.logsPerRequest,
      metrics: (acked('metrics').length - missing.metrics.length) * perReq,
    },
    inFlightStored:
      unacked('traces').filter((x) => spans.has(x)).length / SHAPE.tracesPerRequest +
      unacked('logs').filter((x) => logs.has(x)).length +
      unacked('metrics').filter((r) => samples.has(r)).length,
  };
}

function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '5' },
      seconds: { type: 'string', default: '10' },
      'data-dir': { type: 'string' },
      sigterm: { type: 'boolean', default: false },
    },
  });
  const rounds = Number(values.rounds);
  const seconds = Number(values.seconds);
  const cli = path.join(__dirname, '..', 'src', 'cli', 'main.js');
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'otel-lab-soak-'));
  const dataDir = values['data-dir'] ?? path.join(home, 'data');
  const db = path.join(dataDir, 'otel-lab.duckdb');
  const tpl = Array.from({ length: SHAPE.clients }, (_, c) => templates(c, Date.now()));
  const ledger: Ledger = { acked: [], inFlight: [], refused: 0 };
  let failed = false;
  try {
    let serve = await startServe(cli, dataDir, home);
    for (let round = 1; round <= rounds; round++) {
      // A random share of the round: the kill lands anywhere in the commit and checkpoint cycle.
      const ms = Math.floor(seconds * 1000 * (0.5 + Math.random() / 2));
      const r = await ingestThenKill(serve, round, tpl, ledger, {
        minMs: ms,
        minAckedPerSignal: 0,
        maxMs: ms,
        signal: values.sigterm && round % 2 === 0 ? 'SIGTERM' : 'SIGKILL',
      });
      const walBytes = fileSize(`${db}.wal`);
      const dbBytes = fileSize(db);
      const t0 = Date.now();
      serve = await startServe(cli, dataDir, home);
      const reopenMs = Date.now() - t0;
      const v = await verify(serve.api, ledger);
      const lost = SIGNALS.map((s) => v.missing[s].length).reduce((a, b) => a + b, 0);
      const items = SIGNALS.map((s) => r.acked[s]).join('/');
      console.log(
        `round ${round}: ${r.ingestMs} ms, acked requests (traces/metrics/logs) ${items}, ` +
          `503s ${r.refused}, in flight ${r.inFlight}; at the kill db ${dbBytes} B, wal ${walBytes} B; ` +
          `reopen ${reopenMs} ms; verified ${v.items.traces} spans, ${v.items.metrics} points, ` +
          `${v.items.logs} logs; lost ${lost}; broken ${v.broken.length}; in-flight stored ${v.inFlightStored}`,
      );
      if (lost > 0 || v.broken.length > 0) {
        failed = true;
        console.log(JSON.stringify({ missing: v.missing, broken: v.broken.slice(0, 20) }));
        break;
      }
    }
    serve.proc.kill('SIGTERM');
    await serve.exited;
  } finally {
    killAll();
    if (values['data-dir'] === undefined) fs.rmSync(home, { recursive: true, force: true });
  }
  return failed ? 1 : 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(e);
      killAll();
      process.exit(1);
    },
  );
}
