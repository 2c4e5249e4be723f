// Serves the built lab UI (a Vite app in `dist/ui`) with an SPA fallback:
// an unknown path without a file extension gets index.html, so client-side
// routes survive a reload. Paths are decoded segment by segment and must
// stay inside the UI directory (symlinks included).

import { readFileSync } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Context } from 'hono';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.wasm': 'application/wasm',
};

export function contentTypeOf(file: string): string {
  return TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** The package root (the folder holding otel-lab's package.json), from source or from dist/. */
export function packageRoot(from: string = __dirname): string {
  let dir = from;
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
        name?: unknown;
      };
      if (pkg.name === 'otel-lab') return dir;
    } catch {
      // no (readable) package.json here: keep climbing
    }
    const up = path.dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
}

export function defaultUiDir(): string {
  return path.join(packageRoot(), 'dist', 'ui');
}

/** URL path -> path segments, or undefined when a segment tries to leave the root. */
export function safeSegments(urlPath: string): string[] | undefined {
  const out: string[] = [];
  for (const raw of urlPath.split('/')) {
    if (raw === '') continue;
    let seg: string;
    try {
      seg = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
    if (seg === '.' || seg === '..' || /[/\\\0]/.test(seg) || seg.startsWith('.')) return undefined;
    out.push(seg);
  }
  return out;
}

async function fileInside(root: string, segments: readonly string[]): Promise<string | undefined> {
  const candidate = path.join(root, ...segments);
  try {
    const real = await realpath(candidate);
    if (real !== root && !real.startsWith(root + path.sep)) return undefined;
    return (await stat(real)).isFile() ? real : undefined;
  } catch {
    return undefined;
  }
}

export type StaticHandler = (c: Context) => Promise<Response>;

export function createStaticHandler(uiDir: string = defaultUiDir()): StaticHandler {
  let rootPromise: Promise<string | undefined> | undefined;
  const root = (): Promise<string | undefined> =>
    (rootPromise ??= realpath(uiDir).catch(() => {
      rootPromise = undefined; // the UI may be built after the server starts
      return undefined;
    }));

  return async (c) => {
    const dir = await root();
    if (dir === undefined) {
      return c.text(
        `The lab UI is not built (no ${uiDir}). Run \`npm run build:ui\`, then reload.\n`,
        503,
      );
    }
    const segments = safeSegments(c.req.path);
    if (segments === undefined) return c.text('Bad path\n', 400);
    let file = await fileInside(dir, segments.length === 0 ? ['index.html'] : segments);
    let spa = false;
    if (file === undefined) {
      const last = segments[segments.length - 1] ?? '';
      if (last.includes('.')) return c.text('Not found\n', 404);
      file = await fileInside(dir, ['index.html']);
      spa = true;
      if (file === undefined) return c.text('Not found: the UI has no index.html\n', 404);
    }
    const body = await readFile(file);
    const hashedAsset = !spa && segments[0] === 'assets';
    c.header('Content-Type', contentTypeOf(file));
    c.header('Cache-Control', hashedAsset ? 'public, max-age=31536000, immutable' : 'no-cache');
    c.header('Content-Length', String(body.byteLength));
    if (c.req.method === 'HEAD') return c.body(null, 200);
    return c.body(new Uint8Array(body), 200);
  };
}
