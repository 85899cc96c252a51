// Joining: the code page at /, the direct link /j/CODE, the name step,
// unknown codes, languages (browser's, switched, remembered), 320 px, and
// axe-core on each of these screens.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launch, open, clean, startServer, stopAll, makeSession, axe, shot, WAIT,
} from './lib.mjs';

let srv; let browser; let S;

before(async () => {
  srv = await startServer();
  S = await makeSession(srv.port, { title: 'Déchets dans la nature', boards: [{ kind: 'wall', title: 'Vos idées', prompt: 'Que faire contre les déchets ?' }] });
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  await stopAll();
});

const noHScroll = (page) => page.evaluate(() => document.documentElement.scrollWidth <= innerWidth);

test('/ asks for the code, accepts lowercase and spaces, then the name; the session opens', { timeout: 60000 }, async () => {
  const { context, page, rec } = await open(browser);
  const res = await page.goto(`${srv.url}/`);
  assert.equal(res.status(), 200);
  assert.match(res.headers()['content-security-policy'] || '', /script-src 'self'/);
  await page.locator('h1', { hasText: 'Rejoindre un atelier' }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'fr');
  await axe(page, 'code page');
  await shot(page, 'phone-join');

  // a code with a wrong length is refused on the spot
  await page.fill('#code', 'abc');
  await page.click('button[type=submit]');
  await page.locator('#code-err', { hasText: '6 signes' }).waitFor();
  assert.equal(await page.getAttribute('#code', 'aria-invalid'), 'true');

  const typed = `${S.code.slice(0, 3).toLowerCase()} ${S.code.slice(3).toLowerCase()}`;
  await page.fill('#code', typed);
  await page.click('button[type=submit]');
  await page.waitForURL(`**/j/${S.code}`);
  await page.locator('h1', { hasText: 'Bienvenue' }).waitFor();
  await axe(page, 'name page');
  await shot(page, 'phone-name');
  await page.fill('#name', 'Marie');
  await page.click('button[type=submit]');
  await page.locator('h1', { hasText: 'Déchets dans la nature' }).waitFor();
  await page.locator('h2', { hasText: 'Vos idées' }).waitFor();
  await page.locator('.conn[data-state=online]').waitFor();

  // the server knows her by her name
  const r = await S.fac.request('session.join', { code: S.code });
  assert.equal(r.session.participants, 1);
  const joined = S.fac.events.find((e) => e.ev === 'participant.joined');
  assert.equal(joined.participant.name, 'Marie');
  clean(rec);
  await context.close();
});

test('/j/CODE joins directly, anonymous; a reload keeps the same identity', { timeout: 60000 }, async () => {
  const { context, page, rec } = await open(browser);
  const before = (await S.fac.request('session.join', { code: S.code })).session.participants;
  await page.goto(`${srv.url}/j/${S.code.toLowerCase()}`);
  await page.locator('button', { hasText: 'Entrer sans prénom' }).click();
  await page.locator('.conn[data-state=online]').waitFor();
  await page.locator('h2', { hasText: 'Vos idées' }).waitFor();
  const stored = await page.evaluate((c) => JSON.parse(localStorage.getItem(`atelier.p.${c}`)), S.code);
  assert.match(stored.resume, /^[0-9a-f]{32}$/);
  assert.equal(stored.name, null);
  await page.reload();
  await page.locator('.conn[data-state=online]').waitFor();
  await page.locator('h2', { hasText: 'Vos idées' }).waitFor();
  const after = (await S.fac.request('session.join', { code: S.code })).session.participants;
  assert.equal(after, before + 1, 'one join, then a resume: counted once');
  clean(rec);
  await context.close();
});

test('an unknown code says so and leads back to the code page', { timeout: 60000 }, async () => {
  const { context, page, rec } = await open(browser);
  const unknown = S.code === 'ZZZZZZ' ? 'YYYYYY' : 'ZZZZZZ';
  await page.goto(`${srv.url}/j/${unknown}`);
  await page.locator('button', { hasText: 'Entrer sans prénom' }).click();
  await page.locator('[role=alert]', { hasText: "Aucun atelier n'a ce code" }).waitFor();
  await page.locator('a', { hasText: 'Entrer un autre code' }).click();
  await page.waitForURL(`${srv.url}/`);
  await page.locator('#code').waitFor();
  clean(rec);
  await context.close();
});

test('languages: the browser\'s (en, nl), French otherwise; switching is remembered', { timeout: 60000 }, async () => {
  for (const [locale, heading, lang] of [['en-GB', 'Join a workshop', 'en'], ['nl-BE', 'Meedoen aan een workshop', 'nl'], ['de-DE', 'Rejoindre un atelier', 'fr']]) {
    const { context, page, rec } = await open(browser, { locale });
    await page.goto(`${srv.url}/`);
    await page.locator('h1', { hasText: heading }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), lang);
    clean(rec, locale);
    await context.close();
  }
  const { context, page, rec } = await open(browser, { locale: 'fr-FR' });
  await page.goto(`${srv.url}/j/${S.code}`);
  await page.locator('button', { hasText: 'Entrer sans prénom' }).click();
  await page.locator('h2', { hasText: 'Vos idées' }).waitFor();
  await page.selectOption('#lang', 'en');
  await page.locator('h3', { hasText: 'Add a note' }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  assert.equal(await page.locator('.conn-label').textContent(), 'Connected');
  await page.selectOption('#lang', 'nl');
  await page.locator('h3', { hasText: 'Een briefje toevoegen' }).waitFor();
  await page.reload();
  await page.locator('h3', { hasText: 'Een briefje toevoegen' }).waitFor({ timeout: WAIT });
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'nl');
  await axe(page, 'session page in Dutch');
  clean(rec);
  await context.close();
});

test('320 px wide: no horizontal scroll on the code, name and session screens', { timeout: 60000 }, async () => {
  const { context, page, rec } = await open(browser, { viewport: { width: 320, height: 568 } });
  await page.goto(`${srv.url}/`);
  await page.locator('#code').waitFor();
  assert.ok(await noHScroll(page), 'code page scrolls sideways at 320 px');
  await page.goto(`${srv.url}/j/${S.code}`);
  await page.locator('#name').waitFor();
  assert.ok(await noHScroll(page), 'name page scrolls sideways at 320 px');
  await page.locator('button', { hasText: 'Entrer sans prénom' }).click();
  await page.locator('h2', { hasText: 'Vos idées' }).waitFor();
  await page.fill('#note-text', 'Unmotextrêmementlongsansaucuneespacequinedoitpasdéborderdelécrandutéléphone');
  await page.click('.add-form button[type=submit]');
  await page.locator('.note:not(.is-pending) .note-text', { hasText: 'Unmotextrêmement' }).waitFor();
  assert.ok(await noHScroll(page), 'session page scrolls sideways at 320 px');
  // thumb-size targets: every visible button and the swatches are at least 44 px
  // (measured once the notes' appear animation, which scales them, has ended)
  await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished)));
  const small = await page.evaluate(() => [...document.querySelectorAll('button, .swatch, select, a')]
    .filter((el) => el.offsetParent !== null)
    .map((el) => { const r = el.getBoundingClientRect(); return { t: el.textContent.trim() || el.className, w: r.width, h: r.height }; })
    .filter((r) => r.w < 44 || r.h < 44));
  assert.deepEqual(small, [], 'targets smaller than 44 px');
  clean(rec);
  await context.close();
});
