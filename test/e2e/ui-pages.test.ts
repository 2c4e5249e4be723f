// The lab UI's pages other than trace search in Chromium: the dashboard
// (every panel drawn from PromQL, exemplar traces of a clicked moment and of
// the whole range, a bad query shown in its panel), flags (a switch sends
// the variant), compare (two distributions), logs (bodies as text, links to
// traces) and the service map. Backends and browser: ui-harness.ts.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { XSS } from './ui-canned';
import { COVERED_SECONDS, LOG_RECORDS, LONE_SERVICE } from './ui-fixture';
import { PROBE_SERVICE } from './ui-lab';
import { uiSuites } from './ui-harness';

uiSuites('Dashboard, flags, compare, logs and service map pages', (ui) => {
  test('dashboard renders every panel as a chart with its PromQL', async () => {
    const page = await ui.open('/?service=recommendation&range=1h');
    // Errors may rightly be empty on a healthy lab: that panel must say so instead.
    await page.locator('[data-panel="errors"]').locator('canvas, .status.empty').first().waitFor();
    for (const id of [
      'latency',
      'recommendations',
      'cpu',
      'memory',
      'requests',
      'cpu-all',
      'memory-all',
    ]) {
      await page.locator(`[data-panel="${id}"] canvas`).first().waitFor({ timeout: 10_000 });
    }
    assert.match(
      (await page.locator('[data-panel="latency"] .promql summary').textContent()) ?? '',
      /histogram_quantile\(0\.5/,
    );
    // The x axis is the chosen hour, even where the data covers less of it.
    const chart = page.locator('[data-panel="latency"] .chart');
    const xMin = Number(await chart.getAttribute('data-x-min'));
    const xMax = Number(await chart.getAttribute('data-x-max'));
    assert.ok(Math.abs(xMax - xMin - 3600) < 2, `x axis spans ${xMax - xMin} s, not 3600 s`);
    await ui.shot(page, 'dashboard.png');
    // A click on the latency chart (away from the exemplar markers) opens the traces of that moment.
    await page.locator('[data-panel="latency"] .u-over').click({ position: { x: 300, y: 3 } });
    const region = page.getByRole('region', { name: 'Exemplar traces' });
    await region.getByRole('link', { name: /search traces in this window/i }).waitFor();
    if (ui.fixture) {
      // The exemplars of that moment load after the search link shows: wait for them.
      await region.locator('.exemplar-list a').nth(2).waitFor();
      assert.equal(await region.locator('.exemplar-list a').count(), 3);
    }
    // Without a mouse: the slowest exemplars of the whole range, from the keyboard.
    await region.getByRole('button', { name: 'Close exemplars' }).click();
    const slowest = page.getByRole('button', { name: 'Slowest exemplars of this range' });
    await slowest.focus();
    await page.keyboard.press('Enter');
    const links = page.getByRole('region', { name: 'Exemplar traces' }).locator('.exemplar-list a');
    await links.first().waitFor();
    if (ui.fixture) assert.equal(await links.count(), 20);
    await page.close();
  });

  test('a bad query shows the error in its panel', async () => {
    const page = await ui.open(`/?service=recommendation&q.cpu.0=${encodeURIComponent('bad(')}`);
    const alert = page.locator('[data-panel="cpu"] [role="alert"]');
    await alert.waitFor();
    assert.match((await alert.textContent()) ?? '', /Query failed.*(parse error|bad_data|HTTP 4)/);
    await page.close();
  });

  test('flags list and a switch sends the variant', async () => {
    const page = await ui.open('/flags');
    const flag = page.locator('[data-flag="recommendationServiceCacheFailure"]');
    await flag.waitFor();
    if (ui.fixture) {
      await flag.getByRole('radio', { name: 'on' }).click();
      await page.getByText('recommendationServiceCacheFailure is now “on”').waitFor();
      assert.deepEqual(ui.fixture.flagPuts, [
        { name: 'recommendationServiceCacheFailure', variant: 'on' },
      ]);
      await flag.locator('[role="radio"][aria-checked="true"]', { hasText: 'on' }).waitFor();
    }
    // Every variant shows its value; the variant that turns a fault off comes first on every flag.
    const first = flag.getByRole('radio').first();
    assert.equal((await first.locator('.variant-name').textContent()) ?? '', 'off');
    assert.equal((await first.locator('.variant-value').textContent()) ?? '', 'false');
    if (ui.fixture) {
      const flood = page.locator('[data-flag="loadgeneratorFloodHomepage"] [role="radio"]');
      assert.deepEqual(await flood.allTextContents(), ['off0', 'on100']);
      const leak = page.locator('[data-flag="emailMemoryLeak"] [role="radio"]');
      assert.deepEqual(await leak.allTextContents(), ['off0', '1x1', '10x10', '100x100']);
      // The selected "off" looks the same wherever the flag file lists it.
      const look = async (name: string): Promise<string> =>
        page
          .locator(`[data-flag="${name}"] [role="radio"][aria-checked="true"]`)
          .evaluate(
            '(b) => { const s = getComputedStyle(b); return [s.borderTopColor, s.borderRightColor, s.borderLeftColor, s.backgroundColor, s.zIndex].join() }',
          ) as Promise<string>;
      assert.equal(await look('emailMemoryLeak'), await look('loadgeneratorFloodHomepage'));
    }
    await ui.shot(page, 'flags.png');
    await page.close();
  });

  test('compare shows two distributions side by side', async () => {
    const page = await ui.open('/compare');
    await page.locator('[data-side="a"] .facts').waitFor();
    await page.locator('[data-side="b"] .facts').waitFor();
    await page.getByRole('img', { name: 'Histogram of A and B' }).waitFor();
    if (ui.fixture) {
      const table = await page.locator('table.stats').textContent();
      assert.match(table ?? '', /p50\s*3\.1ms\s*160ms/);
    }
    await ui.shot(page, 'compare.png', true);
    await page.close();
  });

  test('logs link to their trace and show bodies as text', async () => {
    const page = await ui.open('/logs');
    await page.locator('.log-line').first().waitFor();
    if (ui.fixture) {
      assert.equal(await page.locator('.log-line', { hasText: XSS }).count(), 1);
      // 250 records exist: the first 200 say there are more, and a click loads the rest.
      const status = page.locator('.results-head');
      assert.match((await status.textContent()) ?? '', /Latest 200 records of more/);
      await ui.shot(page, 'logs.png');
      await status.getByRole('button', { name: 'Load 200 more' }).click();
      await page.waitForURL(/limit=400/);
      await status.getByText(`${LOG_RECORDS} records`).waitFor();
      assert.doesNotMatch((await status.textContent()) ?? '', /more/i);
    } else await ui.shot(page, 'logs.png');
    await page.locator('.log-line a').first().click();
    await page.waitForURL(/\/trace\/[0-9a-f]+\?span=/);
    await page.locator('.wf-row').first().waitFor();
    await page.close();
  });

  test('the pressed range button is the range the page queries', async () => {
    // Each page's default range, pressed before any click (the Logs page once
    // pressed "Last 15m" while querying the last hour).
    const defaults: [string, string][] = [
      ['/', '15m'],
      ['/traces', '1h'],
      ['/compare', '1h'],
      ['/map', '15m'],
    ];
    for (const [url, range] of defaults) {
      const page = await ui.open(url);
      const group = page.getByRole('group', { name: 'Time range' });
      await group.locator('[aria-pressed="true"]').first().waitFor();
      assert.deepEqual(
        await group.locator('[aria-pressed="true"]').allTextContents(),
        [`Last ${range}`],
        url,
      );
      await page.close();
    }
    // Logs: the pressed button and the window of its /api/logs request agree,
    // by default and after a click.
    const seconds = (u: string): number => {
      const q = new URL(u).searchParams;
      return Math.round((Number(q.get('end')) - Number(q.get('start'))) / 1e6);
    };
    const isLogs = (r: { url(): string }): boolean => new URL(r.url()).pathname === '/api/logs';
    const first = ui.context.waitForEvent('request', isLogs);
    const page = await ui.open('/logs');
    assert.equal(seconds((await first).url()), 3600);
    const group = page.getByRole('group', { name: 'Time range' });
    assert.deepEqual(await group.locator('[aria-pressed="true"]').allTextContents(), ['Last 1h']);
    const next = page.waitForRequest(isLogs);
    await group.getByRole('button', { name: 'Last 15m' }).click();
    assert.equal(seconds((await next).url()), 900);
    await page.waitForURL(/range=15m/);
    assert.deepEqual(await group.locator('[aria-pressed="true"]').allTextContents(), ['Last 15m']);
    await page.close();
  });

  test('service map draws the call graph and opens the traces of a service', async () => {
    const page = await ui.open('/map');
    await page.locator('.service-map .node').first().waitFor();
    if (ui.fixture) {
      // Ten services in the call graph and one that calls nobody.
      assert.equal(await page.locator('.service-map .node').count(), 11);
      await page.locator(`.service-map .node[data-service="${LONE_SERVICE}"]`).waitFor();
      assert.equal(await page.locator('.service-map .edge.err').count(), 2);
      // 5400 calls in the 180 s the span metrics cover, not in the whole 15 minutes.
      await page.getByText(`Rates are over the last ${COVERED_SECONDS / 60} min`).waitFor();
      const label = page.locator('.service-map .edge', {
        has: page.locator('title', { hasText: 'frontend → product-catalog' }),
      });
      assert.equal(
        await label.locator('.edge-label').textContent(),
        `${Math.round(5400 / COVERED_SECONDS)}/s · ${((120 / 5400) * 100).toFixed(1)}% err`,
      );
    } else await page.locator(`.service-map .node[data-service="${PROBE_SERVICE}"]`).waitFor();
    // No edge passes through a box other than its ends.
    const overlaps = (await page.evaluate(`(() => {
      const boxes = [...document.querySelectorAll('.service-map .node')].map((n) => ({
        name: n.getAttribute('data-service'),
        r: n.querySelector('rect').getBBox(),
      }));
      const hits = new Set();
      for (const path of document.querySelectorAll('.service-map .edge path')) {
        const [from, to] = path.querySelector('title').textContent.split(':')[0].split(' → ');
        const len = path.getTotalLength();
        for (let d = 0; d <= len; d += 4) {
          const p = path.getPointAtLength(d);
          for (const b of boxes)
            if (b.name !== from && b.name !== to && p.x > b.r.x + 1 && p.x < b.r.x + b.r.width - 1 &&
                p.y > b.r.y + 1 && p.y < b.r.y + b.r.height - 1)
              hits.add(from + ' → ' + to + ' through ' + b.name);
        }
      }
      return [...hits];
    })()`)) as string[];
    assert.deepEqual(overlaps, []);
    await ui.shot(page, 'service-map.png');
    await page.locator('.service-map .node[data-service="recommendation"]').focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/traces\?service=recommendation/);
    // The map's window (its 15m default) goes with it: Traces' own default is 1h.
    assert.equal(new URL(page.url()).searchParams.get('range'), '15m');
    await page.close();
  });
});
