// session.js - what a client knows of one session, and how events change
// it.  Pure data, no DOM: the participant's page and the projector share it.
//
// state = {code, title, seq, participants, join_url, lang, closed, you, boards: [BOARD],
//          timer: TIMER|null, skew}
// timer is the server's Timer ({state, ends, left, seconds, label}); skew is
// the server's clock minus this device's (ms), learnt from the events' time.
// A board keeps the server's fields plus notes (creation order), words
// (largest count first) and, for a participant, votes_left / words_left.

export function newState(code) {
  return { code, title: '', seq: 0, participants: 0, join_url: null, lang: null, closed: null, you: null, boards: [], timer: null, focus: null, skew: 0, skewFresh: false };
}

// ---- the timer ----------------------------------------------------------------

/** The server's Timer object (or null), with only the fields we use. */
export function normTimer(t) {
  if (!t || typeof t !== 'object' || (t.state !== 'running' && t.state !== 'paused')) return null;
  return {
    state: t.state,
    ends: t.state === 'running' && typeof t.ends === 'number' ? t.ends : null,
    left: t.state === 'paused' && typeof t.left === 'number' ? Math.max(0, t.left) : null,
    seconds: typeof t.seconds === 'number' ? t.seconds : 0,
    label: typeof t.label === 'string' && t.label ? t.label : null,
  };
}

/**
 * A reading of the server's clock: serverTime (ms, an event's `time` or a
 * ping's) seen at localNow (Date.now()).  An event is received after it
 * happened, so serverTime - localNow is at most the true skew: keep the
 * largest reading since the connection was (re)made (clockReset), which
 * also ignores old events replayed after a resume.
 */
export function clockSample(state, serverTime, localNow) {
  if (typeof serverTime !== 'number' || typeof localNow !== 'number') return state.skew;
  const s = serverTime - localNow;
  state.skew = state.skewFresh ? Math.max(state.skew, s) : s;
  state.skewFresh = true;
  return state.skew;
}

/** A new connection: the next clock reading replaces the old skew instead of being compared with it. */
export function clockReset(state) {
  state.skewFresh = false;
}

/** Milliseconds left on the timer at localNow (never negative), or null when there is none. */
export function timerLeft(timer, skew, localNow) {
  if (!timer) return null;
  if (timer.state === 'paused') return Math.max(0, timer.left || 0);
  if (typeof timer.ends !== 'number') return 0;
  return Math.max(0, timer.ends - (localNow + (skew || 0)));
}

/** ms as "8:42" (or "1:05:00" from an hour up), whole seconds rounded up: 0 only when it is over. */
export function formatLeft(ms) {
  const total = Math.max(0, Math.ceil((ms || 0) / 1000));
  const hh = Math.floor(total / 3600);
  const mm = Math.floor((total % 3600) / 60);
  const ss = String(total % 60).padStart(2, '0');
  return hh ? `${hh}:${String(mm).padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}

export function findBoard(state, id) {
  return state.boards.find((b) => b.id === id) || null;
}

function isMine(state, n) {
  return !!(state.you && typeof state.you.id === 'number' && n.author === state.you.id);
}

function normNote(state, n, prev) {
  const o = { ...(prev || {}), ...n };
  o.mine = typeof n.mine === 'boolean' ? n.mine : isMine(state, n);
  o.my_votes = typeof n.my_votes === 'number' ? n.my_votes : (prev ? prev.my_votes || 0 : 0);
  o.votes = typeof o.votes === 'number' ? o.votes : 0;
  return o;
}

let wordOrder = 0;

function normWords(list) {
  return (Array.isArray(list) ? list : []).filter((w) => w && !w.hidden && !w.banned)
    .map((w) => ({ ...w, order: ++wordOrder }));
}

function sortWords(b) {
  b.words.sort((x, y) => (y.count - x.count) || (x.order - y.order));
}

/** A board from the server (snapshot, board.get, board.created), merged with what we knew. */
export function normBoard(state, b, prev) {
  const o = { ...(prev || {}), ...b };
  o.kind = b.kind || 'wall';
  o.locked = !!b.locked;
  if (typeof b.vote_limit !== 'number') o.vote_limit = prev ? prev.vote_limit : 0;
  if (typeof b.votes_left !== 'number') o.votes_left = prev && typeof prev.votes_left === 'number' ? prev.votes_left : o.vote_limit;
  if (typeof b.word_quota === 'number' && typeof b.words_left !== 'number') {
    o.words_left = prev && typeof prev.words_left === 'number' ? prev.words_left : b.word_quota;
  }
  o.notes = Array.isArray(b.notes) ? b.notes.filter((n) => !n.hidden).map((n) => normNote(state, n))
    : (prev ? prev.notes : []);
  o.words = Array.isArray(b.words) ? normWords(b.words) : (prev ? prev.words : []);
  o.hiddenVotes = prev ? prev.hiddenVotes : {};
  o.wordsKnown = Array.isArray(b.words) || !!(prev && prev.wordsKnown);
  return o;
}

/** A session snapshot (hello or session.join reply) replaces everything. */
export function applySnapshot(state, session, you) {
  state.code = session.code;
  state.title = session.title || '';
  state.seq = session.seq || 0;
  state.participants = session.participants || 0;
  state.join_url = session.join_url || null;
  state.lang = session.lang || null;
  state.closed = session.closed || null;
  state.you = you || state.you;
  state.timer = normTimer(session.timer);
  state.focus = typeof session.focus === 'number' ? session.focus : null;
  state.boards = (session.boards || []).map((b) => normBoard(state, b));
}

/** A board.get reply: the board as it is now. */
export function applyBoard(state, b) {
  const i = state.boards.findIndex((x) => x.id === b.id);
  const nb = normBoard(state, b, i >= 0 ? state.boards[i] : null);
  if (i >= 0) state.boards[i] = nb; else state.boards.push(nb);
  return nb;
}

function upsertNote(state, b, n) {
  const i = b.notes.findIndex((x) => x.id === n.id);
  if (i >= 0) {
    b.notes[i] = normNote(state, n, b.notes[i]);
    return b.notes[i];
  }
  const o = normNote(state, n);
  let j = b.notes.length;
  while (j > 0 && b.notes[j - 1].id > o.id) j--;   // ids grow with creation
  b.notes.splice(j, 0, o);
  return o;
}

function removeNote(b, id) {
  const i = b.notes.findIndex((x) => x.id === id);
  return i >= 0 ? b.notes.splice(i, 1)[0] : null;
}

function hideNote(b, id) {
  const n = removeNote(b, id);
  if (n && n.my_votes) b.hiddenVotes[id] = n.my_votes;
  return n;
}

function upsertWord(b, w) {
  if (!w || w.hidden || w.banned) return;
  const i = b.words.findIndex((x) => x.key === w.key);
  if (i >= 0) b.words[i] = { ...b.words[i], ...w };
  else b.words.push({ ...w, order: ++wordOrder });
  sortWords(b);
}

function removeWord(b, key) {
  const i = b.words.findIndex((x) => x.key === key);
  if (i >= 0) b.words.splice(i, 1);
}

/**
 * Apply one event.  Returns what changed: {what, board, note} where what
 * is 'session', 'closed', 'participants', 'board', 'lock', 'note-added', 'note',
 * 'words', 'timer' (with `change`: started, paused, resumed, stopped) or
 * 'refresh' (boards `ids` should be fetched again: an event this client
 * does not know); {resync: true} when a seq is missing; null when the event
 * was already applied.  localNow (Date.now() when the event arrived), if
 * given, with the event's `time`, corrects for this device's clock.
 */
export function applyEvent(state, ev, localNow) {
  if (typeof ev.seq === 'number') {
    // cloud.updated stands for the events first..seq
    const first = ev.ev === 'cloud.updated' && typeof ev.first === 'number' ? ev.first : ev.seq;
    if (ev.seq <= state.seq) return null;
    if (state.seq > 0 && first > state.seq + 1) return { resync: true };
    state.seq = ev.seq;
  }
  if (typeof localNow === 'number' && typeof ev.time === 'number') clockSample(state, ev.time, localNow);
  const bid = typeof ev.board === 'number' ? ev.board : null;
  const b = bid === null ? null : findBoard(state, bid);
  const res = { what: 'none', board: b };
  switch (ev.ev) {
    case 'session.created':
    case 'session.updated':
      if (typeof ev.title === 'string') state.title = ev.title;
      if (typeof ev.lang === 'string') state.lang = ev.lang;
      return { what: 'session' };
    case 'session.closed':
    case 'session.reopened':
      state.closed = ev.ev === 'session.closed' ? ev.time || Date.now() : null;
      return { what: 'closed' };
    case 'session.focused':   // the facilitator shows this board on every screen
      state.focus = typeof ev.board === 'number' ? ev.board : null;
      return { what: 'focus', board: findBoard(state, state.focus) };
    case 'session.anonymized':   // names were deleted: read the boards again
      return { what: 'refresh', ids: state.boards.map((x) => x.id) };
    case 'participant.joined':
      if (typeof ev.participants === 'number') state.participants = ev.participants;
      return { what: 'participants' };
    case 'board.created': {
      if (!ev.board || typeof ev.board !== 'object') return res;
      const nb = findBoard(state, ev.board.id) || normBoard(state, ev.board);
      if (!state.boards.includes(nb)) state.boards.push(nb);
      return { what: 'board', board: nb, created: true };
    }
    case 'cloud.updated': {   // several word.added at once: the entries after them
      let one = null;
      for (const u of Array.isArray(ev.boards) ? ev.boards : []) {
        const cb = findBoard(state, u.board);
        if (!cb || !Array.isArray(u.words)) continue;
        for (const w of u.words) upsertWord(cb, w);
        one = ev.boards.length === 1 ? cb : null;
      }
      return { what: 'words', board: one };
    }
    case 'word.banned':   // a banned word leaves every cloud of the session
      for (const cb of state.boards) if (cb.kind === 'cloud') removeWord(cb, ev.key);
      return { what: 'words', board: null };
    case 'word.unbanned':
      return { what: 'refresh', ids: state.boards.filter((cb) => cb.kind === 'cloud').map((cb) => cb.id) };
    case 'timer.started':
      state.timer = normTimer({ state: 'running', ends: ev.ends, seconds: ev.seconds, label: ev.label });
      return { what: 'timer', change: 'started' };
    case 'timer.paused':
      state.timer = normTimer({ ...(state.timer || {}), state: 'paused', left: ev.left });
      return { what: 'timer', change: 'paused' };
    case 'timer.resumed':
      state.timer = normTimer({ ...(state.timer || {}), state: 'running', ends: ev.ends });
      return { what: 'timer', change: 'resumed' };
    case 'timer.stopped':
      state.timer = null;
      return { what: 'timer', change: 'stopped' };
  }
  if (!b) return bid === null ? res : { what: 'refresh', ids: [bid] };
  switch (ev.ev) {
    case 'board.locked':
    case 'board.unlocked':
      b.locked = ev.ev === 'board.locked';
      return { what: 'lock', board: b };
    case 'note.added':
    case 'note.updated':
    case 'note.shown': {
      const n = ev.note;
      if (!n || typeof n.id !== 'number') return res;
      if (n.hidden) {
        hideNote(b, n.id);
        return { what: 'note', board: b };
      }
      const existed = b.notes.some((x) => x.id === n.id);
      const o = upsertNote(state, b, n);
      if (ev.ev === 'note.shown' && b.hiddenVotes[n.id]) {
        o.my_votes = b.hiddenVotes[n.id];
        delete b.hiddenVotes[n.id];
      }
      if (ev.cid !== undefined && o.mine) o.cid = ev.cid;
      return { what: ev.ev === 'note.added' && !existed ? 'note-added' : 'note', board: b, note: o };
    }
    case 'note.deleted': {
      const n = removeNote(b, ev.note);
      const back = (n ? n.my_votes || 0 : 0) + (b.hiddenVotes[ev.note] || 0);
      delete b.hiddenVotes[ev.note];
      if (back && typeof b.votes_left === 'number') b.votes_left += back;   // votes are given back
      return { what: 'note', board: b };
    }
    case 'note.voted':
    case 'note.unvoted': {
      const n = b.notes.find((x) => x.id === ev.note);
      if (n && typeof ev.votes === 'number') n.votes = ev.votes;
      return { what: 'note', board: b, note: n };
    }
    case 'note.hidden':
      hideNote(b, ev.note);
      return { what: 'note', board: b };
    case 'word.added':
    case 'word.shown':
      // word is null when the entry is hidden or banned: it must not show
      if (ev.word) upsertWord(b, ev.word);
      else if (typeof ev.key === 'string') removeWord(b, ev.key);
      return { what: 'words', board: b, word: ev.word };
    case 'word.hidden':
      removeWord(b, ev.key);
      return { what: 'words', board: b };
    case 'word.merged':
      removeWord(b, ev.from);
      if (ev.word) upsertWord(b, ev.word); else removeWord(b, ev.into);
      return { what: 'words', board: b };
    case 'board.reset':
      b.words = [];
      if (typeof b.word_quota === 'number') b.words_left = b.word_quota;
      return { what: 'words', board: b };
    case 'cluster.applied':
    case 'cluster.renamed':
    case 'cluster.moved':
    case 'cluster.merged':
    case 'cluster.split':
      // The groups changed: take them if the event has them all, and
      // read the board again for every note's group.
      if (Array.isArray(ev.clusters)) b.clusters = ev.clusters;
      return { what: 'refresh', board: b, ids: [b.id] };
    default:
      // Unknown to this client (a newer server): take the
      // clusters if the event carries them, and fetch the board again.
      if (Array.isArray(ev.clusters)) b.clusters = ev.clusters;
      return { what: 'refresh', board: b, ids: [b.id] };
  }
}

function labelOf(c, i) {
  if (c === null || c === undefined) return null;
  if (typeof c !== 'object') return String(c);
  const l = c.label ?? c.title ?? c.name;
  if (typeof l === 'string' && l) return l;
  return c.id !== undefined ? `#${c.id}` : `#${i + 1}`;
}

/**
 * The groups of a board once the facilitator has applied a clustering:
 * [{label, notes}] (label null: notes in no group, last), or null when the
 * board has none.  Reads note.cluster (a label, an id into board.clusters,
 * or {id?, label}) and board.clusters ([{label, notes: [ids]}]).
 */
export function groupNotes(b, notes = b.notes) {
  const byNote = new Map();
  const clusters = Array.isArray(b.clusters) ? b.clusters : [];
  const order = [];
  clusters.forEach((c, i) => {
    const label = labelOf(c, i);
    if (label !== null && !order.includes(label)) order.push(label);
    if (c && Array.isArray(c.notes)) for (const id of c.notes) byNote.set(id, label);
  });
  const labelFor = (n) => {
    const c = n.cluster;
    if (c === null || c === undefined || c === '') return byNote.has(n.id) ? byNote.get(n.id) : null;
    if (typeof c === 'object') return labelOf(c, 0);
    const f = clusters.find((x) => x && typeof x === 'object' && (x.id === c || x.key === c));
    return f ? labelOf(f, 0) : String(c);
  };
  const groups = new Map(order.map((l) => [l, []]));
  const other = [];
  let any = false;
  for (const n of notes) {
    const l = labelFor(n);
    if (l === null) { other.push(n); continue; }
    any = true;
    if (!groups.has(l)) groups.set(l, []);
    groups.get(l).push(n);
  }
  if (!any) return null;
  const out = [...groups].filter(([, ns]) => ns.length).map(([label, ns]) => ({ label, notes: ns }));
  if (other.length) out.push({ label: null, notes: other });
  return out;
}
