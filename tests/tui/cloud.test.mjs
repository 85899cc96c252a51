// The word cloud from the console: create a cloud board, participants send
// words, the console draws the server's grid layout and lists every entry;
// hide, merge, ban and empty it from the keyboard, and the participants
// see each change.
import { after } from 'node:test';
import assert from 'node:assert/strict';
import {
  test, startServer, stopAll, facilitator, participant, ok, TOKEN,
} from '../protocol/harness.mjs';
import { Console, killAllConsoles } from './tmux.mjs';

after(async () => { killAllConsoles(); await stopAll(); });

test('a word cloud: layout, hide, merge, ban, reset', { timeout: 90000 }, async () => {
  const srv = await startServer();
  const fac = await facilitator(srv.port);
  const s = ok(await fac.request('session.create', { title: 'Mobilité' })).session;
  ok(await fac.request('board.create', { session: s.code, kind: 'cloud', title: 'probe' }));
  await fac.close();

  const c = new Console({ args: ['--server', `http://127.0.0.1:${srv.port}`], env: { ATELIER_TOKEN: TOKEN } });
  try {
    await c.waitFor(s.code);
    c.keys('Enter');
    await c.waitFor('Join code');
    c.keys('c');
    await c.waitFor('Title of the new word cloud');
    c.type('En un mot');
    c.keys('Enter');
    await c.waitFor(/Word cloud\s*$/m);
    await c.waitFor('No word yet');

    const people = [];
    const sent = [['vélo', 'bus', 'tram'], ['vélos', 'bicyclette', 'bus'], ['Vélo', 'marche', 'bus']];
    for (let i = 0; i < sent.length; i++) {
      const p = await participant(srv.port, s.code, `P${i}`);
      const board = p.hello.session.boards.find((b) => b.title === 'En un mot');
      assert.ok(board, 'the participant sees the cloud');
      for (const w of sent[i]) ok(await p.request('word.add', { board: board.id, text: w }));
      people.push({ p, board });
    }
    const { p, board } = people[0];
    // the entries, largest first, and the cloud drawn from the layout
    await c.waitFor(/> vélo\s+3\s*$/m, { label: 'vélo (3) first and selected' });
    await c.waitFor(/bus\s+3\s*$/m);
    await c.waitFor('5 entries');
    const cloudPart = (scr) => scr.split('\n').slice(2, -3).map((l) => l.split('│')[0])
      .filter((l) => !l.startsWith(' typed:')).join('\n');
    await c.waitFor((scr) => ['vélo', 'bus', 'tram', 'bicyclette', 'marche'].every((w) => cloudPart(scr).includes(w)),
      { label: 'every word in the cloud area' });
    assert.match(c.screen, /typed: .*vélos 1/);

    // hide "tram": participants get word.hidden, the cloud drops it
    c.keys('G');
    await c.waitFor(/> \S+\s+1\s*$/m);
    const sel = /> (\S+)\s+1\s*$/m.exec(c.screen)[1];
    c.keys('x');
    const hidden = await p.waitEvent((e) => e.ev === 'word.hidden', 5000);
    await c.waitFor(new RegExp(`> ${sel}\\s+1 hidden\\s*$`, 'm'));
    await c.waitFor((scr) => !cloudPart(scr).includes(sel), { label: `${sel} gone from the cloud` });
    assert.ok(hidden.key);

    // merge "bicyclette" into "vélo": m on one, m on the other
    c.keys('g');
    await c.waitFor(/> vélo/);
    const rows = c.lines();
    const bikeRow = rows.findIndex((l) => /bicyclette\s+1/.test(l));
    const veloRow = rows.findIndex((l) => /> vélo/.test(l));
    assert.ok(bikeRow > veloRow, c.screen);
    c.keys(...Array(bikeRow - veloRow).fill('j'));
    await c.waitFor(/> bicyclette/);
    c.keys('m');
    await c.waitFor('Merge "bicyclette" into');
    c.keys('g', 'm');
    const merged = await p.waitEvent((e) => e.ev === 'word.merged', 5000);
    assert.equal(merged.into, 'velo');
    await c.waitFor(/> vélo\s+4\s*$/m);
    const listPart = (scr) => scr.split('\n').map((l) => l.split('│')[1] || '').join('\n');
    await c.waitFor((scr) => !listPart(scr).includes('bicyclette'), { label: 'bicyclette gone from the entries' });

    // ban "bus" (asks first): participants get word.banned
    c.keys('j');
    await c.waitFor(/> bus\s+3/);
    c.keys('!');
    await c.waitFor('Ban "bus" in every cloud of this session? y/n');
    c.keys('y');
    await p.waitEvent((e) => e.ev === 'word.banned', 5000);
    await c.waitFor(/> bus\s+3 banned/);
    await c.waitFor((scr) => !cloudPart(scr).includes('bus'), { label: 'bus gone from the cloud' });
    // lift the ban
    c.keys('u');
    await p.waitEvent((e) => e.ev === 'word.unbanned', 5000);
    await c.waitFor(/> bus\s+3\s*$/m);

    // empty the cloud (asks first)
    c.keys('R');
    await c.waitFor('Empty the cloud "En un mot"? ');
    c.keys('y');
    await p.waitEvent((e) => e.ev === 'board.reset' && e.board === board.id, 5000);
    await c.waitFor('No word yet');
    await c.waitFor('0 entries');
  } finally {
    c.kill();
  }
});
