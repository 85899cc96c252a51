// session.focus: the facilitator puts one board on every screen.
import { after } from 'node:test';
import assert from 'node:assert/strict';
import {
  test, startServer, stopAll, facilitator, participant, connect, ok, isError, makeSessionAndBoard,
} from './harness.mjs';

after(async () => { await stopAll(); });

test('session.focus: everyone follows the board the facilitator shows; roles, errors, no event when unchanged, restart', async () => {
  const srv = await startServer();
  const fac = await facilitator(srv.port);
  const { code, board: wall } = await makeSessionAndBoard(fac);
  const cloud = ok(await fac.request('board.create', { session: code, kind: 'cloud', title: 'En un mot' })).board;
  const a = await participant(srv.port, code, 'Ann');
  const v = await connect(srv.port, { label: 'viewer' });
  const vh = ok(await v.request('hello', { role: 'viewer', code }));
  assert.equal(a.hello.session.focus, null, 'no focus at first');
  assert.equal(vh.session.focus, null);

  const r = ok(await fac.request('session.focus', { session: code, board: cloud.id }));
  assert.equal(r.session.focus, cloud.id);
  for (const c of [a, v]) {
    const ev = await c.waitEvent((e) => e.ev === 'session.focused');
    assert.equal(ev.board, cloud.id);
    assert.equal(ev.session, code);
  }
  // unchanged: no event, the seq does not move
  const seq = r.session.seq;
  assert.equal(ok(await fac.request('session.focus', { session: code, board: cloud.id })).session.seq, seq);
  // a new participant and the console see it in their snapshots
  const b = await participant(srv.port, code, 'Bea');
  assert.equal(b.hello.session.focus, cloud.id);
  assert.equal(ok(await fac.request('session.join', { code })).session.focus, cloud.id);
  assert.equal(ok(await fac.request('session.list', {})).sessions.find((s) => s.code === code).focus, cloud.id);

  // errors and roles
  isError(await a.request('session.focus', { session: code, board: wall.id }), 'forbidden');
  isError(await v.request('session.focus', { session: code, board: wall.id }), 'forbidden');
  isError(await fac.request('session.focus', { session: code }), 'bad_request', 'board is required');
  isError(await fac.request('session.focus', { session: code, board: 'two' }), 'bad_request');
  isError(await fac.request('session.focus', { session: code, board: 999999 }), 'not_found');
  const other = await makeSessionAndBoard(fac, { title: 'Autre' });
  isError(await fac.request('session.focus', { session: code, board: other.board.id }), 'not_found',
    "another session's board");
  isError(await fac.request('session.focus', { session: 'ZZZZZZ', board: wall.id }), 'not_found');

  // null: each screen chooses again
  const cleared = ok(await fac.request('session.focus', { session: code, board: null }));
  assert.equal(cleared.session.focus, null);
  const evn = await b.waitEvent((e) => e.ev === 'session.focused' && e.board === null);
  assert.equal(evn.seq, cleared.session.seq);
  ok(await fac.request('session.focus', { session: code, board: wall.id }));

  // it survives a restart (replayed from the stored events)
  await srv.stop();
  const srv2 = await startServer({ db: srv.db });
  const fac2 = await facilitator(srv2.port);
  assert.equal(ok(await fac2.request('session.join', { code })).session.focus, wall.id);
});
