// What the in-browser benchmarks share: the static server for dist/, the
// headless Chromium they run in, and percentiles of timings.
import { chromium } from '@playwright/test';
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './helpers.mjs';

/** Where the benchmarks write raw figures and screenshots (made if missing). */
export const out = join(repoRoot, 'target', 'bench');
mkdirSync(out, { recursive: true });

/**
 * Serves dist/ on `port` (gzipped when `env.GZIP` is '1'); resolves once it
 * answers, with its base URL and a way to stop it.
 */
export async function serveDist(port, env = {}) {
  const server = spawn('node', [join(repoRoot, 'tests', 'e2e', 'serve-dist.mjs'), String(port)], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, ...env },
  });
  const base = `http://127.0.0.1:${port}/`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(base)).ok) return { base, stop: () => server.kill() };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  server.kill();
  throw new Error(`the dist/ server did not start on ${base}`);
}

/** Headless Chromium without a GPU (software rendering, as on CI-class machines). */
export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** Percentiles, maximum and mean of `values`. */
export function summarise(values) {
  const s = [...values].sort((a, b) => a - b);
  return {
    p50: pct(s, 50),
    p95: pct(s, 95),
    p99: pct(s, 99),
    max: s[s.length - 1],
    mean: s.reduce((a, b) => a + b, 0) / s.length,
  };
}

/** The simulated clock the toolbar shows [s]. */
export async function simClock(page) {
  return Number((await page.locator('[data-metric="clock"]').innerText()).replace(/[^0-9.]/g, ''));
}

/**
 * The component nearest the canvas's centre (as the outline lists it), and
 * where a drag of it starts on the page: a little left of its centre, and
 * the view's zoom.
 */
export async function nodeNearCentre(page) {
  const live = page.locator('#canvas-live');
  const box = await live.boundingBox();
  const [vx, vy, zoom] = (await live.getAttribute('data-view')).split(' ').map(Number);
  const nodes = await page.locator('#outline li[data-node]').evaluateAll((items) =>
    items.map((li) => ({ id: li.dataset.node, x: Number(li.dataset.x), y: Number(li.dataset.y) })),
  );
  const screen = (n) => ({ x: box.x + (n.x - vx) * zoom, y: box.y + (n.y - vy) * zoom });
  const centre = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  const d = (n) => Math.hypot(screen(n).x - centre.x, screen(n).y - centre.y);
  const node = nodes.reduce((a, b) => (d(b) < d(a) ? b : a));
  const at = screen(node);
  return { node, start: { x: at.x - 20 * zoom, y: at.y }, zoom };
}
