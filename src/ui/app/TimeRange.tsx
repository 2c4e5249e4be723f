// The time-range control shared by the pages: presets or a custom window,
// both kept in the URL (`range=15m`, or `from`/`to` in epoch ms).
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { setParams } from './router';
import { resolveRange, toLocalInput, type RangeResult } from '../lib/timerange';

const PRESETS = ['5m', '15m', '1h'];

export function TimeRangePicker(props: {
  params: URLSearchParams;
  resolved: RangeResult;
  prefix?: string;
}): JSX.Element {
  // Read back from the resolved range, not the URL: each page has its own
  // default (Logs and Traces 1h, Dashboard 15m), and the pressed button must
  // be the window the page queries. A bad range presses none.
  const isCustom = props.params.has('from') || props.params.has('to');
  const current = props.resolved.ok ? props.resolved.range.label : null;
  const [open, setOpen] = useState(isCustom);
  const r = props.resolved.ok ? props.resolved.range : null;
  const [from, setFrom] = useState(toLocalInput((r?.start ?? Date.now() / 1000 - 900) * 1000));
  const [to, setTo] = useState(toLocalInput((r?.end ?? Date.now() / 1000) * 1000));
  const applyCustom = (e: Event): void => {
    e.preventDefault();
    const a = new Date(from).getTime();
    const b = new Date(to).getTime();
    setParams({
      from: Number.isFinite(a) ? String(a) : 'invalid',
      to: Number.isFinite(b) ? String(b) : 'invalid',
      range: null,
    });
  };
  return (
    <div class="timerange" role="group" aria-label="Time range">
      {PRESETS.map((p) => (
        <button
          type="button"
          key={p}
          class="seg"
          aria-pressed={!isCustom && current === p}
          onClick={() => {
            setOpen(false);
            setParams({ range: p, from: null, to: null });
          }}
        >
          Last {p}
        </button>
      ))}
      <button
        type="button"
        class="seg"
        aria-pressed={isCustom}
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        Custom…
      </button>
      {open ? (
        <form class="custom-range" onSubmit={applyCustom}>
          <input
            type="datetime-local"
            aria-label="From"
            value={from}
            onInput={(e) => setFrom((e.target as HTMLInputElement).value)}
          />
          <span aria-hidden="true">→</span>
          <input
            type="datetime-local"
            aria-label="To"
            value={to}
            onInput={(e) => setTo((e.target as HTMLInputElement).value)}
          />
          <button type="submit">Apply</button>
        </form>
      ) : null}
    </div>
  );
}

export { resolveRange };
