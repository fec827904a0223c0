// Mentoring through the pages: a member applies to mentor (hub A), the
// admin approves them with their training recorded, a newcomer (hub B)
// asks for a mentor, the mentor accepts the offer from the inbox, and the
// two talk live in their private conversation across the instances; then
// axe-core on every mentoring page in every theme (screenshots
// mentoring-{page}-{theme}.png).
// Each test matches in a language of its own, so their requests and
// mentors never meet: Portuguese (the flow) and Polish (axe).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { HUB_A, HUB_B, t } from '../lib/env.mjs';
import { launchBrowser, assertNoProblems, eventually, expectText, token } from '../lib/browser.mjs';
import { signUpMember, waitOpen, sendMessage, waitForMessage, roomMessages } from '../lib/member.mjs';
import { signInAdmin } from '../lib/moderation.mjs';
import { THEMES, chooseTheme, checkPage } from '../lib/a11y.mjs';
import { applyToMentor, requestMentor, reviewApplication, applicationItem, pendingOffers, acceptOffer } from '../lib/mentoring.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

/** The names in a room's "Online now" list. */
async function online(page) {
  return page.locator('#presence-list > li').evaluateAll((items) => items.map((li) => li.textContent.trim()));
}

test('mentoring: apply, approve, request, accept the offer, and talk live in the private conversation',
  { timeout: 180_000 }, async () => {
    const mentor = await signUpMember(browser, HUB_A, { prefix: 'Egret' });
    const admin = await signInAdmin(browser, HUB_A);
    const mentee = await signUpMember(browser, HUB_B, { prefix: 'Wren' });
    try {
      // The member applies through the form on hub A.
      await applyToMentor(mentor.page, HUB_A, {
        types: ['Retinal migraine'], treatments: ['Triptans (acute)'], topics: ['A new diagnosis', 'Work'],
        languages: ['Portuguese'], zone: 'UTC+1', cells: ['Monday evening', 'Wednesday evening', 'Saturday morning'],
        years: 9, capacity: 2, about: `Twenty years of it, and still here ${token()}.`,
      });
      await expectText(mentor.page.locator('#mentor-status > p').first(), /^Waiting for review/);
      await expectText(mentor.page.locator('.notice'), /^Your application is saved\./);

      // The admin approves it on the review page, with the training recorded.
      const item = await reviewApplication(admin.page, HUB_A, mentor.name, { decision: 'Approve', training: true });
      await eventually(async () => assert.equal(await item.getAttribute('data-status'), 'approved'),
        { message: 'the application is not listed as approved' });
      assert.match(await item.innerText(), /Training\s+recorded on/, 'the review page shows the training as recorded');
      await mentor.page.goto(t(HUB_A, '/mentoring/mentor'));
      await expectText(mentor.page.locator('#mentor-status > p').first(), 'Approved: you can mentor.');
      await mentor.page.getByRole('button', { name: 'Pause: I need a break', exact: true }).waitFor();

      // A newcomer on hub B asks for a mentor: the types and languages match.
      const note = `I was told last week it is retinal migraine ${token()}.`;
      await requestMentor(mentee.page, HUB_B, {
        reason: 'I was newly diagnosed', types: ['Retinal migraine'], topics: ['A new diagnosis'], languages: ['Portuguese'],
        zone: 'UTC+1', cells: ['Monday evening', 'Wednesday evening'], sameType: 'Preferred', note,
      });
      const step = mentee.page.locator('#my-request .request-step');
      assert.equal(await step.getAttribute('data-status'), 'offered', 'the request goes straight to the one mentor who fits');
      await expectText(step, /^A mentor has been asked and has until \w{3} \d{1,2} \w{3} \d{4}, \d{2}:\d{2} UTC to answer/);
      await expectText(mentee.page.locator('#my-request .request-asked'), /^A mentor has been asked/);
      await mentee.page.getByRole('heading', { name: 'Starter reading', exact: true }).waitFor();

      // The mentor sees the offer with its reasons and deadline, and accepts.
      await mentor.page.goto(t(HUB_A, '/mentoring/offers'));
      const offers = pendingOffers(mentor.page);
      assert.equal(await offers.count(), 1, 'one offer waits for the mentor');
      const offer = offers.first();
      const reasons = await offer.locator('ul.reasons > li').allInnerTexts();
      assert.ok(reasons.length > 0, 'the offer says why the mentor was asked');
      assert.ok(reasons.some((r) => /retinal/i.test(r)), `a reason names the shared type: ${JSON.stringify(reasons)}`);
      await expectText(offer.locator('.deadline'), /^Answer by .+\(UTC\+1\): about (4[5-8]) hours left\.$/);
      assert.match(await offer.locator('.deadline time').getAttribute('datetime'), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.match(await offer.innerText(), new RegExp(note.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), 'the mentee\'s note is shown');
      assert.match(await offer.innerText(), /Monday evening, Wednesday evening/, 'the mentee\'s free times are shown');
      const id = await acceptOffer(mentor.page, offer);
      assert.ok(id, 'accepting gives the mentorship\'s address');
      await expectText(mentor.page.locator('.notice'), /^You accepted\./);
      assert.equal(await mentor.page.locator('#room').getAttribute('data-group'), `mentorship-${id}`);
      await waitOpen(mentor.page);

      // The mentee finds the conversation from the mentoring page.
      await mentee.page.goto(t(HUB_B, '/mentoring'));
      await expectText(mentee.page.locator('#my-request .request-step'), 'You have a mentor. Say hello in your private conversation.');
      await mentee.page.getByRole('link', { name: `Conversation with ${mentor.name}`, exact: true }).click();
      await mentee.page.locator('#room').waitFor();
      await waitOpen(mentee.page);
      await mentee.page.getByRole('heading', { name: `Mentorship with ${mentor.name}`, exact: true }).waitFor();

      // Each sees the other online, and each message arrives live on the other's page.
      await eventually(async () => assert.ok((await online(mentor.page)).some((n) => n.includes(mentee.name))),
        { timeout: 20_000, message: 'the mentor does not see the mentee online' });
      const hello = `Hello, welcome. Ask me anything ${token()}`;
      await sendMessage(mentor.page, hello);
      const seen = await waitForMessage(mentee.page, hello);
      assert.equal(seen.author, mentor.name);
      const reply = `Thank you, the flashing lights scare me ${token()}`;
      await sendMessage(mentee.page, reply);
      assert.equal((await waitForMessage(mentor.page, reply)).author, mentee.name);
      assert.equal((await roomMessages(mentor.page)).length, 2, 'the conversation holds just these two messages');

      // The mentee leaves feedback.
      await mentee.page.getByRole('group', { name: 'How helpful is this mentorship?', exact: true })
        .getByLabel('5: extremely helpful', { exact: true }).check();
      await mentee.page.getByLabel('Anything you would like to add (optional)', { exact: true }).fill('Kind and patient.');
      await mentee.page.getByRole('button', { name: 'Send feedback', exact: true }).click();
      await expectText(mentee.page.locator('.notice'), 'Thank you for your feedback.');
      assert.match(new URL(mentee.page.url()).pathname, new RegExp(`/mentoring/m/${id}$`));
      assertNoProblems(mentor.page, 'the mentor\'s pages');
      assertNoProblems(mentee.page, 'the mentee\'s pages');
      assertNoProblems(admin.page, 'the review page');
    } finally {
      await mentor.context.close();
      await admin.context.close();
      await mentee.context.close();
    }
  });

test('mentoring: axe finds no serious or critical WCAG 2.2 AA violation on the mentoring pages, in any theme',
  { timeout: 420_000 }, async () => {
    const mentor = await signUpMember(browser, HUB_A, { prefix: 'Ibis' });
    const applicant = await signUpMember(browser, HUB_A, { prefix: 'Gull' });
    const mentee = await signUpMember(browser, HUB_B, { prefix: 'Finch' });
    const second = await signUpMember(browser, HUB_A, { prefix: 'Robin' });
    const newcomer = await signUpMember(browser, HUB_A, { prefix: 'Plover' });
    const admin = await signInAdmin(browser, HUB_A);
    const langs = { languages: ['Polish'] };
    let adminTheme = null;
    const failures = [];
    try {
      // An approved mentor with one mentorship and one offer waiting, an
      // application waiting for review, and a newcomer with nothing yet.
      await applyToMentor(mentor.page, HUB_A, {
        types: ['Abdominal migraine'], topics: ['Parenting', 'Work'], ...langs, zone: 'UTC+2', cells: ['Tuesday afternoon'], capacity: 2,
      });
      await applyToMentor(applicant.page, HUB_A, { types: ['Chronic migraine'], topics: ['School'], ...langs, cells: ['Friday morning'], about: 'Since I was twelve.' });
      await reviewApplication(admin.page, HUB_A, mentor.name);
      await requestMentor(mentee.page, HUB_B, { types: ['Abdominal migraine'], topics: ['Parenting'], ...langs, cells: ['Tuesday afternoon'] });
      await mentor.page.goto(t(HUB_A, '/mentoring/offers'));
      assert.equal(await pendingOffers(mentor.page).count(), 1, 'the mentor has the first offer');
      const id = await acceptOffer(mentor.page, pendingOffers(mentor.page).first());
      await waitOpen(mentor.page);
      await sendMessage(mentor.page, 'Welcome. Take your time, there is no rush here.');
      await requestMentor(second.page, HUB_A, { reason: 'I am starting a new treatment', topics: ['Starting a treatment'], ...langs, cells: ['Sunday evening'] });
      await mentor.page.goto(t(HUB_A, '/mentoring/offers'));
      assert.equal(await pendingOffers(mentor.page).count(), 1, 'the second request waits for the mentor');

      const who = { mentor, mentee, newcomer, admin };
      const PAGES = [
        { as: 'mentee', name: 'mentoring-hub', url: () => t(HUB_B, '/mentoring') },
        {
          as: 'mentee',
          name: 'mentoring-conversation',
          url: () => t(HUB_B, `/mentoring/m/${id}`),
          ready: async (page) => {
            await waitOpen(page);
            await eventually(async () => assert.equal((await roomMessages(page)).length, 1, 'the message loaded'));
          },
        },
        { as: 'newcomer', name: 'mentoring-request', url: () => t(HUB_A, '/mentoring/request') },
        {
          // The request form sent empty: the error summary and every field error.
          as: 'newcomer',
          name: 'mentoring-request-errors',
          load: async (page) => {
            await page.goto(t(HUB_A, '/mentoring/request'));
            const [res] = await Promise.all([
              page.waitForResponse((r) => r.request().method() === 'POST'),
              page.getByRole('button', { name: 'Ask for a mentor', exact: true }).click(),
            ]);
            await page.locator('.form-errors').waitFor();
            return res;
          },
          status: 422,
        },
        { as: 'mentor', name: 'mentoring-mentor', url: () => t(HUB_A, '/mentoring/mentor') },
        { as: 'mentor', name: 'mentoring-offers', url: () => t(HUB_A, '/mentoring/offers') },
        {
          as: 'admin',
          name: 'mentoring-review',
          url: () => t(HUB_A, '/mentoring/review'),
          ready: async (page) => { await applicationItem(page, applicant.name).waitFor(); },
        },
      ];
      adminTheme = await admin.page.goto(t(HUB_A, '/settings')).then(() =>
        admin.page.getByLabel('Theme', { exact: true }).evaluate((s) => s.options[s.selectedIndex].text.trim()));

      for (const theme of THEMES) {
        for (const [role, m] of Object.entries(who)) {
          if (!PAGES.some((p) => p.as === role)) continue;
          await chooseTheme(m.page, theme, m.base);
          await m.page.emulateMedia({ colorScheme: theme.scheme ?? null });
        }
        for (const entry of PAGES) {
          const f = await checkPage(who[entry.as].page, entry, theme);
          if (f) failures.push(f);
        }
      }
      for (const [role, m] of Object.entries(who)) assertNoProblems(m.page, `the ${role}'s pages`);
    } finally {
      if (adminTheme) {
        await admin.page.emulateMedia({ colorScheme: null });
        await chooseTheme(admin.page, THEMES.find((th) => th.label === adminTheme), HUB_A).catch(() => {});
      }
      for (const m of [mentor, applicant, mentee, second, newcomer, admin]) await m.context.close();
    }
    assert.equal(failures.length, 0, `axe violations (serious or critical):\n\n${failures.join('\n\n')}\n`);
  });
