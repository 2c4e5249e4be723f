// `otel-lab start`: the whole lab in one terminal, stopped by Ctrl-C.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { ensureFlagsFile, resolveFlagsPath } from '../shop/flags/file';
import { SUPERVISOR_PID_ENV } from '../shop/parent-watch';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliIo } from './io';
import { serveModulePath } from './serve-seam';
import {
  DEFAULT_OTLP_ENDPOINT,
  LAB_HTTP_PORT,
  OTLP_GRPC_PORT,
  OTLP_HTTP_PORT,
  buildPlan,
  missingEntries,
  type StartOptions,
} from './start-plan';
import { Supervisor } from './supervisor';
import { statusLine } from './supervisor-state';

export const startUsage = `usage: otel-lab start [options]

Runs the lab: the backend, every shop service and the load generator, each
its own process. Shows each one coming up, restarts a crashed one with
backoff, and stops them all on Ctrl-C.

options:
  --no-load              no load generator (a quiet shop)
  --users N              simulated users (default 5, 1-1000)
  --speed F              divide the users' 1-10 s think time by F (default 1)
  --otlp-endpoint URL    send telemetry to this OTLP endpoint instead of
                         starting the lab's backend
  --http-port N          the backend's UI and API port (default 8080)
  --otlp-http-port N     the backend's OTLP/HTTP port (default 4318)
  --otlp-grpc-port N     the backend's OTLP/gRPC port (default 4317)
  --memory-limit M       the backend's DuckDB memory limit (default 256MB; e.g. 1GB)
  --no-backend           do not start the backend; telemetry goes to
                         $OTEL_EXPORTER_OTLP_ENDPOINT or ${DEFAULT_OTLP_ENDPOINT}
  -v, --verbose          show every line the processes print; by default a
                         service's INFO (and DEBUG) lines on stdout are left
                         out, so restarts, crashes and OOMs stand out: shown
                         are the lab's own lines, WARN and ERROR lines, lines
                         with no level, and everything on stderr
  -h, --help             show this help

environment:
  OTEL_LAB_FLAGS_FILE, OTEL_LAB_HOME   where the flags file lives
  <SERVICE>_PORT                       move a service (e.g. FRONTEND_PORT=9081)
  OTEL_EXPORTER_OTLP_PROTOCOL          how the shop exports (default http/protobuf)
  OTEL_LAB_SHOP_DIR                    run the shop from another build (tests use it)
`;

export class UsageError extends Error {}

export const BANNER_SETTLE_MS = 100;

/** What DuckDB's memory_limit accepts, kept to plain sizes. */
const MEMORY_LIMIT = /^\d{1,6}(\.\d{1,3})?\s?(KB|MB|GB|KiB|MiB|GiB)$/i;

/** Parses start's arguments; throws UsageError naming what was wrong. */
export function parseStartArgs(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  backendBuilt: boolean,
): { help: true } | { help: false; options: StartOptions; notes: string[] } {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        'no-load': { type: 'boolean' },
        'no-backend': { type: 'boolean' },
        'otlp-endpoint': { type: 'string' },
        'http-port': { type: 'string' },
        'otlp-http-port': { type: 'string' },
        'otlp-grpc-port': { type: 'string' },
        'memory-limit': { type: 'string' },
        verbose: { type: 'boolean', short: 'v' },
        users: { type: 'string' },
        speed: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help === true) return { help: true };
  const users = parseNumber(
    '--users',
    values.users,
    5,
    (n) => Number.isInteger(n) && n >= 1 && n <= 1000,
    'a whole number from 1 to 1000',
  );
  const speed = parseNumber(
    '--speed',
    values.speed,
    1,
    (n) => n > 0 && n <= 1000,
    'a number above 0 and at most 1000',
  );
  const isPort = (n: number): boolean => Number.isInteger(n) && n >= 1 && n <= 65535;
  const portWhat = 'a port number (1-65535)';
  const ports = {
    http: parseNumber('--http-port', values['http-port'], LAB_HTTP_PORT, isPort, portWhat),
    otlpHttp: parseNumber(
      '--otlp-http-port',
      values['otlp-http-port'],
      OTLP_HTTP_PORT,
      isPort,
      portWhat,
    ),
    otlpGrpc: parseNumber(
      '--otlp-grpc-port',
      values['otlp-grpc-port'],
      OTLP_GRPC_PORT,
      isPort,
      portWhat,
    ),
  };
  const memoryLimit = values['memory-limit'];
  if (memoryLimit !== undefined && !MEMORY_LIMIT.test(memoryLimit)) {
    throw new UsageError(
      `--memory-limit ${JSON.stringify(memoryLimit.slice(0, 40))} must be a size like 256MB or 1GB`,
    );
  }
  const notes: string[] = [];
  let endpoint = values['otlp-endpoint'];
  if (endpoint !== undefined) {
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      throw new UsageError(
        `--otlp-endpoint ${JSON.stringify(endpoint)} is not a URL (e.g. http://127.0.0.1:4318)`,
      );
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new UsageError(
        `--otlp-endpoint must be an http:// or https:// URL, not ${url.protocol}`,
      );
    }
  }
  let backend = endpoint === undefined && values['no-backend'] !== true;
  if (backend && !backendBuilt) {
    backend = false;
    notes.push('the backend (otel-lab serve) is not built yet: bring your own OTLP endpoint');
  }
  if (!backend && endpoint === undefined) {
    const fromEnv = env['OTEL_EXPORTER_OTLP_ENDPOINT'];
    endpoint = fromEnv !== undefined && fromEnv !== '' ? fromEnv : DEFAULT_OTLP_ENDPOINT;
  }
  if (endpoint === undefined) {
    // The shop sends to our backend, on the port of the protocol it exports with.
    const grpc = env['OTEL_EXPORTER_OTLP_PROTOCOL'] === 'grpc';
    endpoint = `http://127.0.0.1:${grpc ? ports.otlpGrpc : ports.otlpHttp}`;
  }
  return {
    help: false,
    notes,
    options: {
      backend,
      otlpEndpoint: endpoint,
      ports,
      load: values['no-load'] !== true,
      users,
      speed,
      flagsFile: resolveFlagsPath(env),
      verbose: values.verbose === true,
      ...(memoryLimit === undefined ? {} : { backendMemoryLimit: memoryLimit }),
    },
  };
}

function parseNumber(
  flag: string,
  raw: string | undefined,
  dflt: number,
  ok: (n: number) => boolean,
  what: string,
): number {
  if (raw === undefined) return dflt;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || !ok(n)) {
    throw new UsageError(`${flag} ${JSON.stringify(raw.slice(0, 40))} must be ${what}`);
  }
  return n;
}

export async function runStart(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseStartArgs(argv, io.env, serveModulePath() !== undefined);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.err(`otel-lab start: ${err.message}\n\n${startUsage}`);
    return EXIT_USAGE;
  }
  if (parsed.help) {
    io.out(startUsage);
    return EXIT_OK;
  }
  const { options, notes } = parsed;
  for (const note of notes) io.err(`note: ${note}\n`);

  const shopDir = io.env['OTEL_LAB_SHOP_DIR'] ?? path.join(__dirname, '..', 'shop');
  const plan = buildPlan(
    options,
    { node: process.execPath, cliMain: path.join(__dirname, 'main.js'), shopDir },
    // Children that outlive a killed supervisor notice it by their parent pid.
    { ...io.env, [SUPERVISOR_PID_ENV]: String(process.pid) },
  );
  const missing = missingEntries(plan, (f) => fs.existsSync(f));
  if (missing.length > 0) {
    io.err(`otel-lab start: not built: ${missing.join(', ')}\nrun 'npm run build' first.\n`);
    return EXIT_FAILURE;
  }
  if (ensureFlagsFile(options.flagsFile))
    io.err(`created ${options.flagsFile} from the demo flags (all off)\n`);

  const color = process.stdout.isTTY === true && io.env['NO_COLOR'] === undefined;
  const supervisor = new Supervisor(plan.children, {
    print: (line) => io.out(`${line}\n`),
    color,
    verbose: options.verbose === true,
  });
  let signals = 0;
  let stopped: Promise<void> | undefined;
  const stop = new Promise<void>((resolve) => {
    const onSignal = (sig: NodeJS.Signals): void => {
      signals += 1;
      if (signals === 1) {
        io.out(`\n${sig}: stopping the lab (again to kill at once)...\n`);
        stopped = supervisor.stop();
        void stopped.then(resolve);
      } else {
        supervisor.killGroups('SIGKILL');
        resolve();
      }
    };
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, onSignal);
  });

  io.out(
    `starting otel-lab (${plan.children.length} processes; telemetry to ${options.backend ? 'the lab backend' : options.otlpEndpoint})\n`,
  );
  try {
    await supervisor.start();
  } catch (err) {
    io.err(`otel-lab start: ${(err as Error).message}\n`);
    await supervisor.stop();
    return EXIT_FAILURE;
  }
  // A child's own first lines ("ready") come through a pipe and can trail its
  // open port by a few ms; a short pause keeps the banner below them.
  await new Promise((r) => setTimeout(r, BANNER_SETTLE_MS));
  if (signals === 0) {
    io.out(banner(options, plan.storefrontUrl));
    io.out(`status: ${statusLine(supervisor.states())}\n`);
  }
  await stop;
  io.out('otel-lab stopped.\n');
  return EXIT_OK;
}

function banner(o: StartOptions, storefront: string): string {
  const lines = ['', 'otel-lab is running:'];
  if (o.backend) {
    lines.push(`  lab UI       http://localhost:${o.ports.http}/`);
    lines.push(
      `  OTLP in      grpc localhost:${o.ports.otlpGrpc}  http http://localhost:${o.ports.otlpHttp}`,
    );
  } else {
    lines.push(`  telemetry    ${o.otlpEndpoint}`);
  }
  lines.push(`  storefront   ${storefront}`);
  lines.push(
    `  load         ${o.load ? `${o.users} users, speed x${o.speed}` : 'off (--no-load)'}`,
  );
  lines.push(`  flags        ${o.flagsFile}  (otel-lab flags list | set <flag> <variant>)`);
  lines.push(
    `  output       ${o.verbose === true ? 'everything (--verbose)' : 'warnings, errors, crashes and restarts (--verbose for all)'}`,
  );
  lines.push('Ctrl-C stops everything.', '');
  return lines.join('\n') + '\n';
}
