// Runs shop services as real processes from the compiled dist/ (after
// `npm run build`), each on a free loopback port, for the end-to-end tests:
// the way `otel-lab start` runs them, minus the supervisor.

import { spawn, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';
import { SHOP_SERVICES } from './registry';

/** Compiled `dist/src/shop/` (this module lives there once built). */
export const SHOP_DIST = __dirname;

export interface ShopProcesses {
  /** The env every service got: ports, addresses and the caller's extra variables. */
  readonly env: NodeJS.ProcessEnv;
  port(service: string): number;
  /** Everything a service printed so far (for failure messages). */
  output(service: string): string;
  /** SIGTERM to every service, SIGKILL to any still there after 3 s; resolves when all are gone. */
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

/**
 * `n` ports free right now and distinct from each other: each is held open
 * until all are found (one at a time, the OS may hand the same port out
 * twice, and grpc-js servers bind with SO_REUSEPORT, so two services would
 * share it silently).
 */
export async function freePorts(n: number): Promise<number[]> {
  const servers: net.Server[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const srv = net.createServer();
      servers.push(srv);
      await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    }
    return servers.map((srv) => (srv.address() as net.AddressInfo).port);
  } finally {
    await Promise.all(servers.map((srv) => new Promise((r) => srv.close(r))));
  }
}

export function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

/** Polls `probe` every 100 ms until it gives a value; throws naming `what` after `ms`. */
export async function until<T>(
  what: string | (() => string),
  ms: number,
  probe: () => Promise<T | undefined> | T | undefined,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) {
      throw new Error(
        `timed out after ${ms} ms waiting for ${typeof what === 'string' ? what : what()}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Stops `child` with SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. */
export function stopChild(child: ChildProcess, graceMs = 3000): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => (clearTimeout(timer), resolve()));
    child.kill('SIGTERM');
  });
}

/**
 * Starts `services` (default: all ten) with the registry's node flags and
 * resolves once each one accepts connections (at most `readyMs`). Services
 * left out still get a port in the env, so callers see a refused connection.
 * Everything started is stopped again if one does not come up.
 */
export async function startShopProcesses(
  extraEnv: NodeJS.ProcessEnv,
  services: readonly string[] = SHOP_SERVICES.map((s) => s.name),
  readyMs = 60_000,
): Promise<ShopProcesses> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extraEnv };
  const ports = new Map<string, number>();
  const free = await freePorts(SHOP_SERVICES.length);
  for (const [i, s] of SHOP_SERVICES.entries()) {
    const port = free[i]!;
    ports.set(s.name, port);
    env[s.portEnv] = String(port);
    env[s.addrEnv] = `127.0.0.1:${port}`;
  }
  const children: ChildProcess[] = [];
  const byName = new Map<string, ChildProcess>();
  const output = new Map<string, string>();
  for (const s of SHOP_SERVICES.filter((x) => services.includes(x.name))) {
    const child = spawn(process.execPath, [...s.nodeArgs, path.join(SHOP_DIST, s.entry)], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    output.set(s.name, '');
    // The tail is enough to say why a service failed; the rest is dropped.
    const keep = (d: Buffer) =>
      output.set(s.name, ((output.get(s.name) ?? '') + d.toString()).slice(-16_384));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    children.push(child);
    byName.set(s.name, child);
  }
  const shop: ShopProcesses = {
    env,
    port: (name) => {
      const p = ports.get(name);
      if (p === undefined) throw new Error(`unknown shop service '${name}'`);
      return p;
    },
    output: (name) => output.get(name) ?? '',
    stop: async () => {
      await Promise.all(children.map((c) => stopChild(c)));
    },
  };
  try {
    for (const name of output.keys()) {
      const port = shop.port(name);
      // Its own "listening" line, not just an open port: a free port picked
      // here can be taken by another process before the service binds it.
      const own = new RegExp(`listening on (?:http://)?127\\.0\\.0\\.1:${port}\\b`);
      await until(
        () => `${name} on port ${port}\n${shop.output(name)}`,
        readyMs,
        async () => {
          const child = byName.get(name);
          if (child && (child.exitCode !== null || child.signalCode !== null)) {
            throw new Error(
              `${name} exited (${child.exitCode ?? child.signalCode}) before listening on ${port}:\n${shop.output(name)}`,
            );
          }
          return own.test(shop.output(name)) && (await listening(port)) ? true : undefined;
        },
      );
    }
  } catch (err) {
    await shop.stop();
    throw err;
  }
  return shop;
}
