// Restart: everything survives a SIGTERM and a restart on the same database.
import { after } from 'node:test';
import assert from 'node:assert/strict';
import {
  test, startServer, stopAll, facilitator, participant, resumeParticipant,
  ok, assertConsecutive, makeSessionAndBoard,
} from './harness.mjs';

after(async () => { await stopAll(); });

/** session object without the fields that legitimately depend on the server's address */
function comparable(session) {
  const { join_url, ...rest } = session;
  return rest;
}

test('state survives SIGTERM + restart on the same database', { timeout: 90000 }, async () => {
  const srv1 = await startServer();
  const fac = await facilitator(srv1.port);
  const { code, board } = await makeSessionAndBoard(fac, { title: 'Persistent retro', boardTitle: 'Keep' });
  const board2 = ok(await fac.request('board.create', { session: code, kind: 'wall', title: 'Locked one', prompt: 'why?', vote_limit: 3 })).board;
  const a = await participant(srv1.port, code, 'Ann', { label: 'Ann' });
  const b = await participant(srv1.port, code, null, { label: 'anon' });
  const n1 = ok(await a.request('note.add', { board: board.id, text: 'Ann 1', color: 'blue', x: 1.5, y: 2.5, cid: 'a-1' })).note;
  const n2 = ok(await a.request('note.add', { board: board.id, text: 'Ann 2 ✓ é 😀' })).note;
  const n3 = ok(await b.request('note.add', { board: board.id, text: 'anon 1' })).note;
  const n4 = ok(await fac.request('note.add', { board: board2.id, text: 'fac on board 2' })).note;
  ok(await a.request('note.vote', { board: board.id, note: n3.id }));
  ok(await a.request('note.vote', { board: board.id, note: n3.id }));
  ok(await b.request('note.vote', { board: board.id, note: n1.id }));
  ok(await a.request('note.vote', { board: board2.id, note: n4.id }));
  ok(await fac.request('note.hide', { board: board.id, note: n2.id }));
  ok(await fac.request('note.update', { board: board.id, note: n1.id, text: 'Ann 1 edited' }));
  ok(await fac.request('board.lock', { board: board2.id }));
  // the note with the highest id is deleted: its id must not be handed out again
  const gone = ok(await b.request('note.add', { board: board.id, text: 'to be deleted' })).note;
  ok(await b.request('note.delete', { board: board.id, note: gone.id }));
  await fac.waitEvent((e) => e.ev === 'note.deleted' && e.note === gone.id);
  const maxNoteId = Math.max(n1.id, n2.id, n3.id, n4.id, gone.id);
  const maxBoardId = Math.max(board.id, board2.id);

  const before = ok(await fac.request('session.join', { code })).session;
  const beforeList = ok(await fac.request('session.list')).sessions.find((s) => s.code === code);
  const ga1 = ok(await a.request('board.get', { board: board.id })).board;
  const lastSeq = fac.maxSeq(code);
  assert.equal(before.seq, lastSeq);
  assertConsecutive(fac.eventsOf(code), 'facilitator events before the restart');

  await a.close(); await b.close(); await fac.close();
  const exit = await srv1.stop();
  assert.ok(exit, 'server exited after SIGTERM');

  const srv2 = await startServer({ db: srv1.db });
  const fac2 = await facilitator(srv2.port);
  const afterJ = ok(await fac2.request('session.join', { code })).session;
  assert.deepEqual(comparable(afterJ), comparable(before), 'session.join identical after the restart');
  assert.equal(afterJ.seq, lastSeq);
  assert.ok(afterJ.join_url.endsWith(`/j/${code}`));
  const hidden = afterJ.boards[0].notes.find((n) => n.id === n2.id);
  assert.equal(hidden.hidden, true, 'hidden flag kept');
  assert.equal(hidden.text, 'Ann 2 ✓ é 😀');
  assert.equal(afterJ.boards[1].locked, true, 'locked flag kept');
  assert.equal(afterJ.boards[0].notes.find((n) => n.id === n3.id).votes, 2, 'votes kept');
  const afterList = ok(await fac2.request('session.list')).sessions.find((s) => s.code === code);
  assert.ok(afterList, 'session listed after the restart');
  assert.deepEqual(comparable(afterList), comparable(beforeList));

  // a participant's resume secret still works; identity, own notes and votes kept
  const { client: a2, reply } = await resumeParticipant(srv2.port, a.resume, undefined, { label: 'Ann after restart' });
  ok(reply, 'resume after restart');
  assert.equal(reply.you.id, a.id);
  assert.equal(reply.you.name, 'Ann');
  assert.equal(reply.resume, a.resume);
  const snapBoard = reply.session.boards.find((x) => x.id === board.id);
  assert.deepEqual(snapBoard, ga1, 'participant view of the board identical after the restart');
  assert.equal(snapBoard.votes_left, 3);
  assert.equal(reply.session.boards.find((x) => x.id === board2.id).votes_left, 2);
  assert.ok(!snapBoard.notes.some((n) => n.id === n2.id), 'the hidden note stays hidden for participants');
  // locked board still refuses participants
  const lockedTry = await a2.request('note.add', { board: board2.id, text: 'nope' });
  assert.equal(lockedTry.error, 'locked');
  // cid still known after a restart
  const again = ok(await a2.request('note.add', { board: board.id, text: 'Ann 1', cid: 'a-1' }));
  assert.equal(again.note.id, n1.id, 'cid survives the restart');
  assert.equal(again.note.text, 'Ann 1 edited');

  // new seq continues without gap, ids are not reused
  const n5 = ok(await a2.request('note.add', { board: board.id, text: 'after restart' })).note;
  assert.ok(n5.id > maxNoteId, `new note id ${n5.id} must be > every id handed out before (${maxNoteId})`);
  const ev = await fac2.waitEvent((e) => e.ev === 'note.added' && e.note.id === n5.id);
  assert.equal(ev.seq, lastSeq + 1, 'seq continues from the old one');
  const b3 = ok(await fac2.request('board.create', { session: code, kind: 'wall', title: 'New' })).board;
  assert.ok(b3.id > maxBoardId, `new board id ${b3.id} > ${maxBoardId}`);
  const evB = await fac2.waitEvent((e) => e.ev === 'board.created' && e.board.id === b3.id);
  assert.equal(evB.seq, lastSeq + 2);
  const c = await participant(srv2.port, code, 'Newcomer');
  assert.ok(c.id > Math.max(a.id, b.id), `new participant id ${c.id} is new`);
  const evJ = await fac2.waitEvent((e) => e.ev === 'participant.joined' && e.participant.id === c.id);
  assert.equal(evJ.seq, lastSeq + 3);
  assert.equal(evJ.participants, 3, 'participant count continues');

  // resume with since across the restart: the events after it, in order
  const { client: b2, reply: rb } = await resumeParticipant(srv2.port, b.resume, lastSeq, { label: 'anon after restart' });
  ok(rb);
  assert.equal(rb.you.id, b.id);
  assert.equal(rb.you.name, null);
  await b2.waitSeq(code, lastSeq + 3);
  assert.deepEqual(b2.eventsOf(code).map((e) => e.seq), [lastSeq + 1, lastSeq + 2, lastSeq + 3]);

  // facilitator replays the whole history from 0: consecutive from 1
  const fac3 = await facilitator(srv2.port, { label: 'facilitator replay' });
  ok(await fac3.request('session.join', { code, since: 0 }));
  await fac3.waitSeq(code, lastSeq + 3);
  const all = fac3.eventsOf(code);
  assert.equal(all[0].seq, 1);
  assert.equal(all[0].ev, 'session.created');
  assertConsecutive(all, 'full history after restart');
  assert.equal(all.length, lastSeq + 3);
});

test('two restarts in a row keep seq and ids monotonic', { timeout: 90000 }, async () => {
  let srv = await startServer();
  const db = srv.db;
  let fac = await facilitator(srv.port);
  const { code, board } = await makeSessionAndBoard(fac);
  let lastId = ok(await fac.request('note.add', { board: board.id, text: 'r0' })).note.id;
  let lastSeq = 3;
  for (let round = 1; round <= 2; round++) {
    await fac.close();
    await srv.stop();
    srv = await startServer({ db });
    fac = await facilitator(srv.port, { label: `facilitator round ${round}` });
    const j = ok(await fac.request('session.join', { code })).session;
    assert.equal(j.seq, lastSeq, `round ${round}: seq kept`);
    assert.deepEqual(j.boards[0].notes.map((n) => n.text), Array.from({ length: round }, (_, i) => `r${i}`));
    const n = ok(await fac.request('note.add', { board: board.id, text: `r${round}` })).note;
    assert.ok(n.id > lastId, `round ${round}: id ${n.id} > ${lastId}`);
    const ev = await fac.waitEvent((e) => e.ev === 'note.added' && e.note.id === n.id);
    assert.equal(ev.seq, lastSeq + 1);
    lastId = n.id;
    lastSeq += 1;
  }
});

test('--synchronous normal: said at start; a SIGKILL of the process loses no acknowledged change', { timeout: 60000 }, async () => {
  const srv = await startServer({ args: ['--synchronous', 'normal'] });
  assert.match(srv.output, /synchronous=normal/, `the start line names the setting: ${srv.output}`);
  const fac = await facilitator(srv.port);
  const { code, board } = await makeSessionAndBoard(fac);
  const a = await participant(srv.port, code, 'Ann');
  const ids = [];
  for (let i = 0; i < 20; i++) ids.push(ok(await a.request('note.add', { board: board.id, text: `n${i}` })).note.id);
  await srv.kill9();
  const srv2 = await startServer({ db: srv.db, args: ['--synchronous', 'normal'] });
  const fac2 = await facilitator(srv2.port);
  const notes = ok(await fac2.request('board.get', { board: board.id })).board.notes;
  assert.deepEqual(notes.map((n) => n.id).sort((x, y) => x - y), ids, 'every acknowledged note is back');
  await srv2.stop();
});

test('--synchronous with a wrong value: exit 2 and a clear message', async () => {
  const { spawnSync } = await import('node:child_process');
  const r = spawnSync(process.env.ATELIER_BIN, ['--synchronous', 'off'], { encoding: 'utf8', timeout: 10000 });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--synchronous is full or normal, not off/);
});

test('the WAL is checkpointed while the server runs (off the event loop) and stays bounded; a SIGKILL then loses nothing', { timeout: 90000 }, async () => {
  const fs = await import('node:fs');
  const srv = await startServer({ args: ['--rate', '1000000'] });
  const fac = await facilitator(srv.port);
  const { code, board } = await makeSessionAndBoard(fac);
  const a = await participant(srv.port, code, 'Ann');
  const text = (i) => `${i} ${'des arbres et de l’ombre dans la cour '.repeat(10)}`.slice(0, 400);
  const N = 4000;
  for (let i = 0; i < N; i += 10) {
    await Promise.all(Array.from({ length: 10 }, (_, k) => a.request('note.add', { board: board.id, text: text(i + k) })));
  }
  // give the checkpoint thread a moment to finish the last one it was asked for
  const size = (f) => { try { return fs.statSync(f).size; } catch { return 0; } };
  const deadline = Date.now() + 10000;
  while (size(srv.db) < 2e6 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const db = size(srv.db); const wal = size(`${srv.db}-wal`);
  assert.ok(db > 2e6, `the database file got the events while the server runs (${db} bytes; the WAL has ${wal})`);
  assert.ok(wal < 16e6, `the WAL stays bounded (${wal} bytes for ${N} notes)`);
  await srv.kill9();
  const srv2 = await startServer({ db: srv.db });
  const fac2 = await facilitator(srv2.port);
  const notes = ok(await fac2.request('board.get', { board: board.id })).board.notes;
  assert.equal(notes.length, N, 'every note is back after a SIGKILL');
  await srv2.stop();
});
