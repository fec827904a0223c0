// The demo community feels alive (issue 16, item 9): its own hub on an
// empty store, signed into with the printed login, shows a calm conversation
// in two groups from members marked "(demo)", with a library link, and an
// approved mentor; the groups say the content is examples. The run's own
// community (made through the operator API) has none of it. axe in the dark,
// light and low-contrast themes, wide and on a phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { HUB_A, SCREENSHOT_DIR, TENANT } from '../lib/env.mjs';
import { launchBrowser, newPage, assertNoProblems, eventually, expectPath } from '../lib/browser.mjs';
import { signUpMember, roomMessages, signOutButton } from '../lib/member.mjs';
import { seriousViolations, formatViolations } from '../lib/axe.mjs';
import { startDemoHub } from '../lib/demo.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

test('demo: a calm conversation in two groups, marked as demo, with a library link and an approved mentor', { timeout: 300_000 }, async () => {
  const demo = await startDemoHub();
  const { context, page } = await newPage(browser);
  const failures = [];
  try {
    // "/" leads to the demo community; sign in with the printed login.
    await page.goto(`${demo.base}/`);
    await expectPath(page, '/t/demo');
    await page.goto(`${demo.base}/t/demo/signin`);
    await page.getByLabel('Email', { exact: true }).fill(demo.email);
    await page.getByLabel('Password', { exact: true }).fill(demo.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await signOutButton(page).waitFor();

    for (const [slug, link] of [['vestibular', '/t/demo/library/vestibular-migraine'], ['chronic', '/t/demo/library/preparing-for-an-appointment']]) {
      await page.goto(`${demo.base}/t/demo/groups`);
      const card = page.locator(`li.group-card[data-group="${slug}"]`);
      const name = (await card.locator('h2 > a').textContent()).trim();
      await card.getByRole('button', { name: `Join ${name}`, exact: true }).click();
      await page.locator('#room').waitFor();
      const msgs = await eventually(async () => {
        const m = await roomMessages(page);
        assert.ok(m.length >= 4, `${slug}: ${m.length} messages`);
        return m;
      }, { timeout: 20_000 });
      for (const m of msgs) assert.match(m.author, /\(demo\)$/, `${slug}: every example author is marked: ${m.author}`);
      assert.ok(msgs.some((m) => m.text.includes(link)), `${slug}: a library link in the conversation`);
      await page.getByText('This is a demo community: the members marked (demo)', { exact: false }).first().waitFor();
      for (const [vp, size] of [['wide', { width: 1280, height: 800 }], ['phone', { width: 390, height: 844 }]]) {
        await page.setViewportSize(size);
        const v = await seriousViolations(page);
        if (v.length) failures.push(`demo room ${slug} ${vp}:\n${formatViolations(v)}`);
        await page.screenshot({ path: path.join(SCREENSHOT_DIR, `demo-room-${slug}-${vp}.png`) });
      }
      await page.setViewportSize({ width: 1024, height: 768 });
    }

    // The approved mentor is in the review list.
    await page.goto(`${demo.base}/t/demo/mentoring/review`);
    await page.getByText('Ravi (demo)', { exact: false }).first().waitFor();
    assertNoProblems(page);
  } finally {
    await context.close();
    await demo.stop();
  }
  assert.equal(failures.length, 0, `axe violations:\n\n${failures.join('\n\n')}`);

  // The run's own community has none of it.
  const m = await signUpMember(browser, HUB_A, { prefix: 'Egret' });
  try {
    for (const slug of ['vestibular', 'chronic']) {
      const res = await m.page.request.get(`${HUB_A}/api/v1/t/${TENANT}/groups/${slug}`);
      assert.equal(res.status(), 200);
      assert.ok(!(await res.json()).description.includes('demo community'), `${slug} of the run's community is not marked as demo`);
    }
  } finally {
    await m.context.close();
  }
});
