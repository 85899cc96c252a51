// peer/server.mjs - a Node.js peer of atelierd for the load benchmark
// (docs/BENCHMARKS.md): npm `ws` 8 and `better-sqlite3` 12, implementing the
// subset of protocol v1 (proto/PROTOCOL.md) that the benchmark uses:
//
//   hello (facilitator with a token, participant with a code), ping,
//   session.create, board.create (wall, cloud), board.get, note.add,
//   word.add (with a plain merge key: NFKD, marks dropped, lower case, a
//   final "s" dropped; no stop words, no stemmer), GET /healthz.
//
// Every change is one INSERT into an `events` table like atelierd's (one
// transaction per change, no group commit), done before the event is
// broadcast and before the reply, as the protocol requires.  An event is
// serialised once and the same string is sent to every connection of the
// session (ws's plain socket writes; no queue limit).
//
// Usage: node peer/server.mjs --port N --db PATH [--sync full|normal|default]
// (full when not given; --sync default: better-sqlite3 as it comes, no
// pragma, so a rollback journal and FULL)
// Token: $ATELIER_TOKEN.  Prints "listening" when ready.

import http from 'node:http';
import crypto from 'node:crypto';
import { WebSocketServer } from 'ws';
import Database from 'better-sqlite3';

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => {
  if (a.startsWith('--')) acc.push([a.slice(2), all[i + 1]]);
  return acc;
}, []));
const PORT = Number(args.port || 8090);
const DB = args.db || 'peer.db';
const SYNC = (args.sync || 'full').toUpperCase();
const TOKEN = process.env.ATELIER_TOKEN || 'bench-token';
const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const FRAME_MAX = 65536;

const db = new Database(DB);
if (SYNC !== 'DEFAULT') {
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${SYNC === 'NORMAL' ? 'NORMAL' : 'FULL'}`);
}
db.exec(`CREATE TABLE IF NOT EXISTS events (
  id INTEGER PRIMARY KEY, session TEXT NOT NULL, seq INTEGER NOT NULL,
  time INTEGER NOT NULL, name TEXT NOT NULL, body TEXT NOT NULL,
  UNIQUE (session, seq))`);
const insert = db.prepare('INSERT INTO events (session, seq, time, name, body) VALUES (?, ?, ?, ?, ?)');

const sessions = new Map();   // code -> session
const boards = new Map();     // id -> board
let lastId = 0;

function newCode() {
  for (;;) {
    const b = crypto.randomBytes(6);
    let s = '';
    for (const x of b) s += ALPHABET[x % 32];
    if (!sessions.has(s)) return s;
  }
}

function wordKey(text) {
  let k = text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, ' ').replace(/\s+/g, ' ').trim();
  if (k.length > 3 && k.endsWith('s')) k = k.slice(0, -1);
  return k;
}

// Commit an event (one INSERT, one transaction), then send it to the session.
function emit(s, name, fields) {
  const ev = { ...fields, ev: name, seq: s.seq + 1, session: s.code, time: Date.now() };
  const body = JSON.stringify(ev);
  insert.run(s.code, ev.seq, ev.time, name, body);
  s.seq = ev.seq;
  for (const c of s.subs) if (c.readyState === 1) c.send(body);
  return ev;
}

function noteJson(n, pid) {
  const o = { ...n };
  if (pid !== undefined) { o.mine = n.author === pid; o.my_votes = 0; }
  return o;
}

function boardJson(b, withNotes, pid) {
  const o = { id: b.id, session: b.session.code, kind: b.kind, title: b.title, prompt: b.prompt,
    locked: false, vote_limit: b.vote_limit };
  if (pid !== undefined) o.votes_left = b.vote_limit;
  if (b.kind === 'cloud') {
    o.word_quota = b.word_quota;
    if (pid !== undefined) o.words_left = b.word_quota - (b.used.get(pid) || 0);
    if (withNotes) o.words = [...b.words.values()].sort((x, y) => y.count - x.count || x.order - y.order).map(entryJson);
  }
  if (withNotes) o.notes = b.notes.map((n) => noteJson(n, pid));
  return o;
}

function entryJson(e) {
  let text = null; let best = 0;
  for (const [t, n] of e.forms) if (n > best) { best = n; text = t; }
  return { key: e.key, text, count: e.count, hidden: false };
}

function sessionJson(s, pid) {
  return { code: s.code, title: s.title, lang: s.lang, description: null, retrospective: null,
    created: s.created, closed: null, archived: null, retention_days: null, anonymized: null,
    seq: s.seq, join_url: `http://127.0.0.1:${PORT}/j/${s.code}`, participants: s.participants,
    boards: s.boards.map((b) => boardJson(b, true, pid)) };
}

function fail(ws, rid, error, message) {
  ws.send(JSON.stringify({ re: rid, ok: false, error, message }));
}

function text(v, max) {
  if (typeof v !== 'string') return null;
  const t = v.trim();
  const n = [...t].length;
  return n >= 1 && n <= max ? t : null;
}

const handlers = {
  hello(ws, req) {
    if (ws.role) return fail(ws, req.rid, 'unauthorized', 'hello was already sent');
    if (req.role === 'facilitator') {
      if (req.token !== TOKEN) return fail(ws, req.rid, 'unauthorized', 'wrong facilitator token');
      ws.role = 'facilitator'; ws.pid = 0;
      return ws.send(JSON.stringify({ re: req.rid, ok: true, you: { id: 0, role: 'facilitator', name: 'facilitator' },
        resume: null, protocol: 'atelier.v1' }));
    }
    if (req.role !== 'participant' || typeof req.code !== 'string') return fail(ws, req.rid, 'bad_request', 'role');
    const s = sessions.get(req.code.toUpperCase().replace(/[ -]/g, ''));
    if (!s) return fail(ws, req.rid, 'not_found', `no session ${req.code}`);
    const pid = ++lastId;
    const name = typeof req.name === 'string' ? req.name.trim().slice(0, 60) || null : null;
    const secret = crypto.randomBytes(16).toString('hex');
    s.participants++;
    ws.role = 'participant'; ws.pid = pid; ws.session = s;
    emit(s, 'participant.joined', { participant: { id: pid, name }, participants: s.participants, resume: secret });
    s.subs.add(ws);
    ws.send(JSON.stringify({ re: req.rid, ok: true, you: { id: pid, role: 'participant', name }, resume: secret,
      protocol: 'atelier.v1', session: sessionJson(s, pid) }));
  },
  ping(ws, req) { ws.send(JSON.stringify({ re: req.rid, ok: true, time: Date.now() })); },
  'session.create'(ws, req) {
    if (ws.role !== 'facilitator') return fail(ws, req.rid, 'forbidden', 'facilitator only');
    const title = text(req.title, 200);
    if (!title) return fail(ws, req.rid, 'bad_request', 'title');
    const s = { code: newCode(), title, lang: req.lang || 'fr', created: Date.now(), seq: 0, participants: 0,
      boards: [], subs: new Set() };
    sessions.set(s.code, s);
    s.subs.add(ws);
    emit(s, 'session.created', { title, created: s.created });
    ws.send(JSON.stringify({ re: req.rid, ok: true, session: sessionJson(s) }));
  },
  'board.create'(ws, req) {
    if (ws.role !== 'facilitator') return fail(ws, req.rid, 'forbidden', 'facilitator only');
    const s = sessions.get(req.session);
    if (!s) return fail(ws, req.rid, 'not_found', `no session ${req.session}`);
    const title = text(req.title, 200);
    if (!title || (req.kind !== 'wall' && req.kind !== 'cloud')) return fail(ws, req.rid, 'bad_request', 'kind or title');
    const b = { id: ++lastId, session: s, kind: req.kind, title, prompt: req.prompt || null,
      vote_limit: req.vote_limit ?? 5, word_quota: req.word_quota ?? 3, notes: [], words: new Map(),
      used: new Map(), order: 0 };
    boards.set(b.id, b);
    s.boards.push(b);
    emit(s, 'board.created', { board: boardJson(b, false) });
    ws.send(JSON.stringify({ re: req.rid, ok: true, board: boardJson(b, false) }));
  },
  'board.get'(ws, req) {
    const b = boards.get(req.board);
    if (!b || (ws.role === 'participant' && b.session !== ws.session)) return fail(ws, req.rid, 'not_found', `no board ${req.board}`);
    ws.send(JSON.stringify({ re: req.rid, ok: true, board: boardJson(b, true, ws.role === 'participant' ? ws.pid : undefined) }));
  },
  'note.add'(ws, req) {
    const b = boards.get(req.board);
    if (!b || (ws.role === 'participant' && b.session !== ws.session)) return fail(ws, req.rid, 'not_found', `no board ${req.board}`);
    const t = text(req.text, 500);
    if (!t) return fail(ws, req.rid, 'bad_request', 'text');
    const n = { id: ++lastId, board: b.id, author: ws.pid, author_name: null, text: t,
      color: req.color || 'yellow', x: req.x ?? 0, y: req.y ?? 0, votes: 0, hidden: false, created: Date.now() };
    b.notes.push(n);
    emit(b.session, 'note.added', { board: b.id, note: n });
    ws.send(JSON.stringify({ re: req.rid, ok: true, note: noteJson(n, ws.pid) }));
  },
  'word.add'(ws, req) {
    const b = boards.get(req.board);
    if (!b || (ws.role === 'participant' && b.session !== ws.session)) return fail(ws, req.rid, 'not_found', `no board ${req.board}`);
    if (b.kind !== 'cloud') return fail(ws, req.rid, 'bad_request', 'not a cloud');
    const used = b.used.get(ws.pid) || 0;
    if (ws.role === 'participant' && used >= b.word_quota) return fail(ws, req.rid, 'quota', 'no words left');
    const t = text(req.text, 40);
    const key = t && wordKey(t);
    if (!key) return fail(ws, req.rid, 'bad_request', 'text');
    let e = b.words.get(key);
    if (!e) { e = { key, count: 0, forms: new Map(), order: b.order++ }; b.words.set(key, e); }
    e.count++;
    e.forms.set(t, (e.forms.get(t) || 0) + 1);
    b.used.set(ws.pid, used + 1);
    const word = entryJson(e);
    emit(b.session, 'word.added', { board: b.id, key, form: t, by: ws.pid, word });
    ws.send(JSON.stringify({ re: req.rid, ok: true, word, words_left: b.word_quota - used - 1 }));
  },
};

const server = http.createServer((req, res) => {
  if (req.url === '/healthz') { res.writeHead(200, { 'content-type': 'text/plain' }); res.end('ok'); return; }
  res.writeHead(404); res.end();
});
const wss = new WebSocketServer({ server, path: '/ws', perMessageDeflate: false, maxPayload: FRAME_MAX,
  handleProtocols: (protocols) => (protocols.has('atelier.v1') ? 'atelier.v1' : false) });

wss.on('connection', (ws) => {
  ws.on('message', (data, isBinary) => {
    if (isBinary) return fail(ws, null, 'bad_request', 'binary frames are not accepted');
    let req;
    try { req = JSON.parse(data.toString()); } catch { return fail(ws, null, 'bad_request', 'malformed JSON'); }
    if (req === null || typeof req !== 'object' || !Number.isInteger(req.rid)) return fail(ws, null, 'bad_request', 'rid');
    const h = handlers[req.op];
    if (!h) return fail(ws, req.rid, 'unknown_op', `unknown op '${req.op}'`);
    if (req.op !== 'hello' && req.op !== 'ping' && !ws.role) return fail(ws, req.rid, 'unauthorized', 'send hello first');
    h(ws, req);
  });
  ws.on('close', () => { if (ws.session) ws.session.subs.delete(ws); });
  ws.on('error', () => {});
});

server.listen(PORT, '0.0.0.0', () => process.stdout.write(`peer: listening on port ${PORT} (synchronous=${SYNC})\n`));
const stop = () => { server.close(); for (const c of wss.clients) c.terminate(); db.close(); process.exit(0); };
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
