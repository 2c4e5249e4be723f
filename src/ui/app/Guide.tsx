// The scenario of the OpenTelemetry Demo's memory-leak guide as one line of
// links, so a newcomer can walk it: flag on, watch, find slow traces, confirm.
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { Link } from './router';

const KEY = 'otel-lab-guide-hidden';

export function ScenarioGuide(): JSX.Element | null {
  const [hidden, setHidden] = useState(() => localStorage.getItem(KEY) === '1');
  if (hidden) return null;
  return (
    <aside class="guide" aria-label="Scenario guide">
      <strong>Memory-leak scenario:</strong>
      <ol>
        <li>
          <Link href="/flags">turn on recommendationServiceCacheFailure</Link>
        </li>
        <li>
          <Link href="/?service=recommendation&range=15m&refresh=10">
            watch latency, CPU and memory climb
          </Link>
        </li>
        <li>
          <Link href="/traces?service=recommendation&operation=get_product_list&sort=longest&range=15m">
            open the slowest traces
          </Link>
        </li>
        <li>
          <Link href="/compare?range=15m">compare cache hits with misses</Link>
        </li>
      </ol>
      <button
        type="button"
        class="link-button"
        aria-label="Hide the scenario guide"
        onClick={() => {
          localStorage.setItem(KEY, '1');
          setHidden(true);
        }}
      >
        ✕
      </button>
    </aside>
  );
}
