// Trace search: the form writes the URL, the URL drives the search, so a
// link reproduces it. Results are drawn as a scatter plot (brush to filter)
// and a virtualized list.
import type { JSX } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, qs, request } from '../api';
import { dataOf, useAsync } from '../hooks';
import { Link, navigate, setParams } from '../router';
import { Scatter } from '../Scatter';
import { TimeRangePicker, resolveRange } from '../TimeRange';
import { AsyncStatus, Empty, ErrorBox, Field } from '../ui';
import { VirtualList } from '../VirtualList';
import { formatClock, formatMicros } from '../../lib/duration';
import { summarizeTrace, type JaegerTrace, type TraceSummary } from '../../lib/jaeger';
import { parseLogfmt } from '../../lib/logfmt';
import {
  DEFAULT_LIMIT,
  MAX_LIMIT,
  SORTS,
  formatBrush,
  inBrush,
  parseBrush,
  queryFrom,
  sortSummaries,
  validateQuery,
  type SearchQuery,
} from '../../lib/search';
import { serviceColor } from '../../lib/waterfall';

export type { SearchQuery };
export { queryFrom };

export async function searchTraces(
  q: SearchQuery,
  startUs: number,
  endUs: number,
  signal: AbortSignal,
): Promise<TraceSummary[]> {
  const common = {
    service: q.service,
    operation: q.operation,
    minDuration: q.minDuration,
    maxDuration: q.maxDuration,
    start: startUs,
    end: endUs,
    limit: q.limit,
  };
  try {
    const r = await request<{ data: TraceSummary[] }>(
      `/api/trace-summaries${qs({ ...common, tags: q.tags, sort: q.sort })}`,
      { signal },
    );
    return r.data ?? [];
  } catch (e) {
    // A plain Jaeger backend has no summaries endpoint: summarize full traces here.
    if (!(e instanceof ApiError) || e.status !== 404) throw e;
  }
  const parsed = parseLogfmt(q.tags);
  const tags =
    parsed.ok && Object.keys(parsed.tags).length > 0 ? JSON.stringify(parsed.tags) : undefined;
  const r = await request<{ data: JaegerTrace[] }>(`/jaeger/api/traces${qs({ ...common, tags })}`, {
    signal,
  });
  return sortSummaries((r.data ?? []).map(summarizeTrace), q.sort);
}

export function ServiceOperationFields(props: {
  q: SearchQuery;
  set: (patch: Partial<SearchQuery>) => void;
  idPrefix?: string;
}): JSX.Element {
  const { q, set } = props;
  const services = useAsync(
    (signal) =>
      request<{ data: string[] | null }>('/jaeger/api/services', { signal }).then((r) =>
        (r.data ?? []).sort(),
      ),
    [],
  );
  const ops = useAsync(
    q.service
      ? (signal) =>
          request<{ data: string[] | null }>(
            `/jaeger/api/services/${encodeURIComponent(q.service)}/operations`,
            { signal },
          ).then((r) => (r.data ?? []).sort())
      : null,
    [q.service],
  );
  const svcList = dataOf(services) ?? [];
  const opList = dataOf(ops) ?? [];
  return (
    <>
      <Field label="Service" hint={services.state === 'error' ? services.error : undefined}>
        <select
          value={q.service}
          onChange={(e) => set({ service: (e.target as HTMLSelectElement).value, operation: '' })}
        >
          <option value="">{services.state === 'loading' ? 'loading…' : 'all services'}</option>
          {(q.service && !svcList.includes(q.service) ? [q.service, ...svcList] : svcList).map(
            (s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ),
          )}
        </select>
      </Field>
      <Field label="Operation">
        <select
          value={q.operation}
          onChange={(e) => set({ operation: (e.target as HTMLSelectElement).value })}
          disabled={!q.service}
        >
          <option value="">all operations</option>
          {(q.operation && !opList.includes(q.operation) ? [q.operation, ...opList] : opList).map(
            (s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ),
          )}
        </select>
      </Field>
    </>
  );
}

export function Traces(props: { params: URLSearchParams }): JSX.Element {
  const { params } = props;
  const key = params.toString();
  const urlQuery = useMemo(() => queryFrom(params), [key]);
  const [draft, setDraft] = useState<SearchQuery>(urlQuery);
  useEffect(() => setDraft(urlQuery), [urlQuery]);
  const [formError, setFormError] = useState<string | null>(null);
  const [searchedAt, setSearchedAt] = useState(() => Date.now());
  const resolved = useMemo(() => resolveRange(params, searchedAt, '1h'), [key, searchedAt]);
  const hasSearch = params.has('service') || params.has('tags') || params.has('sort');
  const invalid = validateQuery(urlQuery);

  const results = useAsync(
    hasSearch && !invalid && resolved.ok
      ? (signal) =>
          searchTraces(
            urlQuery,
            Math.round(resolved.range.start * 1e6),
            Math.round(resolved.range.end * 1e6),
            signal,
          )
      : null,
    [key, searchedAt],
  );
  const brush = parseBrush(params.get('brush'));
  const all = dataOf(results) ?? [];
  const shown = all.filter((t) => inBrush(t, brush));
  const maxDuration = Math.max(1, ...shown.map((t) => t.duration));

  const submit = (e: Event): void => {
    e.preventDefault();
    const problem = validateQuery(draft);
    setFormError(problem);
    if (problem) return;
    setSearchedAt(Date.now());
    setParams({
      ...draft,
      limit: draft.limit === DEFAULT_LIMIT ? null : draft.limit,
      sort: draft.sort,
      brush: null,
    });
  };
  const set = (patch: Partial<SearchQuery>): void => setDraft({ ...draft, ...patch });

  return (
    <section class="page">
      <div class="page-head">
        <h1>Traces</h1>
      </div>
      <form class="search-form" onSubmit={submit} aria-label="Trace search">
        <ServiceOperationFields q={draft} set={set} />
        <Field label="Tags (logfmt)" hint="e.g. app.cache_hit=false" wide>
          <input
            type="text"
            name="tags"
            value={draft.tags}
            placeholder="app.cache_hit=false http.status_code=500"
            spellcheck={false}
            onInput={(e) => set({ tags: (e.target as HTMLInputElement).value })}
          />
        </Field>
        <Field label="Min duration">
          <input
            type="text"
            name="minDuration"
            value={draft.minDuration}
            placeholder="100ms"
            size={7}
            onInput={(e) => set({ minDuration: (e.target as HTMLInputElement).value })}
          />
        </Field>
        <Field label="Max duration">
          <input
            type="text"
            name="maxDuration"
            value={draft.maxDuration}
            placeholder="5s"
            size={7}
            onInput={(e) => set({ maxDuration: (e.target as HTMLInputElement).value })}
          />
        </Field>
        <Field label="Limit">
          <input
            type="number"
            name="limit"
            min={1}
            max={MAX_LIMIT}
            value={draft.limit}
            size={5}
            onInput={(e) => set({ limit: (e.target as HTMLInputElement).value })}
          />
        </Field>
        <Field label="Sort">
          <select
            value={draft.sort}
            onChange={(e) => set({ sort: (e.target as HTMLSelectElement).value })}
          >
            {Object.entries(SORTS).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </select>
        </Field>
        <TimeRangePicker params={params} resolved={resolved} />
        <button type="submit" class="primary">
          Find traces
        </button>
      </form>
      {formError ? <ErrorBox title="Check the search" message={formError} /> : null}
      {!formError && invalid && hasSearch ? (
        <ErrorBox title="This link has a bad search" message={invalid} />
      ) : null}
      {!resolved.ok ? <ErrorBox title="Bad time range" message={resolved.error} /> : null}
      {!hasSearch ? (
        <Empty>
          Pick a service or tags and press “Find traces”. Try service <code>recommendation</code>{' '}
          with tags <code>app.cache_hit=false</code>.
        </Empty>
      ) : null}
      <AsyncStatus a={results} what="traces" onRetry={results.reload} />
      {results.state === 'ok' && all.length === 0 ? (
        <Empty>No traces match this search in this time range.</Empty>
      ) : null}
      {all.length > 0 ? (
        <>
          <Scatter
            traces={all}
            brush={brush}
            onBrush={(b) => setParams({ brush: b ? formatBrush(b) : null }, { replace: true })}
            onOpen={(id) => navigate(`/trace/${id}`)}
            logScale={params.get('scale') === 'log'}
          />
          <div class="results-head">
            <span role="status">
              {shown.length === all.length
                ? `${all.length} traces`
                : `${shown.length} of ${all.length} traces in the selected region`}
            </span>
            {brush ? (
              <button
                type="button"
                class="link-button"
                onClick={() => setParams({ brush: null }, { replace: true })}
              >
                Clear selection
              </button>
            ) : (
              <span class="hint">Drag on the plot to filter.</span>
            )}
            <button
              type="button"
              class="small"
              aria-pressed={params.get('scale') === 'log'}
              onClick={() =>
                setParams(
                  { scale: params.get('scale') === 'log' ? null : 'log' },
                  { replace: true },
                )
              }
            >
              Log duration axis
            </button>
          </div>
          <VirtualList
            items={shown}
            rowHeight={58}
            height={560}
            label="Traces"
            render={(t) => <TraceRow t={t} maxDuration={maxDuration} />}
          />
        </>
      ) : null}
    </section>
  );
}

function TraceRow(props: { t: TraceSummary; maxDuration: number }): JSX.Element {
  const { t } = props;
  const services = Object.entries(t.services ?? {}).sort((a, b) => b[1] - a[1]);
  return (
    <Link href={`/trace/${t.traceID}`} class="trace-row">
      <span class="trace-row-main">
        <span class="trace-title">
          <span
            class="svc-dot"
            style={{ background: serviceColor(t.rootService) }}
            aria-hidden="true"
          />
          <span>
            <strong>{t.rootService}</strong>: {t.rootOperation}
          </span>
          <code class="muted trace-id">{t.traceID.slice(0, 12)}</code>
        </span>
        <span class="trace-meta">
          <span>{t.spanCount} spans</span>
          {t.errorCount > 0 ? <span class="badge err">{t.errorCount} errors</span> : null}
          {services.slice(0, 6).map(([s, n]) => (
            <span key={s} class="chip" style={{ borderColor: serviceColor(s) }}>
              {s} {n}
            </span>
          ))}
          {services.length > 6 ? <span class="muted">+{services.length - 6}</span> : null}
        </span>
      </span>
      <span class="trace-row-side">
        <span class="num strong">{formatMicros(t.duration)}</span>
        <span class="dur-bar" aria-hidden="true">
          <span
            style={{ width: `${Math.max(2, (t.duration / props.maxDuration) * 100)}%` }}
            class={t.errorCount > 0 ? 'err' : ''}
          />
        </span>
        <span class="muted">{formatClock(t.startTime)}</span>
      </span>
    </Link>
  );
}
