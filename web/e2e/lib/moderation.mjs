// Moderation through the pages (docs/web.md; docs/api.md, "Moderation"):
// the admin signed in, a message's Flag button and the flag dialog of the
// room, the queue at /t/{t}/moderation and an item's case page.
import assert from 'node:assert/strict';
import { ADMIN_EMAIL, ADMIN_PASSWORD, TENANT, t } from './env.mjs';
import { newPage, expectPath, eventually } from './browser.mjs';
import { signIn, signOutButton } from './member.mjs';

/** The admin of the run's community (who moderates every group), signed in through the form, in a context of its own. */
export async function signInAdmin(browser, base) {
  const { context, page } = await newPage(browser);
  await signIn(page, base, { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
  await expectPath(page, (u) => !u.pathname.endsWith('/signin'), { message: 'the admin\'s sign-in did not leave the form' });
  await signOutButton(page).waitFor();
  return { context, page, base };
}

/** The room's item (li.message) whose text is exactly `text`. */
export function messageItem(page, text) {
  return page.locator('#messages li.message').filter({
    has: page.locator('p.message-text').getByText(text, { exact: true }),
  });
}

/** The room's item of the message with this id, whatever it shows now. */
export function messageById(page, id) {
  return page.locator(`#messages li.message[data-id="${id}"]`);
}

/** The flag dialog and its parts. */
export function flagDialog(page) {
  const dialog = page.locator('#flag-dialog');
  return {
    dialog,
    quote: page.locator('#flag-quote'),
    status: page.locator('#flag-status'),
    note: page.locator('#flag-note'),
    send: dialog.getByRole('button', { name: 'Send to moderators', exact: true }),
    cancel: page.locator('#flag-cancel'),
    reason: (label) => dialog.getByRole('radio', { name: label, exact: true }),
  };
}

/** Whether the dialog is open as a modal (showModal, not show). */
export async function dialogState(page) {
  return page.locator('#flag-dialog').evaluate((d) => ({ open: d.open, modal: d.matches(':modal') }));
}

/** Waits until the flag dialog is open as a modal, or closed. */
export async function expectDialog(page, open, message) {
  await eventually(async () => {
    const s = await dialogState(page);
    assert.equal(s.open, open, `dialog open=${s.open}`);
    if (open) assert.equal(s.modal, true, 'the dialog is modal (showModal)');
  }, { message: message ?? `the flag dialog did not ${open ? 'open' : 'close'}` });
}

/** What has the keyboard focus: {tag, id, name (aria-label or text), type, value}. */
export async function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    return {
      tag: el?.tagName.toLowerCase(),
      id: el?.id || '',
      className: el?.className || '',
      name: el?.getAttribute('aria-label') || (el?.textContent || '').trim().slice(0, 60),
      type: el?.getAttribute('type') || '',
      value: el?.value ?? '',
    };
  });
}

/** The queue page's item about a message, found by its text. */
export function queueItem(page, text) {
  return page.locator('ol.queue > li.queue-item').filter({
    has: page.locator('.queue-text').getByText(text, { exact: true }),
  });
}

/** The titles (h2) of the queue's items, top to bottom. */
export async function queueTitles(page) {
  return page.locator('ol.queue > li.queue-item h2').evaluateAll((hs) => hs.map((h) => h.textContent.trim()));
}

/**
 * Opens the queue and then the case page of the item about `text`.
 * Returns the case page's address.
 */
export async function openCase(page, base, text) {
  await page.goto(t(base, '/moderation'));
  const item = queueItem(page, text);
  await eventually(async () => assert.equal(await item.count(), 1, `queue items about "${text}": ${await item.count()}`),
    { message: `the queue does not list "${text}"` });
  await item.locator('h2 a').click();
  await expectPath(page, (u) => /\/moderation\/[0-9a-f]+$/.test(u.pathname), { message: 'the queue item did not open its case page' });
  await page.getByRole('heading', { name: 'The message', exact: true }).waitFor();
  return page.url();
}

/** Clicks a form's submit button and returns the hub's answer to the POST. */
export async function submitVia(page, button) {
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && r.request().frame() === page.mainFrame()),
    button.click(),
  ]);
  return res;
}

/** On a case page: "I'm on it", then waits for the claim to show. */
export async function claim(page) {
  const res = await submitVia(page, page.getByRole('button', { name: 'I\'m on it', exact: true }));
  assert.ok(res.status() === 303 || res.status() === 302, `claiming answered ${res.status()}`);
  await page.getByRole('button', { name: 'Let someone else take it', exact: true }).waitFor();
}

/** On a case page: clicks a decision button; the hub goes back to the queue. */
export async function decide(page, buttonName) {
  const res = await submitVia(page, page.getByRole('button', { name: buttonName, exact: true }));
  if (res.status() !== 303 && res.status() !== 302) {
    const body = await res.text().catch(() => '');
    const errors = await page.locator('.form-errors').textContent().catch(() => '');
    assert.fail(`"${buttonName}" answered ${res.status()}: ${(errors || body).trim().slice(0, 300)}`);
  }
  await expectPath(page, `/t/${TENANT}/moderation`, { message: `"${buttonName}" did not go back to the queue` });
}
