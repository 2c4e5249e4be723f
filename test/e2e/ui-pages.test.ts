// The lab UI's other pages in Chromium: flags (a switch sends the variant),
// compare (two distributions), logs (bodies as text, links to traces) and
// the service map. Backends and browser: ui-harness.ts.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { XSS } from './ui-canned';
import { uiSuites } from './ui-harness';

uiSuites('Flags, compare, logs and service map pages', (ui) => {
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
