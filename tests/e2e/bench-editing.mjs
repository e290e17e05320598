// Editing benchmark: how large a design the editor keeps smooth. The built
// site (dist/) in headless Chromium imports generated designs of growing
// size — groups of ten components (users → load balancer → seven web
// servers → a database) laid out on a grid — and, for each, a component is
// dragged with the mouse for a few seconds, paused and then while it runs
// at 1×, while every animation frame is timed.
//
// Reports, for each size, the time to open the file and percentiles of the
// frame interval while dragging [ms] (33.3 ms is 30 frames per second),
// and the largest size whose p95 stays within two frames at 60 Hz in both
// cases (34 ms: 33.3 ms and the timer's jitter), which is 30 frames per
// second: the app's SMOOTH_COMPONENTS is set from it (docs/performance.md).
//
// Run through `cargo xtask bench editing` (which builds dist/ first).
// Usage: node bench-editing.mjs [port] [seconds per case] [sizes, comma-separated]
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium, nodeNearCentre, out, serveDist, summarise } from './bench-util.mjs';

const port = Number(process.argv[2] ?? 8095);
const seconds = Number(process.argv[3] ?? 4);
const sizes = (process.argv[4] ?? '100,500,1000,2000,3000,4000,5000,10000').split(',').map(Number);

/** A design of about `n` components in groups of ten, on a grid. */
function design(n) {
  const groups = Math.max(1, Math.round(n / 10));
  const cols = Math.ceil(Math.sqrt(groups));
  const nodes = [];
  const edges = [];
  for (let g = 0; g < groups; g++) {
    const [x, y] = [(g % cols) * 860, Math.floor(g / cols) * 560];
    const id = (kind) => `${kind}-${g + 1}`;
    nodes.push({ id: id('users'), kind: 'users', x, y: y + 210, params: { rate_rps: 20 } });
    nodes.push({ id: id('lb'), kind: 'load_balancer', x: x + 200, y: y + 210 });
    for (let i = 0; i < 7; i++) {
      const web = `web-${g * 7 + i + 1}`;
      nodes.push({ id: web, kind: 'web_server', x: x + 420, y: y + i * 70 });
      edges.push({ from: id('lb'), to: web });
      edges.push({ from: web, to: id('db') });
    }
    nodes.push({ id: id('db'), kind: 'database', x: x + 640, y: y + 210 });
    edges.push({ from: id('users'), to: id('lb') });
  }
  return { version: 1, seed: 1, nodes, edges };
}

/** Drags the component nearest the canvas's centre round a circle for `seconds`, timing every frame. */
async function drag(page) {
  const { node, start } = await nodeNearCentre(page);
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  await page.evaluate(() => {
    window.__frames.at = [];
    window.__frames.on = true;
  });
  const t0 = Date.now();
  let moves = 0;
  while (Date.now() - t0 < seconds * 1000) {
    const a = moves / 10;
    await page.mouse.move(start.x + 60 * Math.sin(a), start.y + 40 * (1 - Math.cos(a)));
    moves += 1;
  }
  const frames = await page.evaluate(() => {
    window.__frames.on = false;
    return window.__frames.at;
  });
  await page.mouse.up();
  const li = page.locator(`#outline [data-node="${node.id}"]`);
  const moved = Number(await li.getAttribute('data-x')) !== node.x || Number(await li.getAttribute('data-y')) !== node.y;
  if (!moved) throw new Error(`the drag did not move ${node.id}`);
  const intervals = frames.slice(1).map((t, i) => t - frames[i]);
  return { moves_per_s: moves / seconds, frames: frames.length, interval_ms: summarise(intervals) };
}

async function measure(browser, n) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.addInitScript(() => {
    const raf = window.requestAnimationFrame.bind(window);
    const frames = { on: false, at: [] };
    window.__frames = frames;
    window.requestAnimationFrame = (cb) =>
      raf((ts) => {
        cb(ts);
        if (frames.on) frames.at.push(ts);
      });
  });
  await page.goto(base);
  await page.locator('#canvas-live').waitFor({ timeout: 30_000 });
  if ((await page.locator('#course-map').count()) > 0) await page.click('#course-map-close');
  const doc = design(n);
  const t0 = Date.now();
  await page.setInputFiles('#import-file', {
    name: `grid-${n}.json`,
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(doc)),
  });
  await page.waitForFunction((count) => document.querySelectorAll('#outline li[data-node]').length === count, doc.nodes.length, {
    timeout: 120_000,
  });
  const open_s = (Date.now() - t0) / 1000;
  const warned = (await page.locator('#large-design').count()) > 0;
  const paused = await drag(page);
  await page.selectOption('#speed', '1');
  await page.click('#run');
  await page.waitForTimeout(1000);
  const running = await drag(page);
  await page.screenshot({ path: join(out, `editing-${doc.nodes.length}.png`) });
  await context.close();
  return { components: doc.nodes.length, connections: doc.edges.length, open_s, warned, paused, running };
}

const f = (x) => x.toFixed(1);
const server = await serveDist(port);
const base = server.base;
let browser;
try {
  browser = await launchChromium();
  const results = [];
  for (const n of sizes) {
    const r = await measure(browser, n);
    results.push(r);
    console.error(`${r.components} components: paused p95 ${f(r.paused.interval_ms.p95)} ms, running p95 ${f(r.running.interval_ms.p95)} ms`);
  }
  const TWO_FRAMES_MS = 34;
  const smooth = results.filter((r) => r.paused.interval_ms.p95 <= TWO_FRAMES_MS && r.running.interval_ms.p95 <= TWO_FRAMES_MS);
  const largest = smooth.length ? Math.max(...smooth.map((r) => r.components)) : 0;
  const version = browser.version();
  writeFileSync(join(out, 'editing.json'), JSON.stringify({ chromium: version, seconds, results, largest_smooth: largest }, null, 2));
  console.log(`\ndragging a component in headless Chromium ${version}, ${seconds} s per case, 1280x800:\n`);
  console.log('| components (connections) | open [s] | warned | paused: moves/s, interval p50 / p95 / max [ms] | running 1×: moves/s, interval p50 / p95 / max [ms] |');
  console.log('| ---: | ---: | :---: | ---: | ---: |');
  for (const r of results) {
    const [p, q] = [r.paused, r.running];
    console.log(
      `| ${r.components} (${r.connections}) | ${f(r.open_s)} | ${r.warned ? 'yes' : 'no'} | ` +
        `${f(p.moves_per_s)}, ${f(p.interval_ms.p50)} / ${f(p.interval_ms.p95)} / ${f(p.interval_ms.max)} | ` +
        `${f(q.moves_per_s)}, ${f(q.interval_ms.p50)} / ${f(q.interval_ms.p95)} / ${f(q.interval_ms.max)} |`,
    );
  }
  console.log(`\nlargest design dragged at 30 frames per second or more (p95), paused and running: ${largest} components`);
  console.log(`screenshots and raw figures: ${out}`);
} finally {
  await browser?.close();
  server.stop();
}
