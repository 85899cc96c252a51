// outbox.js - what a participant asked for, kept in localStorage until the
// server has answered, so that nothing typed is lost: not on a dead
// connection, not on a server restart, not on a page reload.
//
// note.add and word.add carry a cid, so sending them again is harmless (the
// server answers the first result).  note.update and note.delete are
// harmless to repeat.  A vote is not: a vote that was sent on a connection
// that died before the answer is dropped, and the board is fetched again.
import { OP, ERR } from './protocol.js';
import { load, save } from './store.js';

const REPEATABLE = new Set([OP.noteAdd, OP.wordAdd, OP.noteUpdate, OP.noteDelete]);
const TRANSIENT = new Set([ERR.rateLimited, ERR.internal]);

/** A client id for a request: 16 random hex digits (also on plain http). */
export function newCid() {
  const a = new Uint8Array(8);
  crypto.getRandomValues(a);
  return Array.from(a, (x) => x.toString(16).padStart(2, '0')).join('');
}

export class Outbox {
  constructor(key) {
    this.key = key;
    const items = load(key, []);
    this.items = Array.isArray(items) ? items.filter((e) => e && e.op && e.fields) : [];
    this.pumping = false;
    this.again = false;
  }

  save() { save(this.key, this.items.length ? this.items : null); }

  /** Queue a request; note.add and word.add get a cid. Returns the entry. */
  add(op, fields) {
    const e = { cid: newCid(), op, fields: { ...fields }, sent: false, at: Date.now() };
    if (op === OP.noteAdd || op === OP.wordAdd) e.fields.cid = e.cid;
    this.items.push(e);
    this.save();
    return e;
  }

  remove(e) {
    const i = this.items.indexOf(e);
    if (i >= 0) this.items.splice(i, 1);
    this.save();
  }

  /**
   * On a new connection: take out the requests that cannot be repeated and
   * may have reached the server.  Returns them.
   */
  takeUnsure() {
    const lost = this.items.filter((e) => e.sent && !REPEATABLE.has(e.op));
    if (lost.length) {
      this.items = this.items.filter((e) => !lost.includes(e));
      this.save();
    }
    return lost;
  }

  /**
   * Send what waits, in order, one at a time, while conn is ready.
   * done(entry, reply) is called for each answer (ok or a final error).
   */
  async pump(conn, done) {
    if (this.pumping) { this.again = true; return; }
    this.pumping = true;
    try {
      do {
        this.again = false;
        for (const e of [...this.items]) {
          if (!conn.ready) return;
          if (!this.items.includes(e)) continue;
          if (e.sent && !REPEATABLE.has(e.op) && e.conn !== conn.gen) continue;
          e.sent = true;
          e.conn = conn.gen;
          this.save();
          let reply;
          try {
            reply = await conn.request(e.op, e.fields);
          } catch {
            return;   // offline: it goes on the next connection
          }
          if (!reply.ok && TRANSIENT.has(reply.error)) {
            e.sent = false;
            this.save();
            setTimeout(() => this.pump(conn, done), 1500);
            return;
          }
          this.remove(e);
          done(e, reply);
        }
      } while (this.again);
    } finally {
      this.pumping = false;
    }
  }
}
