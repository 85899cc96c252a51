// The embedded web client over HTTP: gzip for browsers that accept it, an ETag
// on every file and 304 when it has not changed, the same bytes as web-client/.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { test, startServer, stopAll } from './harness.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let srv;
before(async () => { srv = await startServer(); });
after(async () => { await stopAll(); });

function get(p, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: srv.port, path: p, headers, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.setTimeout(10000, () => req.destroy(new Error(`GET ${p}: no answer in 10 s`)));
    req.on('error', reject);
  });
}

/** The files the phone's page loads: index.html and what it links to. */
function phoneFiles() {
  const html = fs.readFileSync(path.join(ROOT, 'web-client/index.html'), 'utf8');
  const refs = [...html.matchAll(/(?:href|src)="(\/[^"]+)"/g)].map((m) => m[1]);
  assert.ok(refs.length >= 10, `index.html links its files (${refs.length})`);
  return ['/index.html', ...refs];
}

test('text files go gzipped to a browser that accepts it, byte-identical once inflated', async () => {
  let plain = 0; let sent = 0;
  for (const p of phoneFiles()) {
    const want = fs.readFileSync(path.join(ROOT, 'web-client', p));
    const id = await get(p);
    assert.equal(id.status, 200, p);
    assert.equal(id.headers['content-encoding'], undefined, `${p}: no gzip unless asked`);
    assert.ok(id.body.equals(want), `${p}: the file as it is in web-client/`);
    const gz = await get(p, { 'accept-encoding': 'gzip, deflate, br' });
    assert.equal(gz.status, 200, p);
    assert.equal(gz.headers.vary, 'Accept-Encoding', `${p}: caches told the answer depends on Accept-Encoding`);
    if (want.length > 1024) {
      assert.equal(gz.headers['content-encoding'], 'gzip', `${p}: gzipped`);
      assert.ok(gz.body.length < want.length * 0.7, `${p}: ${gz.body.length} of ${want.length} bytes`);
    }
    const body = gz.headers['content-encoding'] === 'gzip' ? zlib.gunzipSync(gz.body) : gz.body;
    assert.ok(body.equals(want), `${p}: inflates to the file`);
    plain += want.length; sent += gz.body.length;
  }
  console.log(`# the phone page: ${plain} bytes, ${sent} sent gzipped (${(100 * sent / plain).toFixed(0)} %)`);
  assert.ok(sent < plain / 2, `the phone page costs ${sent} bytes instead of ${plain}`);
  // q=0 refuses gzip; the join link and the projector route serve their pages the same way
  assert.equal((await get('/app.js', { 'accept-encoding': 'gzip;q=0, identity' })).headers['content-encoding'], undefined);
  assert.equal((await get('/j/K7MXPA', { 'accept-encoding': 'gzip' })).headers['content-encoding'], 'gzip');
  assert.equal((await get('/s/K7MXPA', { 'accept-encoding': 'gzip' })).headers['content-encoding'], 'gzip');
});

test('every file has an ETag; If-None-Match with it gives 304 and no body, another one the file', async () => {
  const tags = new Set();
  for (const p of phoneFiles()) {
    const a = await get(p, { 'accept-encoding': 'gzip' });
    const etag = a.headers.etag;
    assert.match(etag || '', /^"[0-9a-f]{16}"$/, `${p}: ETag`);
    assert.equal(a.headers['cache-control'], 'no-cache', `${p}: revalidated each time`);
    assert.equal((await get(p)).headers.etag, etag, `${p}: one ETag whatever the encoding`);
    tags.add(etag);
    const nm = await get(p, { 'if-none-match': etag, 'accept-encoding': 'gzip' });
    assert.equal(nm.status, 304, `${p}: unchanged`);
    assert.equal(nm.body.length, 0, `${p}: 304 without a body`);
    assert.equal(nm.headers.etag, etag);
    assert.equal((await get(p, { 'if-none-match': `"0000000000000000", ${etag}` })).status, 304, `${p}: in a list`);
    const other = await get(p, { 'if-none-match': '"0123456789abcdef"' });
    assert.equal(other.status, 200, `${p}: changed`);
    assert.ok(other.body.length > 0);
  }
  assert.equal(tags.size, phoneFiles().length, 'each file its own ETag');
  // keep-alive: a 304 then a 200 on the same connection
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const etag = (await get('/app.js')).headers.etag;
  const one = (h) => new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port: srv.port, path: '/app.js', headers: h, agent }, (res) => {
      const c = []; res.on('data', (d) => c.push(d)); res.on('end', () => resolve({ status: res.statusCode, len: Buffer.concat(c).length }));
    }).on('error', reject);
  });
  assert.equal((await one({ 'if-none-match': etag })).status, 304);
  const full = await one({});
  assert.equal(full.status, 200);
  assert.equal(full.len, fs.statSync(path.join(ROOT, 'web-client/app.js')).size);
  agent.destroy();
});
