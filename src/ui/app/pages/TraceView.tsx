// One trace: a virtualized, collapsible waterfall with service colours and
// bars to scale, search inside the trace, critical path, per-operation
// statistics, span details as plain text, and a JSON download.
import type { JSX } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import { request } from '../api';
import { dataOf, useAsync } from '../hooks';
import { Link, setParams } from '../router';
import { AsyncStatus, Empty } from '../ui';
import { VirtualList } from '../VirtualList';
import { SpanDetails } from './SpanDetails';
import { SpanRow, StatsTable } from './WaterfallParts';
import { formatMicros } from '../../lib/duration';
import type { JaegerTrace } from '../../lib/jaeger';
import {
  ancestorsOf,
  buildTree,
  criticalPath,
  searchSpans,
  serviceColor,
  visibleRows,
} from '../../lib/waterfall';

const ROW_H = 26;

export function TraceView(props: { traceID: string; params: URLSearchParams }): JSX.Element {
  const { traceID, params } = props;
  const res = useAsync(
    (signal) =>
      request<{ data: JaegerTrace[] }>(`/jaeger/api/traces/${encodeURIComponent(traceID)}`, {
        signal,
      }).then((r) => {
        const t = r.data?.[0];
        if (!t) throw new Error(`trace ${traceID} was not found`);
        return t;
      }),
    [traceID],
  );
  const trace = dataOf(res);
  return (
    <section class="page trace-page">
      <AsyncStatus a={res} what={`trace ${traceID}`} onRetry={res.reload} />
      {trace ? <TraceBody trace={trace} params={params} /> : null}
    </section>
  );
}

function TraceBody(props: { trace: JaegerTrace; params: URLSearchParams }): JSX.Element {
  const { trace, params } = props;
  const tree = useMemo(() => buildTree(trace), [trace]);
  const [collapsed, setCollapsed] = useState<Set<string>>(() => new Set());
  const [find, setFind] = useState(params.get('find') ?? '');
  const [showCritical, setShowCritical] = useState(false);
  const [showStats, setShowStats] = useState(false);
  const hits = useMemo(() => searchSpans(tree, trace, find), [tree, trace, find]);
  const critical = useMemo(
    () => (showCritical ? criticalPath(tree) : new Set<string>()),
    [tree, showCritical],
  );
  // Search hits inside collapsed subtrees are revealed by expanding their ancestors.
  const effectiveCollapsed = useMemo(() => {
    if (hits.size === 0) return collapsed;
    const open = ancestorsOf(tree, hits);
    return new Set([...collapsed].filter((id) => !open.has(id)));
  }, [collapsed, hits, tree]);
  const rows = useMemo(() => visibleRows(tree, effectiveCollapsed), [tree, effectiveCollapsed]);
  const selectedID = params.get('span') ?? tree.roots[0]?.span.spanID ?? '';
  const selectedIndex = rows.findIndex((r) => r.node.span.spanID === selectedID);
  const selected = tree.byID.get(selectedID);
  const root = tree.roots[0];
  const services = useMemo(
    () => [...new Set([...tree.byID.values()].map((n) => n.service))].sort(),
    [tree],
  );
  const errors = [...tree.byID.values()].filter((n) => n.isError).length;

  const select = (id: string): void => setParams({ span: id }, { replace: true });
  const toggle = (id: string): void => {
    const next = new Set(collapsed);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setCollapsed(next);
  };
  const onKey = (e: KeyboardEvent): void => {
    const row = rows[selectedIndex];
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const i = Math.min(
        rows.length - 1,
        Math.max(0, selectedIndex + (e.key === 'ArrowDown' ? 1 : -1)),
      );
      const r = rows[i];
      if (r) select(r.node.span.spanID);
    } else if (e.key === 'ArrowLeft' && row) {
      e.preventDefault();
      if (row.hasChildren && !row.collapsed) toggle(row.node.span.spanID);
      else if (row.node.parentID) select(row.node.parentID);
    } else if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      const r = e.key === 'Home' ? rows[0] : rows[rows.length - 1];
      if (r) select(r.node.span.spanID);
    } else if (e.key === 'ArrowRight' && row?.hasChildren && row.collapsed) {
      e.preventDefault();
      toggle(row.node.span.spanID);
    }
  };
  const download = (): void => {
    const blob = new Blob([JSON.stringify({ data: [trace] }, null, 2)], {
      type: 'application/json',
    });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `trace-${trace.traceID}.json`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  };
  const ticks = [0, 0.25, 0.5, 0.75, 1];

  return (
    <>
      <div class="page-head">
        <h1>
          {root ? (
            <>
              <span
                class="svc-dot"
                style={{ background: serviceColor(root.service) }}
                aria-hidden="true"
              />
              {root.service}: {root.span.operationName}
            </>
          ) : (
            'Empty trace'
          )}
        </h1>
        <div class="trace-facts">
          <span>
            Trace <code>{trace.traceID}</code>
          </span>
          <span>{new Date(tree.start / 1000).toLocaleString()}</span>
          <span>
            Duration <strong>{formatMicros(tree.duration)}</strong>
          </span>
          <span>{tree.byID.size} spans</span>
          <span>{services.length} services</span>
          <span>depth {tree.maxDepth + 1}</span>
          {errors > 0 ? <span class="badge err">{errors} errors</span> : null}
        </div>
      </div>
      <div class="toolbar trace-toolbar">
        <label class="field">
          <span class="field-label">Find in trace</span>
          <input
            type="search"
            value={find}
            placeholder="operation, service, attribute…"
            onInput={(e) => {
              const v = (e.target as HTMLInputElement).value;
              setFind(v);
              setParams({ find: v.slice(0, 200) }, { replace: true });
            }}
          />
        </label>
        {find.trim() ? <span role="status">{hits.size} matching spans</span> : null}
        <button type="button" onClick={() => setCollapsed(new Set())}>
          Expand all
        </button>
        <button
          type="button"
          onClick={() =>
            setCollapsed(
              new Set(
                [...tree.byID.values()]
                  .filter((n) => n.depth >= 1 && n.children.length > 0)
                  .map((n) => n.span.spanID),
              ),
            )
          }
        >
          Collapse all
        </button>
        <button
          type="button"
          aria-pressed={showCritical}
          onClick={() => setShowCritical(!showCritical)}
        >
          Critical path
        </button>
        <button type="button" aria-pressed={showStats} onClick={() => setShowStats(!showStats)}>
          Statistics
        </button>
        <button type="button" onClick={download}>
          Download JSON
        </button>
        <Link href={`/logs?traceID=${trace.traceID}`}>Logs of this trace</Link>
      </div>
      <div class="legend" aria-label="Services">
        {services.map((s) => (
          <span key={s} class="chip" style={{ borderColor: serviceColor(s) }}>
            {s}
          </span>
        ))}
      </div>
      {showStats ? <StatsTable trace={trace} /> : null}
      {trace.spans.length === 0 ? <Empty>This trace has no spans.</Empty> : null}
      <div class="waterfall">
        <div class="wf-header" aria-hidden="true">
          <div class="wf-name">Service: operation</div>
          <div class="wf-track">
            {ticks.map((f) => (
              <span key={f} class="wf-tick" style={{ left: `${f * 100}%` }}>
                {formatMicros(f * tree.duration)}
              </span>
            ))}
          </div>
        </div>
        <VirtualList
          items={rows}
          rowHeight={ROW_H}
          height={Math.min(560, Math.max(ROW_H * 4, rows.length * ROW_H))}
          label="Span waterfall; arrow keys move, left and right collapse and expand, Home and End jump"
          role="tree"
          onKeyDown={onKey}
          activeDescendant={selectedID ? `span-${selectedID}` : undefined}
          focusIndex={selectedIndex}
          render={(r) => (
            <SpanRow
              row={r}
              selected={r.node.span.spanID === selectedID}
              hit={hits.has(r.node.span.spanID)}
              critical={critical.has(r.node.span.spanID)}
              onSelect={select}
              onToggle={toggle}
            />
          )}
        />
      </div>
      {selected ? <SpanDetails node={selected} trace={trace} traceStart={tree.start} /> : null}
    </>
  );
}
