// Log search by service, severity, text and trace id; each record links to
// its trace and span. One record more than the limit is asked for, so the
// page knows when there are more than it shows; "Load more" raises the
// limit, up to MAX_LOGS.
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
const DEFAULT_LOGS = 200;
const MORE_LOGS = 200;
/** Below the API's limit of 1500, with room for the one extra record. */
const MAX_LOGS = 1000;

/** The limit in the URL, as a count the page can ask for: bad text is the default, big is MAX_LOGS. */
function logLimit(text: string): number {
  const n = /^\d{1,7}$/.test(text.trim()) ? Number(text) : DEFAULT_LOGS;
  return Math.min(MAX_LOGS, Math.max(1, n || DEFAULT_LOGS));
}
type Form = Record<(typeof FIELDS)[number], string>;

export function Logs(props: { params: URLSearchParams }): JSX.Element {
  const { params } = props;
  const key = params.toString();
  const fromUrl = useMemo(
    () =>
      Object.fromEntries(
        FIELDS.map((f) => [
          f,
          f === 'limit' ? String(logLimit(params.get(f) ?? '')) : (params.get(f) ?? ''),
        ]),
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
              limit: logLimit(fromUrl.limit) + 1,
              start: Math.round(resolved.range.start * 1e6),
              end: Math.round(resolved.range.end * 1e6),
            })}`,
            { signal },
          ).then((r) => (r.data ?? []).map(normalizeLog))
      : null,
    [key],
  );
  const limit = logLimit(fromUrl.limit);
  const fetched = dataOf(logs) ?? [];
  const more = fetched.length > limit;
  const rows = more ? fetched.slice(0, limit) : fetched;
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
          const n = logLimit(draft.limit);
          setParams({ ...draft, limit: n === DEFAULT_LOGS ? null : String(n) });
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
        <Field label="Limit">
          <input
            type="number"
            min={1}
            max={MAX_LOGS}
            step={1}
            value={draft.limit}
            onInput={(e) => set('limit', (e.target as HTMLInputElement).value)}
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
            {more ? `Latest ${rows.length} records of more` : `${rows.length} records`}
            {more && limit < MAX_LOGS ? (
              <>
                {' '}
                <button
                  type="button"
                  class="link-button"
                  onClick={() =>
                    setParams({ limit: String(Math.min(MAX_LOGS, limit + MORE_LOGS)) })
                  }
                >
                  Load {Math.min(MAX_LOGS, limit + MORE_LOGS) - limit} more
                </button>
              </>
            ) : null}
            {more && limit >= MAX_LOGS ? (
              <span class="muted">
                {' '}
                (at most {MAX_LOGS}: narrow the range, service, severity or text to see older ones)
              </span>
            ) : null}
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
