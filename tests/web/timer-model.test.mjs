// web-client/session.js, the timer: snapshots carry it, timer.* events
// change it, the countdown is read through the clock skew learnt from the
// events' time (and never goes below 0), and the shown text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importClient } from './lib.mjs';

const M = await importClient('session.js');

function fresh(timer = null) {
  const st = M.newState('K7MXPA');
  M.applySnapshot(st, { code: 'K7MXPA', title: 'T', seq: 10, participants: 1, timer, boards: [] },
    { id: 7, role: 'participant', name: null });
  return st;
}
let seq = 10;
const ev = (st, e, now) => M.applyEvent(st, { seq: ++seq, session: 'K7MXPA', ...e }, now);

test('a snapshot carries the timer (running, paused, none)', () => {
  assert.equal(fresh().timer, null);
  assert.equal(M.newState('X').timer, null);
  const run = fresh({ state: 'running', ends: 1_000_000, left: null, seconds: 600, label: 'Écrivez vos idées' });
  assert.deepEqual(run.timer, { state: 'running', ends: 1_000_000, left: null, seconds: 600, label: 'Écrivez vos idées' });
  const pau = fresh({ state: 'paused', ends: null, left: 42_000, seconds: 60, label: null });
  assert.deepEqual(pau.timer, { state: 'paused', ends: null, left: 42_000, seconds: 60, label: null });
  assert.equal(fresh({ state: 'weird' }).timer, null, 'an unknown state is no timer');
  // a later snapshot without a timer removes it
  M.applySnapshot(run, { code: 'K7MXPA', seq: 12, timer: null, boards: [] });
  assert.equal(run.timer, null);
});

test('timer.started, paused, resumed, stopped change the state and say what changed', () => {
  seq = 10;
  const st = fresh();
  let r = ev(st, { ev: 'timer.started', time: 5_000, seconds: 120, ends: 125_000, label: 'Écrivez vos idées' });
  assert.deepEqual(r, { what: 'timer', change: 'started' });
  assert.deepEqual(st.timer, { state: 'running', ends: 125_000, left: null, seconds: 120, label: 'Écrivez vos idées' });
  r = ev(st, { ev: 'timer.paused', time: 35_000, left: 90_000 });
  assert.deepEqual(r, { what: 'timer', change: 'paused' });
  assert.deepEqual(st.timer, { state: 'paused', ends: null, left: 90_000, seconds: 120, label: 'Écrivez vos idées' }, 'the label stays');
  assert.equal(M.timerLeft(st.timer, 0, 999_999_999), 90_000, 'paused: frozen whatever the time');
  r = ev(st, { ev: 'timer.resumed', time: 50_000, ends: 140_000 });
  assert.deepEqual(r, { what: 'timer', change: 'resumed' });
  assert.deepEqual(st.timer, { state: 'running', ends: 140_000, left: null, seconds: 120, label: 'Écrivez vos idées' });
  // a restart without a label drops the old one
  ev(st, { ev: 'timer.started', time: 60_000, seconds: 30, ends: 90_000 });
  assert.deepEqual(st.timer, { state: 'running', ends: 90_000, left: null, seconds: 30, label: null });
  r = ev(st, { ev: 'timer.stopped', time: 70_000 });
  assert.deepEqual(r, { what: 'timer', change: 'stopped' });
  assert.equal(st.timer, null);
  assert.equal(st.seq, 15);
  // an event already seen changes nothing
  assert.equal(M.applyEvent(st, { ev: 'timer.started', seq: 15, ends: 1, seconds: 1 }), null);
  assert.equal(st.timer, null);
});

test('the skew: the events\' time against the local clock, largest reading per connection', () => {
  seq = 10;
  const st = fresh();
  assert.equal(st.skew, 0);
  // the phone's clock is 30 s behind the server; the event arrives 200 ms after it happened
  ev(st, { ev: 'timer.started', time: 1_000_000, seconds: 120, ends: 1_120_000 }, 970_200);
  assert.equal(st.skew, 29_800);
  // at local 970_200 the server's clock reads about 1_000_000: 120 s left, not 150
  assert.equal(M.timerLeft(st.timer, st.skew, 970_200), 120_000);
  assert.equal(M.formatLeft(M.timerLeft(st.timer, st.skew, 970_200)), '2:00');
  assert.equal(M.formatLeft(M.timerLeft(st.timer, st.skew, 971_300)), '1:59');
  // a slower event (more latency) does not lower the estimate; a faster one raises it
  ev(st, { ev: 'participant.joined', time: 1_001_000, participants: 2 }, 971_500);
  assert.equal(st.skew, 29_800);
  ev(st, { ev: 'participant.joined', time: 1_002_000, participants: 3 }, 972_050);
  assert.equal(st.skew, 29_950);
  // a new connection: the next reading (e.g. the ping's) replaces it, even if lower
  M.clockReset(st);
  assert.equal(M.clockSample(st, 2_000_000, 1_990_000), 10_000);
  assert.equal(M.clockSample(st, 2_001_000, 1_991_500), 10_000, 'then only the largest counts');
  // without a local time (tests, replays), events leave the skew alone
  ev(st, { ev: 'participant.joined', time: 5, participants: 4 });
  assert.equal(st.skew, 10_000);
  // a phone ahead of the server: negative skew
  const st2 = fresh();
  M.clockSample(st2, 1_000_000, 1_060_000);
  assert.equal(st2.skew, -60_000);
  assert.equal(M.timerLeft({ state: 'running', ends: 1_100_000 }, st2.skew, 1_060_000), 100_000);
});

test('the countdown never goes below 0, and reads m:ss (h:mm:ss from an hour)', () => {
  const tm = { state: 'running', ends: 10_000, left: null, seconds: 2, label: null };
  assert.equal(M.timerLeft(tm, 0, 8_000), 2_000);
  assert.equal(M.timerLeft(tm, 0, 10_000), 0);
  assert.equal(M.timerLeft(tm, 0, 99_000), 0);
  assert.equal(M.timerLeft(null, 0, 1), null);
  assert.equal(M.timerLeft({ state: 'paused', left: -5 }, 0, 1), 0);
  assert.equal(M.formatLeft(0), '0:00');
  assert.equal(M.formatLeft(-3000), '0:00');
  assert.equal(M.formatLeft(1), '0:01', 'whole seconds are rounded up: 0 only at the end');
  assert.equal(M.formatLeft(522_000), '8:42');
  assert.equal(M.formatLeft(120_000), '2:00');
  assert.equal(M.formatLeft(119_001), '2:00');
  assert.equal(M.formatLeft(119_000), '1:59');
  assert.equal(M.formatLeft(3_600_000), '1:00:00');
  assert.equal(M.formatLeft(86_400_000), '24:00:00');
});
