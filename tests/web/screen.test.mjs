// The projector at /s/CODE: a viewer that is not counted, the live wall
// filling the screen, the join QR code (SVG in the page, PNG) decoding to
// exactly the session's join_url.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  launch, open, clean, startServer, stopAll, makeSession, participant, axe, shot, zbar, ok, httpGet,
} from './lib.mjs';

const PROJECTOR = { viewport: { width: 1920, height: 1080 }, isMobile: false, hasTouch: false, deviceScaleFactor: 1 };
let srv; let browser; let S; let board; let tmp;

before(async () => {
  srv = await startServer();
  S = await makeSession(srv.port, {
    title: 'Le parc de demain',
    boards: [{ kind: 'wall', title: 'Vos idées pour le parc', prompt: 'Qu’aimeriez-vous trouver dans le parc ?' }],
  });
  board = S.boards[0];
  browser = await launch();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'atelier-web-'));
});

after(async () => {
  if (browser) await browser.close();
  await stopAll();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

test('the projector follows the wall live, shows the QR code and the code, and is not a participant', { timeout: 90000 }, async () => {
  const p = await participant(srv.port, S.code, 'Awa');
  ok(await p.request('note.add', { board: board.id, text: 'Des jeux pour les enfants', color: 'yellow' }));
  const before = ok(await S.fac.request('session.join', { code: S.code })).session.participants;

  const { context, page, rec } = await open(browser, PROJECTOR);
  const hellos = [];
  page.on('websocket', (ws) => ws.on('framesent', (f) => { if (/"op":"hello"/.test(f.payload)) hellos.push(JSON.parse(f.payload)); }));
  const res = await page.goto(`${srv.url}/s/${S.code.toLowerCase()}`);
  assert.equal(res.status(), 200);
  await page.locator('#board-title', { hasText: 'Vos idées pour le parc' }).waitFor();
  await page.locator('.note-text', { hasText: 'Des jeux pour les enfants' }).waitFor();
  assert.equal(hellos[0].role, 'viewer');
  assert.equal(ok(await S.fac.request('session.join', { code: S.code })).session.participants, before, 'the projector is not counted');

  // the code, the address and the QR image
  assert.equal(await page.locator('#code').textContent(), `${S.code.slice(0, 3)} ${S.code.slice(3)}`);
  assert.equal(await page.locator('#host').textContent(), srv.url.replace('http://', ''));
  const qr = page.locator('img#qr');
  await qr.waitFor();
  assert.equal(await qr.getAttribute('src'), `/qr/${S.code}.svg`);
  await page.waitForFunction(() => document.getElementById('qr').complete && document.getElementById('qr').naturalWidth > 0);
  const box = await qr.boundingBox();
  assert.ok(box.width >= 250, `the QR code is large enough to scan from the room (${box.width} px)`);

  // live: notes from phones appear, hidden ones go, votes show
  const others = ['Un kiosque à musique', 'Plus d’ombre en été', 'Un potager partagé', 'Des toilettes publiques', 'Un parcours sportif', 'Des bancs pour lire'];
  const colors = ['pink', 'blue', 'green', 'orange', 'purple', 'yellow'];
  const added = [];
  for (let i = 0; i < others.length; i++) {
    added.push(ok(await p.request('note.add', { board: board.id, text: others[i], color: colors[i] })).note);
    await page.locator('.note-text', { hasText: others[i] }).waitFor();
  }
  ok(await p.request('note.vote', { board: board.id, note: added[2].id }));
  ok(await p.request('note.vote', { board: board.id, note: added[2].id }));
  await page.locator('.note', { hasText: 'Un potager partagé' }).locator('.note-votes', { hasText: '2 votes' }).waitFor();
  ok(await S.fac.request('note.hide', { board: board.id, note: added[4].id }));
  await page.locator('.note-text', { hasText: 'Un parcours sportif' }).waitFor({ state: 'detached' });

  // everything fits on the screen: no scrolling on a projector
  const fits = await page.evaluate(() => {
    const st = document.getElementById('stage');
    return st.scrollHeight <= st.clientHeight + 1 && document.documentElement.scrollWidth <= innerWidth;
  });
  assert.ok(fits, 'the wall fits the screen');
  const fontPx = await page.locator('.wall .note-text').first().evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  assert.ok(fontPx >= 28, `notes are readable from the back of the room (${fontPx}px)`);

  await axe(page, 'projector');
  await shot(page, 'projector');

  // a new board shows up by itself
  ok(await S.fac.request('board.create', { session: S.code, kind: 'wall', title: 'Nos priorités' }));
  await page.locator('#board-title', { hasText: 'Nos priorités' }).waitFor();
  await page.locator('.waiting', { hasText: 'Aucun post-it pour le moment.' }).waitFor();
  // the picker brings the first back
  await page.selectOption('#board-pick', String(board.id));
  await page.locator('.note-text', { hasText: 'Des jeux pour les enfants' }).waitFor();
  await p.close();
  clean(rec);
  await context.close();
});

test('the QR PNG decodes with zbarimg to exactly the join_url', { timeout: 60000 }, async () => {
  const res = await fetch(`${srv.url}/qr/${S.code}.png`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'image/png');
  const file = path.join(tmp, 'qr.png');
  fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  assert.equal(await zbar(file), S.session.join_url);
  assert.equal(S.session.join_url, `${srv.url}/j/${S.code}`);
  const missing = await httpGet(srv.port, `/qr/${S.code === 'ZZZZZZ' ? 'YYYYYY' : 'ZZZZZZ'}.png`);
  assert.equal(missing.status, 404, 'no QR code for an unknown session');
});

test('the QR SVG, drawn by Chromium, decodes to exactly the join_url', { timeout: 60000 }, async () => {
  const { context, page, rec } = await open(browser, { viewport: { width: 600, height: 600 }, isMobile: false, hasTouch: false, deviceScaleFactor: 1 });
  const res = await page.goto(`${srv.url}/qr/${S.code}.svg`);
  assert.equal(res.headers()['content-type'], 'image/svg+xml');
  const file = path.join(tmp, 'qr-svg.png');
  await page.locator('svg').screenshot({ path: file });
  assert.equal(await zbar(file), S.session.join_url);
  clean(rec);
  await context.close();
});

test('the projector with an unknown code says so', { timeout: 60000 }, async () => {
  const { context, page, rec } = await open(browser, PROJECTOR);
  await page.goto(`${srv.url}/s/${S.code === 'ZZZZZZ' ? 'YYYYYY' : 'ZZZZZZ'}`);
  await page.locator('[role=alert]', { hasText: "Aucun atelier n'a ce code." }).waitFor();
  assert.ok(await page.locator('#join').isHidden());
  await axe(page, 'projector, unknown code');
  clean(rec);
  await context.close();
});

test('on a server without viewers, the projector joins once as an anonymous participant', { timeout: 60000 }, async () => {
  const { context, page, rec } = await open(browser, PROJECTOR);
  // Play an older server: answer a viewer's hello with bad_request, pass everything else.
  const hellos = [];
  await page.routeWebSocket(/\/ws$/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((m) => {
      const f = JSON.parse(m);
      if (f.op === 'hello') hellos.push(f);
      if (f.op === 'hello' && f.role === 'viewer') {
        ws.send(JSON.stringify({ re: f.rid, ok: false, error: 'bad_request', message: 'unknown role' }));
        return;
      }
      server.send(m);
    });
    server.onMessage((m) => ws.send(m));
  });
  const p = await participant(srv.port, S.code, 'Awa');
  ok(await p.request('note.add', { board: board.id, text: 'Vu par un vieux serveur' }));
  await p.close();
  const before = ok(await S.fac.request('session.join', { code: S.code })).session.participants;
  const showBoard = async () => {
    await page.locator('.conn[data-state=online]').waitFor();
    await page.locator('#board-title').filter({ hasText: /./ }).waitFor();
    if (await page.locator('#board-pick').isVisible()) await page.selectOption('#board-pick', String(board.id));
    await page.locator('.note-text', { hasText: 'Vu par un vieux serveur' }).waitFor();
  };
  await page.goto(`${srv.url}/s/${S.code}`);
  await showBoard();
  assert.deepEqual(hellos.map((x) => [x.role, x.name ?? null, !!x.resume]), [['viewer', null, false], ['participant', null, false]]);
  assert.equal(ok(await S.fac.request('session.join', { code: S.code })).session.participants, before + 1);
  await page.reload();
  await showBoard();
  assert.equal(hellos.length, 4);
  assert.equal(hellos[3].role, 'participant');
  assert.ok(hellos[3].resume, 'the reload resumes the same participant');
  assert.equal(ok(await S.fac.request('session.join', { code: S.code })).session.participants, before + 1, 'counted once');
  clean(rec);
  await context.close();
});

test('session.focus: the facilitator puts a board on the projector and brings the phones to it', { timeout: 90000 }, async () => {
  const F = await makeSession(srv.port, {
    title: 'Mobilités',
    boards: [{ kind: 'wall', title: 'Idées de trajets' }, { kind: 'cloud', title: 'En un mot' }, { kind: 'wall', title: 'Priorités' }],
  });
  const [ideas, words] = F.boards;
  ok(await F.fac.request('session.focus', { session: F.code, board: ideas.id }));
  const proj = await open(browser, PROJECTOR);
  await proj.page.goto(`${srv.url}/s/${F.code}`);
  await proj.page.locator('#board-title', { hasText: 'Idées de trajets' }).waitFor();   // the focus, not the newest board
  const phone = await open(browser);
  await phone.page.goto(`${srv.url}/j/${F.code}`);
  await phone.page.locator('button', { hasText: 'Entrer sans prénom' }).click();
  await phone.page.locator('#board-title', { hasText: 'Idées de trajets' }).waitFor();

  // the projector's picker chooses another board; a new focus wins over it
  await proj.page.selectOption('#board-pick', String(F.boards[2].id));
  await proj.page.locator('#board-title', { hasText: 'Priorités' }).waitFor();
  ok(await F.fac.request('session.focus', { session: F.code, board: words.id }));
  await proj.page.locator('#board-title', { hasText: 'En un mot' }).waitFor();
  await phone.page.locator('#board-title', { hasText: 'En un mot' }).waitFor();
  await phone.page.locator('#word-text').waitFor();
  assert.equal(await phone.page.locator(`#tab-${words.id}`).getAttribute('aria-selected'), 'true');
  await phone.page.locator('#announce', { hasText: /L’animateur vous montre\s*:\s*En un mot/ }).waitFor({ state: 'attached' });
  // the participant can still go elsewhere
  await phone.page.click(`#tab-${ideas.id}`);
  await phone.page.locator('#board-title', { hasText: 'Idées de trajets' }).waitFor();
  clean(proj.rec, 'projector');
  clean(phone.rec, 'phone');
  await proj.context.close();
  await phone.context.close();
});
