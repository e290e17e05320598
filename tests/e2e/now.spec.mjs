// Figures that show now, and every failure explained: after a fault is over
// the headline figures (last 10 s) agree with the chart instead of the whole
// run; the event log says where requests fail and why; a failed request's
// route opens from its dot or from the node.
import { test, expect } from '@playwright/test';
import { join } from 'node:path';
import { canvasPoint, open, screenshots } from './helpers.mjs';

const number = async (page, name) =>
  Number((await page.locator(`[data-metric="${name}"]`).innerText()).replace(/[^0-9.]/g, ''));

/** Runs at `speed` until the simulated clock passes `seconds`, then pauses. */
async function runUntil(page, speed, seconds) {
  await page.selectOption('#speed', speed);
  await page.click('#run');
  await expect
    .poll(() => number(page, 'clock'), { timeout: 45_000 })
    .toBeGreaterThan(seconds);
  await page.click('#run');
}

test('after a fault is over, the headline figures match the chart, not the whole run', async ({ page }) => {
  await open(page);
  // web-2 dies at 21 s; the load balancer takes it out about 15 s later.
  await page.selectOption('#examples', 'dead-server-health-checks');
  await runUntil(page, '100', 48);
  await expect(page.locator('#figures-recent')).toHaveAttribute('aria-pressed', 'true');
  const now = await number(page, 'error-rate');
  // The chart's latest point (it redraws on a timer).
  await page.selectOption('#chart-figure', 'error-rate');
  await expect
    .poll(async () => Number(await page.locator('#chart').getAttribute('data-last')))
    .toBeLessThan(0.5);
  await page.click('#figures-all');
  await expect(page.locator('#figures-all')).toHaveAttribute('aria-pressed', 'true');
  // The figures over the whole run follow with the next frame.
  await expect(page.locator('.metrics > dl[data-window]')).toHaveAttribute('data-window', 'all');
  const all = await number(page, 'error-rate');
  expect(all).toBeGreaterThan(1);
  expect(now).toBeLessThan(0.5);
  await page.screenshot({ path: join(screenshots, 'figures-since-start.png'), fullPage: true });
  // The choice is remembered.
  await page.reload();
  await expect(page.locator('#figures-all')).toHaveAttribute('aria-pressed', 'true');
  await page.click('#figures-recent');
});

test('the event log says where requests failed, why and how many', async ({ page }) => {
  await open(page);
  await page.selectOption('#examples', 'dead-server-health-checks');
  await runUntil(page, '100', 48);
  await page.selectOption('#log-category', 'errors');
  const rows = page.locator('#log-entries li');
  await expect(rows.filter({ hasText: 'web-2 down: requests failed' })).toHaveCount(1);
  await expect(rows.filter({ hasText: /web-2 down: over after \d+ s, [\d,]+ requests failed/ })).toHaveCount(1);
  await page.screenshot({ path: join(screenshots, 'failure-log.png'), fullPage: true });
  // In Korean too.
  await page.click('#lang');
  await expect(rows.filter({ hasText: 'web-2 다운: 요청 실패 시작' })).toHaveCount(1);
  await page.screenshot({ path: join(screenshots, 'failure-log-ko.png'), fullPage: true });
  await page.click('#lang');
});

test('a failed dot opens its request: route, time at each hop, and why it failed', async ({ page }) => {
  await open(page);
  await page.selectOption('#examples', 'dead-server-health-checks');
  // Jump to just before the crash on the time bar, then watch at 1×: between
  // the crash (21 s) and its detection, replies carry the error.
  await page.click('#timebar .event[data-at="21"]');
  await page.selectOption('#speed', '1');
  // The frame the simulation sent as it paused may still arrive, and it
  // need not hold a failed dot: play and pause again until a paused frame
  // shows one (replies fail for about 15 s, so a few tries are enough).
  const failedDot = () => page.locator('#canvas-live').getAttribute('data-failed-dot');
  let at = null;
  for (let tries = 0; at === null && tries < 8; tries++) {
    await page.click('#run');
    await expect.poll(failedDot, { timeout: 30_000, intervals: [100] }).not.toBeNull();
    await page.click('#run');
    // Wait until what is drawn stays put.
    at = await failedDot();
    for (let settled = 0; settled < 3; ) {
      await page.waitForTimeout(100);
      const now = await failedDot();
      settled = now === at ? settled + 1 : 0;
      at = now;
    }
  }
  expect(at, 'a paused frame showing a failed dot').not.toBeNull();
  const [x, y] = at.split(' ').map(Number);
  const p = await canvasPoint(page, x, y);
  await page.mouse.click(p.x, p.y);
  const card = page.locator('#journey');
  await expect(card).toBeVisible();
  await expect(page.locator('#journey-outcome')).toContainText('failed at web-2');
  await expect(page.locator('#journey-outcome')).toContainText('node down');
  await expect(card.locator('tr[data-node="lb-1"]')).toHaveCount(1);
  await expect(card.locator('tr.failed[data-node="web-2"]')).toHaveCount(1);
  await page.screenshot({ path: join(screenshots, 'journey-from-dot.png'), fullPage: true });
  await page.click('#journey-close');
  await expect(card).toHaveCount(0);
});

test("a node's latest failure can be looked up from the inspector", async ({ page }) => {
  await open(page);
  await page.selectOption('#examples', 'dead-server-health-checks');
  await runUntil(page, '100', 30);
  // Select web-2 through the keyboard: Tab walks the nodes in order.
  await page.locator('#canvas-live').focus();
  for (let i = 0; i < 4; i++) await page.keyboard.press('Tab');
  await expect(page.locator('.inspector')).toContainText('web-2');
  await page.click('#latest-failure');
  await expect(page.locator('#journey-outcome')).toContainText('failed at web-2');
  await page.screenshot({ path: join(screenshots, 'journey-latest-failure.png'), fullPage: true });
});
