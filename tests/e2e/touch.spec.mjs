// Touch: one finger drags from the palette and edits; two fingers pan and
// pinch the canvas. Multi-touch input is dispatched through Chromium's
// DevTools protocol, as a touchscreen would send it.
import { test, expect } from '@playwright/test';
import { open, outline } from './helpers.mjs';

test.use({ hasTouch: true });

async function view(page) {
  const [x, y, zoom] = (await page.locator('#canvas-live').getAttribute('data-view')).split(' ').map(Number);
  return { x, y, zoom };
}

/** Moves touch points from `from` to `to` (arrays of {x, y}) in steps. */
async function gesture(cdp, from, to, steps = 8) {
  const points = (t) => from.map((p, i) => ({ x: p.x + (to[i].x - p.x) * t, y: p.y + (to[i].y - p.y) * t, id: i }));
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: points(0) });
  for (let s = 1; s <= steps; s++) {
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: points(s / steps) });
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
}

test('one finger drags a component in; two fingers pan and pinch', async ({ page }) => {
  await open(page);
  const cdp = await page.context().newCDPSession(page);
  // The palette scrolls when it is longer than the screen.
  await page.locator('[data-palette-kind="web_server"]').scrollIntoViewIfNeeded();
  const palette = await page.locator('[data-palette-kind="web_server"]').boundingBox();
  const canvas = await page.locator('#canvas-live').boundingBox();
  await gesture(
    cdp,
    [{ x: palette.x + palette.width / 2, y: palette.y + palette.height / 2 }],
    [{ x: canvas.x + 300, y: canvas.y + 250 }],
  );
  await expect.poll(() => outline(page)).toEqual([{ id: 'web-1', targets: '', x: 300, y: 250 }]);

  // Two fingers moving together pan by the distance moved.
  const before = await view(page);
  await gesture(
    cdp,
    [{ x: canvas.x + 500, y: canvas.y + 300 }, { x: canvas.x + 600, y: canvas.y + 300 }],
    [{ x: canvas.x + 420, y: canvas.y + 260 }, { x: canvas.x + 520, y: canvas.y + 260 }],
  );
  await expect.poll(async () => (await view(page)).x).toBeCloseTo(before.x + 80, 0);
  expect((await view(page)).zoom).toBeCloseTo(1, 5);
  expect((await outline(page))[0].x, 'panning moved no component').toBe(300);

  // Spreading them apart zooms in.
  await gesture(
    cdp,
    [{ x: canvas.x + 450, y: canvas.y + 300 }, { x: canvas.x + 550, y: canvas.y + 300 }],
    [{ x: canvas.x + 400, y: canvas.y + 300 }, { x: canvas.x + 600, y: canvas.y + 300 }],
  );
  await expect.poll(async () => (await view(page)).zoom).toBeGreaterThan(1.5);
});

for (const locale of ['en-US', 'ko-KR']) {
  test.describe(`on a phone (${locale})`, () => {
    test.use({ viewport: { width: 390, height: 844 }, isMobile: true, locale });

    test('the page fits the screen: nothing runs off to the side, the welcome closes', async ({ page }) => {
      await open(page, '/', { welcome: true });
      // Against the phone's width: a mobile browser widens its layout to
      // content that runs off, so window.innerWidth would grow with it.
      const fits = () => page.evaluate(() => document.documentElement.scrollWidth <= 390);
      expect(await fits()).toBe(true);
      await page.click('#course-map-close');
      await expect(page.locator('#course-map')).toHaveCount(0);
      await page.goto('/?lesson=04-load-balancer');
      await expect(page.locator('#lesson')).toBeVisible();
      expect(await fits()).toBe(true);
    });
  });
}
