// A person's click-through of the storefront in Chromium, on the ten real
// shop services (processes from dist/, after `npm run build`): home, a
// product with recommendations, add to cart, the cart with its total,
// checkout with the order id; and with productCatalogFailure on, the failing
// product's page says so instead of breaking.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startShopProcesses, until, type ShopProcesses } from '../../src/shop/shop-processes';
import { packageRoot } from '../../src/shop/telemetry/package';
import { CHROMIUM, CHROMIUM_ARGS } from './browser';

interface Money {
  currencyCode: string;
  units: number;
  nanos: number;
}
interface Product {
  id: string;
  name: string;
  priceUsd: Money;
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'otel-lab-storefront-'));
const flagsFile = path.join(tmp, 'flags.json');
let shop: ShopProcesses | undefined;
let browser: Browser | undefined;
let base = '';

before(async () => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install chromium`);
  fs.copyFileSync(path.join(packageRoot(), 'src', 'shop', 'flags', 'demo.flagd.json'), flagsFile);
  // What the browser sees is the subject here, not the telemetry.
  shop = await startShopProcesses({
    OTEL_LAB_FLAGS_FILE: flagsFile,
    OTEL_TRACES_EXPORTER: 'none',
    OTEL_METRICS_EXPORTER: 'none',
    OTEL_LOGS_EXPORTER: 'none',
  });
  base = `http://127.0.0.1:${shop.port('frontend')}`;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS] });
});

after(async () => {
  await browser?.close();
  await shop?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Opens a page that fails the test on any uncaught script error. */
async function openPage(): Promise<{ page: Page; errors: string[] }> {
  assert.ok(browser);
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.setDefaultTimeout(10_000);
  return { page, errors };
}

async function product(id: string): Promise<Product> {
  const res = await fetch(`${base}/api/products/${id}?currencyCode=USD`);
  assert.equal(res.status, 200, `GET /api/products/${id}`);
  return (await res.json()) as Product;
}

const nanosOf = (m: Money) => m.units * 1e9 + m.nanos;

test('home, product with recommendations, cart with total, checkout with an order id', async () => {
  const { page, errors } = await openPage();
  try {
    await page.goto(`${base}/`);
    const cards = page.locator('#app .card');
    await until('ten products on the home page', 10_000, async () =>
      (await cards.count()) === 10 ? true : undefined,
    );

    const telescope = await product('66VCHSJNUP');
    await page.locator(`a[href="/product/66VCHSJNUP"]`).click();
    await page.waitForURL(`${base}/product/66VCHSJNUP`);
    await page.getByRole('heading', { level: 2, name: telescope.name }).waitFor();
    const recommended = page.locator('h3:has-text("You may also like") + .grid .card');
    await until('recommendations on the product page', 10_000, async () =>
      (await recommended.count()) > 0 ? true : undefined,
    );
    const recHrefs = await recommended
      .locator('a')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.ok(recHrefs.every((h) => h !== null && /^\/product\/[A-Z0-9]+$/.test(h)));
    assert.ok(!recHrefs.includes('/product/66VCHSJNUP'), 'a product does not recommend itself');

    await page.locator('input[type=number]').fill('2');
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.waitForURL(`${base}/cart`);
    await page.getByText(`2 x ${telescope.name}`).waitFor();
    const total = ((2 * nanosOf(telescope.priceUsd)) / 1e9).toFixed(2);
    assert.equal(await page.locator('.total').textContent(), `Total: ${total} USD`);

    await page.getByRole('link', { name: 'Check out' }).click();
    await page.waitForURL(`${base}/checkout`);
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.getByRole('heading', { name: 'Order placed' }).waitFor();
    const orderLine = await page.getByText(/^Order id: /).textContent();
    assert.match(orderLine ?? '', /^Order id: [0-9a-f-]{36}$/);
    await page.getByText(`2 x ${telescope.name}`).waitFor();

    // The order emptied the cart.
    await page.goto(`${base}/cart`);
    await page.getByRole('heading', { name: 'Your cart is empty' }).waitFor();
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

/** Sets a flag's default variant the way the CLI does: write a temp file, rename it over. */
function setFlag(name: string, variant: 'on' | 'off'): void {
  const doc = JSON.parse(fs.readFileSync(flagsFile, 'utf8')) as {
    flags: Record<string, { defaultVariant: string }>;
  };
  const flag = doc.flags[name];
  assert.ok(flag, `flag ${name} in the demo flags`);
  flag.defaultVariant = variant;
  fs.writeFileSync(`${flagsFile}.tmp`, JSON.stringify(doc));
  fs.renameSync(`${flagsFile}.tmp`, flagsFile);
}

test('with productCatalogFailure on, the OLJCESPC7Z page shows an error and the shop still works', async () => {
  const { page, errors } = await openPage();
  setFlag('productCatalogFailure', 'on');
  try {
    const failing = page.locator('#app .err');
    await until('the error message on the OLJCESPC7Z page', 10_000, async () => {
      await page.goto(`${base}/product/OLJCESPC7Z`);
      // Either the product or the error, once the page's script has its answer.
      await page.locator('#app h2, #app .err').first().waitFor();
      return (await failing.count()) > 0 ? true : undefined;
    });
    assert.match((await failing.textContent()) ?? '', /^Something went wrong: .+/);
    assert.equal(await page.getByRole('button', { name: 'Add to cart' }).count(), 0);

    // Only that product fails: another product page still renders.
    const other = await product('66VCHSJNUP');
    await page.goto(`${base}/product/66VCHSJNUP`);
    await page.getByRole('heading', { level: 2, name: other.name }).waitFor();
    assert.deepEqual(errors, []);
  } finally {
    setFlag('productCatalogFailure', 'off');
    await page.close();
  }
});
