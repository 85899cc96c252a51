// Issue 3: live word clouds through the real server: 30 participants,
// variants merged, quota, moderation (hide, show, merge, ban, reset), the
// layout, and persistence.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  test, startServer, stopAll, facilitator, participant, connect, resumeParticipant,
  ok, isError,
} from './harness.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await stopAll(); });

async function cloudRoom({ lang, quota, people = 2 } = {}) {
  const fac = await facilitator(srv.port);
  const fields = { title: 'Mobilité' };
  if (lang) fields.lang = lang;
  const s = ok(await fac.request('session.create', fields)).session;
  const bf = { session: s.code, kind: 'cloud', title: 'En un mot ?', prompt: 'La mobilité, pour vous ?' };
  if (quota) bf.word_quota = quota;
  const board = ok(await fac.request('board.create', bf)).board;
  const ps = [];
  for (let i = 0; i < people; i++) ps.push(await participant(srv.port, s.code, `P${i}`));
  return { fac, code: s.code, board, ps };
}

function boxesOverlap(a, b) {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

test('30 participants: French variants merge into one entry shown as the most typed form', { timeout: 60000 }, async () => {
  const { fac, board, ps } = await cloudRoom({ people: 30 });
  assert.equal(board.kind, 'cloud');
  assert.equal(board.word_quota, 3);
  assert.deepEqual(board.words, []);
  // 'Déchets' is typed by 12 people, each other variant by 3 or 6
  const variants = ['Déchets', 'déchet', 'Déchets', 'les déchets', 'dechets ', 'Déchets', 'DÉCHETS', 'Des déchets',
    'Déchets', 'déchet'];
  const others = ['vélo', 'Vélos', 'le vélo', 'bus', 'Bus', "l'écologie", 'l’écologie', 'Écologie', 'tram 🚋', '2 roues'];
  const sent = [];
  await Promise.all(ps.map(async (p, i) => {
    const words = [variants[i % variants.length], others[i % others.length], others[(i + 3) % others.length]];
    for (const w of words) {
      const r = ok(await p.request('word.add', { board: board.id, text: w }));
      sent.push(w);
      assert.ok(r.word && r.word.count >= 1);
    }
    assert.equal(ps[i].hello.session.boards[0].words_left, 3);
  }));
  assert.equal(sent.length, 90);
  const words = ok(await fac.request('board.get', { board: board.id })).board.words;
  const byKey = Object.fromEntries(words.map((w) => [w.key, w]));
  const dechet = words.find((w) => w.forms.some((f) => f.text === 'les déchets'));
  assert.ok(dechet, 'one entry for the déchets variants');
  assert.equal(dechet.count, 30);
  assert.equal(dechet.text, 'Déchets', 'DISPLAY is the most frequent form');
  assert.equal(words.filter((w) => w.forms.some((f) => /d[ée]chet/i.test(f.text))).length, 1);
  const velo = words.find((w) => w.forms.some((f) => f.text === 'Vélos'));
  assert.ok(velo.forms.some((f) => f.text === 'le vélo'), 'vélo, Vélos, le vélo merged');
  const eco = words.find((w) => w.forms.some((f) => f.text === 'l’écologie'));
  assert.ok(eco.forms.some((f) => f.text === "l'écologie") && eco.forms.some((f) => f.text === 'Écologie'),
    'elisions with both apostrophes merged');
  assert.ok(words.some((w) => w.text === 'tram 🚋'), 'emoji kept');
  assert.ok(words.some((w) => w.text === '2 roues'), 'digits kept');
  for (let i = 1; i < words.length; i++) assert.ok(words[i - 1].count >= words[i].count, 'largest first');
  assert.equal(words.reduce((n, w) => n + w.count, 0), 90);
  assert.ok(byKey[dechet.key]);
  // every participant saw every addition, coalesced into cloud.updated frames
  // that cover consecutive seq ranges, and built the same cloud as board.get
  const covered = (c) => c.events.filter((e) => e.ev === 'cloud.updated').reduce((n, e) => n + e.added, 0);
  await ps[0].waitEvent(() => covered(ps[0]) === 90);
  await ps[29].waitEvent(() => covered(ps[29]) === 90);
  const expected = Object.fromEntries(words.map((w) => [w.key, w.count]));
  for (const p of [ps[0], ps[29]]) {
    const frames = p.events.filter((e) => e.ev === 'cloud.updated');
    assert.ok(frames.length < 90, `${frames.length} frames for 90 words: coalesced`);
    for (let i = 1; i < frames.length; i++) {
      assert.equal(frames[i].first, frames[i - 1].seq + 1, 'the frames cover consecutive seq ranges');
    }
    for (const f of frames) {
      assert.equal(f.seq - f.first + 1, f.added, 'a frame covers exactly its additions');
      assert.equal(f.boards.length, 1);
      assert.equal(f.boards[0].board, board.id);
    }
    const built = {};
    for (const f of frames) for (const w of f.boards[0].words) built[w.key] = w.count;
    assert.deepEqual(built, expected, 'the cloud built from the frames is the board');
    assert.ok(!p.events.some((e) => e.ev === 'word.added'), 'participants get no word.added live');
  }
  assert.ok(!JSON.stringify(ps[0].events).includes('"by"') && !JSON.stringify(ps[0].events).includes('"form"'),
    'participants do not learn who typed what');
  // the facilitator still gets each addition, with who typed it
  const facAdds = fac.events.filter((e) => e.ev === 'word.added');
  assert.equal(facAdds.length, 90);
  assert.ok(facAdds.every((e) => typeof e.by === 'number' && typeof e.form === 'string'));
});

test('coalescing keeps order and resumes: cloud.updated goes before the next event; since replays word.added', async () => {
  const { fac, code, board, ps: [a, b] } = await cloudRoom({ quota: 10 });
  const v = await connect(srv.port, { label: 'viewer' });
  ok(await v.request('hello', { role: 'viewer', code }));
  const mark = b.events.length;
  const added = ok(await a.request('word.add', { board: board.id, text: 'vélo' })).word;
  ok(await fac.request('word.hide', { board: board.id, key: added.key }));
  const hid = await b.waitEvent((e) => e.ev === 'word.hidden', undefined, { from: mark });
  const upd = b.events.slice(mark).find((e) => e.ev === 'cloud.updated');
  assert.ok(upd, 'the addition reached the participant');
  assert.ok(b.events.indexOf(upd) < b.events.indexOf(hid), 'cloud.updated comes before the event after it');
  assert.equal(hid.seq, upd.seq + 1);
  assert.deepEqual(upd.boards[0].words.map((w) => w.key), [added.key]);
  const vu = await v.waitEvent((e) => e.ev === 'cloud.updated');
  assert.equal(vu.seq, upd.seq, 'the viewer gets the same frame');
  // a burst from many requests at once: fewer frames than words, same result
  const before = b.events.length;
  const texts = ['bus', 'tram', 'métro', 'train', 'marche', 'rollers', 'navette', 'parking'];
  await Promise.all(texts.map((t, i) => (i % 2 ? a : b).request('word.add', { board: board.id, text: t })));
  await b.waitEvent(() => b.events.slice(before).filter((e) => e.ev === 'cloud.updated')
    .reduce((n, e) => n + e.added, 0) === texts.length);
  // resume: a participant that asks for events since a seq gets the history, word by word
  const { client: r, reply: h } = await resumeParticipant(srv.port, a.resume, upd.first - 1, { label: 'resumer' });
  ok(h, 'resume hello');
  const replayed = await r.waitEvent((e) => e.ev === 'word.hidden');
  const adds = r.events.slice(0, r.events.indexOf(replayed)).filter((e) => e.ev === 'word.added');
  assert.equal(adds.length, 1, 'the replay has the addition as word.added');
  assert.equal(adds[0].seq, upd.first);
});

test('quota: a participant has word_quota entries per board, then `quota`; empty words are refused', async () => {
  const { fac, board, ps: [a] } = await cloudRoom({ quota: 2, people: 1 });
  assert.equal(a.hello.session.boards[0].words_left, 2);
  assert.equal(ok(await a.request('word.add', { board: board.id, text: 'vélo' })).words_left, 1);
  isError(await a.request('word.add', { board: board.id, text: 'les' }), 'bad_request', 'only a stop word');
  isError(await a.request('word.add', { board: board.id, text: ' ?! ' }), 'bad_request', 'only punctuation');
  isError(await a.request('word.add', { board: board.id, text: 'x'.repeat(41) }), 'bad_request', 'over 40 characters');
  assert.equal(ok(await a.request('word.add', { board: board.id, text: 'bus' })).words_left, 0);
  isError(await a.request('word.add', { board: board.id, text: 'tram' }), 'quota');
  ok(await fac.request('word.add', { board: board.id, text: 'métro' }), 'the facilitator has no quota');
  isError(await fac.request('board.create', { session: board.session, kind: 'cloud', title: 'x', word_quota: 0 }), 'bad_request');
  // cid: the same request twice counts once
  const { board: b2, ps: [p] } = await cloudRoom({ people: 1 });
  const r1 = ok(await p.request('word.add', { board: b2.id, text: 'piéton', cid: 'w1' }));
  const r2 = ok(await p.request('word.add', { board: b2.id, text: 'piéton', cid: 'w1' }));
  assert.equal(r2.word.count, r1.word.count);
  assert.equal(r2.words_left, 2);
  // word.add on a wall is a bad request
  const wall = ok(await fac.request('board.create', { session: board.session, kind: 'wall', title: 'w' })).board;
  isError(await fac.request('word.add', { board: wall.id, text: 'x' }), 'bad_request');
});

test('English and Dutch sessions stem in their language', async () => {
  const en = await cloudRoom({ lang: 'en', people: 1 });
  ok(await en.ps[0].request('word.add', { board: en.board.id, text: 'school' }));
  ok(await en.ps[0].request('word.add', { board: en.board.id, text: 'the Schools' }));
  const w = ok(await en.fac.request('board.get', { board: en.board.id })).board.words;
  assert.equal(w.length, 1);
  assert.equal(w[0].count, 2);
  const nl = await cloudRoom({ lang: 'nl', people: 1 });
  ok(await nl.ps[0].request('word.add', { board: nl.board.id, text: 'de fietsen' }));
  ok(await nl.ps[0].request('word.add', { board: nl.board.id, text: 'fietsen' }));
  const wn = ok(await nl.fac.request('board.get', { board: nl.board.id })).board.words;
  assert.equal(wn.length, 1, 'Dutch article dropped');
});

test('moderation: hide, show, merge, ban and reset; hidden and banned words never reach participants', async () => {
  const { fac, code, board, ps: [a, b] } = await cloudRoom({ quota: 10 });
  const v = await connect(srv.port, { label: 'viewer' });
  ok(await v.request('hello', { role: 'viewer', code }));
  for (const w of ['vélo', 'bicyclette', 'bus', 'nul']) ok(await a.request('word.add', { board: board.id, text: w }));
  const all = ok(await fac.request('board.get', { board: board.id })).board.words;
  const key = (t) => all.find((w) => w.text === t).key;

  // hide
  const h = ok(await fac.request('word.hide', { board: board.id, key: key('nul') }));
  assert.equal(h.word.hidden, true);
  const hiddenEv = await b.waitEvent((e) => e.ev === 'word.hidden' && e.key === key('nul'));
  const mark2 = b.frames.indexOf(hiddenEv) + 1;
  assert.ok(!ok(await b.request('board.get', { board: board.id })).board.words.some((w) => w.key === key('nul')));
  ok(await a.request('word.add', { board: board.id, text: 'Nul' }));
  const ev = await b.waitEvent((e) => e.ev === 'cloud.updated' && e.added === 1 && e.boards[0].words.length === 0);
  assert.ok(!JSON.stringify(ev).includes(key('nul')), 'a hidden word reaches no participant, not even its key');
  await v.waitEvent((e) => e.ev === 'cloud.updated' && e.seq === ev.seq);
  const lay = ok(await v.request('cloud.layout', { board: board.id, target: 'px', width: 800, height: 600 })).layout;
  assert.ok(!lay.words.some((w) => w.key === key('nul')), 'hidden words are not laid out');
  assert.ok(!/\bnul\b/i.test(JSON.stringify(b.frames.slice(mark2))),
    `while hidden, the text never reaches the participant: ${JSON.stringify(b.frames.slice(mark2))}`);
  // show
  const s = ok(await fac.request('word.show', { board: board.id, key: key('nul') }));
  assert.equal(s.word.count, 2);
  const shown = await b.waitEvent((e) => e.ev === 'word.shown');
  assert.equal(shown.word.text, 'nul');

  // merge
  const m = ok(await fac.request('word.merge', { board: board.id, from: key('bicyclette'), into: key('vélo') }));
  assert.equal(m.word.count, 2);
  assert.equal(m.word.forms.length, 2);
  const me = await b.waitEvent((e) => e.ev === 'word.merged');
  assert.equal(me.from, key('bicyclette'));
  assert.equal(me.word.count, 2);
  const after = ok(await a.request('word.add', { board: board.id, text: 'Bicyclettes' }));
  assert.equal(after.word.key, key('vélo'), 'later additions of the merged key count for the target');
  assert.equal(after.word.count, 3);
  isError(await fac.request('word.merge', { board: board.id, from: key('vélo'), into: key('vélo') }), 'bad_request');
  isError(await fac.request('word.merge', { board: board.id, from: 'nothing', into: key('vélo') }), 'not_found');

  // ban
  const ban = ok(await fac.request('word.ban', { session: code, text: 'Bus' }));
  assert.equal(ban.key, key('bus'));
  const be = await b.waitEvent((e) => e.ev === 'word.banned');
  assert.equal(be.key, key('bus'));
  assert.equal(be.text, undefined);
  assert.ok(!ok(await b.request('board.get', { board: board.id })).board.words.some((w) => w.key === key('bus')));
  const silent = ok(await b.request('word.add', { board: board.id, text: 'les bus' }));
  assert.equal(silent.word, null, 'a banned word is refused silently');
  assert.equal(silent.words_left, 10);
  const facWords = ok(await fac.request('board.get', { board: board.id })).board.words;
  assert.equal(facWords.find((w) => w.key === key('bus')).banned, true);
  assert.equal(facWords.find((w) => w.key === key('bus')).count, 1, 'the silent refusal did not count');
  const j = ok(await fac.request('session.join', { code })).session;
  assert.deepEqual(j.banned, [{ key: key('bus'), text: 'Bus' }]);
  ok(await fac.request('word.unban', { session: code, text: 'bus' }));
  await b.waitEvent((e) => e.ev === 'word.unbanned');
  assert.ok(ok(await b.request('board.get', { board: board.id })).board.words.some((w) => w.key === key('bus')));

  // roles
  isError(await a.request('word.hide', { board: board.id, key: key('bus') }), 'forbidden');
  isError(await a.request('word.ban', { session: code, text: 'x' }), 'forbidden');
  isError(await v.request('word.add', { board: board.id, text: 'x' }), 'forbidden');

  // reset
  const r = ok(await fac.request('board.reset', { board: board.id }));
  assert.deepEqual(r.board.words, []);
  await b.waitEvent((e) => e.ev === 'board.reset');
  assert.equal(ok(await a.request('word.add', { board: board.id, text: 'tram' })).words_left, 9, 'quotas start again');
});

test('cloud.layout: no overlap, inside the canvas, stable as counts change; grid for the console', async () => {
  const { fac, board, ps: [a] } = await cloudRoom({ quota: 50, people: 1 });
  const words = ['vélo', 'bus', 'tram', 'métro', 'marche', 'trottinette', 'covoiturage', 'train', 'piéton',
    'autopartage', 'navette', 'rollers', 'parking', 'bouchons', 'pollution', 'bruit', 'sécurité', 'horaires'];
  for (const [i, w] of words.entries()) {
    for (let k = 0; k <= (words.length - i) % 5; k++) ok(await fac.request('word.add', { board: board.id, text: w }));
  }
  const check = (lay, W, H) => {
    assert.equal(lay.dropped, 0);
    for (const w of lay.words) {
      assert.ok(w.x >= 0 && w.y >= 0 && w.x + w.w <= W && w.y + w.h <= H, `${w.text} inside`);
    }
    for (let i = 0; i < lay.words.length; i++) {
      for (let j = i + 1; j < lay.words.length; j++) {
        assert.ok(!boxesOverlap(lay.words[i], lay.words[j]), `${lay.words[i].text} / ${lay.words[j].text}`);
      }
    }
  };
  const px = ok(await a.request('cloud.layout', { board: board.id, target: 'px', width: 800, height: 600 })).layout;
  assert.equal(px.words.length, words.length);
  check(px, 800, 600);
  assert.ok(px.words[0].size >= px.words[px.words.length - 1].size);
  ok(await fac.request('word.add', { board: board.id, text: 'bus' }));
  const px2 = ok(await a.request('cloud.layout', { board: board.id, target: 'px', width: 800, height: 600 })).layout;
  check(px2, 800, 600);
  const centre = (w) => [w.x + w.w / 2, w.y + w.h / 2];
  let stayed = 0;
  for (const w of px2.words) {
    const old = px.words.find((o) => o.key === w.key);
    const [x1, y1] = centre(old);
    const [x2, y2] = centre(w);
    if (Math.hypot(x1 - x2, y1 - y2) < 60) stayed++;
  }
  assert.ok(stayed >= words.length * 0.7, `most words keep their place (${stayed}/${words.length})`);
  const grid = ok(await a.request('cloud.layout', { board: board.id, target: 'grid', width: 80, height: 20, max: 10 })).layout;
  assert.equal(grid.words.length, 10);
  check(grid, 80, 20);
  assert.ok(grid.words.every((w) => w.h === 1 && w.size >= 1 && w.size <= 4));
  isError(await a.request('cloud.layout', { board: board.id, target: 'svg', width: 80, height: 20 }), 'bad_request');
  isError(await a.request('cloud.layout', { board: board.id, target: 'px', width: 1, height: 1 }), 'bad_request');
});

test('a cloud survives a restart: entries, hidden flags, merges, bans and quotas', { timeout: 60000 }, async () => {
  const local = await startServer();
  const fac = await facilitator(local.port);
  const s = ok(await fac.request('session.create', { title: 'Restart' })).session;
  const board = ok(await fac.request('board.create', { session: s.code, kind: 'cloud', title: 'c' })).board;
  const a = await participant(local.port, s.code, 'A');
  for (const w of ['vélo', 'bicyclette', 'bus']) ok(await a.request('word.add', { board: board.id, text: w }));
  const before = ok(await fac.request('board.get', { board: board.id })).board.words;
  const k = (t) => before.find((w) => w.text === t).key;
  ok(await fac.request('word.merge', { board: board.id, from: k('bicyclette'), into: k('vélo') }));
  ok(await fac.request('word.hide', { board: board.id, key: k('bus') }));
  ok(await fac.request('word.ban', { session: s.code, text: 'nul' }));
  const snap = ok(await fac.request('board.get', { board: board.id })).board;
  await local.stop();
  const again = await startServer({ db: local.db });
  const f2 = await facilitator(again.port);
  assert.deepEqual(ok(await f2.request('board.get', { board: board.id })).board, snap);
  const { client: a2, reply } = await (await import('./harness.mjs')).resumeParticipant(again.port, a.resume);
  ok(reply);
  assert.equal(reply.session.boards[0].words_left, 0, 'quota remembered');
  assert.equal(ok(await f2.request('word.add', { board: board.id, text: 'Bicyclettes' })).word.key, k('vélo'),
    'merge remembered');
  await a2.close?.();
  await again.stop();
});
