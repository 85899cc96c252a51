// Drive the real `atelier` console in tmux, the way a person would: type
// keys with `send-keys`, read the screen with `capture-pane -p`.
//
// Each Console gets a private tmux server (-L socket), so tests running in
// parallel never see each other's panes. Every wait is bounded and, when it
// fails, says what it waited for and shows the screen it last saw.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const consoles = new Set();
let counter = 0;

/** Shell-quote one word for the command tmux runs. */
function sq(s) {
  return `'${String(s).replace(/'/g, `'\\''`)}'`;
}

export class Console {
  /**
   * Start `$ATELIER_TUI args...` in a detached tmux pane of width x height.
   * env: variables for the console (LANG defaults to C.UTF-8); a value of
   * undefined removes it. cwd: its working directory.
   */
  constructor({ args = [], env = {}, width = 100, height = 30, cwd, label } = {}) {
    const bin = process.env.ATELIER_TUI;
    if (!bin) throw new Error('ATELIER_TUI is not set: run through ctest, or ATELIER_TUI=build/client-tui/atelier');
    this.bin = path.resolve(bin);
    if (!fs.existsSync(this.bin)) throw new Error(`ATELIER_TUI=${bin}: no such file`);
    this.label = label || `console${++counter}`;
    this.socket = `atelier-tui-${process.pid}-${counter}`;
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atelier-tui-'));
    this.cwd = cwd || this.dir;
    this.stderrFile = path.join(this.dir, 'stderr.txt');
    this.statusFile = path.join(this.dir, 'status.txt');
    this.screen = '';
    const vars = { LANG: 'C.UTF-8', LC_ALL: undefined, ...env };
    const unset = Object.keys(vars).filter((k) => vars[k] === undefined);
    const set = Object.entries(vars).filter(([, v]) => v !== undefined);
    // the shell stays to write the console's exit status: waitExit() does
    // not depend on when tmux reaps its child
    const cmd = ['cd', sq(this.cwd), '&&', 'env',
      ...unset.map((k) => `-u ${k}`),
      ...set.map(([k, v]) => sq(`${k}=${v}`)),
      sq(this.bin), ...args.map(sq), `2>>${sq(this.stderrFile)}`,
      ';', 'echo', '$?', '>', sq(this.statusFile)].join(' ');
    // keep the pane after the console exits (to see its last screen), set
    // in the same command as new-session so that no exit comes between
    this.tmux(['-f', '/dev/null', 'new-session', '-d', '-x', String(width), '-y', String(height),
      '-s', 'tui', cmd, ';', 'set-option', '-t', 'tui', 'remain-on-exit', 'on']);
    consoles.add(this);
  }

  tmux(args) {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8', timeout: 5000 });
  }

  /** Send keys as tmux names them ("Enter", "Escape", "Up", "C-c", "x"). */
  keys(...keys) {
    this.tmux(['send-keys', '-t', 'tui', ...keys]);
  }

  /** Type text literally (UTF-8 welcome). */
  type(text) {
    this.tmux(['send-keys', '-t', 'tui', '-l', text]);
  }

  /** The screen as text, one line per row. */
  capture() {
    this.screen = this.tmux(['capture-pane', '-p', '-t', 'tui']);
    return this.screen;
  }

  lines() {
    return this.capture().split('\n');
  }

  stderr() {
    try { return fs.readFileSync(this.stderrFile, 'utf8'); } catch { return ''; }
  }

  describe() {
    return `---- screen of ${this.label} ----\n${this.screen}\n---- stderr of ${this.label} ----\n${this.stderr().slice(-3000)}`;
  }

  /**
   * Wait until the screen matches (a string, a RegExp, or a function of the
   * screen text returning a truthy value, which is returned).
   */
  async waitFor(what, { timeoutMs = 8000, label, stable = true } = {}) {
    const test = typeof what === 'function' ? what
      : what instanceof RegExp ? (s) => what.exec(s)
        : (s) => s.includes(what) && s;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      let text;
      try { text = this.capture(); } catch (e) { text = `(capture failed: ${e.message})`; }
      const r = test(text);
      if (r) {
        if (!stable) return r;
        // curses may be half-way through a frame: take it when it holds still
        await sleep(80);
        let again = null;
        try { again = this.capture(); } catch { /* retried below */ }
        if (again === text) return r;
      }
      if (Date.now() > deadline) {
        throw new Error(`${this.label}: timeout after ${timeoutMs} ms waiting for ${label || String(what)}\n${this.describe()}`);
      }
      await sleep(50);
    }
  }

  /** Wait until the screen no longer matches. */
  async waitGone(what, opts = {}) {
    const re = what instanceof RegExp ? what : null;
    return this.waitFor((s) => (re ? !re.test(s) : !s.includes(what)), { label: `${what} to go`, ...opts });
  }

  /** The console's exit status, or null while it runs. */
  exitStatus() {
    try {
      const t = fs.readFileSync(this.statusFile, 'utf8');
      return /\n$/.test(t) ? Number(t.trim()) : null;
    } catch { return null; }
  }

  /** Wait for the console to exit; returns its exit status. */
  async waitExit({ timeoutMs = 10000 } = {}) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const st = this.exitStatus();
      if (st !== null) return st;
      if (Date.now() > deadline) {
        this.capture();
        throw new Error(`${this.label}: did not exit within ${timeoutMs} ms\n${this.processInfo()}\n${this.describe()}`);
      }
      await sleep(50);
    }
  }

  /**
   * Quit with `key` (C-c, or q on a top screen), answer y to "Quit atelier?
   * y/n", wait for the exit; returns the exit status (under ASan a leak
   * makes it non-zero).
   */
  async quit(key = 'C-c') {
    this.keys(key);
    await this.waitFor('Quit atelier? y/n');
    this.keys('y');
    return this.waitExit();
  }

  /** What the console's process is doing (for failure messages). */
  processInfo() {
    let pid;
    try { pid = this.pid(); } catch { return '(no pane pid)'; }
    const read = (f) => { try { return fs.readFileSync(f, 'utf8').trim(); } catch (e) { return `(${e.code})`; } };
    const status = read(`/proc/${pid}/status`).split('\n').filter((l) => /^(State|Threads|PPid)/.test(l)).join(', ');
    const ppid = (/PPid:\s*(\d+)/.exec(status) || [])[1];
    const parent = ppid ? `${read(`/proc/${ppid}/cmdline`).replace(/\0/g, ' ')} ${read(`/proc/${ppid}/status`).split('\n').filter((l) => /^State/.test(l)).join('')} wchan ${read(`/proc/${ppid}/wchan`)}` : '';
    let stack = '';
    try {
      stack = execFileSync('gdb', ['-p', String(pid), '-batch', '-ex', 'thread apply all bt'],
        { encoding: 'utf8', timeout: 20000, stdio: ['ignore', 'pipe', 'ignore'] });
    } catch { stack = '(no gdb)'; }
    return `---- process ${pid}: ${status}, wchan ${read(`/proc/${pid}/wchan`)}; parent: ${parent}\n${stack.slice(-4000)}`;
  }

  resize(width, height) {
    this.tmux(['resize-window', '-t', 'tui', '-x', String(width), '-y', String(height)]);
  }

  /** The pid of the console: the child of the pane's shell. */
  pid() {
    const shell = Number(this.tmux(['display-message', '-p', '-t', 'tui', '#{pane_pid}']).trim());
    for (const d of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(d)) continue;
      let stat;
      try { stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8'); } catch { continue; }
      // pid (comm) state ppid ...
      const m = /^\d+ \((.*)\) \S+ (\d+)/.exec(stat);
      if (m && Number(m[2]) === shell && m[1] === 'atelier') return Number(d);
    }
    throw new Error(`${this.label}: no atelier process under the pane's shell ${shell}`);
  }

  kill() {
    consoles.delete(this);
    try { this.tmux(['kill-server']); } catch { /* already gone */ }
  }
}

/** Kill every tmux server started by this file (for `after`). */
export function killAllConsoles() {
  for (const c of [...consoles]) c.kill();
}

/** The join code in the title bar ("code K7MXPA"). */
export function codeOnScreen(screen) {
  const m = /code ([23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{6})\b/.exec(screen);
  return m ? m[1] : null;
}

/** 1 if something accepts TCP connections on the loopback port. */
export function portOpen(port, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    const done = (v) => { clearTimeout(t); s.destroy(); resolve(v); };
    const t = setTimeout(() => done(false), timeoutMs);
    s.on('connect', () => done(true));
    s.on('error', () => done(false));
  });
}

/** Is a process alive? */
export function alive(pid) {
  try { process.kill(pid, 0); return true; } catch { return false; }
}
