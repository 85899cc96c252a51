// The web client's protocol names (web-client/protocol.js) are the ones of
// proto/: every op, event and error code it uses is in proto/protocol.def
// or in proto/drafts/ (a contract being implemented), and the client knows
// every event a session can send.
// Also the colours, limits and code alphabet of proto/PROTOCOL.md.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, importClient } from './lib.mjs';

const def = fs.readFileSync(path.join(ROOT, 'proto/protocol.def'), 'utf8');
const doc = fs.readFileSync(path.join(ROOT, 'proto/PROTOCOL.md'), 'utf8');
const draftsDir = path.join(ROOT, 'proto/drafts');
const drafts = fs.existsSync(draftsDir)
  ? fs.readdirSync(draftsDir).filter((f) => f.endsWith('.md')).map((f) => fs.readFileSync(path.join(draftsDir, f), 'utf8')).join('\n')
  : '';
const inDef = (kind) => new Set([...def.matchAll(new RegExp(`^${kind}\\("([^"]+)"`, 'gm'))].map((m) => m[1]));
// events, and the frames that stand for several events (cloud.updated)
const inDefEv = () => new Set([...inDef('EV'), ...inDef('FRAME')]);
const inDrafts = new Set([...drafts.matchAll(/`([a-z_]+(?:\.[a-z_]+)?)/g)].map((m) => m[1]));

test('every op, event and error code of protocol.js is in proto/', async () => {
  const P = await importClient('protocol.js');
  const checks = [['OP', P.OP, inDef('OP')], ['EV', P.EV, inDefEv()], ['ERR', P.ERR, inDef('ERR')]];
  for (const [kind, names, known] of checks) {
    assert.ok(known.size > 3, `protocol.def lists ${kind} names`);
    for (const name of Object.values(names)) {
      assert.ok(known.has(name) || inDrafts.has(name), `${kind} "${name}" is neither in proto/protocol.def nor in proto/drafts/`);
    }
  }
  // the ones a participant needs today are all in protocol.def, not only in drafts
  for (const op of ['hello', 'ping', 'board.get', 'note.add', 'note.update', 'note.delete', 'note.vote', 'note.unvote']) {
    assert.ok(inDef('OP').has(op) && Object.values(P.OP).includes(op), op);
  }
  // every event a session's followers receive is known (portfolio events are not broadcast)
  for (const ev of inDefEv()) {
    if (!ev.startsWith('portfolio.')) assert.ok(Object.values(P.EV).includes(ev), `the client knows event ${ev}`);
  }
});

test('colours, limits and the code alphabet match PROTOCOL.md', async () => {
  const P = await importClient('protocol.js');
  const colours = /`COLOR` is one of ([^.]+)\./.exec(doc)[1].match(/`([a-z]+)`/g).map((s) => s.slice(1, -1));
  assert.deepEqual(P.COLORS, colours);
  assert.match(doc, new RegExp(`\`text\` of a note 1 to ${P.LIMITS.note} characters`));
  assert.match(doc, new RegExp(`\`name\` up to ${P.LIMITS.name}`));
  assert.match(`${doc}\n${drafts}`, new RegExp(`word or a short phrase, 1 to ${P.LIMITS.word} characters|1 to ${P.LIMITS.word} characters`));
  assert.ok(doc.includes(`\`${P.CODE_ALPHABET}\``), 'the code alphabet');
  assert.equal(P.PROTOCOL, /subprotocol `([^`]+)`/.exec(doc)[1]);
  assert.equal(P.normalizeCode(' k7m xpa '), 'K7MXPA');
  assert.equal(P.normalizeCode('k7m-xpa'), 'K7MXPA');
  assert.equal(P.normalizeCode('K7MXP0'), null, '0 is not in the alphabet');
  assert.equal(P.normalizeCode('K7MXP'), null);
});
