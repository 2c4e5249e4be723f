// Feature flags (flagd JSON behind the lab API): list them and switch a
// variant; services pick the change up within seconds.
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { errorText, request } from '../api';
import { dataOf, useAsync } from '../hooks';
import { AsyncStatus, Empty, ErrorBox } from '../ui';

interface Flag {
  name: string;
  description?: string;
  variants: Record<string, unknown>;
  defaultVariant: string;
  state?: string;
}

/**
 * Variants in one order for every flag: the one that turns the fault off
 * first, then the others as the flag file lists them. (The file lists
 * "on, off" for most flags and "off, 1x, ..." for emailMemoryLeak.)
 */
function variantsOf(f: Flag): [string, unknown][] {
  const all = Object.entries(f.variants ?? {});
  return [...all.filter(([, v]) => !isFault(v)), ...all.filter(([, v]) => isFault(v))];
}

/** false, 0, "" and null switch a fault off; anything else switches it on. */
function isFault(value: unknown): boolean {
  return !(value === false || value === 0 || value === '' || value === null);
}

/** A variant's value as text, bounded: the flag file is editable by hand. */
function valueText(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return text.length > 24 ? `${text.slice(0, 23)}…` : text;
}

export function Flags(): JSX.Element {
  const flags = useAsync(
    (signal) => request<{ flags: Flag[] }>('/api/flags', { signal }).then((r) => r.flags ?? []),
    [],
  );
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  // The PUT answers with the flag as it now is: show that at once rather than
  // waiting for the list to reload.
  const [switched, setSwitched] = useState<Record<string, string>>({});
  const list = (dataOf(flags) ?? []).map((f) =>
    switched[f.name] ? { ...f, defaultVariant: switched[f.name] as string } : f,
  );

  const switchTo = async (flag: Flag, variant: string): Promise<void> => {
    setBusy(flag.name);
    setMessage(null);
    try {
      await request(`/api/flags/${encodeURIComponent(flag.name)}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ variant }),
      });
      setSwitched({ ...switched, [flag.name]: variant });
      setMessage({
        ok: true,
        text: `${flag.name} is now “${variant}”. Services pick it up within a few seconds.`,
      });
      flags.reload();
    } catch (e) {
      setMessage({
        ok: false,
        text: `Could not switch ${flag.name} to “${variant}”: ${errorText(e)}`,
      });
    } finally {
      setBusy(null);
    }
  };

  return (
    <section class="page">
      <div class="page-head">
        <h1>Feature flags</h1>
        <p class="muted">
          The demo's fault flags. Turn on <code>recommendationServiceCacheFailure</code> to start
          the memory leak.
        </p>
      </div>
      {message ? (
        message.ok ? (
          <div class="status ok" role="status">
            {message.text}
          </div>
        ) : (
          <ErrorBox title="Flag not changed" message={message.text} />
        )
      ) : null}
      <AsyncStatus a={flags} what="flags" onRetry={flags.reload} />
      {flags.state === 'ok' && list.length === 0 ? <Empty>No flags are defined.</Empty> : null}
      <ul class="flag-list">
        {list.map((f) => (
          <li
            key={f.name}
            class={f.name === 'recommendationServiceCacheFailure' ? 'flag featured' : 'flag'}
            data-flag={f.name}
          >
            <div class="flag-text">
              <h2>{f.name}</h2>
              {f.description ? <p>{f.description}</p> : null}
              {f.state && f.state !== 'ENABLED' ? <span class="badge">{f.state}</span> : null}
            </div>
            <div class="seg-group" role="radiogroup" aria-label={`${f.name} variant`}>
              {variantsOf(f).map(([v, value]) => (
                <button
                  type="button"
                  key={v}
                  role="radio"
                  class={`seg variant${v === f.defaultVariant && isFault(value) ? ' active-on' : ''}`}
                  aria-checked={v === f.defaultVariant}
                  disabled={busy === f.name}
                  onClick={() => (v === f.defaultVariant ? undefined : void switchTo(f, v))}
                >
                  <span class="variant-name">{v}</span>
                  <span class="variant-value">{valueText(value)}</span>
                </button>
              ))}
              {busy === f.name ? (
                <span class="spinner small" role="status" aria-label="Switching" />
              ) : null}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
