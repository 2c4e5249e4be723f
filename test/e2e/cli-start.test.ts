// `otel-lab start` end to end with a fake shop: every service and the load
// generator are stand-ins that listen on their port and keep a grandchild
// process, so the test sees the real CLI bring them up, restart one that dies
// with its service.instance.id unchanged, leave out its INFO lines, and
// Ctrl-C leave no process behind.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { descendants, isAlive } from '../../src/cli/proc';
import { SHOP_SERVICES } from '../../src/shop/registry';
import { freePorts } from '../../src/shop/shop-processes';

const CLI = path.join(__dirname, '..', '..', 'src', 'cli', 'main.js');
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'otel-lab-start-e2e-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

/** This stand-in dies on its first start, as recommendation does when it runs out of heap. */
const CRASHES_ONCE = 'recommendation';

/** The JSON lines a stand-in wrote, one per start. */
function starts(report: string, name: string): Record<string, string>[] {
  return fs
    .readFileSync(`${report}.${name}`, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, string>);
}

function fakeShop(dir: string, report: string): void {
  const keepGrandchild = `require('node:child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });`;
  for (const s of SHOP_SERVICES) {
    const file = path.join(dir, s.entry);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(
      file,
      `${keepGrandchild}
const env = process.env;
const fs = require('node:fs');
const reportFile = ${JSON.stringify(report)} + '.' + ${JSON.stringify(s.name)};
const firstStart = !fs.existsSync(reportFile);
// One JSON line per start: a restart appends its own.
fs.appendFileSync(reportFile, JSON.stringify({
  flags: env.OTEL_LAB_FLAGS_FILE, otlp: env.OTEL_EXPORTER_OTLP_ENDPOINT, frontend: env.FRONTEND_ADDR,
  resource: env.OTEL_RESOURCE_ATTRIBUTES }) + '\\n');
if (firstStart && ${JSON.stringify(s.name)} === ${JSON.stringify(CRASHES_ONCE)}) process.exit(1);
const ts = new Date().toISOString();
console.log(ts + ' INFO [${s.name}] request served (left out by default)');
console.log(ts + ' WARN [${s.name}] something slow');
require('node:net').createServer().listen(Number(env.${s.portEnv}), '127.0.0.1', () => console.log('${s.name} ready'));
`,
    );
  }
  const lg = path.join(dir, 'loadgen', 'main.js');
  fs.mkdirSync(path.dirname(lg), { recursive: true });
  fs.writeFileSync(
    lg,
    `${keepGrandchild}
require('node:fs').writeFileSync(${JSON.stringify(report)} + '.loadgen', JSON.stringify(process.argv.slice(2)));
setInterval(() => {}, 1000);
`,
  );
}

describe('otel-lab start', () => {
  it('brings up every service and the load generator, then Ctrl-C leaves no process behind', async () => {
    const shop = path.join(root, 'shop');
    const report = path.join(root, 'report');
    fakeShop(shop, report);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      OTEL_LAB_SHOP_DIR: shop,
      OTEL_LAB_HOME: path.join(root, 'home'),
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9',
      NO_COLOR: '1',
    };
    const ports = await freePorts(SHOP_SERVICES.length);
    for (const [i, s] of SHOP_SERVICES.entries()) env[s.portEnv] = String(ports[i]);
    delete env['OTEL_LAB_FLAGS_FILE'];

    const cli = spawn(
      process.execPath,
      [CLI, 'start', '--no-backend', '--users', '3', '--speed', '7'],
      {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    cli.stdout.on('data', (d: Buffer) => (out += d.toString()));
    cli.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => cli.once('exit', (code) => r(code)));
    try {
      for (let i = 0; i < 300 && !out.includes('otel-lab is running'); i++) {
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.ok(out.includes('otel-lab is running'), out);
      const back = `↻ ${CRASHES_ONCE} up again`;
      for (let i = 0; i < 300 && !out.includes(back); i++) {
        await new Promise((r) => setTimeout(r, 50));
      }
      for (const s of SHOP_SERVICES) {
        const up =
          s.name === CRASHES_ONCE
            ? `✗ ${s.name}\\s+died while starting`
            : `✓ ${s.name}\\s+:${env[s.portEnv]}\\s+up in`;
        assert.match(out, new RegExp(up), s.name);
        assert.match(out, new RegExp(`${s.name}\\s+\\| ${s.name} ready`), s.name);
      }
      assert.match(out, new RegExp(`storefront\\s+http://localhost:${env['FRONTEND_PORT']}/`));
      assert.match(out, /telemetry\s+http:\/\/127\.0\.0\.1:9/);
      for (let i = 0; i < 100 && !fs.existsSync(`${report}.loadgen`); i++) {
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.deepEqual(JSON.parse(fs.readFileSync(`${report}.loadgen`, 'utf8')), [
        '--users',
        '3',
        '--speed',
        '7',
      ]);

      // The load generator has no port: it wrote its report after spawning its grandchild.
      const tree = descendants(cli.pid as number);
      assert.ok(tree.length >= 22, `11 children and 11 grandchildren, got ${tree.length}`);

      const [frontend, ...again] = starts(report, 'frontend');
      assert.deepEqual(again, []);
      assert.deepEqual(
        { ...frontend, resource: undefined },
        {
          flags: path.join(root, 'home', 'flags.json'),
          otlp: 'http://127.0.0.1:9',
          frontend: `127.0.0.1:${env['FRONTEND_PORT']}`,
          resource: undefined,
        },
      );

      // The crashed service came back with the same service.instance.id;
      // every service has its own.
      assert.match(out, new RegExp(`! ${CRASHES_ONCE} exited with code 1; restart #1`));
      assert.match(out, /↻ recommendation up again \| 11\/11 up \| restarts: recommendation 1/);
      const [died, restarted, ...more] = starts(report, CRASHES_ONCE);
      assert.deepEqual(more, []);
      assert.match(died?.['resource'] ?? '', /^service\.instance\.id=[0-9a-f-]{36}$/);
      assert.equal(restarted?.['resource'], died?.['resource']);
      const ids = SHOP_SERVICES.map((s) => starts(report, s.name)[0]?.['resource']);
      assert.equal(new Set(ids).size, SHOP_SERVICES.length);

      // Service INFO lines are left out by default; WARN lines are shown.
      assert.match(out, /frontend\s+\| \S+ WARN \[frontend\] something slow/);
      assert.doesNotMatch(out, /request served/);
      assert.ok(fs.existsSync(path.join(root, 'home', 'flags.json')));

      cli.kill('SIGINT');
      assert.equal(await exited, 0);
      assert.match(out, /SIGINT: stopping the lab/);
      assert.match(out, /otel-lab stopped\./);
      assert.deepEqual(tree.filter(isAlive), []);
    } finally {
      if (cli.exitCode === null) cli.kill('SIGKILL');
      for (const pid of descendants(cli.pid as number)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
  });

  it('refuses with exit 2 and the usage on a bad option', async () => {
    const cli = spawn(process.execPath, [CLI, 'start', '--speed=-1'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    cli.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((r) => cli.once('exit', (c) => r(c)));
    assert.equal(code, 2);
    assert.match(err, /--speed "-1" must be a number above 0/);
    assert.match(err, /usage: otel-lab start/);
  });
});
