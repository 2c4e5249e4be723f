// A child of `otel-lab start` leaves when its supervisor is gone, even if the
// supervisor was killed too hard to stop it (SIGKILL): it notices its parent
// changed (reparented to init or a subreaper) and runs `onGone`.

export const SUPERVISOR_PID_ENV = 'OTEL_LAB_SUPERVISOR_PID';

/** Starts watching when the env names a supervisor; returns a stop function. */
export function watchSupervisor(
  onGone: () => void,
  env: NodeJS.ProcessEnv = process.env,
  getPpid: () => number = () => process.ppid,
  intervalMs = 1000,
): () => void {
  const expected = Number(env[SUPERVISOR_PID_ENV]);
  if (!Number.isInteger(expected) || expected <= 0) return () => undefined;
  const timer = setInterval(() => {
    if (getPpid() !== expected) {
      clearInterval(timer);
      onGone();
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
