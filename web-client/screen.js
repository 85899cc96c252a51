// screen.js - the projector's view at /s/CODE: the live wall or cloud
// filling the screen, the join QR code and the code beside it.  Read-only:
// it says hello as a "viewer" (not counted, writes nothing); a server
// without that role gets an anonymous participant instead.
import { OP, ERR, COLORS, normalizeCode } from './protocol.js';
import { Connection } from './conn.js';
import { newState, applySnapshot, applyEvent, applyBoard, findBoard, groupNotes, clockSample, clockReset } from './session.js';
import { t, detect, setLang, onLang, langPicker, lang } from './i18n.js';
import { h, setText, reconcile, announcer } from './dom.js';
import { load, save } from './store.js';
import { CloudView } from './cloud.js';
import { statusView } from './status.js';
import { TimerView } from './timer.js';

const $ = (id) => document.getElementById(id);
const announce = announcer($('announce'));
const m = /^\/s\/([^/]*)\/?$/.exec(location.pathname);
let code = null;
try { code = m && normalizeCode(decodeURIComponent(m[1])); } catch { /* bad escape */ }
const fallbackKey = `atelier.v.${code}`;

const S = {
  state: newState(code),
  role: 'viewer',       // 'participant' on a server without viewers
  resume: (load(fallbackKey) || {}).resume || null,
  chosen: null,         // a board picked by hand since the last focus; else the focus, else the newest
  shown: null,
  cloud: null,
  els: new Map(),
  refreshing: new Set(),
  timer: new TimerView({ announce, cls: 'screen-timer' }),
};
$('main').append(S.timer.el);   // the bottom of the right-hand column, under the QR code

const status = statusView();
const picker = h('select', { id: 'board-pick', class: 'board-pick' });
picker.addEventListener('change', () => {
  S.chosen = picker.value ? Number(picker.value) : null;
  render();
});
$('tools').append(
  h('label', { for: 'board-pick', class: 'vh' }, t('showBoard')), picker,
  status.el, langPicker(h, 'lang'));
onLang(() => { staticText(); render(true); });
await setLang(detect());
staticText();

let conn = null;
if (!code) {
  unknown();
} else {
  const qr = $('qr');
  qr.src = `/qr/${code}.svg`;
  setText($('code'), `${code.slice(0, 3)} ${code.slice(3)}`);
  conn = new Connection({
    hello,
    onReady: ready,
    onEvent: event,
    onHelloError: (r) => {
      if (r.error === ERR.badRequest && S.role === 'viewer') { S.role = 'participant'; return 'retry'; }
      if (r.error === ERR.notFound && S.role === 'participant' && S.resume) {
        S.resume = null;
        save(fallbackKey, null);
        return 'retry';
      }
      if (r.error === ERR.notFound) { unknown(); return 'stop'; }
      return 'later';
    },
    onStatus: (st) => status.set(st),
  });
  status.set('connecting');
  conn.start();
}

function hello() {
  const since = S.state.seq > 0 ? { since: S.state.seq } : {};
  if (S.role === 'viewer') return { role: 'viewer', code, ...since };
  if (S.resume) return { role: 'participant', resume: S.resume, ...since };
  return { role: 'participant', code, name: null };
}

function staticText() {
  setText($('join-title'), t('screenJoin'));
  setText($('scan'), t('screenScan'));
  setText($('or'), t('screenOr'));
  setText($('type-code'), t('screenCode'));
  $('qr').alt = t('qrAlt', { code: code || '' });
  document.querySelector('label[for=board-pick]').textContent = t('showBoard');
}

function unknown() {
  S.unknown = true;
  setText($('board-title'), t('screenTitle'));
  $('stage').replaceChildren(h('p', { class: 'waiting', role: 'alert' }, t('screenUnknown')));
  $('join').hidden = true;
  status.set(null);
}

function ready(r) {
  if (S.role === 'participant' && r.resume && r.resume !== S.resume) {
    S.resume = r.resume;
    save(fallbackKey, { resume: r.resume });
  }
  clockReset(S.state);
  const t0 = Date.now();
  conn.request(OP.ping).then((p) => {
    const t1 = Date.now();
    if (!p.ok || typeof p.time !== 'number') return;
    clockSample(S.state, p.time, (t0 + t1) / 2);   // the projector's clock may be off too
    S.timer.update(S.state);
  }, () => {});
  if (r.session) {
    applySnapshot(S.state, r.session, r.you);
    if (S.state.lang && S.state.lang !== lang()) setLang(detect(S.state.lang));   // the session's language, unless one was chosen
  }
  render();
}

function event(ev) {
  const r = applyEvent(S.state, ev, Date.now());
  if (!r) return;
  if (r.resync) { S.state.seq = 0; conn.restart(); return; }
  if (r.what === 'timer') S.timer.update(S.state, r.change);
  if (r.what === 'focus') S.chosen = null;   // the facilitator's choice wins over the picker
  if (r.what === 'refresh') for (const id of r.ids) refresh(id);
  if (r.what === 'note-added' && r.board && r.board.id === S.shown) announce(t('newNote', { text: r.note.text }));
  render();
}

function refresh(id) {
  if (S.refreshing.has(id)) return;
  S.refreshing.add(id);
  conn.request(OP.boardGet, { board: id }).then((r) => {
    S.refreshing.delete(id);
    if (r.ok && r.board) { applyBoard(S.state, r.board); render(); }
  }, () => S.refreshing.delete(id));
}

function currentBoard() {
  const bs = S.state.boards;
  return findBoard(S.state, S.chosen) || findBoard(S.state, S.state.focus) || bs[bs.length - 1] || null;
}

function render(rebuild) {
  if (S.unknown) { unknown(); return; }
  const { state } = S;
  document.title = `${state.title || t('screenTitle')} · ${t('title')}`;
  setText($('session-title'), state.title || '');
  setText($('count'), state.participants ? t('participants', state.participants) : '');
  S.timer.update(state);
  if (state.join_url) {
    const u = state.join_url.replace(/^https?:\/\//, '').replace(/\/j\/[^/]*$/, '');
    setText($('host'), u);
  }
  // the board picker
  const opts = state.boards.map((b) => {
    const o = h('option', { value: b.id }, b.title);
    return o;
  });
  if (opts.length !== picker.options.length || opts.some((o, i) => picker.options[i].value !== o.value || picker.options[i].textContent !== o.textContent)) {
    picker.replaceChildren(...opts);
  }
  picker.hidden = state.boards.length < 2;
  const b = currentBoard();
  if (b) picker.value = String(b.id);
  if (!b) {
    S.shown = null;
    setText($('board-title'), state.title || '');
    setText($('prompt'), '');
    $('stage').replaceChildren(h('p', { class: 'waiting' }, state.you ? t('waitingBoard') : ''));
    return;
  }
  setText($('board-title'), b.title);
  setText($('prompt'), b.prompt || '');
  $('prompt').hidden = !b.prompt;
  $('locked').hidden = !b.locked && !state.closed;
  setText($('locked'), state.closed ? t('sessionClosed') : b.locked ? t('errLocked') : '');
  const kind = b.kind === 'cloud' ? 'cloud' : 'wall';
  if (rebuild || S.shown !== b.id || S.kind !== kind) {
    S.shown = b.id;
    S.kind = kind;
    S.els = new Map();
    S.cloud = null;
    if (kind === 'cloud') {
      S.cloud = new CloudView({ conn, max: 80, height: (w, el) => el.clientHeight || Math.round(w * 0.6) });
      $('stage').replaceChildren(S.cloud.el);
    } else {
      S.wall = h('div', { class: 'wall' });
      $('stage').replaceChildren(S.wall);
    }
  }
  if (kind === 'cloud') {
    if (!b.wordsKnown) refresh(b.id);
    S.cloud.update(b);
  } else {
    renderWall(b);
  }
}

function noteEl(n) {
  const key = `n:${n.id}`;
  const sig = JSON.stringify([n.text, n.color, n.votes, n.author_name, document.documentElement.lang]);
  let rec = S.els.get(key);
  if (!rec) {
    rec = { el: h('li', {}), sig: '' };
    S.els.set(key, rec);
  }
  if (rec.sig !== sig) {
    rec.sig = sig;
    const color = COLORS.includes(n.color) ? n.color : 'yellow';
    rec.el.className = `note c-${color}`;
    rec.el.replaceChildren(
      h('p', { class: 'note-text' }, n.text),
      n.votes > 0 || n.author_name ? h('p', { class: 'note-meta' },
        h('span', {}, n.author_name || ''),
        n.votes > 0 ? h('span', { class: 'note-votes' }, t('votes', n.votes)) : null) : null);
  }
  return rec.el;
}

function renderWall(b) {
  const groups = groupNotes(b);
  let nodes;
  if (!b.notes.length) {
    nodes = [h('p', { class: 'waiting' }, t('noNotes'))];
  } else if (groups) {
    nodes = groups.map((g) => {
      const key = `g:${g.label}`;
      let rec = S.els.get(key);
      if (!rec) {
        const head = h('h2', { class: 'group-title' });
        const list = h('ul', { class: 'note-grid' });
        rec = { el: h('section', { class: 'group' }, head, list), head, list };
        S.els.set(key, rec);
      }
      setText(rec.head, g.label === null ? t('groupOther') : g.label);
      reconcile(rec.list, g.notes.map(noteEl));
      return rec.el;
    });
  } else {
    let rec = S.els.get('list');
    if (!rec) { rec = { el: h('ul', { class: 'note-grid' }) }; S.els.set('list', rec); }
    reconcile(rec.el, b.notes.map(noteEl));
    nodes = [rec.el];
  }
  reconcile(S.wall, nodes);
  fit();
}

// Make the notes as big as the screen allows: start large, shrink until
// everything fits (or the text reaches the smallest readable size).
let fitFrame = 0;
function fit() {
  cancelAnimationFrame(fitFrame);
  fitFrame = requestAnimationFrame(() => {
    const stage = $('stage');
    const wall = S.wall;
    if (!wall || !wall.isConnected) return;
    const vmin = Math.min(innerWidth, innerHeight) / 100;
    let size = 6 * vmin;
    const min = Math.max(14, 1.6 * vmin);
    wall.style.setProperty('--note-font', `${size}px`);
    for (let i = 0; i < 30 && stage.scrollHeight > stage.clientHeight + 1 && size > min; i++) {
      size = Math.max(min, size * 0.9);
      wall.style.setProperty('--note-font', `${size}px`);
    }
  });
}
addEventListener('resize', fit);
