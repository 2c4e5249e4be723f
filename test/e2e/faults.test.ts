// Faults through the real `otel-lab serve` process: a damaged or unusable
// data directory (exit non-zero at once, say which path and what to do, never
// touch the user's file, never loop), a store already in use, a full disk
// (ingest refused as retryable, stored data still readable) and bad OTLP
// input (right status; nothing stored before is lost).

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { Client, credentials, Metadata, status as grpcStatus } from '@grpc/grpc-js';
import type { ServiceError } from '@grpc/grpc-js';
import { encodeRequest } from '../../src/collector/otlp/testing/otlp-proto';
import { decodeStatus } from '../../src/collector/testing/otlp-bodies';
import { EXIT_CONFIG as EX_CONFIG } from '../../src/cli/io';

const CLI = path.join(__dirname, '..', '..', 'src', 'cli', 'main.js');
const DB_FILE = 'otel-lab.duckdb';
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'otel-lab-faults-e2e-'));
const children: ChildProcess[] = [];
/** Processes holding a test's mount namespace open (see the full-disk test). */
const keepers: number[] = [];
function killKeepers(): void {
  for (const pid of keepers.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}
after(() => {
  killKeepers();
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  fs.rmSync(root, { recursive: true, force: true });
});

/** Longer than any honest start-up failure; a serve still running then is looping or hung. */
const EXIT_WITHIN_MS = 30_000;

function serveArgs(dataDir: string): string[] {
  return [
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
  ];
}

function serveEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, OTEL_LAB_HOME: path.join(root, 'home') };
  delete env['OTEL_LAB_DATA_DIR'];
  return env;
}

interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

interface Serve {
  readonly proc: ChildProcess;
  readonly exited: Promise<Exit>;
  output(): string;
}

/** Spawns serve (optionally as `wrap ... node main.js serve ...`) and collects its output. */
function spawnServe(dataDir: string, wrap: readonly string[] = []): Serve {
  const argv = [...wrap, process.execPath, ...serveArgs(dataDir)];
  const proc = spawn(argv[0]!, argv.slice(1), {
    env: serveEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(proc);
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<Exit>((r) => proc.once('exit', (code, signal) => r({ code, signal })));
  return { proc, exited, output: () => out };
}

/** Runs a serve that is expected to fail at start-up; fails the test if it is still up. */
async function serveExpectingFailure(
  dataDir: string,
  wrap: readonly string[] = [],
): Promise<Exit & { output: string }> {
  const s = spawnServe(dataDir, wrap);
  const guard = setTimeout(() => s.proc.kill('SIGKILL'), EXIT_WITHIN_MS);
  const ready = setInterval(() => {
    if (s.output().includes('serve: ready')) s.proc.kill('SIGKILL');
  }, 50);
  const exit = await s.exited;
  clearTimeout(guard);
  clearInterval(ready);
  assert.doesNotMatch(s.output(), /serve: ready/);
  assert.equal(exit.signal, null, `serve did not exit by itself:\n${s.output()}`);
  return { ...exit, output: s.output() };
}

/**
 * Starts serve and reports whether it came up or how it exited. When it comes
 * up, `whenUp` (given the API's base URL) runs first; then serve is stopped.
 */
async function serveOutcome(
  dataDir: string,
  whenUp: (api: string) => Promise<string[]> = async () => [],
): Promise<
  | { ready: true; problems: string[]; exit: Exit; output: string }
  | { ready: false; code: number | null; output: string }
> {
  const s = spawnServe(dataDir);
  const guard = setTimeout(() => s.proc.kill('SIGKILL'), EXIT_WITHIN_MS);
  let gone = false;
  void s.exited.then(() => (gone = true));
  while (!gone && !/data\s+\S+\n/.test(s.output())) await new Promise((r) => setTimeout(r, 50));
  if (!gone) {
    const api = /lab UI\s+(http:\/\/\S+?)\/\n/.exec(s.output())?.[1] ?? '';
    const problems = await whenUp(api);
    if (s.proc.exitCode !== null || s.proc.signalCode !== null) problems.push('died while serving');
    s.proc.kill('SIGTERM');
    const exit = await s.exited;
    clearTimeout(guard);
    return { ready: true, problems, exit, output: s.output() };
  }
  const exit = await s.exited;
  clearTimeout(guard);
  assert.equal(exit.signal, null, `serve neither started nor exited:\n${s.output()}`);
  return { ready: false, code: exit.code, output: s.output() };
}

/** Reads that touch every table; each must answer (200, or 500 with a message), none may kill serve. */
async function readEverything(api: string, traceId: string): Promise<string[]> {
  const problems: string[] = [];
  const now = Date.now();
  for (const url of [
    `/jaeger/api/traces/${traceId}`,
    `/api/trace-summaries?limit=50`,
    `/api/logs?limit=50`,
    `/prometheus/api/v1/query?query=${encodeURIComponent('count({__name__=~".+"})')}`,
    `/api/dependencies?start=${(now - 3_600_000) * 1000}&end=${now * 1000}`,
    `/metrics`,
  ]) {
    try {
      const res = await fetch(`${api}${url}`);
      const text = await res.text();
      if (res.status !== 200 && !(res.status === 500 && text.length > 0)) {
        problems.push(`${url}: ${res.status} ${text.slice(0, 200)}`);
      }
    } catch (e) {
      problems.push(`${url}: ${String(e)}`);
    }
  }
  return problems;
}

async function inParallel<T, R>(
  items: readonly T[],
  width: number,
  task: (x: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) out[i] = await task(items[i] as T);
  };
  await Promise.all(Array.from({ length: width }, worker));
  return out;
}

interface Running extends Serve {
  readonly api: string;
  readonly otlp: string;
  /** host:port of OTLP/gRPC. */
  readonly grpc: string;
}

async function startServe(dataDir: string, wrap: readonly string[] = []): Promise<Running> {
  const s = spawnServe(dataDir, wrap);
  let gone = false;
  void s.exited.then(() => (gone = true));
  for (let i = 0; i < 1200 && !gone && !/data\s+\S+\n/.test(s.output()); i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  const api = /lab UI\s+(http:\/\/\S+?)\/\n/.exec(s.output())?.[1];
  const otlp = /OTLP\/HTTP\s+(http:\/\/\S+?)\/v1\//.exec(s.output())?.[1];
  const grpc = /OTLP\/gRPC\s+(\S+)\n/.exec(s.output())?.[1];
  if (api === undefined || otlp === undefined || grpc === undefined) {
    s.proc.kill('SIGKILL');
    throw new Error(`otel-lab serve did not become ready:\n${s.output()}`);
  }
  return { ...s, api, otlp, grpc };
}

async function stop(s: Serve): Promise<Exit> {
  s.proc.kill('SIGTERM');
  return s.exited;
}

let traceCounter = 0;
/** A trace request with a fresh trace id and `spans` spans (attribute `pad` makes them big). */
function traceRequest(spans: number, pad = 0): { id: string; body: Buffer } {
  const id = (0xfa017000 + ++traceCounter).toString(16).padStart(32, '0');
  const now = BigInt(Date.now()) * 1_000_000n;
  const filler = 'x'.repeat(pad);
  const body = encodeRequest('traces', {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'faults' } }] },
        scopeSpans: [
          {
            spans: Array.from({ length: spans }, (_, i) => ({
              traceId: Buffer.from(id, 'hex'),
              spanId: Buffer.from((i + 1).toString(16).padStart(16, '0'), 'hex'),
              name: `op-${i % 3}`,
              startTimeUnixNano: (now - 1_000_000_000n + BigInt(i)).toString(),
              endTimeUnixNano: now.toString(),
              attributes: pad > 0 ? [{ key: 'pad', value: { stringValue: `${i}${filler}` } }] : [],
            })),
          },
        ],
      },
    ],
  });
  return { id, body: Buffer.from(body) };
}

async function post(
  url: string,
  body: Buffer,
  headers: Record<string, string> = { 'content-type': 'application/x-protobuf' },
): Promise<{ status: number; body: Buffer; headers: Headers }> {
  const res = await fetch(url, { method: 'POST', headers, body });
  return { status: res.status, body: Buffer.from(await res.arrayBuffer()), headers: res.headers };
}

const GRPC_TRACES = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

/** One OTLP/gRPC trace export; resolves with the gRPC status code and details (0 = OK). */
async function grpcExport(
  address: string,
  body: Buffer,
): Promise<{ code: number; details: string }> {
  const client = new Client(address, credentials.createInsecure());
  try {
    return await new Promise((resolve) => {
      client.makeUnaryRequest(
        GRPC_TRACES,
        (b: Buffer) => b,
        (b: Buffer) => b,
        body,
        new Metadata(),
        {},
        (err: ServiceError | null) =>
          resolve(
            err === null ? { code: 0, details: '' } : { code: err.code, details: err.details },
          ),
      );
    });
  } finally {
    client.close();
  }
}

async function spansOf(api: string, id: string): Promise<number> {
  const res = await fetch(`${api}/jaeger/api/traces/${id}`);
  const text = await res.text();
  if (res.status === 404) return 0;
  assert.equal(res.status, 200, text.slice(0, 300));
  return (JSON.parse(text) as { data: { spans: unknown[] }[] }).data[0]?.spans.length ?? 0;
}

/** A store with one trace in it, closed cleanly. */
/** A store with one trace in it (its id returned), closed cleanly. */
async function storeWithData(dataDir: string): Promise<string> {
  const s = await startServe(dataDir);
  const t = traceRequest(20);
  assert.equal((await post(`${s.otlp}/v1/traces`, t.body)).status, 200);
  assert.equal((await stop(s)).code, 0, s.output());
  return t.id;
}

describe('otel-lab serve on a damaged or unusable data directory', () => {
  it('refuses a file that is not DuckDB: exits 78 (EX_CONFIG) naming it and what to do, leaves it as it was, same on retry', async () => {
    const dataDir = path.join(root, 'garbage');
    fs.mkdirSync(dataDir);
    const file = path.join(dataDir, DB_FILE);
    const garbage = Buffer.alloc(256 * 1024, 'not a database ');
    fs.writeFileSync(file, garbage);
    for (let attempt = 0; attempt < 2; attempt++) {
      const r = await serveExpectingFailure(dataDir);
      assert.equal(r.code, EX_CONFIG, r.output);
      assert.ok(r.output.includes(file), `names the file: ${r.output}`);
      assert.match(r.output, /move it aside/);
      assert.doesNotMatch(r.output, /ready/);
      assert.deepEqual(fs.readFileSync(file), garbage);
    }
    assert.deepEqual(fs.readdirSync(dataDir).sort(), [DB_FILE]);
  });

  it('refuses a DuckDB file with any one damaged block read at open, naming it, leaving it as it was; damage read later gives error answers, not a dead process', async (t) => {
    const intact = path.join(root, 'intact');
    const traceId = await storeWithData(intact);
    const size = fs.statSync(path.join(intact, DB_FILE)).size;
    // DuckDB's three 4 KiB headers stay intact; 256 KiB blocks follow them. Which
    // block holds the schema or a table read at open depends on DuckDB, so each
    // block is damaged in its own copy: where serve notices at start-up, it must
    // say so properly; where it does not, it starts (the damage shows when read).
    const HEADERS = 3 * 4096;
    const BLOCK = 256 * 1024;
    // The first six blocks hold the schema and the tables read at open in a store this small.
    const blocks = Math.min(6, Math.ceil((size - HEADERS) / BLOCK));
    const refused: number[] = [];
    const outcomes = await inParallel(
      Array.from({ length: blocks }, (_, b) => b),
      3,
      async (b) => {
        const dataDir = path.join(root, `damaged-${b}`);
        fs.mkdirSync(dataDir);
        const file = path.join(dataDir, DB_FILE);
        const bytes = fs.readFileSync(path.join(intact, DB_FILE));
        bytes.fill(0x5a, HEADERS + b * BLOCK, Math.min(size, HEADERS + (b + 1) * BLOCK));
        fs.writeFileSync(file, bytes);
        const r = await serveOutcome(dataDir, (api) => readEverything(api, traceId));
        if (r.ready) {
          // Damage not read at open shows when read: an error answer, never a dead process.
          const bad = [...r.problems];
          if (r.exit.signal !== null) bad.push(`killed by ${r.exit.signal} on SIGTERM`);
          return {
            b,
            outcome: `opens, exit ${String(r.exit.code)} on SIGTERM`,
            problem: bad.length > 0 ? `block ${b}: ${bad.join('; ')}: ${r.output}` : undefined,
          };
        }
        refused.push(b);
        const wrong = [
          r.code === EX_CONFIG ? '' : `exit ${String(r.code)}`,
          r.output.includes(file) ? '' : 'does not name the file',
          /move it aside/.test(r.output) ? '' : 'no advice',
          /in use by another process/.test(r.output) ? 'says "in use"' : '',
          fs.readFileSync(file).equals(bytes) ? '' : 'FILE CHANGED',
        ].filter((x) => x !== '');
        return {
          b,
          outcome: 'refused',
          problem:
            wrong.length > 0 ? `block ${b}: ${wrong.join(', ')}: ${r.output.trim()}` : undefined,
        };
      },
    );
    t.diagnostic(outcomes.map((o) => `block ${o.b} ${o.outcome}`).join(', '));
    assert.deepEqual(
      outcomes.flatMap((o) => (o.problem === undefined ? [] : [o.problem])),
      [],
    );
    assert.ok(refused.includes(0), 'damage in the first block is noticed at open');
  });

  it('refuses a damaged write-ahead log, naming it too, and keeps both files as they were', async () => {
    const dataDir = path.join(root, 'bad-wal');
    const s = await startServe(dataDir);
    for (let i = 0; i < 4; i++) {
      assert.equal((await post(`${s.otlp}/v1/traces`, traceRequest(200, 50).body)).status, 200);
    }
    // Killed before any checkpoint: the acknowledged spans live in the WAL only.
    s.proc.kill('SIGKILL');
    await s.exited;
    const file = path.join(dataDir, DB_FILE);
    const wal = `${file}.wal`;
    const walSize = fs.statSync(wal).size;
    assert.ok(walSize > 64 * 1024, `a WAL with the spans in it (${walSize} bytes)`);
    const fd = fs.openSync(wal, 'r+');
    fs.writeSync(fd, Buffer.alloc(1024, 0x5a), 0, 1024, Math.floor(walSize / 4));
    fs.closeSync(fd);
    const before = { db: fs.readFileSync(file), wal: fs.readFileSync(wal) };

    const r = await serveExpectingFailure(dataDir);
    assert.equal(r.code, EX_CONFIG, r.output);
    assert.ok(
      r.output.includes(wal),
      `names the WAL, where the damage and the data are: ${r.output}`,
    );
    assert.deepEqual(fs.readFileSync(file), before.db);
    assert.deepEqual(fs.readFileSync(wal), before.wal);

    // Moving only the database file aside must not make the next start discard the WAL.
    fs.renameSync(file, `${file}.broken`);
    const orphan = await serveOutcome(dataDir);
    assert.ok(fs.existsSync(wal), 'the WAL (the only copy of the spans) is still there');
    assert.deepEqual(fs.readFileSync(wal), before.wal);
    assert.equal(orphan.ready, false, 'refuses to start a new store beside an orphan WAL');
  });

  it('refuses a data directory that is a file, lies under one, or is read-only, naming it and --data-dir', async () => {
    const plain = path.join(root, 'plain-file');
    fs.writeFileSync(plain, 'my notes\n');
    const cases: { dataDir: string; wrap: string[] }[] = [
      { dataDir: plain, wrap: [] },
      { dataDir: path.join(plain, 'data'), wrap: [] },
    ];
    // Root ignores permission bits, so a chmod 000 directory only stops other users...
    if (process.getuid?.() !== 0) {
      const locked = path.join(root, 'locked');
      fs.mkdirSync(locked, { mode: 0o000 });
      cases.push({ dataDir: path.join(locked, 'data'), wrap: [] });
    }
    // ...while a read-only mount stops root too (bound read-only in serve's own mount namespace).
    const ns = tmpfsNamespaces();
    const readOnly = path.join(root, 'read-only');
    if (ns !== undefined) {
      await storeWithData(readOnly);
      cases.push({
        dataDir: readOnly,
        wrap: [
          'unshare',
          ...ns.unshare,
          'sh',
          '-c',
          'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"',
          readOnly,
        ],
      });
    }
    const storeBefore =
      ns === undefined ? undefined : fs.readFileSync(path.join(readOnly, DB_FILE));
    for (const { dataDir, wrap } of cases) {
      const r = await serveExpectingFailure(dataDir, wrap);
      assert.equal(r.code, EX_CONFIG, r.output);
      assert.ok(r.output.includes(dataDir), `names ${dataDir}: ${r.output}`);
      assert.match(r.output, /--data-dir/);
    }
    assert.equal(fs.readFileSync(plain, 'utf8'), 'my notes\n');
    if (storeBefore !== undefined) {
      assert.deepEqual(fs.readFileSync(path.join(readOnly, DB_FILE)), storeBefore);
    }
  });

  it('refuses a store another serve has open, and the first one keeps serving', async () => {
    const dataDir = path.join(root, 'shared');
    const first = await startServe(dataDir);
    try {
      const t = traceRequest(5);
      assert.equal((await post(`${first.otlp}/v1/traces`, t.body)).status, 200);
      const r = await serveExpectingFailure(dataDir);
      assert.equal(r.code, EX_CONFIG, r.output);
      assert.match(r.output, /in use by another process/);
      assert.ok(r.output.includes(path.join(dataDir, DB_FILE)), r.output);
      assert.equal(await spansOf(first.api, t.id), 5);
    } finally {
      assert.equal((await stop(first)).code, 0, first.output());
    }
  });
});

interface Namespaces {
  /** `unshare` flags for a new mount namespace. */
  readonly unshare: readonly string[];
  /** `nsenter` flags to join it (after `-t <pid>`). */
  readonly nsenter: readonly string[];
}

/**
 * How this machine lets a private mount namespace mount a tmpfs (to fake a
 * full disk): as anyone through a user namespace, or as root without one.
 */
function tmpfsNamespaces(): Namespaces | undefined {
  const dir = fs.mkdtempSync(path.join(root, 'probe-'));
  const ways: Namespaces[] = [
    { unshare: ['-Urm'], nsenter: ['-U', '-m', '--preserve-credentials'] },
    { unshare: ['-m'], nsenter: ['-m'] },
  ];
  return ways.find(
    (w) =>
      spawnSync('unshare', [...w.unshare, 'sh', '-c', 'mount -t tmpfs -o size=1m tmpfs "$0"', dir])
        .status === 0,
  );
}

describe('otel-lab serve on a full disk', () => {
  const ns = tmpfsNamespaces();
  it(
    'refuses ingest as retryable (503 + Retry-After, UNAVAILABLE), keeps serving what it stored, restarts after a crash on the full disk with every acknowledged span, resumes when space is back',
    // The one environment-dependent test here: without mount namespaces there is no honest full disk.
    {
      skip:
        ns === undefined ? 'cannot mount a tmpfs in a mount namespace (unshare -Urm or -m)' : false,
    },
    async (t) => {
      assert.ok(ns !== undefined);
      const dataDir = path.join(root, 'full');
      fs.mkdirSync(dataDir);
      // A 6 MiB tmpfs over the data directory, in a mount namespace of serve's own
      // (no root needed outside); a `sleep` keeps the namespace for the restart.
      const s = await startServe(dataDir, [
        'unshare',
        ...ns.unshare,
        'sh',
        '-c',
        'mount -t tmpfs -o size=6m tmpfs "$0" && { sleep 60 & echo "keeper $!" >&2; exec "$@"; }',
        dataDir,
      ]);
      const keeper = Number(/keeper (\d+)/.exec(s.output())?.[1]);
      if (keeper > 0) keepers.push(keeper);
      let second: Running | undefined;
      let third: Running | undefined;
      try {
        assert.ok(keeper > 0, s.output());
        const first = traceRequest(20);
        assert.equal((await post(`${s.otlp}/v1/traces`, first.body)).status, 200);
        assert.equal(await spansOf(s.api, first.id), 20);
        // The test sees serve's tmpfs through /proc/<pid>/root; a filler file there
        // fills the disk sooner and, deleted, gives the space back.
        const filler = path.join(`/proc/${s.proc.pid}/root`, dataDir, 'filler');
        fs.writeFileSync(filler, Buffer.alloc(2 * 1024 * 1024, 1));
        let refused: { status: number; body: Buffer; headers: Headers } | undefined;
        const acked: string[] = [];
        for (let i = 0; i < 200 && refused === undefined; i++) {
          const req = traceRequest(1000, 300);
          const r = await post(`${s.otlp}/v1/traces`, req.body);
          if (r.status === 200) acked.push(req.id);
          else refused = r;
        }
        assert.ok(refused !== undefined, 'a 6 MiB disk never filled up');
        const message = decodeStatus(refused.body).message;
        t.diagnostic(
          `full after ${acked.length} acknowledged requests: ${refused.status} ${message}`,
        );
        assert.equal(refused.status, 503, message);
        assert.ok(refused.headers.get('retry-after') !== null);
        assert.match(message, /No space left on device/);
        assert.equal(await spansOf(s.api, first.id), 20, 'stored data stays readable');
        for (const id of acked) assert.equal(await spansOf(s.api, id), 1000);
        const again = await post(`${s.otlp}/v1/traces`, traceRequest(1000, 300).body);
        assert.equal(again.status, 503, 'still full, still retryable');
        const overGrpc = await grpcExport(s.grpc, traceRequest(1000, 300).body);
        assert.equal(overGrpc.code, grpcStatus.UNAVAILABLE, overGrpc.details);
        assert.match(overGrpc.details, /No space left on device/);

        // A crash while the disk is full: the restart (on the still-full disk) opens,
        // shows every acknowledged span and still refuses ingest as retryable.
        s.proc.kill('SIGKILL');
        await s.exited;
        const join = ['nsenter', '-t', String(keeper), ...ns.nsenter];
        second = await startServe(dataDir, join);
        assert.equal(await spansOf(second.api, first.id), 20);
        for (const id of acked) assert.equal(await spansOf(second.api, id), 1000);
        const stillFull = await post(`${second.otlp}/v1/traces`, traceRequest(1000, 300).body);
        assert.equal(stillFull.status, 503, decodeStatus(stillFull.body).message);

        // Space back: the retried request is taken, and everything is still there after a restart.
        fs.rmSync(path.join(`/proc/${second.proc.pid}/root`, dataDir, 'filler'));
        const retried = traceRequest(1000, 300);
        const r = await post(`${second.otlp}/v1/traces`, retried.body);
        assert.equal(r.status, 200, decodeStatus(r.body).message);
        acked.push(retried.id);
        assert.equal(await spansOf(second.api, retried.id), 1000);
        assert.equal((await stop(second)).code, 0, second.output());
        third = await startServe(dataDir, join);
        assert.equal(await spansOf(third.api, first.id), 20);
        for (const id of acked) assert.equal(await spansOf(third.api, id), 1000);
        assert.equal((await stop(third)).code, 0, third.output());
      } finally {
        if (s.proc.exitCode === null && s.proc.signalCode === null) await stop(s);
        for (const x of [second, third]) {
          if (x !== undefined && x.proc.exitCode === null) x.proc.kill('SIGKILL');
        }
        killKeepers();
      }
    },
  );
});

describe('otel-lab serve with bad OTLP input', () => {
  it('answers each with its status and loses nothing stored before', async () => {
    const s = await startServe(path.join(root, 'bad-input'));
    try {
      const before = traceRequest(30);
      assert.equal((await post(`${s.otlp}/v1/traces`, before.body)).status, 200);

      const truncated = await post(
        `${s.otlp}/v1/traces`,
        before.body.subarray(0, before.body.length - 7),
      );
      assert.equal(truncated.status, 400);
      assert.match(decodeStatus(truncated.body).message, /invalid OTLP traces request: .+/);

      const wrongType = await post(`${s.otlp}/v1/traces`, before.body, {
        'content-type': 'text/plain',
      });
      assert.equal(wrongType.status, 415);
      assert.match(
        (JSON.parse(wrongType.body.toString()) as { message: string }).message,
        /unsupported content type "text\/plain"/,
      );

      const notGzip = await post(`${s.otlp}/v1/logs`, before.body, {
        'content-type': 'application/x-protobuf',
        'content-encoding': 'gzip',
      });
      assert.equal(notGzip.status, 400, notGzip.body.toString());

      // 64 MiB of zeros in 64 KiB: four times the 16 MiB body limit once inflated.
      const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 });
      const bombed = await post(`${s.otlp}/v1/metrics`, bomb, {
        'content-type': 'application/x-protobuf',
        'content-encoding': 'gzip',
      });
      assert.equal(bombed.status, 413);

      const badJson = await post(`${s.otlp}/v1/traces`, Buffer.from('{"resourceSpans":[{'), {
        'content-type': 'application/json',
      });
      assert.equal(badJson.status, 400);
      assert.match(badJson.body.toString(), /invalid OTLP traces request/);

      const grpcTruncated = await grpcExport(
        s.grpc,
        before.body.subarray(0, before.body.length - 7),
      );
      assert.equal(grpcTruncated.code, grpcStatus.INVALID_ARGUMENT, grpcTruncated.details);
      assert.match(grpcTruncated.details, /invalid OTLP traces request: .+/);

      assert.equal(await spansOf(s.api, before.id), 30);
      const metrics = await (await fetch(`${s.api}/metrics`)).text();
      const invalid = [...metrics.matchAll(/^otel_lab_ingest_invalid_requests_total\S* (\d+)$/gm)]
        .map((m) => Number(m[1]))
        .reduce((a, b) => a + b, 0);
      assert.equal(
        invalid,
        5,
        'truncated (HTTP, gRPC), not gzip, bomb, bad JSON; 415 is refused earlier',
      );

      const afterwards = traceRequest(3);
      assert.equal((await post(`${s.otlp}/v1/traces`, afterwards.body)).status, 200);
      assert.equal(await spansOf(s.api, afterwards.id), 3);
    } finally {
      assert.equal((await stop(s)).code, 0, s.output());
    }
  });
});
