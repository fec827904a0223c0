// Moderation through the pages: a member flags a message from the room's
// flag dialog and a moderator removes it from the queue; posts held by a
// group's policy wait for a moderator; a crisis message gets a private
// notice and tops the queue; axe-core on the queue, a case page and the
// room with the flag dialog open, in every theme (screenshots
// moderation-queue-*, moderation-case-*, flag-dialog-*).
// Groups used here and nowhere else: `hemiplegic` (flag and remove),
// `teen` (held posts), `brainstem-aura` (crisis) and `caregivers` (axe).
// The admin of the run's community is the moderator: admins moderate every group.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { HUB_A, HUB_B, t, api } from '../lib/env.mjs';
import { launchBrowser, assertNoProblems, eventually, expectText, expectAttribute, token } from '../lib/browser.mjs';
import {
  signUpMember, joinGroup, waitOpen, sendMessage, waitForMessage, roomMessages, assertWellOrdered,
} from '../lib/member.mjs';
import {
  signInAdmin, messageItem, messageById, flagDialog, expectDialog, focused, queueItem, queueTitles,
  openCase, claim, decide,
} from '../lib/moderation.mjs';
import { THEMES, chooseTheme, checkPage } from '../lib/a11y.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const THANKS = /^Thank you\. A moderator will look at it; you'll see what happened under Settings\.$/;

test('moderation: a member flags, a moderator removes, the message disappears from the member\'s screen',
  { timeout: 180_000 }, async () => {
    const slug = 'hemiplegic';
    const a = await signUpMember(browser, HUB_A, { prefix: 'Heron' });
    const b = await signUpMember(browser, HUB_B, { prefix: 'Finch' });
    const admin = await signInAdmin(browser, HUB_A);
    try {
      await joinGroup(a.page, HUB_A, slug);
      await joinGroup(b.page, HUB_B, slug);
      await waitOpen(a.page);
      await waitOpen(b.page);

      const text = `Ask me about the headache gadget I sell, cheap today ${token()}`;
      await sendMessage(a.page, text);
      const seen = await waitForMessage(b.page, text);
      assert.equal(seen.author, a.name, 'B sees who wrote it');

      // The author has no Flag button on their own message; B has one, named for the author.
      assert.equal(await messageItem(a.page, text).locator('button.message-flag').count(), 0, 'no Flag button on your own message');
      const item = messageItem(b.page, text);
      const flag = item.getByRole('button', { name: `Flag message from ${a.name}`, exact: true });
      assert.equal(await flag.count(), 1, 'B sees one Flag button on the message');
      assert.equal((await flag.textContent()).trim(), 'Flag', 'the button reads "Flag"');
      assert.match(await flag.getAttribute('class'), /\bmessage-flag\b.*\bbutton-link\b|\bbutton-link\b.*\bmessage-flag\b/);

      const d = flagDialog(b.page);
      const firstRadio = async () => (await focused(b.page)).type === 'radio';

      // From the keyboard: Enter opens the dialog, with the first reason focused
      // and the message quoted; Escape closes it and the focus is back on Flag.
      await flag.focus();
      await b.page.keyboard.press('Enter');
      await expectDialog(b.page, true);
      await eventually(async () => assert.ok(await firstRadio(), `focus: ${JSON.stringify(await focused(b.page))}`),
        { message: 'the first reason is not focused when the dialog opens' });
      assert.equal(await d.quote.textContent(), text, 'the dialog quotes the message');
      await b.page.keyboard.press('Escape');
      await expectDialog(b.page, false, 'Escape did not close the dialog');
      await eventually(async () => assert.equal((await focused(b.page)).name, `Flag message from ${a.name}`),
        { message: 'Escape did not return the focus to the Flag button' });

      // Cancel closes it too, and nothing was sent.
      await flag.click();
      await expectDialog(b.page, true);
      await d.cancel.click();
      await expectDialog(b.page, false, 'Cancel did not close the dialog');
      await eventually(async () => assert.equal((await focused(b.page)).name, `Flag message from ${a.name}`),
        { message: 'Cancel did not return the focus to the Flag button' });
      assert.equal((await flag.textContent()).trim(), 'Flag', 'cancelled: still not flagged');

      // "Something else" needs a note: the API's word shows in the dialog, which stays open.
      await flag.click();
      await expectDialog(b.page, true);
      await d.reason('Something else (say what)').check();
      await d.send.click();
      await expectText(d.status, /say briefly what is wrong/i);
      await expectDialog(b.page, true, 'the dialog closed after a refused flag');
      assert.equal(await d.note.getAttribute('aria-invalid'), 'true', 'the note is marked invalid');

      // The real flag: spam.
      await d.reason('Spam or selling').check();
      await d.send.click();
      await expectDialog(b.page, false, 'the dialog did not close after the flag was sent');
      await expectText(b.page.locator('#composer-status'), THANKS);
      const flagged = item.getByRole('button', { name: `Flagged message from ${a.name}`, exact: true });
      await flagged.waitFor();
      assert.equal((await flagged.textContent()).trim(), 'Flagged');
      assert.equal(await flagged.isDisabled(), true, 'the Flagged button is disabled');

      // B's Settings (in another tab, the room stays open) lists the flag, not decided yet.
      const settings = await b.context.newPage();
      await settings.goto(t(HUB_B, '/settings'));
      const myFlags = settings.locator('ul.my-flags > li');
      assert.equal(await myFlags.count(), 1, 'Settings lists one flag');
      assert.match(await myFlags.first().textContent(), /Spam or selling.*not decided yet/);

      // The admin finds it in the queue, takes it and removes it as selling.
      await openCase(admin.page, HUB_A, text);
      await admin.page.getByRole('heading', { name: 'Flags', exact: true }).waitFor();
      await claim(admin.page);
      await admin.page.getByLabel('Reason shown to the author if removed', { exact: true }).selectOption({ label: 'Selling or advertising' });
      await decide(admin.page, 'Remove');
      assert.equal(await queueItem(admin.page, text).count(), 0, 'the removed item left the waiting queue');

      // Both rooms, still open and never reloaded, show it removed, with no text.
      for (const [who, page] of [['B (the reporter)', b.page], ['A (the author)', a.page]]) {
        const li = messageById(page, seen.id);
        await expectAttribute(li, 'class', /\bmessage-removed\b/, { timeout: 15_000, message: `${who}: the message is not shown as removed` });
        const shown = await li.textContent();
        assert.ok(!shown.includes(text), `${who}: the removed message still shows its text: ${shown}`);
        assert.match(shown, /Message removed/);
        assert.equal(await li.locator('button.message-flag').count(), 0, `${who}: a removed message has no Flag button`);
        assert.equal(await page.locator('#messages li.message.message-removed').count(), 1, `${who}: one removed message`);
      }
      assertWellOrdered(await roomMessages(b.page), 'B after the removal');

      // B's Settings now says what happened.
      await settings.reload();
      await expectText(settings.locator('ul.my-flags > li').first(), /Spam or selling.*removed/);
      assertNoProblems(a.page, 'A\'s room');
      assertNoProblems(b.page, 'B\'s room');
      assertNoProblems(admin.page, 'the moderation pages');
    } finally {
      await a.context.close();
      await b.context.close();
      await admin.context.close();
    }
  });

test('moderation: held posts wait for a moderator', { timeout: 180_000 }, async () => {
  const slug = 'teen';
  const w = await signUpMember(browser, HUB_A, { prefix: 'Wren', age: '13 to 17' });
  const r = await signUpMember(browser, HUB_B, { prefix: 'Robin', age: '13 to 17' });
  const admin = await signInAdmin(browser, HUB_A);
  try {
    await joinGroup(w.page, HUB_A, slug);
    await joinGroup(r.page, HUB_B, slug);
    await waitOpen(w.page);
    await waitOpen(r.page);

    // Wren posts; the hub holds it (hold_all) and says so on Wren's own item.
    const text = `Exams tomorrow and my head is pounding ${token()}`;
    await w.page.getByLabel('Message', { exact: true }).fill(text);
    await w.page.locator('#composer').getByRole('button', { name: 'Send', exact: true }).click();
    const own = w.page.locator('#messages li.message').filter({ has: w.page.getByText(text, { exact: true }) });
    await expectAttribute(own, 'class', /\bmessage-held\b/, { timeout: 15_000, message: 'the post is not shown as held' });
    await expectText(own.locator('.message-state'), /^Waiting for a moderator/);
    assert.equal(await own.getAttribute('data-seq'), null, 'a held post has no seq');

    // Robin, on the other hub, does not see it: not live, not in the history.
    assert.ok(!(await roomMessages(r.page)).some((m) => m.text === text), 'Robin sees the held post');
    const hist = await r.page.request.get(api(HUB_B, `/groups/${slug}/messages`));
    assert.equal(hist.status(), 200);
    assert.ok(!(await hist.json()).messages.some((m) => m.text === text), 'the held post is in the history');

    // The admin approves it from its case page.
    await openCase(admin.page, HUB_A, text);
    await admin.page.getByText('Held: the group\'s posting policy; the group has not seen it', { exact: true }).waitFor();
    await claim(admin.page);
    await decide(admin.page, 'Approve: show it to the group');

    // Both now see it as an ordinary message, once, with the same id and seq.
    const forRobin = await waitForMessage(r.page, text);
    const forWren = await waitForMessage(w.page, text);
    assert.equal(forRobin.id, forWren.id, 'the same message');
    assert.equal(forRobin.seq, forWren.seq, 'at the same seq');
    await eventually(async () => {
      const mine = (await roomMessages(w.page)).filter((m) => m.text === text);
      assert.equal(mine.length, 1, `Wren sees it ${mine.length} times`);
      assert.equal(mine[0].pending, false, 'still pending for Wren');
      assert.equal(await w.page.locator('#messages li.message-held').count(), 0, 'Wren still has a held item');
    }, { message: 'Wren\'s held item did not become the message' });
    assertWellOrdered(await roomMessages(w.page), 'Wren');
    assertWellOrdered(await roomMessages(r.page), 'Robin');
    assert.equal((await roomMessages(r.page)).filter((m) => m.text === text).length, 1, 'Robin sees it once');
    assertNoProblems(w.page, 'Wren\'s room');
    assertNoProblems(r.page, 'Robin\'s room');
    assertNoProblems(admin.page, 'the moderation pages');
  } finally {
    await w.context.close();
    await r.context.close();
    await admin.context.close();
  }
});

test('moderation: crisis: the author sees a calm private notice', { timeout: 120_000 }, async () => {
  const slug = 'brainstem-aura';
  const p = await signUpMember(browser, HUB_B, { prefix: 'Plover' });
  const o = await signUpMember(browser, HUB_A, { prefix: 'Osprey' });
  const admin = await signInAdmin(browser, HUB_A);
  try {
    await joinGroup(p.page, HUB_B, slug);
    await joinGroup(o.page, HUB_A, slug);
    await waitOpen(p.page);
    await waitOpen(o.page);
    const notice = p.page.locator('#room-notice');
    assert.equal(await notice.isVisible(), false, 'no notice before');

    const text = 'I want to end my life tonight';
    await sendMessage(p.page, text);
    await notice.waitFor({ state: 'visible' });
    await expectText(notice, /emergency number/);
    assert.equal(await notice.getAttribute('role'), 'status');
    // Private: the other member gets the message (crisis words are never held) but no notice.
    await waitForMessage(o.page, text);
    assert.equal(await o.page.locator('#room-notice').isVisible(), false, 'the notice is only for the author');

    await admin.page.goto(t(HUB_A, '/moderation'));
    const titles = await queueTitles(admin.page);
    // Groups go by their display names (issue 16, item 11).
    assert.equal(titles[0], `Crisis: ${p.name} in Migraine with brainstem aura`, `the queue's first item: ${JSON.stringify(titles)}`);
    const first = admin.page.locator('ol.queue > li.queue-item').first();
    assert.equal((await first.locator('.queue-text').textContent()).trim(), text);
    assert.match(await first.getAttribute('class'), /\bqueue-crisis\b/);
    assertNoProblems(p.page, 'the author\'s room');
    assertNoProblems(admin.page, 'the queue');
  } finally {
    await p.context.close();
    await o.context.close();
    await admin.context.close();
  }
});

test('moderation: axe finds nothing serious on the queue, a case page and the flag dialog, in any theme',
  { timeout: 420_000 }, async () => {
    const slug = 'caregivers';
    const x = await signUpMember(browser, HUB_A, { prefix: 'Tern' });
    const y = await signUpMember(browser, HUB_B, { prefix: 'Avocet' });
    const admin = await signInAdmin(browser, HUB_A);
    const failures = [];
    try {
      await joinGroup(x.page, HUB_A, slug);
      await joinGroup(y.page, HUB_B, slug);
      await waitOpen(x.page);
      await waitOpen(y.page);
      const flaggedText = `My partner's number is on the fridge if anyone needs it ${token()}`;
      const openText = `Dark room, cold cloth, and the dog on my feet ${token()}`;
      await sendMessage(y.page, flaggedText);
      await sendMessage(y.page, openText);

      // Tern flags the first message (so the queue has a case with a flag and a note).
      await waitForMessage(x.page, flaggedText);
      const d = flagDialog(x.page);
      await messageItem(x.page, flaggedText).getByRole('button', { name: `Flag message from ${y.name}`, exact: true }).click();
      await expectDialog(x.page, true);
      await d.reason('Someone\'s personal details').check();
      await d.note.fill('A phone number, maybe not meant for everyone.');
      await d.send.click();
      await expectDialog(x.page, false);
      await expectText(x.page.locator('#composer-status'), THANKS);
      const caseUrl = await openCase(admin.page, HUB_A, flaggedText);

      const room = t(HUB_A, `/groups/${slug}`);
      const pages = {
        queue: {
          name: 'moderation-queue',
          url: () => t(HUB_A, '/moderation'),
          ready: (page) => queueItem(page, flaggedText).waitFor(),
        },
        case: {
          name: 'moderation-case',
          url: () => caseUrl,
          ready: (page) => page.getByRole('button', { name: 'Remove', exact: true }).waitFor(),
        },
        dialog: {
          name: 'flag-dialog',
          url: () => room,
          ready: async (page) => {
            await waitOpen(page);
            await waitForMessage(page, openText);
            await messageItem(page, openText).getByRole('button', { name: `Flag message from ${y.name}`, exact: true }).click();
            await expectDialog(page, true);
            const q = await page.locator('#flag-quote').textContent();
            assert.equal(q, openText, 'the dialog quotes the message');
          },
        },
      };
      for (const theme of THEMES) {
        for (const [who, list] of [[admin, [pages.queue, pages.case]], [x, [pages.dialog]]]) {
          await chooseTheme(who.page, theme);
          await who.page.emulateMedia({ colorScheme: theme.scheme ?? null });
          for (const entry of list) {
            const f = await checkPage(who.page, entry, theme);
            if (f) failures.push(f);
          }
        }
      }
      assertNoProblems(x.page, 'the room');
      assertNoProblems(admin.page, 'the moderation pages');
    } finally {
      await x.context.close();
      await y.context.close();
      await admin.context.close();
    }
    assert.equal(failures.length, 0, `axe violations (serious or critical):\n\n${failures.join('\n\n')}\n`);
  });
