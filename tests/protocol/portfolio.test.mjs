// Issue 7: a session's life after the workshop (update, close, archive,
// search), portfolios, exports over HTTP and from the command line, import,
// and the retention rule that deletes participants' names.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import {
  test, startServer, stopAll, facilitator, participant,
  ok, isError, makeSessionAndBoard, TOKEN,
} from './harness.mjs';

const BIN = process.env.ATELIER_BIN;
const DAY = 24 * 3600 * 1000;
let srv;
let tmp;
before(async () => {
  srv = await startServer();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'atelier-export-'));
});
after(async () => {
  await stopAll();
  fs.rmSync(tmp, { recursive: true, force: true });
});

function get(port, urlPath, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, headers, timeout: 5000 }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${urlPath}: timeout`)));
    req.on('error', reject);
  });
}

const bearer = { Authorization: `Bearer ${TOKEN}` };

function cli(args) {
  return execFileSync(BIN, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Count the occurrences of needle in hay. */
function count(hay, needle) {
  let n = 0;
  for (let i = hay.indexOf(needle); i >= 0; i = hay.indexOf(needle, i + 1)) n++;
  return n;
}

/** A workshop with notes, votes, a hidden note and hostile text. */
async function workshop(port, title = 'Déchets dans la nature') {
  const fac = await facilitator(port);
  const { code, board } = await makeSessionAndBoard(fac, { title, boardTitle: 'Idées "vraies"' });
  const a = await participant(port, code, 'Awa Diallo');
  const b = await participant(port, code, 'Bruno');
  const texts = ['Plus de poubelles de tri', '<script>alert("x")</script> & "quotes"',
    'Composteurs dans chaque quartier', '=HYPERLINK("http://evil")', 'Ramassage citoyen le samedi'];
  const notes = [];
  for (const [i, t] of texts.entries()) {
    notes.push(ok(await (i % 2 ? b : a).request('note.add', { board: board.id, text: t, color: 'blue' })).note);
  }
  ok(await a.request('note.vote', { board: board.id, note: notes[2].id }));
  ok(await a.request('note.vote', { board: board.id, note: notes[2].id }));
  ok(await b.request('note.vote', { board: board.id, note: notes[2].id }));
  ok(await b.request('note.vote', { board: board.id, note: notes[4].id }));
  const hidden = ok(await a.request('note.add', { board: board.id, text: 'Texte insultant masqué' })).note;
  ok(await fac.request('note.hide', { board: board.id, note: hidden.id }));
  return { fac, a, b, code, board, notes, texts, hidden };
}

test('session.update, close, reopen, archive, search; closed sessions take no input', async () => {
  const { fac, a, code, board } = await workshop(srv.port, 'Mobilité douce 2026');
  const u = ok(await fac.request('session.update', { session: code, lang: 'en', description: 'Pistes cyclables',
    retrospective: 'Le vote a bien marché.', retention_days: 30 })).session;
  assert.equal(u.lang, 'en');
  assert.equal(u.description, 'Pistes cyclables');
  assert.equal(u.retention_days, 30);
  await a.waitEvent((e) => e.ev === 'session.updated' && e.lang === 'en');
  isError(await fac.request('session.update', { session: code }), 'bad_request');
  isError(await fac.request('session.update', { session: code, lang: 'de' }), 'bad_request');
  isError(await fac.request('session.update', { session: code, retention_days: 0 }), 'bad_request');
  isError(await a.request('session.update', { session: code, title: 'x' }), 'forbidden');

  const c = ok(await fac.request('session.close', { session: code })).session;
  assert.equal(typeof c.closed, 'number');
  await a.waitEvent((e) => e.ev === 'session.closed');
  isError(await a.request('note.add', { board: board.id, text: 'trop tard' }), 'closed');
  isError(await fac.request('note.add', { board: board.id, text: 'trop tard' }), 'closed');
  isError(await fac.request('board.create', { session: code, kind: 'wall', title: 'x' }), 'closed');
  ok(await fac.request('session.update', { session: code, retrospective: 'Après coup.' }));
  ok(await fac.request('session.reopen', { session: code }));
  ok(await a.request('note.add', { board: board.id, text: 'de nouveau ouvert' }));

  const ar = ok(await fac.request('session.archive', { session: code })).session;
  assert.equal(typeof ar.archived, 'number');
  assert.equal(typeof ar.closed, 'number', 'archiving closes');
  isError(await fac.request('session.reopen', { session: code }), 'bad_request');
  const active = ok(await fac.request('session.list', {})).sessions;
  assert.ok(!active.some((s) => s.code === code), 'archived sessions leave the default list');
  const archived = ok(await fac.request('session.list', { archived: true })).sessions;
  assert.ok(archived.some((s) => s.code === code));
  const all = ok(await fac.request('session.list', { archived: 'all' })).sessions;
  assert.ok(all.some((s) => s.code === code));
  // search ignores case and accents, and looks into notes
  for (const q of ['MOBILITE', 'cyclables', 'composteurs dans', code.toLowerCase()]) {
    const found = ok(await fac.request('session.list', { archived: 'all', query: q })).sessions;
    assert.ok(found.some((s) => s.code === code), `query ${q}`);
  }
  const none = ok(await fac.request('session.list', { archived: 'all', query: 'zzz-nothing' })).sessions;
  assert.equal(none.length, 0);
  ok(await fac.request('session.unarchive', { session: code }));
  assert.ok(ok(await fac.request('session.list', {})).sessions.some((s) => s.code === code));
});

test('portfolios: create, add, list, get, update, remove; errors and roles', async () => {
  const { fac, a, code } = await workshop(srv.port, 'Portfolio A');
  const other = ok(await fac.request('session.create', { title: 'Portfolio B' })).session;
  const p = ok(await fac.request('portfolio.create', { title: 'Déchets dans la nature, 2026', description: 'Projet du lab' })).portfolio;
  assert.equal(p.title, 'Déchets dans la nature, 2026');
  assert.deepEqual(p.sessions, []);
  ok(await fac.request('portfolio.add', { portfolio: p.id, session: code }));
  const p2 = ok(await fac.request('portfolio.add', { portfolio: p.id, session: other.code })).portfolio;
  assert.deepEqual(p2.sessions.map((s) => s.code), [code, other.code]);
  assert.equal(p2.sessions[0].title, 'Portfolio A');
  ok(await fac.request('portfolio.add', { portfolio: p.id, session: code }), 'adding twice is harmless');
  const list = ok(await fac.request('portfolio.list', {})).portfolios;
  assert.deepEqual(list.find((x) => x.id === p.id).sessions, [code, other.code]);
  ok(await fac.request('portfolio.update', { portfolio: p.id, title: 'Déchets 2026' }));
  const rm = ok(await fac.request('portfolio.remove', { portfolio: p.id, session: other.code })).portfolio;
  assert.deepEqual(rm.sessions.map((s) => s.code), [code]);
  const g = ok(await fac.request('portfolio.get', { portfolio: p.id })).portfolio;
  assert.equal(g.title, 'Déchets 2026');
  assert.equal(g.description, 'Projet du lab');
  isError(await fac.request('portfolio.get', { portfolio: 999999 }), 'not_found');
  isError(await fac.request('portfolio.add', { portfolio: p.id, session: 'ZZZZZZ' }), 'not_found');
  isError(await fac.request('portfolio.create', {}), 'bad_request');
  isError(await a.request('portfolio.list', {}), 'forbidden');
});

test('HTTP export: 401 without the token; every format holds every note once, escaped, with the right counts', async () => {
  const { code, texts, hidden } = await workshop(srv.port);
  for (const ext of ['html', 'md', 'csv', 'json']) {
    const no = await get(srv.port, `/api/sessions/${code}/export.${ext}`);
    assert.equal(no.status, 401, `${ext} without token`);
    const wrong = await get(srv.port, `/api/sessions/${code}/export.${ext}`, { Authorization: 'Bearer nope' });
    assert.equal(wrong.status, 401, `${ext} with a wrong token`);
  }
  assert.equal((await get(srv.port, '/api/sessions/ZZZZZZ/export.json', bearer)).status, 404);
  assert.equal((await get(srv.port, `/api/sessions/${code}/export.pdf`, bearer)).status, 404);

  const json = await get(srv.port, `/api/sessions/${code}/export.json`, bearer);
  assert.equal(json.status, 200);
  assert.match(json.headers['content-disposition'], new RegExp(`attachment; filename="atelier-${code}.json"`));
  const doc = JSON.parse(json.body);
  assert.equal(doc.format, 'atelier-export');
  assert.equal(doc.version, 1);
  const s = doc.sessions[0];
  assert.equal(s.code, code);
  assert.equal(s.stats.notes, 5);
  assert.equal(s.stats.votes, 4);
  assert.equal(s.stats.participants, 2);
  assert.equal(s.boards[0].notes.length, 6, 'the JSON keeps hidden notes, flagged');
  assert.equal(s.boards[0].notes.find((n) => n.id === hidden.id).hidden, true);
  assert.deepEqual(s.participant_list.map((p) => p.name), ['Awa Diallo', 'Bruno']);
  assert.ok(s.events.length >= 15 && s.events[0].ev === 'session.created');
  assert.ok(s.events.every((e, i) => e.seq === i + 1), 'the whole log, in order');
  assert.ok(!json.body.includes('"resume"'), 'no resume secret in an export');

  const html = (await get(srv.port, `/api/sessions/${code}/export.html`, bearer)).body;
  const md = (await get(srv.port, `/api/sessions/${code}/export.md`, bearer)).body;
  const csv = (await get(srv.port, `/api/sessions/${code}/export.csv`, bearer)).body;
  // every visible note exactly once (charts show short labels inside <text>)
  assert.equal(count(html, '<li class="blue">Plus de poubelles de tri<span'), 1);
  assert.equal(count(html, '<li class="blue">Composteurs dans chaque quartier<span'), 1);
  assert.ok(!html.includes('<script>alert'), 'script escaped in HTML');
  assert.equal(count(html, '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;quotes&quot;<span'), 1);
  assert.ok(!html.includes('Texte insultant'), 'a hidden note is not published');
  assert.ok(!html.includes('Awa Diallo') && !md.includes('Awa Diallo'), 'reports name nobody');
  assert.ok(html.includes('<span class="votes">3 votes</span>'), 'vote counts');
  assert.ok(!/(src|href)="(https?:)?\/\//.test(html), 'no external resource');
  for (const t of ['Plus de poubelles de tri', 'Composteurs dans chaque quartier', 'Ramassage citoyen le samedi']) {
    assert.equal(count(md, t), 1, `md: ${t}`);
  }
  assert.ok(md.includes('\\<script\\>'), 'markup escaped in Markdown');
  assert.ok(md.includes('Composteurs dans chaque quartier — 3 votes'));
  const rows = csv.trim().split('\r\n');
  assert.equal(rows.length, 1 + 6, 'one row per note (header + 6)');
  assert.ok(rows[0].startsWith('session,session_title,board'));
  assert.ok(csv.includes(`"'=HYPERLINK(""http://evil"")"`), 'formula defused, quotes doubled');
  assert.ok(csv.includes('"Texte insultant masqué"') && csv.includes(',yes,'), 'hidden notes flagged in CSV');
  for (const t of texts.filter((x) => !x.startsWith('='))) {
    assert.equal(count(csv, `"${t.replaceAll('"', '""')}"`), 1, `csv: ${t}`);
  }
});

test('CLI export equals the HTTP export; JSON export -> import -> export is identical; importing twice adds nothing', { timeout: 90000 }, async () => {
  const local = await startServer();
  const { fac, code } = await workshop(local.port);
  const p = ok(await fac.request('portfolio.create', { title: 'Lab 2026' })).portfolio;
  ok(await fac.request('portfolio.add', { portfolio: p.id, session: code }));
  ok(await fac.request('session.close', { session: code }));
  const viaHttp = (await get(local.port, `/api/sessions/${code}/export.json`, bearer)).body;
  const viaHttpPf = (await get(local.port, `/api/portfolios/${p.id}/export.json`, bearer)).body;
  await local.stop();

  const first = path.join(tmp, 'first.json');
  cli(['export', '--db', local.db, '--session', code, '--format', 'json', '-o', first]);
  assert.equal(fs.readFileSync(first, 'utf8'), viaHttp, 'the CLI and HTTP give the same bytes');
  const pf = cli(['export', '--db', local.db, '--portfolio', String(p.id), '--format', 'json']);
  assert.equal(pf, viaHttpPf);
  assert.equal(JSON.parse(pf).portfolio.title, 'Lab 2026');
  for (const f of ['html', 'md', 'csv']) {
    const out = cli(['export', '--db', local.db, '--session', code, '--format', f]);
    assert.ok(out.includes('Composteurs dans chaque quartier'), `CLI ${f}`);
  }

  const db2 = path.join(tmp, 'other.db');
  const r1 = JSON.parse(cli(['import', '--db', db2, first]));
  assert.deepEqual(r1.imported, [code]);
  const r2 = JSON.parse(cli(['import', '--db', db2, first]));
  assert.deepEqual(r2.imported, []);
  assert.deepEqual(r2.skipped, [code]);
  const second = cli(['export', '--db', db2, '--session', code, '--format', 'json']);
  assert.equal(second, fs.readFileSync(first, 'utf8'), 'round trip to identical output');

  // The imported session is live: a server on that database serves it.
  const srv2 = await startServer({ db: db2 });
  const f2 = await facilitator(srv2.port);
  const j = ok(await f2.request('session.join', { code })).session;
  assert.equal(j.boards[0].notes.length, 6);
  assert.equal(j.boards[0].notes.find((n) => n.text === 'Composteurs dans chaque quartier').votes, 3);
  // importing into a running server's database is refused
  assert.throws(() => cli(['import', '--db', db2, first]), /in use by a running atelierd/);
  await srv2.stop();

  // Importing into a database whose ids are taken renumbers them.
  const busy = await startServer();
  const fb = await facilitator(busy.port);
  await makeSessionAndBoard(fb, { title: 'Already here' });
  for (let i = 0; i < 10; i++) ok(await fb.request('session.create', { title: `filler ${i}` }));
  await busy.stop();
  const pfFile = path.join(tmp, 'portfolio.json');
  fs.writeFileSync(pfFile, pf);
  const r3 = JSON.parse(cli(['import', '--db', busy.db, pfFile]));
  assert.deepEqual(r3.imported, [code]);
  const srv3 = await startServer({ db: busy.db });
  const f3 = await facilitator(srv3.port);
  const j3 = ok(await f3.request('session.join', { code })).session;
  assert.deepEqual(j3.boards[0].notes.map((n) => [n.text, n.votes, n.hidden]),
    j.boards[0].notes.map((n) => [n.text, n.votes, n.hidden]), 'same content after renumbering');
  const pfs = ok(await f3.request('portfolio.list', {})).portfolios;
  assert.ok(pfs.some((x) => x.title === 'Lab 2026' && x.sessions.includes(code)), 'portfolio imported');
  await srv3.stop();
});

test('retention: names deleted N days after closing, contributions kept, also in the stored log', { timeout: 90000 }, async () => {
  const local = await startServer();
  const { fac, code, board } = await workshop(local.port);
  ok(await fac.request('session.update', { session: code, retention_days: 1 }));
  ok(await fac.request('session.close', { session: code }));
  await local.stop();
  assert.ok(fs.readFileSync(local.db).includes(Buffer.from('Awa Diallo')) ||
    fs.existsSync(`${local.db}-wal`), 'the name is stored before');

  // One day and a bit later (the server's clock moved by the test aid)
  const later = await startServer({ db: local.db, env: { ATELIER_CLOCK_OFFSET_MS: String(DAY + 60000) } });
  const f = await facilitator(later.port);
  const j = ok(await f.request('session.join', { code, since: 0 })).session;
  assert.equal(typeof j.anonymized, 'number', 'anonymized at start-up');
  const notes = j.boards.find((b) => b.id === board.id).notes;
  assert.equal(notes.length, 6, 'contributions kept');
  assert.ok(notes.every((n) => n.author_name === null), 'no author name left');
  const evs = await f.waitEvent((e) => e.ev === 'session.anonymized');
  assert.ok(evs);
  assert.ok(!f.events.some((e) => JSON.stringify(e).includes('Awa Diallo')), 'history replayed without names');
  const exp = (await get(later.port, `/api/sessions/${code}/export.json`, bearer)).body;
  assert.ok(!exp.includes('Awa Diallo') && !exp.includes('Bruno'), 'export without names');
  await later.stop();
  const dump = execFileSync('sqlite3', [local.db, 'SELECT body FROM events'], { encoding: 'utf8' });
  assert.ok(dump.includes('Composteurs dans chaque quartier'));
  assert.ok(!dump.includes('Awa Diallo') && !dump.includes('Bruno'), 'names gone from the stored events');
});

test('exports include the clusters of a wall and the word cloud, in every format', async () => {
  const fac = await facilitator(srv.port);
  const s = ok(await fac.request('session.create', { title: 'Groupes et nuage' })).session;
  const wall = ok(await fac.request('board.create', { session: s.code, kind: 'wall', title: 'Idées' })).board;
  const cloud = ok(await fac.request('board.create', { session: s.code, kind: 'cloud', title: 'Un mot' })).board;
  const p = await participant(srv.port, s.code, 'P');
  const ids = [];
  for (const t of ['Des vélos partout', 'Pistes pour vélos', 'Moins de déchets', 'Trier les déchets']) {
    ids.push(ok(await p.request('note.add', { board: wall.id, text: t })).note.id);
  }
  ok(await fac.request('cluster.apply', { board: wall.id, clusters: [
    { label: 'Mobilité <douce>', notes: [ids[0], ids[1]] }, { label: 'Propreté', notes: [ids[2], ids[3]] }] }));
  for (const w of ['Déchets', 'les déchets', 'vélo']) ok(await p.request('word.add', { board: cloud.id, text: w }));
  const url = (ext) => `/api/sessions/${s.code}/export.${ext}`;
  const doc = JSON.parse((await get(srv.port, url('json'), bearer)).body);
  const bw = doc.sessions[0].boards.find((b) => b.id === wall.id);
  assert.deepEqual(bw.clusters.map((c) => [c.label, c.notes]), [['Mobilité <douce>', [ids[0], ids[1]]], ['Propreté', [ids[2], ids[3]]]]);
  assert.equal(bw.notes.find((n) => n.id === ids[0]).cluster, 'Mobilité <douce>');
  const bc = doc.sessions[0].boards.find((b) => b.id === cloud.id);
  assert.deepEqual(bc.words.map((w) => [w.text, w.count]), [['Déchets', 2], ['vélo', 1]]);
  const html = (await get(srv.port, url('html'), bearer)).body;
  assert.equal(count(html, '<h4>Groupe : Mobilité &lt;douce&gt;</h4>'), 1);
  assert.equal(count(html, '<h4>Groupe : Propreté</h4>'), 1);
  assert.match(html, /<svg viewBox="0 0 800 400" role="img"[^>]*>.*Déchets.*<\/svg>/s, 'the cloud as inline SVG');
  assert.ok(html.includes('<li>Déchets (2)</li>'));
  const md = (await get(srv.port, url('md'), bearer)).body;
  assert.ok(md.includes('#### Groupe : Mobilité \\<douce\\>'));
  assert.ok(md.includes('- Déchets (2)'));
  const csv = (await get(srv.port, url('csv'), bearer)).body;
  assert.ok(csv.includes(',"Mobilité <douce>",'), 'cluster column');
  assert.ok(/,word,"dechet","Déchets",,,,2,no,,/.test(csv), 'one row per word with its count');
});
