// A uPlot time-series chart that follows its container's width and the
// page's theme. uPlot draws on canvas and handles thousands of points cheaply;
// its legend text is set with textContent, so series labels stay text.
import type { JSX } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { AlignedSeries } from '../lib/prom';

export const PALETTE = [
  '#3b82f6',
  '#f59e0b',
  '#ef4444',
  '#8b5cf6',
  '#10b981',
  '#ec4899',
  '#06b6d4',
  '#84cc16',
  '#f97316',
  '#6366f1',
];

export interface ChartProps {
  data: AlignedSeries;
  height?: number;
  format: (v: number) => string;
  /** Called with the clicked time (seconds) and the nearest data index. */
  onClick?: (timeSec: number) => void;
  label: string;
  /**
   * The x axis, seconds: the selected range, so a lab with 10 s of data in
   * a 15-minute range draws 10 s at the right end, not a 10-second axis.
   */
  xRange?: [number, number];
  /** Points drawn over the lines (exemplars); a click near one opens it. */
  markers?: Marker[];
  onMarker?: (id: string) => void;
}

export interface Marker {
  /** Seconds, as the x axis. */
  x: number;
  y: number;
  id: string;
}

const MARKER_HIT_PX = 6;
const NO_MARKERS: Marker[] = [];

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || fallback;
}

export function Chart(props: ChartProps): JSX.Element {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const clickRef = useRef(props.onClick);
  clickRef.current = props.onClick;
  const markerRef = useRef(props.onMarker);
  markerRef.current = props.onMarker;
  const markers = props.markers ?? NO_MARKERS;
  const { data, format } = props;
  const xMin = props.xRange?.[0];
  const xMax = props.xRange?.[1];
  const height = props.height ?? 200;
  const theme = document.documentElement.dataset['theme'] ?? '';

  useEffect(() => {
    const el = box.current;
    if (!el) return undefined;
    const axisColor = cssVar('--muted', '#666');
    const gridColor = cssVar('--grid', 'rgba(128,128,128,0.15)');
    const axis = (): uPlot.Axis => ({
      stroke: axisColor,
      grid: { stroke: gridColor, width: 1 },
      ticks: { stroke: gridColor, width: 1 },
    });
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height,
      cursor: { drag: { x: false, y: false }, points: { size: 6 } },
      legend: { show: true, live: true },
      // Rates, latencies, CPU and memory are never negative: anchor the y axis
      // at zero so a spike reads as a spike and not as a change of scale.
      scales: {
        x:
          xMin !== undefined && xMax !== undefined && xMax > xMin
            ? { time: true, auto: false, range: (): uPlot.Range.MinMax => [xMin, xMax] }
            : { time: true },
        y: {
          range: (_u, _min, max) => {
            const top = Math.max(max, ...markers.map((m) => m.y));
            // Headroom above the highest exemplar keeps the strip along the top free for clicks on a moment.
            return [0, top > 0 ? top * (markers.length > 0 ? 1.15 : 1.08) : 1];
          },
        },
      },
      series: [
        {},
        ...data.series.map((s, i) => ({
          label: s.label,
          stroke: PALETTE[i % PALETTE.length],
          width: 1.5,
          value: (_u: uPlot, v: number | null) => (v === null ? '–' : format(v)),
        })),
      ],
      axes: [axis(), { ...axis(), size: 70, values: (_u, splits) => splits.map((v) => format(v)) }],
      hooks: {
        setScale: [
          (u, key) => {
            if (key !== 'x') return;
            // The drawn x extent, for tests and tools (the axis itself is canvas).
            el.dataset['xMin'] = String(u.scales['x']?.min ?? '');
            el.dataset['xMax'] = String(u.scales['x']?.max ?? '');
          },
        ],
        draw: [
          (u) => {
            if (markers.length === 0) return;
            const ctx = u.ctx;
            const r = 3.5 * devicePixelRatio;
            ctx.save();
            ctx.fillStyle = cssVar('--marker', '#e11d48');
            const xmin = u.scales['x']?.min ?? -Infinity;
            const xmax = u.scales['x']?.max ?? Infinity;
            for (const m of markers) {
              // Exemplars are kept a little past the query range; draw only those inside.
              if (m.x < xmin || m.x > xmax) continue;
              const cx = u.valToPos(m.x, 'x', true);
              const cy = u.valToPos(m.y, 'y', true);
              ctx.beginPath();
              ctx.moveTo(cx, cy - r);
              ctx.lineTo(cx + r, cy);
              ctx.lineTo(cx, cy + r);
              ctx.lineTo(cx - r, cy);
              ctx.fill();
            }
            ctx.restore();
          },
        ],
        ready: [
          (u) => {
            u.over.addEventListener('click', () => {
              const left = u.cursor.left;
              const top = u.cursor.top;
              if (left === undefined || left < 0) return;
              // A click near an exemplar opens its trace; elsewhere, that moment.
              if (markerRef.current && top !== undefined) {
                let best: Marker | undefined;
                let bestD = MARKER_HIT_PX;
                for (const m of markers) {
                  const d = Math.hypot(u.valToPos(m.x, 'x') - left, u.valToPos(m.y, 'y') - top);
                  if (d <= bestD) {
                    best = m;
                    bestD = d;
                  }
                }
                if (best) {
                  markerRef.current(best.id);
                  return;
                }
              }
              if (clickRef.current) clickRef.current(u.posToVal(left, 'x'));
            });
          },
        ],
      },
    };
    const aligned: uPlot.AlignedData = [data.xs, ...data.series.map((s) => s.values)];
    const u = new uPlot(opts, aligned, el);
    plot.current = u;
    const ro = new ResizeObserver(() =>
      u.setSize({ width: Math.max(200, el.clientWidth), height }),
    );
    ro.observe(el);
    return () => {
      ro.disconnect();
      u.destroy();
      plot.current = null;
    };
  }, [data, format, height, theme, markers, xMin, xMax]);

  return (
    <div
      class={props.onClick ? 'chart clickable' : 'chart'}
      ref={box}
      role="img"
      aria-label={props.label}
    />
  );
}
