// Moderation (note.hide / note.show) and board.lock / board.unlock.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  test, startServer, stopAll, facilitator, participant,
  ok, isError, makeSessionAndBoard,
} from './harness.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await stopAll(); });

async function room() {
  const fac = await facilitator(srv.port);
  const { code, board } = await makeSessionAndBoard(fac);
  const a = await participant(srv.port, code, 'Ann', { label: 'Ann' });
  const b = await participant(srv.port, code, 'Ben', { label: 'Ben' });
  await a.waitSeq(code, 4);
  return { fac, code, board, a, b };
}

test('note.hide: participants get note.hidden and lose the note; facilitator still sees it', async () => {
  const { fac, code, board, a, b } = await room();
  const n = ok(await a.request('note.add', { board: board.id, text: 'rude remark' })).note;
  const other = ok(await b.request('note.add', { board: board.id, text: 'fine remark' })).note;
  const r = ok(await fac.request('note.hide', { board: board.id, note: n.id }));
  assert.equal(r.note.id, n.id);
  assert.equal(r.note.hidden, true);
  assert.equal(r.note.text, 'rude remark', 'the facilitator still gets the text');
  const evF = await fac.waitEvent((e) => e.ev === 'note.hidden' && e.note === n.id);
  assert.ok(fac.indexOf(evF) < fac.indexOf(r), 'event before reply');
  for (const p of [a, b]) {
    const ev = await p.waitEvent((e) => e.ev === 'note.hidden' && e.note === n.id);
    assert.equal(ev.seq, evF.seq);
    assert.equal(ev.board, board.id);
    assert.equal(ev.session, code);
    assert.ok(!JSON.stringify(ev).includes('rude remark'), `hidden text leaked in ${JSON.stringify(ev)}`);
    const g = ok(await p.request('board.get', { board: board.id })).board;
    assert.deepEqual(g.notes.map((x) => x.id), [other.id], `${p.label}: the hidden note is gone from board.get`);
  }
  const gf = ok(await fac.request('board.get', { board: board.id })).board;
  const hf = gf.notes.find((x) => x.id === n.id);
  assert.ok(hf, 'facilitator board.get includes hidden notes');
  assert.equal(hf.hidden, true);
  assert.equal(hf.text, 'rude remark');
  const j = ok(await fac.request('session.join', { code })).session;
  assert.equal(j.boards[0].notes.find((x) => x.id === n.id).hidden, true, 'session.join includes hidden notes');

  // a fresh participant snapshot does not contain it either
  const c = await participant(srv.port, code, 'Cid');
  await fac.waitEvent((e) => e.ev === 'participant.joined' && e.participant.id === c.id);
  const snap = c.hello.session.boards.find((x) => x.id === board.id);
  assert.deepEqual(snap.notes.map((x) => x.id), [other.id]);
  assert.ok(!JSON.stringify(c.hello).includes('rude remark'), 'hidden text leaked in a snapshot');

  // the author can no longer edit or vote on it; nobody can vote on it
  isError(await a.request('note.update', { board: board.id, note: n.id, text: 'sorry' }), 'not_found', 'author edits hidden note');
  isError(await a.request('note.vote', { board: board.id, note: n.id }), 'not_found', 'author votes hidden note');
  isError(await b.request('note.vote', { board: board.id, note: n.id }), 'not_found', 'other votes hidden note');

  // hiding again: accepted, no event
  const seqBefore = fac.maxSeq(code);
  ok(await fac.request('note.hide', { board: board.id, note: n.id }), 'hide twice');
  const m = ok(await b.request('note.add', { board: board.id, text: 'next' })).note;
  const evM = await fac.waitEvent((e) => e.ev === 'note.added' && e.note.id === m.id);
  assert.equal(evM.seq, seqBefore + 1, 'hiding a hidden note causes no event');
  assert.equal(fac.events.filter((e) => e.ev === 'note.hidden' && e.note === n.id).length, 1);
});

test('note.updated on a hidden note reaches participants without text', async () => {
  const { fac, board, a, b } = await room();
  const n = ok(await a.request('note.add', { board: board.id, text: 'secret v1' })).note;
  ok(await fac.request('note.hide', { board: board.id, note: n.id }));
  const r = ok(await fac.request('note.update', { board: board.id, note: n.id, text: 'secret v2' }));
  assert.equal(r.note.text, 'secret v2');
  const evF = await fac.waitEvent((e) => e.ev === 'note.updated' && e.note.id === n.id);
  assert.equal(evF.note.text, 'secret v2', 'the facilitator gets the full note');
  assert.equal(evF.note.hidden, true);
  for (const p of [a, b]) {
    const ev = await p.waitEvent((e) => e.ev === 'note.updated' && e.note.id === n.id);
    assert.equal(ev.seq, evF.seq);
    assert.deepEqual(ev.note, { id: n.id, hidden: true }, `${p.label}: reduced form`);
    assert.ok(!JSON.stringify(ev).includes('secret'), 'no text leaked');
  }
});

test('note.show brings the note back with its text', async () => {
  const { fac, board, a, b } = await room();
  const n = ok(await a.request('note.add', { board: board.id, text: 'controversial', color: 'orange' })).note;
  ok(await fac.request('note.hide', { board: board.id, note: n.id }));
  const r = ok(await fac.request('note.show', { board: board.id, note: n.id }));
  assert.equal(r.note.hidden, false);
  const evF = await fac.waitEvent((e) => e.ev === 'note.shown' && e.note.id === n.id);
  for (const p of [a, b]) {
    const ev = await p.waitEvent((e) => e.ev === 'note.shown' && e.note.id === n.id);
    assert.equal(ev.seq, evF.seq);
    assert.equal(ev.board, board.id);
    assert.equal(ev.note.text, 'controversial');
    assert.equal(ev.note.color, 'orange');
    assert.equal(ev.note.hidden, false);
    assert.equal(ev.note.author, a.id);
    const g = ok(await p.request('board.get', { board: board.id })).board;
    const gn = g.notes.find((x) => x.id === n.id);
    assert.ok(gn, `${p.label}: note back in board.get`);
    assert.equal(gn.text, 'controversial');
  }
  // author can edit and vote again
  ok(await a.request('note.update', { board: board.id, note: n.id, text: 'toned down' }));
  ok(await b.request('note.vote', { board: board.id, note: n.id }));
  await fac.waitEvent((e) => e.ev === 'note.voted' && e.note === n.id);
  // showing a visible note: accepted, no event
  const seqBefore = fac.maxSeq(board.session);
  ok(await fac.request('note.show', { board: board.id, note: n.id }), 'show twice');
  const m = ok(await fac.request('note.add', { board: board.id, text: 'after' })).note;
  const evM = await fac.waitEvent((e) => e.ev === 'note.added' && e.note.id === m.id);
  assert.equal(evM.seq, seqBefore + 1, 'showing a visible note causes no event');
});

test('votes on a note survive hide/show', async () => {
  const { fac, board, a, b } = await room();
  const n = ok(await a.request('note.add', { board: board.id, text: 'popular' })).note;
  ok(await b.request('note.vote', { board: board.id, note: n.id }));
  ok(await b.request('note.vote', { board: board.id, note: n.id }));
  ok(await fac.request('note.hide', { board: board.id, note: n.id }));
  const shown = ok(await fac.request('note.show', { board: board.id, note: n.id })).note;
  assert.equal(shown.votes, 2);
  const g = ok(await b.request('board.get', { board: board.id })).board;
  assert.equal(g.notes.find((x) => x.id === n.id).my_votes, 2);
});

test('participants may not hide, show, lock or unlock', async () => {
  const { board, a } = await room();
  const n = ok(await a.request('note.add', { board: board.id, text: 'mine' })).note;
  isError(await a.request('note.hide', { board: board.id, note: n.id }), 'forbidden', 'participant hide');
  isError(await a.request('note.show', { board: board.id, note: n.id }), 'forbidden', 'participant show');
  isError(await a.request('board.lock', { board: board.id }), 'forbidden', 'participant lock');
  isError(await a.request('board.unlock', { board: board.id }), 'forbidden', 'participant unlock');
});

test('board.lock: participants get locked on every write, facilitator still writes; unlock restores', async () => {
  const { fac, code, board, a, b } = await room();
  const mine = ok(await a.request('note.add', { board: board.id, text: 'before lock' })).note;
  const voted = ok(await b.request('note.add', { board: board.id, text: 'voted' })).note;
  ok(await a.request('note.vote', { board: board.id, note: voted.id }));

  const r = ok(await fac.request('board.lock', { board: board.id }));
  assert.equal(r.board.id, board.id);
  assert.equal(r.board.locked, true);
  const evF = await fac.waitEvent((e) => e.ev === 'board.locked' && e.board === board.id);
  assert.ok(fac.indexOf(evF) < fac.indexOf(r), 'event before reply');
  for (const p of [a, b]) {
    const ev = await p.waitEvent((e) => e.ev === 'board.locked' && e.board === board.id);
    assert.equal(ev.seq, evF.seq);
    assert.equal(ev.session, code);
  }
  const seqLocked = evF.seq;

  isError(await a.request('note.add', { board: board.id, text: 'while locked' }), 'locked', 'add');
  isError(await a.request('note.update', { board: board.id, note: mine.id, text: 'edit while locked' }), 'locked', 'update');
  isError(await a.request('note.delete', { board: board.id, note: mine.id }), 'locked', 'delete');
  isError(await a.request('note.vote', { board: board.id, note: voted.id }), 'locked', 'vote');
  isError(await a.request('note.unvote', { board: board.id, note: voted.id }), 'locked', 'unvote');

  const ga = ok(await a.request('board.get', { board: board.id })).board;
  assert.equal(ga.locked, true);
  assert.deepEqual(ga.notes.map((x) => [x.id, x.text]), [[mine.id, 'before lock'], [voted.id, 'voted']], 'nothing changed');
  assert.equal(ga.votes_left, 4);

  // locking twice: accepted, no event; the facilitator still writes
  ok(await fac.request('board.lock', { board: board.id }), 'lock twice');
  const f = ok(await fac.request('note.add', { board: board.id, text: 'facilitator writes' }), 'facilitator add while locked').note;
  const evAdd = await a.waitEvent((e) => e.ev === 'note.added' && e.note.id === f.id);
  assert.equal(evAdd.seq, seqLocked + 1, 'locking a locked board causes no event; participants no events either');
  ok(await fac.request('note.update', { board: board.id, note: mine.id, text: 'facilitator edit' }), 'facilitator update while locked');

  const u = ok(await fac.request('board.unlock', { board: board.id }));
  assert.equal(u.board.locked, false);
  const evU = await a.waitEvent((e) => e.ev === 'board.unlocked' && e.board === board.id);
  assert.equal(evU.session, code);
  ok(await a.request('note.add', { board: board.id, text: 'after unlock' }), 'add after unlock');
  ok(await a.request('note.update', { board: board.id, note: mine.id, text: 'edit after unlock' }), 'update after unlock');
  ok(await a.request('note.vote', { board: board.id, note: voted.id }), 'vote after unlock');
  ok(await a.request('note.unvote', { board: board.id, note: voted.id }), 'unvote after unlock');
  ok(await a.request('note.delete', { board: board.id, note: mine.id }), 'delete after unlock');
  await fac.waitEvent((e) => e.ev === 'note.deleted' && e.note === mine.id);
  // unlocking an unlocked board: accepted, no event
  const seqBefore = fac.maxSeq(code);
  ok(await fac.request('board.unlock', { board: board.id }), 'unlock twice');
  const g = ok(await fac.request('note.add', { board: board.id, text: 'probe' })).note;
  const evG = await fac.waitEvent((e) => e.ev === 'note.added' && e.note.id === g.id);
  assert.equal(evG.seq, seqBefore + 1, 'unlocking an unlocked board causes no event');
});

test('a locked board shows locked:true in snapshots and only locks that board', async () => {
  const { fac, code, board, a } = await room();
  const other = ok(await fac.request('board.create', { session: code, kind: 'wall', title: 'Open' })).board;
  ok(await fac.request('board.lock', { board: board.id }));
  const c = await participant(srv.port, code, 'Late');
  const snap = c.hello.session.boards;
  assert.equal(snap.find((x) => x.id === board.id).locked, true);
  assert.equal(snap.find((x) => x.id === other.id).locked, false);
  ok(await a.request('note.add', { board: other.id, text: 'other board is open' }));
  isError(await c.request('note.add', { board: board.id, text: 'no' }), 'locked');
});
