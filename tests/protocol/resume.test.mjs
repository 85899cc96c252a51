// Resume after a disconnect, and idempotent note.add with cid.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  test, startServer, stopAll, connect, facilitator, participant, resumeParticipant,
  ok, isError, assertConsecutive, makeSessionAndBoard, TOKEN, httpGet,
} from './harness.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await stopAll(); });

test('resume with since: same identity, no snapshot, exactly the missed events after the reply', async () => {
  const fac = await facilitator(srv.port);
  const { code, board } = await makeSessionAndBoard(fac);
  const a = await participant(srv.port, code, 'Ann', { label: 'Ann' });
  const b = await participant(srv.port, code, 'Ben', { label: 'Ben' });
  await a.waitSeq(code, 4);
  const mine = ok(await a.request('note.add', { board: board.id, text: 'before leaving' })).note;
  const lastSeq = a.maxSeq(code);
  assert.equal(lastSeq, 5);
  await a.close();

  const missed = [];
  missed.push(ok(await b.request('note.add', { board: board.id, text: 'missed 1' })).note);
  missed.push(ok(await fac.request('note.add', { board: board.id, text: 'missed 2' })).note);
  missed.push(ok(await b.request('note.add', { board: board.id, text: 'missed 3' })).note);
  await fac.waitSeq(code, lastSeq + 3);

  const { client: a2, reply } = await resumeParticipant(srv.port, a.resume, lastSeq, { label: 'Ann again' });
  ok(reply, 'resume hello');
  assert.equal(reply.you.id, a.id);
  assert.equal(reply.you.name, 'Ann');
  assert.equal(reply.you.role, 'participant');
  assert.equal(reply.resume, a.resume);
  assert.equal(reply.session, undefined, 'with since the reply carries no snapshot');

  await a2.waitSeq(code, lastSeq + 3);
  ok(await a2.request('ping'), 'round trip so that any extra event would have arrived');
  const evs = a2.eventsOf(code);
  assert.deepEqual(evs.map((e) => e.seq), [lastSeq + 1, lastSeq + 2, lastSeq + 3], `exactly the missed events: ${JSON.stringify(evs.map((e) => [e.seq, e.ev]))}`);
  assert.deepEqual(evs.map((e) => e.ev), ['note.added', 'note.added', 'note.added']);
  assert.deepEqual(evs.map((e) => e.note.id), missed.map((n) => n.id));
  assert.deepEqual(evs.map((e) => e.note.text), ['missed 1', 'missed 2', 'missed 3']);
  for (const e of evs) assert.ok(a2.indexOf(reply) < a2.indexOf(e), 'missed events follow the reply');

  // the identity is kept: own note still editable, new events arrive live
  const u = ok(await a2.request('note.update', { board: board.id, note: mine.id, text: 'after coming back' }));
  assert.equal(u.note.author, a.id);
  assert.equal(u.note.mine, true);
  const live = ok(await b.request('note.add', { board: board.id, text: 'live' })).note;
  const ev = await a2.waitEvent((e) => e.ev === 'note.added' && e.note.id === live.id);
  assert.equal(ev.seq, lastSeq + 5);
  assertConsecutive(a2.eventsOf(code), 'resumed connection');
  // no new participant.joined for a resume
  const joins = fac.events.filter((e) => e.ev === 'participant.joined' && e.participant.id === a.id);
  assert.equal(joins.length, 1, 'resuming does not cause participant.joined again');
});

test('resume without since: fresh snapshot with own notes and votes', async () => {
  const fac = await facilitator(srv.port);
  const { code, board } = await makeSessionAndBoard(fac);
  const a = await participant(srv.port, code, 'Ann');
  const n = ok(await a.request('note.add', { board: board.id, text: 'mine' })).note;
  const f = ok(await fac.request('note.add', { board: board.id, text: 'facilitator' })).note;
  ok(await a.request('note.vote', { board: board.id, note: f.id }));
  ok(await a.request('note.vote', { board: board.id, note: f.id }));
  await a.terminate();
  ok(await fac.request('note.add', { board: board.id, text: 'while away' }));
  const { client: a2, reply } = await resumeParticipant(srv.port, a.resume);
  ok(reply);
  assert.equal(reply.you.id, a.id);
  assert.equal(reply.resume, a.resume);
  assert.ok(reply.session, 'without since the reply carries a snapshot');
  assert.equal(reply.session.code, code);
  assert.equal(reply.session.seq, fac.maxSeq(code));
  const sb = reply.session.boards.find((x) => x.id === board.id);
  assert.equal(sb.votes_left, 3);
  assert.deepEqual(sb.notes.map((x) => x.text), ['mine', 'facilitator', 'while away']);
  assert.equal(sb.notes[0].mine, true);
  assert.equal(sb.notes[0].id, n.id);
  assert.equal(sb.notes[1].my_votes, 2);
  assert.equal(sb.notes[1].votes, 2);
  ok(await a2.request('note.unvote', { board: board.id, note: f.id }), 'own votes still own');
});

test('resume with since racing new events: missed events first, in seq order, no gaps', async () => {
  const fac = await facilitator(srv.port);
  const { code, board } = await makeSessionAndBoard(fac);
  const a = await participant(srv.port, code, 'Ann');
  const b = await participant(srv.port, code, 'Ben');
  await a.waitSeq(code, 4);
  const since = a.maxSeq(code);
  await a.close();
  for (let i = 0; i < 10; i++) ok(await b.request('note.add', { board: board.id, text: `away ${i}` }));
  // reconnect while b keeps writing
  const writes = Promise.all(Array.from({ length: 20 }, (_, i) => b.request('note.add', { board: board.id, text: `during ${i}` })));
  const { client: a2, reply } = await resumeParticipant(srv.port, a.resume, since);
  ok(reply);
  const ws = await writes;
  for (const r of ws) ok(r);
  const last = since + 30;
  await a2.waitSeq(code, last);
  const evs = a2.eventsOf(code);
  assert.equal(evs[0].seq, since + 1, 'starts right after since');
  assertConsecutive(evs, 'resumed connection');
  assert.equal(evs[evs.length - 1].seq, last);
  assert.equal(new Set(evs.map((e) => e.seq)).size, evs.length, 'no duplicated seq');
});

test('unknown resume secret -> not_found', async () => {
  const c = await connect(srv.port);
  isError(await c.request('hello', { role: 'participant', resume: 'ffffffffffffffffffffffffffffffff', since: 0 }), 'not_found', 'unknown secret');
  isError(await c.request('hello', { role: 'participant', resume: 'ffffffffffffffffffffffffffffffff' }), 'not_found', 'unknown secret without since');
  const fac = await facilitator(srv.port);
  const { code } = await makeSessionAndBoard(fac);
  const p = await participant(srv.port, code, 'P');
  // a secret is exact: changing one character does not match
  const wrong = p.resume.slice(0, -1) + (p.resume.slice(-1) === '0' ? '1' : '0');
  isError(await c.request('hello', { role: 'participant', resume: wrong }), 'not_found', 'altered secret');
});

test('facilitator hello with session and since follows the session again', async () => {
  const fac = await facilitator(srv.port);
  const { code, board } = await makeSessionAndBoard(fac);
  const since = fac.maxSeq(code);
  await fac.close();
  const p = await participant(srv.port, code, 'P');
  const n = ok(await p.request('note.add', { board: board.id, text: 'while the facilitator was away' })).note;
  const fac2 = await connect(srv.port, { label: 'facilitator again' });
  const r = ok(await fac2.request('hello', { role: 'facilitator', token: TOKEN, session: code, since }));
  assert.equal(r.you.id, 0);
  await fac2.waitSeq(code, since + 2);
  const evs = fac2.eventsOf(code);
  assert.deepEqual(evs.map((e) => [e.seq, e.ev]), [[since + 1, 'participant.joined'], [since + 2, 'note.added']]);
  assert.equal(evs[1].note.id, n.id);
  for (const e of evs) assert.ok(fac2.indexOf(r) < fac2.indexOf(e), 'events follow the reply');
  const n2 = ok(await p.request('note.add', { board: board.id, text: 'live' })).note;
  const ev = await fac2.waitEvent((e) => e.ev === 'note.added' && e.note.id === n2.id);
  assert.equal(ev.seq, since + 3);
});

test('session.join with since sends the events after it', async () => {
  const fac = await facilitator(srv.port);
  const { code, board } = await makeSessionAndBoard(fac);
  ok(await fac.request('note.add', { board: board.id, text: 'one' }));
  ok(await fac.request('note.add', { board: board.id, text: 'two' }));
  const fac2 = await facilitator(srv.port, { label: 'facilitator2' });
  const r = ok(await fac2.request('session.join', { code, since: 2 }));
  assert.equal(r.session.seq, 4);
  await fac2.waitSeq(code, 4);
  const evs = fac2.eventsOf(code);
  assert.deepEqual(evs.map((e) => e.seq), [3, 4]);
  assert.deepEqual(evs.map((e) => e.note.text), ['one', 'two']);
  for (const e of evs) assert.ok(fac2.indexOf(r) < fac2.indexOf(e), 'events follow the reply');
});

test('cid: the same cid twice returns the same note and adds one note.added only', async () => {
  const fac = await facilitator(srv.port);
  const { code, board } = await makeSessionAndBoard(fac);
  const a = await participant(srv.port, code, 'Ann');
  const b = await participant(srv.port, code, 'Ben');
  await fac.waitSeq(code, 4);
  const r1 = ok(await a.request('note.add', { board: board.id, text: 'idempotent', cid: 'k-1' }));
  const r2 = ok(await a.request('note.add', { board: board.id, text: 'idempotent', cid: 'k-1' }));
  assert.equal(r2.note.id, r1.note.id);
  assert.equal(r2.note.text, 'idempotent');
  // integer cid
  const i1 = ok(await a.request('note.add', { board: board.id, text: 'int cid', cid: 77 }));
  const i2 = ok(await a.request('note.add', { board: board.id, text: 'int cid', cid: 77 }));
  assert.equal(i2.note.id, i1.note.id);
  // the same cid from another participant is another note
  const o = ok(await b.request('note.add', { board: board.id, text: 'same cid other person', cid: 'k-1' }));
  assert.notEqual(o.note.id, r1.note.id);
  // the repeat returns the note as it is now
  ok(await a.request('note.update', { board: board.id, note: r1.note.id, text: 'edited since' }));
  const r3 = ok(await a.request('note.add', { board: board.id, text: 'idempotent', cid: 'k-1' }));
  assert.equal(r3.note.id, r1.note.id);
  assert.equal(r3.note.text, 'edited since', 'the note as it is now');

  const probe = ok(await fac.request('note.add', { board: board.id, text: 'probe' })).note;
  await fac.waitEvent((e) => e.ev === 'note.added' && e.note.id === probe.id);
  const added = fac.eventsOf(code).filter((e) => e.ev === 'note.added');
  assert.equal(added.filter((e) => e.note.id === r1.note.id).length, 1, 'one note.added for cid k-1');
  assert.equal(added.filter((e) => e.note.id === i1.note.id).length, 1, 'one note.added for cid 77');
  assertConsecutive(fac.eventsOf(code), 'facilitator events');
  const g = ok(await fac.request('board.get', { board: board.id })).board;
  assert.equal(g.notes.length, 4, `notes: ${JSON.stringify(g.notes.map((n) => n.text))}`);
});

test('cid: the same cid after a reconnect (resume) returns the same note', async () => {
  const fac = await facilitator(srv.port);
  const { code, board } = await makeSessionAndBoard(fac);
  const a = await participant(srv.port, code, 'Ann');
  const r1 = ok(await a.request('note.add', { board: board.id, text: 'sent before the network dropped', cid: 'offline-1' }));
  await a.terminate();
  const { client: a2, reply } = await resumeParticipant(srv.port, a.resume, a.maxSeq(code));
  ok(reply);
  const r2 = ok(await a2.request('note.add', { board: board.id, text: 'sent before the network dropped', cid: 'offline-1' }));
  assert.equal(r2.note.id, r1.note.id);
  const g = ok(await fac.request('board.get', { board: board.id })).board;
  assert.equal(g.notes.filter((n) => n.text === 'sent before the network dropped').length, 1);
  const probe = ok(await fac.request('note.add', { board: board.id, text: 'probe' })).note;
  await fac.waitEvent((e) => e.ev === 'note.added' && e.note.id === probe.id);
  assert.equal(fac.events.filter((e) => e.ev === 'note.added' && e.note.id === r1.note.id).length, 1, 'one note.added event');
});

test('a long replay (600 events of every size, framed together by the server) arrives whole and in order', { timeout: 60000 }, async () => {
  const srv2 = await startServer({ args: ['--rate', '1000000'] });
  const fac = await facilitator(srv2.port);
  const { code, board } = await makeSessionAndBoard(fac);
  const a = await participant(srv2.port, code, 'Ann');
  const last = a.hello.session.seq;
  await a.close();
  const w = await participant(srv2.port, code, 'Writer');
  const texts = [];
  for (let i = 0; i < 600; i++) {
    // 1 to 500 characters, some of them two- and four-byte UTF-8: frames from 100 B to 2 KB
    const n = 1 + ((i * 37) % 500);
    texts.push(Array.from(`${i}:${'é🌳ab'.repeat(Math.ceil(n / 4))}`).slice(0, Math.min(n + 4, 500)).join(''));
  }
  for (let i = 0; i < texts.length; i += 50) {
    await Promise.all(texts.slice(i, i + 50).map((text) => w.request('note.add', { board: board.id, text })));
  }
  const counters = async () => {
    const body = (await httpGet(srv2.port, '/metrics')).body;
    const num = (name) => Number((body.match(new RegExp(`^${name} (\\d+)$`, 'm')) || [])[1]);
    return { frames: num('atelier_frames_sent_total'), writes: num('atelier_writes_total') };
  };
  const c0 = await counters();
  const { client: a2, reply } = await resumeParticipant(srv2.port, a.resume, last, { label: 'Ann back' });
  ok(reply, 'resume');
  await a2.waitEvent((e) => e.ev === 'note.added' && e.note.text === texts[texts.length - 1], 20000);
  const c1 = await counters();
  const frames = c1.frames - c0.frames; const writes = c1.writes - c0.writes;
  assert.ok(frames >= texts.length, `the replay's frames are counted (${frames})`);
  assert.ok(writes * 10 < frames, `${frames} frames went in ${writes} writes: framed together`);
  const got = a2.eventsOf(code);
  assertConsecutive(got, 'replayed events');
  assert.equal(got[0].seq, last + 1, 'from the first missed event');
  const notes = got.filter((e) => e.ev === 'note.added').map((e) => e.note.text);
  assert.deepEqual(new Set(notes), new Set(texts), 'every note, every character');
  assert.equal(notes.length, texts.length, 'each once');
  await srv2.stop();
});
