// A session's life from the console: close it (participants get `closed`),
// reopen it, export it to a file over HTTP, archive it (it leaves the list,
// `v` shows it), find it again with a search, unarchive it.
import { after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  test, startServer, stopAll, facilitator, participant, ok, isError, TOKEN,
} from '../protocol/harness.mjs';
import { Console, killAllConsoles } from './tmux.mjs';

after(async () => { killAllConsoles(); await stopAll(); });

test('close, reopen, export, archive, search, unarchive', { timeout: 90000 }, async () => {
  const srv = await startServer();
  const fac = await facilitator(srv.port);
  const s = ok(await fac.request('session.create', { title: 'Compostage partagé' })).session;
  const b = ok(await fac.request('board.create', { session: s.code, kind: 'wall', title: 'Idées' })).board;
  ok(await fac.request('note.add', { board: b.id, text: 'Un bac par immeuble' }));
  const other = ok(await fac.request('session.create', { title: 'Autre atelier' })).session;
  await fac.close();

  const c = new Console({ args: ['--server', `http://127.0.0.1:${srv.port}`], env: { ATELIER_TOKEN: TOKEN } });
  try {
    await c.waitFor(/online 127\.0\.0\.1/);
    await c.waitFor(other.code);
    // newest first: go down to the first session and open it
    c.keys('j', 'Enter');
    await c.waitFor(`code ${s.code}`);
    const p = await participant(srv.port, s.code, 'Inès');

    // close: participants' notes get `closed`; reopen
    c.keys('x');
    await c.waitFor('Close the session?');
    c.keys('y');
    await p.waitEvent((e) => e.ev === 'session.closed', 5000);
    await c.waitFor('CLOSED: nobody can write');
    isError(await p.request('note.add', { board: b.id, text: 'trop tard' }), 'closed');
    c.keys('x');
    await p.waitEvent((e) => e.ev === 'session.reopened', 5000);
    await c.waitGone('CLOSED');
    ok(await p.request('note.add', { board: b.id, text: 'encore une idée' }));

    // export: a Markdown file in the console's working directory
    c.keys('E');
    await c.waitFor('h HTML report, m Markdown');
    c.keys('m');
    const file = path.join(c.cwd, `atelier-${s.code}.md`);
    await c.waitFor(`Exported to ${file}`);
    const md = fs.readFileSync(file, 'utf8');
    assert.match(md, /Compostage partagé/);
    assert.match(md, /Un bac par immeuble/);
    assert.match(md, /encore une idée/);
    // and the HTML report
    c.keys('E', 'h');
    await c.waitFor(`atelier-${s.code}.html`);
    await c.waitFor('Exported to');
    assert.match(fs.readFileSync(path.join(c.cwd, `atelier-${s.code}.html`), 'utf8'), /<html/i);

    // archive from the list: it leaves it, v shows it
    c.keys('q');
    await c.waitFor('Participants');
    await c.waitFor(/> \w{6}\s+Compostage/, { label: 'the session still selected' });
    c.keys('a');
    await c.waitFor(`Archive ${s.code}`);
    c.keys('y');
    await c.waitFor('Session archived');
    await c.waitGone('Compostage partagé');
    assert.ok(c.screen.includes('Autre atelier'));
    c.keys('v');
    await c.waitFor('archived session');
    await c.waitFor(/Compostage partagé \(archived\)/);
    assert.ok(!c.screen.includes('Autre atelier'));

    // search every session, archived included, for a word of a note
    c.keys('v');
    await c.waitFor('Autre atelier');
    c.keys('/');
    await c.waitFor('Search every session for');
    c.type('immeuble');
    c.keys('Enter');
    await c.waitFor('matching "immeuble"');
    await c.waitFor('Compostage partagé (archived)');
    assert.ok(!c.screen.includes('Autre atelier'));
    // unarchive from the search
    c.keys('a');
    await c.waitFor('Session back with the others');
    await c.waitFor(/Compostage partagé \(closed\)/);
    // an empty search ends it
    c.keys('/', 'C-u', 'Enter');
    await c.waitFor('Autre atelier');
    await c.waitFor('2 sessions');
  } finally {
    c.kill();
  }
});
