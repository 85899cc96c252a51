// Issue 4 through the real server: cluster.suggest (free and guided),
// cluster.apply and the edits after it, what participants see, persistence
// and the export by group.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import {
  test, startServer, stopAll, facilitator, participant,
  ok, isError, makeSessionAndBoard, TOKEN,
} from './harness.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await stopAll(); });

const THEMES = {
  velo: ['Plus de pistes pour les vélos', 'Des parkings à vélos sécurisés', 'Des pistes cyclables pour les vélos',
    'Location de vélos pas chère', 'Des arceaux pour garer les vélos'],
  dechets: ['Plus de poubelles pour les déchets', 'Ramassage des déchets le samedi', 'Trier les déchets dans les parcs',
    'Réduire les déchets plastiques', 'Composter les déchets verts'],
  arbres: ['Planter des arbres dans la rue', 'Plus d\'arbres dans les cours d\'école', 'Des arbres fruitiers partagés',
    'L\'ombre des arbres en été', 'Protéger les vieux arbres'],
};

async function wall() {
  const fac = await facilitator(srv.port);
  const { code, board } = await makeSessionAndBoard(fac, { title: 'Quartier' });
  const p = await participant(srv.port, code, 'Awa');
  const ids = {};
  for (const [theme, texts] of Object.entries(THEMES)) {
    ids[theme] = [];
    for (const t of texts) ids[theme].push(ok(await p.request('note.add', { board: board.id, text: t })).note.id);
  }
  return { fac, p, code, board, ids };
}

function themeOf(ids, id) {
  return Object.keys(ids).find((t) => ids[t].includes(id));
}

function get(port, path) {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path, headers: { Authorization: `Bearer ${TOKEN}` } }, (res) => {
      let body = '';
      res.on('data', (c) => { body += c; });
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

test('cluster.suggest finds three obvious themes, each note once, with readable labels; deterministic', async () => {
  const { fac, board, ids } = await wall();
  const r = ok(await fac.request('cluster.suggest', { board: board.id }));
  assert.equal(r.k, 3, 'the engine chose 3 themes');
  assert.equal(r.clusters.length, 3);
  const all = r.clusters.flatMap((c) => c.notes);
  assert.equal(all.length, 15);
  assert.equal(new Set(all).size, 15, 'every note in exactly one group');
  for (const c of r.clusters) {
    const themes = new Set(c.notes.map((id) => themeOf(ids, id)));
    assert.equal(themes.size, 1, `group "${c.label}" is one theme`);
    assert.ok(c.label.length > 0 && c.label.length <= 80);
  }
  const labels = r.clusters.map((c) => c.label).join(' | ').toLowerCase();
  assert.match(labels, /vélo|cyclable/);
  assert.match(labels, /déchet|poubelle|tri/);
  assert.match(labels, /arbre/);
  const again = ok(await fac.request('cluster.suggest', { board: board.id }));
  assert.deepEqual(again.clusters, r.clusters, 'same notes, same answer');
  const two = ok(await fac.request('cluster.suggest', { board: board.id, k: 2 }));
  assert.equal(two.clusters.length, 2);
  // a suggestion changes nothing
  assert.deepEqual(ok(await fac.request('board.get', { board: board.id })).board.clusters, []);
});

test('guided mode: named themes with examples or keywords take the other notes; off-topic notes fit none', async () => {
  const { fac, p, board, ids } = await wall();
  const off = ok(await p.request('note.add', { board: board.id, text: 'Wifi gratuit à la médiathèque' })).note.id;
  const r = ok(await fac.request('cluster.suggest', {
    board: board.id,
    themes: [
      { name: 'Mobilité douce', notes: [ids.velo[0]] },
      { name: 'Propreté', keywords: 'déchets poubelles tri' },
      { name: 'Nature en ville', notes: [ids.arbres[0], ids.arbres[1]] },
    ],
    min_sim: 0.05,
  }));
  assert.deepEqual(r.clusters.map((c) => c.label), ['Mobilité douce', 'Propreté', 'Nature en ville']);
  const expect = { 'Mobilité douce': 'velo', 'Propreté': 'dechets', 'Nature en ville': 'arbres' };
  let right = 0;
  for (const c of r.clusters) for (const id of c.notes) if (themeOf(ids, id) === expect[c.label]) right++;
  assert.ok(right >= 13, `most notes in the right theme (${right}/15)`);
  assert.ok(r.none.includes(off), 'the off-topic note fits none');
  isError(await fac.request('cluster.suggest', { board: board.id, themes: [{ name: 'x' }] }), 'bad_request');
  isError(await fac.request('cluster.suggest', { board: board.id, themes: [{ name: 'x', notes: [999999] }] }), 'bad_request');
  isError(await p.request('cluster.suggest', { board: board.id }), 'forbidden');
});

test('cluster.apply, then rename, move, merge, split: everyone sees the groups; they survive a restart and reach the export', { timeout: 60000 }, async () => {
  const local = await startServer();
  const fac = await facilitator(local.port);
  const { code, board } = await makeSessionAndBoard(fac, { title: 'Quartier' });
  const p = await participant(local.port, code, 'Awa');
  const ids = {};
  for (const [theme, texts] of Object.entries(THEMES)) {
    ids[theme] = [];
    for (const t of texts) ids[theme].push(ok(await p.request('note.add', { board: board.id, text: t })).note.id);
  }
  const s = ok(await fac.request('cluster.suggest', { board: board.id }));
  const edited = s.clusters.map((c, i) => ({ label: `Groupe ${i + 1}`, notes: c.notes }));
  const applied = ok(await fac.request('cluster.apply', { board: board.id, clusters: edited })).board;
  assert.equal(applied.clusters.length, 3);
  const ev = await p.waitEvent((e) => e.ev === 'cluster.applied');
  assert.deepEqual(ev.clusters.map((c) => c.label), ['Groupe 1', 'Groupe 2', 'Groupe 3']);
  let seen = ok(await p.request('board.get', { board: board.id })).board;
  assert.ok(seen.notes.every((n) => /^Groupe [123]$/.test(n.cluster)), 'participants see every note\'s group');
  const g = (b, label) => b.clusters.find((c) => c.label === label);

  ok(await fac.request('cluster.rename', { board: board.id, cluster: g(applied, 'Groupe 1').id, label: 'Vélo' }));
  await p.waitEvent((e) => e.ev === 'cluster.renamed' && e.label === 'Vélo');
  isError(await fac.request('cluster.rename', { board: board.id, cluster: g(applied, 'Groupe 2').id, label: 'Vélo' }),
    'bad_request', 'labels are distinct');
  const moving = g(applied, 'Groupe 2').notes[0];
  const mv = ok(await fac.request('cluster.move', { board: board.id, note: moving, cluster: g(applied, 'Groupe 3').id }));
  assert.equal(mv.note.cluster, 'Groupe 3');
  ok(await fac.request('cluster.move', { board: board.id, note: moving, cluster: null }));
  seen = ok(await p.request('board.get', { board: board.id })).board;
  assert.equal(seen.notes.find((n) => n.id === moving).cluster, null);
  const merged = ok(await fac.request('cluster.merge', { board: board.id, from: g(applied, 'Groupe 2').id,
    into: g(applied, 'Groupe 3').id })).board;
  assert.equal(merged.clusters.length, 2);
  const g3 = g(merged, 'Groupe 3');
  const sp = ok(await fac.request('cluster.split', { board: board.id, cluster: g3.id, notes: g3.notes.slice(0, 2),
    label: 'Nouveau' })).board;
  assert.deepEqual(g(sp, 'Nouveau').notes, g3.notes.slice(0, 2));
  isError(await fac.request('cluster.split', { board: board.id, cluster: g3.id, notes: [ids.velo[0]], label: 'X' }),
    'bad_request', 'only notes of the group leave it');
  isError(await fac.request('cluster.merge', { board: board.id, from: 424242, into: g3.id }), 'not_found');
  isError(await p.request('cluster.apply', { board: board.id, clusters: [] }), 'forbidden');
  isError(await fac.request('cluster.apply', { board: board.id, clusters: [{ label: 'A', notes: [ids.velo[0]] },
    { label: 'B', notes: [ids.velo[0]] }] }), 'bad_request', 'a note in two groups');
  // votes still work per note
  ok(await p.request('note.vote', { board: board.id, note: ids.velo[1] }));
  const before = ok(await fac.request('board.get', { board: board.id })).board;

  const md = await get(local.port, `/api/sessions/${code}/export.md`);
  assert.match(md, /#### Groupe : Vélo/);
  assert.match(md, /#### Groupe : Nouveau/);
  await local.stop();
  const again = await startServer({ db: local.db });
  const f2 = await facilitator(again.port);
  assert.deepEqual(ok(await f2.request('board.get', { board: board.id })).board, before, 'groups survive a restart');
  await again.stop();
});
