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
}

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || fallback;
}

export function Chart(props: ChartProps): JSX.Element {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const clickRef = useRef(props.onClick);
  clickRef.current = props.onClick;
  const { data, format } = props;
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
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.08 : 1] } },
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
        ready: [
          (u) => {
            u.over.addEventListener('click', () => {
              const left = u.cursor.left;
              if (clickRef.current && left !== undefined && left >= 0)
                clickRef.current(u.posToVal(left, 'x'));
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
  }, [data, format, height, theme]);

  return (
    <div
      class={props.onClick ? 'chart clickable' : 'chart'}
      ref={box}
      role="img"
      aria-label={props.label}
    />
  );
}
