// The projector's viewer role, and the join QR codes served over HTTP.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import {
  test, startServer, stopAll, facilitator, participant, connect,
  ok, isError, makeSessionAndBoard, httpGet,
} from './harness.mjs';

let srv;
before(async () => {
  srv = await startServer({ args: ['--public-url', 'http://192.0.2.7:8080/'] });
});
after(async () => { await stopAll(); });

test('a viewer sees what participants see, live, is not counted, and cannot write', async () => {
  const fac = await facilitator(srv.port);
  const { code, board } = await makeSessionAndBoard(fac);
  const v = await connect(srv.port, { label: 'viewer' });
  const hello = ok(await v.request('hello', { role: 'viewer', code: code.toLowerCase() }));
  assert.equal(hello.you.role, 'viewer');
  assert.equal(hello.you.id, null);
  assert.equal(hello.session.code, code);
  assert.equal(hello.session.participants, 0);
  assert.equal(hello.session.boards[0].id, board.id);

  const p = await participant(srv.port, code, 'Awa');
  const n = ok(await p.request('note.add', { board: board.id, text: 'vu au projecteur' })).note;
  const ev = await v.waitEvent((e) => e.ev === 'note.added' && e.note.id === n.id);
  assert.equal(ev.note.text, 'vu au projecteur');
  assert.equal(ev.note.mine, undefined);
  // the viewer's hello caused no participant.joined
  const joined = fac.events.filter((e) => e.ev === 'participant.joined');
  assert.equal(joined.length, 1);
  assert.equal(joined[0].participants, 1);

  ok(await fac.request('note.hide', { board: board.id, note: n.id }));
  await v.waitEvent((e) => e.ev === 'note.hidden' && e.note === n.id);
  const got = ok(await v.request('board.get', { board: board.id })).board;
  assert.equal(got.notes.length, 0, 'hidden notes are not shown to a viewer');

  isError(await v.request('note.add', { board: board.id, text: 'x' }), 'forbidden');
  isError(await v.request('note.vote', { board: board.id, note: n.id }), 'forbidden');
  isError(await v.request('board.lock', { board: board.id }), 'forbidden');
  isError(await v.request('hello', { role: 'viewer', code }), 'unauthorized');
});

test('viewer errors: unknown code and missing code', async () => {
  const v = await connect(srv.port);
  isError(await v.request('hello', { role: 'viewer', code: 'ZZZZZZ' }), 'not_found');
  isError(await v.request('hello', { role: 'viewer' }), 'bad_request');
});

/** GET with the body as a Buffer (httpGet decodes bodies as UTF-8). */
function getBinary(port, urlPath) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, timeout: 3000 }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${urlPath}: timeout`)));
    req.on('error', reject);
  });
}

function zbar(file) {
  return execFileSync('zbarimg', ['--raw', '-q', file], { encoding: 'utf8' }).trim();
}

test('QR PNG decodes to exactly the join_url; SVG draws the same code; unknown code is 404', async () => {
  const fac = await facilitator(srv.port);
  const s = ok(await fac.request('session.create', { title: 'QR' })).session;
  assert.equal(s.join_url, `http://192.0.2.7:8080/j/${s.code}`);
  const png = await getBinary(srv.port, `/qr/${s.code}.png`);
  assert.equal(png.status, 200);
  assert.match(png.headers['content-type'], /image\/png/);
  const body = png.body;
  assert.equal(body.subarray(0, 8).toString('latin1'), '\x89PNG\r\n\x1a\n');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atelier-qr-'));
  const file = path.join(dir, 'qr.png');
  fs.writeFileSync(file, body);
  assert.equal(zbar(file), s.join_url);

  const svg = await httpGet(srv.port, `/qr/${s.code.toLowerCase()}.svg`);
  assert.equal(svg.status, 200);
  assert.match(svg.headers['content-type'], /image\/svg\+xml/);
  const text = svg.body.toString();
  assert.match(text, /^<svg[^>]*viewBox="0 0 (\d+) \1"/);
  // Rasterise the SVG's path (only M x y h w v1 h-w z runs) to a PBM and decode it.
  const size = Number(text.match(/viewBox="0 0 (\d+)/)[1]);
  const scale = 8;
  const px = size * scale;
  const bits = new Uint8Array(px * px);
  for (const m of text.matchAll(/M(\d+) (\d+)h(\d+)v1h-\3z/g)) {
    const [x, y, w] = [Number(m[1]), Number(m[2]), Number(m[3])];
    for (let yy = y * scale; yy < (y + 1) * scale; yy++)
      for (let xx = x * scale; xx < (x + w) * scale; xx++) bits[yy * px + xx] = 1;
  }
  const rows = [];
  for (let y = 0; y < px; y++) rows.push(Array.from(bits.slice(y * px, (y + 1) * px)).join(' '));
  const pbm = path.join(dir, 'qr.pbm');
  fs.writeFileSync(pbm, `P1\n${px} ${px}\n${rows.join('\n')}\n`);
  assert.equal(zbar(pbm), s.join_url);
  fs.rmSync(dir, { recursive: true, force: true });

  const missing = await httpGet(srv.port, '/qr/ZZZZZZ.png');
  assert.equal(missing.status, 404);
});

test('GET /healthz is 200 with security headers; unknown paths are 404', async () => {
  const h = await httpGet(srv.port, '/healthz');
  assert.equal(h.status, 200);
  assert.equal(h.body.toString().trim(), 'ok');
  assert.match(h.headers['content-security-policy'], /script-src 'self'/);
  assert.equal(h.headers['x-frame-options'], 'deny');
  const nf = await httpGet(srv.port, '/no/such/thing');
  assert.equal(nf.status, 404);
  const dots = await httpGet(srv.port, '/../../etc/passwd');
  assert.equal(dots.status, 404);
});
