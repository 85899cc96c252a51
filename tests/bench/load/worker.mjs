// worker.mjs - one process of the load generator (forked by gen.mjs).
//
// It holds a share of the participants: whole sessions, or a slice of one
// big session.  It connects them (WebSocket, subprotocol atelier.v1, source
// addresses 127.0.0.2-127.0.0.5), sends hello, and on the coordinator's
// word makes its writers send notes (open loop, at a fixed rate) or words,
// while every participant measures the time from the request being sent to
// the event's arrival.  A note's text carries its send time (CLOCK_MONOTONIC
// microseconds), so any process can measure it; a word's latency is joined
// later from the event's seq (see gen.mjs).  atelierd sends participants
// word additions coalesced (cloud.updated, seqs first..seq); the peer sends
// one word.added per word: both are counted per word.
//
// Messages from the coordinator: setup, start, expect, cloudcheck,
// resumeslow, close.  Every wait is bounded.

import WebSocket from 'ws';
import { Hist, nowUs, sleep, SOURCE_ADDRS } from './lib.mjs';

let cfg = null;            // the setup message
const parts = [];          // every participant of this worker
let measuring = false;
// Once slow readers read again they drain thousands of frames through this
// process's event loop, which delays everyone else's frames here (not in
// the server): latency is counted until then, deliveries to the end.
let latencyOn = true;
const hist = new Hist();   // request -> event arrival, microseconds
const ackHist = new Hist();  // request -> reply (persist mode)
let writerTimers = [];
const stats = { okReplies: 0, errReplies: 0, errors: {}, badFrames: 0, closedEarly: 0 };

// Cloud mode: (seq, arrival) of every word.added, for the coordinator.
let arrSeq = null; let arrT = null; let arrN = 0;

const VOCAB = [
  ['vélo', 'Vélo', 'vélos', 'le vélo', 'velo'], ['déchets', 'Déchets', 'les déchets', 'dechet'],
  ['écologie', "l'écologie", 'Ecologie'], ['transport', 'transports', 'Transport'], ['nature', 'Nature', 'la nature'],
  ['arbres', 'arbre', 'des arbres'], ['partage', 'Partage'], ['solidarité', 'Solidarité', 'solidarite'],
  ['jardin', 'jardins', 'Jardin partagé'], ['énergie', 'energie'], ['eau', "l'eau"], ['école', 'écoles'],
  ['sécurité', 'securite'], ['bruit', 'Bruit'], ['culture', 'Culture'], ['sport', 'sports'], ['marché', 'marchés'],
  ['piétons', 'piéton'], ['pistes cyclables', 'piste cyclable'], ['bus', 'Bus'], ['lumière', 'lumières'],
  ['bancs', 'banc'], ['fleurs', 'fleur'], ['vivre ensemble', 'Vivre ensemble'], ['calme', 'Calme'],
  ['propreté', 'proprete'], ['parking', 'parkings'], ['tram', 'Tram'], ['jeux', 'jeu'], ['musique', 'Musique'],
];

function pickWord(rnd) {
  // Zipf-like: entry i with weight 1/(i+1)
  let total = 0;
  for (let i = 0; i < VOCAB.length; i++) total += 1 / (i + 1);
  let x = rnd() * total;
  for (let i = 0; i < VOCAB.length; i++) {
    x -= 1 / (i + 1);
    if (x <= 0) { const forms = VOCAB[i]; return forms[Math.floor(rnd() * forms.length)]; }
  }
  return VOCAB[0][0];
}

function mulberry32(a) {
  return () => {
    a |= 0; a = a + 0x6D2B79F5 | 0;
    let t = Math.imul(a ^ a >>> 15, 1 | a);
    t = t + Math.imul(t ^ t >>> 7, 61 | t) ^ t;
    return ((t ^ t >>> 14) >>> 0) / 4294967296;
  };
}

function send(p, obj) {
  if (p.ws.readyState !== WebSocket.OPEN) return false;
  p.ws.send(JSON.stringify(obj));
  return true;
}

/** Send a request and resolve its reply (bounded). */
function request(p, op, fields, timeoutMs = 30000) {
  const rid = ++p.rid;
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => { p.waiting.delete(rid); reject(new Error(`no reply to ${op} within ${timeoutMs} ms`)); }, timeoutMs);
    p.waiting.set(rid, (f) => { clearTimeout(t); resolve(f); });
    if (!send(p, { op, rid, ...fields })) { clearTimeout(t); p.waiting.delete(rid); reject(new Error(`${op}: not open`)); }
  });
}

function onMessage(p, data) {
  const t = nowUs();
  let f;
  try { f = JSON.parse(data); } catch { stats.badFrames++; return; }
  if (p.slowResumed) p.afterResume++;
  const ev = f.ev;
  if (ev !== undefined) {
    if (ev === 'note.added') {
      if (!measuring || p.slow) return;   // a slow reader's backlog is not latency
      const txt = f.note && f.note.text;
      if (typeof txt === 'string' && txt.charCodeAt(0) === 76) {   // 'L'
        const ts = parseFloat(txt.slice(1, txt.indexOf(' ')));
        if (ts > 0) { if (latencyOn) hist.add(t - ts); p.recv++; }
      }
    } else if (ev === 'cloud.updated') {   // atelierd: word.added first..seq, coalesced
      for (const u of f.boards) for (const w of u.words) p.cloud.set(w.key, w.count);
      if (!measuring) return;
      p.recv += f.added;
      for (let s = f.first; s <= f.seq && arrN < arrSeq.length; s++) { arrSeq[arrN] = s; arrT[arrN] = t; arrN++; }
    } else if (ev === 'word.added') {
      if (f.word) p.cloud.set(f.key, f.word.count);
      if (!measuring) return;
      p.recv++;
      if (arrN < arrSeq.length) { arrSeq[arrN] = f.seq; arrT[arrN] = t; arrN++; }
    }
    return;
  }
  const re = f.re;
  if (re !== undefined && re !== null) {
    const w = p.waiting.get(re);
    if (w) { p.waiting.delete(re); w(f); return; }
    const sent = p.sentAt.get(re);
    if (sent !== undefined) {
      p.sentAt.delete(re);
      if (measuring && latencyOn) ackHist.add(t - sent);
    }
    if (f.ok) stats.okReplies++;
    else { stats.errReplies++; stats.errors[f.error] = (stats.errors[f.error] || 0) + 1; }
  }
}

function connectOne(p) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(cfg.url, 'atelier.v1', {
      perMessageDeflate: false, localAddress: p.addr, handshakeTimeout: 30000, maxPayload: 1 << 26,
    });
    p.ws = ws;
    const timer = setTimeout(() => { ws.terminate(); reject(new Error('connect timeout')); }, 35000);
    ws.once('open', () => { clearTimeout(timer); resolve(); });
    ws.once('error', (e) => { clearTimeout(timer); reject(e); });
    ws.on('message', (d) => onMessage(p, d));
    ws.on('close', (code, reason) => {
      p.closed = { code, reason: String(reason), at: nowUs() };
      if (!p.slow && !p.leaving) stats.closedEarly++;
      for (const w of p.waiting.values()) w({ ok: false, error: 'closed' });
      p.waiting.clear();
    });
  });
}

async function setup(msg) {
  cfg = msg;
  let k = 0;
  for (const slot of msg.slots) {
    for (let i = slot.from; i < slot.to; i++) {
      parts.push({
        s: slot.sIndex, code: slot.code, board: slot.board, idx: i, writer: i < slot.W,
        slow: slot.slow.includes(i), addr: SOURCE_ADDRS[(msg.addrOffset + k++) % SOURCE_ADDRS.length],
        ws: null, rid: 0, waiting: new Map(), sentAt: new Map(), recv: 0, pid: null, cloud: new Map(),
        closed: null, afterResume: 0, slowResumed: false, leaving: false,
      });
    }
  }
  let next = 0; let failed = 0; let firstErr = null;
  const conc = msg.concurrency || 64;
  async function lane() {
    while (next < parts.length) {
      const p = parts[next++];
      try {
        await connectOne(p);
        if (msg.hello) {
          const r = await request(p, 'hello', { role: 'participant', code: p.code, name: `p${p.s}-${p.idx}` });
          if (!r.ok) throw new Error(`hello: ${r.error} ${r.message}`);
          p.pid = r.you.id;
        }
        if (p.slow) p.ws._socket.pause();
      } catch (e) {
        failed++;
        if (!firstErr) firstErr = e.message;
      }
    }
  }
  await Promise.all(Array.from({ length: conc }, lane));
  process.send({ type: 'ready', connected: parts.length - failed, failed, firstErr });
}

function startNotes(msg) {
  // Each writer sends rate/W notes per second, open loop, phase spread.
  const filler = 'x'.repeat(Math.max(0, (msg.textLen || 60) - 20));
  const sentBy = {};
  for (const p of parts) {
    if (!p.writer || p.slow) continue;
    const period = 1e3 * msg.W / msg.rate;   // ms
    let n = 0;
    const t0 = performance.now() + Math.random() * period;
    const tick = () => {
      if (!measuring) return;
      // (a writer with 10,000 unanswered requests stops adding: bounded)
      const ok = p.sentAt.size < 10000 && send(p, { op: 'note.add', rid: ++p.rid, board: p.board,
        text: `L${nowUs().toFixed(0)} ${p.s}.${p.idx}.${n} ${filler}` });
      if (ok) {
        p.sentAt.set(p.rid, nowUs());
        sentBy[p.s] = (sentBy[p.s] || 0) + 1;
      }
      n++;
      const h = setTimeout(tick, Math.max(0, t0 + n * period - performance.now()));
      writerTimers.push(h);
    };
    writerTimers.push(setTimeout(tick, Math.max(0, t0 - performance.now())));
  }
  return sentBy;
}

function startClosedLoop(msg) {
  // persist mode, closed loop: each writer keeps `depth` requests in flight.
  const sentBy = {};
  for (const p of parts) {
    if (!p.writer) continue;
    let n = 0;
    const fire = () => {
      if (!measuring) return;
      const rid = ++p.rid;
      const t = nowUs();
      p.waiting.set(rid, (f) => {
        if (measuring) ackHist.add(nowUs() - t);
        if (f.ok) stats.okReplies++; else { stats.errReplies++; stats.errors[f.error] = (stats.errors[f.error] || 0) + 1; }
        fire();
      });
      if (send(p, { op: 'note.add', rid, board: p.board, text: `L${t.toFixed(0)} ${p.s}.${p.idx}.${n++} persist` })) {
        sentBy[p.s] = (sentBy[p.s] || 0) + 1;
      }
    };
    for (let d = 0; d < (msg.depth || 1); d++) fire();
  }
  return sentBy;
}

let cloudPending = 0;

function startCloud(msg) {
  // Every participant sends one word at a random moment of the window;
  // only accepted words count (sentAt: pid -> send time).
  const sentAt = {};
  const rnd = mulberry32(msg.seed + cfg.addrOffset);
  arrSeq = new Float64Array(parts.length * (msg.expectedWords + 16));
  arrT = new Float64Array(arrSeq.length);
  arrN = 0;
  for (const p of parts) {
    const at = rnd() * msg.windowMs;
    const word = pickWord(rnd);
    writerTimers.push(setTimeout(() => {
      const t = nowUs();
      const rid = ++p.rid;
      p.waiting.set(rid, (f) => {
        cloudPending--;
        if (f.ok && f.word !== null) stats.okReplies++;
        else { delete sentAt[p.pid]; stats.errReplies++; stats.errors[f.error] = (stats.errors[f.error] || 0) + 1; }
      });
      if (send(p, { op: 'word.add', rid, board: p.board, text: word })) { sentAt[p.pid] = t; cloudPending++; }
    }, at));
  }
  return sentAt;
}

let sentInfo = null;
let cpu0 = null;

async function onStart(msg) {
  for (const p of parts) p.recv = 0;
  measuring = true;
  cpu0 = process.cpuUsage();
  if (msg.mode === 'notes') sentInfo = startNotes(msg);
  else if (msg.mode === 'persist') sentInfo = msg.closed ? startClosedLoop(msg) : startNotes(msg);
  else if (msg.mode === 'cloud') sentInfo = startCloud(msg);
  await sleep(msg.durationMs);
  if (msg.mode === 'cloud') {
    // every word is sent by now: wait (bounded) for the last replies
    const deadline = Date.now() + 60000;
    while (cloudPending > 0 && Date.now() < deadline) await sleep(20);
  }
  for (const h of writerTimers) clearTimeout(h);
  writerTimers = [];
  if (msg.mode === 'persist' && msg.closed) measuring = 'draining';
  process.send({ type: 'sent', sent: sentInfo });
}

async function onExpect(msg) {
  // Wait until every reading participant has the events of its session.
  const deadline = Date.now() + msg.drainMs;
  const want = (p) => msg.expect[p.s] || 0;
  while (Date.now() < deadline) {
    if (parts.every((p) => p.slow || p.closed || p.recv >= want(p))) break;
    await sleep(50);
  }
  measuring = false;
  const cpu = process.cpuUsage(cpu0);
  let expected = 0; let received = 0; let short = 0;
  for (const p of parts) {
    if (p.slow) continue;
    expected += want(p);
    received += Math.min(p.recv, want(p));
    if (p.recv < want(p)) short++;
  }
  const out = { type: 'stats', hist: hist.toJSON(), ackHist: ackHist.toJSON(), expected, received, short, stats,
    cpuUs: cpu.user + cpu.system, inFlight: parts.reduce((a, p) => a + p.sentAt.size, 0) };
  if (arrSeq) { out.arrSeq = arrSeq.subarray(0, arrN); out.arrT = arrT.subarray(0, arrN); }
  process.send(out);
}

async function onCloudCheck() {
  // Every participant's board.get against the cloud built from its events.
  const digests = {};
  let mismatch = 0; let failed = 0;
  let next = 0;
  async function lane() {
    while (next < parts.length) {
      const p = parts[next++];
      try {
        const r = await request(p, 'board.get', { board: p.board });
        if (!r.ok) throw new Error(r.error);
        const got = (r.board.words || []).map((w) => `${w.key}:${w.count}`).sort().join('|');
        const built = [...p.cloud].map(([k, c]) => `${k}:${c}`).sort().join('|');
        if (got !== built) mismatch++;
        digests[got] = (digests[got] || 0) + 1;
      } catch { failed++; }
    }
  }
  await Promise.all(Array.from({ length: 32 }, lane));
  process.send({ type: 'cloudcheck', digests, mismatch, failed });
}

async function onResumeSlow(msg) {
  const slow = parts.filter((p) => p.slow);
  const closedBefore = slow.filter((p) => p.closed).length;
  latencyOn = false;
  for (const p of slow) { p.slowResumed = true; p.afterResume = 0; if (p.ws._socket) p.ws._socket.resume(); }
  const deadline = Date.now() + msg.waitMs;
  while (Date.now() < deadline && !slow.every((p) => p.closed)) await sleep(100);
  process.send({ type: 'slow', n: slow.length, closedBefore,
    results: slow.map((p) => ({ closed: p.closed ? { code: p.closed.code, reason: p.closed.reason } : null, frames: p.afterResume })) });
}

async function onClose() {
  for (const p of parts) {
    p.leaving = true;
    try {
      if (p.ws && p.ws._socket && p.ws._socket.resetAndDestroy) p.ws._socket.resetAndDestroy();
      else if (p.ws) p.ws.terminate();
    } catch { /* already gone */ }
  }
  await sleep(200);
  process.send({ type: 'closed' });
  process.exit(0);
}

process.on('message', (msg) => {
  const h = { setup, start: onStart, expect: onExpect, cloudcheck: onCloudCheck, resumeslow: onResumeSlow, close: onClose }[msg.type];
  if (h) h(msg).catch((e) => process.send({ type: 'error', message: e.stack || String(e) }));
});
process.on('disconnect', () => process.exit(0));
// Never outlive a lost coordinator.
setTimeout(() => process.exit(3), 3 * 3600 * 1000).unref();
