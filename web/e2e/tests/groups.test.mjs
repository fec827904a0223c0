// The group directory: filters, joining (into the room) and leaving (back to
// the directory). Uses the default groups `silent` (join/leave) and only
// reads the others.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { HUB_A, TENANT, t } from '../lib/env.mjs';
import { launchBrowser, assertNoProblems, expectPath, expectText } from '../lib/browser.mjs';
import { signUpMember, groupCard, apiGroupSlugs, waitOpen } from '../lib/member.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const TIMEOUT = { timeout: 90_000 };

/** The data-group slugs of the cards the directory shows, sorted. */
async function shownSlugs(page) {
  const slugs = await page.locator('li.group-card').evaluateAll((cards) => cards.map((c) => c.dataset.group));
  return slugs.sort();
}

/** Chooses filter values in the directory's form and submits it. */
async function filter(page, { diagnosis = '', audience = '' }) {
  await page.getByLabel('Diagnosis', { exact: true }).selectOption(diagnosis);
  await page.getByLabel('Audience', { exact: true }).selectOption(audience);
  await page.getByRole('button', { name: 'Show groups', exact: true }).click();
  await expectPath(page, (u) => u.pathname === `/t/${TENANT}/groups`
    && (u.searchParams.get('diagnosis') || '') === diagnosis
    && (u.searchParams.get('audience') || '') === audience, { message: 'the filter did not load its results' });
  await page.locator('main#main').waitFor();
}

test('directory filters by diagnosis and by audience', TIMEOUT, async () => {
  const m = await signUpMember(browser, HUB_A, { prefix: 'Finch' });
  try {
    const { page } = m;
    await page.goto(t(HUB_A, '/groups'));
    const all = await shownSlugs(page);
    assert.deepEqual(all, await apiGroupSlugs(page, HUB_A), 'unfiltered directory = the API\'s list');
    assert.ok(all.length >= 13, `the default groups are listed (${all.length})`);

    // Diagnosis: vestibular.
    await filter(page, { diagnosis: 'vestibular' });
    const vestibular = await shownSlugs(page);
    assert.ok(vestibular.includes('vestibular'), `vestibular is listed: ${vestibular}`);
    assert.ok(!vestibular.includes('chronic') && !vestibular.includes('with-aura'), `only vestibular groups: ${vestibular}`);
    assert.deepEqual(vestibular, await apiGroupSlugs(page, HUB_A, '?diagnosis=vestibular'));

    // Audience: adults only.
    await filter(page, { audience: 'adults' });
    const adults = await shownSlugs(page);
    assert.ok(adults.includes('caregivers') && adults.includes('abdominal'), `adult groups listed: ${adults}`);
    assert.ok(!adults.includes('teen') && !adults.includes('chronic'), `only adult groups: ${adults}`);
    assert.deepEqual(adults, await apiGroupSlugs(page, HUB_A, '?audience=adults'));

    // Audience: teens (an adult sees it but cannot join).
    await filter(page, { audience: 'teens' });
    const teens = await shownSlugs(page);
    assert.deepEqual(teens, await apiGroupSlugs(page, HUB_A, '?audience=teens'));
    assert.ok(teens.includes('teen'), `the teen group is listed: ${teens}`);
    const teenJoin = groupCard(page, 'teen').getByRole('button', { name: /^Join / });
    assert.ok(await teenJoin.count() === 0 || await teenJoin.isDisabled(),
      'an adult is not offered to join the teen group (no Join button, or a disabled one)');

    // Both at once, and a combination with no group.
    await filter(page, { diagnosis: 'chronic', audience: 'everyone' });
    assert.deepEqual(await shownSlugs(page), await apiGroupSlugs(page, HUB_A, '?diagnosis=chronic&audience=everyone'));
    assert.ok((await shownSlugs(page)).includes('chronic'));
    assertNoProblems(m.page);
  } finally {
    await m.context.close();
  }
});

test('join a group into its room, leave it back to the directory', TIMEOUT, async () => {
  const m = await signUpMember(browser, HUB_A, { prefix: 'Plover' });
  try {
    const { page } = m;
    const slug = 'silent';
    await page.goto(t(HUB_A, '/groups'));
    const card = groupCard(page, slug);
    const name = (await card.locator('h2 > a').innerText()).trim();
    assert.ok(name, 'the card names the group');
    assert.equal(await card.getByRole('button', { name: `Leave ${name}`, exact: true }).count(), 0, 'not a member yet');

    // Join: lands in the room.
    await card.getByRole('button', { name: `Join ${name}`, exact: true }).click();
    await expectPath(page, `/t/${TENANT}/groups/${slug}`, { message: 'joining did not open the room' });
    const room = page.locator('#room');
    await room.waitFor();
    assert.equal(await room.getAttribute('data-group'), slug);
    await expectText(page.locator('#main h1'), name);
    await waitOpen(page);

    // The directory now offers to leave it.
    await page.goto(t(HUB_A, '/groups'));
    await card.getByRole('button', { name: `Leave ${name}`, exact: true }).waitFor();
    await card.locator('h2 > a').click();
    await expectPath(page, `/t/${TENANT}/groups/${slug}`, { message: 'the card\'s link did not open the room' });

    // Leave from the room: back in the directory, offered to join again.
    await page.getByRole('button', { name: 'Leave group', exact: true }).click();
    await expectPath(page, `/t/${TENANT}/groups`, { message: 'leaving did not lead to the directory' });
    await card.getByRole('button', { name: `Join ${name}`, exact: true }).waitFor();
    assert.equal(await card.getByRole('button', { name: `Leave ${name}`, exact: true }).count(), 0);
    assert.ok(!(await apiGroupSlugs(page, HUB_A, '?joined=true')).includes(slug), 'the API agrees: not a member');
    assertNoProblems(page);
  } finally {
    await m.context.close();
  }
});
