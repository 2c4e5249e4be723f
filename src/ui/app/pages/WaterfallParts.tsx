// Rows of the waterfall and the per-operation statistics table.
import type { JSX } from 'preact';
import { useMemo } from 'preact/hooks';
import { formatMicros } from '../../lib/duration';
import type { JaegerTrace } from '../../lib/jaeger';
import { buildTree, serviceColor, traceStats, type Row } from '../../lib/waterfall';

export function SpanRow(props: {
  row: Row;
  selected: boolean;
  hit: boolean;
  critical: boolean;
  onSelect: (id: string) => void;
  onToggle: (id: string) => void;
}): JSX.Element {
  const { row, selected } = props;
  const n = row.node;
  const color = serviceColor(n.service);
  // Duration label: right of the bar if there is room, else left of it,
  // else inside a bar that spans nearly the whole trace.
  const end = row.left + row.width;
  const labelStyle =
    end < 0.85
      ? { left: `calc(${end * 100}% + 4px)` }
      : row.left > 0.15
        ? { right: `calc(${(1 - row.left) * 100}% + 4px)` }
        : { right: `calc(${(1 - end) * 100}% + 4px)` };
  const inside = end >= 0.85 && row.left <= 0.15;
  const cls = [
    'wf-row',
    selected ? 'selected' : '',
    props.hit ? 'hit' : '',
    n.isError ? 'error' : '',
    props.critical ? 'critical' : '',
  ].join(' ');
  return (
    <div
      class={cls}
      role="treeitem"
      aria-level={n.depth + 1}
      aria-selected={selected}
      aria-expanded={row.hasChildren ? !row.collapsed : undefined}
      onClick={() => props.onSelect(n.span.spanID)}
      data-span-id={n.span.spanID}
      id={`span-${n.span.spanID}`}
    >
      <div class="wf-name" style={{ paddingLeft: `${Math.min(n.depth, 30) * 14 + 4}px` }}>
        {row.hasChildren ? (
          <button
            type="button"
            class="wf-toggle"
            tabIndex={-1}
            aria-label={row.collapsed ? 'Expand' : 'Collapse'}
            onClick={(e) => {
              e.stopPropagation();
              props.onToggle(n.span.spanID);
            }}
          >
            {row.collapsed ? '▸' : '▾'}
          </button>
        ) : (
          <span class="wf-toggle-spacer" />
        )}
        <span class="svc-bar" style={{ background: color }} aria-hidden="true" />
        <span class="wf-svc">{n.service}</span>
        <span class="wf-op">{n.span.operationName}</span>
        {n.isError ? (
          <span class="err-icon" title="error">
            !
          </span>
        ) : null}
        {row.collapsed ? <span class="muted"> ({n.children.length})</span> : null}
      </div>
      <div class="wf-track">
        <span
          class="wf-bar"
          style={{
            left: `${row.left * 100}%`,
            width: `max(2px, ${row.width * 100}%)`,
            background: n.isError ? 'var(--err)' : color,
          }}
        />
        {(n.span.logs ?? []).slice(0, 50).map((l, i) => (
          <span
            key={i}
            class="wf-event"
            aria-hidden="true"
            style={{
              left: `${(row.left + row.width * Math.min(1, Math.max(0, (l.timestamp - n.span.startTime) / (n.span.duration || 1)))) * 100}%`,
            }}
          />
        ))}
        <span class={inside ? 'wf-dur inside' : 'wf-dur'} style={labelStyle}>
          {formatMicros(n.span.duration)}
        </span>
      </div>
    </div>
  );
}

export function StatsTable(props: { trace: JaegerTrace }): JSX.Element {
  const stats = useMemo(() => traceStats(buildTree(props.trace)), [props.trace]);
  return (
    <div class="table-wrap">
      <table class="stats">
        <caption>Per service and operation (self time = time not spent in children)</caption>
        <thead>
          <tr>
            <th scope="col">Service</th>
            <th scope="col">Operation</th>
            <th scope="col" class="num">
              Count
            </th>
            <th scope="col" class="num">
              Total
            </th>
            <th scope="col" class="num">
              Self
            </th>
            <th scope="col" class="num">
              Max
            </th>
            <th scope="col" class="num">
              Errors
            </th>
          </tr>
        </thead>
        <tbody>
          {stats.map((s) => (
            <tr key={s.service + s.operation}>
              <td>{s.service}</td>
              <td>{s.operation}</td>
              <td class="num">{s.count}</td>
              <td class="num">{formatMicros(s.total)}</td>
              <td class="num">{formatMicros(s.self)}</td>
              <td class="num">{formatMicros(s.max)}</td>
              <td class="num">{s.errors}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
