// gen.mjs - the load generator's coordinator (protocol v1, proto/PROTOCOL.md).
//
// runLoad(opts) sets up S sessions (a facilitator creates each session and
// its board), forks `workers` processes (worker.mjs) that connect S x P
// participants from 127.0.0.2-127.0.0.5, then drives one of four modes:
//
//   notes    W writers per session add notes at `rate` per second per
//            session (open loop) for `duration` s; every participant must
//            receive every note.added of its session.
//   cloud    every participant sends one word.add within `window` s; then
//            every participant's board.get must equal the cloud it built
//            from the events, and all must be equal.
//   idle     connect (and hello, unless hello=false), measure memory, stop.
//   persist  like notes, writers only (P = W), open loop or closed loop
//            (closed=true: each writer waits for its reply), with the
//            server's commit histogram from GET /metrics.
//
// It measures the server process (pid): CPU time (utime+stime, /proc) over
// the loaded window, RSS before and after connecting, open files; and
// reports delivered %, deliveries per second, latency from request to event
// arrival (p50, p99, max), CPU microseconds per delivered event and memory
// per connection.  The generator's own CPU is reported too, to show which
// side is the bottleneck.
//
// CLI: node gen.mjs --port N --pid PID [--mode notes] [--sessions 100] ...
// (see the defaults below); prints the result as JSON.

import { fork, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import {
  Hist, cpuTimesUs, fdCount, httpGet, machineTicks, nowUs, parseMetrics, rssKiB, sleep, withTimeout,
} from './lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

export const DEFAULTS = {
  port: 8080, pid: 0, token: process.env.ATELIER_TOKEN || 'bench-token', mode: 'notes',
  sessions: 100, participants: 100, writers: 2, rate: 2, duration: 30, workers: 2,
  slow: 0, textLen: 60, window: 10, hello: true, closed: false, depth: 1, drain: 15,
  metrics: true, settle: 2, seed: 1, perf: false,
};

// perf=true: the server's CPU time a second way, `perf stat -e task-clock`
// (the time its threads are on a CPU, from perf's clock) over the same
// window as /proc/PID/stat.  The two agree for a server that writes with
// send(); with io_uring, this kernel's /proc figure comes out lower than
// task-clock (docs/BENCHMARKS.md, sixth session), so both are reported.
function perfStart(pid) {
  const out = path.join(os.tmpdir(), `atelier-perf-${pid}-${Date.now()}.csv`);
  const p = spawn('perf', ['stat', '-x', ',', '-e', 'task-clock', '-p', String(pid), '-o', out],
    { stdio: 'ignore' });
  return { p, out, done: new Promise((r) => { p.on('exit', r); p.on('error', r); }) };
}

async function perfStop(h) {
  h.p.kill('SIGINT');
  await h.done;
  try {
    const line = fs.readFileSync(h.out, 'utf8').split('\n').find((l) => l.includes('task-clock'));
    fs.rmSync(h.out, { force: true });
    return line ? Number(line.split(',')[0]) * 1000 : NaN;   // msec -> µs
  } catch { return NaN; }
}

class Fac {
  constructor(ws) {
    this.ws = ws; this.rid = 0; this.waiting = new Map(); this.bySeq = new Map();
    ws.on('message', (d) => {
      const f = JSON.parse(d);
      if (f.ev === 'word.added' && f.by !== undefined) this.bySeq.set(f.seq, f.by);
      else if (f.re !== undefined && this.waiting.has(f.re)) { this.waiting.get(f.re)(f); this.waiting.delete(f.re); }
    });
  }

  request(op, fields) {
    const rid = ++this.rid;
    return withTimeout(new Promise((resolve) => {
      this.waiting.set(rid, resolve);
      this.ws.send(JSON.stringify({ op, rid, ...fields }));
    }), 30000, `facilitator ${op}`);
  }
}

async function facilitator(o) {
  const ws = new WebSocket(`ws://127.0.0.1:${o.port}/ws`, 'atelier.v1', { perMessageDeflate: false, maxPayload: 1 << 28 });
  await withTimeout(new Promise((res, rej) => { ws.once('open', res); ws.once('error', rej); }), 10000, 'facilitator connect');
  const f = new Fac(ws);
  const r = await f.request('hello', { role: 'facilitator', token: o.token });
  if (!r.ok) throw new Error(`facilitator hello: ${r.error}`);
  return f;
}

function waitAll(workers, type, ms) {
  return withTimeout(Promise.all(workers.map((w) => new Promise((resolve, reject) => {
    const on = (m) => {
      if (m.type === type) { w.off('message', on); resolve(m); }
      if (m.type === 'error') { w.off('message', on); reject(new Error(`worker: ${m.message}`)); }
    };
    w.on('message', on);
  }))), ms, `workers: ${type}`);
}

async function metrics(o) {
  if (!o.metrics) return null;
  try {
    const r = await httpGet(o.port, '/metrics');
    return r.status === 200 ? parseMetrics(r.body) : null;
  } catch { return null; }
}

/** Commit latency from two /metrics snapshots: count, mean, p50/p99 upper bounds. */
function commitStats(m0, m1) {
  if (!m0 || !m1 || m1.atelier_commit_seconds_count === undefined) return null;
  const count = m1.atelier_commit_seconds_count - m0.atelier_commit_seconds_count;
  const sum = m1.atelier_commit_seconds_sum - m0.atelier_commit_seconds_sum;
  const les = Object.keys(m1).filter((k) => k.startsWith('atelier_commit_seconds_bucket'))
    .map((k) => ({ le: /le="([^"]+)"/.exec(k)[1], n: m1[k] - (m0[k] || 0) }))
    .map((b) => ({ le: b.le === '+Inf' ? Infinity : Number(b.le), n: b.n })).sort((a, b) => a.le - b.le);
  const q = (p) => { for (const b of les) if (b.n >= p * count) return b.le * 1000; return Infinity; };
  return { commits: count, meanMs: count ? (sum / count) * 1000 : NaN, p50LeMs: q(0.5), p99LeMs: q(0.99),
    buckets: les.map((b) => [b.le, b.n]) };
}

export async function runLoad(opts) {
  const o = { ...DEFAULTS, ...opts };
  const S = o.sessions; const P = o.participants;
  const W = o.mode === 'cloud' ? P : o.mode === 'persist' ? P : Math.min(o.writers, P);
  const log = o.log || (() => {});
  const res = { mode: o.mode, sessions: S, participants: P, writers: W, conns: S * P };

  const fac = await facilitator(o);
  const sess = [];
  for (let s = 0; s < S; s++) {
    const r = await fac.request('session.create', { title: `Bench ${s}`, lang: 'fr' });
    if (!r.ok) throw new Error(`session.create: ${r.error}`);
    const kind = o.mode === 'cloud' ? 'cloud' : 'wall';
    const b = await fac.request('board.create', { session: r.session.code, kind, title: 'Board', ...(kind === 'cloud' ? { word_quota: 3 } : {}) });
    if (!b.ok) throw new Error(`board.create: ${b.error}`);
    sess.push({ code: r.session.code, board: b.board.id });
  }
  if (o.mode !== 'cloud') { fac.ws.terminate(); }   // only participants receive
  await sleep(500);
  res.rssBaseKiB = rssKiB(o.pid);
  res.fdBase = fdCount(o.pid);

  // slow readers: the last participants of each session, 1 in 1/slow
  const slowPer = o.slow > 0 ? Math.max(1, Math.round(P * o.slow)) : 0;
  const total = S * P;
  const per = Math.ceil(total / o.workers);
  const workers = [];
  for (let k = 0; k < o.workers; k++) {
    const slots = [];
    for (let g = k * per; g < Math.min(total, (k + 1) * per);) {
      const s = Math.floor(g / P); const from = g % P;
      const to = Math.min(P, from + Math.min(total, (k + 1) * per) - g);
      const slow = [];
      for (let i = P - slowPer; i < P; i++) if (i >= from && i < to && i >= W) slow.push(i);
      slots.push({ sIndex: s, code: sess[s].code, board: sess[s].board, from, to, W, slow });
      g += to - from;
    }
    if (!slots.length) continue;
    const w = fork(path.join(here, 'worker.mjs'), [], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    w.slots = slots;
    workers.push(w);
  }
  const t0 = Date.now();
  const ready = waitAll(workers, 'ready', 120000 + total * 20);
  workers.forEach((w, k) => w.send({ type: 'setup', url: `ws://127.0.0.1:${o.port}/ws`, slots: w.slots, addrOffset: k, hello: o.hello, concurrency: 64 }));
  const rd = await ready;
  res.connected = rd.reduce((a, r) => a + r.connected, 0);
  res.connectFailed = rd.reduce((a, r) => a + r.failed, 0);
  res.connectErr = rd.map((r) => r.firstErr).find((e) => e) || null;
  res.connectSeconds = (Date.now() - t0) / 1000;
  log(`  connected ${res.connected}/${total} in ${res.connectSeconds.toFixed(1)} s${res.connectFailed ? ` (${res.connectFailed} failed: ${res.connectErr})` : ''}`);
  await sleep(o.settle * 1000);
  res.rssConnKiB = rssKiB(o.pid);
  res.fdConn = fdCount(o.pid);
  res.rssPerConnBytes = ((res.rssConnKiB - res.rssBaseKiB) * 1024) / Math.max(1, res.connected);

  if (o.mode !== 'idle') {
    const m0 = await metrics(o);
    const perfH = o.perf ? perfStart(o.pid) : null;
    if (perfH) await sleep(300);   // perf attached before the window opens
    const cpu0 = cpuTimesUs(o.pid); const mt0 = machineTicks(); const w0 = nowUs();
    const durationMs = o.mode === 'cloud' ? o.window * 1000 : o.duration * 1000;
    const sentP = waitAll(workers, 'sent', durationMs + 60000);
    let rssMax = 0; let fdMin = Infinity; let fdMax = 0;
    const sampler = setInterval(() => {
      try { rssMax = Math.max(rssMax, rssKiB(o.pid)); const f = fdCount(o.pid); fdMin = Math.min(fdMin, f); fdMax = Math.max(fdMax, f); } catch { /* gone */ }
    }, 1000);
    // Slow readers read again as soon as the server has closed them all
    // (atelier_slow_closed_total): within its grace period they get their
    // backlog and the close frame, 1008.  A server without the counter
    // (the peer) keeps them until the end.  Latency percentiles stop at
    // the resume (worker.mjs, latencyOn).
    const slowTotal = workers.reduce((a, w) => a + w.slots.reduce((b, sl) => b + sl.slow.length, 0), 0);
    let slP = null; let slowPoll = null;
    const resumeSlow = (early) => {
      slP = waitAll(workers, 'slow', 60000 + durationMs);
      res.slowResumedEarly = early;
      res.slowResumedAtS = (nowUs() - w0) / 1e6;
      workers.forEach((w) => w.send({ type: 'resumeslow', waitMs: 20000 }));
    };
    if (slowTotal > 0 && m0 && m0.atelier_slow_closed_total !== undefined) {
      let polling = false;
      slowPoll = setInterval(async () => {
        if (polling || slP) return;
        polling = true;
        const m = await metrics(o);
        polling = false;
        if (!slP && m && m.atelier_slow_closed_total - m0.atelier_slow_closed_total >= slowTotal) {
          clearInterval(slowPoll);
          resumeSlow(true);
        }
      }, 1000);
    }
    workers.forEach((w) => w.send({ type: 'start', mode: o.mode, rate: o.rate, W, durationMs, textLen: o.textLen,
      closed: o.closed, depth: o.depth, windowMs: durationMs, expectedWords: S * P, seed: o.seed }));
    const sent = await sentP;
    if (slowPoll) clearInterval(slowPoll);
    const sentWall = (nowUs() - w0) / 1e6;
    const expect = {};
    let sentTotal = 0;
    const sendTimes = {};
    for (const m of sent) {
      if (o.mode === 'cloud') { Object.assign(sendTimes, m.sent); sentTotal += Object.keys(m.sent).length; } else {
        for (const [s, n] of Object.entries(m.sent)) { expect[s] = (expect[s] || 0) + n; sentTotal += n; }
      }
    }
    if (o.mode === 'cloud') expect[0] = sentTotal;
    const statsP = waitAll(workers, 'stats', o.drain * 1000 + 60000);
    workers.forEach((w) => w.send({ type: 'expect', expect, drainMs: o.drain * 1000 }));
    const st = await statsP;
    clearInterval(sampler);
    const elapsed = (nowUs() - w0) / 1e6;
    const cpu1 = cpuTimesUs(o.pid); const mt1 = machineTicks();
    const taskClockUs = perfH ? await perfStop(perfH) : NaN;
    const m1 = await metrics(o);
    const hist = new Hist(); const ack = new Hist();
    let expected = 0; let received = 0; let genCpu = 0; let short = 0; let closedEarly = 0; let inFlight = 0;
    const errors = {};
    for (const s of st) {
      hist.merge(new Hist(s.hist)); ack.merge(new Hist(s.ackHist));
      expected += s.expected; received += s.received; genCpu += s.cpuUs; short += s.short; inFlight += s.inFlight;
      closedEarly += s.stats.closedEarly;
      for (const [k, v] of Object.entries(s.stats.errors)) errors[k] = (errors[k] || 0) + v;
    }
    if (o.mode === 'cloud') {
      // join each arrival's seq with the sender's send time (from `by`)
      hist.n = 0; hist.b.fill(0); hist.sum = 0; hist.max = 0;
      let unmatched = 0;
      for (const s of st) {
        for (let i = 0; i < s.arrSeq.length; i++) {
          const by = fac.bySeq.get(s.arrSeq[i]);
          const ts = by !== undefined ? sendTimes[by] : undefined;
          if (ts === undefined) { unmatched++; continue; }
          hist.add(s.arrT[i] - ts);
        }
      }
      res.unmatched = unmatched;
      const ccP = waitAll(workers, 'cloudcheck', 120000);
      workers.forEach((w) => w.send({ type: 'cloudcheck' }));
      const cc = await ccP;
      const digests = {};
      let mismatch = 0; let failed = 0;
      for (const c of cc) {
        mismatch += c.mismatch; failed += c.failed;
        for (const [d, n] of Object.entries(c.digests)) digests[d] = (digests[d] || 0) + n;
      }
      const fb = await fac.request('board.get', { board: sess[0].board });
      const facDigest = (fb.board.words || []).map((w) => `${w.key}:${w.count}`).sort().join('|');
      res.cloud = { distinctClouds: Object.keys(digests).length, sameAsFacilitator: digests[facDigest] || 0,
        eventsVsBoardGetMismatch: mismatch, boardGetFailed: failed, entries: (fb.board.words || []).length,
        total: (fb.board.words || []).reduce((a, w) => a + w.count, 0) };
    }
    if (o.slow > 0) {
      res.slowDuring = { fdMin, fdMax, fdBase: res.fdBase, fdConn: res.fdConn, rssMaxKiB: rssMax };
      if (!slP) resumeSlow(false);
      const sl = await slP;
      const all = sl.flatMap((x) => x.results);
      const codes = {};
      for (const r of all) { const k = r.closed ? `${r.closed.code} ${r.closed.reason}` : 'open'; codes[k] = (codes[k] || 0) + 1; }
      res.slow = { n: all.length, closedBeforeResume: sl.reduce((a, x) => a + x.closedBefore, 0), closeCodes: codes,
        framesAfterResumeMax: Math.max(0, ...all.map((r) => r.frames)), framesAfterResumeMin: Math.min(...all.map((r) => r.frames)) };
    }
    res.sent = sentTotal;
    res.offeredPerS = sentTotal / (durationMs / 1000);
    res.expected = expected;
    res.received = received;
    res.deliveredPct = expected ? (100 * received) / expected : NaN;
    res.participantsShort = short;
    res.closedEarly = closedEarly;
    res.unanswered = inFlight;
    res.deliveriesPerS = received / sentWall;
    res.p50Ms = hist.q(0.5) / 1000; res.p99Ms = hist.q(0.99) / 1000; res.maxMs = hist.max / 1000;
    res.ackP50Ms = ack.q(0.5) / 1000; res.ackP99Ms = ack.q(0.99) / 1000; res.ackN = ack.n;
    const cpu = cpu1.total - cpu0.total;
    res.serverCpuS = cpu / 1e6;
    res.serverCpuPct = (100 * cpu) / 1e6 / elapsed;
    res.cpuUsPerDelivery = received ? cpu / received : NaN;
    res.userCpuUsPerDelivery = received ? (cpu1.user - cpu0.user) / received : NaN;
    if (perfH) res.taskClockUsPerDelivery = received ? taskClockUs / received : NaN;
    res.genCpuPct = (100 * genCpu) / 1e6 / elapsed;
    res.machineBusyPct = (100 * (mt1.busy - mt0.busy)) / (mt1.total - mt0.total);
    res.errors = errors;
    res.commit = commitStats(m0, m1);
    if (m0 && m1 && m1.atelier_events_total !== undefined) res.eventsPerS = (m1.atelier_events_total - m0.atelier_events_total) / elapsed;
    res.acksPerS = ack.n / sentWall;
  }
  const closing = waitAll(workers, 'closed', 30000).catch(() => {});
  workers.forEach((w) => w.send({ type: 'close' }));
  await closing;
  for (const w of workers) w.kill('SIGKILL');
  try { fac.ws.terminate(); } catch { /* gone */ }
  return res;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const o = {};
  const a = process.argv.slice(2);
  for (let i = 0; i < a.length; i += 2) {
    const k = a[i].replace(/^--/, '').replace(/-(\w)/g, (_, c) => c.toUpperCase());
    const v = a[i + 1];
    o[k] = v === 'true' ? true : v === 'false' ? false : Number.isNaN(Number(v)) ? v : Number(v);
  }
  runLoad({ ...o, log: (s) => process.stderr.write(`${s}\n`) })
    .then((r) => { process.stdout.write(`${JSON.stringify(r, null, 1)}\n`); process.exit(0); })
    .catch((e) => { process.stderr.write(`${e.stack}\n`); process.exit(1); });
}
