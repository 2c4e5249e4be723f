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

/** A select whose current value stays listed while the choices load or after it disappears from them. */
function SelectField(props: {
  label: string;
  value: string;
  /** [value, text] pairs. */
  choices: readonly (readonly [string, string])[];
  /** Text of the leading empty-value option, if any. */
  empty?: string;
  hint?: string | undefined;
  disabled?: boolean;
  onChange: (value: string) => void;
}): JSX.Element {
  const { value, choices } = props;
  const listed =
    value && !choices.some(([v]) => v === value) ? [[value, value] as const, ...choices] : choices;
  return (
    <Field label={props.label} hint={props.hint}>
      <select
        value={value}
        onChange={(e) => props.onChange((e.target as HTMLSelectElement).value)}
        disabled={props.disabled}
      >
        {props.empty !== undefined ? <option value="">{props.empty}</option> : null}
        {listed.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </Field>
  );
}

type TextKey = 'tags' | 'minDuration' | 'maxDuration' | 'limit';

/** One text or number input of the search form, bound to a field of the draft query. */
function InputField(props: {
  label: string;
  name: TextKey;
  q: SearchQuery;
  set: (patch: Partial<SearchQuery>) => void;
  placeholder?: string;
  hint?: string;
  wide?: boolean;
  size?: number;
  number?: { min: number; max: number };
}): JSX.Element {
  const { name } = props;
  const common = {
    name,
    value: props.q[name],
    placeholder: props.placeholder,
    size: props.size,
    onInput: (e: Event) => props.set({ [name]: (e.target as HTMLInputElement).value }),
  };
  return (
    <Field label={props.label} hint={props.hint} wide={props.wide}>
      {props.number ? (
        <input type="number" min={props.number.min} max={props.number.max} {...common} />
      ) : (
        // logfmt tags are not prose: no spelling marks.
        <input type="text" spellcheck={name === 'tags' ? false : undefined} {...common} />
      )}
    </Field>
  );
}

const pairsOf = (xs: readonly string[]): [string, string][] => xs.map((x) => [x, x]);

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
  return (
    <>
      <SelectField
        label="Service"
        hint={services.state === 'error' ? services.error : undefined}
        value={q.service}
        choices={pairsOf(dataOf(services) ?? [])}
        empty={services.state === 'loading' ? 'loading…' : 'all services'}
        onChange={(service) => set({ service, operation: '' })}
      />
      <SelectField
        label="Operation"
        value={q.operation}
        choices={pairsOf(dataOf(ops) ?? [])}
        empty="all operations"
        disabled={!q.service}
        onChange={(operation) => set({ operation })}
      />
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
        <InputField
          label="Tags (logfmt)"
          name="tags"
          q={draft}
          set={set}
          hint="e.g. app.cache_hit=false"
          wide
          placeholder="app.cache_hit=false http.status_code=500"
        />
        <InputField
          label="Min duration"
          name="minDuration"
          q={draft}
          set={set}
          placeholder="100ms"
          size={7}
        />
        <InputField
          label="Max duration"
          name="maxDuration"
          q={draft}
          set={set}
          placeholder="5s"
          size={7}
        />
        <InputField
          label="Limit"
          name="limit"
          q={draft}
          set={set}
          size={5}
          number={{ min: 1, max: MAX_LIMIT }}
        />
        <SelectField
          label="Sort"
          value={draft.sort}
          choices={Object.entries(SORTS)}
          onChange={(sort) => set({ sort })}
        />
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
