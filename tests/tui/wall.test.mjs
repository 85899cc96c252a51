// The console runs a workshop: create a session from the keyboard, read its
// code off the screen, a participant joins over WebSocket and posts, the
// note appears; hide it, lock the board, put it on every screen, edit,
// recolour, delete; resize to
// 80x24 and back; the help overlay lists the keys of the screen.
import { after } from 'node:test';
import assert from 'node:assert/strict';
import {
  test, startServer, stopAll, participant, facilitator, ok, isError, TOKEN,
} from '../protocol/harness.mjs';
import { Console, killAllConsoles, codeOnScreen } from './tmux.mjs';

after(async () => { killAllConsoles(); await stopAll(); });

/** Start a console on srv and wait until it is online. */
async function onlineConsole(srv, opts = {}) {
  const c = new Console({
    args: ['--server', `http://127.0.0.1:${srv.port}`],
    env: { ATELIER_TOKEN: TOKEN },
    ...opts,
  });
  await c.waitFor(/online 127\.0\.0\.1/, { label: 'online on the status line' });
  return c;
}

/** From the session list: n, title, Enter; returns the code on screen. */
async function createSession(c, title) {
  c.keys('n');
  await c.waitFor('Title of the new session');
  c.type(title);
  c.keys('Enter');
  const code = await c.waitFor((s) => s.includes('Join code') && codeOnScreen(s), { label: 'the session home with its code' });
  return code;
}

async function createWall(c, title) {
  c.keys('b');
  await c.waitFor('Title of the new wall');
  c.type(title);
  c.keys('Enter');
  await c.waitFor(/Wall\s*$/m, { label: 'the wall screen' });
  await c.waitFor('No post-it yet');
}

test('a workshop from the console: session, participant, note, hide, lock', { timeout: 90000 }, async () => {
  const srv = await startServer();
  const c = await onlineConsole(srv);
  try {
    await c.waitFor('No session in progress');
    const code = await createSession(c, 'Déchets dans la nature');
    await c.waitFor((scr) => scr.includes('Déchets dans la nature') && scr.includes('0 participants joined'));

    // the code on screen is the real one: a participant joins with it
    const p = await participant(srv.port, code, 'Awa', { label: 'Awa' });
    await c.waitFor('1 participant joined');
    assert.equal(p.hello.session.code, code);

    await createWall(c, 'Vos idées');
    const board = (await p.waitEvent((e) => e.ev === 'board.created')).board;
    assert.equal(board.title, 'Vos idées');

    // the participant's post-it appears on the wall
    const n1 = ok(await p.request('note.add', { board: board.id, text: 'Plus de poubelles de tri', color: 'green' })).note;
    await c.waitFor('Plus de poubelles de tri');
    await c.waitFor(/> Awa/, { label: 'the new note selected' });
    const n2 = ok(await p.request('note.add', { board: board.id, text: 'Nettoyage collectif' })).note;
    await c.waitFor('Nettoyage collectif');
    await c.waitFor('2 post-its');

    // hide the first (selected) one: the participant receives note.hidden
    c.keys('g', 'x');
    const hidden = await p.waitEvent((e) => e.ev === 'note.hidden', 5000);
    assert.equal(hidden.note, n1.id);
    await c.waitFor('HIDDEN');
    await c.waitFor('Post-it hidden');
    // and show it again
    c.keys('x');
    const shown = await p.waitEvent((e) => e.ev === 'note.shown', 5000);
    assert.equal(shown.note.id, n1.id);
    await c.waitGone('HIDDEN');

    // lock the board: the participant's note.add gets `locked`
    c.keys('L');
    await p.waitEvent((e) => e.ev === 'board.locked' && e.board === board.id, 5000);
    await c.waitFor('LOCKED');
    isError(await p.request('note.add', { board: board.id, text: 'too late' }), 'locked', 'note.add on a locked board');
    c.keys('L');
    await p.waitEvent((e) => e.ev === 'board.unlocked', 5000);
    await c.waitGone('LOCKED');
    ok(await p.request('note.add', { board: board.id, text: 'open again' }));
    await c.waitFor('open again');

    // P: this board on every screen (session.focus), P again: screens choose
    c.keys('P');
    const foc = await p.waitEvent((e) => e.ev === 'session.focused' && e.board === board.id, 5000);
    assert.equal(foc.session, code);
    await c.waitFor('[on screen]');
    await c.waitFor('the projector shows this board');
    c.keys('P');
    await p.waitEvent((e) => e.ev === 'session.focused' && e.board === null, 5000);
    await c.waitGone('[on screen]');

    // move right to the second note, recolour it, edit it
    c.keys('g', 'l', 'c');
    const recol = await p.waitEvent((e) => e.ev === 'note.updated' && e.note.id === n2.id, 5000);
    assert.equal(recol.note.color, 'pink');
    c.keys('e');
    await c.waitFor('Edit the post-it');
    c.keys('C-u');
    c.type('Nettoyage du parc en mai');
    c.keys('Enter');
    const edited = await p.waitEvent((e) => e.ev === 'note.updated' && e.note.text === 'Nettoyage du parc en mai', 5000);
    assert.equal(edited.note.id, n2.id);
    await c.waitFor('Nettoyage du parc en mai');

    // delete it, after saying yes
    c.keys('d');
    await c.waitFor('Delete the post-it');
    c.keys('y');
    const del = await p.waitEvent((e) => e.ev === 'note.deleted', 5000);
    assert.equal(del.note, n2.id);
    await c.waitGone('Nettoyage du parc en mai');

    // a note from the facilitator
    c.keys('n');
    await c.waitFor('New post-it');
    c.type('Merci à tous ✓');
    c.keys('Enter');
    const fnote = await p.waitEvent((e) => e.ev === 'note.added' && e.note.author === 0, 5000);
    assert.equal(fnote.note.text, 'Merci à tous ✓');
    await c.waitFor('Merci à tous ✓');
    await c.waitFor('facilitator');

    // back home and to the list: the session is listed with its participant
    c.keys('q');
    await c.waitFor('Join code');
    c.keys('q');
    await c.waitFor((s) => s.includes(code) && /Déchets dans la nature\s+1\s/.test(s), { label: 'the list with 1 participant' });

    // quit cleanly
    assert.equal(await c.quit('q'), 0, `exit status\n${c.describe()}`);
  } finally {
    c.kill();
  }
});

test('resize to 80x24 and back, help overlay, nothing lost', { timeout: 90000 }, async () => {
  const srv = await startServer();
  const fac = await facilitator(srv.port);
  const s = ok(await fac.request('session.create', { title: 'Resize' })).session;
  const b = ok(await fac.request('board.create', { session: s.code, kind: 'wall', title: 'Mur' })).board;
  for (let i = 1; i <= 14; i++) ok(await fac.request('note.add', { board: b.id, text: `idée numéro ${i}` }));
  const c = await onlineConsole(srv);
  try {
    await c.waitFor(s.code);
    c.keys('Enter');
    await c.waitFor('Join code');
    c.keys('Enter');
    // 100x30: 3 cards a row, 4 rows of cards
    await c.waitFor((scr) => /idée numéro 1\s+idée numéro 2\s+idée numéro 3\s*$/m.test(scr) &&
      /idée numéro 10\s+idée numéro 11\s+idée numéro 12\s*$/m.test(scr), { label: '4 rows of 3 cards' });

    c.resize(80, 24);
    await c.waitFor((scr) => scr.split('\n').length <= 25 && !scr.includes('idée numéro 10') &&
      /idée numéro 1\s+idée numéro 2\s+idée numéro 3\s*$/m.test(scr),
      { label: '3 rows of 3 cards at 80x24' });
    const lines = c.lines();
    assert.ok(lines.every((l) => [...l].length <= 80), 'no line wider than 80 columns');
    assert.match(lines[lines.length - 2] || lines[lines.length - 3], /online/, 'status line at the bottom');
    // go to the last note: the wall scrolls to it
    c.keys('G');
    await c.waitFor('idée numéro 14');

    // the help overlay lists the keys of the wall, and goes away
    c.keys('?');
    const helpKeys = ['Keys: Wall', 'move between post-its', 'hide it from participants', 'lock the board', 'delete it',
      'next / previous colour', 'edit the selected post-it', 'add a post-it', 'Any key closes this help'];
    await c.waitFor((scr) => helpKeys.every((k) => scr.includes(k)), { label: `the help with ${helpKeys.join(', ')}` });
    c.keys('Escape');
    await c.waitGone('Keys: Wall');

    c.resize(100, 30);
    await c.waitFor(/idée numéro 13\s+idée numéro 14\s*$/m, { label: 'back to 4 rows of cards' });

    // help on the session list too
    c.keys('q');
    await c.waitFor('Join code');
    c.keys('q');
    await c.waitFor('Participants');
    c.keys('?');
    await c.waitFor((scr) => scr.includes('Keys: Sessions') && scr.includes('create a session') &&
      scr.includes('archive the selected session'));
    c.keys('x');
    await c.waitGone('Keys: Sessions');
    assert.equal(await c.quit(), 0, c.describe());
  } finally {
    c.kill();
  }
});
