// What `otel-lab start` runs, as data: the backend, the shop services in
// registry order, the load generator, each with its command, environment and
// ports. Pure, so the wiring is tested without starting anything.

import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { SHOP_SERVICES, servicePort, type ShopService } from '../shop/registry';
import { withInstanceId } from '../shop/telemetry/resource-env';
import type { ChildSpec } from './supervisor';

export const LAB_HTTP_PORT = 8080;
export const OTLP_GRPC_PORT = 4317;
export const OTLP_HTTP_PORT = 4318;
export const DEFAULT_OTLP_ENDPOINT = `http://127.0.0.1:${OTLP_HTTP_PORT}`;

/**
 * The load generator is not what the scenario measures: a small young
 * generation and no optimising compiler keep its RSS down.
 */
export const LOADGEN_NODE_ARGS: readonly string[] = [
  '--max-semi-space-size=1',
  '--lite-mode',
  // Lite mode turns WebAssembly off anyway; saying so spares a warning line.
  '--no-expose-wasm',
  '--single-threaded-gc',
];

/**
 * The backend allocates briskly while it decodes OTLP, and Node's default
 * 16 MB semi-spaces let its young generation stay tens of MB resident; at the
 * lab's ingest rate 2 MB costs no measurable CPU (bench/shop-footprint.md).
 */
export const BACKEND_NODE_ARGS: readonly string[] = ['--max-semi-space-size=2'];

/**
 * glibc gives each thread that mallocs its own arena (up to 8 per core), and
 * DuckDB's threads each keep theirs partly resident. Two arenas with the
 * semi-spaces above: the backend ended 60 s runs at 139-150 MB RSS instead of
 * 164-167 (3 runs vs 4, bench/shop-footprint.md). A value in the
 * environment wins.
 */
export const BACKEND_MALLOC_ARENA_MAX = '2';

/**
 * The lab's backend's DuckDB memory limit, passed explicitly so that the
 * lab's footprint (it shares the laptop with twelve other processes) does
 * not move with `serve`'s default (the same 256MB since 2026-11-26; 512MB
 * before). Its RSS is bounded by it as the store grows (~400 MiB mean to 25M
 * spans), and trace search at 10M spans measured the same at 256MB and
 * 512MB (bench/RESULTS.md).
 */
export const LAB_BACKEND_MEMORY_LIMIT = '256MB';

export interface BackendPorts {
  readonly http: number;
  readonly otlpHttp: number;
  readonly otlpGrpc: number;
}

export const DEFAULT_BACKEND_PORTS: BackendPorts = {
  http: LAB_HTTP_PORT,
  otlpHttp: OTLP_HTTP_PORT,
  otlpGrpc: OTLP_GRPC_PORT,
};

export interface StartOptions {
  /** Start `otel-lab serve` as a child (only possible when it is built). */
  readonly backend: boolean;
  /** Where every child sends OTLP. */
  readonly otlpEndpoint: string;
  /** The backend's ports (passed to `otel-lab serve`). */
  readonly ports: BackendPorts;
  readonly load: boolean;
  readonly users: number;
  readonly speed: number;
  readonly flagsFile: string;
  /** Show every line the children print (`--verbose`); default: INFO on stdout left out. */
  readonly verbose?: boolean;
  /** DuckDB memory limit for the backend (`serve --memory-limit`); LAB_BACKEND_MEMORY_LIMIT when absent. */
  readonly backendMemoryLimit?: string;
}

export interface StartPaths {
  readonly node: string;
  /** Compiled `dist/src/cli/main.js`, run with `serve` for the backend. */
  readonly cliMain: string;
  /** Compiled `dist/src/shop/`. */
  readonly shopDir: string;
}

export interface Plan {
  readonly children: readonly ChildSpec[];
  readonly storefrontUrl: string;
}

/** Node flags a service asks for (e.g. a heap limit), when the registry gives any. */
function nodeArgsOf(s: ShopService): readonly string[] {
  if ('nodeArgs' in s && Array.isArray(s.nodeArgs)) {
    return s.nodeArgs.filter((a): a is string => typeof a === 'string');
  }
  return [];
}

/** The env every child shares: flags file, OTLP target, every service's port and address. */
export function sharedEnv(opts: StartOptions, parent: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    // The SDK's default 5 s batch delay makes a lab feel stale; 1 s unless set.
    OTEL_BSP_SCHEDULE_DELAY: '1000',
    ...parent,
    OTEL_LAB_FLAGS_FILE: opts.flagsFile,
    OTEL_EXPORTER_OTLP_ENDPOINT: opts.otlpEndpoint,
  };
  for (const s of SHOP_SERVICES) {
    const port = servicePort(s.name, parent);
    env[s.portEnv] = String(port);
    env[s.addrEnv] = `127.0.0.1:${port}`;
  }
  return env;
}

/**
 * Each process that sends telemetry gets one `service.instance.id` for the
 * lab's run, in its spec's env, so a restart keeps it: the dashboard shows a
 * sawtooth of one series, as upstream's restarted container does, not a dead
 * instance held at its peak for the lookback beside a new one. `newId` is
 * for tests.
 */
export function buildPlan(
  opts: StartOptions,
  paths: StartPaths,
  parent: NodeJS.ProcessEnv,
  newId: () => string = randomUUID,
): Plan {
  const env = sharedEnv(opts, parent);
  const children: ChildSpec[] = [];
  if (opts.backend) {
    children.push({
      name: 'backend',
      command: paths.node,
      args: [
        ...BACKEND_NODE_ARGS,
        paths.cliMain,
        'serve',
        '--http-port',
        String(opts.ports.http),
        '--otlp-http-port',
        String(opts.ports.otlpHttp),
        '--otlp-grpc-port',
        String(opts.ports.otlpGrpc),
        '--memory-limit',
        opts.backendMemoryLimit ?? LAB_BACKEND_MEMORY_LIMIT,
      ],
      env: { MALLOC_ARENA_MAX: BACKEND_MALLOC_ARENA_MAX, ...env },
      readyPorts: [opts.ports.otlpHttp, opts.ports.otlpGrpc, opts.ports.http],
      stopLast: true,
    });
  }
  for (const s of SHOP_SERVICES) {
    children.push({
      name: s.name,
      command: paths.node,
      args: [...nodeArgsOf(s), path.join(paths.shopDir, s.entry)],
      env: withInstanceId(env, newId()),
      readyPorts: [servicePort(s.name, parent)],
      // Every service starts at once, beside the backend: gRPC clients connect
      // on first call, and nothing calls a service before the load generator
      // runs. Their start-up telemetry (a log line, the first metrics) is not
      // lost meanwhile: the OTLP exporters retry a refused connection with
      // backoff. Waiting level by level (backend, leaves, checkout, frontend)
      // cost several seconds of start-up on a busy machine.
      after: [],
    });
  }
  if (opts.load) {
    children.push({
      name: 'load-generator',
      command: paths.node,
      args: [
        ...LOADGEN_NODE_ARGS,
        path.join(paths.shopDir, 'loadgen', 'main.js'),
        '--users',
        String(opts.users),
        '--speed',
        String(opts.speed),
      ],
      env: withInstanceId(env, newId()),
      readyPorts: [],
      // The first request needs the whole shop and somewhere to send its spans.
      after: [...(opts.backend ? ['backend'] : []), ...SHOP_SERVICES.map((s) => s.name)],
    });
  }
  return {
    children,
    storefrontUrl: `http://localhost:${servicePort('frontend', parent)}/`,
  };
}

/** Entry scripts of the plan that are not on disk (the shop is not built). */
export function missingEntries(plan: Plan, exists: (file: string) => boolean): string[] {
  return plan.children
    .filter((c) => c.name !== 'backend')
    .flatMap((c) => c.args.filter((a) => a.endsWith('.js')).slice(-1))
    .filter((file) => !exists(file));
}
