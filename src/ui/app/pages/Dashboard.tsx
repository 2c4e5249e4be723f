// The "Demo Dashboard", rebuilt: span-metric latency, rates and errors plus
// the service's CPU and memory, each panel an editable PromQL query. A click
// on the latency chart opens the exemplar traces behind that moment.
import type { JSX } from 'preact';
import { useCallback, useMemo, useState } from 'preact/hooks';
import { qs, request } from '../api';
import { Chart, type Marker } from '../Chart';
import { dataOf, useAsync, useInterval } from '../hooks';
import { Link, navigate, setParams } from '../router';
import { TimeRangePicker, resolveRange } from '../TimeRange';
import { AsyncStatus, ErrorBox, Field, Loading } from '../ui';
import { formatBytes, formatClock, formatMillis } from '../../lib/duration';
import {
  alignMatrix,
  exemplarPoints,
  type ExemplarsResponse,
  mergeAligned,
  type AlignedSeries,
  type PromMatrixSeries,
} from '../../lib/prom';
import { chooseStep, promqlString, substitute } from '../../lib/promql';

const SCRAPE_SECONDS = 15;

interface PanelQuery {
  expr: string;
  legend?: string;
}
interface PanelDef {
  id: string;
  title: string;
  unit: 'ms' | 'percent' | 'bytes' | 'rate';
  queries: PanelQuery[];
  exemplars?: boolean;
}

const latency = (q: number): string =>
  `histogram_quantile(${q}, sum(rate(traces_span_metrics_duration_milliseconds_bucket{service_name="$service"}[$__rate_interval])) by (le))`;

export const PANELS: PanelDef[] = [
  {
    id: 'latency',
    title: 'Latency (from span metrics)',
    unit: 'ms',
    exemplars: true,
    queries: [
      { expr: latency(0.5), legend: 'p50' },
      { expr: latency(0.95), legend: 'p95' },
      { expr: latency(0.99), legend: 'p99' },
      { expr: latency(0.999), legend: 'p99.9' },
    ],
  },
  {
    id: 'recommendations',
    title: 'Recommendations rate',
    unit: 'rate',
    queries: [
      {
        expr: 'rate(app_recommendations_counter_total{recommendation_type="catalog"}[$__rate_interval])',
        legend: 'catalog',
      },
    ],
  },
  {
    id: 'cpu',
    title: 'CPU',
    unit: 'percent',
    queries: [
      {
        // Runtime metrics carry `job` = "<service.namespace>/<service.name>"
        // (OTel -> Prometheus rules), not service_name; one line per process
        // instance, so a restart after the leak shows as a new line.
        expr: '100 * sum by (instance) (process_cpu_utilization_ratio{job=~"(.+/)?$service"})',
        legend: 'CPU % {{instance}}',
      },
    ],
  },
  {
    id: 'memory',
    title: 'Memory (RSS)',
    unit: 'bytes',
    queries: [
      {
        expr: 'sum by (instance) (process_memory_usage_bytes{job=~"(.+/)?$service"})',
        legend: 'RSS {{instance}}',
      },
    ],
  },
  {
    id: 'requests',
    title: 'Request rate by span name',
    unit: 'rate',
    queries: [
      {
        expr: 'sum by (span_name) (rate(traces_span_metrics_duration_milliseconds_count{service_name="$service"}[$__rate_interval]))',
        legend: '{{span_name}}',
      },
    ],
  },
  {
    id: 'errors',
    title: 'Error rate by span name',
    unit: 'rate',
    queries: [
      {
        expr: 'sum by (span_name) (rate(traces_span_metrics_calls_total{status_code="STATUS_CODE_ERROR", service_name="$service"}[$__rate_interval]))',
        legend: '{{span_name}}',
      },
    ],
  },
  {
    id: 'cpu-all',
    title: 'CPU by service',
    unit: 'percent',
    queries: [{ expr: '100 * sum by (job) (process_cpu_utilization_ratio)', legend: '{{job}}' }],
  },
  {
    id: 'memory-all',
    title: 'Memory (RSS) by service',
    unit: 'bytes',
    queries: [{ expr: 'sum by (job) (process_memory_usage_bytes)', legend: '{{job}}' }],
  },
];

const FORMATS: Record<PanelDef['unit'], (v: number) => string> = {
  ms: (v) => formatMillis(v),
  percent: (v) => `${Number(v.toFixed(1))}%`,
  bytes: (v) => formatBytes(v),
  rate: (v) => `${Number(v.toPrecision(3))}/s`,
};

interface PromMatrix {
  data: { resultType: string; result: PromMatrixSeries[] };
}

export function Dashboard(props: { params: URLSearchParams }): JSX.Element {
  const { params } = props;
  const [now, setNow] = useState(() => Date.now());
  const refresh = Number(params.get('refresh') ?? '0');
  useInterval(() => setNow(Date.now()), refresh > 0 ? refresh * 1000 : 0);
  const resolved = useMemo(() => resolveRange(params, now), [params.toString(), now]);

  const services = useAsync(
    (signal) =>
      request<{ data: string[] }>('/prometheus/api/v1/label/service_name/values', { signal }).then(
        (r) => r.data ?? [],
      ),
    [],
  );
  const list = dataOf(services) ?? [];
  const service =
    params.get('service') ??
    (list.includes('recommendation') ? 'recommendation' : (list[0] ?? 'recommendation'));

  return (
    <section class="page">
      <div class="page-head">
        <h1>Dashboard</h1>
        <form class="toolbar" onSubmit={(e) => e.preventDefault()}>
          <Field label="Service">
            <select
              value={service}
              onChange={(e) => setParams({ service: (e.target as HTMLSelectElement).value })}
            >
              {(list.includes(service) ? list : [service, ...list]).map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </Field>
          <TimeRangePicker params={params} resolved={resolved} />
          <Field label="Auto-refresh">
            <select
              value={String(refresh)}
              onChange={(e) =>
                setParams({
                  refresh:
                    (e.target as HTMLSelectElement).value === '0'
                      ? null
                      : (e.target as HTMLSelectElement).value,
                })
              }
            >
              <option value="0">off</option>
              <option value="10">10s</option>
              <option value="30">30s</option>
              <option value="60">1m</option>
            </select>
          </Field>
          <button type="button" onClick={() => setNow(Date.now())}>
            Refresh
          </button>
        </form>
      </div>
      <AsyncStatus a={services} what="services" onRetry={services.reload} />
      {!resolved.ok ? (
        <ErrorBox title="Bad time range" message={resolved.error} />
      ) : (
        <div class="panels">
          {PANELS.map((p) => (
            <Panel
              key={p.id}
              def={p}
              service={service}
              start={resolved.range.start}
              end={resolved.range.end}
              params={params}
            />
          ))}
        </div>
      )}
    </section>
  );
}

function Panel(props: {
  def: PanelDef;
  service: string;
  start: number;
  end: number;
  params: URLSearchParams;
}): JSX.Element {
  const { def, service, start, end, params } = props;
  const exprs = def.queries.map((q, i) => params.get(`q.${def.id}.${i}`) ?? q.expr);
  const step = chooseStep(end - start);
  const vars = { service, stepSeconds: step, scrapeSeconds: SCRAPE_SECONDS };
  const result = useAsync(
    (signal) =>
      Promise.all(
        exprs.map((expr, i) =>
          request<PromMatrix>(
            `/prometheus/api/v1/query_range${qs({ query: substitute(expr, vars), start: start.toFixed(3), end: end.toFixed(3), step })}`,
            { signal },
          ).then((r) => alignMatrix(r.data.result ?? [], def.queries[i]?.legend)),
        ),
      ).then((parts) => mergeAligned(parts)),
    [exprs.join('\n'), service, start, end],
  );
  const data: AlignedSeries | undefined = dataOf(result);
  const exemplarQuery = `traces_span_metrics_duration_milliseconds_bucket{service_name="${promqlString(service)}"}`;
  const exemplars = useAsync(
    def.exemplars
      ? (signal) =>
          request<ExemplarsResponse>(
            `/prometheus/api/v1/query_exemplars${qs({ query: exemplarQuery, start: start.toFixed(3), end: end.toFixed(3) })}`,
            { signal },
          )
      : null,
    [exemplarQuery, start, end],
  );
  const exemplarData = dataOf(exemplars);
  const markers = useMemo<Marker[]>(
    () => exemplarPoints(exemplarData).map((p) => ({ x: p.time, y: p.value, id: p.traceID })),
    [exemplarData],
  );
  const [clicked, setClicked] = useState<number | null>(null);
  const onClick = useCallback((t: number) => setClicked(t), []);
  const empty = data !== undefined && (data.xs.length === 0 || data.series.length === 0);
  const headingId = `panel-${def.id}`;
  return (
    <article class={`panel panel-${def.id}`} aria-labelledby={headingId} data-panel={def.id}>
      <header class="panel-head">
        <h2 id={headingId}>{def.title}</h2>
        {result.state === 'loading' ? (
          <span class="spinner small" role="status" aria-label={`Loading ${def.title}`} />
        ) : null}
      </header>
      {result.state === 'error' ? (
        <ErrorBox title="Query failed" message={result.error} onRetry={result.reload} />
      ) : null}
      {data === undefined && result.state === 'loading' ? (
        <Loading what={def.title.toLowerCase()} />
      ) : null}
      {empty ? (
        <div class="status empty">
          No data for <code>{service}</code> in this range. The series may not exist yet; check the
          query below.
        </div>
      ) : null}
      {data && !empty ? (
        <Chart
          markers={def.exemplars ? markers : undefined}
          onMarker={(id) => navigate(`/trace/${id}`)}
          data={data}
          format={FORMATS[def.unit]}
          label={def.title}
          onClick={def.exemplars ? onClick : undefined}
        />
      ) : null}
      {def.exemplars && data && !empty ? (
        <p class="hint">
          Click a moment to see the traces behind it; a ◆ exemplar opens its trace.
        </p>
      ) : null}
      {clicked !== null ? (
        <Exemplars service={service} time={clicked} step={step} onClose={() => setClicked(null)} />
      ) : null}
      <QueryEditor def={def} exprs={exprs} />
    </article>
  );
}

function QueryEditor(props: { def: PanelDef; exprs: string[] }): JSX.Element {
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

function Exemplars(props: {
  service: string;
  time: number;
  step: number;
  onClose: () => void;
}): JSX.Element {
  const { service, time, step } = props;
  const half = Math.max(step * 2, 30);
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
