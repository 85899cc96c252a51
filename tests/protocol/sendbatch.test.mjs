// Sends in one system call (server/sendbatch.c): with io_uring, atelierd
// writes an event to every follower in one submission.  Checked both ways
// (io_uring; send() with --no-io-uring; send() where the kernel refuses
// io_uring): every phone gets every event
// once and in order, and a connection closed by the phone or by the
// server ends: its socket leaves ESTABLISHED.  Writes the kernel takes in
// part are protocol-slow's (run both ways too).
import { after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import {
  test, startServer, stopAll, facilitator, participants, makeSessionAndBoard, ok, sleep, until,
} from './harness.mjs';

after(async () => { await stopAll(); });

const PHONES = 200;
const NOTES = 20;

// TCP connections in ESTABLISHED state whose local port is `port`.
function established(port) {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  let n = 0;
  for (const f of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try { text = fs.readFileSync(f, 'utf8'); } catch { continue; }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length > 3 && cols[1].endsWith(hex) && cols[3] === '01') n++;
    }
  }
  return n;
}

// The third way: a kernel that refuses io_uring (a seccomp filter, as in
// Docker's default profile; tests/tools/deny-io-uring.c).  atelierd must say
// so at start and send with send().
const DENY = process.env.ATELIER_DENY_IO_URING;
const ways = [
  { name: 'io_uring', sends: 'io_uring', args: [] },
  { name: 'send() (--no-io-uring)', sends: 'send()', args: ['--no-io-uring'] },
  { name: 'send() (io_uring refused by the kernel)', sends: 'send()', args: [], wrap: [DENY], says: /io_uring unavailable \(Operation not permitted\): one send\(\) per frame/ },
];

test('the io_uring-refusing wrapper is built (ctest sets ATELIER_DENY_IO_URING)', () => {
  assert.ok(DENY && fs.existsSync(DENY), `ATELIER_DENY_IO_URING=${DENY}`);
});

for (const way of ways) {
  test(`sends by ${way.name}: ${PHONES} phones get ${NOTES} events each, once and in order; closed sockets are let go`, { timeout: 120000 }, async () => {
    const srv = await startServer({ args: way.args, wrap: way.wrap || [] });
    assert.ok(srv.output.includes(`sends ${way.sends})`), `atelierd says it sends by ${way.sends}: ${srv.output}`);
    if (way.says) assert.match(srv.output, way.says, 'atelierd says why it does not use io_uring');
    const fac = await facilitator(srv.port);
    const { code, board } = await makeSessionAndBoard(fac);
    const phones = await participants(srv.port, code, PHONES);
    const ids = [];
    for (let i = 0; i < NOTES; i++) {
      ids.push(ok(await fac.request('note.add', { board: board.id, text: `note ${i}` }), 'note.add').note.id);
    }
    await Promise.all(phones.map((p) => p.waitEvent((e) => e.ev === 'note.added' && e.note.id === ids[NOTES - 1], 10000)));
    for (const p of phones) {
      const got = p.events.filter((e) => e.ev === 'note.added').map((e) => e.note.id);
      assert.deepEqual(got, ids, `${p.label}: every note once, in order`);
      const seqs = p.events.map((e) => e.seq);
      for (let i = 1; i < seqs.length; i++) assert.equal(seqs[i], seqs[i - 1] + 1, `${p.label}: seq without gaps`);
      assert.deepEqual(p.anomalies, [], `${p.label}: no broken frames`);
    }
    assert.equal(established(srv.port), PHONES + 1, 'one established socket per phone and the facilitator');

    // the phones leave: their sockets end on the server's side too
    const leaving = phones.slice(0, PHONES / 2);
    await Promise.all(leaving.map((p) => { p.ws.close(1000); return p.closedPromise; }));
    await until(() => established(srv.port) === PHONES / 2 + 1, () => `sockets of the phones that left are closed: ${established(srv.port)} established`);

    // the server closes: a frame with a reserved opcode (3) breaks the
    // protocol (RFC 6455 5.2), lws closes the connection, the phone sees
    // the end
    const broken = phones.slice(PHONES / 2, PHONES / 2 + 20);
    for (const p of broken) p.ws._socket.write(Buffer.from([0x83, 0x80, 1, 2, 3, 4]));
    await Promise.all(broken.map((p) => Promise.race([p.closedPromise,
      sleep(5000).then(() => assert.fail(`${p.label}: still open 5 s after a broken frame`))])));
    await until(() => established(srv.port) === PHONES / 2 - 20 + 1, () => `sockets the server closed are gone: ${established(srv.port)} established`);

    // the others still get events
    const rest = phones.slice(PHONES / 2 + 20);
    const last = ok(await fac.request('note.add', { board: board.id, text: 'after' }), 'note.add').note.id;
    await Promise.all(rest.map((p) => p.waitEvent((e) => e.ev === 'note.added' && e.note.id === last)));
    await Promise.all(rest.map((p) => p.terminate()));
    await until(() => established(srv.port) === 1, () => `every phone socket is gone: ${established(srv.port)} established`);
  });
}
