// Shared helpers for the black-box protocol tests of atelierd.
//
// The contract is proto/PROTOCOL.md. These helpers start the server binary
// named by $ATELIER_BIN on a free loopback port with a temporary database,
// talk WebSocket to it with the `ws` package, and never wait without a
// timeout: a test either passes, or fails with a message, it never hangs.
//
// Only node:* built-ins available in Node 18 and `ws` are used.

import { test as nodeTest } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import net from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';

export const TOKEN = 'test-token';
export const PROTOCOL = 'atelier.v1';
export const CODE_RE = /^[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{6}$/;
export const COLORS = ['yellow', 'pink', 'blue', 'green', 'orange', 'purple'];
export const DEFAULT_TIMEOUT = 5000;

const liveServers = new Set();   // servers not yet stopped
const allServers = [];           // every server started by this file
const allClients = [];           // every client opened by this file
const tempDirs = [];             // temp dirs to remove when everything passed
let failures = 0;

// ---------------------------------------------------------------------------
// small utilities

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function withTimeout(promise, ms, what) {
  let timer;
  const t = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timeout after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, t]).finally(() => clearTimeout(timer));
}

function short(v, max = 400) {
  let s;
  try { s = typeof v === 'string' ? v : JSON.stringify(v); } catch { s = String(v); }
  if (s === undefined) s = String(v);
  return s.length > max ? `${s.slice(0, max)}...(${s.length} chars)` : s;
}

/** Pick a free loopback TCP port: listen on port 0, read it, close. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Minimal HTTP/1.1 GET over node:net (node:http is not in the allowed set).
 * Resolves {status, headers, body}; rejects on error or timeout.
 */
export function httpGet(port, urlPath, timeoutMs = 2000) {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: '127.0.0.1', port });
    const chunks = [];
    let settled = false;
    const done = (err, val) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sock.destroy();
      if (err) reject(err); else resolve(val);
    };
    const timer = setTimeout(() => done(new Error(`GET ${urlPath}: timeout after ${timeoutMs} ms`)), timeoutMs);
    sock.on('connect', () => {
      sock.write(`GET ${urlPath} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
    });
    sock.on('data', (d) => {
      chunks.push(d);
      // Resolve early when a Content-Length body is complete (server may keep the socket open).
      const parsed = tryParseHttp(Buffer.concat(chunks), false);
      if (parsed) done(null, parsed);
    });
    sock.on('error', (e) => done(e));
    sock.on('close', () => {
      const parsed = tryParseHttp(Buffer.concat(chunks), true);
      if (parsed) done(null, parsed);
      else done(new Error(`GET ${urlPath}: connection closed without a complete response (${Buffer.concat(chunks).length} bytes)`));
    });
  });
}

function tryParseHttp(buf, atEof) {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const head = buf.subarray(0, end).toString('latin1').split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(head[0]);
  if (!m) return atEof ? { status: 0, headers: {}, body: buf.toString('latin1') } : null;
  const headers = {};
  for (const line of head.slice(1)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  let body = buf.subarray(end + 4);
  if (headers['content-length'] !== undefined) {
    const n = Number(headers['content-length']);
    if (body.length < n) return null;
    body = body.subarray(0, n);
  } else if (/chunked/i.test(headers['transfer-encoding'] || '')) {
    const out = [];
    let p = 0;
    for (;;) {
      const le = body.indexOf('\r\n', p);
      if (le < 0) return atEof ? { status: Number(m[1]), headers, body: Buffer.concat(out).toString('utf8') } : null;
      const n = parseInt(body.subarray(p, le).toString('latin1'), 16);
      if (!(n >= 0)) break;
      if (n === 0) break;
      if (body.length < le + 2 + n) return atEof ? { status: Number(m[1]), headers, body: Buffer.concat(out).toString('utf8') } : null;
      out.push(body.subarray(le + 2, le + 2 + n));
      p = le + 2 + n + 2;
    }
    body = Buffer.concat(out);
  } else if (!atEof) {
    return null;
  }
  return { status: Number(m[1]), headers, body: body.toString('utf8') };
}

// ---------------------------------------------------------------------------
// server

class ServerHandle {
  constructor(opts) {
    Object.assign(this, opts);
    this.output = '';          // stdout+stderr interleaved, tail kept
    this.exited = false;
    this.exitInfo = null;
    this.expectedExit = false;
    this.exitPromise = new Promise((resolve) => { this._resolveExit = resolve; });
  }

  _append(tag, data) {
    this.output += data.toString('utf8').replace(/^(?=.)/gm, `[${tag}] `);
    if (this.output.length > 200000) this.output = this.output.slice(-150000);
  }

  /** SIGTERM, then wait for exit (10 s, then SIGKILL and throw). Resolves {code, signal}. */
  async stop() {
    if (this.exited) return this.exitInfo;
    this.expectedExit = true;
    this.proc.kill('SIGTERM');
    let info;
    try {
      info = await withTimeout(this.exitPromise, 10000, `atelierd (port ${this.port}) to exit after SIGTERM`);
    } catch (e) {
      this.proc.kill('SIGKILL');
      await withTimeout(this.exitPromise, 5000, 'exit after SIGKILL').catch(() => {});
      e.message += `\n--- atelierd output (tail) ---\n${this.output.slice(-4000)}`;
      throw e;
    }
    // A clean stop exits 0, and a sanitizer build reports nothing.
    const report = this.output.match(/(AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:)[^\n]*/);
    if (report || info.code !== 0) {
      throw new Error(`atelierd (port ${this.port}) did not stop cleanly (code=${info.code} signal=${info.signal})` +
        `${report ? `: ${report[0]}` : ''}\n--- atelierd output (tail) ---\n${this.output.slice(-6000)}`);
    }
    return info;
  }

  /** SIGKILL, then wait for exit. */
  async kill9() {
    if (this.exited) return this.exitInfo;
    this.expectedExit = true;
    this.proc.kill('SIGKILL');
    return withTimeout(this.exitPromise, 5000, `atelierd (port ${this.port}) to die after SIGKILL`);
  }

  logs() { return this.output; }
}

/**
 * Start atelierd. Options:
 *   db    path of an existing database file to reuse (default: new temp dir + atelier.db)
 *   env   extra environment (a value of undefined removes the variable)
 *   args  extra command line arguments (array of strings)
 *   port  force a port (default: a free one)
 *   wrap  a command that runs atelierd, e.g. ['prlimit', '--nofile=256:', '--']
 */
export async function startServer({ db, env = {}, args = [], port, wrap = [] } = {}) {
  const bin = process.env.ATELIER_BIN;
  if (!bin) {
    throw new Error('ATELIER_BIN is not set: run e.g. `ATELIER_BIN=build/server/atelierd node --test tests/protocol/`');
  }
  const binPath = path.resolve(bin);
  if (!fs.existsSync(binPath)) throw new Error(`ATELIER_BIN=${bin}: no such file (${binPath})`);

  let dir;
  if (db) {
    dir = path.dirname(path.resolve(db));
    db = path.resolve(db);
  } else {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atelier-test-'));
    tempDirs.push(dir);
    db = path.join(dir, 'atelier.db');
  }
  port = port || await freePort();
  const url = `http://127.0.0.1:${port}`;
  const fullEnv = { ...process.env, ATELIER_TOKEN: TOKEN };
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete fullEnv[k]; else fullEnv[k] = v;
  }
  // $ATELIER_EXTRA_ARGS: options for every server of a test file (ctest
  // runs protocol-slow a second time with --no-io-uring)
  const extra = (process.env.ATELIER_EXTRA_ARGS || '').split(/\s+/).filter(Boolean);
  const argv = ['--port', String(port), '--db', db, '--public-url', url, ...extra, ...args];
  const proc = wrap.length > 0
    ? spawn(wrap[0], [...wrap.slice(1), binPath, ...argv], { env: fullEnv, stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(binPath, argv, { env: fullEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  const srv = new ServerHandle({ port, url, db, dir, proc, argv, bin: binPath });
  proc.stdout.on('data', (d) => srv._append('out', d));
  proc.stderr.on('data', (d) => srv._append('err', d));
  const onExit = (code, signal) => {
    if (srv.exited) return;
    srv.exited = true;
    srv.exitInfo = { code, signal };
    liveServers.delete(srv);
    if (!srv.expectedExit) srv._append('harness', `atelierd exited unexpectedly: code=${code} signal=${signal}\n`);
    srv._resolveExit(srv.exitInfo);
  };
  proc.on('exit', onExit);
  proc.on('error', (e) => {
    // spawn failure (ENOENT, EACCES...): no 'exit' event follows
    srv._append('spawn-error', String(e) + '\n');
    if (!srv.exited && proc.pid === undefined) onExit(null, `spawn error: ${e.code || e.message}`);
  });
  liveServers.add(srv);
  allServers.push(srv);

  const deadline = Date.now() + 10000;
  let lastErr = 'no attempt';
  while (Date.now() < deadline) {
    if (srv.exited) {
      throw new Error(`atelierd exited during startup (code=${srv.exitInfo.code} signal=${srv.exitInfo.signal}); argv: ${argv.join(' ')}\n--- output ---\n${srv.output}`);
    }
    try {
      const r = await httpGet(port, '/healthz', 1000);
      if (r.status === 200) return srv;
      lastErr = `status ${r.status}`;
    } catch (e) {
      lastErr = e.message;
    }
    await sleep(50);
  }
  srv.expectedExit = true;
  proc.kill('SIGKILL');
  throw new Error(`atelierd did not answer GET /healthz with 200 within 10 s (last: ${lastErr}); argv: ${argv.join(' ')}\n--- output ---\n${srv.output}`);
}

// ---------------------------------------------------------------------------
// client

let clientCounter = 0;

export class Client {
  constructor(ws, label) {
    this.ws = ws;
    this.label = label;
    this.lastRid = 0;
    this.frames = [];        // every parsed frame received, in order
    this.events = [];        // frames with `ev`, in order
    this.replies = new Map();   // re -> reply
    this.replyWaiters = new Map();
    this.nullReplies = [];   // frames with re: null not yet taken
    this.allNullReplies = [];
    this.nullWaiters = [];
    this.frameWaiters = new Set();
    this.anomalies = [];     // duplicate replies, unparseable frames, binary frames
    this.sentOps = new Map(); // rid -> op (for messages)
    this.log = [];           // textual log for failure dumps
    this.closed = false;
    this.closeInfo = null;
    this.closedPromise = new Promise((r) => { this._resolveClosed = r; });

    ws.on('message', (data, isBinary) => this._onMessage(data, isBinary));
    ws.on('close', (code, reason) => this._onClose(code, reason));
    ws.on('error', (e) => this._addLog('!', `error ${e.message}`));
  }

  _addLog(dir, text) {
    this.log.push(`${dir} ${short(text, 300)}`);
    if (this.log.length > 200) this.log.splice(0, this.log.length - 100);
  }

  _onMessage(data, isBinary) {
    const text = Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(data).toString('utf8');
    this._addLog('<', text);
    if (isBinary) this.anomalies.push(`binary frame: ${short(text)}`);
    let f;
    try { f = JSON.parse(text); } catch {
      this.anomalies.push(`unparseable frame: ${short(text)}`);
      return;
    }
    if (f === null || typeof f !== 'object' || Array.isArray(f)) {
      this.anomalies.push(`non-object frame: ${short(text)}`);
      return;
    }
    this.frames.push(f);
    if (typeof f.ev === 'string') {
      this.events.push(f);
    } else if (Object.prototype.hasOwnProperty.call(f, 're')) {
      if (f.re === null) {
        this.allNullReplies.push(f);
        const w = this.nullWaiters.shift();
        if (w) w.resolve(f); else this.nullReplies.push(f);
      } else {
        if (this.replies.has(f.re)) this.anomalies.push(`second reply for re=${f.re}: ${short(f)}`);
        else this.replies.set(f.re, f);
        const w = this.replyWaiters.get(f.re);
        if (w) { this.replyWaiters.delete(f.re); w.resolve(f); }
      }
    } else {
      this.anomalies.push(`frame with neither ev nor re: ${short(f)}`);
    }
    for (const w of [...this.frameWaiters]) {
      if (w.matches(f)) { this.frameWaiters.delete(w); w.resolve(f); }
    }
  }

  _onClose(code, reason) {
    this.closed = true;
    this.closeInfo = { code, reason: String(reason || '') };
    this._addLog('x', `closed code=${code} reason=${reason}`);
    const why = `connection ${this.label} closed (code ${code}${reason && String(reason) ? `, ${reason}` : ''})`;
    for (const [rid, w] of this.replyWaiters) w.reject(new Error(`${why} while waiting for the reply to rid ${rid} (${this.sentOps.get(rid)})`));
    this.replyWaiters.clear();
    for (const w of this.nullWaiters) w.reject(new Error(`${why} while waiting for a re:null reply`));
    this.nullWaiters = [];
    for (const w of this.frameWaiters) w.reject(new Error(`${why} while waiting for ${w.what}`));
    this.frameWaiters.clear();
    this._resolveClosed(this.closeInfo);
  }

  /** Send a JSON value (object, array, ...) as one text frame. */
  send(obj) {
    const s = JSON.stringify(obj);
    this._addLog('>', s);
    this.ws.send(s);
  }

  /** Send a string or Buffer as is; {binary:false} (default) makes it a text frame even for a Buffer. */
  sendRaw(data, { binary = false, fin = true } = {}) {
    this._addLog('>', `raw ${binary ? 'binary' : 'text'}${fin ? '' : ' (fragment)'} ${Buffer.byteLength(data)} bytes: ${short(Buffer.isBuffer(data) ? data.toString('latin1') : data, 120)}`);
    this.ws.send(data, { binary, fin });
  }

  /** Next rid this client would use (and reserve it). */
  nextRid() { return ++this.lastRid; }

  /** Send {op, rid, ...fields}; resolve with the reply whatever `ok` is. */
  request(op, fields = {}, { timeoutMs = DEFAULT_TIMEOUT } = {}) {
    const rid = this.nextRid();
    this.sentOps.set(rid, op);
    if (this.closed || this.ws.readyState !== WebSocket.OPEN) {
      return Promise.reject(new Error(`${this.label}: cannot send ${op}: connection is not open`));
    }
    this.send({ op, rid, ...fields });
    return this.nextReply(rid, timeoutMs);
  }

  /** Wait for the reply whose `re` is rid (already received or future). */
  nextReply(rid, timeoutMs = DEFAULT_TIMEOUT) {
    if (this.replies.has(rid)) return Promise.resolve(this.replies.get(rid));
    if (this.closed) return Promise.reject(new Error(`${this.label}: connection closed, no reply to rid ${rid} (${this.sentOps.get(rid)})`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.replyWaiters.delete(rid);
        reject(new Error(`${this.label}: no reply to rid ${rid} (${this.sentOps.get(rid)}) within ${timeoutMs} ms; last frames:\n  ${this.log.slice(-8).join('\n  ')}`));
      }, timeoutMs);
      this.replyWaiters.set(rid, {
        resolve: (f) => { clearTimeout(timer); resolve(f); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      });
    });
  }

  /** Take the oldest not yet taken reply with re: null, or wait for one. */
  waitNullReply(timeoutMs = DEFAULT_TIMEOUT) {
    if (this.nullReplies.length) return Promise.resolve(this.nullReplies.shift());
    if (this.closed) return Promise.reject(new Error(`${this.label}: connection closed, no re:null reply`));
    return new Promise((resolve, reject) => {
      const w = {};
      const timer = setTimeout(() => {
        this.nullWaiters = this.nullWaiters.filter((x) => x !== w);
        reject(new Error(`${this.label}: no reply with re:null within ${timeoutMs} ms; last frames:\n  ${this.log.slice(-8).join('\n  ')}`));
      }, timeoutMs);
      w.resolve = (f) => { clearTimeout(timer); resolve(f); };
      w.reject = (e) => { clearTimeout(timer); reject(e); };
      this.nullWaiters.push(w);
    });
  }

  /** First frame (already received from index `from` on, or future) matching pred. */
  waitFrame(pred, timeoutMs = DEFAULT_TIMEOUT, { from = 0, what = 'a matching frame' } = {}) {
    for (let i = from; i < this.frames.length; i++) if (pred(this.frames[i])) return Promise.resolve(this.frames[i]);
    if (this.closed) return Promise.reject(new Error(`${this.label}: connection closed while waiting for ${what}`));
    return new Promise((resolve, reject) => {
      const w = { what };
      const timer = setTimeout(() => {
        this.frameWaiters.delete(w);
        reject(new Error(`${this.label}: ${what} not received within ${timeoutMs} ms; last frames:\n  ${this.log.slice(-10).join('\n  ')}`));
      }, timeoutMs);
      w.matches = pred;
      w.resolve = (f) => { clearTimeout(timer); resolve(f); };
      w.reject = (e) => { clearTimeout(timer); reject(e); };
      this.frameWaiters.add(w);
    });
  }

  /** First event (already received, or future) for which pred(ev) is true. */
  waitEvent(pred, timeoutMs = DEFAULT_TIMEOUT, { from = 0, what } = {}) {
    const p = (f) => typeof f.ev === 'string' && pred(f);
    // `from` is an index into this.events; convert to an index into this.frames.
    let frameFrom = 0;
    if (from > 0) {
      const ev = this.events[from];
      frameFrom = ev ? this.frames.indexOf(ev) : this.frames.length;
    }
    return this.waitFrame(p, timeoutMs, { from: frameFrom, what: what || `an event matching ${pred.toString().slice(0, 120)}` });
  }

  /** Wait until an event with seq >= n of the given session has arrived. */
  waitSeq(session, n, timeoutMs = DEFAULT_TIMEOUT) {
    return this.waitEvent((e) => e.session === session && e.seq >= n, timeoutMs, { what: `event seq ${n} of session ${session}` });
  }

  /** Highest seq seen for a session (0 if none). */
  maxSeq(session) {
    let m = 0;
    for (const e of this.events) if (e.session === session && e.seq > m) m = e.seq;
    return m;
  }

  eventsOf(session) { return this.events.filter((e) => e.session === session); }

  /** Index of a frame object in this.frames (arrival order). */
  indexOf(frame) { return this.frames.indexOf(frame); }

  /** Close politely (bounded), then terminate. */
  async close() {
    if (this.closed) return;
    try { this.ws.close(1000); } catch { /* ignore */ }
    try {
      await withTimeout(this.closedPromise, 2000, 'close handshake');
    } catch {
      this.ws.terminate();
      await withTimeout(this.closedPromise, 2000, 'terminate').catch(() => {});
    }
  }

  /** Drop the TCP connection without a close handshake. */
  async terminate() {
    if (this.closed) return;
    this.ws.terminate();
    await withTimeout(this.closedPromise, 2000, 'terminate').catch(() => {});
  }
}

/** Open ws://127.0.0.1:port/ws with subprotocol atelier.v1. Resolves a Client once open. */
export function connect(port, { label, protocol = PROTOCOL, timeoutMs = DEFAULT_TIMEOUT } = {}) {
  const url = `ws://127.0.0.1:${port}/ws`;
  const ws = new WebSocket(url, protocol, { perMessageDeflate: false, handshakeTimeout: timeoutMs, maxPayload: 64 * 1024 * 1024 });
  const c = new Client(ws, label || `client#${++clientCounter}`);
  allClients.push(c);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { ws.terminate(); reject(new Error(`connect ${url}: timeout after ${timeoutMs} ms`)); }, timeoutMs + 500);
    ws.once('open', () => { clearTimeout(timer); resolve(c); });
    ws.once('error', (e) => { clearTimeout(timer); reject(new Error(`connect ${url}: ${e.message}`)); });
    ws.once('unexpected-response', (req, res) => {
      clearTimeout(timer);
      reject(new Error(`connect ${url}: unexpected HTTP ${res.statusCode} to the WebSocket upgrade`));
      ws.terminate();
    });
  });
}

/** connect + hello as facilitator; throws unless the hello reply is ok. */
export async function facilitator(port, { token = TOKEN, label = 'facilitator', ...extra } = {}) {
  const c = await connect(port, { label });
  const r = await c.request('hello', { role: 'facilitator', token, ...extra });
  if (r.ok !== true) throw new Error(`facilitator hello failed: ${short(r)}`);
  c.hello = r;
  c.you = r.you;
  return c;
}

/**
 * connect + hello as participant with a code; `name` omitted when undefined.
 * throws unless ok. Sets c.you, c.id, c.resume, c.hello.
 */
export async function participant(port, code, name, { label } = {}) {
  const c = await connect(port, { label: label || `participant(${name === undefined ? 'anon' : name})` });
  const fields = { role: 'participant', code };
  if (name !== undefined) fields.name = name;
  const r = await c.request('hello', fields);
  if (r.ok !== true) throw new Error(`participant hello failed: ${short(r)}`);
  c.hello = r;
  c.you = r.you;
  c.id = r.you && r.you.id;
  c.resume = r.resume;
  return c;
}

/** Wait until fn() (sync or async) is truthy and return it; bounded.  `what`
 * names the wait in the error, or is a function giving that text then (to
 * say what was seen instead). */
export async function until(fn, what, ms = 5000) {
  const end = Date.now() + ms;
  let last;
  for (;;) {
    try { last = await fn(); if (last) return last; } catch (e) { last = e; }
    if (Date.now() > end) {
      throw new Error(`timeout after ${ms} ms: ${typeof what === 'function' ? what() : what} (last: ${last})`);
    }
    await sleep(50);
  }
}

/** n participants named p0..p(n-1) join `code`, 50 at a time (a burst of
 * hundreds of handshakes at once would test the listen backlog instead). */
export async function participants(port, code, n) {
  const phones = [];
  for (let i = 0; i < n; i += 50) {
    const batch = [];
    for (let k = i; k < Math.min(n, i + 50); k++) batch.push(participant(port, code, `p${k}`));
    phones.push(...await Promise.all(batch));
  }
  return phones;
}

/** Reconnect a participant with its resume secret (and optional since). Returns {client, reply}. */
export async function resumeParticipant(port, secret, since, { label = 'resumed participant' } = {}) {
  const c = await connect(port, { label });
  const fields = { role: 'participant', resume: secret };
  if (since !== undefined) fields.since = since;
  const r = await c.request('hello', fields);
  c.hello = r;
  if (r.ok === true) {
    c.you = r.you; c.id = r.you && r.you.id; c.resume = r.resume;
  }
  return { client: c, reply: r };
}

// ---------------------------------------------------------------------------
// assertions

/** Assert a reply is ok:true; returns it. */
export function ok(reply, what = '') {
  assert.ok(reply && typeof reply === 'object', `${what}: no reply object`);
  assert.equal(reply.ok, true, `${what ? what + ': ' : ''}expected ok:true, got ${short(reply)}`);
  return reply;
}

/** Assert a reply is an error with the given code and a non-empty message string. */
export function isError(reply, code, what = '') {
  const w = what ? `${what}: ` : '';
  assert.ok(reply && typeof reply === 'object', `${w}no reply object`);
  assert.equal(reply.ok, false, `${w}expected ok:false/${code}, got ${short(reply)}`);
  assert.equal(reply.error, code, `${w}expected error ${code}, got ${short(reply)}`);
  assert.equal(typeof reply.message, 'string', `${w}error reply without a message string: ${short(reply)}`);
  assert.ok(reply.message.length > 0, `${w}error reply with an empty message: ${short(reply)}`);
  return reply;
}

/** Assert events of a session in `list` have consecutive seqs (each +1). */
export function assertConsecutive(list, what = 'events') {
  for (let i = 1; i < list.length; i++) {
    assert.equal(list[i].seq, list[i - 1].seq + 1,
      `${what}: seq ${list[i - 1].seq} (${list[i - 1].ev}) followed by seq ${list[i].seq} (${list[i].ev})`);
  }
}

// ---------------------------------------------------------------------------
// scenario helpers

/** Facilitator creates a session and a wall board. Returns {session, code, board}. */
export async function makeSessionAndBoard(fac, { title = 'Test session', boardTitle = 'Wall', boardFields = {} } = {}) {
  const s = ok(await fac.request('session.create', { title }), 'session.create');
  const code = s.session.code;
  const b = ok(await fac.request('board.create', { session: code, kind: 'wall', title: boardTitle, ...boardFields }), 'board.create');
  return { session: s.session, code, board: b.board };
}

// ---------------------------------------------------------------------------
// test wrapper: dumps server output and client frames when a test fails

function dumpDiagnostics(name, startClients) {
  const lines = [`\n======== diagnostics for failed test: ${name} ========`];
  for (const s of allServers) {
    const tail = s.output.length > 6000 ? '...' + s.output.slice(-6000) : s.output;
    lines.push(`---- atelierd port ${s.port} ${s.exited ? `(exited ${JSON.stringify(s.exitInfo)})` : '(running)'} argv: ${s.argv.join(' ')}`);
    lines.push(tail || '(no output)');
  }
  for (const c of allClients.slice(startClients).slice(-12)) {
    lines.push(`---- frames of ${c.label} (last ${Math.min(c.log.length, 25)}; > sent, < received)`);
    lines.push(...c.log.slice(-25).map((l) => '  ' + l));
    if (c.anomalies.length) lines.push(`  anomalies: ${c.anomalies.slice(0, 5).join(' | ')}`);
  }
  lines.push('======== end of diagnostics ========\n');
  process.stderr.write(lines.join('\n') + '\n');
}

/**
 * Like node:test's test(name, [options], fn) but on failure prints the output of
 * the servers and the last frames of the clients used by the test.
 * Default timeout 60 s.
 */
export function test(name, opts, fn) {
  if (typeof opts === 'function') { fn = opts; opts = {}; }
  opts = { timeout: 60000, ...opts };
  return nodeTest(name, opts, async (t) => {
    const startClients = allClients.length;
    try {
      await fn(t);
      // every frame must be a JSON object with `ev` or `re`, and each rid answered at most once
      for (const c of allClients.slice(startClients)) {
        assert.deepEqual(c.anomalies, [], `${c.label}: protocol anomalies (unparseable frames, duplicate replies...)`);
      }
    } catch (e) {
      failures++;
      dumpDiagnostics(name, startClients);
      throw e;
    } finally {
      // Close this test's clients so that they do not keep the process alive.
      await Promise.all(allClients.slice(startClients).map((c) => c.terminate().catch(() => {})));
    }
  });
}

/** Stop every server still running (for `after` hooks). */
export async function stopAll() {
  await Promise.all(allClients.map((c) => c.terminate().catch(() => {})));
  const errs = [];
  for (const s of [...liveServers]) {
    try { await s.stop(); } catch (e) { errs.push(e); }
  }
  if (errs.length) throw errs[0];
}

process.on('exit', (code) => {
  for (const s of liveServers) { try { s.proc.kill('SIGKILL'); } catch { /* ignore */ } }
  if (code === 0 && failures === 0 && !process.env.ATELIER_KEEP_TMP) {
    for (const d of tempDirs) { try { fs.rmSync(d, { recursive: true, force: true }); } catch { /* ignore */ } }
  } else if (tempDirs.length) {
    process.stderr.write(`atelier test temp dirs kept: ${tempDirs.join(' ')}\n`);
  }
});
