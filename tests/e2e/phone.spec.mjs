// Phones and small tablets, by touch: the canvas gets the screen, and the
// lesson, palette, inspector, figures and charts are sheets opened from tabs
// at the bottom. Build, run, read the figures and follow a lesson with taps
// and one-finger drags, at 390×844 and 768×1024, in English and Korean.
import { test, expect } from '@playwright/test';
import { join } from 'node:path';
import { screenshots, open, nodeAt, outline } from './helpers.mjs';

/** A one-finger drag from `from` to `to` (page points), as a touchscreen sends it. */
async function drag(page, from, to, steps = 10) {
  const cdp = await page.context().newCDPSession(page);
  const at = (t) => [{ x: from.x + (to.x - from.x) * t, y: from.y + (to.y - from.y) * t, id: 0 }];
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: at(0) });
  for (let s = 1; s <= steps; s++) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: at(s / steps) });
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await cdp.detach();
}

/** Taps the middle of `selector`. */
async function tap(page, selector) {
  await page.locator(selector).scrollIntoViewIfNeeded();
  const box = await page.locator(selector).boundingBox();
  expect(box, `${selector} is on screen`).not.toBeNull();
  await page.touchscreen.tap(box.x + box.width / 2, box.y + box.height / 2);
}

/** Fits the design to the canvas and waits until the view has settled. */
async function fit(page) {
  await page.click('#fit');
  const view = () => page.locator('#canvas-live').getAttribute('data-view');
  let last = null;
  await expect.poll(async () => {
    const now = await view();
    const same = now === last;
    last = now;
    return same;
  }, { intervals: [100] }).toBe(true);
}

/** Taps node `id` on the canvas. */
async function tapNode(page, id) {
  const p = await nodeAt(page, id);
  await page.touchscreen.tap(p.x - 20 * p.zoom, p.y);
}

const sizes = [
  { name: 'phone', viewport: { width: 390, height: 844 } },
  { name: 'tablet', viewport: { width: 768, height: 1024 } },
];

for (const size of sizes) {
  for (const locale of ['en-US', 'ko-KR']) {
    test.describe(`${size.name} ${size.viewport.width}×${size.viewport.height} (${locale})`, () => {
      test.use({ viewport: size.viewport, hasTouch: true, isMobile: true, locale });
      const shot = (page, what) => page.screenshot({ path: join(screenshots, `${size.name}-${locale}-${what}.png`) });

      test('the canvas gets the screen; build, run and read the figures by touch', async ({ page }) => {
        await open(page);
        const { width, height } = size.viewport;
        const canvas = await page.locator('#canvas-live').boundingBox();
        expect(canvas.width, 'as wide as the screen').toBeGreaterThanOrEqual(width - 2);
        expect(canvas.height, 'most of the screen').toBeGreaterThan(height * 0.6);
        expect(await page.evaluate(() => document.documentElement.scrollWidth), 'nothing runs off to the side').toBeLessThanOrEqual(width);
        await expect(page.locator('.palette')).toBeHidden();
        await shot(page, 'empty');

        // The palette is a sheet; a tap adds a component and the sheet makes way.
        await tap(page, '#tab-palette');
        await expect(page.locator('.palette')).toBeVisible();
        await shot(page, 'palette-sheet');
        await tap(page, '[data-palette-kind="users"]');
        await expect(page.locator('.palette')).toBeHidden();
        await tap(page, '#tab-palette');
        await tap(page, '[data-palette-kind="web_server"]');
        await expect.poll(async () => (await outline(page)).map((n) => n.id)).toEqual(['users-1', 'web-1']);

        // Connect with one finger, from the users' port to the server.
        await fit(page);
        const [a, b] = [await nodeAt(page, 'users-1'), await nodeAt(page, 'web-1')];
        await drag(page, { x: a.x + 64 * a.zoom, y: a.y }, { x: b.x, y: b.y });
        await expect.poll(async () => (await outline(page))[0].targets).toBe('web-1');

        // The inspector is a sheet too: a tapped server's settings.
        await tapNode(page, 'web-1');
        await expect(page.locator('#tab-inspector .tab-dot')).toBeVisible();
        await tap(page, '#tab-inspector');
        await expect(page.locator('.inspector-head code')).toHaveText('web-1');
        await expect(page.locator('.side .metrics')).toBeHidden();
        await shot(page, 'inspector-sheet');
        await tap(page, '#tab-inspector');
        await expect(page.locator('.side')).toBeHidden();

        // Run, then read the figures in their sheet.
        await tap(page, '#run');
        await expect(page.locator('#run')).toHaveAttribute('aria-pressed', 'true');
        await tap(page, '#tab-figures');
        await expect(page.locator('.side .metrics')).toBeVisible();
        await expect(page.locator('.side .inspector')).toBeHidden();
        // The canvas made room for the sheet and still shows the whole design.
        await expect.poll(async () => {
          const c = await page.locator('#canvas-live').boundingBox();
          const ps = await Promise.all(['users-1', 'web-1'].map((id) => nodeAt(page, id)));
          return ps.every((p) => p.y > c.y && p.y < c.y + c.height && p.x > c.x && p.x < c.x + c.width);
        }, 'both components in view above the sheet').toBe(true);
        await expect
          .poll(async () => Number((await page.locator('[data-metric="completed"]').innerText()).replace(/\D/g, '')), { timeout: 20_000 })
          .toBeGreaterThan(0);
        await shot(page, 'figures-sheet');
        await tap(page, '#tab-drawer');
        await expect(page.locator('#chart')).toBeVisible();
        await shot(page, 'charts-sheet');
      });

      test('follow a lesson by touch: read it, check, fix, pass', async ({ page }) => {
        await open(page, '/?lesson=01-one-server-dns');
        // The lesson opens in its sheet, over the lower part of the canvas.
        await expect(page.locator('#lesson')).toBeVisible();
        await expect(page.locator('#tab-lesson')).toHaveAttribute('aria-expanded', 'true');
        await shot(page, 'lesson-sheet');
        await page.locator('#lesson-check').scrollIntoViewIfNeeded();
        await tap(page, '#lesson-check');
        await expect(page.locator('#lesson-verdict')).toHaveClass(/failed/, { timeout: 30_000 });
        // Close the lesson, tap the DNS, set its TTL in the inspector's sheet.
        await tap(page, '#tab-lesson');
        await expect(page.locator('#lesson')).toBeHidden();
        await fit(page);
        await tapNode(page, 'dns-1');
        await tap(page, '#tab-inspector');
        const ttl = page.locator('#param-ttl_s');
        await ttl.scrollIntoViewIfNeeded();
        await ttl.fill('300');
        await ttl.press('Enter');
        await tap(page, '#tab-lesson');
        await page.locator('#lesson-check').scrollIntoViewIfNeeded();
        await tap(page, '#lesson-check');
        await expect(page.locator('#lesson-verdict')).toHaveClass(/passed/, { timeout: 30_000 });
        await shot(page, 'lesson-passed');
      });
    });
  }
}
