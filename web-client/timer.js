// timer.js - the session's countdown, on the phone and on the projector.
// The state (session.js) holds the server's Timer and the clock skew; this
// counts down locally, once a second, and says in the live region only what
// matters: started, paused, resumed, stopped, one minute left, time is up.
import { timerLeft, formatLeft } from './session.js';
import { t } from './i18n.js';
import { h, setText } from './dom.js';

/** "2 min 30 s": what a screen reader says (it would read "2:30" as an hour). */
function spoken(ms) {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const m = Math.floor(total / 60);
  const s = total % 60;
  return [m ? `${m} min` : '', s ? `${s} s` : ''].filter(Boolean).join(' ') || '0 s';
}

export class TimerView {
  /** announce: the page's live region (dom.js announcer); cls: extra class (the projector's). */
  constructor({ announce, cls = '' }) {
    this.announce = announce;
    this.state = null;
    this.prev = null;       // ms left at the last tick while running (for "one minute left", "time is up")
    this.timeout = null;
    this.label = h('span', { class: 'timer-label' });
    this.time = h('span', { class: 'timer-time', role: 'timer' });
    this.note = h('span', { class: 'timer-note' });
    this.el = h('div', { class: `timer ${cls}`.trim(), hidden: true },
      h('p', { class: 'timer-line' }, this.label, h('span', { class: 'timer-sep', 'aria-hidden': 'true' }, ' — '), this.time),
      this.note);
    document.addEventListener('visibilitychange', () => this.tick());
  }

  /** The state changed; change is what a timer.* event did (started, paused, resumed, stopped), if any. */
  update(state, change) {
    this.state = state;
    if (change === 'started' || change === 'stopped') this.prev = null;
    this.tick();
    if (!change) return;
    const tm = state.timer;
    const left = timerLeft(tm, state.skew, Date.now());
    const lead = tm && tm.label ? `${tm.label}. ` : '';
    if (change === 'started' && tm) this.announce(lead + t('timerStarted', { time: spoken(left) }));
    else if (change === 'paused' && tm) this.announce(t('timerPausedNow', { time: spoken(left) }));
    else if (change === 'resumed' && tm) this.announce(t('timerResumed', { time: spoken(left) }));
    else if (change === 'stopped') this.announce(t('timerStopped'));
  }

  tick() {
    clearTimeout(this.timeout);
    const st = this.state;
    const tm = st && st.timer;
    if (!tm) {
      this.el.hidden = true;
      this.prev = null;
      return;
    }
    const left = timerLeft(tm, st.skew, Date.now());
    const up = left <= 0;
    this.el.hidden = false;
    this.el.dataset.state = up ? 'up' : tm.state;
    setText(this.label, tm.label || t('timer'));
    const text = formatLeft(left);
    setText(this.time, text);
    this.el.classList.toggle('is-long', text.length > 5);
    setText(this.note, up ? t('timerUp') : tm.state === 'paused' ? t('timerPaused') : '');
    this.note.hidden = !this.note.textContent;
    if (tm.state === 'running') {
      if (this.prev !== null && this.prev > 60000 && left <= 60000 && left > 0) this.announce(t('timerOneMinute'));
      if (this.prev !== null && this.prev > 0 && up) this.announce(t('timerUpNow'));
      this.prev = left;
      // the next change of the shown second (whole seconds are rounded up)
      if (!up) this.timeout = setTimeout(() => this.tick(), (left % 1000 || 1000) + 20);
    } else {
      this.prev = null;
    }
  }
}
