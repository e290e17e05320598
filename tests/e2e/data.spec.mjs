// The data tier in the browser: the palette offers caches, CDNs and database
// roles from the catalog, and a master crash under asynchronous replication
// shows its lost writes, lag and reliability in the metrics.
import { test, expect } from '@playwright/test';
import { join } from 'node:path';
import { canvasPoint, open, outline, screenshots } from './helpers.mjs';

/** Clicks node `id` on the canvas, wherever the view has put it. */
async function clickNode(page, id) {
  const li = page.locator(`#outline [data-node="${id}"]`);
  const [x, y] = [Number(await li.getAttribute('data-x')), Number(await li.getAttribute('data-y'))];
  const v = await page.locator('#canvas-live').getAttribute('data-view');
  const [vx, vy, zoom] = (v ?? '0 0 1').split(' ').map(Number);
  const p = await canvasPoint(page, (x - vx) * zoom, (y - vy) * zoom);
  await page.mouse.click(p.x, p.y);
}

test('the catalog brings caches, CDNs and replica settings to the palette and inspector', async ({ page }) => {
  await open(page);
  await expect(page.locator('[data-palette-kind="cache"]')).toBeVisible();
  await expect(page.locator('[data-palette-kind="cdn"]')).toBeVisible();
  await page.selectOption('#examples', 'lb-master-replica');
  await expect(page.locator('#outline [data-node="db-2"]')).toBeAttached();
  // Select the replica and see its replication settings.
  await clickNode(page, 'db-2');
  const inspector = page.locator('.inspector');
  await expect(inspector).toContainText('Replica');
  await expect(inspector).toContainText('Apply rate');
  await expect(inspector).toContainText('Replication link delay');
  // A preset fills several fields at once, and undoes as one step.
  await expect(page.locator('#param-service_ms')).toHaveValue('5');
  await inspector.getByRole('button', { name: 'NoSQL (key-value)' }).click();
  await expect(page.locator('#param-service_ms')).toHaveValue('1');
  await expect(page.locator('#param-write_ms')).toHaveValue('2');
  await page.screenshot({ path: join(screenshots, 'replica-inspector.png'), fullPage: true });
  await page.keyboard.press('Control+z');
  await expect(page.locator('#param-service_ms')).toHaveValue('5');
  await expect(page.locator('#param-write_ms')).toHaveValue('10');
});

test('a master crash under async replication loses acknowledged writes, and the metrics say which', async ({ page }) => {
  await open(page);
  await page.selectOption('#examples', 'replication-async-failover');
  await page.selectOption('#speed', '10');
  await page.click('#run');
  // The master dies at 15 s; db-2 is promoted 5 s later.
  await expect
    .poll(async () => Number(await page.locator('[data-metric="lost-writes"]').innerText()), {
      timeout: 30_000,
      message: 'lost writes are counted after the failover',
    })
    .toBeGreaterThan(0);
  await expect(page.locator('[data-metric="lost-keys"]')).toContainText('user:');
  const reliability = parseFloat(await page.locator('[data-metric="reliability"]').innerText());
  expect(reliability).toBeLessThan(100);
  await expect(page.locator('[data-metric="stale-reads"]')).not.toHaveText(/^0 \//);
  await expect(page.locator('[data-metric="max-lag"]')).toBeVisible();
  await expect(page.locator('[data-metric="last-stale"]')).toContainText(/read v\d+ of user:\d+ from db-\d/);
  await page.screenshot({ path: join(screenshots, 'async-failover.png'), fullPage: true });

  // In Korean, the same figures carry Korean labels.
  await page.click('#lang');
  await expect(page.locator('.metrics')).toContainText('확인 후 유실된 쓰기');
  await page.screenshot({ path: join(screenshots, 'async-failover-ko.png'), fullPage: true });
});

test('while it runs, an operator can purge a cache from the inspector', async ({ page }) => {
  await open(page);
  await page.selectOption('#examples', 'cache-stampede');
  await clickNode(page, 'cache-1');
  await expect(page.locator('#operate'), 'no operator actions before a run').toHaveCount(0);
  await page.selectOption('#speed', '10');
  await page.click('#run');
  await expect(page.locator('#operate')).toHaveText('Purge now');
  await expect
    .poll(async () => parseFloat(await page.locator('[data-metric="cache-hit-rate"]').innerText()), { timeout: 30_000 })
    .toBeGreaterThan(20);
  await page.click('#operate');
  await page.screenshot({ path: join(screenshots, 'cache-purge.png'), fullPage: true });
});

test('data centers are drawn as boxes around their nodes, and a regional outage shows in the metrics', async ({ page }) => {
  await open(page);
  await page.selectOption('#examples', 'geodns-datacenter-outage');
  await expect(page.locator('#outline [data-node="web-eu"]')).toHaveAttribute('data-region', 'dc-eu');
  await expect(page.locator('#outline [data-node="users-eu"]')).toHaveAttribute('data-region', '');
  await page.selectOption('#speed', '100');
  await page.click('#run');
  // dc-eu dies at 60 s: its users fail until GeoDNS and their TTL move them.
  await expect
    .poll(async () => Number(await page.locator('[data-metric="errors"]').innerText()), { timeout: 30_000 })
    .toBeGreaterThan(100);
  await page.screenshot({ path: join(screenshots, 'datacenter-outage.png'), fullPage: true });
});

test('the chapter-1 picture opens fitted and runs', async ({ page }) => {
  await open(page);
  await page.selectOption('#examples', 'chapter-1-full-picture');
  await expect(page.locator('#outline [data-node="workers-1"]')).toHaveAttribute('data-region', 'dc-us');
  await expect(page.locator('#outline [data-node="db-3"]')).toHaveAttribute('data-region', 'dc-eu');
  await page.selectOption('#speed', '10');
  await page.click('#run');
  await expect
    .poll(async () => Number(await page.locator('[data-metric="completed"]').innerText()), { timeout: 30_000 })
    .toBeGreaterThan(500);
  await page.screenshot({ path: join(screenshots, 'chapter-1-full-picture.png'), fullPage: true });
});

test('monitoring watches the chapter-1 picture: no alerts, active users and the error budget in the metrics', async ({ page }) => {
  await open(page);
  await expect(page.locator('.palette')).toContainText('Operations');
  await expect(page.locator('[data-palette-kind="monitoring"]')).toBeVisible();
  await page.selectOption('#examples', 'chapter-1-full-picture');
  await expect(page.locator('#outline [data-node="monitor-1"]')).toHaveCount(1);
  await page.selectOption('#speed', '10');
  await page.click('#run');
  await expect
    .poll(async () => Number(await page.locator('[data-metric="active-users"]').innerText()), { timeout: 30_000 })
    .toBeGreaterThan(100);
  await expect(page.locator('[data-metric="alerts-firing"]')).toHaveText('none');
  await expect(page.locator('[data-metric="error-budget"]')).toContainText('SLO 99.900 %');
  await page.click('#run');
  await page.locator('[data-palette-kind="monitoring"]').scrollIntoViewIfNeeded();
  await page.locator('[data-metric="active-users"]').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(screenshots, 'monitoring.png'), fullPage: true });
});

test('a circuit breaker opens when its database dies, and the errors say why', async ({ page }) => {
  await open(page);
  await page.selectOption('#examples', 'circuit-breaker');
  await page.selectOption('#speed', '10');
  await page.click('#run');
  // db-1 dies at 20 s; the breaker opens within a few seconds.
  await expect(page.locator('.causes')).toContainText('circuit breaker open', { timeout: 30_000 });
  await page.click('#run');
  await page.screenshot({ path: join(screenshots, 'circuit-breaker-open.png'), fullPage: true });
});

test('adding a shard while it runs moves records over at the router\'s speed and reads stay correct', async ({ page }) => {
  await open(page);
  await page.selectOption('#examples', 'sharded-joins');
  await expect.poll(async () => (await outline(page)).map((n) => n.id)).toContain('db-4');
  // Zoom out once: room under db-4 for a fifth database.
  const fitted = await page.locator('#canvas-live').getAttribute('data-view');
  await page.click('#zoom-out');
  await expect.poll(() => page.locator('#canvas-live').getAttribute('data-view')).not.toBe(fitted);
  const v = (await page.locator('#canvas-live').getAttribute('data-view')).split(' ').map(Number);
  const screen = (x, y) => canvasPoint(page, (x - v[0]) * v[2], (y - v[1]) * v[2]);
  await page.selectOption('#speed', '10');
  await page.click('#run');
  await expect
    .poll(async () => Number(await page.locator('[data-metric="completed"]').innerText()), { timeout: 30_000 })
    .toBeGreaterThan(500);

  // Drop a database below db-4 and connect router-1 to it: a fifth shard.
  const button = page.locator('[data-palette-kind="database"]');
  await button.scrollIntoViewIfNeeded();
  const from = await button.boundingBox();
  const drop = await screen(800, 620);
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(drop.x, drop.y, { steps: 12 });
  await page.mouse.up();
  await expect.poll(async () => (await outline(page)).map((n) => n.id)).toContain('db-5');
  const nodes = await outline(page);
  const router = nodes.find((n) => n.id === 'router-1');
  const db5 = nodes.find((n) => n.id === 'db-5');
  const port = await screen(router.x + 64, router.y);
  const target = await screen(db5.x, db5.y);
  await page.mouse.move(port.x, port.y);
  await page.mouse.down();
  await page.mouse.move(target.x, target.y, { steps: 12 });
  await page.mouse.up();
  await expect.poll(async () => (await outline(page)).find((n) => n.id === 'router-1').targets).toContain('db-5');

  await expect(page.locator('[data-metric="reshard"]')).toContainText('router-1', { timeout: 30_000 });
  await expect(page.locator('[data-metric="reshard"]')).toContainText('moved records', { timeout: 60_000 });
  await page.click('#run');
  await page.screenshot({ path: join(screenshots, 'resharding.png'), fullPage: true });
  expect(await page.locator('[data-metric="stale-reads"]').innerText()).toMatch(/^0 \//);
});

for (const [locale, cause, logWords] of [
  ['en-US', 'throttled (rate limit)', 'limiter-1 rate limit'],
  ['ko-KR', '처리율 제한으로 거절', 'limiter-1 처리율 제한'],
]) {
  test.describe(`the rate-limiter example (${locale})`, () => {
    test.use({ locale });
    test('refuses the spike at the limiter while the web tier and database keep up', async ({ page }) => {
      await open(page);
      await page.selectOption('#examples', 'rate-limiter-spike');
      await expect(page.locator('#outline [data-node="limiter-1"]')).toBeAttached();
      await page.selectOption('#speed', '10');
      await page.click('#run');
      // The spike runs from 20 s to 40 s: refusals appear, by their own cause, and in the log at the limiter.
      await expect(page.locator('.causes')).toContainText(cause, { timeout: 30_000 });
      await expect(page.locator('#log-entries li[data-node="limiter-1"]').first()).toContainText(logWords);
      await expect
        .poll(async () => parseFloat(await page.locator('[data-metric="clock"]').innerText()), { timeout: 30_000 })
        .toBeGreaterThan(40);
      await page.click('#run');
      // What the limiter protects: nothing behind it overflowed or timed out.
      await expect(page.locator('.causes .metric')).toHaveCount(1);
      await expect(page.locator('.causes .metric dt')).toHaveText(cause);
      await page.screenshot({ path: join(screenshots, `rate-limiter-${locale}.png`), fullPage: true });
    });
  });
}
