// conn.js - one WebSocket to atelierd that keeps itself alive.
//
// Reconnects with exponential backoff and jitter, says hello again each
// time (the caller decides what hello says: a resume secret and the last
// seq seen), pings to find dead connections, and reports a status:
// connecting, online, reconnecting or offline.  Events that arrive before
// the hello reply are held until the caller has taken that reply.
import { PROTOCOL, OP } from './protocol.js';

const PING_EVERY = 10000;     // ms between pings while online
const REQUEST_TIMEOUT = 8000; // a reply later than this: the connection is dead
const OPEN_TIMEOUT = 8000;    // WebSocket handshake
const BACKOFF_BASE = 500;
const BACKOFF_MAX = 15000;
const OFFLINE_AFTER = 3;      // failed attempts in a row before saying "offline"

export function wsURL() {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
}

export class Connection {
  /**
   * hello(): the fields of the hello request (without op and rid).
   * onReady(reply): hello succeeded.  onEvent(ev): an event, in order.
   * onHelloError(reply): hello failed; return 'retry' to say hello again
   * at once, 'later' to retry after the backoff, anything else to stop.  onStatus(status): the status changed.
   */
  constructor({ url = wsURL(), hello, onReady, onEvent, onHelloError, onStatus }) {
    Object.assign(this, { url, hello, onReady, onEvent, onHelloError, onStatus });
    this.status = 'connecting';
    this.ready = false;
    this.attempts = 0;     // failed attempts since the last success
    this.gen = 0;          // which WebSocket is current
    this.ws = null;
    this.stopped = false;
    this.timers = {};
  }

  start() {
    addEventListener('online', () => this.kick());
    addEventListener('offline', () => { if (!this.stopped) this.drop('offline'); });
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') this.kick();
    });
    this.open();
  }

  /** Stop for good (no more reconnects). */
  stop() {
    this.stopped = true;
    this.drop();
    clearTimeout(this.timers.retry);
  }

  /** Reconnect now, or check a live connection with a ping. */
  kick() {
    if (this.stopped) return;
    if (this.ready) { this.ping(); return; }
    if (this.ws && this.ws.readyState === WebSocket.CONNECTING) return;
    this.attempts = 0;
    clearTimeout(this.timers.retry);
    this.open();
  }

  /** Close this connection and start a new one at once (a fresh hello). */
  restart() {
    this.drop();
    this.attempts = 0;
    clearTimeout(this.timers.retry);
    if (!this.stopped) this.open();
  }

  setStatus(s) {
    if (this.status === s) return;
    this.status = s;
    if (this.onStatus) this.onStatus(s);
  }

  open() {
    if (this.stopped) return;
    const gen = ++this.gen;
    this.ready = false;
    this.rid = 0;
    this.pending = new Map();
    this.early = [];
    let ws;
    try {
      ws = new WebSocket(this.url, PROTOCOL);
    } catch {
      this.closed(gen);
      return;
    }
    this.ws = ws;
    this.timers.open = setTimeout(() => this.drop(), OPEN_TIMEOUT);
    ws.onopen = () => {
      clearTimeout(this.timers.open);
      this.sayHello(gen);
    };
    ws.onmessage = (m) => this.message(m.data);
    ws.onclose = ws.onerror = () => { if (gen === this.gen) this.drop(); };
  }

  async sayHello(gen) {
    let reply;
    try {
      reply = await this.send(OP.hello, await this.hello());
    } catch {
      return;   // the connection died; closed() retries
    }
    if (gen !== this.gen) return;
    if (!reply.ok) {
      const what = this.onHelloError ? this.onHelloError(reply) : 'stop';
      if (what === 'retry') this.restart();
      else if (what === 'later') this.drop();
      else this.stop();
      return;
    }
    this.ready = true;
    this.attempts = 0;
    this.setStatus('online');
    this.onReady(reply);
    const early = this.early;
    this.early = [];
    for (const ev of early) if (gen === this.gen) this.onEvent(ev);
    clearInterval(this.timers.ping);
    this.timers.ping = setInterval(() => this.ping(), PING_EVERY);
  }

  ping() {
    if (this.ready) this.request(OP.ping).catch(() => {});
  }

  message(data) {
    let f;
    try { f = JSON.parse(data); } catch { return; }
    if (!f || typeof f !== 'object') return;
    if (typeof f.ev === 'string') {
      if (this.ready) this.onEvent(f);
      else this.early.push(f);
    } else if (typeof f.re === 'number') {
      const p = this.pending.get(f.re);
      if (p) { this.pending.delete(f.re); p.resolve(f); }
    }
  }

  /** Send a request on the current connection; resolves with the reply (ok or not). */
  send(op, fields = {}) {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return Promise.reject(new Error('offline'));
    const rid = ++this.rid;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(rid);
        reject(new Error('timeout'));
        this.drop();   // no answer: the connection is dead
      }, REQUEST_TIMEOUT);
      this.pending.set(rid, {
        resolve: (f) => { clearTimeout(timer); resolve(f); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      });
      try {
        ws.send(JSON.stringify({ op, rid, ...fields }));
      } catch {
        this.drop();
      }
    });
  }

  /** Like send, once hello has succeeded. */
  request(op, fields) {
    if (!this.ready) return Promise.reject(new Error('offline'));
    return this.send(op, fields);
  }

  /** Forget the current WebSocket and schedule the next attempt. */
  drop(why) {
    const ws = this.ws;
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
      try { ws.close(); } catch { /* already closed */ }
    }
    this.closed(this.gen, why);
  }

  closed(gen, why) {
    if (gen !== this.gen) return;
    this.gen++;         // late callbacks of the old WebSocket are ignored
    this.ws = null;
    this.ready = false;
    clearTimeout(this.timers.open);
    clearInterval(this.timers.ping);
    const pending = this.pending || new Map();
    this.pending = new Map();
    for (const p of pending.values()) p.reject(new Error('offline'));
    if (this.stopped) return;
    this.attempts++;
    const offline = why === 'offline' || navigator.onLine === false || this.attempts > OFFLINE_AFTER;
    this.setStatus(offline ? 'offline' : 'reconnecting');
    const d = Math.min(BACKOFF_MAX, BACKOFF_BASE * 2 ** Math.min(this.attempts - 1, 10));
    clearTimeout(this.timers.retry);
    this.timers.retry = setTimeout(() => this.open(), d / 2 + Math.random() * d / 2);
  }
}
