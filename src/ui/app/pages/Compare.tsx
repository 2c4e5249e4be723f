// The guide's confirmation step on one screen: two span searches side by
// side (e.g. cache hits against misses) with their latency distributions.
import { Fragment, type JSX } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { qs, request } from '../api';
import { PALETTE } from '../Chart';
import { dataOf, useAsync, type Async } from '../hooks';
import { Link, setParams } from '../router';
import { TimeRangePicker, resolveRange } from '../TimeRange';
import { AsyncStatus, ErrorBox, Field } from '../ui';
import { formatNanos } from '../../lib/duration';
import { parseLogfmt } from '../../lib/logfmt';
import { ServiceOperationFields, type SearchQuery } from './Traces';

interface Distribution {
  count: number;
  quantiles: Record<string, number>;
  /** `le` in ns; null (or "+Inf") for the unbounded last bucket. */
  buckets: { le: number | string | null; count: number }[];
}

// The lab API wraps the distribution in `data`; accept it bare as well.
function unwrap(r: Distribution | { data: Distribution }): Distribution {
  return 'data' in r ? r.data : r;
}

function leOf(le: number | string | null): number {
  return le === null ? Infinity : Number(le);
}

const DEFAULTS = {
  service: 'recommendation',
  operation: 'get_product_list',
  a: 'app.cache_hit=true',
  b: 'app.cache_hit=false',
};
const QUANTILES = ['p50', 'p90', 'p95', 'p99', 'p999'];

interface Side {
  service: string;
  operation: string;
  tags: string;
}

function sideFrom(params: URLSearchParams, p: 'a' | 'b'): Side {
  return {
    service: params.get(`${p}.service`) ?? DEFAULTS.service,
    operation: params.get(`${p}.operation`) ?? DEFAULTS.operation,
    tags: params.get(`${p}.tags`) ?? DEFAULTS[p],
  };
}

export function Compare(props: { params: URLSearchParams }): JSX.Element {
  const { params } = props;
  const key = params.toString();
  const resolved = useMemo(() => resolveRange(params, Date.now(), '1h'), [key]);
  const time = {
    range: params.get('range') ?? '1h',
    from: params.get('from'),
    to: params.get('to'),
  };
  const a = sideFrom(params, 'a');
  const b = sideFrom(params, 'b');
  const fetchSide = (s: Side): ((signal: AbortSignal) => Promise<Distribution>) | null => {
    if (!resolved.ok || !parseLogfmt(s.tags).ok) return null;
    const { start, end } = resolved.range;
    return (signal) =>
      request<Distribution | { data: Distribution }>(
        `/api/spans/distribution${qs({ service: s.service, operation: s.operation, tags: s.tags, start: Math.round(start * 1e6), end: Math.round(end * 1e6) })}`,
        { signal },
      ).then(unwrap);
  };
  const da = useAsync(fetchSide(a), [key]);
  const db = useAsync(fetchSide(b), [key]);
  const distA = dataOf(da);
  const distB = dataOf(db);
  return (
    <section class="page">
      <div class="page-head">
        <h1>Compare</h1>
        <TimeRangePicker params={params} resolved={resolved} />
      </div>
      {!resolved.ok ? <ErrorBox title="Bad time range" message={resolved.error} /> : null}
      <div class="compare-grid">
        <SideCard name="A" prefix="a" side={a} dist={da} color={PALETTE[0] ?? 'blue'} time={time} />
        <SideCard
          name="B"
          prefix="b"
          side={b}
          dist={db}
          color={PALETTE[1] ?? 'orange'}
          time={time}
        />
      </div>
      {distA && distB ? <Comparison a={distA} b={distB} /> : null}
    </section>
  );
}

function SideCard(props: {
  name: string;
  prefix: 'a' | 'b';
  side: Side;
  dist: Async<Distribution> & { reload: () => void };
  color: string;
  /** range / from / to of the page, so the trace search covers the same window. */
  time: Record<string, string | null>;
}): JSX.Element {
  const { side, prefix } = props;
  const [draft, setDraft] = useState(side);
  useEffect(() => setDraft(side), [side.service, side.operation, side.tags]);
  const parsed = parseLogfmt(draft.tags);
  const q: SearchQuery = { ...draft, minDuration: '', maxDuration: '', limit: '', sort: '' };
  const submit = (e: Event): void => {
    e.preventDefault();
    if (!parsed.ok) return;
    setParams({
      [`${prefix}.service`]: draft.service,
      [`${prefix}.operation`]: draft.operation,
      [`${prefix}.tags`]: draft.tags,
    });
  };
  const d = dataOf(props.dist);
  return (
    <article class="panel compare-side" aria-label={`Search ${props.name}`} data-side={prefix}>
      <header class="panel-head">
        <h2>
          <span class="svc-dot" style={{ background: props.color }} aria-hidden="true" />{' '}
          {props.name}
        </h2>
        {props.dist.state === 'loading' ? (
          <span class="spinner small" role="status" aria-label="Loading" />
        ) : null}
      </header>
      <form class="search-form compact" onSubmit={submit}>
        <ServiceOperationFields q={q} set={(p) => setDraft({ ...draft, ...p })} />
        <Field label="Tags (logfmt)" wide hint={parsed.ok ? undefined : parsed.error}>
          <input
            type="text"
            value={draft.tags}
            spellcheck={false}
            onInput={(e) => setDraft({ ...draft, tags: (e.target as HTMLInputElement).value })}
          />
        </Field>
        <button type="submit" disabled={!parsed.ok}>
          Update
        </button>
      </form>
      <AsyncStatus a={props.dist} what={`distribution ${props.name}`} onRetry={props.dist.reload} />
      <Link
        href={`/traces${qs({ service: side.service, operation: side.operation, tags: side.tags, sort: 'longest', ...props.time })}`}
      >
        Open these traces →
      </Link>
      {d ? (
        <dl class="facts big">
          <dt>Spans</dt>
          <dd class="num">{d.count}</dd>
          {QUANTILES.map((k) => (
            <Fragment key={k}>
              <dt>{k === 'p999' ? 'p99.9' : k}</dt>
              <dd class="num">
                {d.quantiles[k] !== undefined ? formatNanos(d.quantiles[k] as number) : '–'}
              </dd>
            </Fragment>
          ))}
        </dl>
      ) : null}
    </article>
  );
}

function Comparison(props: { a: Distribution; b: Distribution }): JSX.Element {
  const { a, b } = props;
  const les = [...new Set([...a.buckets, ...b.buckets].map((x) => leOf(x.le)))].sort(
    (x, y) => x - y,
  );
  const frac = (d: Distribution): number[] => {
    const m = new Map(d.buckets.map((x) => [leOf(x.le), x.count]));
    const total = d.buckets.reduce((s, x) => s + x.count, 0) || 1;
    return les.map((le) => (m.get(le) ?? 0) / total);
  };
  const fa = frac(a);
  const fb = frac(b);
  const max = Math.max(0.01, ...fa, ...fb);
  const W = 900;
  const H = 200;
  const bw = les.length > 0 ? W / les.length : W;
  return (
    <section class="panel" aria-label="Latency distributions">
      <header class="panel-head">
        <h2>Latency distribution (share of spans per bucket)</h2>
      </header>
      <svg
        class="histogram"
        viewBox={`0 0 ${W} ${H + 24}`}
        role="img"
        aria-label="Histogram of A and B"
      >
        {les.map((le, i) => (
          <g key={le}>
            <rect
              class="bar-a"
              x={i * bw + 2}
              width={bw / 2 - 2}
              y={H - ((fa[i] ?? 0) / max) * H}
              height={((fa[i] ?? 0) / max) * H}
              fill={PALETTE[0]}
            />
            <rect
              class="bar-b"
              x={i * bw + bw / 2}
              width={bw / 2 - 2}
              y={H - ((fb[i] ?? 0) / max) * H}
              height={((fb[i] ?? 0) / max) * H}
              fill={PALETTE[1]}
            />
            <text class="axis" x={i * bw + bw / 2} y={H + 16} text-anchor="middle">
              {Number.isFinite(le) ? `≤${formatNanos(le)}` : '+Inf'}
            </text>
          </g>
        ))}
      </svg>
      <table class="stats">
        <thead>
          <tr>
            <th scope="col">Quantile</th>
            <th scope="col" class="num">
              A
            </th>
            <th scope="col" class="num">
              B
            </th>
            <th scope="col" class="num">
              B / A
            </th>
          </tr>
        </thead>
        <tbody>
          {QUANTILES.map((k) => {
            const x = a.quantiles[k];
            const y = b.quantiles[k];
            return (
              <tr key={k}>
                <th scope="row">{k === 'p999' ? 'p99.9' : k}</th>
                <td class="num">{x !== undefined ? formatNanos(x) : '–'}</td>
                <td class="num">{y !== undefined ? formatNanos(y) : '–'}</td>
                <td class="num">{x && y ? `×${(y / x).toFixed(1)}` : '–'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
