// store.js - localStorage that never throws (private mode, full quota).
// Keys: atelier.lang, atelier.name, atelier.p.CODE (identity and state of a
// participant), atelier.q.CODE (what waits to be sent), atelier.d.CODE.BOARD
// (a post-it being typed), atelier.v.CODE (the projector's fallback identity).

export function load(key, fallback = null) {
  try {
    const s = localStorage.getItem(key);
    return s === null ? fallback : JSON.parse(s);
  } catch {
    return fallback;
  }
}

export function save(key, value) {
  try {
    if (value === null || value === undefined) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(value));
    return true;
  } catch {
    return false;
  }
}
