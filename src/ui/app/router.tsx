// URL routing without a library: the path picks the page, the search params
// hold the page's state, so any view can be bookmarked or shared.
import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';

export interface Location {
  path: string;
  params: URLSearchParams;
}

const listeners = new Set<() => void>();

function current(): Location {
  return { path: window.location.pathname, params: new URLSearchParams(window.location.search) };
}

export function navigate(url: string, opts: { replace?: boolean } = {}): void {
  if (url === window.location.pathname + window.location.search) return;
  if (opts.replace) window.history.replaceState(null, '', url);
  else window.history.pushState(null, '', url);
  for (const l of listeners) l();
}

/** Replaces some search params of the current page, dropping empty ones. */
export function setParams(
  changes: Record<string, string | null | undefined>,
  opts: { replace?: boolean } = {},
): void {
  const p = new URLSearchParams(window.location.search);
  for (const [k, v] of Object.entries(changes)) {
    if (v === null || v === undefined || v === '') p.delete(k);
    else p.set(k, v);
  }
  const s = p.toString();
  navigate(window.location.pathname + (s ? `?${s}` : ''), opts);
}

export function useLocation(): Location {
  const [loc, setLoc] = useState(current);
  useEffect(() => {
    const update = (): void => setLoc(current());
    listeners.add(update);
    window.addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return loc;
}

export function Link(props: {
  href: string;
  class?: string;
  children: ComponentChildren;
  title?: string;
  'aria-current'?: 'page';
}): JSX.Element {
  const onClick = (e: MouseEvent): void => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey)
      return;
    e.preventDefault();
    navigate(props.href);
    window.scrollTo(0, 0);
  };
  return (
    <a
      href={props.href}
      class={props.class}
      onClick={onClick}
      title={props.title}
      aria-current={props['aria-current']}
    >
      {props.children}
    </a>
  );
}
