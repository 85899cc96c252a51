// Issue 4 seen on a phone: once the facilitator applies a clustering, the
// participant's wall shows the groups, live, and follows renames and moves.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launch, open, clean, startServer, stopAll, makeSession, participant, axe, shot, ok,
} from './lib.mjs';

let srv; let browser;
before(async () => { srv = await startServer(); browser = await launch(); });
after(async () => { if (browser) await browser.close(); await stopAll(); });

test('the groups of an applied clustering appear live on the phone, with renames and moves', { timeout: 60000 }, async () => {
  const S = await makeSession(srv.port, { title: 'Quartier', boards: [{ kind: 'wall', title: 'Idées' }] });
  const board = S.boards[0];
  const p = await participant(srv.port, S.code, 'Awa');
  const texts = ['Plus de pistes pour les vélos', 'Des parkings à vélos', 'Location de vélos',
    'Plus de poubelles pour les déchets', 'Ramassage des déchets', 'Trier les déchets',
    'Planter des arbres', 'Des arbres fruitiers', 'Protéger les vieux arbres'];
  for (const t of texts) ok(await p.request('note.add', { board: board.id, text: t }));

  const { page, rec } = await open(browser);
  await page.goto(`${srv.url}/j/${S.code}`);
  await page.locator('button', { hasText: 'Entrer sans prénom' }).click();
  await page.locator('.conn[data-state=online]').waitFor();
  await page.locator('.note-text', { hasText: 'Protéger les vieux arbres' }).waitFor();
  assert.equal(await page.locator('.group-title').count(), 0, 'no groups before the clustering');

  const sug = ok(await S.fac.request('cluster.suggest', { board: board.id, k: 3 }));
  assert.equal(sug.clusters.length, 3);
  const applied = ok(await S.fac.request('cluster.apply', { board: board.id, clusters: sug.clusters })).board;
  for (const c of applied.clusters) {
    await page.locator('.group-title', { hasText: c.label }).waitFor();
  }
  assert.equal(await page.locator('.group-title').count(), 3);
  // every note sits in its group's section
  for (const c of applied.clusters) {
    const section = page.locator('section.group', { has: page.locator('.group-title', { hasText: c.label }) });
    assert.equal(await section.locator('.note').count(), c.notes.length, `group ${c.label}`);
  }
  ok(await S.fac.request('cluster.rename', { board: board.id, cluster: applied.clusters[0].id, label: 'Mobilité douce' }));
  await page.locator('.group-title', { hasText: 'Mobilité douce' }).waitFor();
  const moved = applied.clusters[1].notes[0];
  ok(await S.fac.request('cluster.move', { board: board.id, note: moved, cluster: applied.clusters[2].id }));
  const target = page.locator('section.group', { has: page.locator('.group-title', { hasText: applied.clusters[2].label }) });
  await target.locator('.note').nth(applied.clusters[2].notes.length).waitFor();
  // measure contrast once the notes' appear animation has ended
  await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished)));
  await axe(page, 'wall with groups');
  await shot(page, 'phone-groups');
  clean(rec, 'phone');
});
