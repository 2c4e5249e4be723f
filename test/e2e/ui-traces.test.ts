// The lab UI's trace search and trace view in Chromium: tag search with the
// scatter plot, brushing and URL state, the waterfall showing the slow
// trace's app.cache_hit, an HTML attribute shown as text, a 10,000-span
// trace kept virtual, a dead backend explained, dark theme and keyboard
// navigation. Backends and browser: ui-harness.ts.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BIG_SPANS, BIG_TRACE, XSS, hex } from './ui-canned';
import { uiSuites } from './ui-harness';

uiSuites('Trace search and trace view', (ui, opts) => {
  test('tag search lists the matching traces and keeps the search in the URL', async () => {
    const page = await ui.open('/traces');
    await page.getByLabel('Service').selectOption('recommendation');
    await page.getByLabel('Tags (logfmt)').fill('app.cache_hit=false');
    await page.getByLabel('Sort').selectOption('longest');
    await page.getByRole('button', { name: 'Find traces' }).click();
    await page.locator('.trace-row').first().waitFor();
    const url = new URL(page.url());
    assert.equal(url.searchParams.get('tags'), 'app.cache_hit=false');
    assert.equal(url.searchParams.get('service'), 'recommendation');
    if (ui.fixture) {
      assert.equal(await page.locator('.trace-row').count(), 10);
      assert.equal(await page.locator('.scatter circle').count(), 10);
    } else assert.ok((await page.locator('.trace-row').count()) > 0);
    await ui.shot(page, 'traces.png');
    // Brushing the left half of the plot keeps only the traces in that region.
    const box = await page.locator('.scatter svg').boundingBox();
    assert.ok(box);
    await page.mouse.move(box.x + 70, box.y + 5);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height - 30, { steps: 5 });
    await page.mouse.up();
    await page.waitForURL(/brush=/);
    const kept = await page.locator('.trace-row').count();
    assert.ok(kept > 0 && kept < (ui.fixture ? 10 : Infinity), `brushed list has ${kept} rows`);
    await page.getByRole('button', { name: 'Clear selection' }).click();
    await page.getByRole('button', { name: 'Log duration axis' }).click();
    await page.waitForURL(/scale=log/);
    const circles = await page.locator('.scatter circle').count();
    assert.ok(ui.fixture ? circles === 10 : circles > 0, `${circles} points on the log axis`);
    // Reloading the URL reproduces the search.
    await page.reload();
    await page.locator('.trace-row').first().waitFor();
    await page.close();
  });

  test('bad logfmt is reported before searching', async () => {
    const page = await ui.open('/traces');
    await page.getByLabel('Tags (logfmt)').fill('app.cache_hit');
    await page.getByRole('button', { name: 'Find traces' }).click();
    assert.match(
      (await page.getByRole('alert').textContent()) ?? '',
      /app\.cache_hit.*has no value/,
    );
    await page.close();
  });

  test('the waterfall shows app.cache_hit of the slow trace', async () => {
    const page = await ui.open(
      '/traces?service=recommendation&tags=app.cache_hit%3Dfalse&sort=longest',
    );
    await page.locator('.trace-row').first().click();
    await page.waitForURL(/\/trace\/[0-9a-f]+/);
    const row = page.locator('.wf-row', { hasText: 'get_product_list' }).first();
    await row.click();
    const details = page.getByRole('region', { name: 'Span details' });
    const cacheHit = details.locator('tr', { hasText: 'app.cache_hit' });
    await cacheHit.waitFor();
    assert.match((await cacheHit.textContent()) ?? '', /app\.cache_hit\s*false/);
    await page.getByLabel('Find in trace').fill('cache_hit=false');
    await page.getByText('1 matching spans').waitFor();
    await ui.shot(page, 'trace.png', true);
    await page.close();
  });

  test('an attribute holding HTML is shown as text, never run', async () => {
    const page = await ui.open(`/traces?tags=${encodeURIComponent(`app.user_note="${XSS}"`)}`);
    await page.locator('.trace-row').first().click();
    await page.locator('.wf-row', { hasText: 'get_product_list' }).first().click();
    const value = page
      .getByRole('region', { name: 'Span details' })
      .locator('tr', { hasText: 'app.user_note' })
      .locator('.kv-value');
    await value.waitFor();
    assert.equal(await value.textContent(), XSS);
    assert.equal(await page.locator('img[src="x"]').count(), 0);
    assert.deepEqual(ui.dialogs, []);
    await page.close();
  });

  // Only the fixture has a trace this big; against a real lab this check is not registered.
  if (opts.fixtureChecks) {
    test('a 10,000-span trace opens with only the visible rows in the page', async () => {
      const page = await ui.open(`/trace/${BIG_TRACE}`);
      await page.locator('.wf-row').first().waitFor();
      assert.match((await page.locator('.trace-facts').textContent()) ?? '', /10000 spans/);
      const rendered = await page.locator('.wf-row').count();
      assert.ok(rendered > 10 && rendered < 200, `rendered ${rendered} rows`);
      // Jump to the end: the last span is reachable and the page still holds few rows.
      await page.getByRole('tree').focus();
      await page.keyboard.press('End');
      await page.locator(`.wf-row[data-span-id="${hex(BIG_SPANS, 16)}"]`).waitFor();
      assert.ok((await page.locator('.wf-row').count()) < 200);
      await page.close();
    });
  }

  test('backend down: the page says so', async () => {
    // Any API path the fixture lacks stands in for a dead backend: the UI must
    // still explain the failure in the page.
    const page = await ui.context.newPage();
    await page.route('**/jaeger/api/traces/**', (r) => r.abort('connectionrefused'));
    await page.goto(`${ui.base}/trace/0123456789abcdef0123456789abcdef`);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match((await alert.textContent()) ?? '', /Cannot reach the lab backend/);
    await page.close();
  });

  test('dark theme toggle and keyboard navigation of the waterfall', async () => {
    const page = await ui.open(
      '/traces?service=recommendation&tags=app.cache_hit%3Dfalse&sort=longest',
    );
    await page.getByRole('button', { name: /switch to dark theme/i }).click();
    await page.locator('.trace-row').first().click();
    await page.locator('.wf-row').first().waitFor();
    await page.getByRole('tree').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    assert.match(page.url(), /span=/);
    assert.equal(await page.locator('.wf-row.selected').count(), 1);
    assert.equal(await page.locator('html').getAttribute('data-theme'), 'dark');
    await ui.shot(page, 'trace-dark.png');
    await page.goto(`${ui.base}/?service=recommendation&range=1h`);
    await page.locator('[data-panel="memory"] canvas').first().waitFor();
    await ui.shot(page, 'dashboard-dark.png');
    await page.close();
  });
});
