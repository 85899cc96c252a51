// app.js - the participant's page: / asks for the code, /j/CODE joins the
// session.  Shows the boards (post-it walls, word clouds), keeps what the
// person typed until the server has it (outbox.js), follows the session
// through reconnections (conn.js, session.js).
import { OP, ERR, COLORS, LIMITS, normalizeCode } from './protocol.js';
import { Connection } from './conn.js';
import { Outbox } from './outbox.js';
import { newState, applySnapshot, applyEvent, applyBoard, findBoard, groupNotes, clockSample, clockReset } from './session.js';
import { t, detect, setLang, onLang, langPicker } from './i18n.js';
import { h, setText, reconcile, announcer } from './dom.js';
import { load, save } from './store.js';
import { CloudView } from './cloud.js';
import { statusView } from './status.js';
import { TimerView } from './timer.js';

const main = document.getElementById('main');
const announce = announcer(document.getElementById('announce'));
const identityKey = (code) => `atelier.p.${code}`;
const draftKey = (code, board) => `atelier.d.${code}.${board}`;

let view = null;         // 'code', 'name', 'unknown' or 'session'
let S = null;            // the session: {code, state, conn, outbox, identity, ui...}

function pageTitle() {
  return S && S.state.title ? `${S.state.title} · ${t('title')}` : t('title');
}

function route() {
  const m = /^\/j\/([^/]*)\/?$/.exec(location.pathname);
  if (!m) { showCode(); return; }
  let code = null;
  try { code = normalizeCode(decodeURIComponent(m[1])); } catch { /* bad escape */ }
  if (!code) { showCode(m[1], 'codeBad'); return; }
  const id = load(identityKey(code));
  if (id && id.resume) startSession(code, null);
  else showName(code);
}

function go(path) {
  history.pushState(null, '', path);
  route();
}

/** Replace the page's content; focus its heading so screen readers say where they are. */
function screen(name, ...nodes) {
  view = name;
  main.replaceChildren(...nodes);
  const h1 = main.querySelector('h1');
  if (h1) { h1.tabIndex = -1; h1.focus({ preventScroll: true }); }
}

function render(langChanged) {
  if (view === 'code') showCode(main.querySelector('#code')?.value);
  else if (view === 'name') showName(S ? S.code : main.dataset.code);
  else if (view === 'unknown') showUnknown(main.dataset.code);
  else if (view === 'session') renderSession(langChanged);
}

// ---- the code -----------------------------------------------------------

function showCode(value = '', err = null) {
  if (S) stopSession();
  const input = h('input', {
    id: 'code', name: 'code', class: 'code-input', type: 'text', autocomplete: 'off',
    autocapitalize: 'characters', spellcheck: 'false', maxlength: 16,
    'aria-describedby': 'code-help code-err', 'aria-invalid': err ? 'true' : null,
  });
  input.value = value;
  const msg = h('p', { id: 'code-err', class: 'error', role: 'alert' }, err ? t(err) : '');
  const form = h('form', { class: 'card stack', novalidate: true },
    h('label', { for: 'code', class: 'big-label' }, t('codeLabel')),
    h('p', { id: 'code-help', class: 'help' }, t('codeHelp')),
    input, msg,
    h('button', { type: 'submit', class: 'primary' }, t('enter')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const code = normalizeCode(input.value);
    if (!code) {
      setText(msg, t('codeBad'));
      input.setAttribute('aria-invalid', 'true');
      input.focus();
      return;
    }
    go(`/j/${code}`);
  });
  document.title = t('title');
  screen('code', h('h1', {}, t('joinTitle')), form);
  if (!err) input.focus();
}

function showUnknown(code) {
  if (S) stopSession();
  main.dataset.code = code;
  const a = h('a', { href: '/', class: 'button secondary' }, t('otherCode'));
  a.addEventListener('click', (e) => { e.preventDefault(); go('/'); });
  screen('unknown', h('h1', {}, t('joinTitle')),
    h('p', { class: 'error', role: 'alert' }, t('codeUnknown')),
    h('p', { class: 'code-shown' }, spaced(code)), a);
}

const spaced = (code) => `${code.slice(0, 3)} ${code.slice(3)}`;

// ---- the name -----------------------------------------------------------

function showName(code) {
  main.dataset.code = code;
  const input = h('input', {
    id: 'name', name: 'name', type: 'text', autocomplete: 'given-name',
    maxlength: LIMITS.name, 'aria-describedby': 'name-help',
  });
  input.value = load('atelier.name', '') || '';
  const anon = h('button', { type: 'button', class: 'secondary' }, t('joinAnon'));
  const form = h('form', { class: 'card stack' },
    h('label', { for: 'name', class: 'big-label' }, t('nameLabel')),
    h('p', { id: 'name-help', class: 'help' }, t('nameHelp')),
    input,
    h('button', { type: 'submit', class: 'primary' }, t('joinWithName')),
    anon);
  const join = (name) => {
    name = (name || '').trim().slice(0, LIMITS.name);
    save('atelier.name', name || null);
    startSession(code, { name: name || null });
  };
  form.addEventListener('submit', (e) => { e.preventDefault(); join(input.value); });
  anon.addEventListener('click', () => join(null));
  document.title = t('title');
  screen('name', h('h1', {}, t('welcome')),
    h('p', { class: 'lead' }, t('welcomeText', { code: spaced(code) })), form);
}

// ---- the session: connection and state -----------------------------------

function stopSession() {
  if (!S) return;
  S.conn.stop();
  S.timer.update({ timer: null });
  persistNow();
  status.set(null);
  S = null;
}

/** join: {name} to join for the first time; null to resume a stored identity. */
function startSession(code, join) {
  if (S) stopSession();
  const stored = load(identityKey(code)) || {};
  const state = newState(code);
  if (!join && stored.state && typeof stored.state.seq === 'number') Object.assign(state, stored.state);
  S = {
    code, state, board: null, editing: null, confirming: null, ui: null, cloud: null,
    identity: { resume: join ? null : stored.resume || null, name: join ? join.name : stored.name ?? null },
    outbox: new Outbox(`atelier.q.${code}`),
    refreshing: new Set(),
    timer: new TimerView({ announce }),
  };
  const s = S;
  s.conn = new Connection({
    hello: () => {
      if (!s.identity.resume) return { role: 'participant', code, name: s.identity.name };
      const f = { role: 'participant', resume: s.identity.resume };
      if (s.state.seq > 0) f.since = s.state.seq;
      return f;
    },
    onReady: (r) => ready(s, r),
    onEvent: (ev) => event(s, ev),
    onHelloError: (r) => {
      if (r.error === ERR.notFound && s.identity.resume) {
        // The server forgot us (a new database): join again with the code.
        s.identity.resume = null;
        s.state = newState(code);
        return 'retry';
      }
      if (r.error === ERR.notFound) { save(identityKey(code), null); showUnknown(code); return 'stop'; }
      return r.error === ERR.rateLimited || r.error === ERR.internal ? 'later' : 'stop';
    },
    onStatus: () => updateStatus(),
  });
  renderSession(true);
  updateStatus();
  s.conn.start();
}

function ready(s, r) {
  if (s !== S) return;
  s.identity.resume = r.resume;
  s.state.you = r.you;
  clockReset(s.state);
  if (r.session) applySnapshot(s.state, r.session, r.you);
  syncClock(s);
  persistNow();
  const lost = s.outbox.takeUnsure();
  for (const b of new Set(lost.map((e) => e.fields.board))) refreshBoard(s, b);
  renderSession();
  pump(s);
}

/** Read the server's clock (a ping's time) so the countdown is right on a phone whose clock is off. */
function syncClock(s) {
  const t0 = Date.now();
  s.conn.request(OP.ping).then((r) => {
    const t1 = Date.now();
    if (s !== S || !r.ok || typeof r.time !== 'number') return;
    clockSample(s.state, r.time, (t0 + t1) / 2);
    s.timer.update(s.state);
  }, () => {});
}

function event(s, ev) {
  if (s !== S) return;
  const r = applyEvent(s.state, ev, Date.now());
  if (!r) return;
  if (r.resync) {
    // A hole in the events: start again from a fresh snapshot.
    s.state.seq = 0;
    s.conn.restart();
    return;
  }
  if (r.what === 'refresh') for (const id of r.ids) refreshBoard(s, id);
  if (r.what === 'note-added' && !r.note.mine && r.board && r.board.id === s.board) {
    announce(t('newNote', { text: r.note.text }));
  }
  if (r.what === 'closed') announce(t(s.state.closed ? 'sessionClosed' : 'sessionReopened'));
  if (r.what === 'lock' && r.board) {
    announce(t(r.board.locked ? 'boardLockedNow' : 'boardOpenNow', { title: r.board.title }));
  }
  if (r.what === 'board' && r.created) {
    announce(t('newBoard', { title: r.board.title }));
    if (!isTyping()) s.board = r.board.id;   // follow the facilitator to the new board
  }
  if (r.what === 'focus' && r.board && r.board.id !== s.board && !isTyping()) {
    s.board = r.board.id;   // the facilitator brings everyone to this board
    announce(t('focusBoard', { title: r.board.title }));
  }
  if (r.what === 'timer') s.timer.update(s.state, r.change);
  persistSoon();
  renderSession();
}

function refreshBoard(s, id) {
  if (s.refreshing.has(id)) return;
  s.refreshing.add(id);
  s.conn.request(OP.boardGet, { board: id }).then((r) => {
    s.refreshing.delete(id);
    if (s !== S || !r.ok || !r.board) return;
    applyBoard(s.state, r.board);
    persistSoon();
    renderSession();
  }, () => s.refreshing.delete(id));
}

function pump(s) {
  s.outbox.pump(s.conn, (e, r) => answered(s, e, r));
}

/** Queue a request and send it now if we can. */
function submit(op, fields) {
  const s = S;
  const e = s.outbox.add(op, fields);
  if (!s.conn.ready) say(t('queued'), false);
  renderSession();
  pump(s);
  return e;
}

/** The server answered a queued request. */
function answered(s, e, r) {
  if (s !== S) return;
  const b = findBoard(s.state, e.fields.board);
  if (r.ok) {
    switch (e.op) {
      case OP.noteAdd:
        if (b && r.note && !r.note.deleted) {
          const n = b.notes.find((x) => x.id === r.note.id);
          if (n) Object.assign(n, { mine: true, my_votes: r.note.my_votes ?? n.my_votes, cid: e.cid });
          announce(t('noteAdded'));
        }
        break;
      case OP.noteVote:
      case OP.noteUnvote:
        if (b) {
          const n = b.notes.find((x) => x.id === e.fields.note);
          if (n) {
            n.my_votes = Math.max(0, (n.my_votes || 0) + (e.op === OP.noteVote ? 1 : -1));
            if (typeof r.votes === 'number') n.votes = r.votes;
          }
          if (typeof r.votes_left === 'number') b.votes_left = r.votes_left;
        }
        break;
      case OP.wordAdd:
        if (b && typeof r.words_left === 'number') b.words_left = r.words_left;
        announce(t('wordSent'));
        break;
      default:
        break;
    }
  } else {
    failed(s, e, r, b);
  }
  persistSoon();
  renderSession();
}

function failed(s, e, r, b) {
  const text = e.fields.text;
  let msg = t('errGeneric');
  if (r.error === ERR.locked) msg = t('errLocked');
  else if (r.error === ERR.closed) msg = t('errClosed');
  else if (r.error === ERR.quota) { msg = t('errQuota'); if (b) b.words_left = 0; }
  else if (e.op === OP.noteVote && r.error === ERR.forbidden) msg = t('errNoVotes');
  else if (r.error === ERR.notFound || r.error === ERR.forbidden) msg = t('errGone');
  else if (e.op === OP.wordAdd && r.error === ERR.badRequest) msg = t('errWordEmpty');
  if (e.op === OP.noteDelete && r.error === ERR.notFound) return;   // already gone
  if (text && (e.op === OP.noteAdd || e.op === OP.wordAdd)) {
    msg = `${msg} ${t('errNotSent', { text })}`;
    restoreDraft(e);
  }
  say(msg, true);
  if (b) refreshBoard(s, b.id);
}

/** Put text that could not be sent back where it was typed, if that is empty. */
function restoreDraft(e) {
  if (!S || S.board !== e.fields.board || !S.ui) return;
  const field = e.op === OP.noteAdd ? S.ui.noteText : S.ui.wordText;
  if (field && !field.value) {
    field.value = e.fields.text;
    if (e.op === OP.noteAdd) save(draftKey(S.code, e.fields.board), e.fields.text);
  }
}

let persistTimer = null;
function persistSoon() {
  clearTimeout(persistTimer);
  persistTimer = setTimeout(persistNow, 400);
}

function persistNow() {
  clearTimeout(persistTimer);
  if (!S || !S.identity.resume) return;
  save(identityKey(S.code), { resume: S.identity.resume, name: S.identity.name, state: S.state });
}
addEventListener('pagehide', persistNow);

function isTyping() {
  if (!S || !S.ui) return false;
  return !!(S.editing || (S.ui.noteText && S.ui.noteText.value) || (S.ui.wordText && S.ui.wordText.value));
}

// ---- messages and status ---------------------------------------------------

let sayTimer = null;
function say(text, isError) {
  if (!S || !S.ui) return;
  const m = S.ui.message;
  m.className = isError ? 'message error' : 'message';
  setText(m, text);
  clearTimeout(sayTimer);
  sayTimer = setTimeout(() => setText(m, ''), 8000);
}

function updateStatus() {
  if (!S) { status.set(null); return; }
  status.set(S.conn.status, S.outbox.items.length);
}

// ---- the session: rendering ----------------------------------------------------

/** The board shown: the one chosen, else the one the facilitator shows, else the newest open one. */
function currentBoard() {
  const bs = S.state.boards;
  if (!bs.length) return null;
  let b = findBoard(S.state, S.board);
  if (!b) {
    b = findBoard(S.state, S.state.focus) || [...bs].reverse().find((x) => !x.locked) || bs[bs.length - 1];
    S.board = b.id;
  }
  return b;
}

function buildSession() {
  const ui = {};
  ui.kicker = h('p', { class: 'kicker' });
  ui.title = h('h1', { class: 'session-title' });
  ui.tabs = h('div', { class: 'tabs', role: 'tablist' });
  ui.tabsWrap = h('nav', { class: 'tabs-wrap', 'aria-label': t('boards') }, ui.tabs);
  ui.boardTitle = h('h2', { id: 'board-title' });
  ui.prompt = h('p', { class: 'prompt' });
  ui.locked = h('p', { class: 'locked-banner' });
  ui.closed = h('p', { class: 'locked-banner closed-banner' });
  ui.message = h('p', { class: 'message', role: 'status' });
  ui.body = h('div', { class: 'board-body' });
  ui.board = h('section', { class: 'board', id: 'board', role: 'tabpanel', 'aria-labelledby': 'board-title' },
    ui.boardTitle, ui.prompt, ui.locked, ui.body);
  ui.empty = h('p', { class: 'waiting' }, t('noBoards'));
  const leave = h('a', { href: '/', class: 'leave' }, t('leave'));
  leave.addEventListener('click', (e) => { e.preventDefault(); go('/'); });
  ui.root = [h('header', { class: 'session-head' }, ui.kicker, ui.title), S.timer.el, ui.closed, ui.tabsWrap, ui.empty, ui.board,
    h('footer', { class: 'foot' }, leave)];
  return ui;
}

function renderSession(rebuild) {
  if (!S) return;
  if (rebuild || !S.ui || view !== 'session') {
    const word = S.ui && S.ui.wordText ? S.ui.wordText.value : '';
    S.ui = buildSession();
    S.word = word;
    S.wall = null;
    S.cloud = null;
    S.built = null;
    view = 'session';
    main.replaceChildren(...S.ui.root);
    main.dataset.code = S.code;
    if (document.activeElement === document.body) { S.ui.title.tabIndex = -1; S.ui.title.focus({ preventScroll: true }); }
  }
  const { state } = S;
  const ui = S.ui;
  document.title = pageTitle();
  setText(ui.kicker, [`${t('title')} ${spaced(S.code)}`, state.participants ? t('participants', state.participants) : ''].filter(Boolean).join(' · '));
  setText(ui.title, state.title || t('joining'));
  setText(ui.closed, state.closed ? t('sessionClosed') : '');
  ui.closed.hidden = !state.closed;
  S.timer.update(state);
  const b = currentBoard();
  ui.empty.hidden = !!b || !state.you || !!state.closed;
  ui.board.hidden = !b;
  renderTabs(b);
  updateStatus();
  if (!b) return;
  setText(ui.boardTitle, b.title);
  setText(ui.prompt, b.prompt || '');
  ui.prompt.hidden = !b.prompt;
  setText(ui.locked, b.locked ? t('locked') : '');
  ui.locked.hidden = !b.locked || !!state.closed;
  const kind = b.kind === 'cloud' ? 'cloud' : 'wall';
  if (S.built !== `${kind}:${b.id}`) {
    S.built = `${kind}:${b.id}`;
    ui.body.replaceChildren(...(kind === 'cloud' ? buildCloud(b) : buildWall(b)), ui.message);
  }
  if (kind === 'cloud') renderCloud(b); else renderWall(b);
}

function renderTabs(cur) {
  const bs = S.state.boards;
  S.ui.tabsWrap.hidden = bs.length < 2;
  if (bs.length < 2) { S.ui.board.removeAttribute('role'); return; }
  S.ui.board.setAttribute('role', 'tabpanel');
  const tabs = bs.map((b) => {
    let el = S.ui.tabs.querySelector(`[data-board="${b.id}"]`);
    if (!el) {
      el = h('button', { type: 'button', role: 'tab', class: 'tab', 'data-board': b.id, 'aria-controls': 'board', id: `tab-${b.id}` });
      el.addEventListener('click', () => selectBoard(b.id, false));
      el.addEventListener('keydown', tabKeys);
    }
    const sel = cur && b.id === cur.id;
    el.setAttribute('aria-selected', sel ? 'true' : 'false');
    el.tabIndex = sel ? 0 : -1;
    setText(el, b.title);
    el.classList.toggle('is-locked', !!b.locked);
    return el;
  });
  reconcile(S.ui.tabs, tabs);
}

function tabKeys(e) {
  const tabs = [...S.ui.tabs.children];
  const i = tabs.indexOf(e.currentTarget);
  let j = null;
  if (e.key === 'ArrowRight') j = (i + 1) % tabs.length;
  else if (e.key === 'ArrowLeft') j = (i - 1 + tabs.length) % tabs.length;
  else if (e.key === 'Home') j = 0;
  else if (e.key === 'End') j = tabs.length - 1;
  if (j === null) return;
  e.preventDefault();
  selectBoard(Number(tabs[j].dataset.board), true);
}

function selectBoard(id, focusTab) {
  S.board = id;
  S.editing = S.confirming = null;
  renderSession();
  if (focusTab) S.ui.tabs.querySelector(`[data-board="${id}"]`)?.focus();
}

/** Locked board or closed session: read, but do not write. */
function readOnly(b) {
  return !!(b.locked || S.state.closed);
}

// ---- a wall ----------------------------------------------------------------------

function buildWall(b) {
  const ui = S.ui;
  ui.noteText = h('textarea', {
    id: 'note-text', name: 'text', rows: 3, maxlength: LIMITS.note, 'aria-describedby': 'note-chars',
  });
  ui.noteText.value = load(draftKey(S.code, b.id), '') || '';
  ui.chars = h('p', { id: 'note-chars', class: 'help chars' });
  const showChars = () => {
    const left = LIMITS.note - [...ui.noteText.value].length;
    setText(ui.chars, left < 100 ? t('charsLeft', Math.max(0, left)) : '');
  };
  ui.noteText.addEventListener('input', () => {
    save(draftKey(S.code, b.id), ui.noteText.value || null);
    showChars();
  });
  showChars();
  const saved = load('atelier.color', 'yellow');
  const swatches = COLORS.map((c) => {
    const input = h('input', { type: 'radio', name: 'color', value: c, id: `color-${c}`, class: 'vh-radio' });
    input.checked = c === (COLORS.includes(saved) ? saved : 'yellow');
    input.addEventListener('change', () => save('atelier.color', c));
    return h('span', { class: 'swatch-item' }, input,
      h('label', { for: `color-${c}`, class: `swatch c-${c}` }, h('span', { class: 'vh' }, t(`colors.${c}`))));
  });
  ui.addFields = h('fieldset', { class: 'plain' },
    h('legend', { class: 'vh' }, t('addTitle')),
    h('label', { for: 'note-text' }, t('noteLabel')), ui.noteText, ui.chars,
    h('fieldset', { class: 'colors' }, h('legend', {}, t('colorLabel')), h('div', { class: 'swatches' }, swatches)),
    h('button', { type: 'submit', class: 'primary' }, t('add')));
  const form = h('form', { class: 'card add-form', 'aria-labelledby': 'add-title' },
    h('h3', { id: 'add-title' }, t('addTitle')), ui.addFields);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const text = ui.noteText.value.trim();
    if (!text) { say(t('errEmpty'), true); ui.noteText.focus(); return; }
    if ([...text].length > LIMITS.note) { say(t('errTooLong'), true); return; }
    const color = form.querySelector('input[name=color]:checked')?.value || 'yellow';
    submit(OP.noteAdd, { board: b.id, text, color });
    ui.noteText.value = '';
    save(draftKey(S.code, b.id), null);
    showChars();
    ui.noteText.focus();
  });
  ui.votesLeft = h('p', { class: 'votes-left', 'aria-live': 'polite' });
  ui.notesHead = h('h3', { id: 'notes-title' });
  ui.notes = h('div', { class: 'notes' });
  ui.noNotes = h('p', { class: 'help' }, t('noNotes'));
  S.wall = { els: new Map() };
  return [form, ui.votesLeft, ui.notesHead, ui.noNotes, ui.notes];
}

/** The board as the person should see it: the server's state plus what waits in the outbox. */
function wallView(b) {
  const mine = S.outbox.items.filter((e) => e.fields.board === b.id);
  const upd = new Map();
  const del = new Set();
  const delta = new Map();
  const pending = [];
  for (const e of mine) {
    if (e.op === OP.noteAdd && !b.notes.some((n) => n.cid === e.cid)) pending.push(e);
    else if (e.op === OP.noteUpdate) upd.set(e.fields.note, e.fields);
    else if (e.op === OP.noteDelete) del.add(e.fields.note);
    else if (e.op === OP.noteVote || e.op === OP.noteUnvote) {
      delta.set(e.fields.note, (delta.get(e.fields.note) || 0) + (e.op === OP.noteVote ? 1 : -1));
    }
  }
  let used = 0;
  const notes = b.notes.filter((n) => !del.has(n.id)).map((n) => {
    const d = delta.get(n.id) || 0;
    used += d;
    const u = upd.get(n.id);
    return { ...n, text: u && u.text ? u.text : n.text, votes: Math.max(0, n.votes + d), my_votes: Math.max(0, (n.my_votes || 0) + d) };
  });
  return { notes, pending, votesLeft: (b.votes_left ?? b.vote_limit) - used };
}

function renderWall(b) {
  const ui = S.ui;
  const v = wallView(b);
  ui.addFields.disabled = readOnly(b);
  setText(ui.votesLeft, b.vote_limit > 0 ? t('votesLeft', Math.max(0, v.votesLeft)) : '');
  ui.votesLeft.hidden = !(b.vote_limit > 0);
  const count = v.notes.length + v.pending.length;
  setText(ui.notesHead, `${t('notesTitle')} (${count})`);
  ui.noNotes.hidden = count > 0;
  const ctx = { b, votesLeft: v.votesLeft, readOnly: readOnly(b), seen: new Set() };
  const newestFirst = (list) => [...list].reverse();
  const groups = groupNotes(b, v.notes);
  const nodes = [];
  if (v.pending.length) {
    let list = S.wall.els.get('pending');
    if (!list) { list = { el: h('ul', { class: 'note-list pending-list' }) }; S.wall.els.set('pending', list); }
    ctx.seen.add('pending');
    reconcile(list.el, newestFirst(v.pending).map((e) => pendingEl(e, ctx)));
    nodes.push(list.el);
  }
  if (groups) {
    for (const g of groups) {
      const key = `g:${g.label}`;
      let sec = S.wall.els.get(key);
      if (!sec) {
        const head = h('h4', { class: 'group-title' });
        const list = h('ul', { class: 'note-list' });
        sec = { el: h('section', { class: 'group' }, head, list), head, list };
        S.wall.els.set(key, sec);
      }
      ctx.seen.add(key);
      setText(sec.head, `${g.label === null ? t('groupOther') : g.label} (${g.notes.length})`);
      reconcile(sec.list, newestFirst(g.notes).map((n) => noteEl(n, ctx)));
      nodes.push(sec.el);
    }
  } else {
    let list = S.wall.els.get('list');
    if (!list) { list = { el: h('ul', { class: 'note-list', 'aria-labelledby': 'notes-title' }) }; S.wall.els.set('list', list); }
    ctx.seen.add('list');
    reconcile(list.el, newestFirst(v.notes).map((n) => noteEl(n, ctx)));
    nodes.push(list.el);
  }
  const focused = document.activeElement;
  reconcile(ui.notes, nodes);
  for (const k of [...S.wall.els.keys()]) if (!ctx.seen.has(k)) S.wall.els.delete(k);
  if (focused && focused !== document.body && !document.contains(focused)) refocus();
}

/** A note that held the focus went away (deleted, hidden): give the focus to the list's heading. */
function refocus() {
  S.ui.notesHead.tabIndex = -1;
  S.ui.notesHead.focus();
}

function noteEl(n, ctx) {
  const key = `n:${n.id}`;
  ctx.seen.add(key);
  const editing = S.editing && S.editing.id === n.id;
  const confirming = S.confirming === n.id;
  const sig = JSON.stringify([n.text, n.color, n.votes, n.my_votes, n.mine, n.author_name, ctx.readOnly,
    ctx.votesLeft > 0, editing, confirming, document.documentElement.lang]);
  let rec = S.wall.els.get(key);
  if (rec && rec.sig === sig) return rec.el;
  const color = COLORS.includes(n.color) ? n.color : 'yellow';
  const textId = `nt-${n.id}`;
  const had = rec && rec.el.contains(document.activeElement) ? document.activeElement.dataset.act : null;
  const el = rec ? rec.el : h('li', { 'data-key': key });
  el.className = `note c-${color}`;
  const author = n.mine ? t('you') : (n.author_name || t('anon'));
  const votes = n.votes > 0 ? t('votes', n.votes) + (n.my_votes > 0 ? ` (${t('myVotes', n.my_votes)})` : '') : '';
  const parts = [];
  if (editing) {
    const ta = h('textarea', { id: `edit-${n.id}`, rows: 3, maxlength: LIMITS.note, 'data-act': 'edit-text' });
    ta.value = S.editing.text;
    ta.addEventListener('input', () => { S.editing.text = ta.value; });
    const f = h('form', { class: 'edit-form' },
      h('label', { for: `edit-${n.id}`, class: 'vh' }, t('edit')), ta,
      h('div', { class: 'actions' },
        h('button', { type: 'submit', class: 'primary', 'data-act': 'save' }, t('save')),
        h('button', { type: 'button', class: 'secondary', 'data-act': 'cancel', onclick: () => { S.editing = null; renderSession(); focusNote(key, 'edit'); } }, t('cancel'))));
    f.addEventListener('submit', (e) => {
      e.preventDefault();
      const text = ta.value.trim();
      if (!text) { say(t('errEmpty'), true); return; }
      S.editing = null;
      if (text !== n.text) submit(OP.noteUpdate, { board: ctx.b.id, note: n.id, text });
      else renderSession();
      focusNote(key, 'edit');
    });
    parts.push(f);
  } else {
    parts.push(h('p', { class: 'note-text', id: textId }, n.text));
    const meta = h('p', { class: 'note-meta' }, h('span', {}, author), votes ? h('span', { class: 'note-votes' }, votes) : null);
    const acts = [];
    const canWrite = !ctx.readOnly;
    if (confirming) {
      acts.push(h('span', { class: 'confirm-text' }, t('confirmDelText')),
        h('button', { type: 'button', class: 'danger', 'data-act': 'confirm', 'aria-describedby': textId, onclick: () => {
          S.confirming = null;
          submit(OP.noteDelete, { board: ctx.b.id, note: n.id });
        } }, t('confirmDel')),
        h('button', { type: 'button', class: 'secondary', 'data-act': 'keep', onclick: () => { S.confirming = null; renderSession(); focusNote(key, 'delete'); } }, t('keep')));
    } else {
      if (ctx.b.vote_limit > 0) {
        acts.push(h('span', { class: 'vote-group' },
          h('button', { type: 'button', class: 'vote secondary', 'data-act': 'vote', 'aria-describedby': textId,
            disabled: !canWrite || ctx.votesLeft <= 0, onclick: () => submit(OP.noteVote, { board: ctx.b.id, note: n.id }) }, t('vote')),
          n.my_votes > 0 ? h('button', { type: 'button', class: 'unvote secondary', 'data-act': 'unvote', 'aria-describedby': textId,
            'aria-label': t('unvote'), title: t('unvote'),
            disabled: !canWrite, onclick: () => submit(OP.noteUnvote, { board: ctx.b.id, note: n.id }) }, '−') : null));
      }
      if (n.mine) {
        acts.push(h('span', { class: 'own-group' },
          h('button', { type: 'button', class: 'secondary', 'data-act': 'edit', 'aria-describedby': textId, disabled: !canWrite,
            onclick: () => { S.editing = { id: n.id, text: n.text }; renderSession(); focusNote(key, 'edit-text'); } }, t('edit')),
          h('button', { type: 'button', class: 'secondary', 'data-act': 'delete', 'aria-describedby': textId, disabled: !canWrite,
            onclick: () => { S.confirming = n.id; renderSession(); focusNote(key, 'confirm'); } }, t('del'))));
      }
    }
    parts.push(h('div', { class: 'note-foot' }, meta, acts.length ? h('div', { class: 'actions' }, acts) : null));
  }
  el.replaceChildren(...parts);
  S.wall.els.set(key, { el, sig });
  if (had) { const b = el.querySelector(`[data-act="${had}"]:not([disabled])`); if (b) b.focus(); }
  return el;
}

function focusNote(key, act) {
  const el = S.ui.notes.querySelector(`[data-key="${key}"] [data-act="${act}"]`);
  if (el) el.focus();
}

function pendingEl(e, ctx) {
  const key = `p:${e.cid}`;
  ctx.seen.add(key);
  let rec = S.wall.els.get(key);
  const sig = document.documentElement.lang;
  if (rec && rec.sig === sig) return rec.el;
  const color = COLORS.includes(e.fields.color) ? e.fields.color : 'yellow';
  const el = h('li', { class: `note c-${color} is-pending`, 'data-key': key },
    h('p', { class: 'note-text' }, e.fields.text),
    h('div', { class: 'note-foot' },
      h('p', { class: 'note-meta' }, h('span', { class: 'pending-label' }, t('pending'))),
      h('div', { class: 'actions' }, h('button', { type: 'button', class: 'secondary', 'data-act': 'cancel-pending', onclick: () => {
        if (e.sent) return;   // already on its way: too late to take back
        S.outbox.remove(e);
        renderSession();
      } }, t('cancelPending')))));
  S.wall.els.set(key, { el, sig });
  return el;
}

// ---- a word cloud ------------------------------------------------------------------

function buildCloud(b) {
  const ui = S.ui;
  ui.wordText = h('input', { id: 'word-text', name: 'word', type: 'text', maxlength: LIMITS.word, autocomplete: 'off', 'aria-describedby': 'words-left' });
  ui.wordText.value = S.word || '';
  S.word = '';
  ui.wordsLeft = h('p', { id: 'words-left', class: 'help', 'aria-live': 'polite' });
  ui.wordFields = h('fieldset', { class: 'plain' },
    h('legend', { class: 'vh' }, t('cloudAdd')),
    h('label', { for: 'word-text' }, t('wordLabel')), ui.wordText, ui.wordsLeft,
    h('button', { type: 'submit', class: 'primary' }, t('send')));
  const form = h('form', { class: 'card add-form', 'aria-labelledby': 'word-title' },
    h('h3', { id: 'word-title' }, t('cloudAdd')), ui.wordFields);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const text = ui.wordText.value.trim();
    if (!text) { say(t('errEmpty'), true); ui.wordText.focus(); return; }
    if ([...text].length > LIMITS.word) { say(t('errTooLong'), true); return; }
    submit(OP.wordAdd, { board: b.id, text });
    ui.wordText.value = '';
    ui.wordText.focus();
  });
  ui.pendingWords = h('ul', { class: 'pending-words' });
  S.cloud = new CloudView({ conn: S.conn, height: (w) => Math.round(Math.max(220, Math.min(w * 0.8, 420))) });
  return [form, ui.pendingWords, h('h3', {}, t('cloudTitle')), S.cloud.el];
}

function renderCloud(b) {
  const ui = S.ui;
  const pend = S.outbox.items.filter((e) => e.op === OP.wordAdd && e.fields.board === b.id);
  const left = typeof b.words_left === 'number' ? b.words_left - pend.length : null;
  ui.wordFields.disabled = readOnly(b) || (left !== null && left <= 0);
  setText(ui.wordsLeft, left === null ? '' : t('wordsLeft', Math.max(0, left)));
  reconcile(ui.pendingWords, pend.map((e) => h('li', {}, `${e.fields.text} · ${t('pending')}`)));
  if (!b.wordsKnown && S.conn.ready) refreshBoard(S, b.id);
  S.cloud.update(b);
}

// ---- start (last, once every binding above exists) ------------------------

const status = statusView();
document.getElementById('tools').append(status.el, langPicker(h, 'lang'));
onLang(() => {
  const focused = document.activeElement;
  document.title = pageTitle();
  render(true);
  if (focused && focused.id === 'lang') focused.focus();   // keep the keyboard where it was
});
await setLang(detect());
addEventListener('popstate', route);
route();
