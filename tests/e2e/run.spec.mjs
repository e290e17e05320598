// Watching it run: time controls. Stepping processes exactly one event, the
// speed sets how fast the simulated clock runs, and the same seed replays
// identically.
import { test, expect } from '@playwright/test';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { open, screenshots, clickNode, badgeColour, siteFile, engineBuild, engineFiles } from './helpers.mjs';

const number = async (page, name) =>
  Number((await page.locator(`[data-metric="${name}"]`).innerText()).replace(/[^0-9.]/g, ''));

test('a step processes exactly one event and +10 ms advances the clock by 10 ms', async ({ page }) => {
  await open(page);
  await page.selectOption('#examples', 'lb-two-servers');
  await page.click('#step-event');
  await expect.poll(() => number(page, 'events')).toBe(1);
  await page.click('#step-event');
  await expect.poll(() => number(page, 'events')).toBe(2);
  await expect(page.locator('#run')).toHaveAttribute('aria-pressed', 'false');
  const before = await number(page, 'clock');
  await page.click('#step-time');
  await expect.poll(() => number(page, 'clock')).toBeCloseTo(before + 0.01, 3);
  const events = await number(page, 'events');
  await page.click('#step-event');
  await expect.poll(() => number(page, 'events')).toBe(events + 1);
  await page.screenshot({ path: join(screenshots, 'time-controls.png'), fullPage: true });
});

test('the speed sets how fast the simulated clock runs', async ({ page }) => {
  await open(page);
  await page.selectOption('#examples', 'lb-two-servers');
  const rate = async (speed) => {
    await page.selectOption('#speed', speed);
    const t0 = await number(page, 'clock');
    const w0 = Date.now();
    await page.waitForTimeout(1500);
    return ((await number(page, 'clock')) - t0) / ((Date.now() - w0) / 1000);
  };
  await page.click('#run');
  const one = await rate('1');
  const ten = await rate('10');
  await page.click('#run');
  expect(one).toBeGreaterThan(0.3);
  expect(one).toBeLessThan(1.2);
  expect(ten / one).toBeGreaterThan(4);
  await expect(page.locator('[data-metric="pace"]')).toHaveCount(0);
  // As fast as possible runs faster still, and says how fast it got.
  await page.click('#run');
  const max = await rate('inf');
  await expect(page.locator('[data-metric="pace"]')).toHaveText(/^≈[0-9.]+×$/);
  const shown = Number((await page.locator('[data-metric="pace"]').innerText()).replace(/[^0-9.]/g, ''));
  await page.click('#run');
  expect(max).toBeGreaterThan(ten);
  expect(shown).toBeGreaterThan(ten);
});

test('the same seed twice gives identical figures, and another seed other ones', async ({ page }) => {
  await open(page);
  await page.selectOption('#examples', 'lb-two-servers');
  const figures = async () => {
    for (let i = 0; i < 30; i++) await page.click('#step-time');
    await expect.poll(() => number(page, 'clock')).toBeCloseTo(0.3, 3);
    const f = [];
    for (const m of ['events', 'completed', 'p50', 'p99']) f.push(await number(page, m));
    await page.click('#reset');
    return f;
  };
  await page.fill('#seed', '7');
  await page.locator('#seed').press('Enter');
  await page.locator('#step-time').focus();
  const a = await figures();
  const b = await figures();
  expect(b).toEqual(a);
  await page.fill('#seed', '8');
  await page.locator('#seed').press('Enter');
  await page.locator('#step-time').focus();
  const c = await figures();
  expect(c).not.toEqual(a);
  // The seed is part of the design: it survives a reload.
  await page.reload();
  await expect(page.locator('#seed')).toHaveValue('8');
});

/** Right-clicks node `id` on the canvas, wherever the view has put it. */
async function rightClickNode(page, id) {
  const li = page.locator(`#outline [data-node="${id}"]`);
  const [x, y] = [Number(await li.getAttribute('data-x')), Number(await li.getAttribute('data-y'))];
  const v = (await page.locator('#canvas-live').getAttribute('data-view')).split(' ').map(Number);
  const box = await page.locator('#canvas-live').boundingBox();
  await page.mouse.click(box.x + (x - v[0]) * v[2], box.y + (y - v[1]) * v[2], { button: 'right' });
}

test('killing the only web server under load fails requests and the log says why; a restart recovers', async ({ page }) => {
  await open(page);
  await page.selectOption('#examples', 'single-server');
  await page.selectOption('#speed', '10');
  await page.click('#run');
  await expect.poll(() => number(page, 'completed'), { timeout: 30_000 }).toBeGreaterThan(100);
  expect(await number(page, 'errors')).toBe(0);

  await rightClickNode(page, 'web-1');
  await expect(page.locator('#fault-menu')).toBeVisible();
  await expect(page.locator('#fault-menu button').first()).toBeFocused();
  await page.click('#fault-menu [data-fault="kill"]');
  await expect(page.locator('#fault-menu')).toHaveCount(0);
  await expect(page.locator('#log-entries')).toContainText('web-1 crashed');
  await expect.poll(() => number(page, 'errors'), { timeout: 30_000 }).toBeGreaterThan(20);
  // The error-rate chart rises, with a mark where the crash happened.
  await page.selectOption('#chart-figure', 'error-rate');
  const chartLast = async () => Number(await page.locator('#chart').getAttribute('data-last'));
  await expect.poll(chartLast, { timeout: 30_000 }).toBeGreaterThan(50);
  await expect(page.locator('#chart')).toHaveAttribute('data-marks', '1');
  const chart = await page.locator('#chart').boundingBox();
  await page.mouse.move(chart.x + chart.width * 0.8, chart.y + chart.height / 2);
  await expect(page.locator('#chart')).toHaveAttribute('data-hover', / s: \d/);
  await page.locator('#chart').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(screenshots, 'killed-web-server.png'), fullPage: true });

  await rightClickNode(page, 'web-1');
  await page.click('#fault-menu [data-fault="restart"]');
  // Logouts may be logged right after it, so look for the entry, not the top row.
  await expect(page.locator('#log-entries li', { hasText: 'web-1 restarted' })).toHaveCount(1);
  // Users whose login lived in the crashed server's memory are logged out
  // once each; after that (a few hundred simulated seconds), no new errors.
  await page.selectOption('#speed', '100');
  await page.waitForTimeout(4000);
  // Counting over the whole run: errors stop growing, completions do not.
  await page.click('#figures-all');
  await expect(page.locator('.metrics > dl[data-window]')).toHaveAttribute('data-window', 'all');
  const [e1, c1] = [await number(page, 'errors'), await number(page, 'completed')];
  await page.waitForTimeout(1500);
  expect(await number(page, 'errors')).toBe(e1);
  expect(await number(page, 'completed')).toBeGreaterThan(c1);
  await expect.poll(chartLast).toBe(0);
  // Over the last 10 s, like the chart: no errors at all.
  await page.click('#figures-recent');
  await expect(page.locator('.metrics > dl[data-window]')).toHaveAttribute('data-window', 'recent');
  await expect.poll(() => number(page, 'errors')).toBe(0);

  // The log filters by words, and an entry selects its node.
  await page.fill('#log-filter', 'crashed');
  await expect(page.locator('#log-entries li')).toHaveCount(1);
  await page.click('#log-entries li button');
  await expect(page.locator('.inspector-head code')).toHaveText('web-1');
  await page.selectOption('#log-category', 'data');
  await expect(page.locator('#log-entries li')).toHaveCount(0);
});

test('the chaos menu kills a random server and the keyboard opens a node\'s fault menu', async ({ page }) => {
  await open(page);
  await page.selectOption('#examples', 'lb-two-servers');
  await page.selectOption('#chaos', 'kill-server');
  await expect(page.locator('#log-entries')).toContainText(/web-[12] crashed/);
  await expect(page.locator('#chaos')).toHaveValue('');
  // Keyboard: select a node with Tab, open its menu with Shift+F10.
  await page.locator('#canvas-live').focus();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Shift+F10');
  await expect(page.locator('#fault-menu')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.locator('#fault-menu')).toHaveCount(0);
});

test('clicking a node or a connection while it runs shows its live figures; dots have a legend', async ({ page }) => {
  await open(page);
  await page.selectOption('#examples', 'lb-two-servers');
  await page.selectOption('#speed', '10');
  await page.click('#run');
  await expect.poll(() => number(page, 'completed'), { timeout: 30_000 }).toBeGreaterThan(200);
  const v = (await page.locator('#canvas-live').getAttribute('data-view')).split(' ').map(Number);
  const box = await page.locator('#canvas-live').boundingBox();
  const screen = (x, y) => ({ x: box.x + (x - v[0]) * v[2], y: box.y + (y - v[1]) * v[2] });
  const nodes = await page.locator('#outline li[data-node]').evaluateAll((items) =>
    items.map((li) => ({ id: li.dataset.node, x: Number(li.dataset.x), y: Number(li.dataset.y) })));
  const web = nodes.find((n) => n.id === 'web-1');
  const lb = nodes.find((n) => n.id === 'lb-1');
  let p = screen(web.x - 20, web.y);
  await page.mouse.click(p.x, p.y);
  await expect(page.locator('[data-live="state"]')).toHaveText('up');
  await expect.poll(async () => Number(await page.locator('[data-live="served"]').innerText())).toBeGreaterThan(0);
  await expect(page.locator('[data-live="utilization"]')).toContainText('%');
  await expect(page.locator('[data-live="latency"]')).toContainText('ms');
  await expect(page.locator('[data-live="errors"]')).toHaveText('0');
  // The connection lb-1 → web-1: its requests per second.
  const start = { x: lb.x + 64, y: lb.y };
  const dx = start.x - web.x;
  const dy = start.y - web.y;
  const s = Math.min(64 / Math.abs(dx), 28 / Math.abs(dy), 1);
  const end = { x: web.x + dx * s, y: web.y + dy * s };
  p = screen((start.x + end.x) / 2, (start.y + end.y) / 2);
  await page.mouse.click(p.x, p.y);
  await expect(page.locator('#selected-edge')).toHaveText('lb-1 → web-1');
  await expect.poll(async () => parseFloat(await page.locator('[data-live="rate"]').innerText()), { timeout: 15_000 })
    .toBeGreaterThan(1);
  await page.click('#run');
  await page.screenshot({ path: join(screenshots, 'live-edge.png'), fullPage: true });
});

test('jobs travelling from the queue to the workers are drawn as dots', async ({ page }) => {
  await open(page);
  await page.selectOption('#examples', 'queue-workers-crash');
  await page.click('#run');
  const live = page.locator('#canvas-live');
  await expect.poll(async () => Number(await live.getAttribute('data-job-dots')), { timeout: 30_000 })
    .toBeGreaterThan(0);
  const [drawn, onHop] = (await live.getAttribute('data-dots')).split(' ').map(Number);
  expect(drawn).toBeLessThanOrEqual(onHop);
  // Paused, step event by event until a job is on its way to the workers.
  await page.click('#run');
  const steps = await page.evaluate(async () => {
    const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
    const canvas = document.getElementById('canvas-live');
    for (let i = 1; i <= 2000; i++) {
      document.getElementById('step-event').click();
      await frame();
      await frame();
      if (Number(canvas.dataset.dots.split(' ')[2]) > 0) return i;
    }
    return 0;
  });
  expect(steps).toBeGreaterThan(0);
  await page.screenshot({ path: join(screenshots, 'job-dots.png'), fullPage: true });
});

test('the charts and the event log sit in a drawer under the canvas that can be closed', async ({ page }) => {
  await open(page);
  const toggle = page.locator('#drawer-toggle');
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await expect(page.locator('#chart')).toBeVisible();
  const canvas = await page.locator('#canvas-live').boundingBox();
  const chart = await page.locator('#chart').boundingBox();
  expect(chart.y).toBeGreaterThanOrEqual(canvas.y + canvas.height - 1);
  await page.selectOption('#chart-figure', 'error-rate');
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await expect(page.locator('#chart')).toBeHidden();
  await expect.poll(async () => (await page.locator('#canvas-live').boundingBox()).height)
    .toBeGreaterThan(canvas.height + 100);
  // Opening it again keeps the figure chosen before; closed stays closed after a reload.
  await toggle.click();
  await expect(page.locator('#chart')).toBeVisible();
  await expect(page.locator('#chart-figure')).toHaveValue('error-rate');
  await toggle.click();
  await page.reload();
  await expect(page.locator('#drawer-toggle')).toHaveAttribute('aria-expanded', 'false');
  await expect(page.locator('#chart')).toBeHidden();
  await page.locator('#drawer-toggle').click();
  await expect(page.locator('#chart')).toBeVisible();
});

test('with more requests on a hop than can be drawn, exactly 20,000 dots are drawn out of all of them', async ({ page }) => {
  await open(page);
  // The Little's law example with 600 ms of network each way instead of
  // 250: 20,000 requests a second keep about 24,000 on a hop.
  const doc = JSON.parse(await readFile(new URL('../../scenarios/littles-law.json', import.meta.url), 'utf8'));
  for (const n of doc.nodes) if (n.kind === 'users') n.params.network_ms = 600;
  await page.setInputFiles('#import-file', { name: 'littles-law-600.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(doc)) });
  await expect(page.locator('#outline li[data-node]')).toHaveCount(doc.nodes.length);
  await page.selectOption('#speed', '1');
  await page.click('#run');
  const live = page.locator('#canvas-live');
  const dots = async () => ((await live.getAttribute('data-dots')) ?? '0 0').split(' ').map(Number);
  await expect.poll(async () => (await dots())[1], { timeout: 30_000 }).toBeGreaterThan(22000);
  const [drawn, onHop] = await dots();
  expect(drawn).toBe(20000);
  expect(onHop).toBeLessThan(26000);
  await expect.poll(() => number(page, 'in-flight')).toBeGreaterThan(22000);
  await page.click('#run');
  await page.screenshot({ path: join(screenshots, 'twenty-thousand-dots.png'), fullPage: true });
});

test('the Little\'s law example draws every one of its 10,000 requests on a hop', async ({ page }) => {
  await open(page);
  await page.selectOption('#examples', 'littles-law');
  await page.selectOption('#speed', '1');
  await page.click('#run');
  const live = page.locator('#canvas-live');
  const dots = async () => ((await live.getAttribute('data-dots')) ?? '0 0').split(' ').map(Number);
  await expect.poll(async () => (await dots())[1], { timeout: 30_000 }).toBeGreaterThan(9000);
  const [drawn, onHop] = await dots();
  expect(drawn).toBe(onHop);
  expect(onHop).toBeLessThan(11000);
});

test('an edit that leaves the design invalid for a moment neither stops nor resets the run', async ({ page }) => {
  await open(page);
  await page.selectOption('#examples', 'lb-two-servers');
  await page.selectOption('#speed', '1');
  await page.click('#run');
  await expect.poll(() => number(page, 'clock')).toBeGreaterThan(1);
  // Delete the Users node: nothing sends requests, so the design is invalid.
  await clickNode(page, 'users-1');
  await page.keyboard.press('Delete');
  const held = page.locator('#problem-count-button');
  await expect(held).toContainText('Running the last valid design');
  await expect(held).toContainText('1 problem to fix');
  await expect(page.locator('#problem-list'), 'no list over the design').toHaveCount(0);
  // Nothing reaches the rest now: each is marked where it is, in amber
  // (a warning), and nothing else is drawn on the canvas.
  await expect(page.locator('#canvas-live')).toHaveAttribute('data-marks', /node:lb-1:warning/);
  await expect.poll(() => badgeColour(page, 'lb-1')).toEqual([0xe6, 0x9f, 0x00]);
  await page.screenshot({ path: join(screenshots, 'held-marks.png') });
  await expect(page.locator('#run')).toHaveAttribute('aria-pressed', 'true');
  const during = await number(page, 'clock');
  await expect.poll(() => number(page, 'clock'), 'the clock goes on').toBeGreaterThan(during + 0.5);
  await page.screenshot({ path: join(screenshots, 'held-run.png'), fullPage: true });
  // Undo makes it valid again: the fix applies at once, the clock carries on.
  await page.keyboard.press('Control+z');
  await expect(held).toHaveCount(0);
  await expect(page.locator('#canvas-live')).toHaveAttribute('data-marks', '');
  await expect.poll(() => badgeColour(page, 'lb-1'), 'the badge is gone').not.toEqual([0xe6, 0x9f, 0x00]);
  const after = await number(page, 'clock');
  expect(after).toBeGreaterThan(during);
  await expect.poll(() => number(page, 'clock')).toBeGreaterThan(after);
});

/** Opens the async-failover example, seeks (paused) to its last scheduled
 * event and returns where the simulation ran, the clock and the figures. */
async function figuresAfterSeek(page) {
  await open(page);
  await page.selectOption('#examples', 'replication-async-failover');
  const event = page.locator('#timebar .event').last();
  const at = Number(await event.getAttribute('data-at'));
  expect(at).toBeGreaterThan(10);
  await event.click();
  const clock = page.locator('[data-metric="clock"]');
  await expect.poll(async () => parseFloat(await clock.innerText()), { timeout: 30_000 }).toBeGreaterThan(at / 2);
  await expect.poll(() => number(page, 'completed')).toBeGreaterThan(0);
  // Paused: the figures stay as they are.
  const figures = await page.locator('.metrics').innerText();
  await page.waitForTimeout(300);
  expect(await page.locator('.metrics').innerText()).toBe(figures);
  return {
    where: await page.locator('.app').getAttribute('data-sim-in'),
    clock: await clock.innerText(),
    figures,
  };
}

test('the simulation runs in a Web Worker, and in the page with the same figures when there is none', async ({ browser }) => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const fetched = [];
  page.on('request', (r) => fetched.push(new URL(r.url())));
  // Nothing is loaded for the simulation until something runs: the
  // engine is its own wasm, not part of the first load.
  await open(page);
  await expect(page.locator('.app')).toHaveAttribute('data-sim-in', 'none');
  expect(fetched.some((u) => u.pathname.includes('engine'))).toBe(false);
  const inWorker = await figuresAfterSeek(page);
  expect(inWorker.where).toBe('worker');
  // Every file of the engine is asked for with the engine's build that the
  // page names, so no cache can hand an older engine to this app.
  const build = await engineBuild(page);
  expect(build).toMatch(/^[0-9a-f]{16}$/);
  expect(engineFiles(fetched).sort()).toEqual([`engine.js?v=${build}`, `engine_bg.wasm?v=${build}`, `sim-worker-loader.js?v=${build}`]);
  // At max it keeps running there.
  await page.selectOption('#speed', 'inf');
  await page.click('#run');
  await expect.poll(async () => parseFloat(await page.locator('[data-metric="clock"]').innerText())).toBeGreaterThan(parseFloat(inWorker.clock) + 1);
  await ctx.close();
  // Without workers, or with a worker that cannot start (its script
  // missing, or the engine's wasm failing in the worker only), the page
  // loads the engine itself: the same run, to the digit.
  const cases = [{ noWorker: true }, { missing: siteFile('sim-worker-loader.js') }, { failFirst: siteFile('engine_bg.wasm') }];
  for (const c of cases) {
    const other = await browser.newContext();
    if (c.noWorker) {
      await other.addInitScript(() => {
        delete window.Worker;
      });
    } else if (c.missing) {
      await other.route(c.missing, (route) => route.fulfill({ status: 404, body: 'not found' }));
    } else {
      let failed = false;
      await other.route(c.failFirst, (route) => {
        if (failed) return route.continue();
        failed = true;
        return route.fulfill({ status: 404, body: 'not found' });
      });
    }
    const p = await other.newPage();
    const asked = [];
    p.on('request', (r) => asked.push(new URL(r.url())));
    const inPage = await figuresAfterSeek(p);
    if (c.noWorker) {
      // Loaded into the page, the engine carries the build too.
      expect(engineFiles(asked).sort()).toEqual([`engine.js?v=${build}`, `engine_bg.wasm?v=${build}`]);
    }
    expect(inPage.where, JSON.stringify(c)).toBe('page');
    expect(inPage.clock).toBe(inWorker.clock);
    expect(inPage.figures).toBe(inWorker.figures);
    await other.close();
  }
});

test('when the simulation cannot load at all, the toolbar says so in both languages and the design stays', async ({ browser }) => {
  const ctx = await browser.newContext();
  await ctx.route(siteFile('engine_bg.wasm'), (route) => route.fulfill({ status: 404, body: 'not found' }));
  const page = await ctx.newPage();
  await open(page);
  await page.selectOption('#examples', 'lb-two-servers');
  const outline = () => page.locator('#outline li[data-node]').evaluateAll((items) => items.map((li) => li.dataset.node));
  const nodes = await outline();
  expect(nodes.length).toBeGreaterThan(2);
  await page.click('#run');
  const alert = page.locator('#sim-unavailable');
  await expect(alert).toContainText('The simulation could not load');
  await expect(alert).toContainText('your design is kept');
  await expect(page.locator('.app')).toHaveAttribute('data-sim-in', 'unavailable');
  // Nothing runs, and nothing pretends to.
  await expect(page.locator('#run')).toHaveAttribute('aria-pressed', 'false');
  await expect(page.locator('[data-metric="clock"]')).toHaveText(/^0(\.0+)? ?s$/);
  expect(await outline()).toEqual(nodes);
  await page.screenshot({ path: join(screenshots, 'engine-unavailable.png'), fullPage: true });
  await page.click('#lang');
  await expect(alert).toContainText('시뮬레이션을 불러오지 못해');
  await ctx.close();
});
