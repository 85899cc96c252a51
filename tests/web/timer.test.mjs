// The session's timer on a phone and on the projector: the facilitator
// starts, pauses, resumes and stops it (over WebSocket); the phone counts
// down locally, freezes when paused, says only what matters in its live
// region, corrects for a phone clock that is off, and stops at 0 with
// "Temps écoulé".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launch, open, clean, startServer, stopAll, makeSession, axe, shot, until, ok, sleep,
} from './lib.mjs';

const PROJECTOR = { viewport: { width: 1920, height: 1080 }, isMobile: false, hasTouch: false, deviceScaleFactor: 1 };
let srv; let browser;

before(async () => {
  srv = await startServer();
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  await stopAll();
});

async function session(title) {
  return makeSession(srv.port, { title, boards: [{ kind: 'wall', title: 'Vos idées' }] });
}

/** A phone that joined S anonymously and is online. opts: context options; init: a script run before the page's. */
async function joined(S, opts = {}, init = null) {
  const o = await open(browser, opts);
  if (init) await o.context.addInitScript(init);
  await o.page.goto(`${srv.url}/j/${S.code}`);
  await o.page.locator('button', { hasText: 'Entrer sans prénom' }).click();
  await o.page.locator('.conn[data-state=online]').waitFor();
  await o.page.locator('#note-text').waitFor();
  return o;
}

/** The countdown shown, in seconds ("1:58" -> 118), or null when none is shown. */
async function shown(page, sel = '.timer') {
  const el = page.locator(sel);
  if (!(await el.isVisible())) return null;
  const text = (await el.locator('.timer-time').textContent()).trim();
  const m = /^(?:(\d+):)?(\d+):(\d\d)$/.exec(text);
  assert.ok(m, `the countdown reads h:mm:ss or m:ss: "${text}"`);
  return (Number(m[1] || 0) * 60 + Number(m[2])) * 60 + Number(m[3]);
}

const announced = (page, text) => page.locator('#announce', { hasText: text }).waitFor({ state: 'attached' });

test('start, pause, resume and stop on a phone: label, countdown, live region', { timeout: 90000 }, async () => {
  const S = await session('Le parc de demain');
  const { context, page, rec } = await joined(S);
  assert.equal(await page.locator('.timer').isVisible(), false, 'no timer, nothing shown');
  const said = [];
  await page.exposeFunction('said', (s) => said.push(s));
  await page.evaluate(() => new MutationObserver(() => window.said(document.getElementById('announce').textContent))
    .observe(document.getElementById('announce'), { childList: true, characterData: true, subtree: true }));

  const t = ok(await S.fac.request('timer.start', { session: S.code, seconds: 120, label: 'Écrivez vos idées' }), 'timer.start').timer;
  assert.equal(t.state, 'running');
  await page.locator('.timer[data-state=running]').waitFor();
  assert.equal(await page.locator('.timer .timer-label').textContent(), 'Écrivez vos idées');
  assert.match(await page.locator('.timer .timer-line').textContent(), /^Écrivez vos idées — \d:\d\d$/);
  const a = await shown(page);
  assert.ok(a >= 110 && a <= 120, `the countdown starts between 1:50 and 2:00 (${a} s)`);
  assert.equal(await page.locator('.timer .timer-time').getAttribute('role'), 'timer', 'role=timer: not read aloud every second');
  await announced(page, 'Minuteur lancé');
  assert.match(await page.locator('#announce').textContent(), /Écrivez vos idées\. Minuteur lancé\s:\s2 min/);
  await until(async () => (await shown(page)) < a, 'the countdown goes down', 4000);
  const b = await shown(page);
  assert.ok(b >= a - 3 && b < a, `counting down by the second (${a} then ${b})`);

  // the live region is quiet while it counts
  const before = said.length;
  await sleep(2200);
  assert.equal(said.length, before, `nothing announced while counting: ${JSON.stringify(said.slice(before))}`);

  // pause: frozen, "en pause"
  ok(await S.fac.request('timer.pause', { session: S.code }), 'timer.pause');
  await page.locator('.timer[data-state=paused]').waitFor();
  await page.locator('.timer .timer-note', { hasText: 'en pause' }).waitFor();
  const p1 = await shown(page);
  await sleep(1200);
  const p2 = await shown(page);
  assert.equal(p2, p1, 'paused: two readings a second apart are equal');
  assert.ok(p1 > 100 && p1 < 120, `paused at ${p1} s`);
  await announced(page, 'Minuteur en pause');

  // with the timer shown: axe, 320 px, the screenshot
  await page.evaluate(() => Promise.all(document.getAnimations().map((x) => x.finished)));
  await axe(page, 'phone with a paused timer');
  ok(await S.fac.request('timer.resume', { session: S.code }), 'timer.resume');
  await page.locator('.timer[data-state=running]').waitFor();
  await announced(page, 'Le minuteur repart');
  assert.equal(await page.locator('.timer .timer-note').isVisible(), false, '"en pause" is gone');
  const r1 = await shown(page);
  assert.ok(r1 <= p1 && r1 >= p1 - 2, `resumes where it stopped (${p1} then ${r1})`);
  await until(async () => (await shown(page)) < r1, 'counting down again', 4000);
  await page.evaluate(() => Promise.all(document.getAnimations().map((x) => x.finished)));
  await axe(page, 'phone with a running timer');
  await shot(page, 'phone-timer');
  await page.setViewportSize({ width: 320, height: 640 });
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 320, 'nothing wider than 320 px');
  const box = await page.locator('.timer').boundingBox();
  assert.ok(box.x >= 0 && box.x + box.width <= 320, 'the timer fits in 320 px');

  // stop: it goes away
  ok(await S.fac.request('timer.stop', { session: S.code }), 'timer.stop');
  await page.locator('.timer').waitFor({ state: 'hidden' });
  await announced(page, 'Minuteur arrêté');
  assert.ok(said.some((s) => /Minuteur lancé/.test(s)) && said.some((s) => /Minuteur en pause/.test(s)), 'each change was said');
  assert.ok(said.every((s) => !/^\d+:\d\d$/.test(s.trim())), 'the countdown itself is never announced');
  clean(rec);
  await context.close();
});

test('a timer started before the phone joins is shown; a phone clock an hour off still counts right', { timeout: 60000 }, async () => {
  const S = await session('Rues calmes');
  ok(await S.fac.request('timer.start', { session: S.code, seconds: 120, label: 'Vos idées' }), 'timer.start');
  const { context, page, rec } = await joined(S);
  await page.locator('.timer[data-state=running]').waitFor();
  assert.equal(await page.locator('.timer .timer-label').textContent(), 'Vos idées');
  const a = await shown(page);
  assert.ok(a >= 110 && a <= 120, `from the snapshot: ${a} s`);
  clean(rec);
  await context.close();

  // the same on a phone whose clock is an hour behind (and another 5 min ahead)
  for (const off of [-3600_000, 300_000]) {
    const o = await joined(S, {}, `(() => { const real = Date.now; Date.now = () => real() + ${off}; })()`);
    assert.ok(Math.abs(await o.page.evaluate(() => Date.now()) - Date.now() - off) < 5000, 'the page\'s clock is off');
    await o.page.locator('.timer[data-state=running]').waitFor();
    await until(async () => { const v = await shown(o.page); return v >= 100 && v <= 120; },
      `a phone clock ${off / 1000} s off: the countdown is corrected`, 5000);
    // a live event: the same
    ok(await S.fac.request('timer.start', { session: S.code, seconds: 120, label: 'Vos idées' }), 'timer.start');
    await until(async () => (await shown(o.page)) >= 117, 'restarted at 2:00', 5000);
    const v = await shown(o.page);
    assert.ok(v >= 117 && v <= 120, `after timer.started, a phone ${off / 1000} s off shows ${v} s`);
    clean(o.rec);
    await o.context.close();
  }
  ok(await S.fac.request('timer.stop', { session: S.code }), 'timer.stop');
});

test('the projector shows the countdown large, without hiding the QR code', { timeout: 60000 }, async () => {
  const S = await session('Le marché couvert');
  ok(await S.fac.request('timer.start', { session: S.code, seconds: 600, label: 'Écrivez vos idées' }), 'timer.start');
  const { context, page, rec } = await open(browser, PROJECTOR);
  await page.goto(`${srv.url}/s/${S.code}`);
  await page.locator('#board-title', { hasText: 'Vos idées' }).waitFor();
  const tm = page.locator('.screen-timer');
  await tm.locator('.timer-time').waitFor();
  const v = await shown(page, '.screen-timer');
  assert.ok(v >= 590 && v <= 600, `the projector counts down from 10:00 (${v} s)`);
  assert.equal(await tm.locator('.timer-label').textContent(), 'Écrivez vos idées');
  const px = await tm.locator('.timer-time').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  assert.ok(px >= 80, `readable from the back of the room (${px} px)`);
  await page.waitForFunction(() => document.getElementById('qr').complete && document.getElementById('qr').naturalWidth > 0);
  const qr = await page.locator('#qr').boundingBox();
  const tb = await tm.boundingBox();
  const apart = tb.y >= qr.y + qr.height || tb.y + tb.height <= qr.y || tb.x >= qr.x + qr.width || tb.x + tb.width <= qr.x;
  assert.ok(apart, `the timer ${JSON.stringify(tb)} does not cover the QR code ${JSON.stringify(qr)}`);
  assert.ok(qr.width >= 250 && qr.y + qr.height <= 1080, 'the QR code stays large and on screen');
  const join = await page.locator('#join').evaluate((el) => [el.scrollHeight, el.clientHeight]);
  assert.ok(join[0] <= join[1] + 1, `the join column is not cut (${join})`);
  assert.ok(await page.locator('#code').isVisible(), 'the code is still shown');
  assert.ok(tb.x + tb.width <= 1920 && tb.y + tb.height <= 1080 && tb.x > 960 && tb.y > 540, 'the timer sits in the bottom-right corner');
  ok(await S.fac.request('timer.pause', { session: S.code }), 'timer.pause');
  await tm.locator('.timer-note', { hasText: 'en pause' }).waitFor();
  await shot(page, 'projector-timer');
  ok(await S.fac.request('timer.stop', { session: S.code }), 'timer.stop');
  await tm.waitFor({ state: 'hidden' });
  clean(rec);
  await context.close();
});

test('one minute left is said; a 2 s timer reaches "Temps écoulé" and does not go below 0', { timeout: 60000 }, async () => {
  const S = await session('Courte pause');
  const { context, page, rec } = await joined(S);
  await page.evaluate(() => {
    window.seen = [];
    new MutationObserver(() => { const el = document.querySelector('.timer .timer-time'); if (el) window.seen.push(el.textContent); })
      .observe(document.getElementById('main'), { childList: true, characterData: true, subtree: true });
  });
  // one minute left is said once, when it comes
  ok(await S.fac.request('timer.start', { session: S.code, seconds: 62 }), 'timer.start');
  await announced(page, 'Plus qu’une minute.');
  assert.ok((await shown(page)) <= 60, 'said at 1:00');
  ok(await S.fac.request('timer.start', { session: S.code, seconds: 2 }), 'timer.start');
  await page.locator('.timer .timer-note', { hasText: 'Temps écoulé' }).waitFor({ timeout: 6000 });
  assert.equal(await page.locator('.timer').getAttribute('data-state'), 'up');
  assert.equal(await page.locator('.timer .timer-time').textContent(), '0:00');
  assert.equal(await page.locator('.timer .timer-label').textContent(), 'Temps restant', 'no label: a plain one');
  await announced(page, 'Temps écoulé.');
  await sleep(1500);
  assert.equal(await page.locator('.timer .timer-time').textContent(), '0:00', 'stays at 0:00');
  assert.ok(await page.locator('.timer .timer-note', { hasText: 'Temps écoulé' }).isVisible(), '"Temps écoulé" stays');
  const seen = await page.evaluate(() => window.seen);
  const last = seen.slice(seen.lastIndexOf('0:02') >= 0 ? seen.lastIndexOf('0:02') : seen.lastIndexOf('0:01'));
  assert.ok(last.length >= 2 && last.every((s) => /^0:0[0-2]$/.test(s)), `2, 1, 0 and never negative: ${JSON.stringify(seen.slice(-6))}`);
  assert.ok(seen.every((s) => !s.includes('-')), 'never a minus sign');

  // the same in English and Dutch
  for (const [l, up] of [['en', 'Time is up'], ['nl', 'De tijd is om']]) {
    await page.selectOption('#lang', l);
    await page.locator('.timer .timer-note', { hasText: up }).waitFor();
  }
  clean(rec);
  await context.close();
});
