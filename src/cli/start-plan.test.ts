import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SHOP_SERVICES } from '../shop/registry';
import {
  BACKEND_MALLOC_ARENA_MAX,
  BACKEND_NODE_ARGS,
  LAB_BACKEND_MEMORY_LIMIT,
  LOADGEN_NODE_ARGS,
  buildPlan,
  missingEntries,
  type StartOptions,
} from './start-plan';
import { parseStartArgs, startUsage, UsageError } from './start';

const opts: StartOptions = {
  backend: true,
  otlpEndpoint: 'http://127.0.0.1:4318',
  ports: { http: 8080, otlpHttp: 4318, otlpGrpc: 4317 },
  load: true,
  users: 7,
  speed: 10,
  flagsFile: '/lab/flags.json',
};
const paths = { node: '/bin/node', cliMain: '/d/cli/main.js', shopDir: '/d/shop' };

describe('buildPlan', () => {
  it('runs the backend, the services in registry order, then the load generator', () => {
    const plan = buildPlan(opts, paths, {});
    assert.deepEqual(
      plan.children.map((c) => c.name),
      ['backend', ...SHOP_SERVICES.map((s) => s.name), 'load-generator'],
    );
    const backend = plan.children[0];
    assert.deepEqual(backend?.args, [
      ...BACKEND_NODE_ARGS,
      '/d/cli/main.js',
      'serve',
      '--http-port',
      '8080',
      '--otlp-http-port',
      '4318',
      '--otlp-grpc-port',
      '4317',
      '--memory-limit',
      LAB_BACKEND_MEMORY_LIMIT,
    ]);
    assert.deepEqual(backend?.readyPorts, [4318, 4317, 8080]);
    const names = plan.children.map((c) => c.name);
    for (const [i, c] of plan.children.entries()) {
      for (const dep of c.after ?? []) assert.ok(names.indexOf(dep) < i, `${c.name} after ${dep}`);
    }
    assert.equal(backend?.stopLast, true);
  });

  it('limits the backend to two malloc arenas unless the environment says otherwise', () => {
    const env = (parent: NodeJS.ProcessEnv, name: string) =>
      buildPlan(opts, paths, parent).children.find((c) => c.name === name)?.env;
    assert.equal(BACKEND_MALLOC_ARENA_MAX, '2');
    assert.equal(env({}, 'backend')?.['MALLOC_ARENA_MAX'], '2');
    assert.equal(env({}, 'frontend')?.['MALLOC_ARENA_MAX'], undefined);
    assert.equal(env({ MALLOC_ARENA_MAX: '4' }, 'backend')?.['MALLOC_ARENA_MAX'], '4');
  });

  it('gives every child the flags file, the OTLP endpoint and every address', () => {
    const plan = buildPlan(opts, paths, { FRONTEND_PORT: '9081', PATH: '/usr/bin' });
    for (const c of plan.children) {
      assert.equal(c.env['OTEL_LAB_FLAGS_FILE'], '/lab/flags.json');
      assert.equal(c.env['OTEL_EXPORTER_OTLP_ENDPOINT'], 'http://127.0.0.1:4318');
      assert.equal(c.env['FRONTEND_ADDR'], '127.0.0.1:9081');
      assert.equal(c.env['RECOMMENDATION_ADDR'], '127.0.0.1:9001');
      assert.equal(c.env['CART_PORT'], '7070');
      assert.equal(c.env['PATH'], '/usr/bin');
      assert.equal(c.env['OTEL_BSP_SCHEDULE_DELAY'], '1000');
    }
    assert.equal(plan.storefrontUrl, 'http://localhost:9081/');
    const frontend = plan.children.find((c) => c.name === 'frontend');
    assert.deepEqual(frontend?.readyPorts, [9081]);
    // Node flags the registry asks for (heap and GC settings) come before the entry script.
    const registered = SHOP_SERVICES.find((s) => s.name === 'frontend');
    const nodeArgs =
      registered && 'nodeArgs' in registered ? (registered.nodeArgs as string[]) : [];
    assert.deepEqual(frontend?.args, [...nodeArgs, '/d/shop/services/frontend/main.js']);
  });

  it('starts every service at once and the load generator after the backend and the whole shop', () => {
    const plan = buildPlan(opts, paths, {});
    const after = (n: string) => plan.children.find((c) => c.name === n)?.after;
    for (const s of SHOP_SERVICES) assert.deepEqual(after(s.name), [], s.name);
    assert.deepEqual(after('load-generator'), ['backend', ...SHOP_SERVICES.map((s) => s.name)]);
    const quiet = buildPlan({ ...opts, backend: false }, paths, {});
    assert.deepEqual(
      quiet.children.find((c) => c.name === 'load-generator')?.after,
      SHOP_SERVICES.map((s) => s.name),
    );
  });

  it('gives each service and the load generator its own service.instance.id, fixed for the run', () => {
    let n = 0;
    const plan = buildPlan(opts, paths, {}, () => `id-${++n}`);
    const ids = plan.children.map((c) => [c.name, c.env['OTEL_RESOURCE_ATTRIBUTES']]);
    assert.deepEqual(ids, [
      ['backend', undefined],
      ...SHOP_SERVICES.map((s, i) => [s.name, `service.instance.id=id-${i + 1}`]),
      ['load-generator', `service.instance.id=id-${SHOP_SERVICES.length + 1}`],
    ]);
  });

  it('merges the id into OTEL_RESOURCE_ATTRIBUTES, and a service.instance.id set there wins', () => {
    const merged = buildPlan(
      opts,
      paths,
      { OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=lab' },
      () => 'x',
    );
    assert.equal(
      merged.children.find((c) => c.name === 'recommendation')?.env['OTEL_RESOURCE_ATTRIBUTES'],
      'deployment.environment=lab,service.instance.id=x',
    );
    const mine = 'service.instance.id=mine,deployment.environment=lab';
    const kept = buildPlan(opts, paths, { OTEL_RESOURCE_ATTRIBUTES: mine }, () => 'x');
    for (const c of kept.children) assert.equal(c.env['OTEL_RESOURCE_ATTRIBUTES'], mine, c.name);
  });

  it('draws fresh random ids for each run', () => {
    const id = (p: ReturnType<typeof buildPlan>) =>
      p.children.find((c) => c.name === 'cart')?.env['OTEL_RESOURCE_ATTRIBUTES'];
    const a = id(buildPlan(opts, paths, {}));
    assert.match(a ?? '', /^service\.instance\.id=[0-9a-f-]{36}$/);
    assert.notEqual(a, id(buildPlan(opts, paths, {})));
  });

  it("keeps the user's own OTEL_BSP_SCHEDULE_DELAY", () => {
    const plan = buildPlan(opts, paths, { OTEL_BSP_SCHEDULE_DELAY: '5000' });
    assert.equal(plan.children[0]?.env['OTEL_BSP_SCHEDULE_DELAY'], '5000');
  });

  it('passes users and speed to the load generator', () => {
    const lg = buildPlan(opts, paths, {}).children.at(-1);
    assert.deepEqual(lg?.args, [
      ...LOADGEN_NODE_ARGS,
      '/d/shop/loadgen/main.js',
      '--users',
      '7',
      '--speed',
      '10',
    ]);
    assert.deepEqual(lg?.readyPorts, []);
  });

  it('leaves out the backend and the load generator when asked', () => {
    const plan = buildPlan({ ...opts, backend: false, load: false }, paths, {});
    assert.deepEqual(
      plan.children.map((c) => c.name),
      SHOP_SERVICES.map((s) => s.name),
    );
  });

  it('lists entry scripts that are not built', () => {
    const plan = buildPlan(opts, paths, {});
    const missing = missingEntries(plan, (f) => !f.includes('/cart/'));
    assert.deepEqual(missing, ['/d/shop/services/cart/main.js']);
  });
});

describe('parseStartArgs', () => {
  const parse = (argv: string[], env: NodeJS.ProcessEnv = {}, built = true) => {
    const r = parseStartArgs(argv, env, built);
    if (r.help) throw new Error('unexpected help');
    return r;
  };

  it('defaults to backend, load, 5 users, speed 1, quiet output', () => {
    const { options } = parse([], { OTEL_LAB_HOME: '/h' });
    assert.deepEqual(options, {
      backend: true,
      otlpEndpoint: 'http://127.0.0.1:4318',
      ports: { http: 8080, otlpHttp: 4318, otlpGrpc: 4317 },
      load: true,
      users: 5,
      speed: 1,
      flagsFile: '/h/flags.json',
      verbose: false,
    });
  });

  it('takes --verbose and -v', () => {
    assert.equal(parse(['--verbose']).options.verbose, true);
    assert.equal(parse(['-v']).options.verbose, true);
  });

  it('moves the backend with --http-port, --otlp-http-port, --otlp-grpc-port', () => {
    const args = ['--http-port', '9080', '--otlp-http-port', '9318', '--otlp-grpc-port', '9317'];
    const { options } = parse(args);
    assert.deepEqual(options.ports, { http: 9080, otlpHttp: 9318, otlpGrpc: 9317 });
    assert.equal(options.otlpEndpoint, 'http://127.0.0.1:9318');
    const grpc = parse(args, { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' });
    assert.equal(grpc.options.otlpEndpoint, 'http://127.0.0.1:9317');
  });

  it('takes --no-load, --users and --speed', () => {
    const { options } = parse(['--no-load', '--users', '20', '--speed', '2.5']);
    assert.equal(options.load, false);
    assert.equal(options.users, 20);
    assert.equal(options.speed, 2.5);
  });

  it('sends to --otlp-endpoint without starting the backend', () => {
    const { options } = parse(['--otlp-endpoint', 'http://collector:4318']);
    assert.equal(options.backend, false);
    assert.equal(options.otlpEndpoint, 'http://collector:4318');
  });

  it('with --no-backend uses OTEL_EXPORTER_OTLP_ENDPOINT', () => {
    const { options } = parse(['--no-backend'], { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://x:1' });
    assert.equal(options.backend, false);
    assert.equal(options.otlpEndpoint, 'http://x:1');
  });

  it('falls back to an external endpoint, with a note, when serve is not built', () => {
    const r = parse([], {}, false);
    assert.equal(r.options.backend, false);
    assert.equal(r.notes.length, 1);
  });

  it("passes --memory-limit to the backend's serve", () => {
    const { options } = parse(['--memory-limit', '256MB']);
    assert.equal(options.backendMemoryLimit, '256MB');
    const plan = buildPlan(options, paths, {});
    const args = plan.children.find((c) => c.name === 'backend')?.args ?? [];
    assert.deepEqual(args.slice(args.indexOf('--memory-limit')), ['--memory-limit', '256MB']);
    const dflt = buildPlan(parse([]).options, paths, {});
    const dfltArgs = dflt.children.find((c) => c.name === 'backend')?.args ?? [];
    assert.deepEqual(dfltArgs.slice(dfltArgs.indexOf('--memory-limit')), [
      '--memory-limit',
      LAB_BACKEND_MEMORY_LIMIT,
    ]);
    assert.equal(LAB_BACKEND_MEMORY_LIMIT, '256MB');
  });

  it('answers --help, which documents --verbose and what is shown without it', () => {
    assert.deepEqual(parseStartArgs(['--help'], {}, true), { help: true });
    assert.match(startUsage, /-v, --verbose +show every line/);
    assert.match(startUsage, /INFO \(and DEBUG\) lines on stdout are left\s+out/);
    assert.match(startUsage, /everything on stderr/);
  });

  const bad: Array<[string[], RegExp]> = [
    [['--users', '0'], /--users "0" must be a whole number from 1 to 1000/],
    [['--users', '2.5'], /--users/],
    [['--users', ''], /--users/],
    [['--speed', '0'], /--speed "0" must be a number above 0/],
    [['--speed', 'fast'], /--speed/],
    [['--otlp-endpoint', 'nope'], /is not a URL/],
    [['--http-port', '70000'], /--http-port "70000" must be a port number/],
    [['--otlp-grpc-port', 'x'], /--otlp-grpc-port/],
    [['--otlp-endpoint', 'ftp://x'], /http:\/\/ or https:\/\//],
    [['--memory-limit', 'lots'], /--memory-limit "lots" must be a size like 256MB/],
    [['--memory-limit', '256MB; DROP'], /--memory-limit/],
    [['--bogus'], /Unknown option '--bogus'/],
    [['extra'], /positional/],
  ];
  for (const [argv, re] of bad) {
    it(`rejects ${argv.join(' ')}`, () => {
      assert.throws(
        () => parseStartArgs(argv, {}, true),
        (e: unknown) => e instanceof UsageError && re.test(e.message),
      );
    });
  }
});
