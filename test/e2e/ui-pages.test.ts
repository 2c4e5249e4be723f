// The lab UI's pages other than trace search in Chromium: the dashboard
// (every panel drawn from PromQL, exemplar traces of a clicked moment and of
// the whole range, a bad query shown in its panel), flags (a switch sends
// the variant), compare (two distributions), logs (bodies as text, links to
// traces) and the service map. Backends and browser: ui-harness.ts.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { XSS } from './ui-canned';
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
    if (ui.fixture) assert.equal(await page.locator('.log-line', { hasText: XSS }).count(), 1);
    await ui.shot(page, 'logs.png');
    await page.locator('.log-line a').first().click();
    await page.waitForURL(/\/trace\/[0-9a-f]+\?span=/);
    await page.locator('.wf-row').first().waitFor();
    await page.close();
  });

  test('service map draws the call graph and opens the traces of a service', async () => {
    const page = await ui.open('/map');
    await page.locator('.service-map .node').first().waitFor();
    if (ui.fixture) {
      assert.equal(await page.locator('.service-map .node').count(), 10);
      assert.equal(await page.locator('.service-map .edge.err').count(), 2);
    }
    await ui.shot(page, 'service-map.png');
    await page.locator('.service-map .node[data-service="recommendation"]').focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/traces\?service=recommendation/);
    await page.close();
  });
});
