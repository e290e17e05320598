// Frame-time benchmark: the built site (dist/) in headless Chromium, running
// the "Little's law" example — 20,000 requests a second with half a second of
// network each way, so about 10,000 requests are on a hop, all drawn — while
// every animation frame is timed: paused (drawing only), at 1×, at 10× and as
// fast as possible; then the same design with 600 ms of network each way, so
// about 24,000 are on a hop and the maximum of 20,000 is drawn.
//
// Reports, for each case, percentiles of
//   - the frame interval: time between consecutive animation frames [ms]
//     (16.7 ms at 60 frames per second; longer means a frame was missed), and
//   - the frame work: time spent in the app's animation-frame callback [ms]
//     (advancing the simulation, drawing, and every 250 ms the panels).
//
// Run through `cargo xtask bench frames` (which builds dist/ first).
// Usage: node bench-frames.mjs [port] [seconds per case]
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium, out, serveDist, simClock, summarise } from './bench-util.mjs';

const port = Number(process.argv[2] ?? 8094);
const seconds = Number(process.argv[3] ?? 10);

/** The example with `network_ms` each way for every group of users. */
function littles(network_ms) {
  const doc = JSON.parse(readFileSync(new URL('../../scenarios/littles-law.json', import.meta.url), 'utf8'));
  for (const n of doc.nodes) if (n.kind === 'users') n.params.network_ms = network_ms;
  return doc;
}

/**
 * Opens the example (with `network_ms`, when given) at `speed`, waits for
 * `want` dots, then times `seconds` of frames.
 */
async function measure(browser, name, speed, pause, want, network_ms) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  // Wrap requestAnimationFrame before the app loads: the app's frame loop
  // is the only user of it, so each wrapped callback is one app frame.
  await page.addInitScript(() => {
    const raf = window.requestAnimationFrame.bind(window);
    const frames = { on: false, at: [], work: [] };
    window.__frames = frames;
    window.requestAnimationFrame = (cb) =>
      raf((ts) => {
        const t0 = performance.now();
        cb(ts);
        if (frames.on) {
          frames.work.push(performance.now() - t0);
          frames.at.push(ts);
        }
      });
  });
  await page.goto(base);
  await page.locator('#canvas-live').waitFor({ timeout: 30_000 });
  if (network_ms === undefined) {
    await page.selectOption('#examples', 'littles-law');
  } else {
    if ((await page.locator('#course-map').count()) > 0) await page.click('#course-map-close');
    await page.setInputFiles('#import-file', {
      name: 'littles-law.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(littles(network_ms))),
    });
  }
  await page.selectOption('#speed', String(speed));
  await page.click('#run');
  const live = page.locator('#canvas-live');
  // Half a second of simulated time fills the hops; then two more seconds.
  for (let i = 0; ; i++) {
    const dots = (await live.getAttribute('data-dots')) ?? '0 0';
    const [drawn] = dots.split(' ').map(Number);
    if (drawn >= want) break;
    if (i > 300) throw new Error(`${name}: the canvas never drew ${want} dots (data-dots="${dots}")`);
    await page.waitForTimeout(100);
  }
  await page.waitForTimeout(2000);
  // Paused, the same dots are drawn every frame and nothing is simulated.
  if (pause) await page.click('#run');
  const clock = () => simClock(page);
  const t0 = await clock();
  const w0 = Date.now();
  await page.evaluate(() => {
    window.__frames.on = true;
  });
  await page.waitForTimeout(seconds * 1000);
  const frames = await page.evaluate(() => {
    window.__frames.on = false;
    return { at: window.__frames.at, work: window.__frames.work };
  });
  const dots = (await live.getAttribute('data-dots')).split(' ').map(Number);
  // Simulated seconds per wall-clock second while measured (paused: 0).
  const pace = ((await clock()) - t0) / ((Date.now() - w0) / 1000);
  await page.screenshot({ path: join(out, `frames-${name.replace(' ', '-')}.png`) });
  await context.close();
  const intervals = frames.at.slice(1).map((t, i) => t - frames.at[i]);
  const span = (frames.at[frames.at.length - 1] - frames.at[0]) / 1000;
  return {
    name,
    speed,
    frames: frames.at.length,
    fps: (frames.at.length - 1) / span,
    missed: intervals.filter((d) => d > 1000 / 60 * 1.5).length,
    dots_drawn: dots[0],
    on_hop: dots[1],
    pace,
    interval_ms: summarise(intervals),
    work_ms: summarise(frames.work),
  };
}

const f = (x) => x.toFixed(1);
const server = await serveDist(port);
const base = server.base;
let browser;
try {
  browser = await launchChromium();
  const results = [];
  for (const [name, speed, pause, want, network_ms] of [
    ['paused', '1', true, 5000],
    ['1x', '1', false, 5000],
    ['10x', '10', false, 5000],
    ['max', 'inf', false, 5000],
    ['20k paused', '1', true, 20000, 600],
    ['20k 1x', '1', false, 20000, 600],
    ['20k max', 'inf', false, 20000, 600],
  ]) {
    results.push(await measure(browser, name, speed, pause, want, network_ms));
  }
  const version = browser.version();
  writeFileSync(join(out, 'frames.json'), JSON.stringify({ chromium: version, seconds, results }, null, 2));
  console.log(`\nframe times in headless Chromium ${version}, ${seconds} s per case, 1280x800:\n`);
  console.log('| case | simulated s per s | dots drawn (on a hop) | fps | frames > 25 ms | interval p50 / p95 / p99 / max [ms] | work p50 / p95 / p99 / max [ms] |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of results) {
    const i = r.interval_ms;
    const w = r.work_ms;
    console.log(
      `| ${r.name} | ${r.pace.toFixed(2)} | ${r.dots_drawn} (${r.on_hop}) | ${f(r.fps)} | ${r.missed} of ${r.frames} | ` +
        `${f(i.p50)} / ${f(i.p95)} / ${f(i.p99)} / ${f(i.max)} | ${f(w.p50)} / ${f(w.p95)} / ${f(w.p99)} / ${f(w.max)} |`,
    );
  }
  console.log(`\nscreenshots and raw figures: ${out}`);
} finally {
  await browser?.close();
  server.stop();
}
