// The "Demo Dashboard", rebuilt: span-metric latency, rates and errors plus
// the service's CPU and memory, each panel an editable PromQL query. A click
// on the latency chart opens the exemplar traces behind that moment.
import type { JSX } from 'preact';
import { useCallback, useMemo, useState } from 'preact/hooks';
import { qs, request } from '../api';
import { Chart, type Marker } from '../Chart';
import { ScenarioGuide } from '../Guide';
import { dataOf, useAsync, useInterval } from '../hooks';
import { navigate, setParams } from '../router';
import { TimeRangePicker, resolveRange } from '../TimeRange';
import { AsyncStatus, ErrorBox, Field, Loading } from '../ui';
import {
  alignMatrix,
  exemplarPoints,
  type ExemplarsResponse,
  mergeAligned,
  type AlignedSeries,
  type PromMatrixSeries,
} from '../../lib/prom';
import { chooseStep, promqlString, substitute } from '../../lib/promql';
import { FORMATS, PANELS, type PanelDef } from './panels';
import { Exemplars, QueryEditor } from './PanelParts';

const SCRAPE_SECONDS = 15;

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
      <ScenarioGuide />
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
        <h2 id={headingId}>
          {def.title}
          {exprs.some((x) => x.includes('$service')) ? (
            <span class="muted"> · {service}</span>
          ) : null}
        </h2>
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
          xRange={[start, end]}
          format={FORMATS[def.unit]}
          label={def.title}
          onClick={def.exemplars ? onClick : undefined}
        />
      ) : null}
      {def.exemplars && data && !empty ? (
        <p class="hint">
          Click a moment to see the traces behind it; a ◆ exemplar opens its trace.{' '}
          <button type="button" class="link-button" onClick={() => setClicked(-1)}>
            Slowest exemplars of this range
          </button>
        </p>
      ) : null}
      {clicked !== null ? (
        <Exemplars
          service={service}
          // -1: the whole range (the keyboard way in, as the chart is mouse-only).
          time={clicked < 0 ? (start + end) / 2 : clicked}
          halfWindow={clicked < 0 ? (end - start) / 2 : undefined}
          step={step}
          onClose={() => setClicked(null)}
        />
      ) : null}
      <QueryEditor def={def} exprs={exprs} />
    </article>
  );
}
