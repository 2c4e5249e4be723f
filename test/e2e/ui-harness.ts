// The browser side of the lab UI's tests (Debian's Chromium driven by
// playwright-core): each ui-*.test.ts registers its checks once with
// uiSuites(), which runs them on a fixture server with canned answers (exact
// counts, screenshots into docs/screenshots/) and on the real API server,
// PromQL engine and span metrics in-process over a memory store. With
// OTEL_LAB_URL (e.g. http://127.0.0.1:8080) they run against a running lab
// instead. Every suite ends by checking that no page raised an error or
// opened a dialog.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from './browser';
import { FIXED_NOW_MS } from './ui-canned';
import { startFixture, type Backend, type Fixture } from './ui-fixture';
import { sendProbe, startLab } from './ui-lab';

function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json')) || !existsSync(path.join(dir, 'src', 'ui'))) {
    const up = path.dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
  return dir;
}

const root = repoRoot();
const shots = path.join(root, 'docs', 'screenshots');
const real = process.env['OTEL_LAB_URL'];

// One Chromium per test file, one context per suite: a launch costs about a
// second on a loaded machine, a context a few milliseconds.
let browser: Promise<Browser> | undefined;
let closeRegistered = false;
function sharedBrowser(): Promise<Browser> {
  browser ??= chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS] });
  return browser;
}

export interface SuiteOptions {
  /** Checks that need the fixture's canned data (the 10,000-span trace). */
  fixtureChecks: boolean;
  /** Where screenshots go; none when undefined. */
  shotsDir?: string;
  /** The browser's clock fixed at FIXED_NOW_MS in UTC, so screenshots change only when the UI does. */
  fixedClock: boolean;
}

/** What a check sees: set by the suite's before hook, so read it inside tests only. */
export interface UiSession {
  readonly base: string;
  /** Present only on the canned fixture, whose data allows exact counts. */
  readonly fixture: Fixture | undefined;
  readonly context: BrowserContext;
  /** Messages of dialogs the pages opened (each dismissed). */
  readonly dialogs: string[];
  open(urlPath: string): Promise<Page>;
  /** A screenshot into the suite's screenshot folder, rewritten only when the pixels changed. */
  shot(page: Page, file: string, fullPage?: boolean): Promise<void>;
}

class Session implements UiSession {
  base = '';
  fixture: Fixture | undefined;
  backend: Backend | undefined;
  ctx: BrowserContext | undefined;
  readonly dialogs: string[] = [];
  readonly pageErrors: string[] = [];

  constructor(private readonly shotsDir: string | undefined) {}

  get context(): BrowserContext {
    if (!this.ctx) throw new Error('the browser did not start: see the before hook');
    return this.ctx;
  }

  async open(urlPath: string): Promise<Page> {
    const page = await this.context.newPage();
    page.on('dialog', (d) => {
      this.dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('pageerror', (e) => this.pageErrors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy/i.test(m.text()))
        this.pageErrors.push(m.text());
    });
    await page.goto(this.base + urlPath);
    return page;
  }

  async shot(page: Page, file: string, fullPage = false): Promise<void> {
    if (!this.shotsDir) return;
    // Settled page (no request in flight, resize observers run), no animation:
    // the same UI gives the same picture.
    await page.waitForLoadState('networkidle');
    const png = await page.screenshot({ fullPage, animations: 'disabled' });
    const target = path.join(this.shotsDir, file);
    // PNG bytes vary between runs for the same pixels: keep the checked-in
    // file unless the picture really changed.
    if (existsSync(target) && (await this.samePixels(png, readFileSync(target)))) return;
    writeFileSync(target, png);
  }

  private async samePixels(a: Buffer, b: Buffer): Promise<boolean> {
    if (a.equals(b)) return true;
    const page = await this.context.newPage();
    try {
      const same = await page.evaluate(`(async () => {
        const load = (b64) => new Promise((ok, fail) => {
          const img = new Image();
          img.onload = () => ok(img);
          img.onerror = fail;
          img.src = 'data:image/png;base64,' + b64;
        });
        const pixels = (img) => {
          const c = document.createElement('canvas');
          c.width = img.width;
          c.height = img.height;
          const ctx = c.getContext('2d');
          ctx.drawImage(img, 0, 0);
          return ctx.getImageData(0, 0, c.width, c.height).data;
        };
        const [x, y] = [await load(${JSON.stringify(a.toString('base64'))}), await load(${JSON.stringify(b.toString('base64'))})];
        if (x.width !== y.width || x.height !== y.height) return false;
        const [p, q] = [pixels(x), pixels(y)];
        for (let i = 0; i < p.length; i++) if (p[i] !== q[i]) return false;
        return true;
      })()`);
      return same === true;
    } finally {
      await page.close();
    }
  }
}

type Register = (ui: UiSession, opts: SuiteOptions) => void;

function uiSuite(
  name: string,
  startBackend: (uiDir: string) => Promise<Backend>,
  opts: SuiteOptions,
  register: Register,
): void {
  describe(name, () => {
    const s = new Session(opts.shotsDir);

    before(async () => {
      const uiDir = path.join(root, 'dist', 'ui');
      assert.ok(
        existsSync(path.join(uiDir, 'index.html')),
        'dist/ui is not built: run `npm run build:ui` first',
      );
      s.backend = await startBackend(uiDir);
      s.fixture = s.backend.fixture;
      s.base = s.backend.url;
      if (opts.shotsDir) mkdirSync(opts.shotsDir, { recursive: true });
      s.ctx = await (
        await sharedBrowser()
      ).newContext({
        viewport: { width: 1400, height: 900 },
        colorScheme: 'light',
        ...(opts.fixedClock ? { timezoneId: 'UTC', locale: 'en-US' } : {}),
      });
      if (opts.fixedClock) await s.ctx.clock.setFixedTime(FIXED_NOW_MS);
    });

    after(async () => {
      await s.ctx?.close();
      await s.backend?.close();
    });

    register(s, opts);

    test('no page raised an error or opened a dialog', () => {
      assert.deepEqual(s.pageErrors, []);
      assert.deepEqual(s.dialogs, []);
    });
  });
}

/** Registers a page's checks on every backend this run tests (see the header). */
export function uiSuites(page: string, register: Register): void {
  if (!closeRegistered) {
    closeRegistered = true;
    // At the file's top level: runs after every suite of the file.
    after(async () => {
      await (await browser)?.close();
    });
  }
  if (real) {
    uiSuite(
      `${page} in Chromium against ${real}`,
      async () => {
        await sendProbe(real);
        return { url: real, close: async () => undefined };
      },
      // The real lab's pictures, kept apart from the fixture's stable ones.
      { fixtureChecks: false, fixedClock: false, shotsDir: path.join(shots, 'lab') },
      register,
    );
    return;
  }
  uiSuite(
    `${page} in Chromium on canned API answers`,
    async (uiDir) => {
      const fixture = await startFixture(uiDir);
      return { url: fixture.url, fixture, close: fixture.close };
    },
    { fixtureChecks: true, fixedClock: true, shotsDir: shots },
    register,
  );
  uiSuite(
    `${page} in Chromium on the real query APIs (in-process lab)`,
    startLab,
    { fixtureChecks: false, fixedClock: false },
    register,
  );
}
