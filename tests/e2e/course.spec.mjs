// The course as a new user meets it, in English and in Korean: an empty
// profile is welcomed, lesson 1 fails its Check, a hint helps, the fix
// passes, the self-check answers, and the next lesson opens; progress and
// the lesson's design survive a reload. Lessons 5, 7 and 13 are solved the
// same way through the editor, as a learner would.
import { test, expect } from '@playwright/test';
import { join } from 'node:path';
import { open, screenshots, clickNode, connectIds, dropAt, nodeAt, siteFile, engineBuild, engineFiles } from './helpers.mjs';

/** Runs Check and waits for its verdict; returns "passed" or "failed". */
async function check(page) {
  await page.click('#lesson-check');
  const verdict = page.locator('#lesson-verdict');
  await expect(verdict).toBeVisible({ timeout: 60_000 });
  return (await verdict.getAttribute('class')).includes('passed') ? 'passed' : 'failed';
}

/** Sets a number field in the inspector and commits it. */
async function setNumber(page, key, value) {
  const field = page.locator(`#param-${key}`);
  await field.fill(String(value));
  await field.press('Enter');
  await field.blur();
}

/** Opens lesson `slug` from the course map. */
async function openLesson(page, slug) {
  await page.click('#course');
  await page.click(`#course-lessons [data-lesson="${slug}"] button`);
  await expect(page.locator('#lesson')).toHaveAttribute('data-lesson', slug);
}

/** Fails the lesson's starting design, then reads the first hint. */
async function failThenHint(page, lang, n) {
  expect(await check(page)).toBe('failed');
  await expect(page.locator('#lesson-goals .goal.missed').first()).toBeVisible();
  await page.click('#lesson-hint');
  await expect(page.locator('#lesson-hints li')).toHaveCount(1);
  await page.screenshot({ path: join(screenshots, `course-${lang}-lesson${n}-failed.png`), fullPage: true });
}

/** Passes, answers the self-check with its right choice, and looks. */
async function passAndAnswer(page, lang, n, right) {
  expect(await check(page)).toBe('passed');
  await expect(page.locator('#lesson-goals .goal.missed')).toHaveCount(0);
  await expect(page.locator('#lesson-why')).toBeVisible();
  await page.click(`#self-check [data-choice="${right}"]`);
  await expect(page.locator('#self-check-explain')).toBeVisible();
  await page.screenshot({ path: join(screenshots, `course-${lang}-lesson${n}-passed.png`), fullPage: true });
}

for (const [lang, locale, title1, check1] of [
  ['en', 'en-US', 'One server, and the name that finds it', 'Check'],
  ['ko', 'ko-KR', '서버 한 대와 그 서버를 찾는 이름', '채점'],
]) {
  test.describe(`in ${lang}`, () => {
    test.use({ locale });

    test('a newcomer is welcomed, fails lesson 1, reads a hint, fixes it, passes and goes on', async ({ page }) => {
      await open(page, '/', { welcome: true });
      await expect(page.locator('#course-map')).toBeVisible();
      await page.screenshot({ path: join(screenshots, `course-${lang}-welcome.png`), fullPage: true });
      await page.click('#course-start');
      await expect(page.locator('#lesson')).toHaveAttribute('data-lesson', '01-one-server-dns');
      await expect(page.locator('.lesson-title')).toContainText(title1);
      await expect(page.locator('#lesson-check')).toHaveText(check1);
      // The workload is the lesson's: the web server's processing time is shown, locked.
      await clickNode(page, 'web-1');
      await expect(page.locator('#param-service_ms')).toBeDisabled();
      // So is the traffic: the users send what the lesson sends.
      await clickNode(page, 'users-1');
      await expect(page.locator('#param-rate_rps')).toBeDisabled();
      await expect(page.locator('[data-locked="rate_rps"]')).toBeVisible();
      await failThenHint(page, lang, 1);
      // The fix: keep DNS answers for five minutes.
      await clickNode(page, 'dns-1');
      await setNumber(page, 'ttl_s', 300);
      await passAndAnswer(page, lang, 1, 1);
      // On to lesson 2; lesson 1 is done on the map.
      await page.click('#lesson-next');
      await expect(page.locator('#lesson')).toHaveAttribute('data-lesson', '02-web-and-data-tiers');
      await page.screenshot({ path: join(screenshots, `course-${lang}-lesson2.png`), fullPage: true });
      // Both survive a reload: the lesson open, lesson 1's design kept.
      await page.reload();
      await expect(page.locator('#lesson')).toHaveAttribute('data-lesson', '02-web-and-data-tiers');
      await page.click('#course');
      await expect(page.locator('#course-lessons [data-lesson="01-one-server-dns"]')).toHaveAttribute('data-status', 'done');
      await expect(page.locator('#course-lessons [data-lesson="02-web-and-data-tiers"]')).toHaveAttribute('data-status', 'current');
      await page.click('#course-lessons [data-lesson="01-one-server-dns"] button');
      await clickNode(page, 'dns-1');
      await expect(page.locator('#param-ttl_s')).toHaveValue('300');
    });

    test('lessons 5, 7 and 13 fail, hint and pass through the editor', async ({ page }) => {
      await open(page);

      // 5: sticky sessions lose users in a crash; a session store keeps them.
      await openLesson(page, '05-stateless-web-tier');
      await failThenHint(page, lang, 5);
      const db = await nodeAt(page, 'db-1');
      const store = await dropAt(page, 'session_store', db.x, db.y + 150 * db.zoom);
      for (const web of ['web-1', 'web-2', 'web-3']) await connectIds(page, web, store);
      await passAndAnswer(page, lang, 5, 1);

      // 7: semi-sync keeps every acknowledged write within the budget.
      await openLesson(page, '07-replication-modes');
      await failThenHint(page, lang, 7);
      await clickNode(page, 'db-1');
      await page.selectOption('#param-replication', 'semi_sync');
      await passAndAnswer(page, lang, 7, 1);

      // 13: consistent hashing, and a replica for the celebrity's shard.
      await openLesson(page, '13-sharding');
      await failThenHint(page, lang, 13);
      await clickNode(page, 'router-1');
      await page.selectOption('#param-strategy', 'consistent');
      const db1 = await nodeAt(page, 'db-1');
      const replica = await dropAt(page, 'database', db1.x + 190 * db1.zoom, db1.y);
      await clickNode(page, replica);
      await page.selectOption('#param-role', 'replica');
      await connectIds(page, 'db-1', replica);
      await passAndAnswer(page, lang, 13, 1);
    });
  });
}

test('why a design cannot run is drawn where it is, counted in a corner, listed on Run, and follows the fixes', async ({ page }) => {
  await open(page, '/?lesson=06-master-and-replicas');
  const db1 = await nodeAt(page, 'db-1');
  // A new database fed from db-1 before it is made a replica: a master
  // cannot take a replication stream.
  const loose = await dropAt(page, 'database', db1.x, db1.y + 130 * db1.zoom);
  await connectIds(page, 'db-1', loose);
  const live = page.locator('#canvas-live');
  await expect(live, 'marked on the connection').toHaveAttribute('data-marks', `edge:db-1>${loose}:error`);
  // The count sits in a corner of the stage and covers little of it.
  const count = page.locator('#problem-count-button');
  await expect(count).toHaveText(/1 problem to fix/);
  const [stage, pill] = [await page.locator('main.stage').boundingBox(), await count.boundingBox()];
  expect(pill.width * pill.height).toBeLessThan(0.03 * stage.width * stage.height);
  expect(pill.x - stage.x).toBeLessThan(30);
  expect(stage.y + stage.height - (pill.y + pill.height)).toBeLessThan(30);
  await expect(page.locator('#problem-list')).toHaveCount(0);
  // Run (here, a step) refused: the list opens as an alert, in full words.
  await page.click('#step-event');
  const list = page.locator('#problem-list');
  await expect(list).toHaveAttribute('role', 'alert');
  await expect(list).toContainText(`db-1 → ${loose}: the receiving database is a master`);
  await page.screenshot({ path: join(screenshots, 'problems-listed.png'), fullPage: true });
  // A problem selects what it concerns; the inspector says what is wrong.
  await list.locator('button.link').first().click();
  await expect(page.locator('#selected-edge')).toHaveText(`db-1 → ${loose}`);
  await expect(page.locator('#selection-problems')).toContainText('the receiving database is a master');
  // Dismiss is in reach of the mouse (a click fails if anything covers it).
  await page.click('#problem-list-close');
  await expect(list).toHaveCount(0);
  await expect(count).toBeVisible();
  // Shown again, it goes away once the design is fixed, without a Run.
  await page.click('#step-event');
  await expect(list).toBeVisible();
  await clickNode(page, loose);
  // The receiving database is told what its connection needs of it.
  await expect(page.locator('#selection-problems')).toContainText('set its role to Replica');
  await page.selectOption('#param-role', 'replica');
  await expect(page.locator('#selection-problems')).toHaveCount(0);
  await expect(list).toHaveCount(0);
  await expect(count).toHaveCount(0);
  await expect(live).toHaveAttribute('data-marks', '');
});

test('a lesson can be linked and embedded', async ({ page }) => {
  await open(page, '/?lesson=04-load-balancer');
  await expect(page.locator('#lesson')).toHaveAttribute('data-lesson', '04-load-balancer');
  // The time bar announces the crash and jumps to just before it.
  await expect(page.locator('#timebar-next')).toContainText('web-1 crashes');
  await page.click('#timebar .event[data-at="30"]');
  await expect.poll(async () => Number((await page.locator('[data-metric="clock"]').innerText()).replace(/[^0-9.]/g, ''))).toBeCloseTo(27, 0);
  await page.screenshot({ path: join(screenshots, 'course-lesson-link.png'), fullPage: true });
  // An embed shows the lesson's card and time bar, and runs it.
  await page.goto('/?embed&lesson=05-stateless-web-tier&autoplay');
  await expect(page.locator('#embed-lesson')).toContainText('A stateless web tier');
  await expect(page.locator('#timebar')).toBeVisible();
  await expect(page.locator('#open-full')).toHaveAttribute('href', /\?lesson=05-stateless-web-tier$/);
  await page.screenshot({ path: join(screenshots, 'course-lesson-embed.png'), fullPage: true });
  // A link to a lesson that does not exist says so, on the course map to
  // choose another from.
  await open(page, '/?lesson=99-nothing', { welcome: true });
  await expect(page.locator('#course-map-unknown')).toContainText('does not have');
  await page.click('#course-lessons [data-lesson="02-web-and-data-tiers"] button');
  await expect(page.locator('#lesson')).toHaveAttribute('data-lesson', '02-web-and-data-tiers');
  await expect(page.locator('#course-map')).toHaveCount(0);
});

test('an example says what it shows, when its fault fires and what to watch, and runs where it shows soon', async ({ page }) => {
  await open(page);
  await page.selectOption('#examples', 'sticky-sessions-crash');
  const card = page.locator('#example-card');
  await expect(card).toContainText('What it shows:');
  await expect(card).toContainText('t = 30 s: web-1 crashes');
  await expect(card).toContainText('Watch:');
  // At its speed the crash comes after 15 s of watching, and the time bar announces it.
  await expect(page.locator('#speed')).toHaveValue('2');
  await expect(page.locator('#timebar-next')).toContainText('web-1 crashes');
  await page.screenshot({ path: join(screenshots, 'example-card.png'), fullPage: true });
  // Embedded in a blog post: the same card beside the canvas, at the same speed.
  await page.goto('/?embed&example=sticky-sessions-crash');
  await expect(page.locator('#embed-example')).toContainText('t = 30 s: web-1 crashes');
  await expect(page.locator('#speed')).toHaveValue('2');
  await page.screenshot({ path: join(screenshots, 'example-embed.png'), fullPage: true });
});

/** Checks lesson 4's starting design; returns where it was graded and every goal's words. */
async function gradeLesson4(page) {
  await open(page, '/?lesson=04-load-balancer');
  await check(page);
  const lesson = page.locator('#lesson');
  const goals = await page.locator('#lesson-goals .goal').allInnerTexts();
  return { where: await lesson.getAttribute('data-graded-in'), goals };
}

test('Check grades in a Web Worker, and in the page with the same figures when there is no worker', async ({ browser }) => {
  // With workers: the grade worker is fetched on the first Check.
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const fetched = [];
  page.on('request', (r) => fetched.push(new URL(r.url())));
  expect(fetched.some((u) => u.pathname.includes('engine'))).toBe(false);
  const inWorker = await gradeLesson4(page);
  expect(inWorker.where).toBe('worker');
  // The grade worker and the engine it loads carry the page's engine build.
  const build = await engineBuild(page);
  expect(build).toMatch(/^[0-9a-f]{16}$/);
  const files = engineFiles(fetched);
  expect(files).toContain(`grade-worker-loader.js?v=${build}`);
  expect(files).toContain(`engine_bg.wasm?v=${build}`);
  expect(files.every((f) => f.endsWith(`?v=${build}`)), files.join(' ')).toBe(true);
  await ctx.close();
  // A browser without workers grades in the page.
  const bare = await browser.newContext();
  await bare.addInitScript(() => {
    delete window.Worker;
  });
  const page2 = await bare.newPage();
  const inPage = await gradeLesson4(page2);
  expect(inPage.where).toBe('page');
  await bare.close();
  // A worker that cannot start falls back to the page: its script
  // missing, or the engine's wasm failing inside the worker only (the page
  // then loads it itself).
  const fallbacks = [];
  for (const missing of ['grade-worker-loader.js', 'engine_bg.wasm']) {
    const broken = await browser.newContext();
    let failed = false;
    await broken.route(siteFile(missing), (route) => {
      if (failed && missing.endsWith('.wasm')) return route.continue();
      failed = true;
      return route.fulfill({ status: 404, body: 'not found' });
    });
    const page3 = await broken.newPage();
    const fallback = await gradeLesson4(page3);
    expect(fallback.where, missing).toBe('page');
    fallbacks.push(fallback);
    await broken.close();
  }
  // Where the engine cannot load at all, Check says so instead of a grade.
  const offline = await browser.newContext();
  await offline.route(siteFile('engine_bg.wasm'), (route) => route.fulfill({ status: 404, body: 'not found' }));
  const page4 = await offline.newPage();
  await open(page4, '/?lesson=04-load-balancer');
  await page4.click('#lesson-check');
  await expect(page4.locator('#lesson-failed')).toContainText('The simulation could not load');
  await expect(page4.locator('#lesson-verdict')).toHaveCount(0);
  await expect(page4.locator('#lesson-check')).toBeEnabled();
  await offline.close();
  // Every goal reads the same, figures included.
  expect(inWorker.goals.length).toBeGreaterThan(0);
  expect(inWorker.goals.some((g) => /\d/.test(g))).toBe(true);
  expect(inPage.goals).toEqual(inWorker.goals);
  for (const fallback of fallbacks) expect(fallback.goals).toEqual(inWorker.goals);
});
