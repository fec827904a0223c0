// Staff marks (issue 14, item 9): the room marks a message's author as
// "Moderator" or "Admin" from the role the server stored with the message
// (author.role, docs/protocol.md), live and after a reload; a member whose
// chosen name says "Moderator" gets no mark. Uses a group of its own.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { HUB_A, HUB_B, api } from '../lib/env.mjs';
import { launchBrowser, assertNoProblems, eventually, token } from '../lib/browser.mjs';
import { signUpMember, joinGroup, waitOpen, sendMessage, waitForMessage, openRoom } from '../lib/member.mjs';
import { adminApi, createGroup } from '../lib/room.mjs';
import { signInAdmin, messageById } from '../lib/moderation.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

/** The member's own id, from GET /me with the page's session. */
async function memberId(page, base) {
  const res = await page.request.get(api(base, '/me'));
  assert.equal(res.status(), 200, `GET /me: ${res.status()}`);
  return (await res.json()).user.id;
}

/** The staff badge text of a message in the room ('' when it has none). */
async function badgeOf(page, id) {
  const badge = messageById(page, id).locator('.staff-badge');
  return (await badge.count()) ? (await badge.textContent()).trim() : '';
}

test('staff names are marked from the message\'s stored role, never from the name', { timeout: 240_000 }, async () => {
  const g = await createGroup(HUB_A, { prefix: 'staff' });
  const call = await adminApi(HUB_A);
  const warden = await signUpMember(browser, HUB_A, { prefix: 'Warden' });
  const pretender = await signUpMember(browser, HUB_A, { prefix: 'Moderator' });
  const reader = await signUpMember(browser, HUB_B, { prefix: 'Reader' });
  const admin = await signInAdmin(browser, HUB_A);
  try {
    const assigned = await call('PUT', `/groups/${g.slug}/moderators/${await memberId(warden.page, HUB_A)}`);
    assert.equal(assigned.status, 204, `assign the group's moderator: ${assigned.status} ${JSON.stringify(assigned.body)}`);
    for (const m of [warden, pretender, admin]) {
      await joinGroup(m.page, HUB_A, g.slug);
      await waitOpen(m.page);
    }
    await joinGroup(reader.page, HUB_B, g.slug);
    await waitOpen(reader.page);

    const said = [
      { who: warden, text: `Moderating here tonight, go gently ${token(2)}`, badge: 'Moderator' },
      { who: pretender, text: `Hello from the moderator team ${token(2)}`, badge: '' },
      { who: admin, text: `Welcome to the room, everyone ${token(2)}`, badge: 'Admin' },
    ];
    for (const s of said) {
      await sendMessage(s.who.page, s.text);
      s.id = (await waitForMessage(reader.page, s.text)).id;
    }
    // Live, on the other hub.
    for (const s of said) {
      await eventually(async () => assert.equal(await badgeOf(reader.page, s.id), s.badge, `live: "${s.text}"`),
        { message: `live mark of "${s.text}"` });
    }
    // From history, after a reload.
    await openRoom(reader.page, HUB_B, g.slug);
    for (const s of said) {
      await waitForMessage(reader.page, s.text);
      assert.equal(await badgeOf(reader.page, s.id), s.badge, `history: "${s.text}"`);
    }
    // The page carries no list of staff ids of its own any more.
    assert.equal(await reader.page.locator('#room[data-staff]').count(), 0, 'the room has no data-staff attribute');
    assertNoProblems(reader.page, 'staff marks room');
  } finally {
    for (const m of [warden, pretender, reader, admin]) await m.context.close();
  }
});
