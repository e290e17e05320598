// Accessibility: axe-core checks the app in the states a learner meets —
// the editor empty (and its problems listed), with an example, with a selection and running; the
// welcome, the list of designs, a lesson, an embed; in English and Korean.
// No serious or critical violation is allowed; the others are listed in
// the test's output so they are seen.
import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { open, clickNode, outline } from './helpers.mjs';

/** Checks the page as it is now; `state` names it in failures. */
async function check(page, state) {
  const result = await new AxeBuilder({ page }).analyze();
  const describe = (v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(' | ')}`;
  const minor = result.violations.filter((v) => !['serious', 'critical'].includes(v.impact));
  if (minor.length) console.log(`[${state}] ${minor.map(describe).join('\n')}`);
  const bad = result.violations.filter((v) => ['serious', 'critical'].includes(v.impact)).map(describe);
  expect(bad, `serious or critical violations: ${state}`).toEqual([]);
  // Every state has exactly one top-level heading.
  expect(await page.locator('h1:visible').count(), `one h1: ${state}`).toBeGreaterThanOrEqual(1);
}

for (const lang of ['en', 'ko']) {
  test.describe(lang, () => {
    test.use({ locale: lang === 'ko' ? 'ko-KR' : 'en-US' });

    test('the editor, empty, with an example, a selection, running; the welcome and the designs', async ({ page }) => {
      await open(page, '/', { welcome: true });
      await expect(page.locator('#course-map')).toBeVisible();
      await check(page, `${lang} welcome`);
      await page.click('#course-map-close');
      await check(page, `${lang} editor empty`);
      // Run on an empty canvas: why it cannot run, listed over the stage.
      await page.click('#run');
      await expect(page.locator('#problem-list')).toBeVisible();
      await check(page, `${lang} editor with its problems listed`);
      await page.click('#problem-list-close');
      await page.selectOption('#examples', 'lb-two-servers');
      await expect.poll(async () => (await outline(page)).map((n) => n.id)).toContain('lb-1');
      await check(page, `${lang} editor with an example`);
      await clickNode(page, 'lb-1');
      await check(page, `${lang} editor with a selection`);
      await page.click('#run');
      await expect(page.locator('#run')).toHaveAttribute('aria-pressed', 'true');
      await page.waitForTimeout(1_000);
      await check(page, `${lang} editor running`);
      await page.click('#run');
      await page.click('#designs');
      await expect(page.locator('#design-list')).toBeVisible();
      await check(page, `${lang} designs`);
    });

    test('a lesson and an embed', async ({ page }) => {
      await open(page, '/?lesson=05-stateless-web-tier');
      await expect(page.locator('#lesson')).toBeVisible();
      await check(page, `${lang} lesson`);
      await page.click('#lesson-check');
      await expect(page.locator('#lesson-verdict')).toBeVisible({ timeout: 30_000 });
      await check(page, `${lang} lesson checked`);
      await open(page, '/?embed&example=sticky-sessions-crash');
      await check(page, `${lang} embed`);
      await open(page, '/?embed&lesson=05-stateless-web-tier');
      await check(page, `${lang} embedded lesson`);
    });
  });
}
