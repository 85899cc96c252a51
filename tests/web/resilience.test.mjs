// Connection drops are normal: a server restart, the phone offline, a
// frozen server, a reload.  What the person typed meanwhile reaches the
// board exactly once, and the page says how the connection is.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launch, open, clean, startServer, stopAll, makeSession, participant, boardNotes, until, ok, facilitator,
} from './lib.mjs';

let srv; let browser; let S; let board;

before(async () => {
  srv = await startServer();
  S = await makeSession(srv.port, { title: 'Mobilité', boards: [{ kind: 'wall', title: 'Vos idées' }] });
  board = S.boards[0];
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  await stopAll();
});

async function joined() {
  const o = await open(browser);
  await o.page.goto(`${srv.url}/j/${S.code}`);
  await o.page.locator('button', { hasText: 'Entrer sans prénom' }).click();
  await o.page.locator('.conn[data-state=online]').waitFor();
  await o.page.locator('#note-text').waitFor();
  return o;
}

const realNotes = (page, text) => page.locator('.note:not(.is-pending) .note-text', { hasText: text });
const anyNotes = (page, text) => page.locator('.note .note-text', { hasText: text });

async function type(page, text) {
  await page.fill('#note-text', text);
  await page.click('.add-form button[type=submit]');
}

/** Exactly one copy on the server (facilitator view) and on the page. */
async function once(page, text, fac = S.fac) {
  await until(async () => (await boardNotes(fac, board.id)).some((n) => n.text === text), `"${text}" stored`, 20000);
  await realNotes(page, text).first().waitFor({ timeout: 20000 });
  await page.waitForTimeout(500);   // time for a duplicate to show up, if there were one
  const stored = (await boardNotes(fac, board.id)).filter((n) => n.text === text);
  assert.equal(stored.length, 1, `"${text}" stored ${stored.length} times`);
  assert.equal(await anyNotes(page, text).count(), 1, `"${text}" shown ${await anyNotes(page, text).count()} times`);
}

test('offline: notes typed meanwhile wait, then appear exactly once', { timeout: 90000 }, async () => {
  const { context, page, rec } = await joined();
  await type(page, 'Avant la coupure');
  await once(page, 'Avant la coupure');

  await context.setOffline(true);
  await page.locator('.conn[data-state=offline], .conn[data-state=reconnecting]').waitFor({ timeout: 20000 });
  // another participant writes while this phone is away
  const other = await participant(srv.port, S.code, 'Awa');
  ok(await other.request('note.add', { board: board.id, text: 'Écrit pendant la coupure par Awa' }));
  await type(page, 'Hors ligne 1');
  await type(page, 'Hors ligne 2');
  await page.locator('.is-pending', { hasText: 'Hors ligne 2' }).waitFor();
  assert.equal(await page.locator('.is-pending').count(), 2, 'two notes wait');
  await page.locator('.conn-waiting', { hasText: '2 envois en attente' }).waitFor();
  const queued = await page.evaluate((c) => JSON.parse(localStorage.getItem(`atelier.q.${c}`)).map((e) => e.fields.text), S.code);
  assert.deepEqual(queued, ['Hors ligne 1', 'Hors ligne 2'], 'the queue is in localStorage');

  await context.setOffline(false);
  await page.locator('.conn[data-state=online]').waitFor({ timeout: 20000 });
  await once(page, 'Hors ligne 1');
  await once(page, 'Hors ligne 2');
  await realNotes(page, 'Écrit pendant la coupure par Awa').waitFor();   // missed events replayed
  assert.equal(await page.locator('.is-pending').count(), 0);
  assert.equal(await page.evaluate((c) => localStorage.getItem(`atelier.q.${c}`), S.code), null, 'the queue is empty');
  await other.close();
  clean(rec);
  await context.close();
});

test('server restart: the page reconnects by itself and resumes; nothing lost or doubled', { timeout: 90000 }, async () => {
  const { context, page, rec } = await joined();
  await type(page, 'Avant le redémarrage');
  await once(page, 'Avant le redémarrage');
  const youBefore = await page.evaluate((c) => JSON.parse(localStorage.getItem(`atelier.p.${c}`)).state.you.id, S.code);

  await S.fac.close();
  await srv.stop();
  await page.locator('.conn[data-state=reconnecting], .conn[data-state=offline]').waitFor({ timeout: 20000 });
  await type(page, 'Pendant le redémarrage');
  await page.locator('.is-pending', { hasText: 'Pendant le redémarrage' }).waitFor();

  srv = await startServer({ db: srv.db, port: srv.port });
  S.fac = await facilitator(srv.port);
  ok(await S.fac.request('session.join', { code: S.code }));
  const other = await participant(srv.port, S.code, 'Awa');
  ok(await other.request('note.add', { board: board.id, text: 'Après le redémarrage par Awa' }));

  await page.locator('.conn[data-state=online]').waitFor({ timeout: 30000 });
  await once(page, 'Pendant le redémarrage');
  await once(page, 'Avant le redémarrage');
  await realNotes(page, 'Après le redémarrage par Awa').waitFor();
  const youAfter = await page.evaluate((c) => JSON.parse(localStorage.getItem(`atelier.p.${c}`)).state.you.id, S.code);
  assert.equal(youAfter, youBefore, 'the same identity after the restart');
  // still her note: she may edit it
  const mine = page.locator('.note', { has: page.locator('.note-text', { hasText: 'Pendant le redémarrage' }) });
  assert.equal(await mine.locator('button[data-act=edit]').count(), 1);
  await other.close();
  clean(rec);
  await context.close();
});

test('a frozen server: the ping finds the dead connection; what was sent on it lands once', { timeout: 90000 }, async () => {
  const { context, page, rec } = await joined();
  srv.proc.kill('SIGSTOP');
  try {
    await type(page, 'Envoyé au serveur gelé');
    // a phone waking up checks its connection at once (as on visibilitychange)
    await page.evaluate(() => dispatchEvent(new Event('online')));
    await page.locator('.conn[data-state=reconnecting], .conn[data-state=offline]').waitFor({ timeout: 20000 });
  } finally {
    srv.proc.kill('SIGCONT');
  }
  await page.locator('.conn[data-state=online]').waitFor({ timeout: 30000 });
  await once(page, 'Envoyé au serveur gelé');
  clean(rec);
  await context.close();
});

test('a note the server stored but whose answer was lost is not doubled after a reload', { timeout: 90000 }, async () => {
  const { context, page, rec } = await joined();
  const id = await page.evaluate((c) => JSON.parse(localStorage.getItem(`atelier.p.${c}`)), S.code);
  // The same identity stores a note with cid "lost-answer" (as if the page had sent it
  // just before the connection died) ...
  const { resumeParticipant } = await import('../protocol/harness.mjs');
  const { client, reply } = await resumeParticipant(srv.port, id.resume);
  ok(reply);
  ok(await client.request('note.add', { board: board.id, text: 'Réponse perdue', cid: 'lost-answer' }));
  await client.close();
  // ... and the page still has it in its queue, marked as sent.
  await page.evaluate(([c, b]) => {
    localStorage.setItem(`atelier.q.${c}`, JSON.stringify([{ cid: 'lost-answer', op: 'note.add', sent: true, at: Date.now(),
      fields: { board: b, text: 'Réponse perdue', cid: 'lost-answer' } }]));
  }, [S.code, board.id]);
  await page.reload();
  await page.locator('.conn[data-state=online]').waitFor();
  await once(page, 'Réponse perdue');
  await until(() => page.evaluate((c) => localStorage.getItem(`atelier.q.${c}`) === null, S.code), 'the queue emptied');
  const mine = page.locator('.note', { has: page.locator('.note-text', { hasText: 'Réponse perdue' }) });
  assert.equal(await mine.locator('button[data-act=edit]').count(), 1, 'shown as hers');
  clean(rec);
  await context.close();
});

test('a reload resumes from the last seq (no new identity) and shows what happened meanwhile', { timeout: 90000 }, async () => {
  const { context, page, rec } = await joined();
  const before = await page.evaluate((c) => JSON.parse(localStorage.getItem(`atelier.p.${c}`)), S.code);
  await page.goto('about:blank');
  const other = await participant(srv.port, S.code, 'Awa');
  ok(await other.request('note.add', { board: board.id, text: 'Pendant que la page était fermée' }));
  const participants = (ok(await S.fac.request('session.join', { code: S.code }))).session.participants;

  // watch the hello the page sends
  const hellos = [];
  page.on('websocket', (ws) => ws.on('framesent', (f) => { if (/"op":"hello"/.test(f.payload)) hellos.push(JSON.parse(f.payload)); }));
  await page.goto(`${srv.url}/j/${S.code}`);
  await page.locator('.conn[data-state=online]').waitFor();
  await realNotes(page, 'Pendant que la page était fermée').waitFor();
  assert.equal(hellos.length, 1);
  assert.equal(hellos[0].resume, before.resume);
  assert.ok(hellos[0].since >= before.state.seq && hellos[0].since > 0, `resumed with since (${hellos[0].since})`);
  assert.equal((ok(await S.fac.request('session.join', { code: S.code }))).session.participants, participants, 'no new participant');
  await other.close();
  clean(rec);
  await context.close();
});
