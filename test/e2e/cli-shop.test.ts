// The real shop under `otel-lab start`: every service and the load generator
// come up, load flows, and spans from every one of them reach an OTLP
// endpoint (a JSON sink here, so any backend would do); Ctrl-C then leaves
// no process behind. Needs the whole shop built (npm run build).

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { descendants, isAlive } from '../../src/cli/proc';
import { SHOP_SERVICES } from '../../src/shop/registry';
import { freePorts } from '../../src/shop/shop-processes';

const CLI = path.join(__dirname, '..', '..', 'src', 'cli', 'main.js');
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'otel-lab-shop-e2e-'));
after(() => fs.rmSync(home, { recursive: true, force: true }));

interface OtlpJsonTraces {
  resourceSpans?: Array<{
    resource?: { attributes?: Array<{ key: string; value?: { stringValue?: string } }> };
    scopeSpans?: Array<{ spans?: unknown[] }>;
  }>;
}

/** Span counts and service.instance.ids per service.name from OTLP/HTTP JSON exports. */
async function startSink(): Promise<{
  server: http.Server;
  port: number;
  spans: Map<string, number>;
  instances: Map<string, Set<string>>;
}> {
  const spans = new Map<string, number>();
  const instances = new Map<string, Set<string>>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url === '/v1/traces') {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpJsonTraces;
        for (const rs of body.resourceSpans ?? []) {
          const attr = (key: string) =>
            rs.resource?.attributes?.find((a) => a.key === key)?.value?.stringValue ?? '?';
          const name = attr('service.name');
          const ids = instances.get(name) ?? new Set<string>();
          ids.add(attr('service.instance.id'));
          instances.set(name, ids);
          const n = (rs.scopeSpans ?? []).reduce((sum, ss) => sum + (ss.spans?.length ?? 0), 0);
          spans.set(name, (spans.get(name) ?? 0) + n);
        }
      }
      res.setHeader('content-type', 'application/json');
      res.end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as net.AddressInfo).port, spans, instances };
}

describe('otel-lab start (real shop)', () => {
  it('sends traces from every service and the load generator; a killed service comes back with its service.instance.id', async () => {
    const sink = await startSink();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      OTEL_LAB_HOME: home,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '500',
      NO_COLOR: '1',
    };
    delete env['OTEL_LAB_FLAGS_FILE'];
    const ports = await freePorts(SHOP_SERVICES.length);
    for (const [i, s] of SHOP_SERVICES.entries()) env[s.portEnv] = String(ports[i]);
    const cli = spawn(
      process.execPath,
      [
        CLI,
        'start',
        '--otlp-endpoint',
        `http://127.0.0.1:${sink.port}`,
        '--users',
        '3',
        '--speed',
        '20',
      ],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    cli.stdout.on('data', (d: Buffer) => (out += d.toString()));
    cli.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => cli.once('exit', (code) => r(code)));
    const expected = [...SHOP_SERVICES.map((s) => s.name), 'load-generator'].sort();
    try {
      const deadline = Date.now() + 90_000;
      const missing = () => expected.filter((n) => (sink.spans.get(n) ?? 0) === 0);
      while (missing().length > 0 && Date.now() < deadline && cli.exitCode === null) {
        await new Promise((r) => setTimeout(r, 250));
      }
      // The supervisor's own lines (restarts, exits, status) first: service errors can flood the tail.
      const supervisorLines = out
        .split('\n')
        .filter((l) => !/^\S+\s+\|/.test(l))
        .slice(-40)
        .join('\n');
      assert.deepEqual(
        missing(),
        [],
        `no spans yet from these; supervisor:\n${supervisorLines}\noutput:\n${out.slice(-2000)}`,
      );
      assert.match(out, /otel-lab is running/);
      assert.match(out, /status: 11\/11 up \| restarts: none/);
      // Service INFO lines (one per request) are left out by default.
      assert.doesNotMatch(out, / INFO \[/);

      // Kill recommendation as its OOM would; the supervisor restarts it with
      // the same identity, so its series continue rather than double.
      const before = sink.instances.get('recommendation');
      assert.equal(before?.size, 1, `one instance id: ${[...(before ?? [])].join(', ')}`);
      const [id] = [...(before ?? [])];
      assert.match(id ?? '', /^[0-9a-f-]{36}$/);
      const rec = descendants(cli.pid as number).find((pid) => {
        try {
          return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('recommendation/main.js');
        } catch {
          return false;
        }
      });
      assert.ok(rec !== undefined, 'the recommendation process');
      process.kill(rec, 'SIGKILL');
      const back = Date.now() + 30_000;
      while (!out.includes('↻ recommendation up again') && Date.now() < back) {
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.match(out, /! recommendation killed by SIGKILL; restart #1/);
      const spansAtRestart = sink.spans.get('recommendation') ?? 0;
      const more = Date.now() + 30_000;
      while ((sink.spans.get('recommendation') ?? 0) === spansAtRestart && Date.now() < more) {
        await new Promise((r) => setTimeout(r, 250));
      }
      assert.ok((sink.spans.get('recommendation') ?? 0) > spansAtRestart, 'spans after restart');
      assert.deepEqual([...(sink.instances.get('recommendation') ?? [])], [id]);
      const all = expected.map((n) => [...(sink.instances.get(n) ?? [])].join());
      assert.equal(new Set(all).size, expected.length, 'every service its own id');

      const tree = descendants(cli.pid as number);
      cli.kill('SIGINT');
      assert.equal(await exited, 0);
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
      sink.server.close();
    }
  });
});
