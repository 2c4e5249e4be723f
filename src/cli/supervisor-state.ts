// The supervisor's decisions as pure functions: what state a child is in,
// when to restart it, what to print. The process plumbing is in supervisor.ts.

import { EXIT_CONFIG } from './io';

export interface BackoffPolicy {
  /** Delay before the first restart of a failing streak. */
  readonly initialMs: number;
  readonly factor: number;
  readonly maxMs: number;
  /** A child that ran this long before dying starts a new streak. */
  readonly stableMs: number;
  /** Quick deaths in a row after which the child is left down (a crash loop helps nobody). */
  readonly maxStreak: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = {
  initialMs: 500,
  factor: 2,
  maxMs: 30_000,
  stableMs: 60_000,
  // 0.5+1+2+4+8+16+30+30+30+30 s: about two and a half minutes of trying.
  maxStreak: 10,
};

export type Phase = 'pending' | 'starting' | 'up' | 'backoff' | 'stopping' | 'stopped' | 'failed';

export interface ChildState {
  readonly name: string;
  readonly phase: Phase;
  readonly pid: number | undefined;
  /** Restarts since the lab started. */
  readonly restarts: number;
  /** Deaths in a row without a stable run in between. */
  readonly streak: number;
  readonly startedAt: number | undefined;
  readonly lastExit: ExitInfo | undefined;
}

export interface ExitInfo {
  readonly code: number | null;
  readonly signal: string | null;
}

export type ExitDecision =
  | { readonly kind: 'restart'; readonly delayMs: number }
  | { readonly kind: 'stay-stopped' }
  | { readonly kind: 'give-up' };

export function initialState(name: string): ChildState {
  return {
    name,
    phase: 'pending',
    pid: undefined,
    restarts: 0,
    streak: 0,
    startedAt: undefined,
    lastExit: undefined,
  };
}

/** Delay before restart number `streak` of a streak (1-based): exponential, capped. */
export function backoffDelay(streak: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  if (streak < 1) return 0;
  const raw = policy.initialMs * policy.factor ** (streak - 1);
  return Math.min(policy.maxMs, raw);
}

export function onSpawned(s: ChildState, pid: number, now: number): ChildState {
  return { ...s, phase: 'starting', pid, startedAt: now };
}

export function onReady(s: ChildState): ChildState {
  return s.phase === 'starting' ? { ...s, phase: 'up' } : s;
}

/**
 * A child exited. While the lab is stopping it stays down; otherwise it is
 * restarted after a backoff that grows with the streak of quick deaths, and
 * left down once the streak passes `maxStreak`, or at once on EXIT_CONFIG (78).
 */
export function onExit(
  s: ChildState,
  exit: ExitInfo,
  now: number,
  stopping: boolean,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
): { state: ChildState; decision: ExitDecision } {
  if (stopping || s.phase === 'stopping') {
    return {
      state: { ...s, phase: 'stopped', pid: undefined, lastExit: exit },
      decision: { kind: 'stay-stopped' },
    };
  }
  // The child says it cannot run as configured (serve when its store cannot
  // open): restarting would fail the same way.
  if (exit.code === EXIT_CONFIG) {
    return {
      state: { ...s, phase: 'failed', pid: undefined, streak: s.streak + 1, lastExit: exit },
      decision: { kind: 'give-up' },
    };
  }
  const ranFor = s.startedAt === undefined ? 0 : now - s.startedAt;
  const streak = ranFor >= policy.stableMs ? 1 : s.streak + 1;
  if (streak > policy.maxStreak) {
    return {
      state: { ...s, phase: 'failed', pid: undefined, streak, lastExit: exit },
      decision: { kind: 'give-up' },
    };
  }
  return {
    state: { ...s, phase: 'backoff', pid: undefined, streak, lastExit: exit },
    decision: { kind: 'restart', delayMs: backoffDelay(streak, policy) },
  };
}

/** The backoff is over and the child is being spawned again. */
export function onRestart(s: ChildState): ChildState {
  return { ...s, restarts: s.restarts + 1, phase: 'pending' };
}

export function onStopping(s: ChildState): ChildState {
  return s.phase === 'stopped' || s.phase === 'failed' ? s : { ...s, phase: 'stopping' };
}

export function describeExit(exit: ExitInfo): string {
  if (exit.signal !== null) return `killed by ${exit.signal}`;
  return `exited with code ${exit.code ?? '?'}`;
}

/** One line for the terminal: how many are up, and who restarted how often. */
export function statusLine(states: readonly ChildState[]): string {
  const up = states.filter((s) => s.phase === 'up').length;
  const restarted = states
    .filter((s) => s.restarts > 0)
    .map((s) => `${s.name} ${s.restarts}`)
    .join(', ');
  const down = states
    .filter((s) => s.phase !== 'up')
    .map((s) => `${s.name} (${s.phase})`)
    .join(', ');
  return [
    `${up}/${states.length} up`,
    down === '' ? undefined : `not up: ${down}`,
    `restarts: ${restarted === '' ? 'none' : restarted}`,
  ]
    .filter((x) => x !== undefined)
    .join(' | ');
}
