// Shared helpers for the end-to-end tests: real pointer input on the canvas.
//
// DOM contract (see the app): palette buttons [data-palette-kind=...], the
// canvas top layer #canvas-live (in the initial view a point relative to the
// canvas box is the same point in world coordinates), nodes 128x56 CSS px with
// an output port of radius 8 at (centre.x + 64, centre.y), #run toggles
// Run/Pause (aria-pressed="true" while running), metrics [data-metric=...],
// and #outline: one <li data-node data-targets data-x data-y> per node.
import { expect } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const repoRoot = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
export const screenshots = join(repoRoot, 'target', 'e2e-screenshots');

const NODE_HALF_WIDTH = 64;
const STEPS = 12;

/**
 * Loads the app and waits until it has mounted. A newcomer (empty profile)
 * is welcomed with the course map; it is closed unless `welcome` is kept.
 */
export async function open(page, url = '/', { welcome = false } = {}) {
  await page.goto(url);
  await expect(page.locator('#canvas-live')).toBeAttached({ timeout: 30_000 });
  if (!welcome && (await page.locator('#course-map').count()) > 0) {
    await page.click('#course-map-close');
  }
  await expect(page.locator('#canvas-live')).toBeVisible();
}

/** Page coordinates of node `id`'s centre, wherever the view has put it. */
export async function nodeAt(page, id) {
  const li = page.locator(`#outline [data-node="${id}"]`);
  await expect(li).toBeAttached();
  const [x, y] = [Number(await li.getAttribute('data-x')), Number(await li.getAttribute('data-y'))];
  const v = await page.locator('#canvas-live').getAttribute('data-view');
  const [vx, vy, zoom] = (v ?? '0 0 1').split(' ').map(Number);
  const box = await page.locator('#canvas-live').boundingBox();
  return { x: box.x + (x - vx) * zoom, y: box.y + (y - vy) * zoom, zoom };
}

/** Clicks node `id` (selecting it). */
export async function clickNode(page, id) {
  const p = await nodeAt(page, id);
  await page.mouse.click(p.x - 20 * p.zoom, p.y);
  await expect(page.locator('.inspector-head code')).toHaveText(id);
}

/** Connects node `a` to node `b` by dragging from `a`'s output port. */
export async function connectIds(page, a, b) {
  const from = await nodeAt(page, a);
  const to = await nodeAt(page, b);
  await page.mouse.move(from.x + NODE_HALF_WIDTH * from.zoom, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps: STEPS });
  await page.mouse.up();
  await expect(page.locator(`#outline [data-node="${a}"]`)).toHaveAttribute('data-targets', new RegExp(`(^| )${b}( |$)`));
}

/** Drags a palette entry onto the canvas at page point (x, y); returns the new node's id. */
export async function dropAt(page, kind, x, y) {
  const before = (await outline(page)).map((n) => n.id);
  const button = page.locator(`[data-palette-kind="${kind}"]`);
  await button.scrollIntoViewIfNeeded();
  const from = await button.boundingBox();
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(x, y, { steps: STEPS });
  await page.mouse.up();
  await expect.poll(async () => (await outline(page)).length).toBe(before.length + 1);
  return (await outline(page)).map((n) => n.id).find((id) => !before.includes(id));
}

/** Absolute page coordinates of a point given relative to the live canvas. */
export async function canvasPoint(page, x, y) {
  const box = await page.locator('#canvas-live').boundingBox();
  expect(box, '#canvas-live is laid out').not.toBeNull();
  return { x: box.x + x, y: box.y + y };
}

/** Drag a palette entry onto the canvas; the node's centre lands at (x, y). */
export async function dragFromPalette(page, kind, x, y) {
  const button = page.locator(`[data-palette-kind="${kind}"]`);
  await expect(button).toBeVisible();
  await button.scrollIntoViewIfNeeded();
  const from = await button.boundingBox();
  const to = await canvasPoint(page, x, y);
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps: STEPS });
  await page.mouse.up();
}

/** Connect node A (centre a) to node B (centre b) by dragging from A's output port. */
export async function connect(page, a, b) {
  const port = await canvasPoint(page, a.x + NODE_HALF_WIDTH, a.y);
  const target = await canvasPoint(page, b.x, b.y);
  await page.mouse.move(port.x, port.y);
  await page.mouse.down();
  await page.mouse.move(target.x, target.y, { steps: STEPS });
  await page.mouse.up();
}

/** Drag a node by its body from centre a to centre b. */
export async function moveNode(page, a, b) {
  const from = await canvasPoint(page, a.x - 20, a.y);
  const to = await canvasPoint(page, b.x - 20, b.y);
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps: STEPS });
  await page.mouse.up();
}

/** The design as the outline shows it: [{id, targets, x, y}]. */
export async function outline(page) {
  return page.locator('#outline li[data-node]').evaluateAll((items) =>
    items.map((li) => ({
      id: li.dataset.node,
      targets: li.dataset.targets,
      x: Number(li.dataset.x),
      y: Number(li.dataset.y),
    })),
  );
}

export async function metric(page, name) {
  const el = page.locator(`[data-metric="${name}"]`);
  await expect(el).toBeAttached();
  return (await el.innerText()).trim();
}

/**
 * The colour [r, g, b] the design layer shows at the top-left corner of
 * node `id`, where a problem's badge is drawn (read beside the badge's
 * white "!"; the background or the node's border when it has none).
 */
export async function badgeColour(page, id) {
  const p = await nodeAt(page, id);
  const box = await page.locator('#canvas-live').boundingBox();
  const [x, y] = [p.x - 69 * p.zoom - box.x, p.y - 28 * p.zoom - box.y];
  return page.locator('.canvas-wrap canvas.layer:not(.live)').evaluate((c, [x, y]) => {
    const k = c.width / c.clientWidth;
    const d = c.getContext('2d').getImageData(Math.round(x * k), Math.round(y * k), 1, 1).data;
    return [d[0], d[1], d[2]];
  }, [x, y]);
}

/// A route matcher for one of the site's files, whatever its query (the
/// engine's files carry the engine's build, `?v=…`).
export const siteFile = (name) => (url) => url.pathname.endsWith(`/${name}`);

/// The engine's build the page names (`<meta name="scale-lab-engine">`).
export const engineBuild = (page) => page.locator('meta[name="scale-lab-engine"]').getAttribute('content');

/// Of requested URLs, the engine's files and workers' loaders, as
/// `name?query` (e.g. `engine.js?v=…`).
export const engineFiles = (urls) =>
  urls.filter((u) => /engine|worker-loader/.test(u.pathname)).map((u) => u.pathname.slice(1) + u.search);
