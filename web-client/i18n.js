// i18n.js - the page's language: French by default, English and Dutch,
// following the browser unless the person chose one (kept in localStorage).
// French is always loaded (and fills any gap); the others load on demand.
import fr from './lang/fr.js';
import { load, save } from './store.js';

export const NAMES = { fr: 'Français', en: 'English', nl: 'Nederlands' };
const loaded = { fr };
let current = 'fr';
const listeners = [];

/** The language to start with: the person's choice, else fallback (a session's), else the browser's, else French. */
export function detect(fallback) {
  const chosen = load('atelier.lang');
  if (chosen && NAMES[chosen]) return chosen;
  if (fallback && NAMES[fallback]) return fallback;
  for (const l of navigator.languages || [navigator.language || '']) {
    const p = String(l).slice(0, 2).toLowerCase();
    if (NAMES[p]) return p;
  }
  return 'fr';
}

export function lang() { return current; }

/** Switch to l (loading its strings first); chosen: the person picked it (remembered). */
export async function setLang(l, chosen = false) {
  if (!NAMES[l]) return;
  if (chosen) save('atelier.lang', l);
  if (!loaded[l]) {
    try {
      loaded[l] = (await import(`./lang/${l}.js`)).default;
    } catch {
      return;   // offline before it loaded: stay in the current language
    }
  }
  current = l;
  document.documentElement.lang = l;
  for (const f of listeners) f(l);
}

export function onLang(f) { listeners.push(f); }

function lookup(strings, key) {
  let v = strings;
  for (const part of key.split('.')) v = v == null ? undefined : v[part];
  return v;
}

/**
 * The string for key ("status.online" reaches into objects); a function
 * is called with arg; {name} placeholders are filled from vars (or from
 * arg when it is an object).
 */
export function t(key, arg, vars) {
  let v = lookup(loaded[current], key);
  if (v === undefined) v = lookup(fr, key);
  if (typeof v === 'function') v = v(arg);
  if (v === undefined) return key;
  if (typeof arg === 'object' && arg !== null && !vars) vars = arg;
  if (vars) v = String(v).replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
  return v;
}

/** A <select> that switches the language; its label is visually hidden. */
export function langPicker(h, id) {
  const sel = h('select', { id, class: 'lang-select' });
  for (const [code, name] of Object.entries(NAMES)) {
    const o = h('option', { value: code }, name);
    o.lang = code;
    sel.append(o);
  }
  sel.value = current;
  sel.addEventListener('change', () => setLang(sel.value, true));
  const label = h('label', { for: id, class: 'vh' }, t('lang'));
  onLang((l) => { sel.value = l; label.textContent = t('lang'); });
  return h('div', { class: 'lang' }, label, sel);
}
