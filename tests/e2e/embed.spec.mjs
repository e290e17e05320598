// Embedding in a blog post: the sample page in dist/ shows two running
// designs, in sandboxed iframes, with no request beyond the site's own files.
import { test, expect } from '@playwright/test';
import { join } from 'node:path';
import { screenshots, open, dragFromPalette, outline, canvasPoint } from './helpers.mjs';

test('the example blog page shows two running embeds and keeps the saved design', async ({ page, baseURL }) => {
  // A visitor who has their own design saved in the editor.
  await open(page);
  await dragFromPalette(page, 'users', 150, 200);
  const saved = await outline(page);

  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto('/embed-example.html');
  for (const id of ['#embed-sticky', '#embed-stateless']) {
    const frame = page.frameLocator(id);
    await expect(frame.locator('#run')).toHaveAttribute('aria-pressed', 'true', { timeout: 30_000 });
    await expect
      .poll(async () => Number(await frame.locator('[data-metric="completed"]').innerText()), {
        message: `${id} runs by itself`,
        timeout: 20_000,
      })
      .toBeGreaterThan(0);
    await expect(frame.locator('#open-full')).toHaveAttribute('href', /#design=1\./);
    await expect(frame.locator('[data-palette-kind]')).toHaveCount(0);
  }
  await page.screenshot({ path: join(screenshots, 'embed-example.png'), fullPage: true });

  const origin = new URL(baseURL).origin;
  const foreign = requests.filter((u) => !u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:'));
  expect(foreign, 'no request beyond the site itself').toEqual([]);

  await open(page);
  await expect.poll(() => outline(page), 'the visitor’s saved design is untouched').toEqual(saved);
});

test('an embed is read-only unless it says edit', async ({ page }) => {
  await open(page, '/?embed&example=single-server');
  const before = await outline(page);
  expect(before.length).toBeGreaterThan(0);
  // Try to drag the first node somewhere else.
  const v = (await page.locator('#canvas-live').getAttribute('data-view')).split(' ').map(Number);
  const n = before[0];
  const at = await canvasPoint(page, (n.x - 20 - v[0]) * v[2], (n.y - v[1]) * v[2]);
  await page.mouse.move(at.x, at.y);
  await page.mouse.down();
  await page.mouse.move(at.x + 120, at.y + 80, { steps: 8 });
  await page.mouse.up();
  await page.keyboard.press('Delete');
  expect(await outline(page)).toEqual(before);

  await open(page, '/?embed&edit&example=single-server');
  const v2 = (await page.locator('#canvas-live').getAttribute('data-view')).split(' ').map(Number);
  const at2 = await canvasPoint(page, (n.x - 20 - v2[0]) * v2[2], (n.y - v2[1]) * v2[2]);
  await page.mouse.move(at2.x, at2.y);
  await page.mouse.down();
  await page.mouse.move(at2.x + 120, at2.y + 80, { steps: 8 });
  await page.mouse.up();
  await expect.poll(async () => (await outline(page))[0].x).not.toBe(n.x);
});

test('a strict-sandbox embed (allow-scripts only) runs when the host sends Access-Control-Allow-Origin: *', async ({ page }) => {
  const { spawn } = await import('node:child_process');
  const { mkdtemp, writeFile } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const here = new URL('.', import.meta.url).pathname;
  const [app, blog] = [8097, 8098];
  const plain = Number(process.env.E2E_PORT ?? 8093);
  // A blog on another origin, with two posts: one embeds Scale Lab from a
  // server that adds just that header, one from the plain server.
  const dir = await mkdtemp(join(tmpdir(), 'scale-lab-blog-'));
  const post = (port) => `<!doctype html><html lang="en"><head><title>Strict embed</title></head><body>
    <h1>A post with a strict embed</h1>
    <iframe id="strict" title="Scale Lab" sandbox="allow-scripts" style="width:900px;height:460px"
      src="http://127.0.0.1:${port}/?embed&example=sticky-sessions-crash&autoplay&speed=1"></iframe></body></html>`;
  await writeFile(join(dir, 'cors.html'), post(app));
  await writeFile(join(dir, 'plain.html'), post(plain));
  const servers = [
    spawn('node', ['serve-dist.mjs', String(app)], { cwd: here, env: { ...process.env, CORS: '1' }, stdio: 'ignore' }),
    spawn('node', ['serve-dist.mjs', String(blog), dir], { cwd: here, stdio: 'ignore' }),
  ];
  try {
    for (const port of [app, blog]) {
      const probe = port === blog ? `http://127.0.0.1:${port}/cors.html` : `http://127.0.0.1:${port}/`;
      await expect.poll(async () => (await fetch(probe).catch(() => null))?.status ?? 0).toBe(200);
    }
    const errors = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.location().url.endsWith('favicon.ico')) errors.push(m.text());
    });
    await page.goto(`http://127.0.0.1:${blog}/cors.html`);
    const frame = page.frameLocator('#strict');
    await expect(frame.locator('#run')).toHaveAttribute('aria-pressed', 'true', { timeout: 30_000 });
    await expect
      .poll(async () => Number(await frame.locator('[data-metric="completed"]').innerText()), { timeout: 20_000 })
      .toBeGreaterThan(0);
    // Styled (the stylesheet passed its integrity check): the bar is a flex row.
    expect(await frame.locator('.embed-bar').evaluate((e) => getComputedStyle(e).display)).toBe('flex');
    // No storage there: nothing fails, nothing is said about it.
    await expect(frame.locator('#store-warning')).toHaveCount(0);
    expect(errors, 'no errors in the console').toEqual([]);
    await page.screenshot({ path: join(screenshots, 'embed-strict-sandbox.png'), fullPage: true });

    // Without the header the same embed cannot load: it is what the host must send.
    await page.goto(`http://127.0.0.1:${blog}/plain.html`);
    await page.waitForTimeout(3_000);
    await expect(page.frameLocator('#strict').locator('#run')).toHaveCount(0);
  } finally {
    for (const s of servers) s.kill();
  }
});
