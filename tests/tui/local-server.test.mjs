// One command runs a whole workshop: when no server answers at the address,
// the console starts atelierd itself (found beside it in the build tree),
// reads the token from the database's token file, and stops the server when
// it quits, when its terminal goes away, or when it is killed.
import { after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, freePort, httpGet, participant, sleep } from '../protocol/harness.mjs';
import { Console, killAllConsoles, codeOnScreen, portOpen } from './tmux.mjs';

after(() => { killAllConsoles(); });

async function waitPortClosed(port, what, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  while (await portOpen(port, 300)) {
    if (Date.now() > deadline) throw new Error(`port ${port} still open ${timeoutMs} ms after ${what}: the local server was not stopped`);
    await sleep(100);
  }
}

/** A console with no server at its address and no ATELIER_TOKEN. */
async function consoleAlone() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atelier-tui-local-'));
  const port = await freePort();
  assert.equal(await portOpen(port), false, 'nothing listens on the port yet');
  const c = new Console({
    args: ['--server', `http://127.0.0.1:${port}`, '--db', path.join(dir, 'w.db')],
    env: { ATELIER_TOKEN: undefined, TMPDIR: dir },	// the server's log goes there
    cwd: dir,
  });
  await c.waitFor(/online 127\.0\.0\.1:\d+ \(local server\)/, { timeoutMs: 20000, label: 'online with a local server' });
  return { c, dir, port };
}

test('starts its own server when none runs, uses its token, stops it on quit', { timeout: 90000 }, async () => {
  const { c, dir, port } = await consoleAlone();
  try {
    const health = await httpGet(port, '/healthz');
    assert.equal(health.status, 200);
    assert.ok(fs.existsSync(path.join(dir, 'w.db')), 'the database is where --db said');
    assert.ok(fs.existsSync(path.join(dir, 'w.db.token')), 'the server wrote its token file');
    assert.match(c.stderr(), /starting .*atelierd --port \d+ --db/);
    const log = /\(log (\S+)\)/.exec(c.stderr())[1];
    assert.ok(log.startsWith(dir) && fs.existsSync(log), `the server's log ${log} in TMPDIR`);

    // the token from the file works: create a session, a participant joins
    c.keys('n');
    await c.waitFor('Title of the new session');
    c.type('Local');
    c.keys('Enter');
    const code = await c.waitFor((s) => s.includes('Join code') && codeOnScreen(s));
    const p = await participant(port, code, 'Lou');
    await c.waitFor('1 participant joined');
    await p.terminate();

    c.keys('q');
    await c.waitFor('Participants');
    c.keys('q');
    await c.waitFor('Quit atelier and stop the local server? y/n');
    c.keys('y');
    assert.equal(await c.waitExit(), 0, c.describe());
    await waitPortClosed(port, 'quitting');
    assert.match(c.stderr(), /stopped the local server/);
    assert.ok(!fs.existsSync(log), 'the log is removed after a clean exit');
  } finally {
    c.kill();
  }
});

test('the local server stops when the terminal goes away (SIGHUP)', { timeout: 60000 }, async () => {
  const { c, port } = await consoleAlone();
  c.kill();	// tmux kill-server: the console's terminal hangs up
  await waitPortClosed(port, 'the terminal closed');
});

test('the local server stops when the console is killed (SIGKILL)', { timeout: 60000 }, async () => {
  const { c, port } = await consoleAlone();
  try {
    process.kill(c.pid(), 'SIGKILL');
    await waitPortClosed(port, 'SIGKILL of the console');
  } finally {
    c.kill();
  }
});

test('an existing server is used, not replaced, and keeps running after quit', { timeout: 60000 }, async () => {
  const { c: first, port, dir } = await consoleAlone();
  try {
    const second = new Console({
      args: ['--server', `http://127.0.0.1:${port}`, '--db', path.join(dir, 'w.db')],
      env: { ATELIER_TOKEN: undefined },
      cwd: dir,
    });
    try {
      await second.waitFor(/online 127\.0\.0\.1:\d+\s*$/m, { label: 'online, without "(local server)"' });
      assert.equal(await second.quit('q'), 0, second.describe());
      assert.equal(await portOpen(port), true, 'the first console\'s server still runs');
    } finally {
      second.kill();
    }
  } finally {
    first.kill();
  }
  await waitPortClosed(port, 'the first console went away');
});
