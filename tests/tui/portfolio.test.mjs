// Portfolios from the console: create one (title, then description), put two
// sessions in it from the session list with `+` (the server has them), open
// it, take one out (asks first), export it to HTML and Markdown files in the
// console's working directory; the help overlay lists the new keys.
import { after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  test, startServer, stopAll, facilitator, ok, TOKEN,
} from '../protocol/harness.mjs';
import { Console, killAllConsoles } from './tmux.mjs';

after(async () => { killAllConsoles(); await stopAll(); });

const PF_TITLE = 'Mobilité douce 2026';
const KEPT = 'Pistes cyclables du quartier';
const REMOVED = 'Arbres en ville';

/** The codes of the sessions of portfolio id, as the server has them. */
async function serverCodes(fac, id) {
  return ok(await fac.request('portfolio.get', { portfolio: id })).portfolio.sessions.map((s) => s.code);
}

test('portfolios: create, add from the list, check, remove, export, help', { timeout: 90000 }, async () => {
  const srv = await startServer();
  const fac = await facilitator(srv.port);
  const kept = ok(await fac.request('session.create', { title: KEPT })).session;
  const removed = ok(await fac.request('session.create', { title: REMOVED })).session;
  assert.deepEqual(ok(await fac.request('portfolio.list', {})).portfolios, [], 'no portfolio to start with');

  // wide enough for the whole export path on the status line
  const c = new Console({
    args: ['--server', `http://127.0.0.1:${srv.port}`], env: { ATELIER_TOKEN: TOKEN }, width: 140,
  });
  try {
    await c.waitFor(/online 127\.0\.0\.1/);
    await c.waitFor(kept.code);
    await c.waitFor(removed.code);
    assert.match(c.screen, /P portfolios/, 'the hint line names P');

    // P: the portfolios, none yet; n asks a title then a description
    c.keys('P');
    await c.waitFor('No portfolio yet');
    await c.waitFor(/Portfolios\s*$/m, { label: 'the screen name in the title bar' });
    c.keys('n');
    await c.waitFor('Title of the new portfolio');
    c.type(PF_TITLE);
    c.keys('Enter');
    await c.waitFor('What is it about?');
    c.type('Projet du lab avec la métropole');
    c.keys('Enter');
    await c.waitFor(`Portfolio created: "${PF_TITLE}"`);
    await c.waitFor(new RegExp(`> \\d+\\s+${PF_TITLE}\\s+0\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d Projet du lab`),
      { label: 'the new portfolio selected: 0 sessions, date, description' });
    const listed = ok(await fac.request('portfolio.list', {})).portfolios;
    assert.equal(listed.length, 1);
    assert.equal(listed[0].title, PF_TITLE);
    assert.equal(listed[0].description, 'Projet du lab avec la métropole');
    const id = listed[0].id;

    // back to the sessions: + on each, Enter picks the portfolio
    c.keys('q');
    await c.waitFor('Participants');
    await c.waitFor(new RegExp(`> ${removed.code}`), { label: 'the newest session selected' });
    c.keys('+');
    await c.waitFor(`Put ${removed.code} "${REMOVED}" in which portfolio?`);
    await c.waitFor(new RegExp(`> ${id}\\s+${PF_TITLE}`));
    c.keys('Enter');
    await c.waitFor(`${removed.code} added to "${PF_TITLE}" (1 session).`);
    c.keys('j');
    await c.waitFor(new RegExp(`> ${kept.code}`));
    c.keys('+');
    await c.waitFor(`Put ${kept.code} "${KEPT}" in which portfolio?`);
    c.keys('Enter');
    await c.waitFor(`${kept.code} added to "${PF_TITLE}" (2 sessions).`);
    assert.deepEqual(await serverCodes(fac, id), [removed.code, kept.code], 'the server has both');

    // the portfolio: its sessions; d on the first asks, y removes it
    c.keys('P');
    await c.waitFor(new RegExp(`> ${id}\\s+${PF_TITLE}\\s+2\\s`), { label: '2 sessions in the list' });
    c.keys('Enter');
    await c.waitFor(`Portfolio ${id}: ${PF_TITLE} (2 sessions)`);
    await c.waitFor(new RegExp(`> ${removed.code}\\s+${REMOVED}\\s+open`));
    assert.match(c.screen, new RegExp(`${kept.code}\\s+${KEPT}\\s+open`));
    assert.match(c.screen, /About: Projet du lab avec la métropole/);
    c.keys('d');
    await c.waitFor(`Remove ${removed.code} "${REMOVED}" from this portfolio (the session stays)? y/n`);
    c.keys('n');
    await c.waitFor('Cancelled.');
    assert.deepEqual(await serverCodes(fac, id), [removed.code, kept.code], 'n keeps it');
    c.keys('d');
    await c.waitFor(`Remove ${removed.code}`);
    c.keys('y');
    await c.waitFor(`${removed.code} removed from "${PF_TITLE}"`);
    await c.waitFor(`Portfolio ${id}: ${PF_TITLE} (1 session)`);
    await c.waitGone(REMOVED);
    assert.deepEqual(await serverCodes(fac, id), [kept.code], 'the server took it out');
    // the session itself is still there
    const all = ok(await fac.request('session.list', {})).sessions.map((s) => s.code);
    assert.ok(all.includes(removed.code));

    // export: E then h, then E then m; files in the console's directory
    for (const [key, ext, mark] of [['h', 'html', /<html/i], ['m', 'md', /^#/m]]) {
      const file = path.join(c.cwd, `atelier-portfolio-${id}.${ext}`);
      assert.ok(!fs.existsSync(file), `${file} not there before`);
      c.keys('E');
      await c.waitFor('Export the portfolio: h HTML report, m Markdown');
      c.keys(key);
      await c.waitFor(`Exported to ${file}`);
      assert.ok(fs.existsSync(file), `${file} written`);
      const text = fs.readFileSync(file, 'utf8');
      assert.match(text, mark, `${ext}: the format asked for`);
      assert.ok(text.includes(PF_TITLE), `${ext}: the portfolio's title`);
      assert.ok(text.includes(KEPT), `${ext}: the remaining session's title`);
      assert.ok(!text.includes(REMOVED), `${ext}: not the removed session`);
    }

    // the help lists the new keys, on this screen and on the others
    c.keys('?');
    await c.waitFor('Keys: Portfolio ');
    assert.match(c.screen, /d Del\s+take it out of the portfolio/);
    assert.match(c.screen, /E\s+export it to a file/);
    c.keys('x', 'q');
    await c.waitFor(new RegExp(`> ${id}\\s+${PF_TITLE}\\s+1\\s`), { label: 'back on the portfolios, 1 session' });
    c.keys('?');
    await c.waitFor('Keys: Portfolios');
    assert.match(c.screen, /n\s+create a portfolio/);
    assert.match(c.screen, /e\s+rename the selected portfolio/);
    assert.match(c.screen, /D\s+edit its description/);
    c.keys('x', 'q');
    await c.waitFor('Participants');
    c.keys('?');
    await c.waitFor('Keys: Sessions');
    assert.match(c.screen, /P\s+portfolios: the lab's projects/);
    assert.match(c.screen, /\+\s+add the selected session to a portfolio/);
    c.keys('x');
    await c.waitGone('Keys: Sessions');
  } finally {
    c.kill();
    await fac.close();
  }
});
