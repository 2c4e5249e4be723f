// Loading server data: one hook that tracks progress, cancels stale requests
// when inputs change, and keeps the last error for the page to show.
import { useEffect, useRef, useState } from 'preact/hooks';
import { errorText } from './api';

export type Async<T> =
  | { state: 'idle' }
  | { state: 'loading'; previous?: T }
  | { state: 'ok'; data: T }
  | { state: 'error'; error: string; previous?: T };

export function useAsync<T>(
  fn: ((signal: AbortSignal) => Promise<T>) | null,
  deps: unknown[],
): Async<T> & { reload: () => void } {
  const [result, setResult] = useState<Async<T>>(fn ? { state: 'loading' } : { state: 'idle' });
  const [tick, setTick] = useState(0);
  const last = useRef<T | undefined>(undefined);
  useEffect(() => {
    if (!fn) {
      setResult({ state: 'idle' });
      return undefined;
    }
    const ctrl = new AbortController();
    setResult({ state: 'loading', previous: last.current });
    fn(ctrl.signal).then(
      (data) => {
        if (ctrl.signal.aborted) return;
        last.current = data;
        setResult({ state: 'ok', data });
      },
      (e: unknown) => {
        if (ctrl.signal.aborted) return;
        setResult({ state: 'error', error: errorText(e), previous: last.current });
      },
    );
    return () => ctrl.abort();
  }, [...deps, tick]);
  return { ...result, reload: () => setTick((t) => t + 1) };
}

export function dataOf<T>(a: Async<T>): T | undefined {
  if (a.state === 'ok') return a.data;
  if (a.state === 'loading' || a.state === 'error') return a.previous;
  return undefined;
}

/** Re-runs `cb` every `ms` milliseconds while `ms` > 0 and the tab is visible. */
export function useInterval(cb: () => void, ms: number): void {
  const saved = useRef(cb);
  saved.current = cb;
  useEffect(() => {
    if (ms <= 0) return undefined;
    const id = window.setInterval(() => {
      if (document.visibilityState === 'visible') saved.current();
    }, ms);
    return () => window.clearInterval(id);
  }, [ms]);
}
