// Parts of a dashboard panel: the PromQL editor (edits live in the URL) and
// the exemplar traces of a clicked moment.
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { qs, request } from '../api';
import { dataOf, useAsync } from '../hooks';
import { Link, setParams } from '../router';
import { AsyncStatus } from '../ui';
import { formatClock, formatMillis } from '../../lib/duration';
import { exemplarPoints, type ExemplarsResponse } from '../../lib/prom';
import { promqlString } from '../../lib/promql';
import type { PanelDef } from './panels';

export function QueryEditor(props: { def: PanelDef; exprs: string[] }): JSX.Element {
  const { def, exprs } = props;
  const [drafts, setDrafts] = useState(exprs);
  const apply = (e: Event): void => {
    e.preventDefault();
    const changes: Record<string, string | null> = {};
    drafts.forEach((d, i) => {
      changes[`q.${def.id}.${i}`] = d === def.queries[i]?.expr ? null : d;
    });
    setParams(changes);
  };
  const reset = (): void => {
    setDrafts(def.queries.map((q) => q.expr));
    const changes: Record<string, null> = {};
    def.queries.forEach((_, i) => (changes[`q.${def.id}.${i}`] = null));
    setParams(changes);
  };
  const edited = exprs.some((x, i) => x !== def.queries[i]?.expr);
  return (
    <details class="promql">
      <summary>
        PromQL{edited ? ' (edited)' : ''}: <code>{exprs[0]}</code>
        {exprs.length > 1 ? ` +${exprs.length - 1}` : ''}
      </summary>
      <form onSubmit={apply}>
        {drafts.map((d, i) => (
          <label key={i} class="promql-row">
            <span class="field-label">{def.queries[i]?.legend ?? `query ${i + 1}`}</span>
            <textarea
              rows={2}
              spellcheck={false}
              value={d}
              onInput={(e) => {
                const next = [...drafts];
                next[i] = (e.target as HTMLTextAreaElement).value;
                setDrafts(next);
              }}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) apply(e);
              }}
            />
          </label>
        ))}
        <div class="row-buttons">
          <button type="submit">Run (Ctrl+Enter)</button>
          <button type="button" onClick={reset} disabled={!edited}>
            Reset
          </button>
          <span class="hint">
            <code>$service</code> and <code>$__rate_interval</code> are substituted.
          </span>
        </div>
      </form>
    </details>
  );
}

export function Exemplars(props: {
  service: string;
  time: number;
  step: number;
  /** Half-width of the window in seconds; default a few steps around `time`. */
  halfWindow?: number;
  onClose: () => void;
}): JSX.Element {
  const { service, time, step } = props;
  const half = Math.round(props.halfWindow ?? Math.max(step * 2, 30));
  const start = time - half;
  const end = time + half;
  const query = `traces_span_metrics_duration_milliseconds_bucket{service_name="${promqlString(service)}"}`;
  const ex = useAsync(
    (signal) =>
      request<ExemplarsResponse>(
        `/prometheus/api/v1/query_exemplars${qs({ query, start: start.toFixed(3), end: end.toFixed(3) })}`,
        { signal },
      ),
    [query, start, end],
  );
  const items = exemplarPoints(dataOf(ex), 20);
  const searchHref = `/traces${qs({ service, from: Math.round(start * 1000), to: Math.round(end * 1000), sort: 'longest' })}`;
  return (
    <div class="exemplars" role="region" aria-label="Exemplar traces">
      <div class="exemplars-head">
        <strong>
          Traces around {formatClock(time * 1e6)} (±{half}s)
        </strong>
        <Link href={searchHref}>Search traces in this window →</Link>
        <button
          type="button"
          class="link-button"
          onClick={props.onClose}
          aria-label="Close exemplars"
        >
          ✕
        </button>
      </div>
      <AsyncStatus a={ex} what="exemplars" onRetry={ex.reload} />
      {ex.state === 'ok' && items.length === 0 ? (
        <p class="hint">No exemplars in this window; use the trace search instead.</p>
      ) : null}
      <ul class="exemplar-list">
        {items.map((e) => (
          <li key={e.traceID + e.time}>
            <Link href={`/trace/${e.traceID}`}>
              <code>{e.traceID.slice(0, 16)}</code>
            </Link>{' '}
            <span class="num">{formatMillis(e.value)}</span>{' '}
            <span class="muted">at {formatClock(e.time * 1e6)}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
