// The scenario end to end on the real lab: `otel-lab start` (backend, ten
// services, load generator) with real telemetry, driven in Debian's Chromium.
// The flag is switched on the UI's Flags page, and the test then requires the
// services to behave differently (cache misses with a growing product list),
// the dashboard to draw its panels, and the trace search and waterfall to show
// the miss. Ctrl-C must leave no process behind.
//
// Uses the lab's default ports (8080, 8081, 4317, 4318, service ports): the
// e2e suite runs one file at a time.

import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from './browser';

const root = path.resolve(__dirname, '..', '..', '..');
const cli = path.join(root, 'dist', 'src', 'cli', 'main.js');
const base = 'http://127.0.0.1:8080';

interface JaegerTag {
  key: string;
  value: unknown;
}
interface JaegerTrace {
  spans: { operationName: string; tags: JaegerTag[] }[];
}

async function until<T>(what: string, ms: number, probe: () => Promise<T | undefined>): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end)
      throw new Error(`timed out after ${ms} ms waiting for ${what} (${String(last)})`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

/** `get_product_list` spans of recent recommendation traces, with `app.cache_hit=<hit>` when given. */
async function productListSpans(hit?: boolean): Promise<Map<string, unknown>[]> {
  const tags =
    hit === undefined
      ? ''
      : `&tags=${encodeURIComponent(JSON.stringify({ 'app.cache_hit': String(hit) }))}`;
  const body = await getJson<{ data: JaegerTrace[] }>(
    `${base}/jaeger/api/traces?service=recommendation&operation=get_product_list${tags}&limit=20&lookback=1h`,
  );
  return body.data
    .flatMap((t) => t.spans)
    .filter((s) => s.operationName === 'get_product_list')
    .map((s) => new Map(s.tags.map((t) => [t.key, t.value])));
}

function processGroupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('the scenario on the real lab (otel-lab start + Chromium)', () => {
  let lab: ChildProcess | undefined;
  let output = '';
  let home = '';
  let userDir = '';
  let context: BrowserContext | undefined;

  before(async () => {
    assert.ok(existsSync(cli), 'dist is not built: run `npm run build` first');
    assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install chromium`);
    home = mkdtempSync(path.join(tmpdir(), 'otel-lab-scenario-'));
    lab = spawn(process.execPath, [cli, 'start', '--speed', '10', '--users', '5'], {
      env: { ...process.env, OTEL_LAB_HOME: home },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    lab.stdout?.on('data', (b: Buffer) => (output += b.toString()));
    lab.stderr?.on('data', (b: Buffer) => (output += b.toString()));
    await until('otel-lab start to report every process up', 60_000, async () =>
      output.includes('otel-lab is running') ? true : undefined,
    );
    await until('recommendation spans at the backend', 60_000, async () => {
      const s = await getJson<{ data: string[] }>(`${base}/jaeger/api/services`);
      return s.data.includes('recommendation') && s.data.includes('frontend') ? true : undefined;
    });
    userDir = mkdtempSync(path.join(tmpdir(), 'otel-lab-scenario-ui-'));
    context = await chromium.launchPersistentContext(userDir, {
      executablePath: CHROMIUM,
      args: [...CHROMIUM_ARGS],
      viewport: { width: 1400, height: 900 },
    });
  });

  after(async () => {
    await context?.close();
    if (lab?.pid !== undefined && lab.exitCode === null) {
      const pid = lab.pid;
      const exited = new Promise<number | null>((r) => lab?.once('exit', (code) => r(code)));
      process.kill(pid, 'SIGINT');
      const code = await Promise.race([
        exited,
        new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 20_000)),
      ]);
      const orphans = processGroupAlive(pid);
      if (code === 'timeout' || orphans) process.kill(-pid, 'SIGKILL');
      assert.notEqual(
        code,
        'timeout',
        `otel-lab start did not stop on Ctrl-C:\n${output.slice(-2000)}`,
      );
      // Children run in their own groups; the supervisor's stop waits for them all.
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(orphans, false, 'processes left in the supervisor group');
    }
    rmSync(home, { recursive: true, force: true });
    if (userDir) rmSync(userDir, { recursive: true, force: true });
  });

  async function open(urlPath: string): Promise<Page> {
    assert.ok(context);
    const page = await context.newPage();
    await page.goto(base + urlPath);
    return page;
  }

  test('with the flag off, recommendation serves the plain catalog', async () => {
    const spans = await until('a get_product_list span', 30_000, async () => {
      const found = await productListSpans();
      return found.length > 0 ? found : undefined;
    });
    // Flag off: no cache at all (so no app.cache_hit), and the catalog's ten products.
    for (const s of spans) {
      assert.equal(s.get('app.recommendation.cache_enabled'), false);
      assert.equal(s.has('app.cache_hit'), false);
      assert.equal(s.get('app.products.count'), 10);
    }
  });

  test('switching the flag on the Flags page changes what the service does', async () => {
    const page = await open('/flags');
    const flag = page.locator('[data-flag="recommendationServiceCacheFailure"]');
    await flag.getByRole('radio', { name: 'on' }).click();
    await page.getByText('recommendationServiceCacheFailure is now “on”').waitFor();
    await page.close();
    // Misses grow the cached list by (L+10)*1.25: soon far beyond ten products.
    const grown = await until('cache misses with a grown product list', 60_000, async () => {
      const spans = (await productListSpans(false)).filter(
        (s) => s.get('app.recommendation.cache_enabled') === true,
      );
      const big = spans.find((s) => Number(s.get('app.products.count')) > 100);
      return big;
    });
    assert.equal(grown.get('app.cache_hit'), false);
  });

  test('the dashboard draws the recommendation panels from real metrics', async () => {
    const page = await open('/?service=recommendation&range=5m');
    const panels = ['latency', 'recommendations', 'cpu', 'memory', 'requests'];
    // A young lab has one or two metric exports (every 10 s): reload until
    // rate() has two samples in every panel's window.
    await until(`every panel drawn (${panels.join(', ')})`, 90_000, async () => {
      await page.reload();
      for (const id of panels) {
        await page.locator(`[data-panel="${id}"] canvas`).first().waitFor({ timeout: 5_000 });
      }
      return true;
    });
    // The lab is younger than the 5 minutes asked for: the x axis still spans them all.
    const chart = page.locator('[data-panel="latency"] .chart');
    const span =
      Number(await chart.getAttribute('data-x-max')) -
      Number(await chart.getAttribute('data-x-min'));
    assert.ok(Math.abs(span - 300) < 2, `x axis spans ${span} s, not 300 s`);
    await page.close();
  });

  test('compare shows the hits and the misses side by side', async () => {
    const q = (side: string, hit: boolean): string =>
      `${side}.service=recommendation&${side}.operation=get_product_list&${side}.tags=${encodeURIComponent(`app.cache_hit=${hit}`)}`;
    const page = await open(`/compare?${q('a', true)}&${q('b', false)}&range=15m`);
    for (const side of ['a', 'b']) {
      await page.locator(`[data-side="${side}"] .facts`).waitFor({ timeout: 30_000 });
    }
    await page.close();
  });

  test('an attribute holding HTML, sent over OTLP by anyone, is shown as text', async () => {
    const xss = '<img src=x onerror=alert(1)>';
    const traceId = '5ca1ab1e' + '0'.repeat(23) + '1';
    const now = BigInt(Date.now()) * 1_000_000n;
    const res = await fetch('http://127.0.0.1:4318/v1/traces', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        resourceSpans: [
          {
            resource: {
              attributes: [{ key: 'service.name', value: { stringValue: 'xss-probe' } }],
            },
            scopeSpans: [
              {
                spans: [
                  {
                    traceId,
                    spanId: '00000000000000a1',
                    name: 'probe',
                    kind: 2,
                    startTimeUnixNano: String(now - 1_000_000n),
                    endTimeUnixNano: String(now),
                    attributes: [{ key: 'user.comment', value: { stringValue: xss } }],
                  },
                ],
              },
            ],
          },
        ],
      }),
    });
    assert.equal(res.status, 200);
    const dialogs: string[] = [];
    const page = await open(`/trace/${traceId}`);
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.locator('.wf-row', { hasText: 'probe' }).first().click();
    const row = page
      .getByRole('region', { name: 'Span details' })
      .locator('tr', { hasText: 'user.comment' });
    await row.waitFor();
    assert.ok(((await row.textContent()) ?? '').includes(xss));
    assert.equal(await page.locator('img[src="x"]').count(), 0);
    assert.deepEqual(dialogs, []);
    await page.close();
  });

  test('trace search finds the misses and the waterfall shows app.cache_hit=false', async () => {
    const page = await open(
      '/traces?service=recommendation&tags=app.cache_hit%3Dfalse&sort=longest',
    );
    await page.locator('.trace-row').first().waitFor({ timeout: 30_000 });
    await page.locator('.trace-row').first().click();
    await page.waitForURL(/\/trace\/[0-9a-f]+/);
    await page.locator('.wf-row', { hasText: 'get_product_list' }).first().click();
    const details = page.getByRole('region', { name: 'Span details' });
    const cacheHit = details.locator('tr', { hasText: 'app.cache_hit' });
    await cacheHit.waitFor();
    assert.match((await cacheHit.textContent()) ?? '', /app\.cache_hit\s*false/);
    await page.close();
  });
});
