// Errors: every error code of PROTOCOL.md that a client can provoke, malformed frames,
// frame size limits and rate limiting.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  test, startServer, stopAll, connect, facilitator, participant,
  ok, isError, makeSessionAndBoard, sleep, TOKEN,
} from './harness.mjs';

let srv;       // default server
let slow;      // server started with --rate 5
before(async () => {
  srv = await startServer();
  slow = await startServer({ args: ['--rate', '5'] });
});
after(async () => { await stopAll(); });

/** the connection still works: a ping gets its reply */
async function stillUsable(c, what) {
  const r = await c.request('ping');
  ok(r, `${what}: ping after it`);
  assert.equal(typeof r.time, 'number');
}

/** A JSON ping request padded to exactly `size` bytes. */
function paddedPing(rid, size) {
  const base = JSON.stringify({ op: 'ping', rid, pad: '' });
  assert.ok(size >= base.length);
  return JSON.stringify({ op: 'ping', rid, pad: 'p'.repeat(size - base.length) });
}

test('malformed JSON -> re:null bad_request, connection still usable', async () => {
  const fac = await facilitator(srv.port);
  for (const raw of ['{"op":"ping","rid":', 'not json at all', '{op: "ping", rid: 3}', '', '{"op":"ping","rid":4}}']) {
    fac.sendRaw(raw);
    const r = await fac.waitNullReply();
    assert.equal(r.re, null, `reply to ${JSON.stringify(raw)}`);
    isError(r, 'bad_request', `malformed ${JSON.stringify(raw)}`);
    await stillUsable(fac, `malformed ${JSON.stringify(raw)}`);
  }
});

test('non-objects (array, string, number, null) -> re:null bad_request', async () => {
  const c = await connect(srv.port);
  for (const raw of ['[{"op":"ping","rid":1}]', '[]', '"ping"', '42', 'null', 'true']) {
    c.sendRaw(raw);
    const r = await c.waitNullReply();
    assert.equal(r.re, null);
    isError(r, 'bad_request', raw);
  }
  await stillUsable(c, 'non-objects');
});

test('missing or non-integer rid -> re:null bad_request', async () => {
  const fac = await facilitator(srv.port);
  for (const obj of [{ op: 'ping' }, { op: 'ping', rid: '7' }, { op: 'ping', rid: 1.5 }, { op: 'ping', rid: null }, { op: 'ping', rid: [1] }, { op: 'session.list' }]) {
    fac.send(obj);
    const r = await fac.waitNullReply();
    assert.equal(r.re, null);
    isError(r, 'bad_request', JSON.stringify(obj));
  }
  await stillUsable(fac, 'bad rids');
  assert.equal([...fac.replies.values()].filter((r) => r.sessions !== undefined).length, 0, 'a request without rid is not processed');
});

test('invalid UTF-8 in a text frame -> re:null bad_request, connection still usable', async () => {
  const c = await connect(srv.port);
  const frames = [
    Buffer.concat([Buffer.from('{"op":"ping","rid":1001,"x":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]),
    Buffer.concat([Buffer.from('{"op":"ping","rid":1002,"x":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]),   // bad continuation
    Buffer.concat([Buffer.from('{"op":"ping","rid":1003,"x":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')]), // UTF-16 surrogate
    Buffer.concat([Buffer.from('{"op":"ping","rid":1004,"x":"'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')]),   // overlong '/'
  ];
  for (const f of frames) {
    c.sendRaw(f, { binary: false });
    const r = await c.waitNullReply();
    assert.equal(r.re, null, `invalid UTF-8 ${f.toString('hex')}`);
    isError(r, 'bad_request', `invalid UTF-8 ${f.toString('hex')}`);
    assert.ok(!c.closed, 'connection stays open');
    await stillUsable(c, 'invalid UTF-8');
  }
  for (const rid of [1001, 1002, 1003, 1004]) assert.ok(!c.replies.has(rid), `frame with invalid UTF-8 (rid ${rid}) must not be processed`);
});

test('unknown op -> unknown_op (with its rid); missing op -> bad_request', async () => {
  const fac = await facilitator(srv.port);
  const r = isError(await fac.request('note.explode', {}), 'unknown_op', 'unknown op');
  assert.equal(r.re, fac.lastRid);
  isError(await fac.request('PING', {}), 'unknown_op', 'op is case-sensitive');
  const rid = fac.nextRid();
  fac.send({ rid });
  isError(await fac.nextReply(rid), 'bad_request', 'missing op');
  const rid2 = fac.nextRid();
  fac.send({ rid: rid2, op: 5 });
  const r2 = await fac.nextReply(rid2);
  assert.equal(r2.ok, false, 'numeric op');
  assert.ok(['bad_request', 'unknown_op'].includes(r2.error), `numeric op: ${JSON.stringify(r2)}`);
  await stillUsable(fac, 'unknown op');
});

test('requests before hello -> unauthorized (ping allowed); second hello -> unauthorized', async () => {
  const fac0 = await facilitator(srv.port);
  const { code, board } = await makeSessionAndBoard(fac0);
  const c = await connect(srv.port);
  ok(await c.request('ping'), 'ping before hello');
  isError(await c.request('session.create', { title: 'x' }), 'unauthorized', 'session.create before hello');
  isError(await c.request('session.list'), 'unauthorized', 'session.list before hello');
  isError(await c.request('board.get', { board: board.id }), 'unauthorized', 'board.get before hello');
  isError(await c.request('note.add', { board: board.id, text: 'sneaky' }), 'unauthorized', 'note.add before hello');
  ok(await c.request('hello', { role: 'facilitator', token: TOKEN }));
  isError(await c.request('hello', { role: 'facilitator', token: TOKEN }), 'unauthorized', 'second facilitator hello');
  const p = await participant(srv.port, code, 'P');
  isError(await p.request('hello', { role: 'participant', code, name: 'again' }), 'unauthorized', 'second participant hello');
  const g = ok(await fac0.request('board.get', { board: board.id })).board;
  assert.deepEqual(g.notes, [], 'the note.add before hello had no effect');
});

test('wrong facilitator token -> unauthorized', async () => {
  for (const token of ['wrong-token', '', 'test-token ', 'TEST-TOKEN']) {
    const c = await connect(srv.port);
    isError(await c.request('hello', { role: 'facilitator', token }), 'unauthorized', `token ${JSON.stringify(token)}`);
    isError(await c.request('session.list'), 'unauthorized', 'still not greeted after a failed hello');
    await c.close();
  }
  const c = await connect(srv.port);
  const r = await c.request('hello', { role: 'facilitator' });
  assert.equal(r.ok, false, 'facilitator hello without token');
  assert.ok(['unauthorized', 'bad_request'].includes(r.error), JSON.stringify(r));
});

test('hello with missing or unknown role -> bad_request', async () => {
  const c = await connect(srv.port);
  isError(await c.request('hello', {}), 'bad_request', 'no role');
  isError(await c.request('hello', { role: 'admin', token: TOKEN }), 'bad_request', 'role admin');
  isError(await c.request('hello', { role: 7 }), 'bad_request', 'numeric role');
  ok(await c.request('hello', { role: 'facilitator', token: TOKEN }), 'hello still possible after bad ones');
});

test('participant may not use facilitator requests -> forbidden', async () => {
  const fac = await facilitator(srv.port);
  const { code, board } = await makeSessionAndBoard(fac);
  const p = await participant(srv.port, code, 'P');
  isError(await p.request('board.create', { session: code, kind: 'wall', title: 'mine' }), 'forbidden', 'board.create');
  isError(await p.request('session.create', { title: 'mine' }), 'forbidden', 'session.create');
  isError(await p.request('session.list'), 'forbidden', 'session.list');
  isError(await p.request('session.join', { code }), 'forbidden', 'session.join');
  isError(await p.request('board.lock', { board: board.id }), 'forbidden', 'board.lock');
  const j = ok(await fac.request('session.join', { code })).session;
  assert.equal(j.boards.length, 1, 'the forbidden board.create had no effect');
});

test('participant cannot reach a board of another session', async () => {
  const fac = await facilitator(srv.port);
  const s1 = await makeSessionAndBoard(fac, { title: 'one' });
  const s2 = await makeSessionAndBoard(fac, { title: 'two' });
  const p = await participant(srv.port, s1.code, 'P');
  const n = ok(await fac.request('note.add', { board: s2.board.id, text: 'private to two' })).note;
  for (const [op, fields] of [
    ['board.get', { board: s2.board.id }],
    ['note.add', { board: s2.board.id, text: 'intruder' }],
    ['note.vote', { board: s2.board.id, note: n.id }],
  ]) {
    const r = await p.request(op, fields);
    assert.equal(r.ok, false, `${op} on another session's board must fail: ${JSON.stringify(r)}`);
    assert.ok(['not_found', 'forbidden'].includes(r.error), `${op}: ${JSON.stringify(r)}`);
  }
  assert.ok(!p.events.some((e) => e.session === s2.code), 'no events of the other session');
});

test('unknown code, board, note, resume secret -> not_found', async () => {
  const fac = await facilitator(srv.port);
  const { code, board } = await makeSessionAndBoard(fac);
  const taken = new Set([code]);
  const unknownCode = ['ZZZZZZ', '222222', '999999'].find((x) => !taken.has(x));
  const c = await connect(srv.port);
  isError(await c.request('hello', { role: 'participant', code: unknownCode, name: 'x' }), 'not_found', 'unknown code');
  isError(await c.request('hello', { role: 'participant', resume: '0123456789abcdef0123456789abcdef' }), 'not_found', 'unknown resume');
  isError(await fac.request('session.join', { code: unknownCode }), 'not_found', 'session.join unknown code');
  isError(await fac.request('board.create', { session: unknownCode, kind: 'wall', title: 't' }), 'not_found', 'board.create unknown session');
  isError(await fac.request('board.get', { board: 987654321 }), 'not_found', 'board.get unknown board');
  isError(await fac.request('board.lock', { board: 987654321 }), 'not_found', 'board.lock unknown board');
  isError(await fac.request('note.add', { board: 987654321, text: 'x' }), 'not_found', 'note.add unknown board');
  isError(await fac.request('note.update', { board: board.id, note: 987654321, text: 'x' }), 'not_found', 'note.update unknown note');
  isError(await fac.request('note.delete', { board: board.id, note: 987654321 }), 'not_found', 'note.delete unknown note');
  isError(await fac.request('note.hide', { board: board.id, note: 987654321 }), 'not_found', 'note.hide unknown note');
  const p = await participant(srv.port, code, 'P');
  isError(await p.request('board.get', { board: 987654321 }), 'not_found', 'participant board.get unknown');
  isError(await p.request('note.vote', { board: board.id, note: 987654321 }), 'not_found', 'vote unknown note');
});

test('bad values -> bad_request (kind, titles, prompt, name, cid)', async () => {
  const fac = await facilitator(srv.port);
  isError(await fac.request('session.create', {}), 'bad_request', 'session.create without title');
  isError(await fac.request('session.create', { title: '' }), 'bad_request', 'empty title');
  isError(await fac.request('session.create', { title: 't'.repeat(201) }), 'bad_request', '201-char title');
  const s = ok(await fac.request('session.create', { title: 'ț'.repeat(200) }), '200-char title').session;
  const code = s.code;
  isError(await fac.request('board.create', { session: code, kind: 'poll', title: 'p' }), 'bad_request', 'kind poll');
  isError(await fac.request('board.create', { session: code, title: 'p' }), 'bad_request', 'kind missing');
  isError(await fac.request('board.create', { session: code, kind: 'wall', title: '' }), 'bad_request', 'board title empty');
  isError(await fac.request('board.create', { session: code, kind: 'wall', title: 'p', prompt: 'q'.repeat(501) }), 'bad_request', '501-char prompt');
  const b = ok(await fac.request('board.create', { session: code, kind: 'wall', title: 'p', prompt: 'q'.repeat(500) }), '500-char prompt').board;
  const c = await connect(srv.port);
  isError(await c.request('hello', { role: 'participant', code, name: 'n'.repeat(61) }), 'bad_request', '61-char name');
  const p = ok(await c.request('hello', { role: 'participant', code, name: 'ñ'.repeat(60) }), '60-char name');
  assert.equal(p.you.name, 'ñ'.repeat(60));
  isError(await c.request('note.add', { board: b.id, text: 'x', cid: 'c'.repeat(65) }), 'bad_request', '65-char cid');
  isError(await c.request('note.add', { board: b.id, text: 'x', cid: '' }), 'bad_request', 'empty cid');
  isError(await c.request('note.add', { board: b.id, text: 'x', cid: { a: 1 } }), 'bad_request', 'object cid');
  ok(await c.request('note.add', { board: b.id, text: 'x', cid: 'c'.repeat(64) }), '64-char cid');
  const g = ok(await fac.request('board.get', { board: b.id })).board;
  assert.equal(g.notes.length, 1, 'refused note.add requests added nothing');
});

test('a 70,000-byte frame -> too_large, discarded, connection still usable', async () => {
  const fac = await facilitator(srv.port);
  const rid = fac.nextRid();
  const big = paddedPing(rid, 70000);
  assert.equal(Buffer.byteLength(big), 70000);
  fac.sendRaw(big);
  const r = await fac.waitFrame((f) => f.ok === false && f.error === 'too_large', 5000, { what: 'a too_large reply' });
  isError(r, 'too_large', '70,000-byte frame');
  assert.ok(r.re === null || r.re === rid, `too_large reply re should be null (frame discarded) or ${rid}: ${JSON.stringify(r)}`);
  assert.ok(!fac.closed, 'connection stays open');
  await stillUsable(fac, 'too_large');
  assert.ok(!(fac.replies.get(rid) && fac.replies.get(rid).ok), 'the oversized request was not processed');
});

test('frame size boundary: 65,536 bytes is accepted, 65,537 is too_large', async () => {
  const fac = await facilitator(srv.port);
  const rid1 = fac.nextRid();
  fac.sendRaw(paddedPing(rid1, 65536));
  const r1 = await fac.nextReply(rid1);
  assert.notEqual(r1.error, 'too_large', `65,536 bytes is allowed: ${JSON.stringify(r1).slice(0, 200)}`);
  const rid2 = fac.nextRid();
  fac.sendRaw(paddedPing(rid2, 65537));
  const r2 = await fac.waitFrame((f) => f.ok === false && f.error === 'too_large', 5000, { what: 'a too_large reply for 65,537 bytes' });
  isError(r2, 'too_large');
  await stillUsable(fac, '65,537 bytes');
});

test('a ~60,000-byte frame is not too_large: it gets a normal reply (bad_request for an overlong text)', async () => {
  const fac = await facilitator(srv.port);
  const { board } = await makeSessionAndBoard(fac);
  const r = await fac.request('note.add', { board: board.id, text: 'x'.repeat(59900) });
  assert.equal(r.re, fac.lastRid);
  isError(r, 'bad_request', 'overlong text in a 60 kB frame');
  const p = await fac.request('ping', { pad: 'y'.repeat(60000) });
  assert.notEqual(p.error, 'too_large', '60 kB ping is not too large');
  await stillUsable(fac, '60 kB frames');
});

test('size limit applies after reassembly of fragments', async () => {
  const fac = await facilitator(srv.port);
  // 3 fragments of 30,000 bytes = 90,000 bytes -> too_large
  const rid = fac.nextRid();
  const big = Buffer.from(paddedPing(rid, 90000));
  fac.sendRaw(big.subarray(0, 30000), { fin: false });
  fac.sendRaw(big.subarray(30000, 60000), { fin: false });
  fac.sendRaw(big.subarray(60000), { fin: true });
  const r = await fac.waitFrame((f) => f.ok === false && f.error === 'too_large', 5000, { what: 'too_large for 90 kB in fragments' });
  isError(r, 'too_large');
  await stillUsable(fac, 'fragmented too_large');
  // 2 fragments of 20,000 bytes = 40,000 bytes -> normal reply
  const rid2 = fac.nextRid();
  const ok2 = Buffer.from(paddedPing(rid2, 40000));
  fac.sendRaw(ok2.subarray(0, 20000), { fin: false });
  fac.sendRaw(ok2.subarray(20000), { fin: true });
  const r2 = await fac.nextReply(rid2);
  assert.notEqual(r2.error, 'too_large', `fragmented 40 kB ping: ${JSON.stringify(r2).slice(0, 200)}`);
});

test('rate_limited: a flooding participant is limited, others are not affected', async () => {
  const fac = await facilitator(slow.port);
  const { code, board } = await makeSessionAndBoard(fac);
  const flooder = await participant(slow.port, code, 'Flood', { label: 'flooder' });
  const calm = await participant(slow.port, code, 'Calm', { label: 'calm' });
  await sleep(1200); // let the hello requests' tokens refill

  const t0 = Date.now();
  const flood = Promise.all(Array.from({ length: 100 }, () => flooder.request('ping', {}, { timeoutMs: 10000 })));
  // meanwhile the calm participant makes 5 requests, well within its own allowance
  const calmReplies = [];
  for (let i = 0; i < 5; i++) {
    calmReplies.push(await calm.request(i % 2 ? 'ping' : 'note.add', i % 2 ? {} : { board: board.id, text: `calm ${i}` }));
  }
  const replies = await flood;
  const elapsed = (Date.now() - t0) / 1000;
  for (const r of calmReplies) ok(r, 'calm participant request during the flood');
  const nOk = replies.filter((r) => r.ok === true).length;
  const limited = replies.filter((r) => r.ok === false && r.error === 'rate_limited');
  for (const r of limited) isError(r, 'rate_limited');
  assert.equal(nOk + limited.length, 100, `every ping is either ok or rate_limited: ${JSON.stringify(replies.find((r) => r.ok !== true && r.error !== 'rate_limited'))}`);
  assert.ok(nOk >= 1, 'some pings pass');
  assert.ok(limited.length >= 50, `at --rate 5 (bursts of 10) most of 100 pings are limited, got ${limited.length}`);
  const maxOk = 10 + Math.ceil(5 * elapsed) + 1;
  assert.ok(nOk <= maxOk, `${nOk} pings passed in ${elapsed.toFixed(2)} s, at most ${maxOk} expected at rate 5 with bursts of 10`);

  // the flooder recovers after a pause
  await sleep(1500);
  ok(await flooder.request('ping'), 'flooder after a pause');

  // the facilitator is never rate limited
  const facReplies = await Promise.all(Array.from({ length: 100 }, () => fac.request('ping', {}, { timeoutMs: 10000 })));
  assert.equal(facReplies.filter((r) => r.ok).length, 100, 'facilitator is not rate limited');
});

test('rate_limited requests are not processed', async () => {
  const fac = await facilitator(slow.port);
  const { board } = await makeSessionAndBoard(fac);
  const code = board.session;
  const p = await participant(slow.port, code, 'Writer');
  await sleep(1200);
  const replies = await Promise.all(Array.from({ length: 60 }, (_, i) => p.request('note.add', { board: board.id, text: `flood ${i}` }, { timeoutMs: 10000 })));
  const okTexts = replies.filter((r) => r.ok).map((r) => r.note.text);
  const limited = replies.filter((r) => r.error === 'rate_limited').length;
  assert.ok(limited > 0, 'some note.add were rate limited');
  assert.equal(okTexts.length + limited, 60);
  const g = ok(await fac.request('board.get', { board: board.id })).board;
  assert.deepEqual(g.notes.map((n) => n.text).sort(), okTexts.sort(), 'exactly the accepted notes exist');
});
