// The wall on a phone: add and vote within the budget, others' notes
// arriving live, editing and deleting one's own, notes the facilitator
// hides, a locked board, and text that looks like HTML shown as text.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launch, open, clean, startServer, stopAll, makeSession, participant, boardNotes, axe, shot, until, ok,
} from './lib.mjs';

let srv; let browser; let S; let board;

before(async () => {
  srv = await startServer();
  S = await makeSession(srv.port, {
    title: 'Déchets dans la nature',
    boards: [{ kind: 'wall', title: 'Vos idées', prompt: 'Que faire contre les déchets dans le parc ?', vote_limit: 3 }],
  });
  board = S.boards[0];
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  await stopAll();
});

/** A phone that joined anonymously (or with name) and shows the board. */
async function joined(name) {
  const o = await open(browser);
  await o.page.goto(`${srv.url}/j/${S.code}`);
  if (name) {
    await o.page.fill('#name', name);
    await o.page.click('button[type=submit]');
  } else {
    await o.page.locator('button', { hasText: 'Entrer sans prénom' }).click();
  }
  await o.page.locator('.conn[data-state=online]').waitFor();
  await o.page.locator('#note-text').waitFor();
  return o;
}

const note = (page, text) => page.locator('.note:not(.is-pending)', { has: page.locator('.note-text', { hasText: text }) });

async function addNote(page, text, color) {
  await page.fill('#note-text', text);
  if (color) await page.locator(`label[for=color-${color}]`).click();
  await page.click('.add-form button[type=submit]');
  await note(page, text).waitFor();
}

test('add a post-it with a colour, vote within the budget, take a vote back', { timeout: 60000 }, async () => {
  const { context, page, rec } = await joined('Marie');
  await page.locator('.votes-left', { hasText: 'Il vous reste 3 votes.' }).waitFor();
  await addNote(page, 'Des bancs à l’ombre', 'green');
  const mine = note(page, 'Des bancs à l’ombre');
  assert.match(await mine.getAttribute('class'), /c-green/);
  assert.equal(await mine.locator('.note-meta span').first().textContent(), 'Vous');
  assert.equal(await page.inputValue('#note-text'), '', 'the field is emptied for the next idea');

  // the server has it once, with the colour and the name
  const stored = (await boardNotes(S.fac, board.id)).filter((n) => n.text === 'Des bancs à l’ombre');
  assert.equal(stored.length, 1);
  assert.equal(stored[0].color, 'green');
  assert.equal(stored[0].author_name, 'Marie');

  // dot-voting: three votes, then the buttons are disabled
  for (let i = 1; i <= 3; i++) {
    await mine.locator('button[data-act=vote]').click();
    await mine.locator('.note-votes', { hasText: `${i} vote` }).waitFor();
  }
  await page.locator('.votes-left', { hasText: "Vous n'avez plus de votes." }).waitFor();
  await until(async () => (await boardNotes(S.fac, board.id)).find((n) => n.id === stored[0].id).votes === 3, 'three votes stored');
  assert.ok(await mine.locator('button[data-act=vote]').isDisabled(), 'no vote left: the button is disabled');
  await mine.locator('button[data-act=unvote]').click();
  await page.locator('.votes-left', { hasText: 'Il vous reste 1 vote.' }).waitFor();
  await until(async () => (await boardNotes(S.fac, board.id)).find((n) => n.id === stored[0].id).votes === 2, 'a vote taken back');
  assert.ok(await mine.locator('button[data-act=vote]').isEnabled());
  clean(rec);
  await context.close();
});

test('another participant\'s note appears live; edit and delete only one\'s own', { timeout: 60000 }, async () => {
  const { context, page, rec } = await joined();
  const other = await participant(srv.port, S.code, 'Awa');
  ok(await other.request('note.add', { board: board.id, text: 'Un ramassage collectif chaque mois', color: 'pink' }));
  const theirs = note(page, 'Un ramassage collectif chaque mois');
  await theirs.waitFor();
  assert.match(await theirs.textContent(), /Awa/);
  assert.equal(await theirs.locator('button[data-act=edit]').count(), 0, 'no edit on another\'s note');
  assert.equal(await theirs.locator('button[data-act=delete]').count(), 0, 'no delete on another\'s note');
  // the live region tells screen readers
  await page.locator('#announce', { hasText: 'Nouveau post-it : Un ramassage collectif chaque mois' }).waitFor();

  // their later edit arrives too
  const added = other.events.find((e) => e.ev === 'note.added' && e.note.text.startsWith('Un ramassage'));
  ok(await other.request('note.update', { board: board.id, note: added.note.id, text: 'Un ramassage collectif chaque semaine' }));
  await note(page, 'Un ramassage collectif chaque semaine').waitFor();

  await addNote(page, 'Plus de poubelles');
  const key = await note(page, 'Plus de poubelles').getAttribute('data-key');
  const mine = page.locator(`[data-key="${key}"]`);
  await mine.locator('button[data-act=edit]').click();
  const ta = mine.locator('textarea');
  assert.equal(await ta.evaluate((el) => el === document.activeElement), true, 'the edit field has the focus');
  await ta.fill('Plus de poubelles de tri');
  await mine.locator('button[data-act=save]').click();
  await note(page, 'Plus de poubelles de tri').waitFor();
  await until(async () => (await boardNotes(S.fac, board.id)).some((n) => n.text === 'Plus de poubelles de tri'), 'the edit stored');

  // the other participant sees the edit live
  await until(() => other.events.some((e) => e.ev === 'note.updated' && e.note.text === 'Plus de poubelles de tri'), 'note.updated reaches the other');

  const edited = note(page, 'Plus de poubelles de tri');
  await edited.locator('button[data-act=delete]').click();
  await edited.locator('button[data-act=confirm]').click();
  await edited.waitFor({ state: 'detached' });
  await until(async () => !(await boardNotes(S.fac, board.id)).some((n) => n.text === 'Plus de poubelles de tri'), 'the delete stored');
  await other.close();
  clean(rec);
  await context.close();
});

test('a note the facilitator hides disappears, and comes back when shown', { timeout: 60000 }, async () => {
  const { context, page, rec } = await joined();
  const other = await participant(srv.port, S.code, 'Paul');
  const r = ok(await other.request('note.add', { board: board.id, text: 'Une remarque hors sujet', color: 'orange' }));
  await note(page, 'Une remarque hors sujet').waitFor();
  ok(await S.fac.request('note.hide', { board: board.id, note: r.note.id }));
  await note(page, 'Une remarque hors sujet').waitFor({ state: 'detached' });
  ok(await S.fac.request('note.show', { board: board.id, note: r.note.id }));
  await note(page, 'Une remarque hors sujet').waitFor();
  ok(await S.fac.request('note.hide', { board: board.id, note: r.note.id }));
  await note(page, 'Une remarque hors sujet').waitFor({ state: 'detached' });
  await other.close();
  clean(rec);
  await context.close();
});

test('a note with HTML in it is shown as text, nothing runs', { timeout: 60000 }, async () => {
  const evil = '<img src=x onerror=alert(1)>';
  const { context, page, rec } = await joined();
  const other = await participant(srv.port, S.code, '<b>Mallory</b>');
  ok(await other.request('note.add', { board: board.id, text: evil }));
  const theirs = note(page, evil);
  await theirs.waitFor();
  assert.equal(await theirs.locator('.note-text').textContent(), evil);
  assert.equal(await theirs.locator('img').count(), 0, 'no <img> element was made');
  assert.match(await theirs.textContent(), /<b>Mallory<\/b>/);
  assert.equal(await page.locator('#main b').count(), 0);
  // typed in the page too
  await addNote(page, `${evil} <script>alert(2)</script>`);
  assert.equal(await page.locator('#main img, #main script').count(), 0);
  await page.waitForTimeout(300);
  assert.deepEqual(rec.dialogs, [], 'no dialog opened');
  await other.close();
  clean(rec);
  await context.close();
});

test('a locked board says so and disables input; unlocked, it works again', { timeout: 60000 }, async () => {
  // a session of its own, with realistic notes for the screenshots
  const L = await makeSession(srv.port, {
    title: 'Le parc de demain',
    boards: [{ kind: 'wall', title: 'Vos idées pour le parc', prompt: 'Qu’aimeriez-vous trouver dans le parc ?', vote_limit: 3 }],
  });
  const lb = L.boards[0];
  const other = await participant(srv.port, L.code, 'Awa');
  for (const [text, color] of [['Des jeux pour les enfants', 'yellow'], ['Un potager partagé', 'green'], ['Plus d’ombre en été', 'blue']]) {
    ok(await other.request('note.add', { board: lb.id, text, color }));
  }
  const o = await open(browser);
  const { context, page, rec } = o;
  await page.goto(`${srv.url}/j/${L.code}`);
  await page.fill('#name', 'Marie');
  await page.click('button[type=submit]');
  await page.locator('#note-text').waitFor();
  await addNote(page, 'Des bancs à l’ombre', 'pink');
  await note(page, 'Un potager partagé').locator('button[data-act=vote]').click();
  await note(page, 'Un potager partagé').locator('.note-votes', { hasText: '1 vote' }).waitFor();
  await axe(page, 'wall with notes');
  await page.evaluate(() => { document.activeElement.blur(); window.scrollTo(0, 0); });
  await shot(page, 'phone-session');
  await page.locator('.votes-left').evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await shot(page, 'phone-wall');

  ok(await L.fac.request('board.lock', { board: lb.id }));
  await page.locator('#board .locked-banner', { hasText: 'Ce tableau est fermé' }).waitFor();
  assert.ok(await page.locator('#note-text').isDisabled(), 'the text field is disabled');
  assert.ok(await page.locator('.add-form button[type=submit]').isDisabled(), 'the add button is disabled');
  const mine = note(page, 'Des bancs à l’ombre');
  assert.ok(await mine.locator('button[data-act=vote]').isDisabled(), 'voting is disabled');
  assert.ok(await mine.locator('button[data-act=edit]').isDisabled(), 'editing is disabled');
  await page.locator('#announce', { hasText: 'Le tableau Vos idées pour le parc est fermé.' }).waitFor();
  await axe(page, 'locked board');
  await page.evaluate(() => { document.activeElement.blur(); window.scrollTo(0, 0); });
  await shot(page, 'phone-locked');

  ok(await L.fac.request('board.unlock', { board: lb.id }));
  await page.locator('#board .locked-banner').waitFor({ state: 'hidden' });
  assert.ok(await page.locator('#note-text').isEnabled());
  await addNote(page, 'Une idée après la réouverture');
  await other.close();
  await L.fac.close();
  clean(rec);
  await context.close();
});

test('several boards are tabs; a new board is followed; the keyboard moves between tabs', { timeout: 60000 }, async () => {
  const { context, page, rec } = await joined();
  const r = ok(await S.fac.request('board.create', { session: S.code, kind: 'wall', title: 'Priorités', vote_limit: 2 }));
  await page.locator('h2', { hasText: 'Priorités' }).waitFor();
  const tabs = page.locator('[role=tab]');
  assert.equal(await tabs.count(), 2);
  assert.equal(await page.locator('[role=tab][aria-selected=true]').textContent(), 'Priorités');
  await page.locator('[role=tab][aria-selected=true]').focus();
  await page.keyboard.press('ArrowLeft');
  await page.locator('h2', { hasText: 'Vos idées' }).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Vos idées');
  await page.keyboard.press('ArrowRight');
  await page.locator('h2', { hasText: 'Priorités' }).waitFor();
  await page.locator('.votes-left', { hasText: 'Il vous reste 2 votes.' }).waitFor();
  await addNote(page, 'Sur le deuxième tableau');
  const notes = await boardNotes(S.fac, r.board.id);
  assert.deepEqual(notes.map((n) => n.text), ['Sur le deuxième tableau']);
  clean(rec);
  await context.close();
});

test('a closed session says so and takes no more input; reopened, it does', { timeout: 60000 }, async () => {
  const { context, page, rec } = await joined();
  ok(await S.fac.request('session.close', { session: S.code }));
  await page.locator('.closed-banner', { hasText: 'Cet atelier est terminé' }).waitFor();
  assert.ok(await page.locator('#note-text').isDisabled(), 'the text field is disabled');
  assert.ok(await page.locator('.note button[data-act=vote]').first().isDisabled(), 'voting is disabled');
  // a reload while closed shows it at once
  await page.reload();
  await page.locator('.closed-banner', { hasText: 'Cet atelier est terminé' }).waitFor();
  await axe(page, 'closed session');
  ok(await S.fac.request('session.reopen', { session: S.code }));
  await page.locator('.closed-banner').waitFor({ state: 'hidden' });
  assert.ok(await page.locator('#note-text').isEnabled());
  clean(rec);
  await context.close();
});

test('keyboard alone: join, write a note in a colour, vote', { timeout: 60000 }, async () => {
  const { context, page, rec } = await open(browser, { isMobile: false, hasTouch: false });
  const active = () => page.evaluate(() => {
    const a = document.activeElement;
    return `${a.tagName.toLowerCase()}${a.id ? `#${a.id}` : ''} ${(a.textContent || '').trim().slice(0, 30)}`.trim();
  });
  const tabTo = async (pattern, max = 15) => {
    for (let i = 0; i < max; i++) {
      await page.keyboard.press('Tab');
      if (pattern.test(await active())) return;
    }
    throw new Error(`Tab never reached ${pattern} (at ${await active()})`);
  };
  await page.goto(`${srv.url}/`);
  assert.equal(await active(), 'input#code', 'the code field has the focus');
  await page.keyboard.type(S.code.toLowerCase());
  await page.keyboard.press('Enter');
  await page.locator('#name').waitFor();
  await tabTo(/^input#name/);
  await page.keyboard.type('Clavier');
  await page.keyboard.press('Enter');
  await page.locator('#note-text').waitFor();
  await tabTo(/^textarea#note-text/);
  await page.keyboard.type('Écrit au clavier');
  await page.keyboard.press('Tab');                   // the colours: one stop, arrows choose
  assert.match(await active(), /^input#color-/);
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.locator('input[name=color]:checked').getAttribute('value'), 'blue');
  await page.keyboard.press('Tab');
  assert.match(await active(), /^button Ajouter/);
  await page.keyboard.press('Enter');
  const mine = note(page, 'Écrit au clavier');
  await mine.waitFor();
  assert.match(await mine.getAttribute('class'), /c-blue/);
  assert.equal(await active(), 'textarea#note-text', 'back in the field for the next idea');
  await tabTo(/^button Voter/);
  await page.keyboard.press('Enter');
  await page.locator('.note-votes', { hasText: '(dont 1 de vous)' }).first().waitFor();
  assert.match(await active(), /^button Voter/, 'the focus stays on the vote button');
  // a visible focus ring
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(outline, 'none');
  clean(rec);
  await context.close();
});
