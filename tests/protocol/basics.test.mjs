// Basics: HTTP endpoints, hello, sessions, boards, joining.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  test, startServer, stopAll, connect, facilitator, participant, httpGet,
  ok, isError, CODE_RE, PROTOCOL, TOKEN,
} from './harness.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await stopAll(); });

test('GET /healthz answers 200 ok', async () => {
  const r = await httpGet(srv.port, '/healthz');
  assert.equal(r.status, 200);
  assert.equal(r.body.trim(), 'ok');
});

test('GET / answers 200 with an HTML page', async () => {
  const r = await httpGet(srv.port, '/');
  assert.equal(r.status, 200);
  assert.match(r.body, /<html|<!doctype/i);
});

test('WebSocket handshake selects subprotocol atelier.v1', async () => {
  const c = await connect(srv.port);
  assert.equal(c.ws.protocol, PROTOCOL);
  const r = ok(await c.request('ping'));
  assert.equal(typeof r.time, 'number');
  assert.ok(Math.abs(r.time - Date.now()) < 60000, `ping time ${r.time} is not Unix ms now`);
});

test('facilitator hello', async () => {
  const c = await connect(srv.port);
  const r = ok(await c.request('hello', { role: 'facilitator', token: TOKEN }));
  assert.equal(r.re, 1);
  assert.deepEqual(r.you, { id: 0, role: 'facilitator', name: 'facilitator' });
  assert.equal(r.protocol, PROTOCOL);
  assert.ok('resume' in r, `hello reply has no resume: ${JSON.stringify(r)}`);
  assert.equal(r.resume, null, 'a facilitator reconnects with its token: resume is null');
});

test('session.create: code, title, join_url, seq 1, session.created event before reply', async () => {
  const fac = await facilitator(srv.port);
  const before = Date.now();
  const r = ok(await fac.request('session.create', { title: 'Sprint 42 retro' }));
  const s = r.session;
  assert.ok(s && typeof s === 'object', 'reply has session');
  assert.match(s.code, CODE_RE);
  assert.equal(s.title, 'Sprint 42 retro');
  assert.equal(typeof s.join_url, 'string');
  assert.ok(s.join_url.endsWith(`/j/${s.code}`), `join_url ${s.join_url} does not end with /j/${s.code}`);
  assert.equal(s.seq, 1);
  assert.equal(s.participants, 0);
  assert.deepEqual(s.boards, []);
  assert.equal(typeof s.created, 'number');
  assert.ok(s.created >= before - 5000 && s.created <= Date.now() + 5000, `created ${s.created} is not Unix ms now`);

  const ev = await fac.waitEvent((e) => e.ev === 'session.created' && e.session === s.code);
  assert.equal(ev.seq, 1);
  assert.equal(ev.title, 'Sprint 42 retro');
  assert.equal(ev.created, s.created);
  assert.ok(fac.indexOf(ev) < fac.indexOf(r), 'session.created event must arrive before the reply');
});

test('session.list contains created sessions, newest first, without boards', async () => {
  const fac = await facilitator(srv.port);
  const a = ok(await fac.request('session.create', { title: 'List A' })).session;
  const b = ok(await fac.request('session.create', { title: 'List B' })).session;
  assert.notEqual(a.code, b.code);
  const r = ok(await fac.request('session.list'));
  assert.ok(Array.isArray(r.sessions));
  const ia = r.sessions.findIndex((s) => s.code === a.code);
  const ib = r.sessions.findIndex((s) => s.code === b.code);
  assert.ok(ia >= 0 && ib >= 0, `both sessions listed: ${JSON.stringify(r.sessions)}`);
  assert.ok(ib < ia, 'newest first');
  const la = r.sessions[ia];
  assert.equal(la.title, 'List A');
  assert.equal(la.code, a.code);
  assert.equal(la.created, a.created);
  assert.ok(la.join_url.endsWith(`/j/${a.code}`));
  assert.equal(la.boards, undefined, 'session.list entries have no boards');
  for (let i = 1; i < r.sessions.length; i++) {
    assert.ok(r.sessions[i - 1].created >= r.sessions[i].created, 'sessions sorted newest first');
  }
});

test('board.create kind wall; board.created event; defaults', async () => {
  const fac = await facilitator(srv.port);
  const s = ok(await fac.request('session.create', { title: 'Boards' })).session;
  const r = ok(await fac.request('board.create', { session: s.code, kind: 'wall', title: 'Went well' }));
  const b = r.board;
  assert.equal(typeof b.id, 'number');
  assert.ok(Number.isInteger(b.id));
  assert.equal(b.session, s.code);
  assert.equal(b.kind, 'wall');
  assert.equal(b.title, 'Went well');
  assert.equal(b.prompt, null);
  assert.equal(b.locked, false);
  assert.equal(b.vote_limit, 5);
  const ev = await fac.waitEvent((e) => e.ev === 'board.created' && e.session === s.code);
  assert.equal(ev.seq, 2);
  assert.equal(ev.board.id, b.id);
  assert.equal(ev.board.title, 'Went well');
  assert.equal(ev.board.kind, 'wall');
  assert.equal(ev.board.notes, undefined, 'board.created carries the board without notes');
  assert.ok(fac.indexOf(ev) < fac.indexOf(r), 'event before reply');

  const r2 = ok(await fac.request('board.create', { session: s.code, kind: 'wall', title: 'To improve', prompt: 'What hurt?', vote_limit: 3 }));
  assert.equal(r2.board.prompt, 'What hurt?');
  assert.equal(r2.board.vote_limit, 3);
  assert.ok(r2.board.id > b.id, 'board ids increase');

  const g = ok(await fac.request('board.get', { board: b.id }));
  assert.equal(g.board.id, b.id);
  assert.deepEqual(g.board.notes, []);

  const j = ok(await fac.request('session.join', { code: s.code }));
  assert.deepEqual(j.session.boards.map((x) => x.id), [b.id, r2.board.id]);
  assert.equal(j.session.seq, 3);
});

test('participant hello with code: you, resume, snapshot with board; participant.joined to facilitator', async () => {
  const fac = await facilitator(srv.port);
  const s = ok(await fac.request('session.create', { title: 'Join me' })).session;
  const b = ok(await fac.request('board.create', { session: s.code, kind: 'wall', title: 'Ideas', prompt: 'Any idea?' })).board;
  ok(await fac.request('note.add', { board: b.id, text: 'first note' }));

  const p = await connect(srv.port, { label: 'alice' });
  const r = ok(await p.request('hello', { role: 'participant', code: s.code, name: 'Alice' }));
  assert.equal(r.you.role, 'participant');
  assert.equal(r.you.name, 'Alice');
  assert.ok(Number.isInteger(r.you.id) && r.you.id > 0, `participant id ${r.you.id}`);
  assert.match(r.resume, /^[0-9a-fA-F]{32}$/);
  assert.equal(r.protocol, PROTOCOL);
  assert.equal(r.session.code, s.code);
  assert.equal(r.session.title, 'Join me');
  assert.ok(r.session.join_url.endsWith(`/j/${s.code}`));
  assert.equal(r.session.boards.length, 1);
  const sb = r.session.boards[0];
  assert.equal(sb.id, b.id);
  assert.equal(sb.kind, 'wall');
  assert.equal(sb.title, 'Ideas');
  assert.equal(sb.prompt, 'Any idea?');
  assert.equal(sb.locked, false);
  assert.equal(sb.vote_limit, 5);
  assert.equal(sb.votes_left, 5);
  assert.equal(sb.notes.length, 1);
  assert.equal(sb.notes[0].text, 'first note');
  assert.equal(sb.notes[0].author, 0);
  assert.equal(sb.notes[0].mine, false);
  assert.equal(sb.notes[0].my_votes, 0);
  // seq 1 created, 2 board, 3 note, (4 participant.joined: the snapshot may or may not include it)
  assert.ok(r.session.seq === 3 || r.session.seq === 4, `snapshot seq ${r.session.seq}`);

  const ev = await fac.waitEvent((e) => e.ev === 'participant.joined' && e.session === s.code);
  assert.equal(ev.seq, 4);
  assert.deepEqual(ev.participant, { id: r.you.id, name: 'Alice' });
  assert.equal(ev.participants, 1);

  // participant may read its board
  const g = ok(await p.request('board.get', { board: b.id }));
  assert.equal(g.board.votes_left, 5);
  assert.equal(g.board.notes.length, 1);

  // a second participant: count goes up, ids differ
  const p2 = await participant(srv.port, s.code, 'Bob');
  assert.notEqual(p2.id, r.you.id);
  assert.notEqual(p2.resume, r.resume);
  const ev2 = await fac.waitEvent((e) => e.ev === 'participant.joined' && e.session === s.code && e.seq === 5);
  assert.deepEqual(ev2.participant, { id: p2.id, name: 'Bob' });
  assert.equal(ev2.participants, 2);
  // first participant sees the second one join
  const pev = await p.waitEvent((e) => e.ev === 'participant.joined' && e.seq === 5);
  assert.equal(pev.participant.id, p2.id);
});

test('participant code is matched ignoring case and spaces', async () => {
  const fac = await facilitator(srv.port);
  const s = ok(await fac.request('session.create', { title: 'Case' })).session;
  const code = s.code;
  const variants = [
    code.toLowerCase(),
    `${code.slice(0, 3)} ${code.slice(3)}`,
    ` ${code.slice(0, 2).toLowerCase()} ${code.slice(2, 4)} ${code.slice(4).toLowerCase()} `,
  ];
  for (const v of variants) {
    const p = await connect(srv.port, { label: `code "${v}"` });
    const r = await p.request('hello', { role: 'participant', code: v, name: 'X' });
    ok(r, `hello with code ${JSON.stringify(v)}`);
    assert.equal(r.session.code, code);
    await p.close();
  }
});

test('anonymous participant has name null', async () => {
  const fac = await facilitator(srv.port);
  const s = ok(await fac.request('session.create', { title: 'Anon' })).session;
  const p1 = await participant(srv.port, s.code);
  assert.equal(p1.you.name, null);
  const p2 = await connect(srv.port);
  const r2 = ok(await p2.request('hello', { role: 'participant', code: s.code, name: null }));
  assert.equal(r2.you.name, null);
  const ev = await fac.waitEvent((e) => e.ev === 'participant.joined' && e.participant.id === p1.id);
  assert.equal(ev.participant.name, null);
  const g = ok(await fac.request('session.join', { code: s.code }));
  assert.equal(g.session.participants, 2);
  // an anonymous author's note has author_name null
  const b = ok(await fac.request('board.create', { session: s.code, kind: 'wall', title: 'W' })).board;
  const n = ok(await p1.request('note.add', { board: b.id, text: 'who wrote this?' })).note;
  assert.equal(n.author, p1.id);
  assert.equal(n.author_name, null);
});

test('second facilitator connection can join an existing session and follow its events', async () => {
  const fac1 = await facilitator(srv.port);
  const s = ok(await fac1.request('session.create', { title: 'Follow' })).session;
  const b = ok(await fac1.request('board.create', { session: s.code, kind: 'wall', title: 'W' })).board;
  const fac2 = await facilitator(srv.port, { label: 'facilitator2' });
  const j = ok(await fac2.request('session.join', { code: s.code }));
  assert.equal(j.session.code, s.code);
  assert.equal(j.session.seq, 2);
  assert.equal(j.session.boards.length, 1);
  assert.deepEqual(j.session.boards[0].notes, []);
  const n = ok(await fac1.request('note.add', { board: b.id, text: 'hello' })).note;
  const ev = await fac2.waitEvent((e) => e.ev === 'note.added' && e.session === s.code);
  assert.equal(ev.seq, 3);
  assert.equal(ev.board, b.id);
  assert.equal(ev.note.id, n.id);
  assert.equal(ev.note.text, 'hello');
  assert.equal(ev.note.author, 0);
});
