// The session timer everyone sees: start, pause, resume, stop; in
// snapshots, across reconnects and restarts.
import { after } from 'node:test';
import assert from 'node:assert/strict';
import {
  test, startServer, stopAll, facilitator, participant, ok, isError, makeSessionAndBoard, sleep,
} from './harness.mjs';

after(async () => { await stopAll(); });

test('timer: start, pause, resume, stop reach everyone; snapshots carry it; it survives a restart', { timeout: 60000 }, async () => {
  const local = await startServer();
  const fac = await facilitator(local.port);
  const { code } = await makeSessionAndBoard(fac);
  const p = await participant(local.port, code, 'A');
  assert.equal(p.hello.session.timer, null);
  const t0 = Date.now();
  const st = ok(await fac.request('timer.start', { session: code, seconds: 600, label: 'Écrivez vos idées' })).timer;
  assert.equal(st.state, 'running');
  assert.equal(st.seconds, 600);
  assert.ok(Math.abs(st.ends - (t0 + 600000)) < 5000, 'ends in 10 minutes');
  const ev = await p.waitEvent((e) => e.ev === 'timer.started');
  assert.equal(ev.ends, st.ends);
  assert.equal(ev.label, 'Écrivez vos idées');
  const late = await participant(local.port, code, 'B');
  assert.deepEqual(late.hello.session.timer, st, 'a newcomer sees the running timer');
  await sleep(50);
  const pa = ok(await fac.request('timer.pause', { session: code })).timer;
  assert.equal(pa.state, 'paused');
  assert.ok(pa.left > 590000 && pa.left <= 600000);
  assert.equal((await p.waitEvent((e) => e.ev === 'timer.paused')).left, pa.left);
  isError(await fac.request('timer.pause', { session: code }), 'bad_request');
  await local.stop();
  const again = await startServer({ db: local.db });
  const f2 = await facilitator(again.port);
  const j = ok(await f2.request('session.join', { code })).session;
  assert.deepEqual(j.timer, pa, 'a paused timer survives a restart');
  const re = ok(await f2.request('timer.resume', { session: code })).timer;
  assert.equal(re.state, 'running');
  assert.ok(Math.abs(re.ends - (Date.now() + pa.left)) < 5000);
  isError(await f2.request('timer.resume', { session: code }), 'bad_request');
  assert.equal(ok(await f2.request('timer.stop', { session: code })).timer, null);
  assert.equal(ok(await f2.request('session.join', { code })).session.timer, null);
  isError(await f2.request('timer.start', { session: code, seconds: 0 }), 'bad_request');
  const p2 = await participant(again.port, code, 'C');
  isError(await p2.request('timer.start', { session: code, seconds: 60 }), 'forbidden');
  await again.stop();
});
