// Wall: notes added/updated/deleted by several clients, event fan-out and ordering, limits.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  test, startServer, stopAll, facilitator, participant,
  ok, isError, assertConsecutive, makeSessionAndBoard, COLORS,
} from './harness.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await stopAll(); });

/** facilitator + 3 participants on a fresh session with one wall board */
async function room() {
  const fac = await facilitator(srv.port);
  const { code, board } = await makeSessionAndBoard(fac, { title: 'Wall room' });
  const ps = [];
  for (const name of ['Ann', 'Ben', 'Cid']) ps.push(await participant(srv.port, code, name, { label: name }));
  // wait until everyone has seen the last join (seq: 1 created, 2 board, 3..5 joins)
  for (const c of [fac, ...ps.slice(0, 2)]) await c.waitSeq(code, 5);
  return { fac, code, board, ps };
}

test('note.add by one participant reaches everybody with the same seq; events before reply', async () => {
  const { fac, code, board, ps } = await room();
  const [a, b, c] = ps;
  const r = ok(await a.request('note.add', { board: board.id, text: 'We shipped on time', color: 'green', x: 10.5, y: -3 }));
  const n = r.note;
  assert.ok(Number.isInteger(n.id));
  assert.equal(n.board, board.id);
  assert.equal(n.author, a.id);
  assert.equal(n.author_name, 'Ann');
  assert.equal(n.text, 'We shipped on time');
  assert.equal(n.color, 'green');
  assert.equal(n.x, 10.5);
  assert.equal(n.y, -3);
  assert.equal(n.votes, 0);
  assert.equal(n.hidden, false);
  assert.equal(typeof n.created, 'number');
  assert.equal(n.mine, true);
  assert.equal(n.my_votes, 0);

  const evA = await a.waitEvent((e) => e.ev === 'note.added' && e.note.id === n.id);
  assert.ok(a.indexOf(evA) < a.indexOf(r), 'the author receives note.added before the reply');
  assert.equal(evA.seq, 6);
  assert.equal(evA.session, code);
  for (const cl of [b, c, fac]) {
    const ev = await cl.waitEvent((e) => e.ev === 'note.added' && e.note.id === n.id);
    assert.equal(ev.seq, evA.seq, `${cl.label} sees the same seq`);
    assert.equal(ev.session, code);
    assert.equal(ev.board, board.id);
    assert.equal(ev.note.text, 'We shipped on time');
    assert.equal(ev.note.author, a.id);
    assert.equal(ev.note.color, 'green');
    assert.equal(ev.note.hidden, false);
  }

  // defaults
  const d = ok(await b.request('note.add', { board: board.id, text: 'defaults' })).note;
  assert.equal(d.color, 'yellow');
  assert.equal(d.x, 0);
  assert.equal(d.y, 0);
  assert.ok(d.id > n.id, 'note ids increase');
});

test('events are the same for every participant: notes in events carry neither mine nor my_votes', async () => {
  // PROTOCOL.md, Objects: "In replies and snapshots sent to a participant, a note also carries
  // mine ... and my_votes ... Events are the same for every participant and carry neither".
  const { fac, board, ps } = await room();
  const [a, b, c] = ps;
  const n = ok(await a.request('note.add', { board: board.id, text: 'whose is it?' }));
  assert.equal(n.note.mine, true, 'the reply carries mine');
  assert.equal(n.note.my_votes, 0, 'the reply carries my_votes');
  const id = n.note.id;
  ok(await b.request('note.vote', { board: board.id, note: id }));
  ok(await a.request('note.update', { board: board.id, note: id, text: 'mine!' }));
  ok(await fac.request('note.hide', { board: board.id, note: id }));
  ok(await fac.request('note.show', { board: board.id, note: id }));
  for (const ev of ['note.added', 'note.updated', 'note.shown']) {
    const copies = [];
    for (const p of [a, b, c]) {
      const e = await p.waitEvent((x) => x.ev === ev && x.note.id === id);
      assert.equal(e.note.mine, undefined, `${ev} to ${p.label} carries mine: ${JSON.stringify(e)}`);
      assert.equal(e.note.my_votes, undefined, `${ev} to ${p.label} carries my_votes: ${JSON.stringify(e)}`);
      assert.equal(e.note.author, a.id, 'compare author with you.id instead');
      copies.push(e);
    }
    assert.deepEqual(copies[1], copies[0], `${ev}: Ben's copy equals Ann's`);
    assert.deepEqual(copies[2], copies[0], `${ev}: Cid's copy equals Ann's`);
  }
  const upd = a.events.find((x) => x.ev === 'note.updated' && x.note.id === id);
  assert.equal(upd.note.text, 'mine!');
  assert.equal(upd.note.votes, 1);
  // board.get replies still carry them
  const gb = ok(await b.request('board.get', { board: board.id })).board.notes.find((x) => x.id === id);
  assert.equal(gb.mine, false);
  assert.equal(gb.my_votes, 1);
});

test('concurrent writers: every client gets the same consecutive seqs in the same order', async () => {
  const { fac, code, board, ps } = await room();
  const writers = [fac, ...ps];
  const startSeq = Math.max(...writers.map((c) => c.maxSeq(code)));
  assert.equal(startSeq, 5);
  const perWriter = 8;
  const all = await Promise.all(writers.map((w, wi) => Promise.all(
    Array.from({ length: perWriter }, (_, i) => w.request('note.add', { board: board.id, text: `w${wi} n${i}` })),
  )));
  for (const list of all) for (const r of list) ok(r, 'concurrent note.add');
  const total = writers.length * perWriter;
  const lastSeq = startSeq + total;
  for (const w of writers) await w.waitSeq(code, lastSeq);
  // a final round-trip so that any stray extra event would have arrived too
  for (const w of writers) ok(await w.request('ping'));
  const seqLists = writers.map((w) => w.eventsOf(code).filter((e) => e.seq > startSeq));
  for (let i = 0; i < writers.length; i++) {
    const l = seqLists[i];
    assert.equal(l.length, total, `${writers[i].label} got ${l.length} events after seq ${startSeq}, expected ${total}`);
    assertConsecutive(l, writers[i].label);
    assert.equal(l[0].seq, startSeq + 1);
    assert.equal(l[l.length - 1].seq, lastSeq);
    assert.ok(l.every((e) => e.ev === 'note.added'));
  }
  const sig = (l) => l.map((e) => `${e.seq}:${e.note.id}:${e.note.text}`).join(',');
  for (let i = 1; i < writers.length; i++) {
    assert.equal(sig(seqLists[i]), sig(seqLists[0]), `${writers[i].label} and ${writers[0].label} see the same order`);
  }
  // every note.add reply's note appears in the events
  const ids = new Set(seqLists[0].map((e) => e.note.id));
  for (const list of all) for (const r of list) assert.ok(ids.has(r.note.id));
  // every client's reply for its own note came after the corresponding event
  for (let wi = 0; wi < writers.length; wi++) {
    for (const r of all[wi]) {
      const ev = writers[wi].events.find((e) => e.ev === 'note.added' && e.note.id === r.note.id);
      assert.ok(writers[wi].indexOf(ev) < writers[wi].indexOf(r), 'event before reply');
    }
  }
  for (const w of writers) assert.deepEqual(w.anomalies, [], `${w.label}: anomalies`);
  // board.get lists them all, in creation order
  const g = ok(await fac.request('board.get', { board: board.id }));
  assert.deepEqual(g.board.notes.map((n) => n.id), seqLists[0].map((e) => e.note.id));
});

test('note.update: own ok, another participant forbidden, facilitator may update any', async () => {
  const { fac, board, ps } = await room();
  const [a, b, c] = ps;
  const n = ok(await a.request('note.add', { board: board.id, text: 'draft' })).note;
  const r = ok(await a.request('note.update', { board: board.id, note: n.id, text: 'final', color: 'pink', x: 5, y: 6 }));
  assert.equal(r.note.id, n.id);
  assert.equal(r.note.text, 'final');
  assert.equal(r.note.color, 'pink');
  assert.equal(r.note.x, 5);
  assert.equal(r.note.y, 6);
  assert.equal(r.note.author, a.id);
  assert.equal(r.note.created, n.created);
  const evA = await a.waitEvent((e) => e.ev === 'note.updated' && e.note.id === n.id);
  assert.ok(a.indexOf(evA) < a.indexOf(r), 'event before reply');
  for (const cl of [b, c, fac]) {
    const ev = await cl.waitEvent((e) => e.ev === 'note.updated' && e.note.id === n.id);
    assert.equal(ev.seq, evA.seq);
    assert.equal(ev.board, board.id);
    assert.equal(ev.note.text, 'final');
    assert.equal(ev.note.color, 'pink');
  }
  // partial update keeps other fields
  const r2 = ok(await a.request('note.update', { board: board.id, note: n.id, x: 99 }));
  assert.equal(r2.note.text, 'final');
  assert.equal(r2.note.color, 'pink');
  assert.equal(r2.note.x, 99);

  isError(await b.request('note.update', { board: board.id, note: n.id, text: 'hijack' }), 'forbidden', 'other participant update');
  isError(await b.request('note.delete', { board: board.id, note: n.id }), 'forbidden', 'other participant delete');
  const still = ok(await fac.request('board.get', { board: board.id })).board.notes.find((x) => x.id === n.id);
  assert.equal(still.text, 'final', 'a forbidden update changes nothing');

  const f = ok(await fac.request('note.update', { board: board.id, note: n.id, text: 'moderated' }));
  assert.equal(f.note.text, 'moderated');
  assert.equal(f.note.author, a.id, 'facilitator edit keeps the author');
  await a.waitEvent((e) => e.ev === 'note.updated' && e.note.id === n.id && e.note.text === 'moderated');
});

test('note.delete: own ok, event to all, reply {note}, facilitator may delete any', async () => {
  const { fac, board, ps } = await room();
  const [a, b] = ps;
  const n1 = ok(await a.request('note.add', { board: board.id, text: 'to delete' })).note;
  const n2 = ok(await b.request('note.add', { board: board.id, text: 'also to delete' })).note;
  const r = ok(await a.request('note.delete', { board: board.id, note: n1.id }));
  assert.equal(r.note, n1.id);
  const evA = await a.waitEvent((e) => e.ev === 'note.deleted' && e.note === n1.id);
  assert.ok(a.indexOf(evA) < a.indexOf(r));
  for (const cl of [b, fac]) {
    const ev = await cl.waitEvent((e) => e.ev === 'note.deleted' && e.note === n1.id);
    assert.equal(ev.seq, evA.seq);
    assert.equal(ev.board, board.id);
  }
  isError(await a.request('note.delete', { board: board.id, note: n1.id }), 'not_found', 'delete twice');
  isError(await a.request('note.update', { board: board.id, note: n1.id, text: 'x' }), 'not_found', 'update deleted');
  ok(await fac.request('note.delete', { board: board.id, note: n2.id }), 'facilitator deletes any note');
  await b.waitEvent((e) => e.ev === 'note.deleted' && e.note === n2.id);
  const g = ok(await b.request('board.get', { board: board.id }));
  assert.ok(!g.board.notes.some((x) => x.id === n1.id || x.id === n2.id), 'deleted notes are gone');
});

test('colors: the six colors are accepted, others are bad_request', async () => {
  const { board, ps } = await room();
  const [a] = ps;
  for (const color of COLORS) {
    const r = ok(await a.request('note.add', { board: board.id, text: `in ${color}`, color }), color);
    assert.equal(r.note.color, color);
  }
  for (const color of ['red', 'YELLOW', '', '#ffff00', 3, null, true]) {
    isError(await a.request('note.add', { board: board.id, text: 'bad color', color }), 'bad_request', `color ${JSON.stringify(color)}`);
  }
  const n = ok(await a.request('note.add', { board: board.id, text: 'recolor me' })).note;
  isError(await a.request('note.update', { board: board.id, note: n.id, color: 'red' }), 'bad_request', 'update to red');
  // color, x and y may be left out, but not set to null
  isError(await a.request('note.update', { board: board.id, note: n.id, color: null }), 'bad_request', 'update color null');
  isError(await a.request('note.add', { board: board.id, text: 'x null', x: null }), 'bad_request', 'add x null');
  isError(await a.request('note.add', { board: board.id, text: 'y null', y: null }), 'bad_request', 'add y null');
  isError(await a.request('note.update', { board: board.id, note: n.id, x: null }), 'bad_request', 'update x null');
  isError(await a.request('note.update', { board: board.id, note: n.id, y: null }), 'bad_request', 'update y null');
  const r = ok(await a.request('note.update', { board: board.id, note: n.id, color: 'purple' }));
  assert.equal(r.note.color, 'purple');
});

test('text limits: 1..500 code points after trimming', async () => {
  const { board, ps } = await room();
  const [a] = ps;
  const add = (text) => a.request('note.add', { board: board.id, text });

  let r = ok(await add('a'.repeat(500)), '500 ascii');
  assert.equal(r.note.text.length, 500);
  isError(await add('a'.repeat(501)), 'bad_request', '501 ascii');

  r = ok(await add('é'.repeat(500)), '500 x é (1000 bytes)');
  assert.equal(r.note.text, 'é'.repeat(500));
  isError(await add('é'.repeat(501)), 'bad_request', '501 x é');

  r = ok(await add('😀'.repeat(500)), '500 x emoji (astral, 2000 bytes)');
  assert.equal(r.note.text, '😀'.repeat(500));
  isError(await add('😀'.repeat(501)), 'bad_request', '501 x emoji');

  r = ok(await add(`   ${'b'.repeat(500)}  \n`), '500 chars surrounded by white space');
  assert.equal(r.note.text.trim(), 'b'.repeat(500));

  isError(await add(''), 'bad_request', 'empty text');
  isError(await add('    '), 'bad_request', 'spaces only');
  isError(await add(' \t\n\r '), 'bad_request', 'white space only');
  isError(await a.request('note.add', { board: board.id }), 'bad_request', 'missing text');
  isError(await add(42), 'bad_request', 'numeric text');
  isError(await add(null), 'bad_request', 'null text');

  const n = ok(await add('short')).note;
  isError(await a.request('note.update', { board: board.id, note: n.id, text: 'c'.repeat(501) }), 'bad_request', 'update 501');
  isError(await a.request('note.update', { board: board.id, note: n.id, text: '  ' }), 'bad_request', 'update blank');
  const u = ok(await a.request('note.update', { board: board.id, note: n.id, text: 'ü'.repeat(500) }));
  assert.equal(u.note.text, 'ü'.repeat(500));

  // non-ASCII text survives the round trip unchanged
  const t = 'Zoë says 你好 — «ok» 🎉';
  const rr = ok(await add(t));
  assert.equal(rr.note.text, t);
});

test('board.get returns the visible notes in creation order with participant fields', async () => {
  const { fac, board, ps } = await room();
  const [a, b] = ps;
  const n1 = ok(await a.request('note.add', { board: board.id, text: 'one' })).note;
  const n2 = ok(await b.request('note.add', { board: board.id, text: 'two', color: 'blue' })).note;
  const n3 = ok(await fac.request('note.add', { board: board.id, text: 'three' })).note;
  assert.equal(n3.author, 0);
  const ga = ok(await a.request('board.get', { board: board.id })).board;
  assert.equal(ga.id, board.id);
  assert.equal(ga.kind, 'wall');
  assert.equal(ga.votes_left, 5);
  assert.deepEqual(ga.notes.map((n) => n.id), [n1.id, n2.id, n3.id]);
  assert.deepEqual(ga.notes.map((n) => n.text), ['one', 'two', 'three']);
  assert.deepEqual(ga.notes.map((n) => n.mine), [true, false, false]);
  assert.deepEqual(ga.notes.map((n) => n.my_votes), [0, 0, 0]);
  assert.equal(ga.notes[1].color, 'blue');
  assert.equal(ga.notes[1].author_name, 'Ben');
  const gb = ok(await b.request('board.get', { board: board.id })).board;
  assert.deepEqual(gb.notes.map((n) => n.mine), [false, true, false]);
  const gf = ok(await fac.request('board.get', { board: board.id })).board;
  assert.deepEqual(gf.notes.map((n) => n.id), [n1.id, n2.id, n3.id]);
});

test('x and y accept free numbers; non-numbers are bad_request', async () => {
  const { board, ps } = await room();
  const [a] = ps;
  const r = ok(await a.request('note.add', { board: board.id, text: 'pos', x: -12.25, y: 1e6 }));
  assert.equal(r.note.x, -12.25);
  assert.equal(r.note.y, 1e6);
  isError(await a.request('note.add', { board: board.id, text: 'pos', x: 'left' }), 'bad_request', 'x string');
  isError(await a.request('note.add', { board: 'one', text: 'pos' }), 'bad_request', 'board string');
});
