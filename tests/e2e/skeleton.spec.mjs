// Walking skeleton: build the smallest system (Users -> Web server) with real
// pointer input, run it, and check that requests complete.
//
// DOM contract (see the app): palette buttons [data-palette-kind=...], the
// canvas top layer #canvas-live (in the initial view a point relative to the
// canvas box is the same point in world coordinates), nodes 128x56 CSS px with
// an output port of radius 8 at (centre.x + 64, centre.y), #run toggles
// Run/Pause (aria-pressed="true" while running), metrics [data-metric=...].
import { test, expect } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const repoRoot = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const screenshots = join(repoRoot, 'target', 'e2e-screenshots');

const NODE_HALF_WIDTH = 64;
const STEPS = 12;

/** Absolute page coordinates of a point given relative to the live canvas. */
async function canvasPoint(page, x, y) {
  const box = await page.locator('#canvas-live').boundingBox();
  expect(box, '#canvas-live is laid out').not.toBeNull();
  return { x: box.x + x, y: box.y + y };
}

/** Drag a palette entry onto the canvas; the node's centre lands at (x, y). */
async function dragFromPalette(page, kind, x, y) {
  const button = page.locator(`[data-palette-kind="${kind}"]`);
  await expect(button).toBeVisible();
  const from = await button.boundingBox();
  const to = await canvasPoint(page, x, y);
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps: STEPS });
  await page.mouse.up();
}

/** Connect node A (centre a) to node B (centre b) by dragging from A's output port. */
async function connect(page, a, b) {
  const port = await canvasPoint(page, a.x + NODE_HALF_WIDTH, a.y);
  const target = await canvasPoint(page, b.x, b.y);
  await page.mouse.move(port.x, port.y);
  await page.mouse.down();
  await page.mouse.move(target.x, target.y, { steps: STEPS });
  await page.mouse.up();
}

async function metric(page, name) {
  const el = page.locator(`[data-metric="${name}"]`);
  await expect(el).toBeAttached();
  return (await el.innerText()).trim();
}

test('users -> web server: requests complete', async ({ page }) => {
  const pageErrors = [];
  page.on('pageerror', (err) => pageErrors.push(String(err)));

  try {
    await page.goto('/');
    // The app mounts once the wasm has loaded.
    await expect(page.locator('#canvas-live')).toBeVisible({ timeout: 30_000 });
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
