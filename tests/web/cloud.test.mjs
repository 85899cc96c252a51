// Word clouds: a phone sends words within its quota and watches the cloud
// grow, drawn as SVG from the server's layout; the projector shows it too;
// hidden and banned words leave every screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launch, open, clean, startServer, stopAll, makeSession, participant, axe, shot, until, ok,
} from './lib.mjs';

let srv; let browser; let S; let cloud;

before(async () => {
  srv = await startServer();
  S = await makeSession(srv.port, {
    title: 'Mobilité douce',
    boards: [{ kind: 'cloud', title: 'En un mot', prompt: 'La mobilité, pour vous, c’est quoi ?', word_quota: 3 }],
  });
  cloud = S.boards[0];
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  await stopAll();
});

const svgWord = (page, text) => page.locator('.cloud-svg text', { hasText: text });

test('send words within the quota; variants merge; the cloud is an SVG from the server\'s layout', { timeout: 90000 }, async () => {
  const { context, page, rec } = await open(browser);
  await page.goto(`${srv.url}/j/${S.code}`);
  await page.locator('button', { hasText: 'Entrer sans prénom' }).click();
  await page.locator('#word-text').waitFor();
  await page.locator('#words-left', { hasText: 'Vous pouvez encore envoyer 3 mots.' }).waitFor();
  await page.locator('.cloud .help', { hasText: 'Pas encore de mots.' }).waitFor();

  // others write first
  const others = [];
  for (const [name, words] of [['Awa', ['vélo', 'marche', 'Bus']], ['Paul', ['Vélos', 'tram', 'bus']], ['Lina', ['le vélo', 'trottoirs', 'bus ']]]) {
    const p = await participant(srv.port, S.code, name);
    others.push(p);
    for (const w of words) ok(await p.request('word.add', { board: cloud.id, text: w }));
  }
  await svgWord(page, 'vélo').waitFor();
  await svgWord(page, 'tram').waitFor();

  const send = async (w) => {
    await page.fill('#word-text', w);
    await page.click('.add-form button[type=submit]');
  };
  await send('Les vélos');
  await page.locator('#words-left', { hasText: 'Vous pouvez encore envoyer 2 mots.' }).waitFor();
  await send('pistes cyclables');
  await send('covoiturage');
  await page.locator('#words-left', { hasText: 'Vous avez envoyé tous vos mots. Merci !' }).waitFor();
  assert.ok(await page.locator('#word-text').isDisabled(), 'no words left: the field is disabled');
  await svgWord(page, 'covoiturage').waitFor();

  // one entry per key: "vélo", "Vélos", "le vélo", "Les vélos" are one word with count 4
  const words = await page.evaluate(() => [...document.querySelectorAll('.cloud-svg text')].map((t) => ({
    text: t.textContent, size: Number(t.getAttribute('font-size')), len: t.getAttribute('textLength'), adj: t.getAttribute('lengthAdjust'),
  })));
  const velo = words.filter((w) => /^v[ée]los?$/i.test(w.text));
  assert.equal(velo.length, 1, `one entry for the variants of vélo: ${JSON.stringify(words)}`);
  assert.ok(words.every((w) => w.len && w.adj === 'spacingAndGlyphs'), 'textLength and lengthAdjust on every word');
  const sizeOf = (re) => words.find((w) => re.test(w.text)).size;
  assert.ok(sizeOf(/^v[ée]los?$/i) > sizeOf(/^tram$/), 'the most sent word is the biggest');
  // the screen reader list says the counts
  await page.locator('.cloud ol.vh li', { hasText: /v[ée]los? \(4 fois\)/i }).waitFor();
  // the text sits inside the drawing
  const inside = await page.evaluate(() => {
    const s = document.querySelector('.cloud-svg').getBoundingClientRect();
    return [...document.querySelectorAll('.cloud-svg text')].every((t) => {
      const r = t.getBoundingClientRect();
      return r.left >= s.left - 2 && r.right <= s.right + 2 && r.top >= s.top - 2 && r.bottom <= s.bottom + 2;
    });
  });
  assert.ok(inside, 'every word is drawn inside the cloud');
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth), 'no horizontal scroll');
  await axe(page, 'cloud page');
  await page.evaluate(() => { document.activeElement.blur(); document.querySelector('.cloud').scrollIntoView({ block: 'end' }); });
  await shot(page, 'phone-cloud');

  // the facilitator hides a word: it leaves the cloud
  const tramKey = (await S.fac.request('board.get', { board: cloud.id })).board.words.find((w) => w.text === 'tram').key;
  ok(await S.fac.request('word.hide', { board: cloud.id, key: tramKey }));
  await svgWord(page, 'tram').waitFor({ state: 'detached' });
  // and a banned word too
  ok(await S.fac.request('word.ban', { session: S.code, text: 'covoiturage' }));
  await svgWord(page, 'covoiturage').waitFor({ state: 'detached' });
  for (const p of others) await p.close();
  clean(rec);
  await context.close();
});

test('words typed offline are sent once on reconnect', { timeout: 90000 }, async () => {
  const r = ok(await S.fac.request('board.create', { session: S.code, kind: 'cloud', title: 'Un deuxième nuage', word_quota: 5 }));
  const { context, page, rec } = await open(browser);
  await page.goto(`${srv.url}/j/${S.code}`);
  await page.locator('button', { hasText: 'Entrer sans prénom' }).click();
  await page.locator('h2', { hasText: 'Un deuxième nuage' }).waitFor();
  await page.locator('.conn[data-state=online]').waitFor();
  await context.setOffline(true);
  await page.locator('.conn[data-state=offline], .conn[data-state=reconnecting]').waitFor({ timeout: 20000 });
  await page.fill('#word-text', 'autopartage');
  await page.click('.add-form button[type=submit]');
  await page.locator('.pending-words li', { hasText: 'autopartage' }).waitFor();
  await page.locator('#words-left', { hasText: 'Vous pouvez encore envoyer 4 mots.' }).waitFor();
  await context.setOffline(false);
  await page.locator('.conn[data-state=online]').waitFor({ timeout: 20000 });
  await svgWord(page, 'autopartage').waitFor({ timeout: 20000 });
  await until(async () => {
    const w = (await S.fac.request('board.get', { board: r.board.id })).board.words.find((x) => x.text === 'autopartage');
    return w && w.count === 1;
  }, 'autopartage counted once');
  await page.waitForTimeout(500);
  const w = (await S.fac.request('board.get', { board: r.board.id })).board.words.find((x) => x.text === 'autopartage');
  assert.equal(w.count, 1, 'sent once');
  assert.equal(await page.locator('.pending-words li').count(), 0);
  clean(rec);
  await context.close();
});

test('the projector draws the cloud live, filling the screen', { timeout: 90000 }, async () => {
  const { context, page, rec } = await open(browser, { viewport: { width: 1920, height: 1080 }, isMobile: false, hasTouch: false, deviceScaleFactor: 1 });
  await page.goto(`${srv.url}/s/${S.code}`);
  await page.selectOption('#board-pick', String(cloud.id));
  await page.locator('#board-title', { hasText: 'En un mot' }).waitFor();
  await svgWord(page, 'bus').waitFor();
  const p = await participant(srv.port, S.code, 'Yann');
  ok(await p.request('word.add', { board: cloud.id, text: 'skate' }));
  await svgWord(page, 'skate').waitFor();
  const area = await page.evaluate(() => {
    const s = document.querySelector('.cloud-svg').getBoundingClientRect();
    const st = document.getElementById('stage').getBoundingClientRect();
    return { w: s.width / st.width, h: s.height / st.height };
  });
  assert.ok(area.w > 0.9 || area.h > 0.9, `the cloud fills the stage (${JSON.stringify(area)})`);
  await axe(page, 'projector cloud');
  await shot(page, 'projector-cloud');
  await p.close();
  clean(rec);
  await context.close();
});
