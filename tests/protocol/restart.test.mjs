// Restart: everything survives a SIGTERM and a restart on the same database.
import { after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import {
  test, startServer, stopAll, facilitator, participant, resumeParticipant,
  ok, assertConsecutive, makeSessionAndBoard, httpGet, TOKEN, sleep, connect,
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

/** GET with the facilitator's token; resolves {status, body}. */
function getAuth(port, urlPath) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, headers: { Authorization: `Bearer ${TOKEN}` } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.setTimeout(5000, () => req.destroy(new Error(`GET ${urlPath}: timeout`)));
    req.on('error', reject);
  });
}

async function gauge(srv, name) {
  const m = (await httpGet(srv.port, '/metrics')).body.match(new RegExp(`^${name} (\\d+)$`, 'm'));
  assert.ok(m, `/metrics has ${name}`);
  return Number(m[1]);
}

test('after a restart, histories stay on disk until someone follows; resumes and exports read them whole', { timeout: 60000 }, async () => {
  const srv1 = await startServer();
  const fac = await facilitator(srv1.port);
  const a = await makeSessionAndBoard(fac, { title: 'Mobility' });
  const b = await makeSessionAndBoard(fac, { title: 'Waste' });
  const c = await makeSessionAndBoard(fac, { title: 'Health' });
  const ann = await participant(srv1.port, a.code, 'Ann');
  const bob = await participant(srv1.port, b.code, 'Bob');
  for (let i = 0; i < 30; i++) ok(await ann.request('note.add', { board: a.board.id, text: `a${i}` }));
  for (let i = 0; i < 20; i++) ok(await bob.request('note.add', { board: b.board.id, text: `b${i}` }));
  await ann.waitEvent((e) => e.ev === 'note.added' && e.note.text === 'a29');
  const liveA = ann.events.filter((e) => e.session === a.code);
  assert.equal(await gauge(srv1, 'atelier_histories_loaded'), 3, 'all three followed');
  await srv1.stop();

  const srv2 = await startServer({ db: srv1.db });
  assert.equal(await gauge(srv2, 'atelier_histories_loaded'), 0, 'nothing followed yet: no history in memory');

  // an export reads the history of a session nobody follows, and keeps nothing
  const res = await getAuth(srv2.port, `/api/sessions/${b.code}/export.json`);
  assert.equal(res.status, 200);
  const evs = JSON.parse(res.body).sessions[0].events;
  assert.equal(evs[0].seq, 1);
  assertConsecutive(evs, 'exported events');
  assert.deepEqual(evs.filter((e) => e.ev === 'note.added').map((e) => e.note.text),
    Array.from({ length: 20 }, (_, i) => `b${i}`));
  assert.ok(evs.every((e) => e.resume === undefined), 'no resume secret in the export');
  assert.equal(await gauge(srv2, 'atelier_histories_loaded'), 0, 'the export kept nothing');

  // a resume reads it from the disk: the same events as before the restart
  const { client, reply } = await resumeParticipant(srv2.port, ann.resume, 10);
  ok(reply, 'resume with since');
  const want = liveA.filter((e) => e.seq > 10);
  await client.waitEvent((e) => e.seq === want.at(-1).seq);
  const got = client.events.filter((e) => e.session === a.code);
  assert.deepEqual(got, want, 'the replay after the restart equals what was sent live');
  assert.equal(await gauge(srv2, 'atelier_histories_loaded'), 1, 'now one history is in memory');

  // many join the other session at once: the first follow reads the history
  // from the disk, events of the same batch are not added twice
  const joiners = await Promise.all(Array.from({ length: 12 }, (_, i) => connect(srv2.port, { label: `J${i}` })));
  const hellos = await Promise.all(joiners.map((j, i) => j.request('hello', { role: 'participant', code: b.code, name: `J${i}` })));
  joiners.forEach((j, i) => { j.hello = ok(hellos[i], `hello of J${i}`); });
  await Promise.all(joiners.map(async (j) => ok(await j.request('ping'))));
  const lastSeq = Math.max(...joiners.map((j) => j.hello.session.seq));
  for (const j of joiners) {
    const evs = j.events.filter((e) => e.session === b.code);
    if (j.hello.session.seq < lastSeq) await j.waitEvent((e) => e.session === b.code && e.seq === lastSeq);
    const after = j.events.filter((e) => e.session === b.code && e.seq > j.hello.session.seq);
    assert.deepEqual(after.map((e) => e.seq), Array.from({ length: lastSeq - j.hello.session.seq }, (_, k) => j.hello.session.seq + 1 + k),
      `${j.label}: every event after its snapshot, once, in order (${evs.map((e) => e.seq).join(',')})`);
    const replyAt = j.frames.findIndex((f) => f.re !== undefined && f.you !== undefined);
    assert.ok(after.every((e) => j.frames.indexOf(e) > replyAt), `${j.label}: events after its snapshot come after its hello reply`);
  }
  const again = await resumeParticipant(srv2.port, bob.resume, 0);
  ok(again.reply);
  const joined = () => again.client.events.filter((e) => e.ev === 'participant.joined');
  for (let t = 0; joined().length < 13 && t < 100; t++) await sleep(50);
  const hist = again.client.events.filter((e) => e.session === b.code);
  assert.equal(hist[0].seq, 1);
  assertConsecutive(hist, 'the history after the joins');
  assert.equal(joined().length, 1 + 12, 'Bob and the 12 joined, once each');

  // a join and a note in one write, to a session nobody follows: one batch,
  // in which the join reads the history; the note still comes after the
  // join's reply, once
  const fac2 = await facilitator(srv2.port, { label: 'facilitator after restart' });
  fac2.ws._socket.cork();
  const joinP = fac2.request('session.join', { code: c.code });
  const noteP = fac2.request('note.add', { board: c.board.id, text: 'corked' });
  fac2.ws._socket.uncork();
  const join = ok(await joinP, 'session.join');
  ok(await noteP, 'note.add');
  const noteEv = await fac2.waitEvent((e) => e.ev === 'note.added' && e.note.text === 'corked');
  assert.equal(noteEv.seq, join.session.seq + 1);
  assert.ok(fac2.frames.indexOf(join) < fac2.frames.indexOf(noteEv), 'the join reply, then the note');
  assert.equal(fac2.events.filter((e) => e.session === c.code).length, 1, 'the note once, nothing before the reply');
  assert.equal(await gauge(srv2, 'atelier_histories_loaded'), 3);

  // and it is kept up to date from then on
  ok(await client.request('note.add', { board: a.board.id, text: 'after' }));
  const late = await resumeParticipant(srv2.port, ann.resume, want.at(-1).seq);
  const ev = await late.client.waitEvent((e) => e.ev === 'note.added' && e.note.text === 'after');
  assert.equal(ev.seq, want.at(-1).seq + 1);
  await srv2.stop();
});

test('--history-idle 1: a session all its followers left gives its history back, and a resume reads it again whole', { timeout: 60000 }, async () => {
  const srv = await startServer({ args: ['--history-idle', '1'] });
  const fac = await facilitator(srv.port);
  const { code, board } = await makeSessionAndBoard(fac);
  const ann = await participant(srv.port, code, 'Ann');
  for (let i = 0; i < 10; i++) ok(await ann.request('note.add', { board: board.id, text: `n${i}` }));
  await fac.waitEvent((e) => e.ev === 'note.added' && e.note.text === 'n9');
  const live = fac.events.filter((e) => e.session === code);
  assert.equal(await gauge(srv, 'atelier_histories_loaded'), 1);

  await ann.close();
  await sleep(1500);
  assert.equal(await gauge(srv, 'atelier_histories_loaded'), 1, 'kept while the facilitator follows');
  await fac.close();
  const t0 = Date.now();
  while (await gauge(srv, 'atelier_histories_loaded') !== 0) {
    assert.ok(Date.now() - t0 < 5000, 'the history is given back within a few seconds of the last follower leaving');
    await sleep(100);
  }
  assert.ok(Date.now() - t0 >= 500, 'not at once: the last follower may come back');

  const fac2 = await facilitator(srv.port, { label: 'facilitator again' });
  ok(await fac2.request('session.join', { code, since: 0 }));
  await fac2.waitEvent((e) => e.session === code && e.seq === live.at(-1).seq);
  const again = fac2.events.filter((e) => e.session === code);
  assert.equal(again[0].seq, 1);
  assertConsecutive(again, 'the history read again');
  assert.deepEqual(again.filter((e) => e.seq > live[0].seq - 1).slice(0, live.length), live, 'the same events as sent live');
  assert.equal(await gauge(srv, 'atelier_histories_loaded'), 1);
  await srv.stop();
});

test('--history-idle with a wrong value: exit 2 and a clear message', async () => {
  const { spawnSync } = await import('node:child_process');
  for (const bad of ['-1', 'soon']) {
    const r = spawnSync(process.env.ATELIER_BIN, ['--history-idle', bad], { encoding: 'utf8', timeout: 10000 });
    assert.equal(r.status, 2, `--history-idle ${bad}`);
    assert.match(r.stderr, new RegExp(`--history-idle is a number of seconds, not ${bad}`));
  }
});
