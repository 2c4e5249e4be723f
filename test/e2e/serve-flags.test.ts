// `otel-lab serve` as a user starts it: loopback unless --host says
// otherwise, the data directory from --data-dir, $OTEL_LAB_DATA_DIR or
// $OTEL_LAB_HOME, and ports/retention flags checked before anything opens.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { EXIT_USAGE } from '../../src/cli/io';

const CLI = path.join(__dirname, '..', '..', 'src', 'cli', 'main.js');
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'otel-lab-serve-flags-e2e-'));
const children: ChildProcess[] = [];
after(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  fs.rmSync(root, { recursive: true, force: true });
});

const PORTS_0 = ['--http-port', '0', '--otlp-http-port', '0', '--otlp-grpc-port', '0'];
const FLAGS_FILE = ['--flags-file', path.join(root, 'flags.json')];

interface Running {
  readonly output: string;
  readonly ports: number[];
  readonly dataLine: string;
  stop(): Promise<number | null>;
}

/** Starts serve and waits for its ready text (ports, data directory). */
async function serve(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Running> {
  const child = spawn(process.execPath, [CLI, 'serve', ...PORTS_0, ...FLAGS_FILE, ...args], {
    env: { PATH: process.env['PATH'], HOME: root, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout.on('data', (b: Buffer) => (output += b.toString()));
  child.stderr.on('data', (b: Buffer) => (output += b.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const data = /^ {2}data {10}(.+)$/m;
  const ready = await Promise.race([
    (async () => {
      while (!data.test(output)) await new Promise((r) => setTimeout(r, 20));
      return true;
    })(),
    exited.then(() => false),
  ]);
  assert.ok(ready, `serve exited before it was ready:\n${output}`);
  const ports = [
    /lab UI {8}http:\/\/[^:]+:(\d+)\//,
    /OTLP\/gRPC {5}[^\n]*:(\d+)\n/,
    /OTLP\/HTTP {5}http:\/\/[^:]+:(\d+)\//,
  ].map((re) => Number(re.exec(output)?.[1]));
  return {
    output,
    ports,
    dataLine: data.exec(output)?.[1] ?? '',
    stop: () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Local addresses (hex, as /proc/net/tcp writes them) listening on `port`. */
function listenAddresses(port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const out: string[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!fs.existsSync(file)) continue;
    for (const line of fs.readFileSync(file, 'utf8').split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      // State 0A is LISTEN.
      if (state === '0A' && local?.endsWith(`:${hexPort}`)) out.push(local.split(':')[0] ?? '');
    }
  }
  return out;
}

describe('otel-lab serve flags', () => {
  it('listens on 127.0.0.1 only by default, on every address with --host 0.0.0.0', async () => {
    const local = await serve(['--in-memory']);
    try {
      for (const port of local.ports) {
        assert.ok(port > 0, local.output);
        // 0100007F is 127.0.0.1 in /proc/net/tcp's byte order.
        assert.deepEqual(listenAddresses(port), ['0100007F'], `port ${port}\n${local.output}`);
      }
    } finally {
      assert.equal(await local.stop(), 0, local.output);
    }
    const open = await serve(['--in-memory', '--host', '0.0.0.0']);
    try {
      for (const port of open.ports) assert.deepEqual(listenAddresses(port), ['00000000']);
    } finally {
      assert.equal(await open.stop(), 0, open.output);
    }
  });

  it('takes the data directory from --data-dir, else $OTEL_LAB_DATA_DIR, else $OTEL_LAB_HOME/data', async () => {
    const cases: [string, string[], NodeJS.ProcessEnv][] = [
      [
        path.join(root, 'flag'),
        ['--data-dir', path.join(root, 'flag')],
        { OTEL_LAB_DATA_DIR: path.join(root, 'env') },
      ],
      [path.join(root, 'env'), [], { OTEL_LAB_DATA_DIR: path.join(root, 'env') }],
      [path.join(root, 'home', 'data'), [], { OTEL_LAB_HOME: path.join(root, 'home') }],
    ];
    for (const [dir, args, env] of cases) {
      const s = await serve(args, env);
      try {
        assert.equal(s.dataLine, dir);
      } finally {
        assert.equal(await s.stop(), 0, s.output);
      }
      assert.ok(fs.existsSync(path.join(dir, 'otel-lab.duckdb')), `a store in ${dir}`);
    }
  });

  it('refuses bad ports and retention values with exit 2, naming the value, before opening a store', () => {
    const dataDir = path.join(root, 'never');
    const bad: [string[], RegExp][] = [
      [['--retention-age', '3x'], /'3x' is not a duration/],
      [['--retention-age', '0d'], /more than zero/],
      [['--retention-size', 'lots'], /lots/],
      [['--otlp-http-port', '70000'], /--otlp-http-port 70000: not a port number/],
      [['--otlp-grpc-port=-1'], /--otlp-grpc-port -1: not a port number/],
      [['--http-port', 'x'], /--http-port x: not a port number/],
    ];
    for (const [args, message] of bad) {
      const r = spawnSync(
        process.execPath,
        [CLI, 'serve', ...FLAGS_FILE, '--data-dir', dataDir, ...args],
        { encoding: 'utf8', timeout: 30_000, env: { PATH: process.env['PATH'], HOME: root } },
      );
      assert.equal(r.status, EXIT_USAGE, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
    }
    assert.equal(fs.existsSync(dataDir), false, 'no store was created');
  });
});
