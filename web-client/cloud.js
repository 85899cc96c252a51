// cloud.js - a word cloud drawn as SVG from the server's layout
// (cloud.layout, target "px"), fetched again when the words change or the
// space changes.  Until a layout comes (or if the server has none), the
// words flow as text sized by count.  A visually hidden list gives every
// word and its count to screen readers.
import { OP, ERR } from './protocol.js';
import { h, svg, setText } from './dom.js';
import { t } from './i18n.js';

const num = (v) => typeof v === 'number' && Number.isFinite(v);

export class CloudView {
  /** height(width, el): the height to lay out for; max: how many words. */
  constructor({ conn, height, max = 50 }) {
    this.conn = conn;
    this.heightOf = height;
    this.max = max;
    this.art = h('div', { class: 'cloud-art', 'aria-hidden': 'true' });
    this.list = h('ol', { class: 'vh' });
    this.empty = h('p', { class: 'help' }, t('cloudEmpty'));
    this.el = h('div', { class: 'cloud' }, this.empty, this.art, this.list);
    this.board = null;
    this.sig = '';
    this.size = '';
    this.unsupported = false;
    this.busy = false;
    this.dirty = false;
    this.timer = null;
    if (typeof ResizeObserver === 'function') {
      this.ro = new ResizeObserver(() => {
        const size = `${this.el.clientWidth}x${this.heightOf(this.el.clientWidth, this.el)}`;
        if (size !== this.size) this.schedule();
      });
      this.ro.observe(this.el);
    }
  }

  /** The board's words changed (or not): redraw when needed. */
  update(b) {
    const sig = `${b.id}|${b.words.map((w) => `${w.key}:${w.count}`).join(',')}|${document.documentElement.lang}`;
    this.board = b;
    if (sig === this.sig) return;
    this.sig = sig;
    this.empty.hidden = b.words.length > 0;
    setText(this.empty, t('cloudEmpty'));
    this.list.replaceChildren(...b.words.map((w) => h('li', {}, `${w.text} (${t('wordCount', w.count)})`)));
    if (!b.words.length) { this.art.replaceChildren(); return; }
    if (!this.art.firstChild || this.unsupported) this.drawFlow(b.words);
    this.schedule();
  }

  schedule() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.fetch(), 200);
  }

  async fetch() {
    const b = this.board;
    if (!b || !b.words.length || this.unsupported || !this.conn.ready) return;
    if (this.busy) { this.dirty = true; return; }
    const width = Math.max(200, Math.round(this.el.clientWidth));
    const height = Math.max(150, Math.round(this.heightOf(width, this.el)));
    this.size = `${this.el.clientWidth}x${this.heightOf(this.el.clientWidth, this.el)}`;
    this.busy = true;
    let r = null;
    try {
      r = await this.conn.request(OP.cloudLayout, { board: b.id, target: 'px', width, height, max: this.max });
    } catch { /* offline: the next update asks again */ }
    this.busy = false;
    if (r && r.ok && r.layout && Array.isArray(r.layout.words)) {
      if (b === this.board) this.drawSvg(r.layout);
    } else if (r && [ERR.unknownOp, ERR.forbidden, ERR.badRequest].includes(r.error)) {
      this.unsupported = true;   // a server without layouts: keep the flowing text
      this.drawFlow(b.words);
    }
    if (this.dirty) { this.dirty = false; this.schedule(); }
  }

  drawSvg(layout) {
    const W = num(layout.width) ? layout.width : 600;
    const H = num(layout.height) ? layout.height : 400;
    const texts = [];
    layout.words.forEach((w, i) => {
      if (!w || typeof w.text !== 'string' || ![w.x, w.y, w.w, w.h, w.size].every(num)) return;
      // The server's contract: baseline at y + 0.905 size, stretched to the box's width.
      const rot = num(w.rotate) ? w.rotate : 0;
      const cx = w.x + w.w / 2;
      const cy = w.y + w.h / 2;
      texts.push(svg('text', {
        x: w.x, y: w.y + 0.905 * w.size, 'font-size': w.size,
        textLength: w.w, lengthAdjust: 'spacingAndGlyphs', class: `cw cw${i % 5}`,
        transform: rot ? `rotate(${rot} ${cx} ${cy})` : null,
      }, w.text));
    });
    this.art.replaceChildren(svg('svg', {
      class: 'cloud-svg', viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: 'xMidYMid meet', width: W, height: H,
    }, texts));
  }

  /** Without a layout: the words as text, bigger when more people sent them. */
  drawFlow(words) {
    const top = Math.max(1, ...words.map((w) => w.count || 1));
    this.art.replaceChildren(h('p', { class: 'cloud-flow' }, words.slice(0, this.max).map((w, i) => {
      const s = h('span', { class: `cw cw${i % 5}` }, w.text);
      s.style.fontSize = `${(1 + 1.6 * Math.sqrt((w.count || 1) / top)).toFixed(2)}em`;
      return s;
    })));
  }
}
