// The console survives the server: it says it is offline, retries with
// backoff, says hello again with the token and `session` + `since`, and
// shows what happened meanwhile, on the same screen. A frozen server never
// freezes the console: keys keep working and a dead connection is noticed.
import { after } from 'node:test';
import assert from 'node:assert/strict';
import {
  test, startServer, stopAll, facilitator, participant, resumeParticipant, ok, TOKEN,
} from '../protocol/harness.mjs';
import { Console, killAllConsoles } from './tmux.mjs';

after(async () => { killAllConsoles(); await stopAll(); });

async function onWall(srv) {
  const fac = await facilitator(srv.port);
  const s = ok(await fac.request('session.create', { title: 'Résilience' })).session;
  const b = ok(await fac.request('board.create', { session: s.code, kind: 'wall', title: 'Mur' })).board;
  await fac.close();
  const c = new Console({ args: ['--server', `http://127.0.0.1:${srv.port}`], env: { ATELIER_TOKEN: TOKEN } });
  await c.waitFor(s.code);
  c.keys('Enter');
  await c.waitFor('Join code');
  c.keys('Enter');
  await c.waitFor('No post-it yet');
  return { c, code: s.code, board: b };
}

test('server restart: offline, reconnects, resumes the session with since', { timeout: 90000 }, async () => {
  const srv = await startServer();
  const { c, code, board } = await onWall(srv);
  try {
    const p = await participant(srv.port, code, 'Awa');
    ok(await p.request('note.add', { board: board.id, text: 'avant la coupure' }));
    await c.waitFor('avant la coupure');
    await c.waitFor('1 participant');

    await srv.stop();
    await c.waitFor(/offline \(.*\): retrying/, { label: 'offline on the status line' });
    // the console still answers keys while offline
    c.keys('?');
    await c.waitFor('Keys: Wall');
    c.keys('Escape');
    await c.waitGone('Keys: Wall');
    // an action while offline fails in words, without freezing
    c.keys('x');
    await c.waitFor('Offline: could not hide the post-it');
    // meanwhile, the same database is served on another port, where the
    // console cannot see it: these events can only reach it through since
    const other = await startServer({ db: srv.db });
    const { client: p2, reply } = await resumeParticipant(other.port, p.resume, undefined, { label: 'Awa elsewhere' });
    ok(reply);
    ok(await p2.request('note.add', { board: board.id, text: 'pendant la coupure' }));
    await p2.close();
    await other.stop();
    assert.match(c.capture(), /offline/, 'the console was offline all along');

    const srv2 = await startServer({ db: srv.db, port: srv.port });
    await c.waitFor(/online 127\.0\.0\.1/, { timeoutMs: 15000, label: 'online again' });
    await c.waitFor('pendant la coupure', { timeoutMs: 10000 });
    await c.waitFor('2 post-its');
    assert.match(c.screen, /Wall\s*$/m, 'still on the wall');
    assert.ok(c.screen.includes('avant la coupure'));

    // and live events flow again, on the same connection as the resume
    const p3 = await participant(srv2.port, code, 'Bea');
    await c.waitFor('2 participants');
    ok(await p3.request('note.add', { board: board.id, text: 'en direct' }));
    await c.waitFor('en direct');
    await c.waitFor('3 post-its');
    // the facilitator's actions work again
    c.keys('g', 'x');
    await p3.waitEvent((e) => e.ev === 'note.hidden', 5000);

    assert.equal(await c.quit(), 0, c.describe());
  } finally {
    c.kill();
  }
});

test('a frozen server never freezes the console; it notices and comes back', { timeout: 120000 }, async () => {
  const srv = await startServer();
  const { c, code, board } = await onWall(srv);
  let stopped = false;
  try {
    const p = await participant(srv.port, code, 'Zoé');
    ok(await p.request('note.add', { board: board.id, text: 'gelé' }));
    await c.waitFor('gelé');

    process.kill(srv.proc.pid, 'SIGSTOP');
    stopped = true;
    const t0 = Date.now();
    c.keys('x');	// the request goes out, no answer comes
    c.keys('?');
    await c.waitFor('Keys: Wall', { timeoutMs: 2000, label: 'the help while the server is frozen' });
    c.keys('Escape');
    c.keys('n');
    await c.waitFor('New post-it', { timeoutMs: 2000 });
    c.keys('Escape');
    await c.waitFor('Cancelled', { timeoutMs: 2000 });
    assert.ok(Date.now() - t0 < 6000, 'keys answered at once');

    // the idle policy pings, gets nothing, and drops the connection
    await c.waitFor(/offline \(/, { timeoutMs: 40000, label: 'the dead connection noticed' });
    process.kill(srv.proc.pid, 'SIGCONT');
    stopped = false;
    await c.waitFor(/online 127\.0\.0\.1/, { timeoutMs: 20000, label: 'online after SIGCONT' });
    ok(await p.request('note.add', { board: board.id, text: 'dégelé' }).catch(async () => {
      const { client } = await resumeParticipant(srv.port, p.resume);
      return client.request('note.add', { board: board.id, text: 'dégelé' });
    }));
    await c.waitFor('dégelé');
  } finally {
    if (stopped) process.kill(srv.proc.pid, 'SIGCONT');
    c.kill();
  }
});
