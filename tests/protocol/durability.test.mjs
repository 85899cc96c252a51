// Durability: writers in a tight loop while the server is SIGKILLed. Every acknowledged
// note (and every note announced by an event) must survive; retrying the unacknowledged
// requests with their cid must not create duplicates.
import { after } from 'node:test';
import assert from 'node:assert/strict';
import {
  test, startServer, stopAll, facilitator, participant, resumeParticipant,
  ok, makeSessionAndBoard, sleep,
} from './harness.mjs';

after(async () => { await stopAll(); });

const WRITERS = 5;
const WINDOW = 20;          // requests in flight per writer
const KILL_AFTER_MS = 300;
const CYCLES = 3;
const MAX_ACKED_PER_CYCLE = 3000; // kill early when a very fast server gets here (keeps the test bounded)
const SERVER_ARGS = ['--rate', '1000000']; // writers must not be rate limited

/**
 * Send note.add requests with unique cid/text, at most WINDOW in flight, until the
 * connection dies or `maxNotes` were sent. Records every request in `records`.
 */
async function writer(p, pi, cycle, boardId, records, counters) {
  const inflight = new Set();
  for (let n = 0; n < 20000 && !p.closed; n++) {
    while (inflight.size >= WINDOW && !p.closed) await Promise.race(inflight);
    if (p.closed) break;
    const cid = `p${pi}-c${cycle}-${n}`;
    const rec = { cid, text: `durable p${pi} c${cycle} n${n}`, pi, acked: false, id: null, error: null };
    records.set(cid, rec);
    const pr = p.request('note.add', { board: boardId, text: rec.text, cid }, { timeoutMs: 15000 })
      .then((r) => {
        if (r.ok === true) { rec.acked = true; rec.id = r.note.id; counters.acked++; } else rec.error = r.error;
      }, (e) => { rec.error = e.message; })
      .finally(() => inflight.delete(pr));
    inflight.add(pr);
  }
  await Promise.allSettled([...inflight]);
}

/** All notes of a board as the facilitator sees them (hidden ones included). */
async function boardNotes(fac, boardId) {
  const r = ok(await fac.request('board.get', { board: boardId }, { timeoutMs: 20000 }), 'board.get');
  return r.board.notes;
}

function countByText(notes) {
  const m = new Map();
  for (const n of notes) m.set(n.text, (m.get(n.text) || 0) + 1);
  return m;
}

test('acked notes survive SIGKILL; retried cids add no duplicates (3 kill cycles)', { timeout: 240000 }, async () => {
  let srv = await startServer({ args: SERVER_ARGS });
  const db = srv.db;
  let fac = await facilitator(srv.port);
  const { code, board } = await makeSessionAndBoard(fac, { title: 'Durability' });
  let parts = [];
  for (let i = 0; i < WRITERS; i++) parts.push(await participant(srv.port, code, `writer${i}`, { label: `writer${i}` }));
  const secrets = parts.map((p) => p.resume);
  const ids = parts.map((p) => p.id);
  const records = new Map();   // cid -> record, over all cycles
  const summary = [];

  for (let cycle = 1; cycle <= CYCLES; cycle++) {
    // ---- write until killed
    const counters = { acked: 0 };
    const cycleRecords = new Map();
    const writers = parts.map((p, pi) => writer(p, pi, cycle, board.id, cycleRecords, counters));
    const t0 = Date.now();
    const deadline = t0 + KILL_AFTER_MS;
    while (Date.now() < deadline && counters.acked < MAX_ACKED_PER_CYCLE) await sleep(5);
    const killedAfter = Date.now() - t0;
    await srv.kill9();
    await Promise.all(writers);
    for (const [k, v] of cycleRecords) records.set(k, v);
    const acked = [...cycleRecords.values()].filter((r) => r.acked);
    const unacked = [...cycleRecords.values()].filter((r) => !r.acked);
    // note ids announced by an event to anyone before the kill
    const announced = new Map();
    for (const c of [fac, ...parts]) {
      for (const e of c.events) if (e.ev === 'note.added' && e.note && e.note.text) announced.set(e.note.id, e.note.text);
    }
    summary.push(`cycle ${cycle}: killed after ${killedAfter} ms, sent ${cycleRecords.size}, acked ${acked.length}, unacked ${unacked.length}, announced total ${announced.size}`);
    assert.ok(acked.length > 0, `cycle ${cycle}: the server acknowledged no note in ${KILL_AFTER_MS} ms (${summary.at(-1)})`);

    // ---- restart on the same database
    srv = await startServer({ db, args: SERVER_ARGS });
    fac = await facilitator(srv.port, { label: `facilitator c${cycle}` });
    ok(await fac.request('session.join', { code }, { timeoutMs: 20000 }), 'session.join after restart');
    let notes = await boardNotes(fac, board.id);
    let byText = countByText(notes);
    const byId = new Map(notes.map((n) => [n.id, n]));
    for (const r of [...records.values()].filter((x) => x.acked)) {
      assert.equal(byText.get(r.text) || 0, 1, `cycle ${cycle}: acked note "${r.text}" (cid ${r.cid}, id ${r.id}) must be present exactly once after SIGKILL`);
      assert.equal(byId.get(r.id) && byId.get(r.id).text, r.text, `cycle ${cycle}: acked note id ${r.id} keeps its id`);
    }
    for (const [id, text] of announced) {
      assert.ok(byId.has(id), `cycle ${cycle}: note ${id} ("${text}") was announced by note.added before the kill but is gone after restart`);
    }
    for (const [text, n] of byText) assert.equal(n, 1, `cycle ${cycle}: text "${text}" present ${n} times`);
    for (const n of notes) assert.ok(ids.includes(n.author), `note ${n.id} has an unexpected author ${n.author}`);

    // ---- reconnect the writers and retry every unacked request with its cid
    parts = [];
    for (let i = 0; i < WRITERS; i++) {
      const { client, reply } = await resumeParticipant(srv.port, secrets[i], undefined, { label: `writer${i} c${cycle}` });
      ok(reply, `writer${i} resume after restart ${cycle}`);
      assert.equal(reply.you.id, ids[i], 'same identity after restart');
      parts.push(client);
    }
    const pending = [...records.values()].filter((r) => !r.acked);
    for (let i = 0; i < pending.length; i += WINDOW * WRITERS) {
      await Promise.all(pending.slice(i, i + WINDOW * WRITERS).map(async (r) => {
        const rep = await parts[r.pi].request('note.add', { board: board.id, text: r.text, cid: r.cid }, { timeoutMs: 15000 });
        ok(rep, `retry of cid ${r.cid}`);
        assert.equal(rep.note.text, r.text, `retry of cid ${r.cid} returns its note`);
        const existing = notes.find((n) => n.text === r.text);
        if (existing) assert.equal(rep.note.id, existing.id, `retry of cid ${r.cid} (already stored as note ${existing.id}) must return that note, got ${rep.note.id}`);
        r.acked = true;
        r.id = rep.note.id;
      }));
    }
    notes = await boardNotes(fac, board.id);
    byText = countByText(notes);
    for (const r of records.values()) {
      assert.equal(byText.get(r.text) || 0, 1, `cycle ${cycle}: after retries "${r.text}" (cid ${r.cid}) must be present exactly once`);
    }
    assert.equal(notes.length, records.size, `cycle ${cycle}: ${notes.length} notes for ${records.size} distinct texts`);
  }
  const totalUnacked = summary.reduce((s, l) => s + Number(/unacked (\d+)/.exec(l)[1]), 0);
  process.stderr.write(`durability: ${summary.join('; ')}\n`);
  assert.ok(totalUnacked > 0, `the kills never hit requests in flight, the retry path was not exercised (${summary.join('; ')})`);
  // after all that, the session's history is still gap-free
  const fac2 = await facilitator(srv.port, { label: 'facilitator history' });
  const j = ok(await fac2.request('session.join', { code, since: 0 }, { timeoutMs: 20000 })).session;
  await fac2.waitSeq(code, j.seq, 20000);
  const evs = fac2.eventsOf(code);
  assert.equal(evs.length, j.seq);
  for (let i = 0; i < evs.length; i++) assert.equal(evs[i].seq, i + 1, 'history is gap-free after the kills');
  const addedTexts = evs.filter((e) => e.ev === 'note.added').map((e) => e.note.text);
  assert.equal(new Set(addedTexts).size, addedTexts.length, 'no note was added twice in the history');
});
