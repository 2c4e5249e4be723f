// The call graph between services over a time range, with request rate and
// error share on every edge; a service opens its traces.
import type { JSX } from 'preact';
import { useMemo } from 'preact/hooks';
import { qs, request } from '../api';
import { dataOf, useAsync } from '../hooks';
import { navigate } from '../router';
import { TimeRangePicker, resolveRange } from '../TimeRange';
import { AsyncStatus, Empty } from '../ui';
import { edgeRates, layoutServiceMap, type DependencyEdge } from '../../lib/servicemap';
import { serviceColor } from '../../lib/waterfall';

const COL_W = 320;
const ROW_H = 84;
const NODE_W = 160;
const NODE_H = 40;
const PAD = 24;

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
  const edges = dataOf(deps) ?? [];
  const map = useMemo(() => layoutServiceMap(edges), [edges]);
  const seconds = resolved.ok ? resolved.range.end - resolved.range.start : 0;
  const pos = new Map(
    map.nodes.map((n) => [n.name, { x: PAD + n.column * COL_W, y: PAD + n.row * ROW_H }]),
  );
  const width = PAD * 2 + Math.max(0, map.columns - 1) * COL_W + NODE_W;
  const height = PAD * 2 + Math.max(0, map.rows - 1) * ROW_H + NODE_H;
  const maxCalls = Math.max(1, ...edges.map((e) => e.callCount));

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
              const self = e.parent === e.child;
              const x1 = a.x + NODE_W;
              const y1 = a.y + NODE_H / 2;
              const x2 = self ? a.x + NODE_W - 20 : b.x;
              const y2 = self ? a.y : b.y + NODE_H / 2;
              const d = self
                ? `M ${x1} ${y1} C ${x1 + 40} ${y1} ${x2 + 40} ${y2 - 30} ${x2} ${y2}`
                : `M ${x1} ${y1} C ${(x1 + x2) / 2} ${y1} ${(x1 + x2) / 2} ${y2} ${x2} ${y2}`;
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
                  <text
                    class="edge-label"
                    x={(x1 + x2) / 2}
                    y={(y1 + y2) / 2 - 6}
                    text-anchor="middle"
                  >
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
              const open = (): void =>
                navigate(`/traces${qs({ service: n.name, range: params.get('range') })}`);
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
                      : 'entry point'}
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
