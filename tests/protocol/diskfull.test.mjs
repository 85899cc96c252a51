// A disk that fills up: atelierd runs under a file-size limit (prlimit
// --fsize, the kernel then fails writes past it with EFBIG) while a
// participant writes notes.  When SQLite can no longer write, atelierd must
// stop with a clear message and exit code 1, without answering the change
// it could not store; after a restart without the limit every acknowledged
// note is there exactly once, nothing unsent appears, and the database is
// intact (PRAGMA integrity_check).
import { after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  test, startServer, stopAll, facilitator, participant, ok, makeSessionAndBoard,
} from './harness.mjs';

after(async () => { await stopAll(); });

const LIMIT = 1500000;   // bytes any file may reach: the WAL passes it after a few hundred commits

/** startServer, with atelierd run through prlimit --fsize. */
async function startLimited(db) {
  const real = path.resolve(process.env.ATELIER_BIN);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atelier-fsize-'));
  const wrapper = path.join(dir, 'atelierd-limited');
  fs.writeFileSync(wrapper, `#!/bin/sh\nexec prlimit --fsize=${LIMIT} -- '${real}' "$@"\n`, { mode: 0o755 });
  process.env.ATELIER_BIN = wrapper;
  try {
    return await startServer({ db, args: ['--rate', '1000000'] });
  } finally {
    process.env.ATELIER_BIN = real;
  }
}

test('disk full: atelierd stops with a clear message, answers nothing it could not store, and loses nothing acknowledged', { timeout: 120000 }, async () => {
  // a database with a session and a board, made without the limit
  const first = await startServer();
  const fac0 = await facilitator(first.port);
  const { code, board } = await makeSessionAndBoard(fac0);
  await first.stop();

  const srv = await startLimited(first.db);
  const p = await participant(srv.port, code, 'Ann');
  const sent = new Map();   // text -> {acked, id}
  let errors = 0;
  const filler = 'x'.repeat(480);
  for (let i = 0; i < 5000 && !srv.exited && !p.closed; i++) {
    const burst = [];
    for (let k = 0; k < 8; k++) {
      const text = `n${i}-${k} ${filler}`;
      const rec = { acked: false, id: null };
      sent.set(text, rec);
      burst.push(p.request('note.add', { board: board.id, text, cid: `c${i}-${k}` }, { timeoutMs: 2000 })
        .then((r) => { if (r.ok) { rec.acked = true; rec.id = r.note.id; } else errors++; }, () => {}));
    }
    await Promise.race([Promise.all(burst), srv.exitPromise]);   // a dead server answers nothing
  }
  let timer;
  const info = await Promise.race([srv.exitPromise, new Promise((r) => { timer = setTimeout(() => r(null), 15000); })]);
  clearTimeout(timer);
  assert.ok(info, `atelierd kept running past the ${LIMIT}-byte limit (${sent.size} notes sent)`);
  assert.equal(info.code, 1, `exit code 1 on a write error (got ${JSON.stringify(info)})\n${srv.output.slice(-2000)}`);
  assert.match(srv.output, /cannot (write to|commit to) the database: .*; stopping/,
    `a message that says why: ${srv.output.slice(-2000)}`);
  assert.doesNotMatch(srv.output, /AddressSanitizer|LeakSanitizer|runtime error:/);
  const acked = [...sent.values()].filter((r) => r.acked);
  assert.ok(acked.length > 50, `some notes were stored before the disk filled (${acked.length})`);
  assert.ok(acked.length < sent.size, 'and some were not');
  assert.equal(errors, 0, 'no error reply: the change that could not be stored got no answer at all');

  // restart without the limit: everything acknowledged is there, once
  const again = await startServer({ db: first.db });
  const fac = await facilitator(again.port);
  const notes = ok(await fac.request('board.get', { board: board.id })).board.notes;
  const byId = new Map(notes.map((n) => [n.id, n]));
  for (const [text, r] of sent) {
    if (!r.acked) continue;
    assert.ok(byId.has(r.id), `acknowledged note ${r.id} is back`);
    assert.equal(byId.get(r.id).text, text);
  }
  assert.equal(new Set(notes.map((n) => n.text)).size, notes.length, 'no note twice');
  for (const n of notes) assert.ok(sent.has(n.text), `note ${n.id} was sent by the test`);
  // the session goes on: a new note is stored and seq continues
  const p2 = await participant(again.port, code, 'Bea');
  ok(await p2.request('note.add', { board: board.id, text: 'after the disk was freed' }));
  await again.stop();
  const check = spawnSync('sqlite3', [first.db, 'PRAGMA integrity_check'], { encoding: 'utf8', timeout: 30000 });
  assert.equal(check.status, 0, check.stderr);
  assert.equal(check.stdout.trim(), 'ok', 'the database is intact');
});
