// Presence across the two hub instances, and lurking: a lurker is not shown
// as online. Group used here and nowhere else: `menstrual`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { HUB_A, HUB_B } from '../lib/env.mjs';
import { launchBrowser, assertNoProblems, eventually, expectAttribute } from '../lib/browser.mjs';
import { signUpMember, joinGroup, waitOpen } from '../lib/member.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

/** The names in a room's "Online now" list. */
async function online(page) {
  return page.locator('#presence-list > li').evaluateAll((items) => items.map((li) => li.textContent.trim()));
}

async function expectOnline(page, name, present, message) {
  await eventually(async () => {
    const names = await online(page);
    const shown = names.some((n) => n.includes(name));
    assert.equal(shown, present, `${JSON.stringify(names)}`);
    // The count agrees with the list (its wording is the page's own).
    const count = (await page.locator('#presence-count').innerText()).trim();
    assert.match(count, new RegExp(`\\b${names.length}\\b`), `#presence-count "${count}" matches the ${names.length} names listed`);
  }, { timeout: 20_000, message });
}

test('a lurking member is not shown online; after "Stop lurking" they are again', { timeout: 120_000 }, async () => {
  const slug = 'menstrual';
  const a = await signUpMember(browser, HUB_A, { prefix: 'Dunlin' });
  const b = await signUpMember(browser, HUB_B, { prefix: 'Egret' });
  try {
    await joinGroup(a.page, HUB_A, slug);
    await joinGroup(b.page, HUB_B, slug);
    await waitOpen(a.page);
    await waitOpen(b.page);
    await a.page.getByRole('heading', { name: 'Online now', exact: true }).waitFor();

    // Each sees the other, across instances.
    await expectOnline(a.page, b.name, true, 'A does not see B online');
    await expectOnline(b.page, a.name, true, 'B does not see A online');

    // B lurks: gone from A's list.
    const room = b.page.locator('#room');
    await b.page.getByRole('button', { name: 'Start lurking', exact: true }).click();
    await expectAttribute(room, 'data-lurking', 'true');
    await b.page.getByRole('button', { name: 'Stop lurking', exact: true }).waitFor();
    await waitOpen(b.page);
    await expectOnline(a.page, b.name, false, 'B still shown online to A while lurking');
    // A lurker still reads the room: A is still online for B.
    await expectOnline(b.page, a.name, true, 'the lurker no longer sees A');

    // B takes part again: back in A's list.
    await b.page.getByRole('button', { name: 'Stop lurking', exact: true }).click();
    await expectAttribute(room, 'data-lurking', 'false');
    await b.page.getByRole('button', { name: 'Start lurking', exact: true }).waitFor();
    await waitOpen(b.page);
    await expectOnline(a.page, b.name, true, 'B not shown online to A after Stop lurking');
    assertNoProblems(a.page);
    assertNoProblems(b.page);
  } finally {
    await a.context.close();
    await b.context.close();
  }
});
