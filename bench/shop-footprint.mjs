#!/usr/bin/env node
// The whole shop's footprint at default load: RSS per process and in total
// (from /proc), time until `otel-lab start` reports everything up, and time
// to the first trace at an OTLP endpoint.
//
//   npm run build && node bench/shop-footprint.mjs [--seconds 60] [--users 5] [--speed 1] [--backend]
//       [--sdk providers|node-sdk] [--memory-limit 256MB]
//   node bench/shop-footprint.mjs --one currency [--seconds 5] [--node-args=--jitless] [--runs 3]
//
// --one starts that service alone (its registry node flags, plus --node-args),
// idle, telemetry to a sink, and prints after --seconds where its memory is:
// RSS, PSS, the node binary's resident pages, anonymous memory, V8 heap and
// modules loaded, --runs times (the service is stopped after each run).
//
// RSS counts the pages of the node binary that every process shares once per
// process (~35-45 MB each), so the sum of RSS overstates what the lab costs
// the machine; PSS (from /proc/<pid>/smaps_rollup) splits shared pages among
// their users and sums to the real figure. Both are printed.
// --sdk (default node-sdk, the lab's default) runs every service with OTEL_LAB_TELEMETRY_SDK set (NodeSDK or our
// own wiring of the providers); --memory-limit is passed to the backend.
//
// Default: the shop sends OTLP/JSON to a small sink in this script (so the
// first trace and the services that sent spans are seen directly) and the
// backend is not started. --backend runs the full lab and takes the first
// trace from its Jaeger API instead.
// All ports are moved to free ones so a running lab is not disturbed.

import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const { descendants, isAlive, rssBytes, commandLine } = require(
  path.join(root, 'dist/src/cli/proc.js'),
);
const { SHOP_SERVICES } = require(path.join(root, 'dist/src/shop/registry.js'));

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    users: { type: 'string', default: '5' },
    speed: { type: 'string', default: '1' },
    backend: { type: 'boolean', default: false },
    sdk: { type: 'string', default: 'node-sdk' },
    'memory-limit': { type: 'string' },
    one: { type: 'string' },
    'node-args': { type: 'string', default: '' },
    runs: { type: 'string', default: '1' },
  },
});
const seconds = Number(values.seconds);
const MB = 1024 * 1024;

/** From /proc/<pid>/smaps_rollup: PSS (shared pages divided among their users) and anonymous memory, bytes. */
function rollup(pid) {
  try {
    const text = fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const kb = (key) =>
      Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0) * 1024;
    return { pss: kb('Pss'), anon: kb('Anonymous') };
  } catch {
    return undefined;
  }
}

/** utime + stime of a process, in clock ticks (100 per second on Linux). */
function cpuTicks(pid) {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]);
  } catch {
    return undefined;
  }
}
const TICKS_PER_S = 100;

const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');

async function freePort() {
  const srv = net.createServer();
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address();
  await new Promise((r) => srv.close(r));
  return port;
}

/** An OTLP/HTTP JSON sink: remembers when each service's first span arrived. */
function startSink(t0) {
  const firstSpan = new Map();
  let spans = 0;
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      if (req.url === '/v1/traces') {
        try {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          for (const rs of body.resourceSpans ?? []) {
            const name =
              (rs.resource?.attributes ?? []).find((a) => a.key === 'service.name')?.value
                ?.stringValue ?? '?';
            const n = (rs.scopeSpans ?? []).reduce((s, ss) => s + (ss.spans ?? []).length, 0);
            spans += n;
            if (n > 0 && !firstSpan.has(name)) firstSpan.set(name, Date.now() - t0);
          }
        } catch {
          // protobuf or garbage: counted as nothing
        }
      }
      res.setHeader('content-type', 'application/json');
      res.end('{}');
    });
  });
  return {
    server,
    firstSpan,
    spans: () => spans,
    listen: () => new Promise((r) => server.listen(0, '127.0.0.1', () => r(server.address().port))),
  };
}

function nameOf(pid) {
  const cmd = commandLine(pid);
  const svc = /services\/([^/]+)\/main\.js/.exec(cmd);
  if (svc) return svc[1];
  if (cmd.includes('loadgen/main.js')) return 'load-generator';
  if (/main\.js serve\b/.test(cmd)) return 'backend';
  if (/main\.js start\b/.test(cmd)) return 'supervisor (otel-lab start)';
  return cmd.slice(0, 60);
}

async function main() {
  const t0 = Date.now();
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'otel-lab-bench-'));
  const env = { ...process.env, OTEL_LAB_HOME: home, NO_COLOR: '1' };
  delete env.OTEL_LAB_FLAGS_FILE;
  env.OTEL_LAB_TELEMETRY_SDK = values.sdk;
  const loadAtStart = load();
  for (const s of SHOP_SERVICES) env[s.portEnv] = String(await freePort());
  const args = [
    path.join(root, 'dist/src/cli/main.js'),
    'start',
    '--users',
    values.users,
    '--speed',
    values.speed,
  ];
  let sink;
  let labHttpPort;
  if (values.backend) {
    labHttpPort = await freePort();
    args.push('--http-port', String(labHttpPort), '--otlp-http-port', String(await freePort()));
    args.push('--otlp-grpc-port', String(await freePort()));
    if (values['memory-limit']) args.push('--memory-limit', values['memory-limit']);
  } else {
    sink = startSink(t0);
    const port = await sink.listen();
    args.push('--otlp-endpoint', `http://127.0.0.1:${port}`);
    env.OTEL_EXPORTER_OTLP_PROTOCOL = 'http/json';
  }
  const lab = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  lab.stdout.on('data', (d) => (out += d));
  lab.stderr.on('data', (d) => (out += d));
  const exited = new Promise((r) => lab.once('exit', r));

  let upAt;
  let firstTraceAt;
  // The first trace is watched on its own, finer clock than the RSS samples.
  const watchFirstTrace = (async () => {
    while (firstTraceAt === undefined && lab.exitCode === null && Date.now() - t0 < 180_000) {
      if (sink && sink.firstSpan.size > 0) firstTraceAt = Math.min(...sink.firstSpan.values());
      if (!sink && (await jaegerHasTraces(labHttpPort))) firstTraceAt = Date.now() - t0;
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  const peak = new Map();
  const deadline = Date.now() + 120_000;
  while (upAt === undefined && Date.now() < deadline && lab.exitCode === null) {
    if (out.includes('otel-lab is running')) upAt = Date.now() - t0;
    await new Promise((r) => setTimeout(r, 100));
  }
  if (upAt === undefined) {
    lab.kill('SIGINT');
    await exited;
    console.error(out.slice(-4000));
    throw new Error('the lab did not come up within 120 s');
  }
  process.stderr.write(`lab up after ${upAt} ms; sampling for ${seconds} s\n`);
  const end = Date.now() + seconds * 1000;
  let last = new Map();
  let lastPss = new Map();
  let lastAnon = new Map();
  // CPU over the sampled window: ticks at the first sample a pid was seen and at its last.
  const cpuFirst = new Map();
  const cpuLast = new Map();
  const pidName = new Map();
  const windowStart = Date.now();
  let lastSampleAt = windowStart;
  while (Date.now() < end) {
    lastSampleAt = Date.now();
    last = new Map();
    lastPss = new Map();
    lastAnon = new Map();
    for (const pid of [lab.pid, ...descendants(lab.pid)]) {
      const rss = rssBytes(pid);
      if (rss === undefined) continue;
      const name = nameOf(pid);
      const ticks = cpuTicks(pid);
      if (ticks !== undefined) {
        if (!cpuFirst.has(pid)) cpuFirst.set(pid, ticks);
        cpuLast.set(pid, ticks);
        pidName.set(pid, name);
      }
      last.set(name, (last.get(name) ?? 0) + rss);
      const r = rollup(pid);
      lastPss.set(name, (lastPss.get(name) ?? 0) + (r?.pss ?? 0));
      lastAnon.set(name, (lastAnon.get(name) ?? 0) + (r?.anon ?? 0));
    }
    for (const [name, rss] of last) peak.set(name, Math.max(peak.get(name) ?? 0, rss));
    await new Promise((r) => setTimeout(r, 2000));
  }
  const windowS = Math.max(1, lastSampleAt - windowStart) / 1000;
  const cpuPct = new Map();
  for (const [pid, name] of pidName) {
    const used = (cpuLast.get(pid) - cpuFirst.get(pid)) / TICKS_PER_S;
    cpuPct.set(name, (cpuPct.get(name) ?? 0) + (100 * used) / windowS);
  }
  const loadAtEnd = load();
  const tree = descendants(lab.pid);
  lab.kill('SIGINT');
  await exited;
  await watchFirstTrace;
  const orphans = tree.filter(isAlive);
  sink?.server.close();
  fs.rmSync(home, { recursive: true, force: true });

  const mb = (b) => (b / MB).toFixed(0);
  const rows = [...last.keys()]
    .sort()
    .map((n) => [
      n,
      mb(last.get(n)),
      mb(peak.get(n)),
      mb(lastPss.get(n) ?? 0),
      mb(lastAnon.get(n) ?? 0),
      (cpuPct.get(n) ?? 0).toFixed(1),
    ]);
  const sum = (m) => [...m.values()].reduce((a, b) => a + b, 0);
  const shopNames = new Set([...SHOP_SERVICES.map((x) => x.name), 'load-generator']);
  const shopOnly = (m) => sum(new Map([...m].filter(([n]) => shopNames.has(n))));
  const lines = [
    `| process | RSS at end (MB) | peak RSS (MB) | PSS at end (MB) | anonymous (MB) | CPU % (of one core) |`,
    `| --- | ---: | ---: | ---: | ---: | ---: |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
    `| **total** | **${mb(sum(last))}** | ${mb(sum(peak))} (sum of peaks) | **${mb(sum(lastPss))}** | ${mb(sum(lastAnon))} | ${sum(cpuPct).toFixed(1)} |`,
    '',
    `- the shop's processes alone (services + load generator): RSS ${mb(shopOnly(last))} MB, PSS ${mb(shopOnly(lastPss))} MB`,
    `- telemetry wiring: ${values.sdk}; backend: ${values.backend ? `on${values['memory-limit'] ? `, --memory-limit ${values['memory-limit']}` : ''}` : 'off (sink in the script)'}; ${values.users} users, ${seconds} s sampled`,
    `- load average (1, 5, 15 min) at launch: ${loadAtStart}; at the end: ${loadAtEnd} (2 cores)`,
    `- all processes up (\`otel-lab start\` banner): ${(upAt / 1000).toFixed(1)} s`,
    `- first trace ${sink ? 'at the sink' : 'at the lab backend (Jaeger API lists a service)'}: ${firstTraceAt === undefined ? 'none seen' : `${(firstTraceAt / 1000).toFixed(1)} s`} after launch`,
  ];
  if (sink) {
    lines.push(
      `- spans received in ${seconds} s: ${sink.spans()}; services that sent spans: ${[...sink.firstSpan.keys()].sort().join(', ')}`,
    );
  }
  lines.push(`- processes left after Ctrl-C: ${orphans.length}`);
  console.log(lines.join('\n'));
  // A run without a trace, or with a process missing, is not a measurement: show why.
  if (firstTraceAt === undefined || (values.backend && !last.has('backend'))) {
    const notable = out
      .split('\n')
      .filter((l) => /backend|!|✗|error|Error/.test(l))
      .slice(-60);
    console.error(`\nlab output (backend, restarts, errors):\n${notable.join('\n')}`);
  }
}

async function jaegerHasTraces(port) {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/jaeger/api/services`);
    const body = await res.json();
    return Array.isArray(body.data) && body.data.length > 0;
  } catch {
    return false;
  }
}

/** Resident kB per mapping name in /proc/<pid>/smaps ('[anon]' for unnamed mappings). */
function residentByMapping(pid) {
  const by = new Map();
  let name = '';
  for (const line of fs.readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) name = head[1] || '[anon]';
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss) by.set(name, (by.get(name) ?? 0) + Number(rss[1]));
  }
  return by;
}

/** One service alone, idle: where its memory is. */
async function one(service) {
  const svc = SHOP_SERVICES.find((s) => s.name === service);
  if (!svc)
    throw new Error(
      `--one ${service}: not a shop service (${SHOP_SERVICES.map((s) => s.name).join(', ')})`,
    );
  const sink = startSink(Date.now());
  const sinkPort = await sink.listen();
  const env = {
    ...process.env,
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${sinkPort}`,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_LAB_FLAGS_FILE: path.join(root, 'src/shop/flags/demo.flagd.json'),
    // Prints heap and module counts from inside the service just before we sample.
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${path.join(root, 'bench/shop-footprint.probe.cjs')}`,
    OTEL_LAB_PROBE_AT_MS: String(Math.max(500, seconds * 1000 - 1000)),
  };
  for (const s of SHOP_SERVICES) {
    const port = await freePort();
    env[s.portEnv] = String(port);
    env[s.addrEnv] = `127.0.0.1:${port}`;
  }
  const extra = values['node-args'].split(/\s+/).filter(Boolean);
  const args = [...svc.nodeArgs, ...extra, path.join(root, 'dist/src/shop', svc.entry)];
  console.log(
    `${service}: node ${args.slice(0, -1).join(' ')} (idle ${seconds} s, load ${load()})`,
  );
  console.log('| run | RSS | PSS | node binary | anonymous | V8 heap used | CJS modules |');
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (let run = 1; run <= Number(values.runs); run++) {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const roll = fs.readFileSync(`/proc/${child.pid}/smaps_rollup`, 'utf8');
    const kb = (k) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(roll)?.[1] ?? 0);
    const binary = [...residentByMapping(child.pid)]
      .filter(([n]) => n === process.execPath || n.endsWith('/node'))
      .reduce((a, [, v]) => a + v, 0);
    const probe = /OTEL_LAB_PROBE heap=(\S+) modules=(\d+)/.exec(err);
    const f = (k) => (k / 1024).toFixed(1);
    console.log(
      `| ${run} | ${f(kb('Rss'))} | ${f(kb('Pss'))} | ${f(binary)} | ${f(kb('Anonymous'))} | ${probe?.[1] ?? '?'} | ${probe?.[2] ?? '?'} |`,
    );
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await gone;
  }
  sink.server.close();
}

(values.one ? one(values.one) : main()).catch((err) => {
  console.error(err);
  process.exit(1);
});
