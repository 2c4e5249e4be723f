// The call graph between services over a time range, with request rate and
// error share on every edge; a service opens its traces. Services come from
// the span metrics of the range too, so one that calls nobody still shows,
// and rates are over the part of the range those metrics cover (a lab that
// started 3 minutes ago has 3 minutes of calls, not 15).
import type { JSX } from 'preact';
import { useMemo } from 'preact/hooks';
import { qs, request } from '../api';
import { dataOf, useAsync } from '../hooks';
import { navigate } from '../router';
import { TimeRangePicker, resolveRange } from '../TimeRange';
import { AsyncStatus, Empty } from '../ui';
import type { PromMatrixSeries } from '../../lib/prom';
import {
  edgeKey,
  edgeRates,
  layoutServiceMap,
  spanCoverage,
  type DependencyEdge,
} from '../../lib/servicemap';
import { serviceColor } from '../../lib/waterfall';

const COL_W = 320;
const ROW_H = 84;
const NODE_W = 160;
const NODE_H = 40;
const PAD = 24;
/** Room under the map for calls that go back left (a cycle). */
const BACK_LANE = 36;
const COVERAGE_QUERY = 'count by (service_name) (traces_span_metrics_calls_total)';

export function ServiceMapPage(props: { params: URLSearchParams }): JSX.Element {
  const { params } = props;
  const key = params.toString();
  const resolved = useMemo(() => resolveRange(params, Date.now(), '15m'), [key]);
  const deps = useAsync(
    resolved.ok
      ? (signal) =>
          request<{ data: DependencyEdge[] }>(
            `/api/dependencies${qs({ start: Math.round(resolved.range.start * 1e6), end: Math.round(resolved.range.end * 1e6) })}`,
            { signal },
          ).then((r) => r.data ?? [])
      : null,
    [key],
  );
  const spanSeries = useAsync(
    resolved.ok
      ? (signal) => {
          const { start, end } = resolved.range;
          const step = Math.max(15, Math.ceil((end - start) / 240));
          return request<{ data: { result: PromMatrixSeries[] } }>(
            `/prometheus/api/v1/query_range${qs({ query: COVERAGE_QUERY, start: Math.floor(start), end: Math.ceil(end), step })}`,
            { signal },
          ).then((r) => r.data?.result ?? []);
        }
      : null,
    [key],
  );
  const edges = dataOf(deps) ?? [];
  const whole = resolved.ok ? resolved.range.end - resolved.range.start : 0;
  const coverage = useMemo(() => {
    const series = dataOf(spanSeries);
    return series && resolved.ok ? spanCoverage(series, resolved.range) : undefined;
  }, [spanSeries, key]);
  const map = useMemo(() => layoutServiceMap(edges, coverage?.services ?? []), [edges, coverage]);
  // Without span metrics (query failed), rates fall back to the whole range, and say so.
  const seconds = coverage?.seconds ?? whole;
  const rateNote =
    spanSeries.state === 'error'
      ? `Rates are over the whole range: the span metrics that tell how much of it has data could not be read.`
      : coverage && coverage.seconds < whole - 1
        ? `Rates are over the last ${formatSpan(coverage.seconds)} of the range, the part span metrics cover.`
        : `Rates are over the whole range.`;
  const pos = new Map(
    map.nodes.map((n) => [n.name, { x: PAD + n.column * COL_W, y: PAD + n.row * ROW_H }]),
  );
  const slotAt = (column: number, row: number): { x: number; y: number } => ({
    x: PAD + column * COL_W,
    y: PAD + row * ROW_H + NODE_H / 2,
  });
  const colOf = new Map(map.nodes.map((n) => [n.name, n.column]));
  const backEdges = edges.some(
    (e) => e.parent !== e.child && (colOf.get(e.child) ?? 0) <= (colOf.get(e.parent) ?? 0),
  );
  const width = PAD * 2 + Math.max(0, map.columns - 1) * COL_W + NODE_W;
  const mapBottom = PAD + Math.max(0, map.rows - 1) * ROW_H + NODE_H;
  const height = mapBottom + PAD + (backEdges ? BACK_LANE : 0);
  const maxCalls = Math.max(1, ...edges.map((e) => e.callCount));
  const callers = new Set(edges.map((e) => e.parent));

  return (
    <section class="page">
      <div class="page-head">
        <h1>Service map</h1>
        <TimeRangePicker params={params} resolved={resolved} />
      </div>
      <AsyncStatus a={deps} what="dependencies" onRetry={deps.reload} />
      {deps.state === 'ok' && edges.length === 0 ? (
        <Empty>No calls between services in this range.</Empty>
      ) : null}
      {map.nodes.length > 0 ? (
        <p class="hint" data-rate-seconds={Math.round(seconds)}>
          {rateNote}
        </p>
      ) : null}
      {map.nodes.length > 0 ? (
        <div class="panel map-wrap">
          <svg
            class="service-map"
            width={width}
            height={height}
            role="img"
            aria-label="Service call graph"
          >
            {edges.map((e) => {
              const a = pos.get(e.parent);
              const b = pos.get(e.child);
              if (!a || !b) return null;
              const { perSecond, errorRatio } = edgeRates(e, seconds);
              const route = routeEdge(e, a, b, map.routes[edgeKey(e)] ?? [], slotAt, mapBottom);
              const { d, labelAt } = route;
              const label = `${perSecond < 10 ? perSecond.toFixed(2) : Math.round(perSecond)}/s${errorRatio > 0 ? ` · ${(errorRatio * 100).toFixed(1)}% err` : ''}`;
              return (
                <g key={`${e.parent}>${e.child}`} class={errorRatio > 0 ? 'edge err' : 'edge'}>
                  <path
                    d={d}
                    stroke-width={1 + 4 * Math.sqrt(e.callCount / maxCalls)}
                    marker-end="url(#arrow)"
                  >
                    <title>{`${e.parent} → ${e.child}: ${e.callCount} calls, ${e.errorCount} errors`}</title>
                  </path>
                  <text class="edge-label" x={labelAt.x} y={labelAt.y - 6} text-anchor="middle">
                    {label}
                  </text>
                </g>
              );
            })}
            <defs>
              <marker
                id="arrow"
                viewBox="0 0 10 10"
                refX="9"
                refY="5"
                markerWidth="8"
                markerHeight="8"
                markerUnits="userSpaceOnUse"
                orient="auto-start-reverse"
              >
                <path d="M 0 0 L 10 5 L 0 10 z" class="arrow-head" />
              </marker>
            </defs>
            {map.nodes.map((n) => {
              const p = pos.get(n.name) ?? { x: 0, y: 0 };
              // Traces opens on the window the map shows (its own default is wider).
              const window =
                resolved.ok && resolved.range.label !== 'custom'
                  ? { range: resolved.range.label }
                  : { from: params.get('from'), to: params.get('to') };
              const open = (): void => navigate(`/traces${qs({ service: n.name, ...window })}`);
              return (
                <g
                  key={n.name}
                  class="node"
                  role="link"
                  // SVG attributes keep their case: tabIndex would not make it focusable.
                  tabindex={0}
                  aria-label={`${n.name}: open its traces`}
                  onClick={open}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter' || e.key === ' ') {
                      e.preventDefault();
                      open();
                    }
                  }}
                  data-service={n.name}
                >
                  <rect
                    x={p.x}
                    y={p.y}
                    width={NODE_W}
                    height={NODE_H}
                    rx={8}
                    style={{ stroke: serviceColor(n.name) }}
                  />
                  <rect
                    x={p.x}
                    y={p.y}
                    width={6}
                    height={NODE_H}
                    rx={3}
                    style={{ fill: serviceColor(n.name) }}
                  />
                  <text x={p.x + 14} y={p.y + 17} class="node-name">
                    {n.name}
                  </text>
                  <text x={p.x + 14} y={p.y + 32} class="node-meta">
                    {n.calls > 0
                      ? `${(n.calls / Math.max(1, seconds)).toFixed(2)}/s in`
                      : callers.has(n.name)
                        ? 'entry point'
                        : 'no calls to or from others'}
                    {n.errors > 0 ? ` · ${n.errors} errors` : ''}
                  </text>
                </g>
              );
            })}
          </svg>
        </div>
      ) : null}
    </section>
  );
}

function formatSpan(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

type Point = { x: number; y: number };

/**
 * An edge's path: out of the caller's right side, through the empty slots
 * of the columns it skips (straight across each, curving only in the gaps
 * between columns, where no box is), into the callee's left side. A call
 * back to an earlier column goes under the map; a self call loops on top.
 */
function routeEdge(
  e: DependencyEdge,
  a: Point,
  b: Point,
  via: readonly { column: number; row: number }[],
  slotAt: (column: number, row: number) => Point,
  mapBottom: number,
): { d: string; labelAt: Point } {
  const x1 = a.x + NODE_W;
  const y1 = a.y + NODE_H / 2;
  if (e.parent === e.child) {
    const x2 = a.x + NODE_W - 20;
    const y2 = a.y;
    return {
      d: `M ${x1} ${y1} C ${x1 + 40} ${y1} ${x2 + 40} ${y2 - 30} ${x2} ${y2}`,
      labelAt: { x: x1 + 10, y: y2 - 8 },
    };
  }
  const x2 = b.x;
  const y2 = b.y + NODE_H / 2;
  if (x2 <= x1) {
    const lane = mapBottom + BACK_LANE / 2;
    return {
      d: `M ${x1} ${y1} C ${x1 + 60} ${y1} ${x1 + 60} ${lane} ${x1} ${lane} L ${x2} ${lane} C ${x2 - 60} ${lane} ${x2 - 60} ${y2} ${x2} ${y2}`,
      labelAt: { x: (x1 + x2) / 2, y: lane },
    };
  }
  const curve = (p: Point, q: Point): string => {
    const mid = (p.x + q.x) / 2;
    return `C ${mid} ${p.y} ${mid} ${q.y} ${q.x} ${q.y}`;
  };
  let d = `M ${x1} ${y1}`;
  let at: Point = { x: x1, y: y1 };
  for (const s of via) {
    const slot = slotAt(s.column, s.row);
    d += ` ${curve(at, slot)} L ${slot.x + NODE_W} ${slot.y}`;
    at = { x: slot.x + NODE_W, y: slot.y };
  }
  d += ` ${curve(at, { x: x2, y: y2 })}`;
  const next = via[0] ? slotAt(via[0].column, via[0].row) : { x: x2, y: y2 };
  // The label sits where the line runs level through its first slot, or mid-gap when there is none.
  const labelAt = via[0]
    ? { x: next.x + NODE_W / 2, y: next.y }
    : { x: (x1 + next.x) / 2, y: (y1 + next.y) / 2 };
  return { d, labelAt };
}
