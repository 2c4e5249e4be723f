// Runs the lab's processes: spawns each child in its own process group,
// waits for its ports, prefixes its output, restarts it with backoff when it
// dies, and on stop kills every group so that nothing outlives the lab.

import { spawn, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import { EXIT_CONFIG } from './io';
import { groupAlive } from './proc';
import { outputFilter } from './supervisor-output';
import {
  DEFAULT_BACKOFF,
  describeExit,
  initialState,
  onExit,
  onReady,
  onRestart,
  onSpawned,
  onStopping,
  statusLine,
  type BackoffPolicy,
  type ChildState,
} from './supervisor-state';

export interface ChildSpec {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  /** Loopback ports that accept connections once the child is up; none: up when spawned. */
  readonly readyPorts: readonly number[];
  /** Children that must be up before this one starts (earlier in the list). */
  readonly after?: readonly string[];
  /** Stopped after the others (the backend, so the shop's last telemetry lands). */
  readonly stopLast?: boolean;
}

export interface SupervisorOptions {
  /** Where prefixed child output and supervisor messages go, one line per call. */
  readonly print: (line: string) => void;
  readonly policy?: BackoffPolicy;
  readonly readyTimeoutMs?: number;
  readonly stopGraceMs?: number;
  readonly color?: boolean;
  /**
   * Show every line the children print. Otherwise stdout lines at INFO and
   * below are left out (supervisor-output.ts); stderr is always shown.
   */
  readonly verbose?: boolean;
}

interface Child {
  readonly spec: ChildSpec;
  state: ChildState;
  proc: ChildProcess | undefined;
  exited: Promise<void> | undefined;
  restartTimer: NodeJS.Timeout | undefined;
  /** Group of the latest spawn; kept after the leader exits to clear stragglers. */
  pgid: number | undefined;
}

const COLORS = [36, 32, 33, 35, 34, 91, 92, 93, 94, 95, 96, 31];

export class Supervisor {
  private readonly children: Child[];
  private stopping = false;
  private readonly width: number;
  private readonly killAllOnExit = (): void => this.killGroups('SIGKILL');

  constructor(
    specs: readonly ChildSpec[],
    private readonly opts: SupervisorOptions,
  ) {
    this.children = specs.map((spec) => ({
      spec,
      state: initialState(spec.name),
      proc: undefined,
      exited: undefined,
      restartTimer: undefined,
      pgid: undefined,
    }));
    this.width = Math.max(0, ...specs.map((s) => s.name.length));
  }

  states(): ChildState[] {
    return this.children.map((c) => c.state);
  }

  /** Process ids of the live children (each one leads its own process group). */
  pids(): number[] {
    return this.children.flatMap((c) => (c.state.pid === undefined ? [] : [c.state.pid]));
  }

  /**
   * Starts every child as soon as the children it names in `after` are up
   * (or have had their time), so independent services come up side by side.
   * Fails before spawning anything if a port is taken.
   */
  async start(): Promise<void> {
    const busy = await busyPorts(this.children.flatMap((c) => c.spec.readyPorts));
    if (busy.length > 0) {
      throw new Error(
        `port ${busy.join(', ')} already in use (another otel-lab running?); ` +
          'stop it, or move the lab with the *_PORT environment variables',
      );
    }
    process.on('exit', this.killAllOnExit);
    const settled = new Map<string, Promise<void>>();
    for (const child of this.children) {
      // `after` names earlier children only, so every promise awaited here exists.
      const deps = (child.spec.after ?? []).flatMap((n) => settled.get(n) ?? []);
      settled.set(
        child.spec.name,
        Promise.all(deps).then(() => this.startOne(child)),
      );
    }
    await Promise.all(settled.values());
  }

  private async startOne(child: Child): Promise<void> {
    if (this.stopping) return;
    const t0 = Date.now();
    const ready = this.spawnChild(child);
    const outcome = await withTimeout(ready, this.opts.readyTimeoutMs ?? 30_000);
    if (this.stopping) return;
    const name = child.spec.name.padEnd(this.width);
    const ports = child.spec.readyPorts.map((p) => `:${p}`).join(' ');
    if (outcome === 'ready') {
      const secs = ((Date.now() - t0) / 1000).toFixed(1);
      this.print(`  ✓ ${name} ${ports.padEnd(12)} up in ${secs} s`);
    } else if (outcome === 'exited') {
      this.print(`  ✗ ${name} died while starting; restarting it`);
    } else {
      this.print(`  … ${name} ${ports} not open yet; going on`);
      void ready.then((late) => {
        if (late === 'ready' && !this.stopping) this.print(`  ✓ ${child.spec.name} up (late)`);
      });
    }
  }

  /** Stops everything: SIGTERM to each group, SIGKILL after the grace period. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    for (const c of this.children) {
      if (c.restartTimer !== undefined) clearTimeout(c.restartTimer);
      c.state = onStopping(c.state);
    }
    const waves = [
      this.children.filter((c) => c.spec.stopLast !== true).reverse(),
      this.children.filter((c) => c.spec.stopLast === true),
    ];
    for (const wave of waves) await this.stopWave(wave);
    process.removeListener('exit', this.killAllOnExit);
  }

  /** Sends a signal to every live group now; for a second Ctrl-C. */
  killGroups(signal: NodeJS.Signals): void {
    for (const c of this.children) {
      killGroup(c.pgid, signal);
    }
  }

  private async stopWave(wave: readonly Child[]): Promise<void> {
    const live = wave.filter((c) => c.proc !== undefined && c.exited !== undefined);
    for (const c of live) killGroup(c.proc?.pid, 'SIGTERM');
    const all = Promise.all(live.map((c) => c.exited));
    if ((await withTimeout(all, this.opts.stopGraceMs ?? 5000)) === 'timeout') {
      for (const c of live) if (c.proc !== undefined) killGroup(c.proc.pid, 'SIGKILL');
      await all;
    }
    // Grandchildren may outlive their group leader: clear each group for good,
    // and wait until the kernel has taken them, so "stopped" means gone.
    for (const c of live) killGroup(c.pgid, 'SIGKILL');
    const end = Date.now() + 2000;
    while (live.some((c) => c.pgid !== undefined && groupAlive(c.pgid)) && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  private spawnChild(child: Child): Promise<'ready' | 'exited'> {
    const { spec } = child;
    const proc = spawn(spec.command, [...spec.args], {
      env: spec.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.proc = proc;
    let settleExit: () => void = () => undefined;
    child.exited = new Promise((resolve) => {
      settleExit = resolve;
    });
    const color = COLORS[this.children.indexOf(child) % COLORS.length] ?? 0;
    const prefix =
      this.opts.color === true
        ? `\x1b[${color}m${spec.name.padEnd(this.width)}\x1b[0m | `
        : `${spec.name.padEnd(this.width)} | `;
    const shown = outputFilter(this.opts.verbose === true);
    if (proc.stdout !== null) {
      pipeLines(proc.stdout, (line) => {
        if (shown(line, 'stdout')) this.print(prefix + line);
      });
    }
    if (proc.stderr !== null) {
      pipeLines(proc.stderr, (line) => {
        if (shown(line, 'stderr')) this.print(prefix + line);
      });
    }

    if (proc.pid === undefined) {
      // spawn failed (e.g. ENOENT): 'error' follows and is handled as an exit.
      child.state = { ...child.state, phase: 'starting' };
    } else {
      child.state = onSpawned(child.state, proc.pid, Date.now());
      child.pgid = proc.pid;
    }
    let exitedEarly = false;
    const onGone = (code: number | null, signal: string | null): void => {
      exitedEarly = true;
      // What a dead service left in its process group (workers, helpers) goes
      // with it, so a restart does not leave orphans behind.
      if (!this.stopping) killGroup(child.pgid, 'SIGKILL');
      this.handleExit(child, { code, signal });
      settleExit();
    };
    proc.once('exit', onGone);
    proc.once('error', (err) => {
      this.print(`${prefix}cannot start: ${err.message}`);
      if (proc.pid === undefined) onGone(null, null);
    });

    return waitForPorts(spec.readyPorts, () => exitedEarly).then((ok) => {
      if (!ok) return 'exited';
      child.state = onReady(child.state);
      return 'ready';
    });
  }

  private handleExit(child: Child, exit: { code: number | null; signal: string | null }): void {
    const { state, decision } = onExit(
      child.state,
      exit,
      Date.now(),
      this.stopping,
      this.opts.policy ?? DEFAULT_BACKOFF,
    );
    child.state = state;
    if (decision.kind === 'give-up' && exit.code === EXIT_CONFIG) {
      this.print(
        `! ${child.spec.name} ${describeExit(exit)} (cannot run as configured): ` +
          'leaving it down (its output above says why; fix it and restart the lab)',
      );
      this.print(`status: ${statusLine(this.states())}`);
      return;
    }
    if (decision.kind === 'give-up') {
      this.print(
        `! ${child.spec.name} ${describeExit(exit)} again: ${state.streak} quick deaths in a row, ` +
          'leaving it down (its output above says why; fix it and restart the lab)',
      );
      this.print(`status: ${statusLine(this.states())}`);
      return;
    }
    if (decision.kind !== 'restart') return;
    this.print(
      `! ${child.spec.name} ${describeExit(exit)}; restart #${state.restarts + 1} in ${(decision.delayMs / 1000).toFixed(1)} s`,
    );
    child.restartTimer = setTimeout(() => {
      child.restartTimer = undefined;
      if (this.stopping) return;
      child.state = onRestart(child.state);
      void this.spawnChild(child).then((outcome) => {
        if (outcome === 'ready' && !this.stopping) {
          this.print(`↻ ${child.spec.name} up again | ${statusLine(this.states())}`);
        }
      });
    }, decision.delayMs);
  }

  private print(line: string): void {
    this.opts.print(line);
  }
}

function killGroup(pgid: number | undefined, signal: NodeJS.Signals): void {
  if (pgid === undefined) return;
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

function pipeLines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let partial = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    // A child that never ends a line must not grow this buffer forever.
    if (partial.length > 64 * 1024) {
      lines.push(partial);
      partial = '';
    }
    for (const line of lines) onLine(line.replace(/\r$/, ''));
  });
  stream.on('end', () => {
    if (partial !== '') onLine(partial);
  });
}

async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export const READY_POLL_MS = 20;

/** Polls until every port accepts a connection; false if `gone()` turns true first. */
export async function waitForPorts(
  ports: readonly number[],
  gone: () => boolean,
): Promise<boolean> {
  for (const port of ports) {
    while (!(await canConnect(port))) {
      if (gone()) return false;
      // A refused loopback connect costs microseconds; polling often takes
      // up to a tenth of a second off each start.
      await new Promise((r) => setTimeout(r, READY_POLL_MS));
    }
  }
  return !gone();
}

export function canConnect(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.setTimeout(1000);
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

async function busyPorts(ports: readonly number[]): Promise<number[]> {
  const results = await Promise.all(ports.map(async (p) => ((await canConnect(p)) ? [p] : [])));
  return results.flat();
}
