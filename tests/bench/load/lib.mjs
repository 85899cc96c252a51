// lib.mjs - shared by the load generator's coordinator (gen.mjs), its
// workers (worker.mjs) and the scenario runner (bench.mjs): a latency
// histogram, a monotonic clock shared by every process of the machine, and
// readers of /proc for a server's CPU time, memory and open files.

import fs from 'node:fs';
import net from 'node:net';
import { execFileSync } from 'node:child_process';

/** Microseconds on CLOCK_MONOTONIC: comparable between processes. */
export function nowUs() {
  const [s, ns] = process.hrtime();
  return s * 1e6 + ns / 1e3;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Resolve p, or reject after ms with a message naming what. */
export function withTimeout(p, ms, what) {
  let t;
  return Promise.race([p, new Promise((_, rej) => { t = setTimeout(() => rej(new Error(`timeout after ${ms} ms: ${what}`)), ms); })])
    .finally(() => clearTimeout(t));
}

// Log-bucketed histogram of microseconds: 1% wide buckets from 1 us to
// about 100 s, exact count, sum and max.
const K = 1 / Math.log(1.01);
const NB = 1900;

export class Hist {
  constructor(b) {
    this.b = b ? Float64Array.from(b.b) : new Float64Array(NB);
    this.n = b ? b.n : 0;
    this.sum = b ? b.sum : 0;
    this.max = b ? b.max : 0;
  }

  add(us) {
    if (!(us >= 1)) us = 1;
    let i = Math.floor(Math.log(us) * K);
    if (i >= NB) i = NB - 1;
    this.b[i]++;
    this.n++;
    this.sum += us;
    if (us > this.max) this.max = us;
  }

  merge(o) {
    for (let i = 0; i < NB; i++) this.b[i] += o.b[i];
    this.n += o.n;
    this.sum += o.sum;
    if (o.max > this.max) this.max = o.max;
    return this;
  }

  /** The q-quantile in microseconds (upper edge of its bucket, at most max). */
  q(q) {
    if (this.n === 0) return NaN;
    const want = Math.ceil(q * this.n);
    let acc = 0;
    for (let i = 0; i < NB; i++) {
      acc += this.b[i];
      if (acc >= want) return Math.min(Math.exp((i + 1) / K), this.max);
    }
    return this.max;
  }

  toJSON() { return { b: Array.from(this.b), n: this.n, sum: this.sum, max: this.max }; }
}

let clkTck = 0;
/**
 * CPU time of process pid (all its threads) in microseconds, from one read
 * of /proc/PID/stat: total is utime + stime, user is utime alone (what a
 * server does above the kernel; counted in clock ticks, so a few percent
 * coarse over a run).
 */
export function cpuTimesUs(pid) {
  if (!clkTck) {
    try { clkTck = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100; } catch { clkTck = 100; }
  }
  const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
  const user = Number(f[11]) * 1e6 / clkTck;   // field 14
  return { total: user + Number(f[12]) * 1e6 / clkTck, user };   // + field 15
}

/** Resident memory of process pid in KiB (VmRSS). */
export function rssKiB(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

/** Open file descriptors of process pid. */
export function fdCount(pid) {
  return fs.readdirSync(`/proc/${pid}/fd`).length;
}

/** Busy and total jiffies of the whole machine (/proc/stat). */
export function machineTicks() {
  const l = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = l[3] + l[4];
  const total = l.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/** GET http://127.0.0.1:port/path over a bare socket: resolves the body. */
export function httpGet(port, path, timeoutMs = 3000) {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: '127.0.0.1', port });
    const chunks = [];
    const timer = setTimeout(() => { sock.destroy(); reject(new Error(`GET ${path}: timeout`)); }, timeoutMs);
    sock.on('connect', () => sock.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`));
    sock.on('data', (d) => chunks.push(d));
    sock.on('error', (e) => { clearTimeout(timer); reject(e); });
    sock.on('close', () => {
      clearTimeout(timer);
      const all = Buffer.concat(chunks).toString('utf8');
      const i = all.indexOf('\r\n\r\n');
      const status = Number((/^HTTP\/1\.[01] (\d+)/.exec(all) || [])[1] || 0);
      let body = i >= 0 ? all.slice(i + 4) : '';
      if (/transfer-encoding:\s*chunked/i.test(all.slice(0, i))) {
        let out = ''; let p = 0;
        for (;;) {
          const le = body.indexOf('\r\n', p);
          if (le < 0) break;
          const n = parseInt(body.slice(p, le), 16);
          if (!(n > 0)) break;
          out += body.slice(le + 2, le + 2 + n);
          p = le + 2 + n + 2;
        }
        body = out;
      }
      resolve({ status, body });
    });
  });
}

/** Parse Prometheus text: name{labels} -> number. */
export function parseMetrics(text) {
  const out = {};
  for (const line of text.split('\n')) {
    if (!line || line[0] === '#') continue;
    const i = line.lastIndexOf(' ');
    out[line.slice(0, i)] = Number(line.slice(i + 1));
  }
  return out;
}

/** The four source addresses the generator spreads its connections over. */
export const SOURCE_ADDRS = ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5'];
