// Members and what they do through the pages, using the labels and ids of
// docs/web.md (the contract between the pages and these tests).
import assert from 'node:assert/strict';
import { t, api, TENANT } from './env.mjs';
import { newPage, token, eventually, expectPath, expectAttribute } from './browser.mjs';

/** A unique, valid identity (display name 2–40 characters, no @). */
export function identity(prefix = 'Moth') {
  const id = token(4);
  return {
    name: `${prefix} ${id}`,
    email: `${prefix.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${id}@e2e.example.org`,
    password: `calm-${id}-${token(4)}`,
  };
}

/** Fills and submits the sign-up form on the page (already at /signup). */
export async function fillSignUp(page, who, { age = '18 or over', accept = true } = {}) {
  await page.getByLabel('Display name', { exact: true }).fill(who.name);
  await page.getByLabel('Email', { exact: true }).fill(who.email);
  await page.getByLabel('Password', { exact: true }).fill(who.password);
  if (age) {
    await page.getByRole('group', { name: 'Age' }).getByLabel(age, { exact: true }).check();
  }
  if (accept) {
    await page.getByLabel('I have read and accept the community guidelines', { exact: true }).check();
  }
  await page.getByRole('button', { name: 'Create account', exact: true }).click();
}

/** The site navigation's Sign out button: its presence means signed in. */
export function signOutButton(page) {
  return page.locator('.site-nav').getByRole('button', { name: 'Sign out', exact: true });
}

/**
 * A new member, signed up through the sign-up form of the hub at `base`, in a
 * browser context of its own. Returns { context, page, base, name, email, password }.
 */
export async function signUpMember(browser, base, { prefix = 'Moth', age = '18 or over', contextOptions } = {}) {
  const who = identity(prefix);
  const { context, page } = await newPage(browser, contextOptions);
  await page.goto(t(base, '/signup'));
  await fillSignUp(page, who, { age });
  // Sign-up starts no session: it leads to the sign-in form.
  await expectPath(page, (u) => u.pathname.endsWith('/signin'), { message: `sign-up of ${who.name} did not lead to /signin` });
  await signIn(page, base, who);
  await signOutButton(page).waitFor();
  return { context, page, base, ...who };
}

/** Signs in through the sign-in form. */
export async function signIn(page, base, who) {
  await page.goto(t(base, '/signin'));
  await page.getByLabel('Email', { exact: true }).fill(who.email);
  await page.getByLabel('Password', { exact: true }).fill(who.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** The directory card of a group. */
export function groupCard(page, slug) {
  return page.locator(`li.group-card[data-group="${slug}"]`);
}

/** Joins a group from the directory; the page lands in the room. Returns the group's name. */
export async function joinGroup(page, base, slug) {
  await page.goto(t(base, '/groups'));
  const card = groupCard(page, slug);
  const name = (await card.locator('h2 > a').textContent()).trim();
  await card.getByRole('button', { name: `Join ${name}`, exact: true }).click();
  await expectPath(page, `/t/${TENANT}/groups/${slug}`, { message: `joining ${slug} did not land in the room` });
  await page.locator('#room').waitFor();
  return name;
}

/** Waits until the room's connection is open. */
export async function waitOpen(page, timeout = 15_000) {
  await expectAttribute(page.locator('#connection-status'), 'data-state', 'open', { timeout, message: 'room connection did not open' });
}

/** Opens the room of a group the member is in and waits for its connection. */
export async function openRoom(page, base, slug) {
  await page.goto(t(base, `/groups/${slug}`));
  await page.locator('#room').waitFor();
  await waitOpen(page);
}

/** The messages shown in the room, top to bottom. */
export async function roomMessages(page) {
  return page.locator('#messages li.message').evaluateAll((items) => items.map((li) => ({
    seq: li.hasAttribute('data-seq') ? Number(li.getAttribute('data-seq')) : null,
    id: li.getAttribute('data-id'),
    pending: li.classList.contains('message-pending'),
    removed: li.classList.contains('message-removed'),
    author: li.querySelector('.message-author')?.textContent.trim() ?? null,
    text: li.querySelector('.message-text')?.textContent ?? null,
  })));
}

/**
 * Checks the room's list: every message has a seq, seqs strictly increase,
 * ids are unique, nothing is left pending. Returns the messages.
 */
export function assertWellOrdered(messages, where = 'room') {
  const pending = messages.filter((m) => m.pending || m.seq === null);
  assert.deepEqual(pending, [], `${where}: messages still pending or without data-seq`);
  for (let i = 1; i < messages.length; i++) {
    assert.ok(messages[i].seq > messages[i - 1].seq,
      `${where}: seq ${messages[i].seq} follows ${messages[i - 1].seq} (position ${i}); want strictly increasing`);
  }
  const ids = messages.map((m) => m.id);
  assert.equal(new Set(ids).size, ids.length, `${where}: duplicate data-id in ${JSON.stringify(ids)}`);
  assert.ok(ids.every((id) => id), `${where}: a message has no data-id`);
  return messages;
}

/**
 * Sends a message through the composer and waits for its ack: the own
 * message is then shown with a data-seq. Returns its seq.
 */
export async function sendMessage(page, text) {
  const box = page.getByLabel('Message', { exact: true });
  await box.fill(text);
  await page.locator('#composer').getByRole('button', { name: 'Send', exact: true }).click();
  return eventually(async () => {
    const mine = (await roomMessages(page)).filter((m) => m.text === text);
    assert.equal(mine.length, 1, `"${text}" shown ${mine.length} times`);
    assert.ok(mine[0].seq !== null && !mine[0].pending, `"${text}" is still pending`);
    return mine[0].seq;
  }, { timeout: 15_000, message: `sent message "${text}" was not acknowledged` });
}

/** Waits until the room shows a message with exactly this text (once). */
export async function waitForMessage(page, text, timeout = 15_000) {
  return eventually(async () => {
    const found = (await roomMessages(page)).filter((m) => m.text === text);
    assert.equal(found.length, 1, `"${text}" shown ${found.length} times`);
    assert.ok(found[0].seq !== null, `"${text}" has no data-seq`);
    return found[0];
  }, { timeout, message: `message "${text}" did not arrive` });
}

/** The API's view of the groups for a filter, with the page's own session cookie. */
export async function apiGroupSlugs(page, base, query = '') {
  const res = await page.request.get(api(base, `/groups${query}`));
  assert.equal(res.status(), 200, `GET /groups${query}: ${res.status()}`);
  return (await res.json()).groups.map((g) => g.slug).sort();
}
