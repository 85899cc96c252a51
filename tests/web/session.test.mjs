// web-client/session.js, the pure state both pages share: snapshots, every
// event a session sends, seq holes, per-participant counts (votes given
// back, hidden notes), word clouds, and groups read from cluster data in
// any of the shapes it may take.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importClient } from './lib.mjs';

const M = await importClient('session.js');
const note = (id, author, extra = {}) => ({ id, board: 1, author, author_name: null, text: `n${id}`, color: 'yellow', x: 0, y: 0, votes: 0, hidden: false, created: id, ...extra });

function fresh() {
  const st = M.newState('K7MXPA');
  M.applySnapshot(st, {
    code: 'K7MXPA', title: 'T', seq: 10, participants: 2, join_url: 'http://x/j/K7MXPA', closed: null,
    boards: [{ id: 1, kind: 'wall', title: 'W', prompt: null, locked: false, vote_limit: 3, votes_left: 1,
      notes: [note(5, 7, { mine: true, my_votes: 0, votes: 1 }), note(6, 8, { mine: false, my_votes: 2, votes: 2 })] }],
  }, { id: 7, role: 'participant', name: null });
  return st;
}
let seq = 10;
const ev = (st, e) => M.applyEvent(st, { seq: ++seq, session: 'K7MXPA', time: 1, ...e });

test('snapshot, seq order: duplicates ignored, a hole asks for a resync', () => {
  seq = 10;
  const st = fresh();
  assert.equal(st.boards[0].notes.length, 2);
  assert.equal(M.applyEvent(st, { ev: 'participant.joined', seq: 10, participants: 9 }), null, 'already seen');
  assert.equal(st.participants, 2);
  assert.deepEqual(ev(st, { ev: 'participant.joined', participants: 3 }), { what: 'participants' });
  assert.equal(st.participants, 3);
  assert.deepEqual(M.applyEvent(st, { ev: 'participant.joined', seq: 13, participants: 4 }), { resync: true });
  assert.equal(st.seq, 11);
});

test('notes: mine by author, live edits keep my votes, hidden ones leave and come back, deletes give votes back', () => {
  seq = 10;
  const st = fresh();
  const b = st.boards[0];
  let r = ev(st, { ev: 'note.added', board: 1, note: note(9, 7), cid: 'c1' });
  assert.equal(r.what, 'note-added');
  assert.equal(r.note.mine, true);
  assert.equal(r.note.cid, 'c1');
  r = ev(st, { ev: 'note.added', board: 1, note: note(8, 8) });
  assert.deepEqual(b.notes.map((n) => n.id), [5, 6, 8, 9], 'creation order (ids)');
  ev(st, { ev: 'note.updated', board: 1, note: note(6, 8, { text: 'edited', votes: 2 }) });
  assert.equal(b.notes.find((n) => n.id === 6).text, 'edited');
  assert.equal(b.notes.find((n) => n.id === 6).my_votes, 2, 'my votes kept across an edit');
  ev(st, { ev: 'note.voted', board: 1, note: 6, votes: 3 });
  assert.equal(b.notes.find((n) => n.id === 6).votes, 3);
  // hidden (participant view of note.updated), then shown again: my votes come back
  ev(st, { ev: 'note.updated', board: 1, note: { id: 6, hidden: true } });
  assert.ok(!b.notes.some((n) => n.id === 6));
  assert.equal(b.votes_left, 1, 'a hidden note keeps its votes');
  ev(st, { ev: 'note.shown', board: 1, note: note(6, 8, { votes: 3 }) });
  assert.equal(b.notes.find((n) => n.id === 6).my_votes, 2);
  ev(st, { ev: 'note.hidden', board: 1, note: 6 });
  ev(st, { ev: 'note.deleted', board: 1, note: 6 });
  assert.equal(b.votes_left, 3, 'votes on a deleted note are given back');
  ev(st, { ev: 'board.locked', board: 1 });
  assert.equal(b.locked, true);
});

test('boards created live get the full budget; unknown events ask for the board again', () => {
  seq = 10;
  const st = fresh();
  const r = ev(st, { ev: 'board.created', board: { id: 2, session: 'K7MXPA', kind: 'cloud', title: 'C', prompt: null, locked: false, vote_limit: 5, word_quota: 3 } });
  assert.equal(r.what, 'board');
  assert.equal(M.findBoard(st, 2).votes_left, 5);
  assert.equal(M.findBoard(st, 2).words_left, 3);
  const u = ev(st, { ev: 'cluster.applied', board: 1, clusters: [{ label: 'Arbres', notes: [5] }] });
  assert.deepEqual(u.ids, [1]);
  assert.deepEqual(M.findBoard(st, 1).clusters, [{ label: 'Arbres', notes: [5] }]);
  assert.deepEqual(ev(st, { ev: 'something.new', board: 99 }), { what: 'refresh', ids: [99] });
  ev(st, { ev: 'session.closed' });
  assert.ok(st.closed);
  ev(st, { ev: 'session.reopened' });
  assert.equal(st.closed, null);
  assert.deepEqual(ev(st, { ev: 'session.anonymized' }).ids, [1, 2]);
});

test('groups: from note.cluster (label, id, object) or board.clusters; ungrouped notes last; none without data', () => {
  const b = { notes: [note(1, 1), note(2, 1), note(3, 1), note(4, 1)] };
  assert.equal(M.groupNotes(b), null);
  b.notes[0].cluster = 'Arbres';
  b.notes[1].cluster = { id: 2, label: 'Bancs' };
  b.notes[2].cluster = 'Arbres';
  let g = M.groupNotes(b);
  assert.deepEqual(g.map((x) => [x.label, x.notes.map((n) => n.id)]), [['Arbres', [1, 3]], ['Bancs', [2]], [null, [4]]]);
  const c = { clusters: [{ id: 'a', label: 'Propreté' }, { id: 'b', label: 'Ombre' }], notes: [note(1, 1, { cluster: 'b' }), note(2, 1, { cluster: 'a' })] };
  g = M.groupNotes(c);
  assert.deepEqual(g.map((x) => [x.label, x.notes.map((n) => n.id)]), [['Propreté', [2]], ['Ombre', [1]]], 'the board\'s order of clusters');
  const d = { clusters: [{ label: 'Eau', notes: [2] }, { label: 'Sol', notes: [1, 3] }], notes: [note(1, 1), note(2, 1), note(3, 1)] };
  g = M.groupNotes(d);
  assert.deepEqual(g.map((x) => [x.label, x.notes.map((n) => n.id)]), [['Eau', [2]], ['Sol', [1, 3]]]);
});

test('cloud.updated: one frame for the word.added events first..seq; a hole before `first` asks for a resync', () => {
  seq = 10;
  const st = fresh();
  M.applyEvent(st, { ev: 'board.created', seq: 11, session: 'K7MXPA', time: 1, board: { id: 3, kind: 'cloud', title: 'C', locked: false, vote_limit: 5, word_quota: 3 } });
  const b = M.findBoard(st, 3);
  const w = (key, count) => ({ key, text: key, count, hidden: false });
  const frame = (from, to, words) => ({ ev: 'cloud.updated', session: 'K7MXPA', time: 1, first: from, seq: to, added: to - from + 1, boards: [{ board: 3, words }] });
  const r = M.applyEvent(st, frame(12, 15, [w('velo', 2), w('bus', 1)]));
  assert.equal(r.what, 'words');
  assert.equal(r.board, b);
  assert.equal(st.seq, 15, 'the next expected seq follows the frame');
  assert.deepEqual(b.words.map((x) => [x.key, x.count]), [['velo', 2], ['bus', 1]]);
  assert.equal(M.applyEvent(st, frame(14, 15, [w('velo', 2)])), null, 'an old frame is ignored');
  M.applyEvent(st, frame(16, 16, [w('bus', 3)]));
  assert.deepEqual(b.words.map((x) => [x.key, x.count]), [['bus', 3], ['velo', 2]]);
  assert.deepEqual(M.applyEvent(st, frame(19, 20, [w('tram', 1)])), { resync: true }, 'seqs 17 and 18 are missing');
  assert.ok(!b.words.some((x) => x.key === 'tram'));
  assert.equal(M.applyEvent(st, { ev: 'note.added', seq: 17, session: 'K7MXPA', time: 1, board: 1, note: { id: 99, text: 'x', color: 'yellow', votes: 0 } }).what, 'note-added',
    'an ordinary event right after the frame');
});

test('word clouds: additions merge by key and sort by count, hidden and banned words leave, merges and resets', () => {
  seq = 10;
  const st = fresh();
  ev(st, { ev: 'board.created', board: { id: 3, kind: 'cloud', title: 'C', locked: false, vote_limit: 5, word_quota: 3 } });
  const b = M.findBoard(st, 3);
  const w = (key, count, text = key) => ({ key, text, count, hidden: false });
  ev(st, { ev: 'word.added', board: 3, key: 'velo', word: w('velo', 1, 'vélo') });
  ev(st, { ev: 'word.added', board: 3, key: 'bus', word: w('bus', 1) });
  ev(st, { ev: 'word.added', board: 3, key: 'tram', word: w('tram', 1) });
  ev(st, { ev: 'word.added', board: 3, key: 'bus', word: w('bus', 2) });
  assert.deepEqual(b.words.map((x) => [x.key, x.count]), [['bus', 2], ['velo', 1], ['tram', 1]], 'largest first, then earliest');
  ev(st, { ev: 'word.added', board: 3, key: 'tram', word: null });   // hidden entry: participants get null
  assert.deepEqual(b.words.map((x) => x.key), ['bus', 'velo']);
  ev(st, { ev: 'word.shown', board: 3, word: w('tram', 3) });
  assert.equal(b.words[0].key, 'tram');
  ev(st, { ev: 'word.hidden', board: 3, key: 'tram' });
  ev(st, { ev: 'word.merged', board: 3, from: 'velo', into: 'bus', word: w('bus', 3) });
  assert.deepEqual(b.words.map((x) => [x.key, x.count]), [['bus', 3]]);
  ev(st, { ev: 'word.banned', key: 'bus' });
  assert.deepEqual(b.words, []);
  assert.deepEqual(ev(st, { ev: 'word.unbanned', key: 'bus' }).ids, [3]);
  b.words_left = 0;
  ev(st, { ev: 'board.reset', board: 3 });
  assert.equal(b.words_left, 3);
});
