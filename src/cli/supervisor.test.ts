import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { withInstanceId } from '../shop/telemetry/resource-env';
import { descendants, isAlive } from './proc';
import { Supervisor, type ChildSpec } from './supervisor';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'otel-lab-sup-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

// A fake service: listens on PORT and keeps a grandchild alive, as a service
// with a worker would; SIGTERM handling is configurable.
const serviceJs = `
const { spawn } = require('node:child_process');
const net = require('node:net');
if (process.env.SAY_RESOURCE) console.log('resource ' + process.env.OTEL_RESOURCE_ATTRIBUTES);
const grandchild = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
if (process.env.CRASH_ONCE && !require('node:fs').existsSync(process.env.CRASH_ONCE)) {
  // Dies leaving its grandchild behind; the file says which pid that is.
  require('node:fs').writeFileSync(process.env.CRASH_ONCE, String(grandchild.pid));
  process.exit(3);
}
if (process.env.IGNORE_TERM) process.on('SIGTERM', () => console.log('ignoring SIGTERM'));
if (process.env.DEP_PORT) {
  const c = net.connect(Number(process.env.DEP_PORT), '127.0.0.1');
  c.on('connect', () => { console.log('dependency up'); c.destroy(); });
  c.on('error', () => console.log('dependency down'));
}
setTimeout(() => {
  net.createServer().listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'));
}, Number(process.env.LISTEN_DELAY_MS ?? 0));
`;
const script = path.join(root, 'service.js');
fs.writeFileSync(script, serviceJs);

function spec(name: string, port: number, env: Record<string, string> = {}): ChildSpec {
  return {
    name,
    command: process.execPath,
    args: [script],
    env: { ...process.env, PORT: String(port), ...env },
    readyPorts: [port],
  };
}

/** Output travels through pipes: lines may arrive after a port opened. */
async function waitFor(ok: () => boolean, ms = 5000): Promise<void> {
  for (const end = Date.now() + ms; !ok() && Date.now() < end;) {
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The children and everything under them (not other helpers of the test runner). */
function treeOf(sup: Supervisor): number[] {
  return sup.pids().flatMap((pid) => [pid, ...descendants(pid)]);
}

function quietSupervisor(
  specs: ChildSpec[],
  lines: string[],
  extra: { stopGraceMs?: number } = {},
) {
  return new Supervisor(specs, {
    print: (l) => lines.push(l),
    policy: { initialMs: 50, factor: 2, maxMs: 1000, stableMs: 60_000, maxStreak: 3 },
    readyTimeoutMs: 10_000,
    ...extra,
  });
}

describe('Supervisor', () => {
  it('starts children in order, prefixes their output, and stops them with no orphan', async () => {
    const [p1, p2] = [await freePort(), await freePort()];
    const lines: string[] = [];
    const sup = quietSupervisor([spec('alpha', p1), spec('beta-svc', p2)], lines);
    await sup.start();
    assert.deepEqual(
      sup.states().map((s) => s.phase),
      ['up', 'up'],
    );
    const tree = treeOf(sup);
    assert.ok(tree.length >= 4, `children and grandchildren: ${tree.length}`);
    await waitFor(() => lines.includes('alpha    | listening'));
    await sup.stop();
    const survivors = tree.filter(isAlive);
    assert.deepEqual(survivors, []);
    assert.ok(lines.includes('alpha    | listening'), lines.join('\n'));
    assert.ok(
      lines.some((l) => /✓ beta-svc :\d+\s+up in/.test(l)),
      lines.join('\n'),
    );
    assert.deepEqual(
      sup.states().map((s) => s.phase),
      ['stopped', 'stopped'],
    );
  });

  it('starts a child only once the children it comes after are up', async () => {
    const [slow, fast, free] = [await freePort(), await freePort(), await freePort()];
    const lines: string[] = [];
    const sup = quietSupervisor(
      [
        spec('slow', slow, { LISTEN_DELAY_MS: '400' }),
        { ...spec('needs-slow', fast, { DEP_PORT: String(slow) }), after: ['slow'] },
        spec('free', free, { DEP_PORT: String(slow) }),
      ],
      lines,
    );
    await sup.start();
    const tree = treeOf(sup);
    await waitFor(() => lines.filter((l) => l.includes('dependency')).length >= 2);
    await sup.stop();
    assert.deepEqual(tree.filter(isAlive), []);
    assert.ok(lines.includes('needs-slow | dependency up'), lines.join('\n'));
    // Without `after`, a child does not wait: it starts beside the slow one.
    assert.ok(lines.includes('free       | dependency down'), lines.join('\n'));
  });

  it('restarts a crashed child with backoff and counts the restart', async () => {
    const port = await freePort();
    const lines: string[] = [];
    const sup = quietSupervisor(
      [spec('flaky', port, { CRASH_ONCE: path.join(root, 'crashed') })],
      lines,
    );
    await sup.start();
    await waitFor(() => lines.some((l) => l.startsWith('↻ flaky up again')), 10_000);
    // What the crashed instance left in its process group went with it.
    const leftover = Number(fs.readFileSync(path.join(root, 'crashed'), 'utf8'));
    await waitFor(() => !isAlive(leftover));
    assert.equal(isAlive(leftover), false, `grandchild ${leftover} of the crashed instance`);
    const tree = treeOf(sup);
    await sup.stop();
    assert.equal(sup.states()[0]?.restarts, 1);
    assert.ok(
      lines.some((l) => l === '! flaky exited with code 3; restart #1 in 0.1 s'),
      lines.join('\n'),
    );
    assert.ok(
      lines.some((l) => /^↻ flaky up again \| 1\/1 up \| restarts: flaky 1$/.test(l)),
      lines.join('\n'),
    );
    assert.deepEqual(tree.filter(isAlive), []);
  });

  it("restarts a child with the same env: a service keeps the plan's service.instance.id", async () => {
    const port = await freePort();
    const lines: string[] = [];
    const env = withInstanceId({ SAY_RESOURCE: '1' }, randomUUID());
    const sup = quietSupervisor(
      [
        spec('same-id', port, { ...env, CRASH_ONCE: path.join(root, 'crashed-id') } as Record<
          string,
          string
        >),
      ],
      lines,
    );
    await sup.start();
    await waitFor(() => lines.some((l) => l.startsWith('↻ same-id up again')), 10_000);
    await sup.stop();
    const seen = lines.filter((l) => l.startsWith('same-id | resource '));
    assert.equal(seen.length, 2, lines.join('\n'));
    assert.equal(seen[0], seen[1]);
    assert.equal(seen[0], `same-id | resource ${env['OTEL_RESOURCE_ATTRIBUTES']}`);
  });

  it("shows a child's WARN/ERROR and stderr lines but not its stdout INFO, unless verbose", async () => {
    const talker = `
      const ts = new Date().toISOString();
      console.log(ts + ' INFO [talker] request served');
      console.log(ts + ' WARN [talker] slow request');
      console.log(ts + ' ERROR [talker] request failed');
      console.error('INFO on stderr');
      require('node:net').createServer().listen(Number(process.env.PORT), '127.0.0.1');
    `;
    const run = async (verbose: boolean): Promise<string[]> => {
      const port = await freePort();
      const lines: string[] = [];
      const sup = new Supervisor(
        [
          {
            name: 'talker',
            command: process.execPath,
            args: ['-e', talker],
            env: { ...process.env, PORT: String(port) },
            readyPorts: [port],
          },
        ],
        { print: (l) => lines.push(l), verbose },
      );
      await sup.start();
      await waitFor(
        () =>
          lines.some((l) => l.includes('INFO on stderr')) &&
          lines.some((l) => l.includes('request failed')),
      );
      await sup.stop();
      return lines.filter((l) => l.startsWith('talker | ')).map((l) => l.replace(/\d{4}-\S+ /, ''));
    };
    assert.deepEqual((await run(false)).sort(), [
      'talker | ERROR [talker] request failed',
      'talker | INFO on stderr',
      'talker | WARN [talker] slow request',
    ]);
    assert.deepEqual((await run(true)).sort(), [
      'talker | ERROR [talker] request failed',
      'talker | INFO [talker] request served',
      'talker | INFO on stderr',
      'talker | WARN [talker] slow request',
    ]);
  });

  it('leaves a crash-looping child down after maxStreak quick deaths', async () => {
    const lines: string[] = [];
    const sup = quietSupervisor(
      [
        {
          name: 'broken',
          command: process.execPath,
          args: ['-e', 'process.exit(7)'],
          env: process.env,
          readyPorts: [await freePort()],
        },
      ],
      lines,
    );
    await sup.start();
    await waitFor(() => sup.states()[0]?.phase === 'failed', 10_000);
    await sup.stop();
    assert.equal(sup.states()[0]?.phase, 'failed');
    assert.equal(sup.states()[0]?.restarts, 3);
    assert.ok(
      lines.some((l) =>
        l.startsWith('! broken exited with code 7 again: 4 quick deaths in a row, leaving it down'),
      ),
      lines.join('\n'),
    );
    assert.ok(
      lines.includes('status: 0/1 up | not up: broken (failed) | restarts: broken 3'),
      lines.join('\n'),
    );
  });

  it('leaves a child down at once when it exits with 78 (cannot run as configured)', async () => {
    const lines: string[] = [];
    const sup = quietSupervisor(
      [
        {
          name: 'misconfigured',
          command: process.execPath,
          args: ['-e', 'console.log("store is locked"); process.exit(78)'],
          env: process.env,
          readyPorts: [await freePort()],
        },
      ],
      lines,
    );
    await sup.start();
    await waitFor(() => sup.states()[0]?.phase === 'failed');
    await sup.stop();
    assert.equal(sup.states()[0]?.phase, 'failed');
    assert.equal(sup.states()[0]?.restarts, 0);
    assert.ok(
      lines.some((l) =>
        l.startsWith(
          '! misconfigured exited with code 78 (cannot run as configured): leaving it down',
        ),
      ),
      lines.join('\n'),
    );
  });

  it('kills a child that ignores SIGTERM after the grace period', async () => {
    const port = await freePort();
    const lines: string[] = [];
    const sup = quietSupervisor([spec('stubborn', port, { IGNORE_TERM: '1' })], lines, {
      stopGraceMs: 300,
    });
    await sup.start();
    const tree = treeOf(sup);
    await sup.stop();
    assert.deepEqual(tree.filter(isAlive), []);
    assert.equal(sup.states()[0]?.lastExit?.signal, 'SIGKILL');
  });

  it('refuses to start when a port is taken, spawning nothing', async () => {
    const srv = net.createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as net.AddressInfo).port;
    try {
      const sup = quietSupervisor([spec('late', port)], []);
      await assert.rejects(sup.start(), new RegExp(`port ${port} already in use`));
      assert.deepEqual(sup.pids(), []);
      assert.equal(sup.states()[0]?.phase, 'pending');
    } finally {
      srv.close();
    }
  });
});
