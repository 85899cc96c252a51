// Open files: started with a soft limit of 256 (a laptop's shell usually
// says 1,024), atelierd raises it itself, so that 400 phones can join one
// session and all get its events.  Without the raise, the connections past
// the limit are refused and this test fails.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  test, startServer, stopAll, facilitator, participants, makeSessionAndBoard, ok,
} from './harness.mjs';

const PHONES = 400;
let srv;
before(async () => { srv = await startServer({ wrap: ['prlimit', '--nofile=256:', '--'] }); });
after(async () => { await stopAll(); });

test(`a soft limit of 256 open files is raised: ${PHONES} phones join and get every event`, { timeout: 120000 }, async () => {
  assert.match(srv.output, /open files limit raised from 256 to \d+/);
  const fac = await facilitator(srv.port);
  const { code, board } = await makeSessionAndBoard(fac);
  const phones = await participants(srv.port, code, PHONES);
  assert.equal(phones.length, PHONES);
  const r = ok(await fac.request('note.add', { board: board.id, text: 'everyone sees this' }), 'note.add');
  await Promise.all(phones.map((p) => p.waitEvent((e) => e.ev === 'note.added' && e.note.id === r.note.id)));
  const m = await fetch(`${srv.url}/metrics`).then((x) => x.text());
  const conns = Number(m.match(/^atelier_connections (\d+)/m)[1]);
  assert.ok(conns >= PHONES + 1, `atelier_connections ${conns}, want at least ${PHONES + 1}`);
  await Promise.all(phones.map((p) => p.terminate()));
});
