// SIGKILL of the server under load, repeated: every acknowledged change is present exactly
// once after restart, and clients resume without gaps.
//
// SESSIONS sessions, each with one wall board, one cloud board (word_quota WORD_QUOTA),
// one facilitator and PARTS participants: WRITERS of them add notes without pause (unique
// cid each, WINDOW requests in flight), VOTERS vote and unvote, WORDERS add words to the
// cloud (unique cid each, WORD_WINDOW in flight, resent with the same cid after a restart
// while unacknowledged), and every one of them follows the session's events. The writers
// start before the others join, so that snapshots hold notes and votes. KILLS times, after
// a random 300-800 ms of load, the server is SIGKILLed and restarted on the same
// database and port; every client reconnects (participants with their resume secret and
// `since` = the last seq they applied, facilitators with `session` and `since`), and the
// writers send every unacknowledged request again with the same cid. After the last
// restart the writers finish their resends, the load stops, and:
//   1. every acknowledged note is on its board exactly once (board.get), with the id its
//      acknowledgement gave; a resent cid created no second note; no note exists that no
//      writer sent; each note's vote count lies within what the voters' acknowledged and
//      unanswered votes allow;
//   2. every follower's event stream (all its connections together) is gap-free: each event
//      covers exactly the seqs after the previous one, from the first hello's snapshot on
//      (a coalesced frame, with `first` or `from`, covers first..seq);
//   3. every follower's board rebuilt from its snapshot + events equals the final board.get;
//   3b. clouds: after each restart, the total of the counts on each cloud (facilitator's
//      board.get) lies between the distinct acknowledged word.add cids and the distinct
//      cids sent; at the end (all resent and acknowledged) it equals the number of distinct
//      cids (a resend counted no word twice), each worder's words_left is the quota minus
//      its distinct cids, and every follower's cloud rebuilt from its snapshot + word.added
//      / cloud.updated (key -> count) equals the final board.get (participant view for
//      participants); a cloud.updated covers first..seq and has added = seq - first + 1;
//   4. every killed server died of our SIGKILL (nothing crashed before), and the last one
//      exits 0 on SIGTERM with no sanitizer report.
// Kill delays come from a seeded PRNG: ATELIER_KILL_SEED=N repeats a run's kill delays.
import { after } from 'node:test';
import assert from 'node:assert/strict';
import {
  test, startServer, stopAll, connect, facilitator,
  ok, makeSessionAndBoard, sleep, TOKEN,
} from './harness.mjs';

after(async () => { await stopAll(); });

const SESSIONS = 8;
const PARTS = 25;            // participants per session (all follow the events)
const WRITERS = 3;           // of which add notes
const VOTERS = 4;            // of which vote and unvote
const WORDERS = 4;           // of which (the next ones) add words to the cloud
const WORD_QUOTA = 50;       // the cloud's word_quota (the maximum allowed)
const WORDS_PER_PART = 48;   // distinct word cids per worder over the run (below the quota)
const WORD_WINDOW = 2;       // word.add requests in flight per worder
const WORD_PACE_MS = [40, 90];   // pause before each new word (random in this range)
const WORD_PACE_JOIN_MS = 150;   // ... while the participants join
// several texts per key ("Vélo"/"velo"/"vélos"), so that entries reach counts above 1
const WORD_TEXTS = ['vélo', 'Velo', 'vélos', 'soleil', 'Soleil', 'jardin', 'jardins', 'musique', 'rivière', 'montagne', 'lumière', 'forêt'];
const WINDOW = 4;            // note.add requests in flight per writer
const KILLS = 4;
const KILL_MIN_MS = 300;
const KILL_MAX_MS = 800;
const VOTE_LIMIT = 100;      // the board's vote_limit (the maximum allowed)
const PACED_MS = 10;          // pause before each new note while the participants join
const MAX_NOTES_PER_CYCLE = 1000; // per session: writers pause there (keeps a very fast server's run bounded)
const SERVER_ARGS = ['--rate', '1000000']; // nobody must be rate limited
const REQ_TIMEOUT = 20000;
const CONNECT_TIMEOUT = 15000;
const SEED = Number(process.env.ATELIER_KILL_SEED) || (Date.now() % 1000000007);

// Events of a session that this scenario may cause; anything else in a stream is a failure.
const BOARD_EVENTS = new Set(['note.added', 'note.voted', 'note.unvoted', 'word.added']);
const OTHER_EVENTS = new Set(['session.created', 'board.created', 'participant.joined']);
// A coalesced frame stands for the events first..seq (`cloud.updated` has `first`; a
// `from` is taken the same way, except in the events where it is a key or a group id).
const FROM_IS_NOT_SEQ = new Set(['word.merged', 'cluster.merged']);
const COALESCED = new Set(['cloud.updated']);  // about clouds only: never for the wall

// ---------------------------------------------------------------------------
// small helpers

function mulberry32(a) {
  return () => {
    a |= 0; a = (a + 0x6D2B79F5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = mulberry32(SEED);
const pick = (arr) => arr[Math.floor(Math.random() * arr.length)];

function bounded(promise, ms, what) {
  let timer;
  const t = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timeout after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, t]).finally(() => clearTimeout(timer));
}

/** Run fn over items with at most n at a time. */
async function pool(items, n, fn) {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, async () => {
    while (next < items.length) {
      const k = next++;
      await fn(items[k], k);
    }
  }));
}

/** The seqs an event frame covers: [from, seq] when it carries a seq range, else [seq, seq]. */
function coverage(e) {
  if (Number.isInteger(e.first)) return [e.first, e.seq];
  if (Number.isInteger(e.from) && !FROM_IS_NOT_SEQ.has(e.ev)) return [e.from, e.seq];
  return [e.seq, e.seq];
}

const noteView = (n) => ({ id: n.id, text: n.text, votes: n.votes });
/** key -> count of a cloud's entries (hidden or banned ones: none in this test). */
const cloudMap = (words) => new Map(words.map((w) => [w.key, w.count]));
const cloudTotal = (words) => words.reduce((a, w) => a + w.count, 0);

// ---------------------------------------------------------------------------
// followers: every connection (participant or facilitator) whose event stream is checked

/**
 * A follower of one session across all its connections: checks that the stream is
 * gap-free and rebuilds the board from the snapshot and the events.
 */
class Follower {
  constructor({ label, code, boardId, cloudId, startSeq, snapshotNotes, snapshotWords = [], facilitator = false }) {
    this.label = label;
    this.code = code;
    this.boardId = boardId;
    this.cloudId = cloudId;
    this.isFac = facilitator;
    this.cloud = cloudMap(snapshotWords);   // cloud entry key -> count
    this.cloudFrames = 0;                   // cloud.updated frames received
    this.wordEvents = 0;                    // word.added events received
    this.startSeq = startSeq;     // seq of the first snapshot (0: from the very start)
    this.lastSeq = startSeq;      // last seq applied
    this.model = new Map();       // note id -> {id, text, votes}
    for (const n of snapshotNotes) this.model.set(n.id, noteView(n));
    this.client = null;
    this.connNo = 0;
    this.frames = 0;
    this.earlyCloses = [];        // closes that were not caused by our kill
  }

  attach(client) {
    this.client = client;
    this.connNo++;
    this.absorbed = 0;
  }

  /**
   * Check and apply the events this connection received since the last call, then
   * forget them (memory). `when` names the moment, for the messages.
   */
  absorb(when) {
    const c = this.client;
    const evs = c.events;
    for (let i = this.absorbed; i < evs.length; i++) {
      const e = evs[i];
      const where = `${this.label} (connection #${this.connNo}, ${when})`;
      assert.equal(e.session, this.code, `${where}: event ${e.ev} seq ${e.seq} of another session ${e.session} (follows ${this.code})`);
      assert.ok(Number.isInteger(e.seq), `${where}: event without an integer seq: ${JSON.stringify(e).slice(0, 300)}`);
      const [lo, hi] = coverage(e);
      assert.ok(lo <= hi, `${where}: event ${e.ev} has from ${lo} > seq ${hi}`);
      if (lo <= this.lastSeq) {
        assert.fail(`${where}: duplicate seq: after seq ${this.lastSeq} received ${e.ev} covering seq ${lo}..${hi} again (stream started at ${this.startSeq})`);
      }
      if (lo !== this.lastSeq + 1) {
        assert.fail(`${where}: gap: after seq ${this.lastSeq} the next event ${e.ev} covers seq ${lo}..${hi}; seqs ${this.lastSeq + 1}..${lo - 1} never arrived (stream started at ${this.startSeq})`);
      }
      this.apply(e, where);
      this.lastSeq = hi;
      this.frames++;
    }
    this.absorbed = evs.length;
    // What is checked is no longer needed: keep the memory of 200 followers bounded.
    if (c.closed) { c.events = []; c.frames = []; this.absorbed = 0; }
  }

  apply(e, where) {
    if (OTHER_EVENTS.has(e.ev)) return;
    if (COALESCED.has(e.ev)) {
      assert.ok(!this.isFac, `${where}: the facilitator received ${e.ev} seq ${e.first}..${e.seq}; it must get each word.added`);
      assert.equal(e.added, e.seq - e.first + 1, `${where}: ${e.ev} covers seq ${e.first}..${e.seq} but says added ${e.added}`);
      assert.ok(Array.isArray(e.boards), `${where}: ${e.ev} seq ${e.seq} without boards: ${JSON.stringify(e).slice(0, 300)}`);
      for (const b of e.boards) {
        assert.equal(b.board, this.cloudId, `${where}: ${e.ev} seq ${e.seq} carries board ${b.board}, the session's only cloud is ${this.cloudId}: ${JSON.stringify(e).slice(0, 300)}`);
        const keys = new Set();
        for (const w of b.words) {
          assert.ok(!keys.has(w.key), `${where}: ${e.ev} seq ${e.seq} carries key "${w.key}" twice`);
          keys.add(w.key);
          this.cloud.set(w.key, w.count);
        }
      }
      this.cloudFrames++;
      return;
    }
    assert.ok(BOARD_EVENTS.has(e.ev), `${where}: unexpected event ${e.ev} seq ${e.seq}: ${JSON.stringify(e).slice(0, 300)}`);
    if (e.ev === 'word.added') {
      assert.equal(e.board, this.cloudId, `${where}: word.added seq ${e.seq} for board ${e.board}, the session's only cloud is ${this.cloudId}`);
      assert.ok(e.word && e.word.key === e.key, `${where}: word.added seq ${e.seq} key "${e.key}" with word ${JSON.stringify(e.word)}`);
      this.cloud.set(e.key, e.word.count);
      this.wordEvents++;
      return;
    }
    assert.equal(e.board, this.boardId, `${where}: ${e.ev} seq ${e.seq} for board ${e.board}, the session has only wall ${this.boardId}`);
    if (e.ev === 'note.added') {
      assert.ok(!this.model.has(e.note.id), `${where}: note.added seq ${e.seq} for note ${e.note.id} ("${e.note.text}") which this follower already has`);
      this.model.set(e.note.id, noteView(e.note));
    } else {
      const n = this.model.get(e.note);
      assert.ok(n, `${where}: ${e.ev} seq ${e.seq} for note ${e.note} which this follower never saw added`);
      n.votes = e.votes;
    }
  }
}

/** Compare a follower's rebuilt board with the final board.get notes. */
function compareBoard(f, finalNotes) {
  const mine = [...f.model.values()].sort((a, b) => a.id - b.id);
  const want = finalNotes.map(noteView).sort((a, b) => a.id - b.id);
  const wantById = new Map(want.map((n) => [n.id, n]));
  for (const n of mine) {
    const w = wantById.get(n.id);
    assert.ok(w, `${f.label}: rebuilt board has note ${n.id} ("${n.text}") that the final board.get does not have`);
    assert.equal(n.text, w.text, `${f.label}: rebuilt note ${n.id} has text "${n.text}", board.get says "${w.text}"`);
    assert.equal(n.votes, w.votes, `${f.label}: rebuilt note ${n.id} ("${n.text}") has ${n.votes} votes, board.get says ${w.votes}`);
  }
  const mineIds = new Set(mine.map((n) => n.id));
  for (const w of want) {
    assert.ok(mineIds.has(w.id), `${f.label}: note ${w.id} ("${w.text}") is on the final board but missing from the board rebuilt from snapshot + events`);
  }
  assert.equal(mine.length, want.length, `${f.label}: rebuilt board has ${mine.length} notes, board.get ${want.length}`);
}

/** Compare a follower's rebuilt cloud (key -> count) with the final board.get words. */
function compareCloud(f, finalWords, view) {
  const want = cloudMap(finalWords);
  for (const [key, count] of f.cloud) {
    assert.ok(want.has(key), `${f.label}: rebuilt cloud ${f.cloudId} has entry "${key}" (count ${count}) that the final board.get (${view}) does not have`);
    assert.equal(count, want.get(key), `${f.label}: rebuilt cloud ${f.cloudId} entry "${key}" has count ${count}, board.get (${view}) says ${want.get(key)}`);
  }
  for (const [key, count] of want) {
    assert.ok(f.cloud.has(key), `${f.label}: entry "${key}" (count ${count}) is in the final cloud ${f.cloudId} (${view}) but missing from the cloud rebuilt from snapshot + events`);
  }
}

// ---------------------------------------------------------------------------
// reconnecting

async function resumeParticipantConn(port, p, label) {
  const c = await connect(port, { label, timeoutMs: CONNECT_TIMEOUT });
  const r = await c.request('hello', { role: 'participant', resume: p.secret, since: p.f.lastSeq }, { timeoutMs: REQ_TIMEOUT });
  ok(r, `${label}: resume hello with since ${p.f.lastSeq}`);
  assert.equal(r.you.id, p.id, `${label}: resume keeps the participant id`);
  assert.equal(r.resume, p.secret, `${label}: resume keeps the secret`);
  assert.equal(r.session, undefined, `${label}: a resume with since carries no snapshot`);
  return c;
}

async function resumeFacilitatorConn(port, s, label) {
  const c = await connect(port, { label, timeoutMs: CONNECT_TIMEOUT });
  const r = await c.request('hello', { role: 'facilitator', token: TOKEN, session: s.code, since: s.fac.lastSeq }, { timeoutMs: REQ_TIMEOUT });
  ok(r, `${label}: facilitator hello with session ${s.code} since ${s.fac.lastSeq}`);
  return c;
}

// ---------------------------------------------------------------------------
// load

/**
 * Requests with a cid on one connection, at most `window` in flight: first every record of
 * `records` not yet acknowledged again (same cid), then, while `fresh`, new ones. Before a
 * new one, `pace()` waits as it needs and says 'go', 'skip' (ask again) or 'stop'; `make()`
 * then makes the record. `send(rec, resend)` sends it and keeps the answer.
 */
async function resendLoop(records, client, { window, fresh, stop, pace, make, send }) {
  const inflight = new Set();
  const queue = [...records.values()].filter((r) => !r.acked);
  for (;;) {
    while (inflight.size >= window && !client.closed) await Promise.race(inflight);
    if (client.closed || stop.done) break;
    let rec = queue.shift();
    if (!rec) {
      if (!fresh) break;
      const go = await pace();
      if (go === 'skip') continue;
      if (go === 'stop' || client.closed || stop.done) break;
      rec = make();
      records.set(rec.cid, rec);
    }
    rec.sends++;
    const pr = send(rec, rec.sends > 1).finally(() => inflight.delete(pr));
    inflight.add(pr);
  }
  await Promise.allSettled([...inflight]);
}

/** A lost connection leaves the request unacknowledged: it is sent again after the restart. */
const lost = () => {};

/** A writer's notes (WINDOW in flight, at most MAX_NOTES_PER_CYCLE a cycle per session). */
function writerLoop(w, s, client, { fresh, stop, paced = null }) {
  return resendLoop(w.records, client, {
    window: WINDOW, fresh, stop,
    async pace() {
      if (s.cycleNotes >= MAX_NOTES_PER_CYCLE) { await sleep(5); return 'skip'; }
      if (paced && paced.on) await sleep(PACED_MS);
      return 'go';
    },
    make() {
      const n = w.next++;
      const rec = { cid: `w${w.wi}-${n}`, text: `s${s.index} w${w.wi} n${n}`, acks: [], acked: false, sends: 0, storedAtRestart: null, errors: [] };
      s.byText.set(rec.text, { rec, w });
      s.cycleNotes++;
      return rec;
    },
    send: (rec, resend) => client.request('note.add', { board: s.boardId, text: rec.text, cid: rec.cid }, { timeoutMs: REQ_TIMEOUT })
      .then((r) => {
        if (r.ok !== true) { rec.errors.push(r); return; }
        rec.acks.push({ id: r.note.id, text: r.note.text, author: r.note.author, resend });
        if (!rec.acked) { rec.acked = true; s.acked.push(r.note.id); w.stats.acked++; }
      }, lost),
  });
}

/** A worder's words (WORD_WINDOW in flight, up to WORDS_PER_PART, paced). */
function wordLoop(wd, s, client, { fresh, stop, paced = null }) {
  return resendLoop(wd.records, client, {
    window: WORD_WINDOW, fresh, stop,
    async pace() {
      if (wd.next >= WORDS_PER_PART) return 'stop';
      const [lo, hi] = WORD_PACE_MS;
      await sleep(paced && paced.on ? WORD_PACE_JOIN_MS : lo + Math.floor(Math.random() * (hi - lo + 1)));
      return 'go';
    },
    make() {
      const n = wd.next++;
      return { cid: `x${wd.xi}-${n}`, text: pick(WORD_TEXTS), acks: [], acked: false, sends: 0, errors: [] };
    },
    send: (rec, resend) => client.request('word.add', { board: s.cloudId, text: rec.text, cid: rec.cid }, { timeoutMs: REQ_TIMEOUT })
      .then((r) => {
        if (r.ok !== true) { rec.errors.push(r); return; }
        rec.acks.push({ key: r.word && r.word.key, count: r.word && r.word.count, wordsLeft: r.words_left, resend });
        rec.acked = true;
      }, lost),
  });
}

/** A voter's loop: one request at a time, vote (within the limit) or take back a vote. */
async function voterLoop(v, s, client, { stop }) {
  const tally = (id) => {
    let t = v.tally.get(id);
    if (!t) { t = { ackV: 0, unkV: 0, ackU: 0, unkU: 0 }; v.tally.set(id, t); }
    return t;
  };
  const low = (t) => t.ackV - t.ackU - t.unkU;    // votes surely still on the note
  const high = (t) => t.ackV + t.unkV - t.ackU;   // votes possibly on the note
  while (!client.closed && !stop.done) {
    if (s.acked.length === 0) { await sleep(5); continue; }
    let used = 0;
    for (const t of v.tally.values()) used += high(t);
    const canUnvote = [...v.tally].filter(([, t]) => low(t) >= 1).map(([id]) => id);
    let op;
    let id;
    if (canUnvote.length && (used >= VOTE_LIMIT - 1 || Math.random() < 0.3)) {
      op = 'note.unvote'; id = pick(canUnvote);
    } else if (used < VOTE_LIMIT - 1) {
      op = 'note.vote'; id = pick(s.acked);
    } else {
      await sleep(5); continue;   // every vote is uncertain: nothing safe to do
    }
    const t = tally(id);
    const unk = op === 'note.vote' ? 'unkV' : 'unkU';
    const ack = op === 'note.vote' ? 'ackV' : 'ackU';
    t[unk]++;
    v.stats.sent++;
    let r;
    try {
      r = await client.request(op, { board: s.boardId, note: id }, { timeoutMs: REQ_TIMEOUT });
    } catch {
      break;  // connection lost: the outcome stays unknown (no cid for votes)
    }
    t[unk]--;
    if (r.ok === true) { t[ack]++; v.stats.acked++; } else v.errors.push({ op, note: id, reply: r });
    await sleep(Math.floor(Math.random() * 4));
  }
}

// ---------------------------------------------------------------------------

test('SIGKILL under load, repeated: acknowledged notes exactly once, streams gap-free, boards rebuilt equal', { timeout: 240000 }, async () => {
  const t0 = Date.now();
  let srv = await startServer({ args: SERVER_ARGS });
  const { db, port } = srv;
  const killed = [];    // every server we SIGKILLed
  const summary = [];

  // ---- sessions, boards, participants
  const sessions = [];
  for (let i = 0; i < SESSIONS; i++) {
    const facC = await facilitator(port, { label: `fac s${i}` });
    const { code, board } = await makeSessionAndBoard(facC, { title: `Kill load ${i}`, boardFields: { vote_limit: VOTE_LIMIT } });
    const cloud = ok(await facC.request('board.create', { session: code, kind: 'cloud', title: 'Cloud', word_quota: WORD_QUOTA }, { timeoutMs: REQ_TIMEOUT }), `s${i}: board.create cloud`).board;
    assert.equal(cloud.word_quota, WORD_QUOTA, `s${i}: cloud created with word_quota ${cloud.word_quota}, asked ${WORD_QUOTA}`);
    const s = {
      index: i, code, boardId: board.id, cloudId: cloud.id, parts: [], writers: [], voters: [], worders: [],
      byText: new Map(),  // note text -> {rec, w}
      acked: [],          // ids of acknowledged notes (voters' targets)
      cycleNotes: 0,
    };
    s.fac = new Follower({ label: `facilitator of s${i} (${code})`, code, boardId: board.id, cloudId: cloud.id, startSeq: 0, snapshotNotes: [], facilitator: true });
    s.fac.attach(facC);
    sessions.push(s);
  }
  const joinOne = async (s, k) => {
    const label = `s${s.index} p${k}`;
    const c = await connect(port, { label, timeoutMs: CONNECT_TIMEOUT });
    const r = ok(await c.request('hello', { role: 'participant', code: s.code, name: `p${k}` }, { timeoutMs: REQ_TIMEOUT }), `${label}: first hello`);
    const snap = r.session;
    assert.ok(snap && Number.isInteger(snap.seq), `${label}: first hello carries a snapshot with seq: ${JSON.stringify(r).slice(0, 300)}`);
    const sb = snap.boards.find((b) => b.id === s.boardId);
    assert.ok(sb && Array.isArray(sb.notes), `${label}: snapshot has board ${s.boardId} with notes`);
    const sc = snap.boards.find((b) => b.id === s.cloudId);
    assert.ok(sc && Array.isArray(sc.words), `${label}: snapshot has cloud ${s.cloudId} with words: ${JSON.stringify(sc).slice(0, 300)}`);
    const p = {
      k, label, id: r.you.id, secret: r.resume,
      f: new Follower({ label: `participant ${label} (id ${r.you.id})`, code: s.code, boardId: s.boardId, cloudId: s.cloudId, startSeq: snap.seq, snapshotNotes: sb.notes, snapshotWords: sc.words }),
    };
    p.f.attach(c);
    s.parts[k] = p;
    return p;
  };
  // The writers join first and start writing (cycle 1 begins here); voters and the other
  // participants join while notes and votes are coming in, so that their snapshots hold
  // notes and votes and their first events race with the snapshot.
  const firstStop = { done: false };
  const paced = { on: true };
  const firstLoops = [];
  const writerJoins = sessions.flatMap((s) => Array.from({ length: WRITERS }, (_, k) => [s, k]));
  await pool(writerJoins, 8, async ([s, k]) => {
    const p = await joinOne(s, k);
    s.writers[k] = { wi: k, p, records: new Map(), next: 0, stats: { acked: 0 } };
  });
  for (const s of sessions) for (const w of s.writers) firstLoops.push(writerLoop(w, s, w.p.f.client, { fresh: true, stop: firstStop, paced }));
  const otherJoins = [];
  for (let k = WRITERS; k < PARTS; k++) for (const s of sessions) otherJoins.push([s, k]);
  await pool(otherJoins, 8, async ([s, k]) => {
    const p = await joinOne(s, k);
    if (k < WRITERS + VOTERS) {
      const v = { vi: k - WRITERS, p, tally: new Map(), errors: [], stats: { sent: 0, acked: 0 } };
      s.voters.push(v);
      firstLoops.push(voterLoop(v, s, p.f.client, { stop: firstStop }));
    } else if (k < WRITERS + VOTERS + WORDERS) {
      const wd = { xi: k - WRITERS - VOTERS, p, records: new Map(), next: 0 };
      s.worders.push(wd);
      firstLoops.push(wordLoop(wd, s, p.f.client, { fresh: true, stop: firstStop, paced }));
    }
  });
  paced.on = false;
  for (const s of sessions) s.cycleNotes = 0;
  const snapshotNotes = sessions.flatMap((s) => s.parts.map((p) => p.f.model.size));
  const snapshotVotes = sessions.flatMap((s) => s.parts.map((p) => [...p.f.model.values()].reduce((a, n) => a + n.votes, 0)));
  const snapshotWords = sessions.flatMap((s) => s.parts.map((p) => [...p.f.cloud.values()].reduce((a, c) => a + c, 0)));
  const allFollowers = () => sessions.flatMap((s) => [s.fac, ...s.parts.map((p) => p.f)]);
  const allRecords = () => sessions.flatMap((s) => s.writers.flatMap((w) => [...w.records.values()]));
  const wordRecords = (s) => s.worders.flatMap((wd) => [...wd.records.values()]);
  const allWordRecords = () => sessions.flatMap(wordRecords);
  const setupMs = Date.now() - t0;
  assert.ok(Math.max(...snapshotNotes) > 0, 'no participant joined while notes were on the board: the snapshots were not exercised');
  assert.ok(Math.max(...snapshotWords) > 0, 'no participant joined while words were on the cloud: the cloud snapshots were not exercised');

  /** Board notes as the facilitator sees them. */
  const boardNotes = async (s, what) => ok(await s.fac.client.request('board.get', { board: s.boardId }, { timeoutMs: REQ_TIMEOUT }), `${what}: board.get of s${s.index}`).board.notes;

  /** The cloud as the facilitator sees it. */
  const cloudWords = async (s, what) => ok(await s.fac.client.request('board.get', { board: s.cloudId }, { timeoutMs: REQ_TIMEOUT }), `${what}: board.get of cloud ${s.cloudId} of s${s.index}`).board.words;

  /** Acknowledged words counted once: acked distinct cids <= total of counts <= sent distinct cids. */
  const checkCloudTotal = (s, words, what) => {
    const recs = wordRecords(s);
    const acked = recs.filter((r) => r.acked).length;
    const sent = recs.filter((r) => r.sends > 0).length;
    const total = cloudTotal(words);
    assert.ok(total >= acked, `${what}: cloud ${s.cloudId} of s${s.index} counts ${total} words, but ${acked} distinct word.add cids were acknowledged (an acknowledged word was lost)`);
    assert.ok(total <= sent, `${what}: cloud ${s.cloudId} of s${s.index} counts ${total} words, but only ${sent} distinct word.add cids were sent (a resend was counted twice, or a word nobody sent)`);
    return { acked, sent, total };
  };

  /** Every note on the board is one a writer of the session sent, once, by that writer. */
  const checkNotesKnown = (s, notes, what) => {
    const seen = new Map();
    for (const n of notes) {
      const known = s.byText.get(n.text);
      assert.ok(known, `${what}: s${s.index} board has note ${n.id} "${n.text}" (author ${n.author}) that no writer sent`);
      assert.equal(n.author, known.w.p.id, `${what}: note ${n.id} "${n.text}" has author ${n.author}, it was sent by writer ${known.w.wi} (id ${known.w.p.id})`);
      assert.ok(!seen.has(n.text), `${what}: s${s.index} has "${n.text}" (cid ${known.rec.cid}) twice: notes ${seen.get(n.text)} and ${n.id} (a resent cid created a duplicate)`);
      seen.set(n.text, n.id);
    }
    return seen;
  };

  /** Every acknowledged note is on the board exactly once with the id of its ack. */
  const checkAcked = (s, seen, what) => {
    for (const w of s.writers) {
      for (const r of w.records.values()) {
        if (!r.acked) continue;
        assert.ok(seen.has(r.text), `${what}: acknowledged note "${r.text}" (cid ${r.cid}, id ${r.acks[0].id}, writer ${w.p.label}) is missing from board ${s.boardId}`);
        for (const a of r.acks) {
          assert.equal(a.id, seen.get(r.text), `${what}: cid ${r.cid} was acknowledged with note id ${a.id}${a.resend ? ' (on a resend)' : ''}, but "${r.text}" is note ${seen.get(r.text)}`);
          assert.equal(a.text, r.text, `${what}: the ack of cid ${r.cid} carries text "${a.text}", sent "${r.text}"`);
          assert.equal(a.author, w.p.id, `${what}: the ack of cid ${r.cid} carries author ${a.author}, the writer is ${w.p.id}`);
        }
      }
    }
  };

  // ---- KILLS cycles of load, SIGKILL, restart, reconnect
  let inflightAtKillTotal = 0;
  let storedUnackedTotal = 0;
  let wordsInflightAtKillTotal = 0;
  let wordsStoredUnackedTotal = 0;
  for (let cycle = 1; cycle <= KILLS; cycle++) {
    // cycle 1's load started while the participants joined
    const stop = cycle === 1 ? firstStop : { done: false };
    const ackedBefore = allRecords().filter((r) => r.acked).length;
    const votesBefore = sessions.reduce((a, s) => a + s.voters.reduce((b, v) => b + v.stats.acked, 0), 0);
    const loops = cycle === 1 ? firstLoops : [];
    if (cycle > 1) {
      for (const s of sessions) s.cycleNotes = 0;
      for (const s of sessions) {
        for (const w of s.writers) loops.push(writerLoop(w, s, w.p.f.client, { fresh: true, stop }));
        for (const v of s.voters) loops.push(voterLoop(v, s, v.p.f.client, { stop }));
        for (const wd of s.worders) loops.push(wordLoop(wd, s, wd.p.f.client, { fresh: true, stop }));
      }
    }
    const delay = KILL_MIN_MS + Math.floor(rand() * (KILL_MAX_MS - KILL_MIN_MS + 1));
    const tLoad = Date.now();
    await sleep(delay);
    // a kill before the first ack would prove nothing: wait for some (bounded)
    while (allRecords().filter((r) => r.acked).length === ackedBefore && Date.now() - tLoad < 10000) await sleep(10);
    const closedBeforeKill = allFollowers().filter((f) => f.client.closed);
    const inflightAtKill = allRecords().filter((r) => !r.acked && r.sends > 0).length;
    inflightAtKillTotal += inflightAtKill;
    const wordsInflightAtKill = allWordRecords().filter((r) => !r.acked && r.sends > 0).length;
    wordsInflightAtKillTotal += wordsInflightAtKill;
    const loadMs = Date.now() - tLoad;
    const info = await srv.kill9();
    killed.push(srv);
    assert.equal(info.signal, 'SIGKILL', `cycle ${cycle}: atelierd was no longer running when we killed it (exit ${JSON.stringify(info)}): it crashed under load\n${srv.logs().slice(-3000)}`);
    stop.done = true;
    await bounded(Promise.all(loops), 20000, `cycle ${cycle}: writer and voter loops to end after the SIGKILL`);
    await pool(allFollowers(), 64, async (f) => {
      await bounded(f.client.closedPromise, 5000, `${f.label}: connection to close after the SIGKILL`).catch(() => f.client.terminate());
    });
    for (const f of closedBeforeKill) {
      f.earlyCloses.push(`cycle ${cycle}: ${JSON.stringify(f.client.closeInfo)}`);
    }
    for (const f of allFollowers()) f.absorb(`cycle ${cycle}, before the kill`);
    const ackedNow = allRecords().filter((r) => r.acked).length;
    const votesNow = sessions.reduce((a, s) => a + s.voters.reduce((b, v) => b + v.stats.acked, 0), 0);
    assert.ok(ackedNow > ackedBefore, `cycle ${cycle}: the server acknowledged no note in ${loadMs} ms of load`);

    // ---- restart on the same database and port
    const tRestart = Date.now();
    srv = await startServer({ db, port, args: SERVER_ARGS });
    const restartMs = Date.now() - tRestart;
    await pool(sessions, 8, async (s) => {
      s.fac.attach(await resumeFacilitatorConn(port, s, `fac s${s.index} c${cycle}`));
    });
    // what survived, before anyone writes again
    let storedUnacked = 0;
    let wordsStoredUnacked = 0;
    await pool(sessions, 8, async (s) => {
      const notes = await boardNotes(s, `after restart ${cycle}`);
      const seen = checkNotesKnown(s, notes, `after restart ${cycle}`);
      checkAcked(s, seen, `after restart ${cycle}`);
      for (const w of s.writers) {
        for (const r of w.records.values()) {
          if (!r.acked && seen.has(r.text)) { r.storedAtRestart = seen.get(r.text); storedUnacked++; }
        }
      }
      const c = checkCloudTotal(s, await cloudWords(s, `after restart ${cycle}`), `after restart ${cycle}`);
      wordsStoredUnacked += c.total - c.acked;
    });
    wordsStoredUnackedTotal += wordsStoredUnacked;
    storedUnackedTotal += storedUnacked;
    const tReconnect = Date.now();
    const parts = sessions.flatMap((s) => s.parts);
    await pool(parts, 32, async (p) => {
      p.f.attach(await resumeParticipantConn(port, p, `${p.label} c${cycle}`));
    });
    const reconnectMs = Date.now() - tReconnect;
    summary.push(`cycle ${cycle}: killed after ${loadMs} ms (planned ${delay}), notes acked ${ackedNow - ackedBefore}, votes acked ${votesNow - votesBefore}, unacked at kill ${inflightAtKill}, unacked but stored ${storedUnacked}, words unacked at kill ${wordsInflightAtKill} (stored ${wordsStoredUnacked}), restart ${restartMs} ms, reconnect ${reconnectMs} ms`);
  }

  // ---- after the last restart: writers finish their resends, then the load stops
  const stop = { done: false };
  await bounded(Promise.all(sessions.flatMap((s) => [
    ...s.writers.map((w) => writerLoop(w, s, w.p.f.client, { fresh: false, stop })),
    ...s.worders.map((wd) => wordLoop(wd, s, wd.p.f.client, { fresh: false, stop })),
  ])), 30000, 'final resends of the unacknowledged notes and words');
  for (const s of sessions) {
    for (const w of s.writers) {
      assert.ok(!w.p.f.client.closed, `${w.p.label}: connection closed during the final resends ${JSON.stringify(w.p.f.client.closeInfo)}`);
      for (const r of w.records.values()) {
        assert.deepEqual(r.errors, [], `note.add of cid ${r.cid} ("${r.text}") got an error reply`);
        assert.ok(r.acked, `cid ${r.cid} ("${r.text}") is still unacknowledged after the final resends (${r.sends} sends)`);
        if (r.storedAtRestart !== null) {
          assert.equal(r.acks[0].id, r.storedAtRestart, `cid ${r.cid}: stored as note ${r.storedAtRestart} before its ack, its resend answered note ${r.acks[0].id}`);
        }
      }
    }
    for (const v of s.voters) assert.deepEqual(v.errors, [], `${v.p.label}: vote requests got error replies`);
    for (const wd of s.worders) {
      assert.ok(!wd.p.f.client.closed, `${wd.p.label}: connection closed during the final resends ${JSON.stringify(wd.p.f.client.closeInfo)}`);
      for (const r of wd.records.values()) {
        assert.deepEqual(r.errors, [], `word.add of cid ${r.cid} ("${r.text}") by ${wd.p.label} got an error reply`);
        assert.ok(r.acked, `word cid ${r.cid} ("${r.text}") of ${wd.p.label} is still unacknowledged after the final resends (${r.sends} sends)`);
        for (const a of r.acks) assert.ok(a.key, `word.add of cid ${r.cid} ("${r.text}") acknowledged without an entry: ${JSON.stringify(a)}`);
      }
    }
  }

  // ---- final state
  const totals = { notes: 0, votes: 0, events: 0, words: 0, entries: 0 };
  await pool(sessions, 8, async (s) => {
    const j1 = ok(await s.fac.client.request('session.join', { code: s.code }, { timeoutMs: REQ_TIMEOUT }), `final session.join s${s.index}`);
    const notes = await boardNotes(s, 'final');
    const words = await cloudWords(s, 'final');
    const partCloud = ok(await s.parts[PARTS - 1].f.client.request('board.get', { board: s.cloudId }, { timeoutMs: REQ_TIMEOUT }), `${s.parts[PARTS - 1].label}: final board.get of cloud ${s.cloudId}`).board;
    const j2 = ok(await s.fac.client.request('session.join', { code: s.code }, { timeoutMs: REQ_TIMEOUT }), `final session.join s${s.index}`);
    assert.equal(j2.session.seq, j1.session.seq, `s${s.index}: seq moved from ${j1.session.seq} to ${j2.session.seq} after the load stopped`);
    s.finalSeq = j1.session.seq;
    s.finalNotes = notes;
    s.finalWords = words;
    s.finalPartWords = partCloud.words;
    totals.notes += notes.length;
    totals.words += cloudTotal(words);
    totals.entries += words.length;

    // check 3b: every acknowledged word counted exactly once (all are acknowledged by now)
    const wc = checkCloudTotal(s, words, 'final');
    assert.equal(wc.total, wc.acked, `final: cloud ${s.cloudId} of s${s.index} counts ${wc.total} words for ${wc.acked} distinct acknowledged word.add cids (${wc.sent} sent)`);
    const ackedKeys = new Set(wordRecords(s).flatMap((r) => r.acks.map((a) => a.key)));
    for (const w of words) assert.ok(ackedKeys.has(w.key), `final: cloud ${s.cloudId} of s${s.index} has entry "${w.key}" (count ${w.count}) that no acknowledgement named`);
    for (const key of ackedKeys) assert.ok(words.some((w) => w.key === key), `final: acknowledged entry "${key}" is missing from cloud ${s.cloudId} of s${s.index}`);
    assert.equal(cloudTotal(partCloud.words), wc.total, `final: cloud ${s.cloudId} of s${s.index}: the participants' board.get counts ${cloudTotal(partCloud.words)} words, the facilitator's ${wc.total} (nothing is hidden)`);
    for (const wd of s.worders) {
      const mine = ok(await wd.p.f.client.request('board.get', { board: s.cloudId }, { timeoutMs: REQ_TIMEOUT }), `${wd.p.label}: board.get of cloud`).board;
      assert.equal(mine.words_left, WORD_QUOTA - wd.records.size, `${wd.p.label}: words_left ${mine.words_left} after ${wd.records.size} distinct word cids (quota ${WORD_QUOTA}): a resend used the quota again, or an addition was lost`);
    }
    totals.events += s.finalSeq;

    // check 1: acknowledged notes exactly once, no unknown note, nothing lost
    const seen = checkNotesKnown(s, notes, 'final');
    checkAcked(s, seen, 'final');
    const sent = s.writers.reduce((a, w) => a + w.records.size, 0);
    assert.equal(notes.length, sent, `s${s.index}: ${notes.length} notes on the board for ${sent} distinct cids sent (all acknowledged)`);

    // votes: each note's count within what acknowledged and unanswered requests allow
    for (const n of notes) {
      let lo = 0;
      let hi = 0;
      for (const v of s.voters) {
        const t = v.tally.get(n.id);
        if (!t) continue;
        lo += t.ackV - t.ackU - t.unkU;
        hi += t.ackV + t.unkV - t.ackU;
      }
      assert.ok(n.votes >= lo && n.votes <= hi, `s${s.index} note ${n.id} ("${n.text}") has ${n.votes} votes; acknowledged and unanswered votes allow ${lo}..${hi}`);
      totals.votes += n.votes;
    }
    for (const v of s.voters) {
      const mine = ok(await v.p.f.client.request('board.get', { board: s.boardId }, { timeoutMs: REQ_TIMEOUT }), `${v.p.label}: board.get`).board;
      let used = 0;
      for (const n of mine.notes) {
        const t = v.tally.get(n.id) || { ackV: 0, unkV: 0, ackU: 0, unkU: 0 };
        const lo = t.ackV - t.ackU - t.unkU;
        const hi = t.ackV + t.unkV - t.ackU;
        assert.ok(n.my_votes >= lo && n.my_votes <= hi, `${v.p.label}: my_votes ${n.my_votes} on note ${n.id}; its acknowledged and unanswered requests allow ${lo}..${hi}`);
        used += n.my_votes;
      }
      assert.equal(mine.votes_left, VOTE_LIMIT - used, `${v.p.label}: votes_left ${mine.votes_left} with ${used} votes used of ${VOTE_LIMIT}`);
    }
  });

  // checks 2 and 3: every follower reached the final seq without a gap and rebuilt the board
  await pool(sessions, 8, async (s) => {
    for (const f of [s.fac, ...s.parts.map((p) => p.f)]) {
      if (f.lastSeq < s.finalSeq) {
        await f.client.waitEvent((e) => e.session === s.code && e.seq >= s.finalSeq, 20000, { what: `${f.label}: event seq ${s.finalSeq}` });
      }
      ok(await f.client.request('ping', {}, { timeoutMs: REQ_TIMEOUT }), `${f.label}: ping`);
      f.absorb('after the last restart');
      assert.equal(f.lastSeq, s.finalSeq, `${f.label}: last applied seq ${f.lastSeq}, the session is at ${s.finalSeq}`);
      compareBoard(f, s.finalNotes);
      if (f.isFac) compareCloud(f, s.finalWords, 'facilitator view');
      else compareCloud(f, s.finalPartWords, 'participant view');
    }
  });

  // check 4: nothing crashed; a clean stop exits 0 (stop() also rejects sanitizer reports)
  for (const k of [...killed, srv]) {
    const report = k.logs().match(/(AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:)[^\n]*/);
    assert.equal(report, null, `atelierd (port ${k.port}) reported: ${report && report[0]}`);
  }
  const fin = await srv.stop();
  assert.equal(fin.code, 0, `final SIGTERM: atelierd exited with ${JSON.stringify(fin)}`);

  assert.ok(inflightAtKillTotal > 0, `the kills never hit a note.add in flight, the resend path was not exercised (${summary.join('; ')})`);
  assert.ok(wordsInflightAtKillTotal > 0, `the kills never hit a word.add in flight, the word resend path was not exercised (${summary.join('; ')})`);
  const early = allFollowers().filter((f) => f.earlyCloses.length).map((f) => `${f.label}: ${f.earlyCloses.join(', ')}`);
  const resent = allRecords().filter((r) => r.sends > 1).length;
  const wordsResent = allWordRecords().filter((r) => r.sends > 1).length;
  const cloudFrames = allFollowers().reduce((a, f) => a + f.cloudFrames, 0);
  const wordEvents = allFollowers().filter((f) => !f.isFac).reduce((a, f) => a + f.wordEvents, 0);
  assert.ok(cloudFrames > 0, 'no participant received a cloud.updated frame: the coalesced path was not exercised');
  process.stderr.write(`kill-load (seed ${SEED}): ${SESSIONS} sessions x ${PARTS} participants joined in ${setupMs} ms under load (snapshots held up to ${Math.max(...snapshotNotes)} notes, ${Math.max(...snapshotVotes)} votes); ${summary.join('; ')}; ` +
    `final: ${totals.notes} notes, ${totals.votes} votes, ${totals.events} events, ${resent} notes resent, ${storedUnackedTotal} stored before their ack; ` +
    `words: ${totals.words} in ${totals.entries} entries, ${wordsResent} resent, ${wordsInflightAtKillTotal} unacked at a kill, ${wordsStoredUnackedTotal} stored before their ack, snapshots held up to ${Math.max(...snapshotWords)}, participants got ${cloudFrames} cloud.updated frames and ${wordEvents} replayed word.added; ` +
    `closed by the server before a kill: ${early.length ? early.join(' | ') : 'none'}; total ${Date.now() - t0} ms\n`);
});
