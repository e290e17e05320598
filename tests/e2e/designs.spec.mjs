// Nothing the user made is lost: every design is kept in the browser as a
// list; an example, a file, a link or a lesson adds one and never replaces
// another; all of it survives reloads; and when the browser will not keep
// anything (storage full or blocked) the user is told, and can still export.
import { test, expect } from '@playwright/test';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { screenshots, open, dragFromPalette, connectIds, outline } from './helpers.mjs';

/** Drags a component from the palette to (x, y) on the canvas and waits for it. */
async function place(page, kind, x, y) {
  const n = (await outline(page)).length;
  await dragFromPalette(page, kind, x, y);
  await expect.poll(async () => (await outline(page)).length).toBe(n + 1);
}

/** Users → web server, the learner's own. */
async function buildOwn(page) {
  await place(page, 'users', 150, 200);
  await place(page, 'web_server', 450, 200);
  await connectIds(page, 'users-1', 'web-1');
  return outline(page);
}

/** The names in the list of designs (newest first), with it opened and closed again. */
async function names(page) {
  await page.click('#designs');
  const rows = page.locator('#designs-mine .design-name');
  await expect(page.locator('#design-list')).toBeVisible();
  const list = await rows.allInnerTexts();
  await page.click('#design-list-close');
  return list;
}

/** Opens the design called `name` from the list. */
async function openDesign(page, name) {
  await page.click('#designs');
  await page.locator('#designs-mine .design-row', { hasText: name }).locator('.design-open').click();
  await expect(page.locator('#design-list')).toHaveCount(0);
}

test('an example, a file and a link each add a design; reloads in between lose none', async ({ page }) => {
  await open(page);
  const own = await buildOwn(page);
  expect(await names(page)).toEqual(['Untitled design']);
  await expect(page.locator('#designs .design-current')).toHaveText('Untitled design');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
  expect(download.suggestedFilename(), 'the file is named after the design').toBe('untitled-design.json');
  const file = await download.path();

  // An example opens as a new design.
  await page.selectOption('#examples', 'lb-two-servers');
  await expect.poll(async () => (await outline(page)).map((n) => n.id)).toContain('lb-1');
  await expect(page.locator('#example-card')).toContainText('Opened as a new design');
  expect(await names(page)).toEqual(['Load balancer, two stateless servers', 'Untitled design']);

  // A reload in the middle: both kept, the example still open.
  await page.reload();
  await expect(page.locator('#canvas-live')).toBeVisible();
  await expect.poll(async () => (await outline(page)).map((n) => n.id)).toContain('lb-1');
  expect(await names(page)).toEqual(['Load balancer, two stateless servers', 'Untitled design']);

  // A file opens as a new design named after it.
  await page.setInputFiles('#import-file', { name: 'my-pair.json', mimeType: 'application/json', buffer: await readFile(file) });
  await expect(page.locator('#notice')).toContainText('Design imported as a new design');
  await expect.poll(() => outline(page)).toEqual(own);
  expect(await names(page)).toContain('my-pair');

  // A share link (of the example) opens as a new design too.
  await openDesign(page, 'Load balancer, two stateless servers');
  await page.click('#share');
  const link = await page.locator('#share-link').inputValue();
  await page.reload();
  await page.goto(link);
  await expect(page.locator('#notice')).toContainText('Opened the design from the link as a new design');
  await page.reload();
  await expect(page.locator('#canvas-live')).toBeVisible();
  const after = await names(page);
  expect(after).toHaveLength(4);
  expect(after[0], 'the link’s design is newest').toBe('Shared design');
  expect(after).toEqual(expect.arrayContaining(['Untitled design', 'my-pair', 'Load balancer, two stateless servers']));

  // The first design is still exactly as built.
  await openDesign(page, 'Untitled design');
  await expect.poll(() => outline(page)).toEqual(own);
  await page.click('#designs');
  await expect(page.locator('.design-row.open .design-name')).toHaveText('Untitled design');
  await expect(page.locator('.design-row.open .thumb circle')).toHaveCount(2);
  await page.screenshot({ path: join(screenshots, 'designs-list.png'), fullPage: true });
});

test('designs are renamed, started and deleted from the list', async ({ page }) => {
  await open(page);
  await buildOwn(page);
  await page.click('#designs');
  await page.locator('.design-row.open .design-rename-button').click();
  await page.locator('.design-rename').fill('  Chapter 1 picture  ');
  await page.locator('.design-rename').press('Enter');
  await expect(page.locator('.design-row.open .design-name')).toHaveText('Chapter 1 picture');
  // A blank name is refused: the old one stays.
  await page.locator('.design-row.open .design-rename-button').click();
  await page.locator('.design-rename').fill('   ');
  await page.locator('.design-rename').press('Enter');
  await expect(page.locator('.design-row.open .design-name')).toHaveText('Chapter 1 picture');

  // A new design is empty; it is listed once something is on it.
  await page.click('#new-design');
  await expect.poll(() => outline(page)).toEqual([]);
  expect(await names(page)).toEqual(['Chapter 1 picture']);
  await place(page, 'database', 300, 300);
  expect(await names(page)).toEqual(['Untitled design', 'Chapter 1 picture']);

  // Deleting asks once more; the open design deleted, the other opens.
  await page.reload();
  await expect(page.locator('#canvas-live')).toBeVisible();
  await page.click('#designs');
  await page.locator('.design-row.open .design-delete').click();
  await expect(page.locator('#designs-mine .design-row')).toHaveCount(2);
  await page.locator('.design-delete-sure').click();
  await expect(page.locator('#designs-mine .design-row')).toHaveCount(1);
  await expect(page.locator('.design-row.open .design-name')).toHaveText('Chapter 1 picture');
  await page.click('#design-list-close');
  await expect.poll(async () => (await outline(page)).map((n) => n.id)).toEqual(['users-1', 'web-1']);
  await page.reload();
  await expect(page.locator('#canvas-live')).toBeVisible();
  expect(await names(page)).toEqual(['Chapter 1 picture']);
});

test('a design saved before there was a list becomes its first entry', async ({ page }) => {
  await open(page);
  await page.evaluate(() => {
    localStorage.clear();
    localStorage.setItem('scale-lab.design', JSON.stringify({
      version: 1, seed: 7, nodes: [{ id: 'web-1', kind: 'web_server', x: 200, y: 200 }], edges: [],
    }));
  });
  await page.reload();
  await expect(page.locator('#canvas-live')).toBeVisible();
  await expect.poll(async () => (await outline(page)).map((n) => n.id)).toEqual(['web-1']);
  expect(await names(page)).toEqual(['My design']);
  expect(await page.evaluate(() => localStorage.getItem('scale-lab.design')), 'moved, not copied').toBeNull();
});

test('starting a lesson over keeps the earlier attempt in the list', async ({ page }) => {
  await open(page, '/?lesson=01-one-server-dns');
  await expect(page.locator('#lesson')).toBeVisible();
  await place(page, 'cache', 600, 420);
  const attempt = await outline(page);
  await page.click('#lesson-start-over');
  await expect(page.locator('#notice')).toContainText('earlier attempt is kept under Designs');
  await expect.poll(async () => (await outline(page)).length).toBe(attempt.length - 1);
  await page.click('#designs');
  await expect(page.locator('#designs-mine .design-name')).toContainText(['Lesson 1']);
  await expect(page.locator('#designs-lessons .design-row')).toHaveCount(1);
  await page.locator('#designs-mine .design-open').first().click();
  await expect.poll(() => outline(page)).toEqual(attempt);
});

test('a full storage is said plainly; the design stays and exports', async ({ page }) => {
  await page.addInitScript(() => {
    const set = Storage.prototype.setItem;
    Storage.prototype.setItem = function (key, value) {
      if (String(key).startsWith('scale-lab.saved.')) {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      }
      return set.call(this, key, value);
    };
  });
  await open(page);
  await expect(page.locator('#store-warning')).toHaveCount(0);
  const own = await buildOwn(page);
  await expect(page.locator('#store-warning')).toContainText('storage is full');
  await expect.poll(() => outline(page), 'the design stays in memory').toEqual(own);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#store-export')]);
  expect(JSON.parse(await readFile(await download.path(), 'utf8')).nodes).toHaveLength(2);
  await page.screenshot({ path: join(screenshots, 'designs-storage-full.png'), fullPage: true });
});

test('blocked storage (private mode, a sandbox) is said plainly; editing and export still work', async ({ page }) => {
  await page.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', {
      get() { throw new DOMException('The document is sandboxed.', 'SecurityError'); },
    });
  });
  await open(page);
  await expect(page.locator('#store-warning')).toContainText('not keeping your work');
  const own = await buildOwn(page);
  await expect.poll(() => outline(page)).toEqual(own);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
  expect(JSON.parse(await readFile(await download.path(), 'utf8')).nodes).toHaveLength(2);
  await page.click('#designs');
  await expect(page.locator('#design-list [role=alert]')).toContainText('not keeping your work');
  await page.screenshot({ path: join(screenshots, 'designs-storage-blocked.png'), fullPage: true });
});
