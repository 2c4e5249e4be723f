// The lab UI's dashboard in Chromium: every panel drawn from PromQL, exemplar
// traces of a clicked moment and of the whole range, a bad query shown in
// its panel. Backends and browser: ui-harness.ts.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { uiSuites } from './ui-harness';

uiSuites('Dashboard page', (ui) => {
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
});
