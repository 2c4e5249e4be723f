// Everything about one span, as text: attributes, resource, events, links,
// status. Values come from instrumented apps and are untrusted, so they only
// ever become text nodes.
import type { JSX } from 'preact';
import { Link } from '../router';
import { formatMicros } from '../../lib/duration';
import { tagValue, type JaegerTag, type JaegerTrace } from '../../lib/jaeger';
import { serviceColor, type SpanNode } from '../../lib/waterfall';

function TagTable(props: { tags: JaegerTag[]; caption: string }): JSX.Element {
  if (props.tags.length === 0) return <p class="muted">No {props.caption.toLowerCase()}.</p>;
  const sorted = [...props.tags].sort((a, b) => a.key.localeCompare(b.key));
  return (
    <table class="kv">
      <caption class="sr-only">{props.caption}</caption>
      <tbody>
        {sorted.map((t, i) => (
          <tr key={`${t.key}${i}`}>
            <th scope="row">{t.key}</th>
            <td>
              <span class="kv-value">{String(t.value)}</span>
              {t.type && t.type !== 'string' ? <span class="kv-type">{t.type}</span> : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function SpanDetails(props: {
  node: SpanNode;
  trace: JaegerTrace;
  traceStart: number;
}): JSX.Element {
  const { node, trace, traceStart } = props;
  const s = node.span;
  const process = trace.processes[s.processID];
  const status = tagValue(s.tags, 'otel.status_code') ?? (node.isError ? 'ERROR' : 'UNSET');
  const statusMessage = tagValue(s.tags, 'otel.status_description');
  const kind = tagValue(s.tags, 'span.kind') ?? 'internal';
  const refs = s.references ?? [];
  const links = refs.filter((r) => r.spanID !== node.parentID);
  return (
    <section class="span-details" aria-label="Span details">
      <h2>
        <span
          class="svc-dot"
          style={{ background: serviceColor(node.service) }}
          aria-hidden="true"
        />
        {node.service}: {s.operationName}
      </h2>
      <dl class="facts">
        <dt>Duration</dt>
        <dd>{formatMicros(s.duration)}</dd>
        <dt>Self time</dt>
        <dd>{formatMicros(node.selfTime)}</dd>
        <dt>Starts at</dt>
        <dd>+{formatMicros(s.startTime - traceStart)}</dd>
        <dt>Kind</dt>
        <dd>{String(kind)}</dd>
        <dt>Status</dt>
        <dd class={status === 'ERROR' ? 'err-text' : ''}>
          {String(status)}
          {statusMessage !== undefined ? `: ${String(statusMessage)}` : ''}
        </dd>
        <dt>Span ID</dt>
        <dd>
          <code>{s.spanID}</code>
        </dd>
        <dt>Parent</dt>
        <dd>{node.parentID ? <code>{node.parentID}</code> : 'none (root)'}</dd>
        <dt>Logs</dt>
        <dd>
          <Link href={`/logs?traceID=${s.traceID}&spanID=${s.spanID}`}>logs of this span</Link>
        </dd>
      </dl>
      <div class="detail-grid">
        <div>
          <h3>Attributes ({s.tags?.length ?? 0})</h3>
          <TagTable tags={s.tags ?? []} caption="Attributes" />
        </div>
        <div>
          <h3>Resource ({process?.tags?.length ?? 0})</h3>
          <TagTable
            tags={[
              { key: 'service.name', value: process?.serviceName ?? 'unknown' },
              ...(process?.tags ?? []),
            ]}
            caption="Resource attributes"
          />
        </div>
      </div>
      <h3>Events ({s.logs?.length ?? 0})</h3>
      {(s.logs ?? []).length === 0 ? <p class="muted">No events.</p> : null}
      {(s.logs ?? []).map((l, i) => (
        <div class="event" key={i}>
          <div class="event-time">+{formatMicros(l.timestamp - s.startTime)}</div>
          <TagTable tags={l.fields} caption="Event fields" />
        </div>
      ))}
      <h3>Links ({links.length})</h3>
      {links.length === 0 ? <p class="muted">No links.</p> : null}
      <ul>
        {links.map((r) => (
          <li key={r.traceID + r.spanID}>
            {r.refType}{' '}
            <Link href={`/trace/${r.traceID}?span=${r.spanID}`}>
              <code>
                {r.traceID.slice(0, 12)}/{r.spanID}
              </code>
            </Link>
          </li>
        ))}
      </ul>
      {s.warnings && s.warnings.length > 0 ? (
        <>
          <h3>Warnings</h3>
          <ul>
            {s.warnings.map((w, i) => (
              <li key={i}>{w}</li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
