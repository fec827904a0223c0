// Editing and deleting your own message (issue 16, item 4): from the
// message's toolbar, with the keyboard; the other member, on the other hub,
// sees the edit and the tombstone live; axe in the dark, light and
// low-contrast themes on a phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { HUB_A, HUB_B, SCREENSHOT_DIR } from '../lib/env.mjs';
import { launchBrowser, assertNoProblems, eventually, token } from '../lib/browser.mjs';
import { signUpMember, joinGroup, waitOpen, sendMessage, waitForMessage, openRoom } from '../lib/member.mjs';
import { THEMES, chooseTheme } from '../lib/a11y.mjs';
import { seriousViolations, formatViolations } from '../lib/axe.mjs';
import { createGroup } from '../lib/room.mjs';
import { messageById, focused } from '../lib/moderation.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

test('edit and delete your own message from its toolbar; the other hub sees both', { timeout: 300_000 }, async () => {
  const g = await createGroup(HUB_A, { prefix: 'edits' });
  const a = await signUpMember(browser, HUB_A, { prefix: 'Tern' });
  const b = await signUpMember(browser, HUB_B, { prefix: 'Rail' });
  const failures = [];
  try {
    await joinGroup(a.page, HUB_A, g.slug);
    await joinGroup(b.page, HUB_B, g.slug);
    await waitOpen(a.page);
    await waitOpen(b.page);
    const first = `A bad afternoon, resting now ${token(2)}`;
    await sendMessage(a.page, first);
    const seen = await waitForMessage(b.page, first);
    // Others' messages have no Edit or Delete.
    assert.equal(await messageById(b.page, seen.id).locator('button.message-edit, button.message-delete').count(), 0);

    // Keyboard: from the message box back to the message, Right to Edit, Enter.
    await a.page.getByLabel('Message', { exact: true }).focus();
    await a.page.keyboard.press('Shift+Tab');
    await a.page.keyboard.press('ArrowRight');
    assert.equal((await focused(a.page)).name, 'Edit your message');
    await a.page.keyboard.press('Enter');
    const box = a.page.getByLabel('Message', { exact: true });
    assert.equal(await box.inputValue(), first, 'the text comes into the message box');
    assert.equal((await focused(a.page)).id, 'composer-text');
    await a.page.locator('#composer').getByRole('button', { name: 'Save', exact: true }).waitFor();
    const edited = `A bad afternoon, resting in the dark now ${token(2)}`;
    await box.fill(edited);
    await a.page.keyboard.press('Enter');
    await eventually(async () => {
      const li = messageById(b.page, seen.id);
      assert.equal(await li.locator('.message-text').textContent(), edited);
      assert.equal(await li.locator('.message-edited-note').textContent(), 'edited');
    }, { message: 'the other hub did not show the edit' });
    await a.page.locator('#composer').getByRole('button', { name: 'Send', exact: true }).waitFor();

    // Escape leaves an edit without changing anything.
    await messageById(a.page, seen.id).getByRole('button', { name: 'Edit your message', exact: true }).click();
    await box.fill('not this');
    await box.press('Escape');
    assert.equal(await box.inputValue(), '');
    assert.equal(await messageById(a.page, seen.id).locator('.message-text').textContent(), edited);

    // The room with an edited message, in three themes on a phone.
    for (const theme of THEMES.filter((th) => ['dark', 'light', 'low-contrast'].includes(th.name))) {
      await a.page.setViewportSize({ width: 1024, height: 768 });
      await chooseTheme(a.page, theme);
      await a.page.setViewportSize({ width: 390, height: 844 });
      await openRoom(a.page, HUB_A, g.slug);
      await waitForMessage(a.page, edited);
      const v = await seriousViolations(a.page);
      if (v.length) failures.push(`edited room ${theme.name}:\n${formatViolations(v)}`);
      await a.page.screenshot({ path: path.join(SCREENSHOT_DIR, `edits-phone-${theme.name}.png`) });
    }
    await a.page.setViewportSize({ width: 1024, height: 768 });

    // Delete, after a confirmation; both hubs show the tombstone.
    a.page.once('dialog', (d) => d.accept());
    await messageById(a.page, seen.id).getByRole('button', { name: 'Delete your message', exact: true }).click();
    await eventually(async () => {
      assert.equal(await messageById(b.page, seen.id).locator('.message-text').textContent(), 'Message deleted by its author');
      assert.equal(await messageById(a.page, seen.id).locator('.message-text').textContent(), 'You deleted this message');
      assert.equal(await messageById(a.page, seen.id).locator('button.message-edit, button.message-delete').count(), 0);
    }, { message: 'the deletion did not show' });
    // And after a reload, from history.
    await b.page.reload();
    await waitOpen(b.page);
    await eventually(async () => assert.equal(await messageById(b.page, seen.id).locator('.message-text').textContent(), 'Message deleted by its author'));
    assertNoProblems(a.page);
    assertNoProblems(b.page);
  } finally {
    await a.context.close();
    await b.context.close();
  }
  assert.equal(failures.length, 0, `axe violations:\n\n${failures.join('\n\n')}`);
});
