// Votes: dot-voting with a per-board limit.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  test, startServer, stopAll, facilitator, participant,
  ok, isError, makeSessionAndBoard,
} from './harness.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await stopAll(); });

async function room(boardFields = {}) {
  const fac = await facilitator(srv.port);
  const { code, board } = await makeSessionAndBoard(fac, { boardFields });
  const a = await participant(srv.port, code, 'Ann', { label: 'Ann' });
  const b = await participant(srv.port, code, 'Ben', { label: 'Ben' });
  return { fac, code, board, a, b };
}

test('default vote_limit 5: votes_left counts down, several on one note, 6th is forbidden', async () => {
  const { fac, board, a, b } = await room();
  assert.equal(board.vote_limit, 5);
  assert.equal(a.hello.session.boards[0].votes_left, 5);
  const n1 = ok(await b.request('note.add', { board: board.id, text: 'vote me' })).note;
  const n2 = ok(await b.request('note.add', { board: board.id, text: 'me too' })).note;

  const expect = [[n1, 1, 4], [n1, 2, 3], [n1, 3, 2], [n2, 1, 1], [n2, 2, 0]];
  for (const [n, total, left] of expect) {
    const r = ok(await a.request('note.vote', { board: board.id, note: n.id }), `vote on ${n.id}`);
    assert.equal(r.note, n.id);
    assert.equal(r.votes, total);
    assert.equal(r.votes_left, left);
    const ev = await a.waitEvent((e) => e.ev === 'note.voted' && e.note === n.id && e.votes === total);
    assert.ok(a.indexOf(ev) < a.indexOf(r), 'event before reply');
    assert.equal(ev.board, board.id);
    const evF = await fac.waitEvent((e) => e.ev === 'note.voted' && e.note === n.id && e.votes === total);
    assert.equal(evF.seq, ev.seq);
    const evB = await b.waitEvent((e) => e.ev === 'note.voted' && e.note === n.id && e.votes === total);
    assert.equal(evB.seq, ev.seq);
  }
  const seqBefore = fac.maxSeq(a.hello.session.code);
  const sixth = isError(await a.request('note.vote', { board: board.id, note: n2.id }), 'forbidden', '6th vote');
  assert.ok(/vote|limit/i.test(sixth.message), `message says why: ${sixth.message}`);
  isError(await a.request('note.vote', { board: board.id, note: n1.id }), 'forbidden', '6th vote on other note');

  const ga = ok(await a.request('board.get', { board: board.id })).board;
  assert.equal(ga.votes_left, 0);
  const g1 = ga.notes.find((n) => n.id === n1.id);
  const g2 = ga.notes.find((n) => n.id === n2.id);
  assert.equal(g1.votes, 3); assert.equal(g1.my_votes, 3);
  assert.equal(g2.votes, 2); assert.equal(g2.my_votes, 2);
  // another participant has its own votes
  const gb = ok(await b.request('board.get', { board: board.id })).board;
  assert.equal(gb.votes_left, 5);
  assert.equal(gb.notes.find((n) => n.id === n1.id).my_votes, 0);
  assert.equal(gb.notes.find((n) => n.id === n1.id).votes, 3);
  const rb = ok(await b.request('note.vote', { board: board.id, note: n1.id }));
  assert.equal(rb.votes, 4);
  assert.equal(rb.votes_left, 4);
  // the refused votes caused no event: the next event follows directly
  const evNext = await fac.waitEvent((e) => e.ev === 'note.voted' && e.note === n1.id && e.votes === 4);
  assert.equal(evNext.seq, seqBefore + 1, 'a refused vote must not consume a seq');
});

test('unvote gives a vote back; unvote without own vote there is bad_request', async () => {
  const { fac, board, a, b } = await room();
  const n = ok(await b.request('note.add', { board: board.id, text: 'n' })).note;
  const m = ok(await b.request('note.add', { board: board.id, text: 'm' })).note;
  for (let i = 0; i < 5; i++) ok(await a.request('note.vote', { board: board.id, note: n.id }));
  isError(await a.request('note.vote', { board: board.id, note: m.id }), 'forbidden', 'over limit');
  const r = ok(await a.request('note.unvote', { board: board.id, note: n.id }));
  assert.equal(r.note, n.id);
  assert.equal(r.votes, 4);
  assert.equal(r.votes_left, 1);
  const ev = await fac.waitEvent((e) => e.ev === 'note.unvoted' && e.note === n.id);
  assert.equal(ev.votes, 4);
  assert.equal(ev.board, board.id);
  const evA = await a.waitEvent((e) => e.ev === 'note.unvoted' && e.note === n.id);
  assert.ok(a.indexOf(evA) < a.indexOf(r), 'event before reply');
  const v = ok(await a.request('note.vote', { board: board.id, note: m.id }), 'vote again after unvote');
  assert.equal(v.votes_left, 0);
  // b has no vote on n
  isError(await b.request('note.unvote', { board: board.id, note: n.id }), 'bad_request', 'unvote without own vote');
  // facilitator cannot unvote either (participants only)
  isError(await fac.request('note.unvote', { board: board.id, note: n.id }), 'forbidden', 'facilitator unvote');
  // unvote everything on n, then one more is bad_request
  for (let i = 3; i >= 0; i--) {
    const u = ok(await a.request('note.unvote', { board: board.id, note: n.id }));
    assert.equal(u.votes, i);
  }
  isError(await a.request('note.unvote', { board: board.id, note: n.id }), 'bad_request', 'unvote below zero');
  const g = ok(await a.request('board.get', { board: board.id })).board;
  assert.equal(g.votes_left, 4);
  assert.equal(g.notes.find((x) => x.id === n.id).votes, 0);
});

test('facilitator vote is forbidden', async () => {
  const { fac, board, b } = await room();
  const n = ok(await b.request('note.add', { board: board.id, text: 'n' })).note;
  isError(await fac.request('note.vote', { board: board.id, note: n.id }), 'forbidden', 'facilitator vote');
  const g = ok(await fac.request('board.get', { board: board.id })).board;
  assert.equal(g.notes.find((x) => x.id === n.id).votes, 0);
});

test('deleting a voted note gives the votes back', async () => {
  const { fac, board, a, b } = await room();
  const n = ok(await b.request('note.add', { board: board.id, text: 'doomed' })).note;
  const keep = ok(await b.request('note.add', { board: board.id, text: 'keeper' })).note;
  for (let i = 0; i < 3; i++) ok(await a.request('note.vote', { board: board.id, note: n.id }));
  ok(await a.request('note.vote', { board: board.id, note: keep.id }));
  assert.equal(ok(await a.request('board.get', { board: board.id })).board.votes_left, 1);
  ok(await b.request('note.delete', { board: board.id, note: n.id }));
  await a.waitEvent((e) => e.ev === 'note.deleted' && e.note === n.id);
  assert.equal(ok(await a.request('board.get', { board: board.id })).board.votes_left, 4, 'votes on the deleted note come back');
  for (let i = 0; i < 4; i++) {
    const r = ok(await a.request('note.vote', { board: board.id, note: keep.id }), `vote ${i + 1} after delete`);
    assert.equal(r.votes_left, 3 - i);
  }
  isError(await a.request('note.vote', { board: board.id, note: keep.id }), 'forbidden', 'limit again');
  // also when the facilitator deletes it
  ok(await a.request('note.unvote', { board: board.id, note: keep.id }));
  const n2 = ok(await b.request('note.add', { board: board.id, text: 'doomed 2' })).note;
  ok(await a.request('note.vote', { board: board.id, note: n2.id }));
  ok(await fac.request('note.delete', { board: board.id, note: n2.id }));
  assert.equal(ok(await a.request('board.get', { board: board.id })).board.votes_left, 1);
  isError(await a.request('note.vote', { board: board.id, note: n2.id }), 'not_found', 'vote on a deleted note');
});

test('vote_limit given at board.create is respected, per board', async () => {
  const fac = await facilitator(srv.port);
  const { code, board } = await makeSessionAndBoard(fac, { boardFields: { vote_limit: 2 } });
  assert.equal(board.vote_limit, 2);
  const zero = ok(await fac.request('board.create', { session: code, kind: 'wall', title: 'No votes', vote_limit: 0 })).board;
  assert.equal(zero.vote_limit, 0);
  const hundred = ok(await fac.request('board.create', { session: code, kind: 'wall', title: 'Many', vote_limit: 100 })).board;
  assert.equal(hundred.vote_limit, 100);
  for (const bad of [-1, 101, 2.5, '3']) {
    isError(await fac.request('board.create', { session: code, kind: 'wall', title: 'bad', vote_limit: bad }), 'bad_request', `vote_limit ${JSON.stringify(bad)}`);
  }
  const a = await participant(srv.port, code, 'Ann');
  const snap = a.hello.session.boards;
  assert.deepEqual(snap.map((b) => [b.id, b.vote_limit, b.votes_left]), [[board.id, 2, 2], [zero.id, 0, 0], [hundred.id, 100, 100]]);
  const n = ok(await fac.request('note.add', { board: board.id, text: 'n' })).note;
  const z = ok(await fac.request('note.add', { board: zero.id, text: 'z' })).note;
  const h = ok(await fac.request('note.add', { board: hundred.id, text: 'h' })).note;
  assert.equal(ok(await a.request('note.vote', { board: board.id, note: n.id })).votes_left, 1);
  assert.equal(ok(await a.request('note.vote', { board: board.id, note: n.id })).votes_left, 0);
  isError(await a.request('note.vote', { board: board.id, note: n.id }), 'forbidden', 'third vote with limit 2');
  isError(await a.request('note.vote', { board: zero.id, note: z.id }), 'forbidden', 'vote with limit 0');
  // votes on one board do not use up another board's votes
  assert.equal(ok(await a.request('note.vote', { board: hundred.id, note: h.id })).votes_left, 99);
});

test('vote on a note of another board or unknown note is not_found', async () => {
  const fac = await facilitator(srv.port);
  const { code, board } = await makeSessionAndBoard(fac);
  const other = ok(await fac.request('board.create', { session: code, kind: 'wall', title: 'Other' })).board;
  const a = await participant(srv.port, code, 'Ann');
  const n = ok(await fac.request('note.add', { board: other.id, text: 'elsewhere' })).note;
  isError(await a.request('note.vote', { board: board.id, note: n.id }), 'not_found', 'note on a different board');
  isError(await a.request('note.vote', { board: board.id, note: 99999999 }), 'not_found', 'unknown note');
  isError(await a.request('note.vote', { board: 99999999, note: n.id }), 'not_found', 'unknown board');
});
