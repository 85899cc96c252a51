// Readers that stop reading (issue 8, scenario 4, as a test): a phone that
// pauses gets, once it reads again, every frame whole and in order; one that
// lets 4,096 frames pile up loses its queue at once and is closed with 1008
// "too slow" after what the kernel holds (cut off 15 s later if it never
// reads); the others get everything meanwhile.  The frames are large (500 characters of
// 2 to 4 UTF-8 bytes) so that the kernel's buffers fill and atelierd writes
// part of a frame, keeps the rest, and queues what follows.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  test, startServer, stopAll, facilitator, participant, httpGet, ok,
  makeSessionAndBoard, assertConsecutive, sleep,
} from './harness.mjs';

let srv;
before(async () => { srv = await startServer({ args: ['--rate', '0'] }); });
after(async () => { await stopAll(); });

const BIG = 'é€𝄞'.repeat(160);   // 480 characters, 1,440 bytes of UTF-8

async function metric(name) {
  const body = (await httpGet(srv.port, '/metrics')).body;
  const m = body.match(new RegExp(`^${name} (\\d+)$`, 'm'));
  assert.ok(m, `/metrics has ${name}`);
  return Number(m[1]);
}

/** Add n notes "tag from..from+n-1" from the facilitator, 100 requests in flight; returns their ids. */
async function addNotes(fac, board, n, tag, from = 0) {
  const ids = [];
  for (let i = 0; i < n; i += 100) {
    const k = Math.min(100, n - i);
    const replies = await Promise.all(Array.from({ length: k }, (_, j) =>
      fac.request('note.add', { board, text: `${tag} ${from + i + j} ${BIG}` }, { timeoutMs: 30000 })));
    for (const r of replies) ids.push(ok(r, 'note.add').note.id);
  }
  return ids;
}

/** Wait until c has `want` note.added events from `tag`; returns them. */
async function notesOf(c, tag, want, ms) {
  const deadline = Date.now() + ms;
  for (;;) {
    const got = c.events.filter((e) => e.ev === 'note.added' && e.note.text.startsWith(`${tag} `));
    if (got.length >= want) return got;
    if (Date.now() > deadline) assert.fail(`${c.label}: ${got.length} of ${want} '${tag}' notes after ${ms} ms`);
    await sleep(20);
  }
}

function checkNotes(list, tag, n, what) {
  assert.equal(list.length, n, `${what}: every note once`);
  list.forEach((e, i) => assert.equal(e.note.text, `${tag} ${i} ${BIG}`, `${what}: note ${i} whole and in order`));
  assertConsecutive(list, what);
}

test('a paused reader gets every frame whole and in order when it reads again; the others do not wait', { timeout: 120000 }, async () => {
  const fac = await facilitator(srv.port);
  const { code, board } = await makeSessionAndBoard(fac);
  const awake = await participant(srv.port, code, 'Awake', { label: 'awake' });
  const paused = await participant(srv.port, code, 'Paused', { label: 'paused' });
  const partial0 = await metric('atelier_partial_writes_total');
  const closed0 = await metric('atelier_slow_closed_total');

  paused.ws._socket.pause();
  // until the kernel's buffers are full (a write taken in part), then 1,000
  // more frames that wait in atelierd's queue: under the 4,096 limit
  const ids = [];
  let extra = 0;
  while (extra < 2) {
    assert.ok(ids.length < 12000, `no partial write after ${ids.length} notes`);
    if (await metric('atelier_partial_writes_total') > partial0) extra++;
    ids.push(...await addNotes(fac, board.id, 500, 'p', ids.length));
  }
  const N = ids.length;
  assert.equal(new Set(ids).size, N);
  checkNotes(await notesOf(awake, 'p', N, 30000), 'p', N, 'the reader that reads');
  assert.equal(paused.closed, false, 'a paused reader under the limit stays connected');
  assert.equal(await metric('atelier_slow_closed_total'), closed0, 'and is not dropped');

  paused.ws._socket.resume();
  const got = await notesOf(paused, 'p', N, 30000);
  checkNotes(got, 'p', N, 'the paused reader');
  assert.deepEqual(got.map((e) => e.note.id), ids);
  assert.deepEqual(paused.anomalies, [], 'no broken frame');
  assert.deepEqual(awake.anomalies, []);
  // still a working connection both ways
  ok(await paused.request('ping'), 'ping after the pause');
});

test('readers that stop past 4,096 frames lose their queue at once and get 1008 "too slow" when they read again, or are cut off 15 s later; the others get everything', { timeout: 180000 }, async () => {
  const fac = await facilitator(srv.port);
  const { code, board } = await makeSessionAndBoard(fac);
  const awake = await participant(srv.port, code, 'Awake', { label: 'awake' });
  const stalled = await participant(srv.port, code, 'Stalled', { label: 'stalled' });
  const gone = await participant(srv.port, code, 'Gone', { label: 'gone' });
  const closed0 = await metric('atelier_slow_closed_total');
  const conns0 = await metric('atelier_connections');

  stalled.ws._socket.pause();
  gone.ws._socket.pause();
  // the kernel holds some hundreds of these frames, then 4,096 queue up
  let sent = 0;
  while (await metric('atelier_slow_closed_total') < closed0 + 2) {
    assert.ok(sent < 12000, `still not dropped after ${sent} notes`);
    await addNotes(fac, board.id, 500, `s${sent / 500}`);
    sent += 500;
  }
  const droppedAt = Date.now();
  assert.equal(await metric('atelier_slow_closed_total'), closed0 + 2, 'both stalled readers dropped');
  assert.ok(sent >= 4096, `dropped only past the 4,096-frame queue (${sent} notes sent)`);
  assert.equal(stalled.closed, false, 'the client has not read anything yet');
  // every note reached the reader that reads
  for (let b = 0; b < sent / 500; b++) checkNotes(await notesOf(awake, `s${b}`, 500, 30000), `s${b}`, 500, `batch ${b}`);
  assert.equal(awake.closed, false);
  ok(await awake.request('ping'));

  // the one that reads again gets what the kernel held, then a clear close
  stalled.ws._socket.resume();
  const info = await Promise.race([stalled.closedPromise, sleep(10000).then(() => null)]);
  assert.ok(info, 'the stalled client sees its connection closed once it reads');
  assert.equal(stalled.closeInfo.code, 1008, `close code (${JSON.stringify(stalled.closeInfo)})`);
  assert.equal(stalled.closeInfo.reason, 'too slow');
  assert.deepEqual(stalled.anomalies, [], 'what it got before the close is whole');
  const got = stalled.events.filter((e) => e.ev === 'note.added');
  assert.ok(got.length > 0 && got.length < sent, `it got the start of the stream (${got.length} of ${sent})`);
  assertConsecutive(got, 'what the stalled client got');

  // the one that never reads again is cut off after the grace period
  assert.equal(await metric('atelier_connections'), conns0 - 1, 'the other is still connected within the grace period');
  for (;;) {
    if (await metric('atelier_connections') === conns0 - 2) break;
    assert.ok(Date.now() - droppedAt < 25000, 'the reader that never reads is disconnected about 15 s after it was dropped');
    await sleep(250);
  }
  assert.ok(Date.now() - droppedAt >= 10000, 'not before the grace period');
});
