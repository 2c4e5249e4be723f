// The shell: navigation, theme, and the page picked by the URL path.
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Link, useLocation } from './router';
import { Dashboard } from './pages/Dashboard';
import { Traces } from './pages/Traces';
import { TraceView } from './pages/TraceView';
import { Compare } from './pages/Compare';
import { Flags } from './pages/Flags';
import { Logs } from './pages/Logs';
import { ServiceMapPage } from './pages/ServiceMap';

type Theme = 'light' | 'dark';

function initialTheme(): Theme {
  const saved = localStorage.getItem('otel-lab-theme');
  if (saved === 'light' || saved === 'dark') return saved;
  return window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

const NAV: { href: string; label: string; match: (p: string) => boolean }[] = [
  { href: '/', label: 'Dashboard', match: (p) => p === '/' || p === '/dashboard' },
  { href: '/traces', label: 'Traces', match: (p) => p.startsWith('/trace') },
  { href: '/compare', label: 'Compare', match: (p) => p === '/compare' },
  { href: '/flags', label: 'Flags', match: (p) => p === '/flags' },
  { href: '/logs', label: 'Logs', match: (p) => p === '/logs' },
  { href: '/map', label: 'Service map', match: (p) => p === '/map' },
];

export function App(): JSX.Element {
  const loc = useLocation();
  const [theme, setTheme] = useState<Theme>(initialTheme);
  useEffect(() => {
    document.documentElement.dataset['theme'] = theme;
  }, [theme]);
  const toggle = (): void => {
    const next: Theme = theme === 'dark' ? 'light' : 'dark';
    localStorage.setItem('otel-lab-theme', next);
    setTheme(next);
  };
  const page = pageFor(loc.path, loc.params);
  useEffect(() => {
    document.title = `${page.title} · otel-lab`;
  }, [page.title]);
  return (
    <div class="shell">
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <span class="brand" aria-label="otel-lab">
          <span class="brand-dot" aria-hidden="true" />
          otel-lab
        </span>
        <nav aria-label="Main">
          {NAV.map((n) => (
            <Link
              key={n.href}
              href={n.href}
              class="nav-link"
              aria-current={n.match(loc.path) ? 'page' : undefined}
            >
              {n.label}
            </Link>
          ))}
        </nav>
        <button
          type="button"
          class="theme-toggle"
          onClick={toggle}
          aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}
        >
          {theme === 'dark' ? '☀ Light' : '☾ Dark'}
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {page.body}
      </main>
    </div>
  );
}

function pageFor(path: string, params: URLSearchParams): { title: string; body: JSX.Element } {
  if (path === '/' || path === '/dashboard')
    return { title: 'Dashboard', body: <Dashboard params={params} /> };
  if (path === '/traces' || path === '/search')
    return { title: 'Traces', body: <Traces params={params} /> };
  const m = /^\/trace\/([0-9a-fA-F]{1,32})\/?$/.exec(path);
  if (m && m[1])
    return {
      title: `Trace ${m[1].slice(0, 8)}`,
      body: <TraceView traceID={m[1].toLowerCase()} params={params} />,
    };
  if (path === '/compare') return { title: 'Compare', body: <Compare params={params} /> };
  if (path === '/flags') return { title: 'Flags', body: <Flags /> };
  if (path === '/logs') return { title: 'Logs', body: <Logs params={params} /> };
  if (path === '/map') return { title: 'Service map', body: <ServiceMapPage params={params} /> };
  return {
    title: 'Not found',
    body: (
      <section class="page">
        <h1>Page not found</h1>
        <p>
          Nothing lives at <code>{path}</code>. <Link href="/">Go to the dashboard</Link>.
        </p>
      </section>
    ),
  };
}
