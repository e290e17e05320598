// Load and input-latency benchmark, in headless Chromium on the built site
// (dist/), as a new user meets it:
//
// 1. First visit: a new browser context (empty cache and storage) opens the
//    site, served gzipped as static hosts do, on loopback and over two
//    emulated networks. Reports the bytes transferred, the first contentful
//    paint, and the time until the editor is interactive: the app's first
//    animation frame after its canvas exists, which is when a click or a
//    drag on the canvas is first handled [ms after navigation start].
//
// 2. Input latency: the "chapter 1, the full picture" example runs paused, at
//    1× and as fast as possible (max) while a component is dragged with the
//    mouse (real pointer events through the browser's input pipeline). For
//    each pointer event, latency is the time from the event's timestamp (when
//    the browser received it) to the end of the first animation frame that
//    ran after it was handled — the frame that draws the component where the
//    pointer is [ms]. The frame is shown at the next display refresh after
//    that, which headless Chromium cannot time.
//
// 3. The pace of scenarios/bench/million-rps.json (1,000,000 requests a
//    second) run as fast as possible in the page: simulated seconds per
//    wall-clock second, the browser's counterpart of `cargo xtask bench sim`.
//
// Run through `cargo xtask bench latency` (which builds dist/ first).
// Usage: node bench-latency.mjs [port] [seconds per drag case]
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium, nodeNearCentre, out, serveDist, simClock, summarise } from './bench-util.mjs';

const port = Number(process.argv[2] ?? 8096);
const seconds = Number(process.argv[3] ?? 5);
const viewport = { width: 1280, height: 800 };

/** Networks a first visit is timed over (Chrome DevTools' emulation). */
const NETWORKS = [
  ['loopback', null],
  ['20 Mbit/s, 40 ms round trip', { latency: 40, downloadThroughput: 20e6 / 8, uploadThroughput: 5e6 / 8 }],
  ['5 Mbit/s, 100 ms round trip', { latency: 100, downloadThroughput: 5e6 / 8, uploadThroughput: 1e6 / 8 }],
];
const VISITS = 3;

async function firstVisit(browser, base, conditions) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  await page.addInitScript(() => {
    window.__load = {};
    const raf = window.requestAnimationFrame.bind(window);
    window.requestAnimationFrame = (cb) =>
      raf((ts) => {
        cb(ts);
        if (window.__load.interactive === undefined && document.getElementById('canvas-live')) {
          window.__load.interactive = performance.now();
        }
      });
  });
  if (conditions) {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, ...conditions });
  }
  await page.goto(base, { waitUntil: 'commit' });
  await page.waitForFunction(() => window.__load.interactive !== undefined, null, { timeout: 120_000 });
  // Paint timing is reported once the frame is shown, a moment later.
  await page.waitForFunction(() => performance.getEntriesByName('first-contentful-paint').length > 0, null, { timeout: 30_000 });
  const r = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const bytes = performance.getEntriesByType('resource').reduce((a, e) => a + e.transferSize, nav?.transferSize ?? 0);
    return {
      fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
      interactive: window.__load.interactive,
      bytes,
    };
  });
  await context.close();
  return r;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function dragLatency(browser, base, name, speed, pause) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  await page.addInitScript(() => {
    const lat = { on: false, pending: [], latency: [], frames: [] };
    window.__lat = lat;
    addEventListener(
      'pointermove',
      (e) => {
        if (lat.on) lat.pending.push(e.timeStamp);
      },
      { capture: true },
    );
    const raf = window.requestAnimationFrame.bind(window);
    window.requestAnimationFrame = (cb) =>
      raf((ts) => {
        cb(ts);
        if (!lat.on) return;
        const now = performance.now();
        for (const t of lat.pending) lat.latency.push(now - t);
        lat.pending.length = 0;
        lat.frames.push(ts);
      });
  });
  await page.goto(base);
  await page.locator('#canvas-live').waitFor({ timeout: 30_000 });
  await page.selectOption('#examples', 'chapter-1-full-picture');
  await page.selectOption('#speed', speed);
  await page.click('#run');
  await page.waitForTimeout(2000);
  if (pause) await page.click('#run');
  const clock = () => simClock(page);
  const { node, start } = await nodeNearCentre(page);
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  const t0 = await clock();
  const w0 = Date.now();
  await page.evaluate(() => {
    window.__lat.on = true;
  });
  let moves = 0;
  while (Date.now() - w0 < seconds * 1000) {
    const a = moves / 10;
    await page.mouse.move(start.x + 60 * Math.sin(a), start.y + 40 * (1 - Math.cos(a)));
    moves += 1;
  }
  const { latency, frames } = await page.evaluate(() => {
    window.__lat.on = false;
    return { latency: window.__lat.latency, frames: window.__lat.frames };
  });
  const pace = ((await clock()) - t0) / ((Date.now() - w0) / 1000);
  await page.mouse.up();
  const li = page.locator(`#outline [data-node="${node.id}"]`);
  const moved = Number(await li.getAttribute('data-x')) !== node.x || Number(await li.getAttribute('data-y')) !== node.y;
  if (!moved) throw new Error(`${name}: the drag did not move ${node.id}`);
  await page.screenshot({ path: join(out, `latency-${name}.png`) });
  await context.close();
  const intervals = frames.slice(1).map((t, i) => t - frames[i]);
  return {
    name,
    node: node.id,
    moves_per_s: moves / seconds,
    events: latency.length,
    pace,
    latency_ms: summarise(latency),
    interval_ms: summarise(intervals),
  };
}

/** Simulated seconds per wall second of the 1,000,000 req/s design at max. */
async function millionPace(browser, base) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  await page.goto(base);
  await page.locator('#canvas-live').waitFor({ timeout: 30_000 });
  if ((await page.locator('#course-map').count()) > 0) await page.click('#course-map-close');
  const doc = readFileSync(new URL('../../scenarios/bench/million-rps.json', import.meta.url));
  await page.setInputFiles('#import-file', { name: 'million-rps.json', mimeType: 'application/json', buffer: doc });
  await page.waitForFunction(() => document.querySelectorAll('#outline li[data-node]').length === 66, null, { timeout: 60_000 });
  await page.selectOption('#speed', 'inf');
  await page.click('#run');
  const clock = () => simClock(page);
  await page.waitForTimeout(3000);
  const [t0, w0] = [await clock(), Date.now()];
  await page.waitForTimeout(seconds * 1000);
  const pace = ((await clock()) - t0) / ((Date.now() - w0) / 1000);
  await page.screenshot({ path: join(out, 'latency-million.png') });
  await context.close();
  return pace;
}

const f = (x) => x.toFixed(1);
const server = await serveDist(port, { GZIP: '1' });
let browser;
try {
  browser = await launchChromium();
  const visits = [];
  for (const [name, conditions] of NETWORKS) {
    const runs = [];
    for (let i = 0; i < VISITS; i++) runs.push(await firstVisit(browser, server.base, conditions));
    visits.push({
      network: name,
      bytes: median(runs.map((r) => r.bytes)),
      fcp_ms: median(runs.map((r) => r.fcp)),
      interactive_ms: median(runs.map((r) => r.interactive)),
      runs,
    });
  }
  const drags = [];
  for (const [name, speed, pause] of [
    ['paused', '1', true],
    ['1x', '1', false],
    ['max', 'inf', false],
  ]) {
    drags.push(await dragLatency(browser, server.base, name, speed, pause));
  }
  const million = await millionPace(browser, server.base);
  const version = browser.version();
  writeFileSync(join(out, 'latency.json'), JSON.stringify({ chromium: version, seconds, visits, drags, million }, null, 2));
  console.log(`\nfirst visit in headless Chromium ${version}, empty profile, gzip, median of ${VISITS}:\n`);
  console.log('| network | transferred [KiB] | first contentful paint [ms] | interactive [ms] |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const v of visits) {
    console.log(`| ${v.network} | ${f(v.bytes / 1024)} | ${f(v.fcp_ms)} | ${f(v.interactive_ms)} |`);
  }
  console.log(`\ndragging a component of "chapter 1, the full picture", ${seconds} s per case, 1280x800:\n`);
  console.log('| case | simulated s per s | pointer events | latency p50 / p95 / max [ms] | frame interval p50 / p95 [ms] |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const r of drags) {
    const [l, i] = [r.latency_ms, r.interval_ms];
    console.log(
      `| ${r.name} | ${r.pace.toFixed(2)} | ${r.events} | ${f(l.p50)} / ${f(l.p95)} / ${f(l.max)} | ${f(i.p50)} / ${f(i.p95)} |`,
    );
  }
  console.log(`\nscenarios/bench/million-rps.json (1,000,000 req/s) at max in the page: ${million.toFixed(3)}x real time`);
  console.log(`\nscreenshots and raw figures: ${out}`);
} finally {
  await browser?.close();
  server.stop();
}
