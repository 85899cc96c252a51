// Hostile and odd input: code guessing per address, deeply nested JSON,
// wrong types, binary frames, path traversal, oversized headers; and
// GET /metrics counting what was rejected.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import WebSocket from 'ws';
import {
  test, startServer, stopAll, facilitator, connect, participant,
  ok, isError, makeSessionAndBoard, httpGet, sleep,
} from './harness.mjs';

let srv;
before(async () => { srv = await startServer({ args: ['--guess-limit', '5'] }); });
after(async () => { await stopAll(); });

function rawConnect(port, localAddress) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, 'atelier.v1', { localAddress, perMessageDeflate: false });
    let rid = 0;
    const waits = new Map();
    ws.on('message', (m) => {
      const o = JSON.parse(m.toString());
      if (waits.has(o.re)) { waits.get(o.re)(o); waits.delete(o.re); }
    });
    ws.once('open', () => resolve({
      ws,
      request(op, fields) {
        const id = ++rid;
        ws.send(JSON.stringify({ op, rid: id, ...fields }));
        return new Promise((r, j) => {
          waits.set(id, r);
          setTimeout(() => j(new Error(`no reply to ${op}`)), 5000);
        });
      },
    }));
    ws.once('error', reject);
  });
}

test('guessing codes: past --guess-limit wrong codes an address waits; other addresses carry on', async () => {
  const fac = await facilitator(srv.port);
  const { code } = await makeSessionAndBoard(fac);
  for (let i = 0; i < 5; i++) {
    const g = await rawConnect(srv.port, '127.0.0.3');
    const r = await g.request('hello', { role: 'participant', code: `ZZZZZ${'23456'[i]}` });
    assert.equal(r.error, 'not_found');
    g.ws.close();
  }
  const blocked = await rawConnect(srv.port, '127.0.0.3');
  const r = await blocked.request('hello', { role: 'participant', code });
  assert.equal(r.ok, false);
  assert.equal(r.error, 'rate_limited', 'even the right code waits');
  assert.match(r.message, /wait a minute/);
  const wrongToken = await blocked.request('hello', { role: 'facilitator', token: 'guess' });
  assert.equal(wrongToken.error, 'rate_limited');
  blocked.ws.close();
  const other = await rawConnect(srv.port, '127.0.0.4');
  const fine = await other.request('hello', { role: 'participant', code });
  assert.equal(fine.ok, true, 'another address is not affected');
  other.ws.close();
});

test('deeply nested JSON, wrong types in every field, binary frames: precise errors, connection usable', async () => {
  const fac = await facilitator(srv.port);
  const { code, board } = await makeSessionAndBoard(fac);
  const c = await connect(srv.port);
  c.sendRaw('['.repeat(5000) + ']'.repeat(5000));
  const deep = await c.waitNullReply();
  isError(deep, 'bad_request');
  c.sendRaw(`{"op":"ping","rid":1,"x":${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}}`);
  const deep2 = await c.waitNullReply();
  isError(deep2, 'bad_request');
  ok(await c.request('ping', {}), 'still usable');
  const p = await participant(srv.port, code, 'P');
  const bad = [
    ['note.add', { board: String(board.id), text: 'x' }],
    ['note.add', { board: board.id, text: 42 }],
    ['note.add', { board: board.id, text: ['x'] }],
    ['note.add', { board: board.id, text: 'x', color: 3 }],
    ['note.add', { board: board.id, text: 'x', x: 'left' }],
    ['note.add', { board: board.id, text: 'x', cid: { a: 1 } }],
    ['note.add', { board: board.id, text: 'x', cid: 'c'.repeat(65) }],
    ['note.update', { board: board.id, note: 'one' }],
    ['note.vote', { board: board.id, note: 1.5 }],
    ['board.get', { board: null }],
    ['word.add', { board: board.id, text: null }],
  ];
  for (const [op, f] of bad) isError(await p.request(op, f), 'bad_request', `${op} ${JSON.stringify(f)}`);
  isError(await fac.request('board.create', { session: 7, kind: 'wall', title: 'x' }), 'bad_request');
  isError(await fac.request('session.create', { title: { t: 1 } }), 'bad_request');
  isError(await fac.request('session.list', { archived: 'maybe' }), 'bad_request');
  isError(await fac.request('portfolio.get', { portfolio: '1' }), 'bad_request');
  c.sendRaw(Buffer.from(JSON.stringify({ op: 'ping', rid: 9 })), { binary: true });
  isError(await c.waitNullReply(), 'bad_request');
  ok(await p.request('note.add', { board: board.id, text: 'after all that' }));
});

test('HTTP: path traversal (plain and encoded) and oversized headers do not get through', async () => {
  for (const p of ['/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2fetc/passwd', '/j/../../etc/passwd']) {
    const r = await httpGet(srv.port, p);
    assert.ok(r.status === 404 || r.status === 403 || r.status === 400 || r.status === 0, `${p}: ${r.status}`);
    assert.ok(!String(r.body).includes('root:'), `${p} leaks nothing`);
  }
  // a 100 KB header: refused or closed, and the server stays up
  await new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port: srv.port }, () => {
      s.write(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(100000)}\r\n\r\n`);
    });
    let got = '';
    s.on('data', (d) => { got += d; });
    s.on('error', () => resolve());
    s.on('close', () => { assert.ok(!got.startsWith('HTTP/1.1 200'), 'not served'); resolve(); });
    setTimeout(() => { s.destroy(); resolve(); }, 3000);
  });
  const h = await httpGet(srv.port, '/healthz');
  assert.equal(h.status, 200, 'still up');
});

test('GET /metrics: Prometheus text with connections, sessions, events, commits, rejections by code', async () => {
  const fac = await facilitator(srv.port);
  await makeSessionAndBoard(fac);
  isError(await fac.request('nope', {}), 'unknown_op');
  await sleep(50);
  const m = await httpGet(srv.port, '/metrics');
  assert.equal(m.status, 200);
  assert.match(m.headers['content-type'], /text\/plain; version=0.0.4/);
  const value = (name) => Number((m.body.match(new RegExp(`^${name.replace(/[{}"+.]/g, '\\$&')} (\\S+)$`, 'm')) || [])[1]);
  assert.ok(value('atelier_connections') >= 1);
  assert.ok(value('atelier_sessions') >= 1);
  assert.ok(value('atelier_events_total') >= 2);
  assert.ok(value('atelier_commit_seconds_count') >= 1);
  assert.ok(value('atelier_rejected_total{code="unknown_op"}') >= 1);
  assert.ok(value('atelier_rejected_total{code="rate_limited"}') >= 1, 'the guessing test was counted');
  assert.ok(value('atelier_commit_seconds_bucket{le="+Inf"}') === value('atelier_commit_seconds_count'));
});
