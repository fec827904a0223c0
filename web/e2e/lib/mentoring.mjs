// Mentoring through the pages (docs/web.md, "Mentoring"): the mentor
// application, the reviewers' page, the mentee's request, the mentor's
// offers and a mentorship's conversation. Labels and ids are the contract.
import assert from 'node:assert/strict';
import { TENANT, t } from './env.mjs';
import { eventually, expectPath } from './browser.mjs';
import { submitVia } from './moderation.mjs';

/** Ticks the named boxes inside the fieldset whose legend is `legend`. */
async function tick(page, legend, labels = []) {
  const group = page.getByRole('group', { name: legend, exact: true });
  for (const label of labels) await group.getByLabel(label, { exact: true }).check();
}

/**
 * Fills the fields the request and the application share: the lists (by
 * their words), the time zone ("UTC+1") and the availability grid cells
 * ("Monday evening", in the member's own time). `legends` names the four
 * fieldsets, which differ between the two forms.
 */
async function fillProfile(page, legends, { types = [], treatments = [], topics = [], languages = [], zone, cells = [] }) {
  await tick(page, legends.types, types);
  await tick(page, legends.treatments, treatments);
  await tick(page, legends.topics, topics);
  await tick(page, legends.languages, languages);
  if (zone) await page.getByLabel('Your time zone', { exact: true }).selectOption({ label: zone });
  const grid = page.getByRole('group', { name: 'When are you usually free?', exact: true });
  for (const cell of cells) await grid.getByLabel(cell, { exact: true }).check();
}

/** Submits a form through its button; fails with the page's errors unless the hub redirects. */
async function submitOK(page, buttonName) {
  const res = await submitVia(page, page.getByRole('button', { name: buttonName, exact: true }));
  if (res.status() !== 303 && res.status() !== 302) {
    const errors = await page.locator('.form-errors').first().textContent().catch(() => '');
    assert.fail(`"${buttonName}" answered ${res.status()}: ${(errors || '').replace(/\s+/g, ' ').trim().slice(0, 400)}`);
  }
}

/** Applies to mentor through /mentoring/mentor; the page shows the application's status after. */
export async function applyToMentor(page, base, fields) {
  await page.goto(t(base, '/mentoring/mentor'));
  await fillProfile(page, {
    types: 'The migraine types you live with', treatments: 'Treatments you have experience with (optional)',
    topics: 'What you can help with', languages: 'Languages you can mentor in',
  }, fields);
  await page.getByLabel('Years living with migraine', { exact: true }).fill(String(fields.years ?? 5));
  await page.getByLabel('How many mentees at once', { exact: true }).selectOption(String(fields.capacity ?? 2));
  if (fields.about) await page.getByLabel('About you (optional)', { exact: true }).fill(fields.about);
  await submitOK(page, 'Send application');
  await expectPath(page, (u) => u.pathname === `/t/${TENANT}/mentoring/mentor` && u.searchParams.get('notice') === 'mentor-applied',
    { message: 'the application did not come back to the mentor page' });
  await page.locator('#mentor-status').waitFor();
}

/** Asks for a mentor through /mentoring/request; the page lands on the mentoring hub. */
export async function requestMentor(page, base, fields) {
  await page.goto(t(base, '/mentoring/request'));
  await page.getByRole('group', { name: 'Why would you like a mentor?', exact: true })
    .getByLabel(fields.reason ?? 'I was newly diagnosed', { exact: true }).check();
  await fillProfile(page, {
    types: 'Your migraine type (optional)', treatments: 'Treatments you have or are starting (optional)',
    topics: 'What you would like help with', languages: 'Languages you can talk in',
  }, fields);
  if (fields.sameType) {
    await page.getByRole('group', { name: 'A mentor with the same migraine type', exact: true }).getByLabel(fields.sameType, { exact: true }).check();
  }
  if (fields.note) await page.getByLabel('Anything your mentor should know (optional)', { exact: true }).fill(fields.note);
  await page.getByLabel('I agree that my matched mentor may read this request', { exact: true }).check();
  await submitOK(page, 'Ask for a mentor');
  await expectPath(page, (u) => u.pathname === `/t/${TENANT}/mentoring` && u.searchParams.get('notice') === 'mentor-requested',
    { message: 'the request did not land on the mentoring page' });
}

/** The review page's item of one applicant, by display name. */
export function applicationItem(page, name) {
  return page.locator('li.application').filter({ has: page.getByRole('heading', { name, exact: true }) });
}

/** On the review page: approves (or rejects) an application; waits for the saved notice. */
export async function reviewApplication(page, base, name, { decision = 'Approve', training = true, reason } = {}) {
  await page.goto(t(base, '/mentoring/review'));
  const item = applicationItem(page, name);
  await eventually(async () => assert.equal(await item.count(), 1, `applications by ${name}: ${await item.count()}`),
    { message: `the review page does not list ${name}` });
  await item.getByLabel(decision, { exact: true }).check();
  if (reason) await item.getByLabel('Reason (needed to reject)', { exact: true }).fill(reason);
  if (training) await item.getByLabel('Training completed', { exact: true }).check();
  const res = await submitVia(page, item.getByRole('button', { name: 'Save decision', exact: true }));
  assert.equal(res.status(), 303, `saving the decision on ${name} answered ${res.status()}`);
  await expectPath(page, (u) => u.searchParams.get('notice') === 'application-reviewed', { message: 'the decision was not saved' });
  return item;
}

/** The mentor's pending offers (li.offer) on /mentoring/offers. */
export function pendingOffers(page) {
  return page.locator('ol.offers > li.offer');
}

/** Accepts an offer (its li.offer); the page lands in the new conversation. Returns the mentorship id. */
export async function acceptOffer(page, offer) {
  const res = await submitVia(page, offer.getByRole('button', { name: 'Accept', exact: true }));
  assert.equal(res.status(), 303, `accepting the offer answered ${res.status()}`);
  let id = null;
  await expectPath(page, (u) => {
    id = u.pathname.match(/^\/t\/[^/]+\/mentoring\/m\/([0-9a-f-]+)$/)?.[1] ?? null;
    return id !== null;
  }, { message: 'accepting did not open the conversation' });
  await page.locator('#room').waitFor();
  return id;
}
