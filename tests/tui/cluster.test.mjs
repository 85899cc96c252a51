// Clustering, the timer and the session's texts from the console, against
// a real server: a participant posts 9 notes on 3 themes, the console asks
// for groups, renames one and moves a note in the draft, applies them (the
// participant gets cluster.applied and sees the labels in board.get), then
// renames, moves, merges and splits the applied groups from the wall; a
// 5-minute timer counts down on screen and the participant gets
// timer.started / paused / resumed / stopped; description and
// retrospective are saved with session.update.
// Guided clustering: the facilitator types three themes (two with
// keywords, one by its name alone), the server sorts 10 notes into them
// (one fits none), the draft is applied and the board checked.
import { after } from 'node:test';
import assert from 'node:assert/strict';
import {
  test, startServer, stopAll, participant, facilitator, ok, TOKEN,
} from '../protocol/harness.mjs';
import { Console, killAllConsoles, codeOnScreen } from './tmux.mjs';

after(async () => { killAllConsoles(); await stopAll(); });

const THEMES = ['vélos', 'déchets', 'arbres'];
const NOTES = [
  'Plus de pistes pour les vélos', 'Ramasser les déchets du parc', 'Planter des arbres en ville',
  'Des parkings à vélos sécurisés', 'Trier les déchets au marché', 'Protéger les vieux arbres',
  'Louer des vélos électriques', 'Moins de déchets plastiques', "Des arbres fruitiers à l'école",
];
const themeOf = (text) => THEMES.find((t) => text.includes(t));

async function onlineConsole(srv) {
  const c = new Console({
    args: ['--server', `http://127.0.0.1:${srv.port}`],
    env: { ATELIER_TOKEN: TOKEN },
    width: 110,
    height: 36,
  });
  await c.waitFor(/online 127\.0\.0\.1/, { label: 'online on the status line' });
  return c;
}

/** A session and a wall made from the console, a participant in it, these notes on it. */
async function workshop(srv, c, { title = 'Ville durable', notes = NOTES } = {}) {
  c.keys('n');
  await c.waitFor('Title of the new session');
  c.type(title);
  c.keys('Enter');
  const code = await c.waitFor((s) => s.includes('Join code') && codeOnScreen(s), { label: 'the session home' });
  const p = await participant(srv.port, code, 'Awa', { label: 'Awa' });
  await c.waitFor('1 participant joined');
  c.keys('b');
  await c.waitFor('Title of the new wall');
  c.type('Idées');
  c.keys('Enter');
  await c.waitFor('No post-it yet');
  const board = (await p.waitEvent((e) => e.ev === 'board.created')).board;
  const ids = {};
  for (const text of notes) ids[text] = ok(await p.request('note.add', { board: board.id, text })).note.id;
  await c.waitFor(`${notes.length} post-its`);
  return { code, p, board, ids };
}

test('clustering from the console: suggest, edit, apply, then rename, move, merge, split', { timeout: 120000 }, async () => {
  const srv = await startServer();
  const c = await onlineConsole(srv);
  try {
    const { p, board, ids } = await workshop(srv, c);

    // K: the clustering screen asks for suggestions at once
    c.keys('K');
    await c.waitFor((s) => s.includes('Groups for "Idées"') && THEMES.every((t) => s.includes(`${t} (3 post-its)`)) &&
      s.includes('(no group) (0 post-its)'), { label: 'three suggested groups of 3' });
    // the post-its of each group are listed under it
    const scr = c.capture();
    for (const text of NOTES) assert.ok(scr.includes(text), `${text} listed in the draft\n${scr}`);

    // rename the first group (selected) in the draft
    c.keys('e');
    await c.waitFor('New name of the group');
    c.keys('C-u');
    c.type('Vélos en ville');
    c.keys('Enter');
    await c.waitFor('Vélos en ville (3 post-its)');
    // move its first post-it to the next group, and back
    c.keys('j', '>');
    await c.waitFor((s) => s.includes('Vélos en ville (2 post-its)') && /déchets \(4 post-its\)/.test(s),
      { label: 'a post-it moved to the next group' });
    c.keys('<');
    await c.waitFor((s) => s.includes('Vélos en ville (3 post-its)') && /déchets \(3 post-its\)/.test(s),
      { label: 'the post-it moved back' });
    // nothing was sent to participants while editing the draft
    assert.equal(p.events.filter((e) => e.ev.startsWith('cluster.')).length, 0, 'no cluster event before apply');

    // apply: the participant receives the groups
    c.keys('a');
    const applied = await p.waitEvent((e) => e.ev === 'cluster.applied', 5000);
    assert.equal(applied.board, board.id);
    assert.deepEqual(applied.clusters.map((g) => g.label), ['Vélos en ville', 'déchets', 'arbres']);
    for (const g of applied.clusters) {
      assert.equal(g.notes.length, 3, `3 notes in ${g.label}`);
      const want = g.label === 'Vélos en ville' ? 'vélos' : g.label;
      for (const id of g.notes) {
        const text = NOTES.find((t) => ids[t] === id);
        assert.equal(themeOf(text), want, `${text} in ${g.label}`);
      }
    }
    await c.waitFor((s) => s.includes('Groups applied') && /Wall\s*$/m.test(s) && s.includes('by group'),
      { label: 'back on the wall, by group' });
    // the participant sees each note's group label in board.get
    const got = ok(await p.request('board.get', { board: board.id })).board;
    assert.equal(got.clusters.length, 3);
    for (const n of got.notes) {
      const want = themeOf(n.text) === 'vélos' ? 'Vélos en ville' : themeOf(n.text);
      assert.equal(n.cluster, want, `label of ${n.text}`);
    }
    const gid = Object.fromEntries(applied.clusters.map((g) => [g.label, g.id]));

    // rename the group of the first post-it (by group: a vélos one)
    c.keys('g', 'R');
    await c.waitFor('New name of the group');
    c.keys('C-u');
    c.type('Mobilité');
    c.keys('Enter');
    const renamed = await p.waitEvent((e) => e.ev === 'cluster.renamed', 5000);
    assert.equal(renamed.cluster, gid['Vélos en ville']);
    assert.equal(renamed.label, 'Mobilité');
    await c.waitFor('Mobilité');
    await c.waitGone('Vélos en ville');

    // move the selected post-it to the next group
    const before = ok(await p.request('board.get', { board: board.id })).board;
    // by group, then in creation order (ids grow): the group's smallest id
    const first = Math.min(...before.clusters.find((g) => g.id === gid['Vélos en ville']).notes);
    c.keys('>');
    const moved = await p.waitEvent((e) => e.ev === 'cluster.moved', 5000);
    assert.equal(moved.note, first);
    assert.equal(moved.cluster, gid['déchets']);
    await c.waitFor('Post-it moved to déchets');

    // merge: m on the last post-it (arbres), m on the first (Mobilité)
    c.keys('G', 'm');
    await c.waitFor('Merge the group "arbres" into');
    c.keys('g', 'm');
    const merged = await p.waitEvent((e) => e.ev === 'cluster.merged', 5000);
    assert.equal(merged.from, gid.arbres);
    assert.equal(merged.into, gid['Vélos en ville']);
    await c.waitFor('Groups merged');

    // split: the first post-it leaves its group for a new one
    c.keys('g');
    const sel = Math.min(...ok(await p.request('board.get', { board: board.id })).board.clusters[0].notes);
    c.keys('/');
    await c.waitFor('leaves its group for a new one named');
    c.type('Nature');
    c.keys('Enter');
    const split = await p.waitEvent((e) => e.ev === 'cluster.split', 5000);
    assert.equal(split.cluster, gid['Vélos en ville']);
    assert.equal(split.new.label, 'Nature');
    assert.deepEqual(split.new.notes, [sel]);
    await c.waitFor('New group made');
    const final = ok(await p.request('board.get', { board: board.id })).board;
    assert.deepEqual(final.clusters.map((g) => g.label), ['Mobilité', 'déchets', 'Nature']);

    // v: all together again
    c.keys('v');
    await c.waitFor('all together');
    await c.waitFor('in groups');

    // the help lists the new keys of the wall and of the clustering screen
    c.keys('?');
    await c.waitFor((s) => s.includes('Keys: Wall') && s.includes('clustering (suggest, edit, apply)') &&
      s.includes('> < move the post-it, merge, split') && s.includes('timer for everyone: start') &&
      s.includes('back to the session') && s.includes('redraw the screen'), { label: 'the wall help' });
    c.keys('Escape');
    await c.waitGone('Keys: Wall');
    c.keys('K');
    await c.waitFor('Groups for "Idées"');
    c.keys('?');
    await c.waitFor((s) => s.includes('Keys: Clustering') && s.includes('apply these groups') &&
      s.includes('rename the selected group'), { label: 'the clustering help' });
    c.keys('Escape');
    await c.waitGone('Keys: Clustering');
    c.keys('q');
    await c.waitFor(/Wall\s*$/m, { label: 'back to the wall' });
    // quit cleanly (under ASan, a leak would make the exit status non-zero)
    assert.equal(await c.quit(), 0, `exit status\n${c.describe()}`);
  } finally {
    c.kill();
  }
});

test('timer and session texts from the console', { timeout: 90000 }, async () => {
  const srv = await startServer();
  const c = await onlineConsole(srv);
  try {
    const { p } = await workshop(srv, c);

    // a 5-minute timer from the wall
    c.keys('t');
    await c.waitFor('Timer: how many minutes?');
    c.type('5');
    c.keys('Enter');
    await c.waitFor('What is it for?');
    c.type('Écrire');
    c.keys('Enter');
    const started = await p.waitEvent((e) => e.ev === 'timer.started', 5000);
    const now = Date.now();
    assert.equal(started.seconds, 300);
    assert.equal(started.label, 'Écrire');
    assert.ok(Math.abs(started.ends - started.time - 300000) < 1000, `ends ${started.ends} vs time ${started.time}`);
    assert.ok(Math.abs(started.ends - (now + 300000)) < 5000, `ends ${started.ends} vs now+300000 ${now + 300000}`);
    // the countdown runs on screen, in the title bar
    await c.waitFor(/timer 4:5\d Écrire/, { label: 'the countdown at 4:5x', timeoutMs: 8000 });

    // on the session home too; pause, resume and stop from there
    c.keys('q');
    await c.waitFor((s) => s.includes('Join code') && /Timer 4:5\d Écrire/.test(s), { label: 'the timer on the home' });
    c.keys('p');
    const paused = await p.waitEvent((e) => e.ev === 'timer.paused', 5000);
    assert.ok(paused.left > 280000 && paused.left <= 300000, `left ${paused.left}`);
    await c.waitFor(/timer paused 4:5\d/, { label: 'paused on screen' });
    c.keys('p');
    const resumed = await p.waitEvent((e) => e.ev === 'timer.resumed', 5000);
    assert.ok(Math.abs(resumed.ends - resumed.time - paused.left) < 1000, 'resumed with what was left');
    await c.waitGone('paused');
    c.keys('T');
    await p.waitEvent((e) => e.ev === 'timer.stopped', 5000);
    await c.waitGone(/[Tt]imer (paused )?\d+:\d\d/);
    await c.waitFor('Timer stopped');

    // description and retrospective
    c.keys('D');
    await c.waitFor('What the workshop is for');
    c.type('Rendre la ville plus verte');
    c.keys('Enter');
    const upd = await p.waitEvent((e) => e.ev === 'session.updated' && 'description' in e, 5000);
    assert.equal(upd.description, 'Rendre la ville plus verte');
    await c.waitFor('About: Rendre la ville plus verte');
    c.keys('R');
    await c.waitFor('Retrospective: what worked');
    c.type('Les thèmes étaient clairs');
    c.keys('Enter');
    const retro = await p.waitEvent((e) => e.ev === 'session.updated' && 'retrospective' in e, 5000);
    assert.equal(retro.retrospective, 'Les thèmes étaient clairs');
    await c.waitFor('Retrospective: Les thèmes étaient clairs');
    // an empty description clears it
    c.keys('D');
    await c.waitFor('What the workshop is for');
    c.keys('C-u', 'Enter');
    await p.waitEvent((e) => e.ev === 'session.updated' && 'description' in e && e.seq > upd.seq, 5000);
    await c.waitGone('About:');
    // a wrong duration is said in words, nothing is sent
    c.keys('t');
    await c.waitFor('Timer: how many minutes?');
    c.type('abc');
    c.keys('Enter');
    await c.waitFor('is not a duration');
    assert.equal(p.events.filter((e) => e.ev === 'timer.started').length, 1);
    // quit cleanly (under ASan, a leak would make the exit status non-zero)
    assert.equal(await c.quit(), 0, `exit status\n${c.describe()}`);
  } finally {
    c.kill();
  }
});

// Notes clearly about three themes (none says the theme's name), and one
// about none of them.
const GUIDED = {
  'Mobilité': ['Plus de pistes cyclables sécurisées', 'Un parking à vélos devant la mairie',
    'Limiter la vitesse des trottinettes'],
  'Déchets': ['Des poubelles de tri dans chaque rue', 'Composter les déchets de la cantine',
    'Ramasser les poubelles plus souvent'],
  'Arbres': ["Planter des arbres pour faire de l'ombre", "Un parc avec des bancs à l'ombre",
    'Des arbres fruitiers dans le parc'],
};
const NO_THEME = 'Un café associatif pour se rencontrer';

/** The rows of the draft on screen: { header: [post-its] } in order. */
function draftOnScreen(screen) {
  const groups = [];
  for (const line of screen.split('\n')) {
    const h = /^\s*>?\s*(.+?) \((\d+) post-its?\)\s*$/.exec(line);
    if (h) groups.push({ label: h[1], count: Number(h[2]), notes: [] });
    else if (groups.length && /^\s*>?\s{2,}\S/.test(line)) groups.at(-1).notes.push(line.replace(/^\s*>?\s*/, '').trim());
  }
  return groups;
}

test('guided clustering from the console: themes typed, post-its sorted, applied', { timeout: 120000 }, async () => {
  const srv = await startServer();
  const c = await onlineConsole(srv);
  const fac = await facilitator(srv.port, { label: 'checking facilitator' });
  try {
    const texts = [...Object.values(GUIDED).flat(), NO_THEME];
    // interleaved, so that no theme is a run of consecutive notes
    const order = [0, 3, 6, 1, 9, 4, 7, 2, 5, 8].map((i) => texts[i]);
    const { p, board, ids } = await workshop(srv, c, { title: 'Quartier', notes: order });

    // K: a free suggestion first; g: the themes, one a prompt
    c.keys('K');
    await c.waitFor((s) => s.includes('Groups for "Idées"') && s.includes('(no group)'), { label: 'the free suggestion' });
    c.keys('g');
    await c.waitFor((s) => s.includes('Theme 1 (empty line: done)') && s.includes('Your themes for "Idées"') &&
      s.includes('One theme a line'), { label: 'the first theme asked' });
    c.type('Mobilité: vélo, pistes cyclables, trottinettes');
    c.keys('Enter');
    await c.waitFor((s) => s.includes('Theme 2 (empty line: done)') &&
      s.includes(' 1. Mobilité: vélo, pistes cyclables, trottinettes'), { label: 'theme 1 listed, theme 2 asked' });
    // a mistake is said, and the same theme asked again
    c.type(': poubelles');
    c.keys('Enter');
    await c.waitFor((s) => s.includes('A theme needs a name') && s.includes('Theme 2 (empty line: done)'),
      { label: 'a theme without a name refused' });
    c.keys('Home');
    c.type('Déchets ');
    c.keys('End');
    c.type(', tri, compost');
    c.keys('Enter');
    await c.waitFor((s) => s.includes('Theme 3') && s.includes(' 2. Déchets: poubelles, tri, compost'),
      { label: 'theme 2 listed' });
    c.type('Arbres');		// no keywords: the name is what to look for
    c.keys('Enter');
    await c.waitFor((s) => s.includes('Theme 4') && s.includes(' 3. Arbres'), { label: 'theme 3 listed' });
    assert.equal(p.events.filter((e) => e.ev.startsWith('cluster.')).length, 0, 'no cluster event while typing');
    c.keys('Enter');

    // one group per theme, in the order typed, then the post-it that fits none
    const scr = await c.waitFor((s) => s.includes('Themes for "Idées"') && s.includes('(fits no theme) (1 post-it)') && s,
      { label: 'the post-its sorted into the themes' });
    const shown = draftOnScreen(scr);
    assert.deepEqual(shown.map((g) => g.label), ['Mobilité', 'Déchets', 'Arbres', '(fits no theme)'], scr);
    for (const g of shown.slice(0, 3)) assert.deepEqual([...g.notes].sort(), [...GUIDED[g.label]].sort(), `${g.label}\n${scr}`);
    assert.deepEqual(shown[3].notes, [NO_THEME], scr);
    await c.waitFor('Sorted into 3 themes; 1 post-it fits none (> moves it).');
    assert.equal(p.events.filter((e) => e.ev.startsWith('cluster.')).length, 0, 'no cluster event before apply');

    // apply: the groups are named after the themes, with their notes
    c.keys('a');
    const applied = await p.waitEvent((e) => e.ev === 'cluster.applied', 5000);
    assert.equal(applied.board, board.id);
    assert.deepEqual(applied.clusters.map((g) => g.label), ['Mobilité', 'Déchets', 'Arbres']);
    await c.waitFor((s) => s.includes('Groups applied') && /Wall\s*$/m.test(s) && s.includes('by group'),
      { label: 'back on the wall, by group' });
    const got = ok(await fac.request('board.get', { board: board.id })).board;
    assert.deepEqual(got.clusters.map((g) => g.label), ['Mobilité', 'Déchets', 'Arbres']);
    for (const g of got.clusters) {
      assert.deepEqual([...g.notes].sort((x, y) => x - y), GUIDED[g.label].map((t) => ids[t]).sort((x, y) => x - y),
        `the notes of ${g.label}`);
    }
    for (const n of got.notes) {
      const want = Object.keys(GUIDED).find((t) => GUIDED[t].includes(n.text)) || null;
      assert.equal(n.cluster, want, `the group of ${n.text}`);
    }
    assert.equal(got.notes.length, 10);

    // back on the clustering screen: the help says g; g shows the last themes
    c.keys('K');
    await c.waitFor('Groups for "Idées"');
    c.keys('?');
    await c.waitFor((s) => s.includes('Keys: Clustering') && s.includes('sort the post-its into themes you type (name: keywords)'),
      { label: 'the clustering help' });
    c.keys('Escape');
    await c.waitGone('Keys: Clustering');
    c.keys('g');
    await c.waitFor((s) => s.includes('Theme 1 (empty line: done): Mobilité: vélo, pistes cyclables, trottinettes') &&
      s.includes('Each line shows your last themes'), { label: 'the last theme 1 in the prompt' });
    c.keys('Escape');
    await c.waitFor('Cancelled.');
    // quit cleanly (under ASan, a leak would make the exit status non-zero)
    assert.equal(await c.quit(), 0, `exit status\n${c.describe()}`);
  } finally {
    c.kill();
    await fac.close();
  }
});
