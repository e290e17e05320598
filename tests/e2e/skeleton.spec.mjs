// Walking skeleton: build the smallest system (Users -> Web server) with real
// pointer input, run it, and check that requests complete. The DOM contract
// is described in helpers.mjs.
import { test, expect } from '@playwright/test';
import { join } from 'node:path';
import { screenshots, open, dragFromPalette, connect, metric } from './helpers.mjs';

test('users -> web server: requests complete', async ({ page }) => {
  const pageErrors = [];
  page.on('pageerror', (err) => pageErrors.push(String(err)));

  try {
    await open(page);
    for (const kind of ['users', 'dns', 'web_server', 'database']) {
      await expect(page.locator(`[data-palette-kind="${kind}"]`)).toBeVisible();
    }
    for (const name of ['completed', 'throughput', 'p50', 'p95', 'p99', 'error-rate']) {
      await expect(page.locator(`[data-metric="${name}"]`)).toBeAttached();
    }

    const users = { x: 150, y: 200 };
    const web = { x: 450, y: 200 };
    await dragFromPalette(page, 'users', users.x, users.y);
    await dragFromPalette(page, 'web_server', web.x, web.y);
    await connect(page, users, web);

    const run = page.locator('#run');
    await run.click();
    await expect(run).toHaveAttribute('aria-pressed', 'true');
    await page.waitForTimeout(2_000);

    const text = await metric(page, 'completed');
    expect(text, 'completed is a plain integer').toMatch(/^\d+$/);
    const completed = Number.parseInt(text, 10);
    expect(completed, 'requests completed after 2 s of running').toBeGreaterThan(0);
    expect(pageErrors, 'no uncaught errors in the page').toEqual([]);
  } finally {
    await page.screenshot({ path: join(screenshots, 'skeleton.png'), fullPage: true });
  }
});
