// The shop's services: one Node process each. `otel-lab start` reads this list
// to spawn them (all at once; gRPC clients connect on first call); each service reads its own
// port and its peers' addresses from the environment variables named here,
// with these defaults, as the upstream demo does.

export interface ShopService {
  /** `service.name` of its OpenTelemetry resource. */
  readonly name: string;
  /** Module to run with `node`, relative to the compiled `dist/src/shop/`. */
  readonly entry: string;
  /** Env var holding its listen port, and the default. */
  readonly portEnv: string;
  readonly defaultPort: number;
  /** Env var other services use to reach it (`host:port`). */
  readonly addrEnv: string;
  /** gRPC or HTTP. */
  readonly protocol: 'grpc' | 'http';
  /** Services it calls. */
  readonly calls: readonly string[];
  /** Flags for `node` before the entry module (heap limits, --expose-gc). */
  readonly nodeArgs: readonly string[];
}

/**
 * Every service runs with a 1 MB young generation: Node's default 16 MB
 * semi-spaces cost ~13 MB of RSS per process, and ten services share the
 * lab's 700 MB budget.
 */
export const COMMON_NODE_ARGS: readonly string[] = ['--max-semi-space-size=1'];

/**
 * Every service but recommendation also skips V8's optimising compilers
 * (lite mode): 8-9 MB less RSS each, 5.5 MB of it node-binary code never
 * touched (bench/shop-footprint.md). Their handlers are thin, and frontend's
 * and checkout's latency is mostly waiting on the services they call.
 * Recommendation keeps the full V8: its CPU and latency under the cache leak
 * (a set difference over millions of ids) are what the scenario is about.
 */
// --lite-mode turns off --expose-wasm and says so on every start unless asked for.
const LITE_NODE_ARGS: readonly string[] = [...COMMON_NODE_ARGS, '--lite-mode', '--no-expose-wasm'];

/**
 * Their GC also runs on the main thread: with heaps of ~15 MB the pauses stay
 * short, and the parallel marking buffers cost ~1.1 MB RSS each (3 runs each
 * way, bench/RESULTS.md).
 */
export const LITE_SERVICE_NODE_ARGS: readonly string[] = [
  ...LITE_NODE_ARGS,
  '--single-threaded-gc',
];

export const SHOP_SERVICES: readonly ShopService[] = [
  svc('product-catalog', 'PRODUCT_CATALOG', 3550, []),
  svc('currency', 'CURRENCY', 7001, []),
  svc('cart', 'CART', 7070, []),
  // Upstream's adServiceManualGc triggers full GCs: global.gc needs --expose-gc.
  // Parallel GC kept, so those pauses are the flag's and not ours.
  { ...svc('ad', 'AD', 9555, []), nodeArgs: [...LITE_NODE_ARGS, '--expose-gc'] },
  svc('payment', 'PAYMENT', 50051, []),
  svc('shipping', 'SHIPPING', 50050, []),
  svc('email', 'EMAIL', 6060, []),
  // Upstream runs it with a 500 MB memory limit: the cache leak kills it and
  // the supervisor restarts it.
  {
    ...svc('recommendation', 'RECOMMENDATION', 9001, ['product-catalog']),
    nodeArgs: [...COMMON_NODE_ARGS, '--max-old-space-size=500'],
  },
  svc('checkout', 'CHECKOUT', 5050, [
    'cart',
    'product-catalog',
    'currency',
    'shipping',
    'payment',
    'email',
  ]),
  {
    ...svc('frontend', 'FRONTEND', 8081, [
      'product-catalog',
      'recommendation',
      'ad',
      'cart',
      'currency',
      'checkout',
      'shipping',
    ]),
    protocol: 'http',
  },
];

function svc(
  name: string,
  envPrefix: string,
  port: number,
  calls: string[],
  nodeArgs: readonly string[] = LITE_SERVICE_NODE_ARGS,
): ShopService {
  return {
    name,
    entry: `services/${name}/main.js`,
    portEnv: `${envPrefix}_PORT`,
    defaultPort: port,
    addrEnv: `${envPrefix}_ADDR`,
    protocol: 'grpc',
    calls,
    nodeArgs,
  };
}

/** `host:port` of a service, from its `*_ADDR` env var or the loopback default. */
export function serviceAddress(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const s = SHOP_SERVICES.find((x) => x.name === name);
  if (!s) throw new Error(`unknown shop service '${name}'`);
  return env[s.addrEnv] ?? `127.0.0.1:${s.defaultPort}`;
}

/** The port a service listens on, from its `*_PORT` env var or the default. */
export function servicePort(name: string, env: NodeJS.ProcessEnv = process.env): number {
  const s = SHOP_SERVICES.find((x) => x.name === name);
  if (!s) throw new Error(`unknown shop service '${name}'`);
  const raw = env[s.portEnv];
  if (raw === undefined || raw === '') return s.defaultPort;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`${s.portEnv}=${raw} is not a port number (0-65535)`);
  }
  return port;
}
