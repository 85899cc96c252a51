// Helpers for the web client tests: real Chromium (Debian's) driven by
// playwright-core, against the real atelierd started by the protocol
// harness (../protocol/harness.mjs) on a loopback port with a temp DB.
//
// Every wait is bounded; pages may reach 127.0.0.1 only (anything else is
// aborted and makes the test fail).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { execFile } from 'node:child_process';
import { chromium } from 'playwright-core';
import { ok, facilitator, until as harnessUntil } from '../protocol/harness.mjs';

export {
  startServer, facilitator, participant, connect, ok, isError, httpGet, stopAll, sleep, TOKEN,
} from '../protocol/harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(here, '../..');
// Screenshots go to docs/screenshots only when asked (ATELIER_SHOTS=1), so
// that a test run leaves the source tree as it was.
export const SHOTS = process.env.ATELIER_SHOTS
  ? path.join(ROOT, 'docs/screenshots') : path.join(os.tmpdir(), 'atelier-screenshots');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
export const WAIT = 10000;   // ms: the longest any single wait in these tests may take

const require = createRequire(import.meta.url);
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Import a dependency-free module of web-client/, whatever Node's module type rules. */
export async function importClient(file) {
  const src = fs.readFileSync(path.join(ROOT, 'web-client', file), 'utf8');
  return import(`data:text/javascript;charset=utf-8,${encodeURIComponent(src)}`);
}

/** Debian's Chromium, headless, without any background traffic. */
export function launch() {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium`);
  return chromium.launch({
    executablePath: CHROMIUM,
    timeout: 30000,
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-features=Translate,MediaRouter,OptimizationHints', '--no-default-browser-check'],
  });
}

/**
 * A new browser context (phone by default) and page.  Records page errors,
 * console errors, dialogs (dismissed) and any request off 127.0.0.1
 * (aborted).  opts: Playwright context options (locale, viewport...).
 */
export async function open(browser, opts = {}) {
  const context = await browser.newContext({ ...PHONE, locale: 'fr-FR', ...opts });
  context.setDefaultTimeout(WAIT);
  const page = await context.newPage();
  const rec = { errors: [], dialogs: [], offsite: [], console: [] };
  await context.route('**/*', (route) => {
    const u = new URL(route.request().url());
    if (u.hostname === '127.0.0.1' || u.protocol === 'data:') return route.continue();
    rec.offsite.push(u.href);
    return route.abort();
  });
  page.on('pageerror', (e) => rec.errors.push(String(e)));
  page.on('console', (m) => {
    rec.console.push(`${m.type()}: ${m.text()}`);
    // The server's 404 for /favicon.ico and similar are not page errors.
    // Network failures the tests cause on purpose are logged by Chromium itself, not by the page.
    if (m.type() === 'error' && !/Failed to load resource|^WebSocket connection to .* failed/.test(m.text())) rec.errors.push(m.text());
  });
  page.on('dialog', (d) => { rec.dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  return { context, page, rec };
}

/** The page must not have thrown, logged errors, opened dialogs or gone off 127.0.0.1. */
export function clean(rec, what = 'page') {
  assert.deepEqual(rec.errors, [], `${what}: errors in the page`);
  assert.deepEqual(rec.dialogs, [], `${what}: dialogs opened`);
  assert.deepEqual(rec.offsite, [], `${what}: requests off 127.0.0.1`);
}

/**
 * A facilitator connection, a session and its boards.
 * boards: [{kind, title, ...fields}].  Returns {fac, code, session, boards}.
 */
export async function makeSession(port, { title = 'Atelier test', boards = [{ kind: 'wall', title: 'Idées' }] } = {}) {
  const fac = await facilitator(port);
  const s = ok(await fac.request('session.create', { title }), 'session.create');
  const code = s.session.code;
  const made = [];
  for (const b of boards) {
    made.push(ok(await fac.request('board.create', { session: code, kind: 'wall', ...b }), 'board.create').board);
  }
  return { fac, code, session: s.session, boards: made };
}

/** The facilitator's view of a board (all notes, hidden ones too). */
export async function boardNotes(fac, boardId) {
  return ok(await fac.request('board.get', { board: boardId }), 'board.get').board.notes;
}

/** Run axe-core in the page; fail on serious or critical violations. */
export async function axe(page, what) {
  // colours are measured once animations (a note's appearing) have ended
  await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished)));
  await page.evaluate(axeSource);
  const res = await page.evaluate(() => window.axe.run(document, {
    resultTypes: ['violations'],
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
  }));
  assert.ok(res.passes.length > 10, `${what}: axe-core did not run (${res.passes.length} rules passed)`);
  const bad = res.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const describe = (v) => `${v.impact} ${v.id}: ${v.help}\n    ${v.nodes.slice(0, 3).map((n) => n.target.join(' ') + ' ' + (n.failureSummary || '').replace(/\n/g, ' ')).join('\n    ')}`;
  const minor = res.violations.filter((v) => !bad.includes(v));
  if (minor.length && process.env.AXE_VERBOSE) process.stderr.write(`${what}: ${minor.map(describe).join('\n')}\n`);
  assert.deepEqual(bad.map(describe), [], `${what}: axe-core found serious or critical violations`);
  return res;
}

/** A full-page PNG for docs/screenshots. */
export async function shot(page, name) {
  fs.mkdirSync(SHOTS, { recursive: true });
  const file = path.join(SHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  return file;
}

/** zbarimg --raw -q on a PNG file: the decoded text (trimmed). */
export function zbar(file) {
  return new Promise((resolve, reject) => {
    execFile('zbarimg', ['--raw', '-q', file], { timeout: 10000 }, (err, out) => {
      if (err) reject(new Error(`zbarimg ${file}: ${err.message}`));
      else resolve(out.replace(/\n$/, ''));
    });
  });
}

/** Wait until fn() (in node) is truthy; bounded (the harness's, with this
 * file's longer default). */
export const until = (fn, what, ms = WAIT) => harnessUntil(fn, what, ms);
