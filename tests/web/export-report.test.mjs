// Issue 7: the HTML report opens in real Chromium with no console error and
// no network request (it is self-contained), passes axe, prints, and is
// captured for docs/.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import {
  test, startServer, stopAll, facilitator, participant, ok, makeSessionAndBoard,
} from '../protocol/harness.mjs';
import { SHOTS } from './lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
let srv;
let browser;
let tmp;
before(async () => {
  srv = await startServer();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'atelier-report-'));
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});
after(async () => {
  if (browser) await browser.close();
  await stopAll();
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('the HTML report is self-contained, error-free, accessible and printable', { timeout: 90000 }, async () => {
  const fac = await facilitator(srv.port);
  const { code, board } = await makeSessionAndBoard(fac, { title: 'Déchets dans la nature', boardTitle: 'Vos idées' });
  ok(await fac.request('session.update', { session: code, description: 'Comment réduire les déchets sauvages ?',
    retrospective: 'Le vote par gommettes a permis de choisir trois pistes.' }));
  const people = [];
  for (const name of ['Awa', 'Bruno', 'Chloé']) people.push(await participant(srv.port, code, name));
  const texts = ['Plus de poubelles de tri', 'Composteurs dans chaque quartier', 'Ramassage citoyen le samedi',
    'Consigne pour les canettes', '<img src=x onerror=alert(1)>', 'Sensibiliser dans les écoles'];
  const ids = [];
  for (const [i, t] of texts.entries()) {
    ids.push(ok(await people[i % 3].request('note.add', { board: board.id, text: t, color: ['yellow', 'green', 'blue'][i % 3] })).note.id);
  }
  for (const [p, n] of [[0, 1], [1, 1], [2, 1], [0, 2], [1, 3], [2, 5]]) {
    ok(await people[p].request('note.vote', { board: board.id, note: ids[n] }));
  }
  const cloud = ok(await fac.request('board.create', { session: code, kind: 'cloud', title: 'En un mot',
    word_quota: 5 })).board;
  const words = ['propreté', 'Propreté', 'civisme', 'compost', 'la propreté', 'nature', 'poubelles', 'civisme',
    'tri', 'respect', 'compost', 'écoles'];
  for (const [i, w] of words.entries()) ok(await people[i % 3].request('word.add', { board: cloud.id, text: w }));
  ok(await fac.request('session.close', { session: code }));
  const file = path.join(tmp, 'report.html');
  execFileSync(process.env.ATELIER_BIN, ['export', '--db', srv.db, '--session', code, '--format', 'html', '-o', file],
    { stdio: 'ignore' });

  const page = await browser.newPage({ viewport: { width: 1000, height: 1200 } });
  const errors = [];
  const requests = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r) => requests.push(r.url()));
  page.on('dialog', (d) => { errors.push(`dialog: ${d.message()}`); d.dismiss(); });
  await page.goto(`file://${file}`);
  await page.waitForLoadState('load');
  assert.deepEqual(errors, [], 'no console error, no dialog');
  assert.deepEqual(requests, [`file://${file}`], 'no request but the file itself');
  assert.equal(await page.locator('h1').innerText(), 'Déchets dans la nature');
  assert.equal(await page.locator('ul.notes li').count(), 6);
  assert.equal(await page.locator('ul.notes li', { hasText: '<img src=x onerror=alert(1)>' }).count(), 1,
    'markup shown as text');
  assert.equal(await page.locator('img').count(), 0, 'and never interpreted');
  assert.equal(await page.locator('figure svg[role="img"]').count(), 2, 'a vote chart and a word cloud');
  const cloudWords = page.locator('figure svg text[textLength]');
  assert.equal(await cloudWords.count(), 8, 'every distinct word drawn in the cloud (propreté, Propreté and la propreté are one)');
  const boxes = await cloudWords.evaluateAll((els) => els.map((e) => e.getBBox()));
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i]; const b = boxes[j];
      const overlap = a.x < b.x + b.width - 1 && b.x < a.x + a.width - 1 && a.y < b.y + b.height - 1 && b.y < a.y + a.height - 1;
      assert.ok(!overlap, 'cloud words do not overlap as drawn');
    }
  }
  const labels = await page.locator('figure figcaption').allInnerTexts();
  assert.deepEqual(labels, ['Post-it les plus votés', 'Nuage de mots'], 'each figure has a caption');

  await page.addScriptTag({ path: path.join(root, 'tests', 'node_modules', 'axe-core', 'axe.min.js') });
  const result = await page.evaluate(async () => globalThis.axe.run());
  const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(serious.map((v) => `${v.id}: ${v.help}`), [], 'no serious accessibility violation');

  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, 'export-report.png'), fullPage: true });
  const pdf = await page.pdf({ format: 'A4' });
  assert.ok(pdf.length > 1000 && pdf.subarray(0, 5).toString() === '%PDF-', 'prints to PDF');
  await page.close();
});
