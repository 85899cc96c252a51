// status.js - the discreet connection indicator: a dot and a word
// (connected, reconnecting, offline) and how many sends wait.
import { h, setText } from './dom.js';
import { t, onLang } from './i18n.js';

export function statusView() {
  const dot = h('span', { class: 'dot', 'aria-hidden': 'true' });
  const label = h('span', { class: 'conn-label' });
  const waiting = h('span', { class: 'conn-waiting' });
  const el = h('p', { class: 'conn', role: 'status' }, dot, label, waiting);
  let last = [null, 0];
  const set = (status, count = 0) => {
    last = [status, count];
    el.hidden = !status;
    if (!status) return;
    el.dataset.state = status;
    el.title = t(`statusHelp.${status}`);
    setText(label, t(`status.${status}`));
    setText(waiting, count > 0 ? ` · ${t('waitingCount', count)}` : '');
  };
  onLang(() => set(...last));
  set(null);
  return { el, set };
}
