// Log search by service, severity, text and trace id; each record links to
// its trace and span.
import type { JSX } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { qs, request } from '../api';
import { dataOf, useAsync } from '../hooks';
import { Link, setParams } from '../router';
import { TimeRangePicker, resolveRange } from '../TimeRange';
import { AsyncStatus, Empty, Field } from '../ui';
import { VirtualList } from '../VirtualList';
import { formatClock } from '../../lib/duration';
import { normalizeLog, type LogRow } from '../../lib/logs';
import { serviceColor } from '../../lib/waterfall';

const SEVERITIES = ['', 'TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];
const FIELDS = ['service', 'severity', 'text', 'traceID', 'spanID', 'limit'] as const;
type Form = Record<(typeof FIELDS)[number], string>;

export function Logs(props: { params: URLSearchParams }): JSX.Element {
  const { params } = props;
  const key = params.toString();
  const fromUrl = useMemo(
    () =>
      Object.fromEntries(
        FIELDS.map((f) => [f, params.get(f) ?? (f === 'limit' ? '200' : '')]),
      ) as Form,
    [key],
  );
  const [draft, setDraft] = useState<Form>(fromUrl);
  useEffect(() => setDraft(fromUrl), [fromUrl]);
  const resolved = useMemo(() => resolveRange(params, Date.now(), '1h'), [key]);
  const logs = useAsync(
    resolved.ok
      ? (signal) =>
          request<{ data: unknown[] }>(
            `/api/logs${qs({
              service: fromUrl.service,
              minSeverity: fromUrl.severity.toLowerCase(),
              text: fromUrl.text,
              traceId: fromUrl.traceID,
              spanId: fromUrl.spanID,
              limit: fromUrl.limit,
              start: Math.round(resolved.range.start * 1e6),
              end: Math.round(resolved.range.end * 1e6),
            })}`,
            { signal },
          ).then((r) => (r.data ?? []).map(normalizeLog))
      : null,
    [key],
  );
  const rows = dataOf(logs) ?? [];
  const services = useAsync(
    (signal) =>
      request<{ data: string[] | null }>('/jaeger/api/services', { signal }).then(
        (r) => r.data ?? [],
      ),
    [],
  );
  const set = (f: keyof Form, v: string): void => setDraft({ ...draft, [f]: v });
  return (
    <section class="page">
      <div class="page-head">
        <h1>Logs</h1>
      </div>
      <form
        class="search-form"
        aria-label="Log search"
        onSubmit={(e) => {
          e.preventDefault();
          setParams({ ...draft, limit: draft.limit === '200' ? null : draft.limit });
        }}
      >
        <Field label="Service">
          <input
            type="text"
            list="log-services"
            value={draft.service}
            onInput={(e) => set('service', (e.target as HTMLInputElement).value)}
          />
        </Field>
        <datalist id="log-services">
          {(dataOf(services) ?? []).map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
        <Field label="Severity (at least)">
          <select
            value={draft.severity}
            onChange={(e) => set('severity', (e.target as HTMLSelectElement).value)}
          >
            {SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {s || 'any'}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Text" wide>
          <input
            type="search"
            value={draft.text}
            onInput={(e) => set('text', (e.target as HTMLInputElement).value)}
          />
        </Field>
        <Field label="Trace ID">
          <input
            type="text"
            value={draft.traceID}
            size={34}
            spellcheck={false}
            onInput={(e) => set('traceID', (e.target as HTMLInputElement).value.trim())}
          />
        </Field>
        <TimeRangePicker params={params} resolved={resolved} />
        <button type="submit" class="primary">
          Search logs
        </button>
      </form>
      <AsyncStatus a={logs} what="logs" onRetry={logs.reload} />
      {logs.state === 'ok' && rows.length === 0 ? <Empty>No log records match.</Empty> : null}
      {rows.length > 0 ? (
        <>
          <div class="results-head" role="status">
            {rows.length} records
          </div>
          <VirtualList
            items={rows}
            rowHeight={30}
            height={600}
            label="Log records"
            render={(r) => <LogLine r={r} />}
          />
        </>
      ) : null}
    </section>
  );
}

function LogLine(props: { r: LogRow }): JSX.Element {
  const { r } = props;
  const sev = r.severity.toUpperCase();
  return (
    <div class="log-line" title={r.attributes.map(([k, v]) => `${k}=${v}`).join('\n')}>
      <span class="muted num">{formatClock(r.time)}</span>
      <span
        class={`sev sev-${/^(ERROR|FATAL)/.test(sev) ? 'err' : /^WARN/.test(sev) ? 'warn' : 'info'}`}
      >
        {r.severity}
      </span>
      <span class="chip" style={{ borderColor: serviceColor(r.service) }}>
        {r.service}
      </span>
      <span class="log-body">{r.body}</span>
      {r.traceID ? (
        <Link href={`/trace/${r.traceID}${r.spanID ? `?span=${r.spanID}` : ''}`} class="log-trace">
          trace {r.traceID.slice(0, 8)}
        </Link>
      ) : null}
    </div>
  );
}
