// Data centers and selections: a data center moves only what it holds,
// duplicate copies the whole selection (a data center with its contents, in
// a few actions), and Fit shows data centers whole.
import { test, expect } from '@playwright/test';
import { join } from 'node:path';
import { screenshots, open, dragFromPalette, connectIds, clickNode, nodeAt, canvasPoint, outline } from './helpers.mjs';

/** Drags a component from the palette to (x, y) on the canvas and waits for it. */
async function place(page, kind, x, y) {
  const n = (await outline(page)).length;
  await dragFromPalette(page, kind, x, y);
  await expect.poll(async () => (await outline(page)).length).toBe(n + 1);
}

const node = async (page, id) => (await outline(page)).find((n) => n.id === id);

/** Ids of the components inside data center `dc`. */
const members = (page, dc) => page.locator(`#outline [data-region="${dc}"]`).evaluateAll((lis) => lis.map((li) => li.dataset.node));

/** The canvas view: {x, y, zoom}. */
async function view(page) {
  const [x, y, zoom] = ((await page.locator('#canvas-live').getAttribute('data-view')) ?? '0 0 1').split(' ').map(Number);
  return { x, y, zoom };
}

test('a data center dragged over a component leaves it where it is', async ({ page }) => {
  await open(page);
  await page.click('#drawer-toggle'); // more room below
  await place(page, 'web_server', 400, 320);
  await place(page, 'database', 400, 580);
  await dragFromPalette(page, 'datacenter', 400, 300);
  await expect(page.locator('#outline [data-node="web-1"]')).toHaveAttribute('data-region', 'dc-1');
  await expect(page.locator('#outline [data-node="db-1"]')).toHaveAttribute('data-region', '');
  // The box spans 100..700 × 140..460; drag its title strip down by 200,
  // over db-1.
  const from = await canvasPoint(page, 150, 150);
  const to = await canvasPoint(page, 150, 350);
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps: 10 });
  await page.mouse.up();
  await expect.poll(() => node(page, 'web-1')).toMatchObject({ x: 400, y: 520 });
  expect(await node(page, 'db-1'), 'passed over, not carried').toMatchObject({ x: 400, y: 580 });
  await page.screenshot({ path: join(screenshots, 'datacenter-passed-over.png'), fullPage: true });
});

test('Ctrl+D copies the whole selection with the connections inside it', async ({ page }) => {
  await open(page);
  await place(page, 'users', 150, 200);
  await place(page, 'load_balancer', 400, 200);
  await place(page, 'web_server', 400, 350);
  await connectIds(page, 'users-1', 'lb-1');
  await connectIds(page, 'lb-1', 'web-1');
  await clickNode(page, 'lb-1');
  const web = await nodeAt(page, 'web-1');
  await page.keyboard.down('Shift');
  await page.mouse.click(web.x - 20, web.y);
  await page.keyboard.up('Shift');
  await expect(page.locator('#selection-count')).toContainText('2');
  await page.keyboard.press('Control+d');
  await expect.poll(async () => (await outline(page)).map((n) => n.id)).toEqual(['users-1', 'lb-1', 'web-1', 'lb-2', 'web-2']);
  expect((await node(page, 'lb-2')).targets, 'the inner connection comes along').toBe('web-2');
  expect((await node(page, 'users-1')).targets, 'the outer one does not').toBe('lb-1');
  await expect(page.locator('#selection-count'), 'the copies are selected').toContainText('2');
  // The inspector offers the same.
  await page.click('#duplicate-selection');
  await expect.poll(async () => (await outline(page)).length).toBe(7);
});

test('a second data center with its contents in three actions, and Fit shows both', async ({ page }) => {
  await open(page);
  await page.selectOption('#examples', 'lb-two-servers');
  await expect.poll(async () => (await outline(page)).map((n) => n.id)).toContain('lb-1');
  const before = await outline(page);
  // 1: a data center around the servers and the load balancer.
  const lb = await nodeAt(page, 'lb-1');
  const canvas = await page.locator('#canvas-live').boundingBox();
  await dragFromPalette(page, 'datacenter', lb.x - canvas.x + 150 * lb.zoom, lb.y - canvas.y);
  await expect(page.locator('#selected-region')).toHaveText('dc-1');
  const inside = await members(page, 'dc-1');
  expect(inside.length).toBeGreaterThan(1);
  // 2: duplicate it.
  await page.click('#duplicate-dc');
  await expect(page.locator('#selected-region')).toHaveText('dc-2');
  await expect(page.locator('#region-place')).not.toHaveValue('us-east');
  expect((await members(page, 'dc-2')).length, 'everything inside is copied').toBe(inside.length);
  expect((await outline(page)).length).toBe(before.length + inside.length);
  // 3: Fit shows both boxes whole. (The view changes at the next frame:
  // the example may already be shown below 1:1, so wait for the boxes.)
  await page.click('#fit');
  const box = await page.locator('#canvas-live').boundingBox();
  const whole = async () => {
    const v = await view(page);
    const shown = [];
    for (const id of ['dc-1', 'dc-2']) {
      const r = page.locator(`#outline [data-region-id="${id}"]`);
      const [x, y, w, h] = await Promise.all(['data-x', 'data-y', 'data-w', 'data-h'].map(async (a) => Number(await r.getAttribute(a))));
      shown.push(x >= v.x && y >= v.y && x + w <= v.x + box.width / v.zoom + 1 && y + h <= v.y + box.height / v.zoom + 1);
    }
    return shown;
  };
  await expect.poll(whole).toEqual([true, true]);
  expect((await view(page)).zoom).toBeLessThan(1);
  await page.screenshot({ path: join(screenshots, 'datacenter-duplicated.png'), fullPage: true });
});
