// The session home's QR code, read back from the terminal: capture the pane,
// turn the QR region into a PBM image (half blocks: one cell = 1x2 modules;
// ASCII: "##" = one module), scale it up with a white quiet zone, decode it
// with zbarimg: it must be exactly the session's join_url.
import { after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  test, startServer, stopAll, facilitator, ok, TOKEN,
} from '../protocol/harness.mjs';
import { Console, killAllConsoles, codeOnScreen } from './tmux.mjs';

after(async () => { killAllConsoles(); await stopAll(); });

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'atelier-tui-qr-'));

/**
 * The QR modules drawn left of the "Join code" column: a matrix of 0/1
 * (rows of modules), in the style given ('half' or 'ascii').
 */
export function qrModules(screen, style) {
  const lines = screen.split('\n').map((l) => Array.from(l));
  const labelRow = lines.findIndex((l) => l.join('').includes('Join code'));
  assert.ok(labelRow >= 0, `no "Join code" on screen:\n${screen}`);
  const limit = lines[labelRow].join('').indexOf('Join code') - 1;
  const dark = style === 'half' ? (ch) => '▀▄█'.includes(ch) : (ch) => ch === '#';
  const region = lines.map((l) => l.slice(0, limit));
  const marked = region.map((l) => l.some(dark));
  const first = marked.indexOf(true);
  const last = marked.lastIndexOf(true);
  assert.ok(first >= 0, `no QR code on screen:\n${screen}`);
  let left = Infinity;
  let right = -1;
  for (let y = first; y <= last; y++) {
    region[y].forEach((ch, x) => { if (dark(ch)) { left = Math.min(left, x); right = Math.max(right, x); } });
  }
  const px = [];
  for (let y = first; y <= last; y++) {
    const row = region[y];
    if (style === 'half') {
      const top = [];
      const bottom = [];
      for (let x = left; x <= right; x++) {
        const ch = row[x] || ' ';
        top.push(ch === '▀' || ch === '█' ? 1 : 0);
        bottom.push(ch === '▄' || ch === '█' ? 1 : 0);
      }
      px.push(top, bottom);
    } else {
      const mods = [];
      for (let x = left; x <= right; x += 2) mods.push(row[x] === '#' ? 1 : 0);
      px.push(mods);
    }
  }
  // the last half-block row may hold only the top module
  while (px.length && px[px.length - 1].every((v) => v === 0)) px.pop();
  return px;
}

/** Write modules as a PBM (scale pixels per module, quiet modules of white) and decode it. */
export function decode(px, name, { scale = 8, quiet = 6 } = {}) {
  const h = px.length;
  const w = Math.max(...px.map((r) => r.length));
  const W = (w + 2 * quiet) * scale;
  const H = (h + 2 * quiet) * scale;
  const out = [`P1\n${W} ${H}\n`];
  for (let y = -quiet; y < h + quiet; y++) {
    const row = [];
    for (let x = -quiet; x < w + quiet; x++) {
      const v = y >= 0 && y < h && x >= 0 && x < w ? (px[y][x] || 0) : 0;
      for (let k = 0; k < scale; k++) row.push(v);
    }
    const line = row.join(' ') + '\n';
    for (let k = 0; k < scale; k++) out.push(line);
  }
  const file = path.join(tmp, `${name}.pbm`);
  fs.writeFileSync(file, out.join(''));
  try {
    return execFileSync('zbarimg', ['--raw', '-q', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 20000 }).trim();
  } catch (e) {
    throw new Error(`zbarimg could not decode ${file} (${w}x${h} modules): ${e.message}`);
  }
}

async function homeOf(srv, title, consoleOpts) {
  const c = new Console({
    args: ['--server', `http://127.0.0.1:${srv.port}`],
    ...consoleOpts,
    env: { ATELIER_TOKEN: TOKEN, ...(consoleOpts.env || {}) },
  });
  await c.waitFor(/online 127\.0\.0\.1/);
  c.keys('n');
  await c.waitFor('Title of the new session');
  c.type(title);
  c.keys('Enter');
  // the hint line comes last in a frame: the QR code above it is whole
  const code = await c.waitFor((s) => s.includes('Join code') && s.includes('E export') && codeOnScreen(s),
    { label: 'the session home' });
  const fac = await facilitator(srv.port);
  const s = ok(await fac.request('session.list')).sessions.find((x) => x.code === code);
  assert.ok(s, `session ${code} listed`);
  return { c, code, joinUrl: s.join_url };
}

test('the QR code in Unicode half blocks decodes to the join URL', { timeout: 60000 }, async () => {
  const srv = await startServer();
  const { c, code, joinUrl } = await homeOf(srv, 'QR en demi-blocs', { width: 100, height: 30 });
  try {
    assert.equal(joinUrl, `http://127.0.0.1:${srv.port}/j/${code}`);
    assert.ok(c.screen.includes(joinUrl), 'the link is written out too');
    const px = qrModules(c.screen, 'half');
    assert.equal(decode(px, 'half'), joinUrl);

    // still there, and still readable, at 80x24
    c.resize(80, 24);
    await c.waitFor((s) => s.split('\n').length <= 25 && s.includes('Join code') && s.includes('E export'));
    assert.equal(decode(qrModules(c.capture(), 'half'), 'half-80x24'), joinUrl);
  } finally {
    c.kill();
  }
});

test('without UTF-8 (and without colours) the QR code falls back to ASCII and decodes', { timeout: 60000 }, async () => {
  const srv = await startServer();
  const { c, joinUrl } = await homeOf(srv, 'QR ASCII', {
    width: 120, height: 40, env: { LANG: 'C', NO_COLOR: '1' },
  });
  try {
    assert.ok(!/[▀▄█]/.test(c.screen), 'no Unicode block on an ASCII terminal');
    const px = qrModules(c.screen, 'ascii');
    assert.equal(decode(px, 'ascii'), joinUrl);
  } finally {
    c.kill();
  }
});
