// dom.js - build DOM nodes. Text always goes in as text nodes, never as
// HTML: what people type cannot become markup.

const SVG_NS = 'http://www.w3.org/2000/svg';

function fill(el, attrs, children) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'object' ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** h('button', {class: 'x', onclick: f}, 'text', child...) */
export function h(tag, attrs, ...children) {
  return fill(document.createElement(tag), attrs, children);
}

/** The same for SVG elements. */
export function svg(tag, attrs, ...children) {
  return fill(document.createElementNS(SVG_NS, tag), attrs, children);
}

/** Set an element's text if it changed (keeps screen readers quiet). */
export function setText(el, s) {
  s = String(s);
  if (el.textContent !== s) el.textContent = s;
}

/** Make container's children exactly nodes, in order, moving as few as possible. */
export function reconcile(container, nodes) {
  const keep = new Set(nodes);
  for (const c of [...container.childNodes]) if (!keep.has(c)) container.removeChild(c);
  let cur = container.firstChild;
  for (const n of nodes) {
    if (n === cur) { cur = cur.nextSibling; continue; }
    container.insertBefore(n, cur);
  }
  while (cur) {
    const next = cur.nextSibling;
    container.removeChild(cur);
    cur = next;
  }
}

/** Announce a sentence in a live region (polite), one at a time. */
export function announcer(region) {
  let queue = [];
  let timer = null;
  return (msg) => {
    queue.push(msg);
    if (timer) return;
    const flush = () => {
      if (!queue.length) { timer = null; return; }
      // Several at once: say how many rather than read them all.
      region.textContent = queue.length > 3 ? queue.slice(-1)[0] : queue.join(' ');
      queue = [];
      timer = setTimeout(flush, 1500);
    };
    timer = setTimeout(flush, 100);
  };
}
