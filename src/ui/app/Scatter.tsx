// Trace results as points (start time vs duration, errors in red). Dragging
// a rectangle brushes a region, which filters the results list; a click on a
// point opens that trace. SVG is enough for a search's few thousand points.
import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { TraceSummary } from '../lib/jaeger';
import type { Brush } from '../lib/search';
import { durationScale } from '../lib/scale';
import { formatClock, formatMicros } from '../lib/duration';

const axisClock = (us: number): string => formatClock(us).slice(0, 8);

const H = 220;
const PAD = { l: 64, r: 12, t: 10, b: 28 };

export function Scatter(props: {
  traces: TraceSummary[];
  brush: Brush | null;
  onBrush: (b: Brush | null) => void;
  onOpen: (id: string) => void;
  logScale?: boolean;
}): JSX.Element {
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(800);
  const [drag, setDrag] = useState<{ x0: number; y0: number; x1: number; y1: number } | null>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return undefined;
    const ro = new ResizeObserver(() => setWidth(Math.max(300, el.clientWidth)));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const { traces } = props;
  const tMin = Math.min(...traces.map((t) => t.startTime));
  const tMax = Math.max(...traces.map((t) => t.startTime));
  const scale = durationScale(
    props.logScale ? 'log' : 'linear',
    traces.map((t) => t.duration),
  );
  const tSpan = tMax - tMin || 1;
  const plotW = width - PAD.l - PAD.r;
  const plotH = H - PAD.t - PAD.b;
  const x = (t: number): number => PAD.l + ((t - tMin) / tSpan) * plotW;
  const y = (d: number): number => PAD.t + plotH - scale.toFrac(d) * plotH;
  const tAt = (px: number): number => tMin + ((px - PAD.l) / plotW) * tSpan;
  const dAt = (py: number): number => scale.fromFrac((PAD.t + plotH - py) / plotH);

  const local = (e: PointerEvent): { x: number; y: number } => {
    const r = (e.currentTarget as SVGSVGElement).getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };
  const onDown = (e: PointerEvent): void => {
    if ((e.target as Element).tagName === 'circle') return;
    const p = local(e);
    (e.currentTarget as SVGSVGElement).setPointerCapture(e.pointerId);
    setDrag({ x0: p.x, y0: p.y, x1: p.x, y1: p.y });
  };
  const onMove = (e: PointerEvent): void => {
    if (!drag) return;
    const p = local(e);
    setDrag({ ...drag, x1: p.x, y1: p.y });
  };
  const onUp = (): void => {
    if (!drag) return;
    setDrag(null);
    if (Math.abs(drag.x1 - drag.x0) < 4 && Math.abs(drag.y1 - drag.y0) < 4) {
      props.onBrush(null);
      return;
    }
    props.onBrush({
      t0: Math.round(tAt(Math.min(drag.x0, drag.x1))),
      t1: Math.round(tAt(Math.max(drag.x0, drag.x1))),
      d0: Math.max(0, Math.round(dAt(Math.max(drag.y0, drag.y1)))),
      d1: Math.round(dAt(Math.min(drag.y0, drag.y1))),
    });
  };

  const yTicks = scale.ticks;
  const xTicks = [0, 0.25, 0.5, 0.75, 1].map((f) => tMin + f * tSpan);
  const b = props.brush;
  return (
    <div class="scatter" ref={box}>
      <svg
        width={width}
        height={H}
        role="img"
        aria-label={`Scatter plot of ${traces.length} traces, duration against start time; drag to filter`}
        onPointerDown={onDown}
        onPointerMove={onMove}
        onPointerUp={onUp}
      >
        {yTicks.map((d) => (
          <g key={`y${d}`}>
            <line class="grid" x1={PAD.l} x2={width - PAD.r} y1={y(d)} y2={y(d)} />
            <text class="axis" x={PAD.l - 6} y={y(d) + 4} text-anchor="end">
              {formatMicros(d)}
            </text>
          </g>
        ))}
        {xTicks.map((t, i) => (
          <text
            key={`x${t}`}
            class="axis"
            x={x(t)}
            y={H - 8}
            text-anchor={i === 0 ? 'start' : i === xTicks.length - 1 ? 'end' : 'middle'}
          >
            {axisClock(t)}
          </text>
        ))}
        {b ? (
          <rect
            class="brush"
            x={x(b.t0)}
            y={y(b.d1)}
            width={Math.max(1, x(b.t1) - x(b.t0))}
            height={Math.max(1, y(b.d0) - y(b.d1))}
          />
        ) : null}
        {traces.map((t) => (
          <circle
            key={t.traceID}
            class={t.errorCount > 0 ? 'pt err' : 'pt'}
            cx={x(t.startTime)}
            cy={y(t.duration)}
            r={Math.min(9, 3 + Math.log2(1 + t.spanCount) / 1.5)}
            onClick={() => props.onOpen(t.traceID)}
          >
            <title>{`${t.rootService}: ${t.rootOperation}\n${formatMicros(t.duration)}, ${t.spanCount} spans${t.errorCount ? `, ${t.errorCount} errors` : ''}`}</title>
          </circle>
        ))}
        {drag ? (
          <rect
            class="brush drawing"
            x={Math.min(drag.x0, drag.x1)}
            y={Math.min(drag.y0, drag.y1)}
            width={Math.abs(drag.x1 - drag.x0)}
            height={Math.abs(drag.y1 - drag.y0)}
          />
        ) : null}
      </svg>
    </div>
  );
}
