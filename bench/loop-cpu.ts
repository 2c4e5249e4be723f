// Event-loop delay that a shared machine's preemption does not inflate. A
// timer's lateness (wall time) counts the time the OS gave the core to other
// processes too; on 2 cores shared by several benchmarks that noise hides the
// loop's own turns. Here each tick also reads the main thread's CPU time
// (/proc/thread-self/schedstat, nanoseconds), and a tick's delay is taken as
// the smaller of its lateness and the main thread's CPU since the previous
// tick: a turn of C ms of work makes the next tick at least C ms late and
// costs C ms of CPU, while time preempted costs no CPU. Linux only. The
// kernel updates a running thread's schedstat at scheduler ticks and context
// switches, not when it is read, so one value is off by up to a tick (1-4
// ms); percentiles over thousands of ticks are what to compare, A against B
// in the same minutes. (Node 20 has no per-thread CPU clock to read instead.)

import { closeSync, openSync, readSync } from 'node:fs';

/** Reads the calling thread's CPU time; `undefined` where /proc has no schedstat. */
export function threadCpuClock(): { readonly ms: () => number; close(): void } | undefined {
  let fd: number;
  try {
    fd = openSync('/proc/thread-self/schedstat', 'r');
  } catch {
    return undefined;
  }
  const buf = Buffer.alloc(80);
  return {
    ms: () => {
      const n = readSync(fd, buf, 0, buf.length, 0);
      const text = buf.toString('latin1', 0, n);
      return Number(text.slice(0, text.indexOf(' '))) / 1e6;
    },
    close: () => closeSync(fd),
  };
}

export interface LoopCpuMeter {
  /** Delays (ms) recorded since the last reset. */
  readonly delays: () => number[];
  reset(): void;
  stop(): void;
}

/** Ticks every `intervalMs` on the calling (main) thread; see the file comment. */
export function meterLoopCpu(intervalMs: number): LoopCpuMeter | undefined {
  const clock = threadCpuClock();
  if (clock === undefined) return undefined;
  let delays: number[] = [];
  let lastWall = performance.now();
  let lastCpu = clock.ms();
  const timer = setInterval(() => {
    const wall = performance.now();
    const cpu = clock.ms();
    const late = Math.max(0, wall - lastWall - intervalMs);
    delays.push(Math.min(late, cpu - lastCpu));
    lastWall = wall;
    lastCpu = cpu;
  }, intervalMs);
  timer.unref();
  return {
    delays: () => delays,
    reset: () => {
      delays = [];
    },
    stop: () => {
      clearInterval(timer);
      clock.close();
    },
  };
}
