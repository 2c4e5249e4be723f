// Small building blocks shared by the pages: status lines for loading and
// errors (always in the page, with role=status/alert for screen readers).
import type { ComponentChildren, JSX } from 'preact';
import type { Async } from './hooks';

export function Loading(props: { what: string }): JSX.Element {
  return (
    <div class="status loading" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" /> Loading {props.what}…
    </div>
  );
}

export function ErrorBox(props: {
  title?: string;
  message: string;
  onRetry?: () => void;
}): JSX.Element {
  return (
    <div class="status error" role="alert">
      <strong>{props.title ?? 'Something went wrong'}:</strong>{' '}
      <span class="error-text">{props.message}</span>
      {props.onRetry ? (
        <button type="button" class="link-button" onClick={props.onRetry}>
          Retry
        </button>
      ) : null}
    </div>
  );
}

export function Empty(props: { children: ComponentChildren }): JSX.Element {
  return <div class="status empty">{props.children}</div>;
}

/** Status line for an async load; renders nothing once data is there. */
export function AsyncStatus<T>(props: {
  a: Async<T>;
  what: string;
  onRetry?: () => void;
}): JSX.Element | null {
  const a = props.a;
  if (a.state === 'loading') return <Loading what={props.what} />;
  if (a.state === 'error')
    return (
      <ErrorBox title={`Could not load ${props.what}`} message={a.error} onRetry={props.onRetry} />
    );
  return null;
}

export function Field(props: {
  label: string;
  children: ComponentChildren;
  hint?: string;
  wide?: boolean;
}): JSX.Element {
  return (
    <label class={props.wide ? 'field wide' : 'field'}>
      <span class="field-label">{props.label}</span>
      {props.children}
      {props.hint ? <span class="field-hint">{props.hint}</span> : null}
    </label>
  );
}
