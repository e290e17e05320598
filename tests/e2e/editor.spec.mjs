// The editor as a user meets it: building with the pointer, undo and redo,
// keeping work across reloads, files, share links and examples. The DOM
// contract is described in helpers.mjs.
import { test, expect } from '@playwright/test';
import { join } from 'node:path';
import { screenshots, open, dragFromPalette, connect, moveNode, outline, canvasPoint } from './helpers.mjs';

const USERS = { x: 150, y: 200 };
const WEB = { x: 450, y: 200 };

/** Users → Web server, built with the pointer. */
async function buildPair(page) {
  await dragFromPalette(page, 'users', USERS.x, USERS.y);
  await dragFromPalette(page, 'web_server', WEB.x, WEB.y);
  await connect(page, USERS, WEB);
  await expect.poll(() => outline(page)).toEqual([
    { id: 'users-1', targets: 'web-1', x: 150, y: 200 },
    { id: 'web-1', targets: '', x: 450, y: 200 },
  ]);
}

const undo = (page) => page.keyboard.press('Control+z');
const redo = (page) => page.keyboard.press('Control+Shift+z');

test('drag, connect, move, undo and redo, delete', async ({ page }) => {
  await open(page);
  await buildPair(page);

  await moveNode(page, WEB, { x: 450, y: 350 });
  await expect.poll(async () => (await outline(page))[1].y).toBe(350);

  await undo(page);
  await expect.poll(async () => (await outline(page))[1].y, 'the whole drag is one step').toBe(200);
  await undo(page);
  await expect.poll(async () => (await outline(page))[0].targets, 'the connection is undone').toBe('');
  await redo(page);
  await expect.poll(async () => (await outline(page))[0].targets).toBe('web-1');
  await redo(page);
  await expect.poll(async () => (await outline(page))[1].y).toBe(350);
  await expect(page.locator('#redo')).toBeDisabled();

  // Click the web server to select it, then delete it from the keyboard.
  const web = await page.locator('#canvas-live').boundingBox();
  await page.mouse.click(web.x + 430, web.y + 350);
  await expect(page.locator('.inspector-head code')).toHaveText('web-1');
  await page.keyboard.press('Delete');
  await expect.poll(() => outline(page)).toEqual([{ id: 'users-1', targets: '', x: 150, y: 200 }]);
  await undo(page);
  await expect.poll(async () => (await outline(page)).length, 'delete undoes, edge and all').toBe(2);
  expect((await outline(page))[0].targets).toBe('web-1');
  await page.screenshot({ path: join(screenshots, 'editor-undo.png'), fullPage: true });
});

test('shortcuts stop the browser\'s own: Ctrl+D duplicates instead of bookmarking', async ({ page }) => {
  const passive = [];
  page.on('console', (m) => { if (m.text().includes('passive event listener')) passive.push(m.text()); });
  await open(page);
  await buildPair(page);
  // A listener added after the app's sees whether the app prevented the
  // browser's default (it cannot from a passive listener).
  await page.evaluate(() => {
    window.prevented = [];
    document.addEventListener('keydown', (e) => {
      if (e.ctrlKey && e.key.length === 1) window.prevented.push([e.key, e.defaultPrevented]);
    });
  });
  const box = await page.locator('#canvas-live').boundingBox();
  await page.mouse.click(box.x + WEB.x - 20, box.y + WEB.y);
  await expect(page.locator('.inspector-head code')).toHaveText('web-1');
  await page.keyboard.press('Control+d');
  await expect.poll(async () => (await outline(page)).length, 'Ctrl+D duplicated').toBe(3);
  await undo(page);
  await expect.poll(async () => (await outline(page)).length).toBe(2);
  await redo(page);
  await expect.poll(async () => (await outline(page)).length).toBe(3);
  expect(await page.evaluate(() => window.prevented)).toEqual([['d', true], ['z', true], ['z', true]]);
  expect(passive).toEqual([]);
});

test('the design, view and settings are still there after a reload', async ({ page }) => {
  await open(page);
  await buildPair(page);
  await page.selectOption('#speed', '10');
  await page.click('#zoom-out');
  // The view attribute is written at the next animation frame.
  await expect(page.locator('#canvas-live')).not.toHaveAttribute('data-view', '0 0 1');
  const view = await page.locator('#canvas-live').getAttribute('data-view');
  await page.click('#lang');
  const before = await outline(page);
  await page.reload();
  await expect(page.locator('#canvas-live')).toBeVisible();
  await expect.poll(() => outline(page)).toEqual(before);
  await expect(page.locator('#speed')).toHaveValue('10');
  await expect(page.locator('#canvas-live')).toHaveAttribute('data-view', view);
  await expect(page.locator('html')).toHaveAttribute('lang', 'ko');
});

test('a share link opens the same design in a fresh browser', async ({ page, browser, baseURL }) => {
  await open(page);
  await buildPair(page);
  await page.click('#share');
  const link = await page.locator('#share-link').inputValue();
  expect(link).toMatch(/#design=1\./);

  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  await open(other, link);
  await expect.poll(() => outline(other)).toEqual(await outline(page));
  await expect(other.locator('#notice')).toContainText('Opened the design from the link');
  expect(new URL(other.url()).hash, 'the link is cleared from the address bar').toBe('');
  await other.screenshot({ path: join(screenshots, 'share-link-opened.png'), fullPage: true });
  await fresh.close();
});

test('a malformed file and a broken link each say so and keep the saved design', async ({ page, baseURL }) => {
  await open(page);
  await buildPair(page);
  const saved = await outline(page);

  await page.setInputFiles('#import-file', {
    name: 'broken.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{"version": 1, "nodes": [{"id": "a", "kind": "toaster"'),
  });
  await expect(page.locator('#notice')).toContainText('could not be opened');
  await expect(page.locator('#notice')).toContainText('broken.json');
  expect(await outline(page)).toEqual(saved);

  await page.setInputFiles('#import-file', {
    name: 'newer.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{"version": 2, "nodes": []}'),
  });
  await expect(page.locator('#notice')).toContainText('format version 2');
  expect(await outline(page)).toEqual(saved);

  // A link cut short when copying.
  await open(page, `${baseURL}#design=1.eJyrVipLLSrOzM9TsjLQUUrOzytJzSsB`);
  await expect(page.locator('#notice')).toContainText('broken or incomplete');
  await expect.poll(() => outline(page)).toEqual(saved);
  await page.screenshot({ path: join(screenshots, 'broken-link.png'), fullPage: true });

  // A link from a newer Scale Lab.
  await open(page, `${baseURL}#design=9.AAAA`);
  await expect(page.locator('#notice')).toContainText('newer Scale Lab');
  await expect.poll(() => outline(page)).toEqual(saved);
});

test('an exported file imports back, and an example opens beside it', async ({ page }) => {
  await open(page);
  await buildPair(page);
  const built = await outline(page);

  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
  expect(download.suggestedFilename()).toBe('untitled-design.json');
  const exported = await download.path();

  await page.selectOption('#examples', 'lb-two-servers');
  await expect.poll(async () => (await outline(page)).map((n) => n.id)).toContain('lb-1');
  // Its card says what it shows and what to watch, and where the design it
  // did not replace is.
  await expect(page.locator('#example-card')).toContainText('What it shows:');
  await expect(page.locator('#example-card')).toContainText('your other designs are under Designs');
  // The example is a design of its own: Undo does not leave it.
  await undo(page);
  await expect.poll(async () => (await outline(page)).map((n) => n.id)).toContain('lb-1');

  await page.setInputFiles('#import-file', exported);
  await expect(page.locator('#notice')).toContainText('Design imported');
  await expect.poll(() => outline(page)).toEqual(built);
});

/** The canvas view: {x, y, zoom}. */
async function view(page) {
  const v = await page.locator('#canvas-live').getAttribute('data-view');
  const [x, y, zoom] = (v ?? '0 0 1').split(' ').map(Number);
  return { x, y, zoom };
}

test('zoom, pan and fit keep the pointer on the design', async ({ page }) => {
  await open(page);
  // An example wider than the canvas opens fitted.
  await page.selectOption('#examples', 'dead-server-health-checks');
  await expect.poll(async () => (await view(page)).zoom).toBeLessThan(1);

  // The wheel zooms in about the pointer.
  const box = await page.locator('#canvas-live').boundingBox();
  await page.mouse.move(box.x + 300, box.y + 300);
  const before = await view(page);
  await page.mouse.wheel(0, -400);
  await expect.poll(async () => (await view(page)).zoom).toBeGreaterThan(before.zoom);

  // Space-drag pans by the distance dragged (in screen pixels).
  const zoomed = await view(page);
  await page.keyboard.down(' ');
  await page.mouse.move(box.x + 600, box.y + 400);
  await page.mouse.down();
  await page.mouse.move(box.x + 500, box.y + 350, { steps: 5 });
  await page.mouse.up();
  await page.keyboard.up(' ');
  await expect.poll(async () => (await view(page)).x).toBeCloseTo(zoomed.x + 100 / zoomed.zoom, 3);

  // A component dropped under zoom lands where the pointer is in the design.
  const v = await view(page);
  await dragFromPalette(page, 'web_server', 200, 160);
  const added = (await outline(page)).find((n) => !['users-1', 'lb-1', 'web-1', 'web-2', 'web-3', 'sessions-1', 'db-1'].includes(n.id));
  expect(added.x).toBeCloseTo(Math.round((v.x + 200 / v.zoom) / 10) * 10, 0);
  expect(added.y).toBeCloseTo(Math.round((v.y + 160 / v.zoom) / 10) * 10, 0);

  await page.click('#fit');
  await expect.poll(async () => (await view(page)).zoom).toBeLessThan(1);
  await page.screenshot({ path: join(screenshots, 'fitted-example.png'), fullPage: true });
});

test('a two-node design built with the keyboard alone', async ({ page }) => {
  await open(page);
  // Start from the palette's first entry, as Tab from the toolbar would.
  await page.locator('[data-palette-kind="users"]').focus();
  await page.keyboard.press('Enter');
  // Tab through the entries before it (DNS, load balancer, …), in palette order.
  const before = await page
    .locator('[data-palette-kind]')
    .evaluateAll((els) => els.map((e) => e.dataset.paletteKind).indexOf('web_server'));
  expect(before).toBeGreaterThan(0);
  for (let i = 0; i < before; i++) await page.keyboard.press('Tab');
  await expect(page.locator('[data-palette-kind="web_server"]')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect.poll(async () => (await outline(page)).map((n) => n.id)).toEqual(['users-1', 'web-1']);

  // Tab on to the canvas.
  for (let i = 0; i < 10; i++) {
    if (await page.locator('#canvas-live').evaluate((el) => el === document.activeElement)) break;
    await page.keyboard.press('Tab');
  }
  await expect(page.locator('#canvas-live')).toBeFocused();
  await page.keyboard.press('Escape'); // clear the selection (web-1, just added)
  await page.keyboard.press('Tab'); // selects the first node
  await expect(page.locator('.inspector-head code')).toHaveText('users-1');
  await page.keyboard.press('c'); // connect from users-1 …
  await page.keyboard.press('Enter'); // … to the one server it may call
  await expect.poll(async () => (await outline(page))[0].targets).toBe('web-1');
  await page.keyboard.press('ArrowDown');
  await expect.poll(async () => (await outline(page))[0].y).toBe(120);
  // Past the last node, Tab leaves the canvas: no keyboard trap.
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await expect(page.locator('#canvas-live')).not.toBeFocused();
  await page.screenshot({ path: join(screenshots, 'keyboard-build.png'), fullPage: true });
});

test('a box selects several components, which then move and delete together', async ({ page }) => {
  await open(page);
  await dragFromPalette(page, 'users', 150, 200);
  await dragFromPalette(page, 'web_server', 450, 200);
  await dragFromPalette(page, 'database', 450, 400);
  // A box around the two servers' centres, drawn from empty canvas.
  const from = await canvasPoint(page, 380, 150);
  const to = await canvasPoint(page, 560, 460);
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps: 8 });
  await page.mouse.up();
  await expect(page.locator('#selection-count')).toContainText('2');

  // Drag one of them: both move by the same amount, and one Undo puts them back.
  await moveNode(page, { x: 450, y: 200 }, { x: 550, y: 250 });
  await expect.poll(async () => (await outline(page)).map((n) => [n.id, n.x, n.y])).toEqual([
    ['users-1', 150, 200],
    ['web-1', 550, 250],
    ['db-1', 550, 450],
  ]);
  await page.keyboard.press('Control+z');
  await expect.poll(async () => (await outline(page))[2].x).toBe(450);

  await page.keyboard.press('Delete');
  await expect.poll(async () => (await outline(page)).map((n) => n.id)).toEqual(['users-1']);
  await page.keyboard.press('Control+z');
  await expect.poll(async () => (await outline(page)).length).toBe(3);
});

test('a click on a connection selects it; Delete removes just it, and undo brings it back', async ({ page }) => {
  await open(page);
  await page.selectOption('#examples', 'lb-two-servers');
  await expect.poll(async () => (await outline(page)).map((n) => n.id)).toContain('lb-1');
  const nodes = await outline(page);
  const lb = nodes.find((n) => n.id === 'lb-1');
  const web = nodes.find((n) => n.id === 'web-1');
  // The edge runs from lb-1's port (right middle) to web-1's border.
  const start = { x: lb.x + 64, y: lb.y };
  const dx = start.x - web.x;
  const dy = start.y - web.y;
  const s = Math.min(64 / Math.abs(dx), 28 / Math.abs(dy), 1);
  const end = { x: web.x + dx * s, y: web.y + dy * s };
  const mid = { x: (start.x + end.x) / 2, y: (start.y + end.y) / 2 };
  const v = (await page.locator('#canvas-live').getAttribute('data-view')).split(' ').map(Number);
  const p = await canvasPoint(page, (mid.x - v[0]) * v[2], (mid.y - v[1]) * v[2]);
  await page.mouse.click(p.x, p.y);
  await expect(page.locator('#selected-edge')).toHaveText('lb-1 → web-1');
  await expect(page.locator('.inspector')).toContainText('Requests travel this way');
  await page.screenshot({ path: join(screenshots, 'edge-selected.png'), fullPage: true });
  await page.keyboard.press('Delete');
  await expect.poll(async () => (await outline(page)).find((n) => n.id === 'lb-1').targets).toBe('web-2');
  expect((await outline(page)).map((n) => n.id)).toContain('web-1');
  await page.keyboard.press('Control+z');
  await expect.poll(async () => (await outline(page)).find((n) => n.id === 'lb-1').targets.split(' ').sort()).toEqual(['web-1', 'web-2']);
});

test('a web server\'s connection shows its call policy; a bad value is refused beside the field', async ({ page }) => {
  await open(page);
  await page.selectOption('#examples', 'retry-storm');
  await expect.poll(async () => (await outline(page)).map((n) => n.id)).toContain('db-1');
  const nodes = await outline(page);
  const web = nodes.find((n) => n.id === 'web-1');
  const db = nodes.find((n) => n.id === 'db-1');
  // Horizontal edge from web-1's port to db-1's left border: click its middle.
  const mid = { x: (web.x + 64 + db.x - 64) / 2, y: web.y };
  const v = (await page.locator('#canvas-live').getAttribute('data-view')).split(' ').map(Number);
  const p = await canvasPoint(page, (mid.x - v[0]) * v[2], (mid.y - v[1]) * v[2]);
  await page.mouse.click(p.x, p.y);
  await expect(page.locator('#selected-edge')).toHaveText('web-1 → db-1');
  await expect(page.locator('#param-retries')).toHaveValue('3');
  await expect(page.locator('#param-timeout_ms')).toHaveValue('200');
  await expect(page.locator('#param-retry_budget_pct')).toHaveCount(0);

  await page.fill('#param-retries', '11');
  await page.locator('#param-retries').press('Enter');
  await page.locator('#param-timeout_ms').focus();
  await expect(page.locator('.field-error')).toContainText('0..=10');
  await page.selectOption('#param-retry_budget', 'on');
  await expect(page.locator('#param-retry_budget_pct')).toHaveValue('10');
  await page.screenshot({ path: join(screenshots, 'edge-policy.png'), fullPage: true });

  // The budget is in the design: export shows it.
  const saved = await page.evaluate(() => Object.keys(localStorage).map((k) => localStorage.getItem(k)).join(''));
  expect(saved).toContain('retry_budget');
});

test('a data center from the palette holds the nodes inside it and carries them when moved', async ({ page }) => {
  await open(page);
  await dragFromPalette(page, 'web_server', 400, 320);
  await dragFromPalette(page, 'datacenter', 400, 300);
  await expect(page.locator('#selected-region')).toHaveText('dc-1');
  await expect(page.locator('#outline [data-node="web-1"]')).toHaveAttribute('data-region', 'dc-1');
  // The box spans 100..700 × 140..460; drag its title strip by (100, 50).
  const from = await canvasPoint(page, 150, 150);
  const to = await canvasPoint(page, 250, 200);
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps: 8 });
  await page.mouse.up();
  await expect.poll(async () => (await outline(page)).find((n) => n.id === 'web-1')).toMatchObject({ x: 500, y: 370 });
  await page.selectOption('#region-place', 'eu-west');
  await page.screenshot({ path: join(screenshots, 'datacenter-editing.png'), fullPage: true });
  // One undo takes the region back to us-east, the next the whole move.
  await page.keyboard.press('Control+z');
  await expect(page.locator('#region-place')).toHaveValue('us-east');
  await page.keyboard.press('Control+z');
  await expect.poll(async () => (await outline(page)).find((n) => n.id === 'web-1')).toMatchObject({ x: 400, y: 320 });
});

test('from the keyboard: remove a connection from the inspector, Tab to a data center and move it', async ({ page }) => {
  await open(page);
  await page.selectOption('#examples', 'lb-two-servers');
  await expect.poll(async () => (await outline(page)).map((n) => n.id)).toContain('lb-1');
  // Tab through the canvas to lb-1; its inspector lists where it sends.
  await page.locator('#canvas-live').focus();
  for (let i = 0; i < 10; i++) {
    await page.keyboard.press('Tab');
    const code = page.locator('.inspector-head code');
    if ((await code.count()) > 0 && (await code.first().textContent()) === 'lb-1') break;
  }
  await expect(page.locator('.inspector-head code')).toHaveText('lb-1');
  await page.locator('[data-disconnect="web-2"]').focus();
  await page.keyboard.press('Enter');
  await expect.poll(async () => (await outline(page)).find((n) => n.id === 'lb-1').targets).toBe('web-1');

  // A data center added with Enter from the palette comes after the nodes
  // in the canvas's Tab order; arrows move it with what is inside.
  await page.locator('[data-palette-kind="datacenter"]').focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('#selected-region')).toHaveText('dc-1');
  await page.locator('#canvas-live').focus();
  await page.keyboard.press('Escape');
  const count = (await outline(page)).length;
  for (let i = 0; i <= count; i++) await page.keyboard.press('Tab');
  await expect(page.locator('#selected-region')).toHaveText('dc-1');
  // The new box sits on a free spot with nothing inside; moving it right
  // keeps it selected, and Delete removes the box alone.
  const box = page.locator('#outline [data-region-id="dc-1"]');
  const x0 = Number(await box.getAttribute('data-x'));
  await page.keyboard.press('ArrowRight');
  await expect(box).toHaveAttribute('data-x', String(x0 + 10));
  await expect(page.locator('#selected-region')).toHaveText('dc-1');
  await page.keyboard.press('Delete');
  await expect(page.locator('#selected-region')).toHaveCount(0);
  expect((await outline(page)).length).toBe(count);
});

test('a problem chosen from the list brings what it concerns into sight', async ({ page }) => {
  await open(page);
  // Users → Web server, and far to the right a DNS server not connected.
  await buildPair(page);
  await dragFromPalette(page, 'dns', 300, 380);
  await expect.poll(async () => (await outline(page)).length).toBe(3);
  await expect(page.locator('#canvas-live')).toHaveAttribute('data-marks', /node:dns-1:error/);
  // Pan it out of sight (space-drag by 2,000 px, in steps).
  const box = await page.locator('#canvas-live').boundingBox();
  await page.keyboard.down(' ');
  for (let i = 0; i < 4; i += 1) {
    await page.mouse.move(box.x + box.width - 20, box.y + 40);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width - 520, box.y + 40, { steps: 4 });
    await page.mouse.up();
  }
  await page.keyboard.up(' ');
  const inSight = async (id) => {
    const p = (await outline(page)).find((n) => n.id === id);
    const [vx, vy, zoom] = (await page.locator('#canvas-live').getAttribute('data-view')).split(' ').map(Number);
    const [sx, sy] = [(p.x - vx) * zoom, (p.y - vy) * zoom];
    return sx > 0 && sy > 0 && sx < box.width && sy < box.height;
  };
  await expect.poll(() => inSight('dns-1')).toBe(false);
  await page.click('#problem-count-button');
  await page.locator('#problem-list button.link', { hasText: 'dns-1 is not connected' }).click();
  await expect(page.locator('.inspector-head code')).toHaveText('dns-1');
  await expect.poll(() => inSight('dns-1')).toBe(true);
  await expect(page.locator('#selection-problems')).toContainText('dns-1 is not connected to anything');
});

/** A design of `groups` × 10 components (users → load balancer → 7 web servers → a database). */
function gridDesign(groups) {
  const nodes = [];
  const edges = [];
  for (let g = 1; g <= groups; g++) {
    const [x, y] = [((g - 1) % 20) * 860, Math.floor((g - 1) / 20) * 560];
    nodes.push({ id: `users-${g}`, kind: 'users', x, y: y + 210 });
    nodes.push({ id: `lb-${g}`, kind: 'load_balancer', x: x + 200, y: y + 210 });
    for (let i = 0; i < 7; i++) {
      const web = `web-${(g - 1) * 7 + i + 1}`;
      nodes.push({ id: web, kind: 'web_server', x: x + 420, y: y + i * 70 });
      edges.push({ from: `lb-${g}`, to: web }, { from: web, to: `db-${g}` });
    }
    nodes.push({ id: `db-${g}`, kind: 'database', x: x + 640, y: y + 210 });
    edges.push({ from: `users-${g}`, to: `lb-${g}` });
  }
  return { version: 1, nodes, edges };
}

test('a design larger than the editor keeps smooth is opened with a warning; a smaller one without', async ({ page }) => {
  await open(page);
  const importDesign = (groups) =>
    page.setInputFiles('#import-file', {
      name: `grid-${groups * 10}.json`,
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(gridDesign(groups))),
    });
  await importDesign(300);
  await expect.poll(async () => (await outline(page)).length, { timeout: 30_000 }).toBe(3000);
  await expect(page.locator('#large-design'), '3,000 components are drawn smoothly').toHaveCount(0);
  await importDesign(301);
  await expect.poll(async () => (await outline(page)).length, { timeout: 30_000 }).toBe(3010);
  const warning = page.locator('#large-design');
  await expect(warning).toContainText('A large design: 3010 components');
  await expect(warning).toContainText('Above about 3000');
  // Zoomed out, components are drawn as boxes, and the editor goes on.
  await page.screenshot({ path: join(screenshots, 'large-design.png') });
  await page.click('#large-design-dismiss');
  await expect(warning).toHaveCount(0);
  // Running, the figures list the busiest components, not all of them.
  await page.click('#run');
  await expect(page.locator('#node-table-busiest')).toContainText('The 20 busiest of');
  await expect(page.locator('.node-table tbody tr')).toHaveCount(20);
  await page.click('#run');
});
