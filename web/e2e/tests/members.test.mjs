// The admins' members page (issue 17): every member of the community with
// their role and when they joined, and a "Send a reset link" button that is
// a plain form (no JavaScript needed). axe finds nothing at all in the
// dark, light and low-contrast themes, wide and on a phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { HUB_A, HUB_B, ADMIN_EMAIL, ADMIN_PASSWORD, SCREENSHOT_DIR, t, api } from '../lib/env.mjs';
import { launchBrowser, newPage, assertNoProblems, eventually, expectPath } from '../lib/browser.mjs';
import { signUpMember } from '../lib/member.mjs';
import { THEMES, chooseTheme } from '../lib/a11y.mjs';
import { violations, formatViolations } from '../lib/axe.mjs';
import { linkFor } from '../lib/outbox.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

/** The user id of the member signed in on page. */
async function userID(page, base) {
  const me = await page.request.get(api(base, '/me'));
  assert.equal(me.status(), 200);
  return (await me.json()).user.id;
}

test('members page: an admin sends a member a reset link, and the page is calm and accessible', { timeout: 300_000 }, async () => {
  // Our own admin, so the shared admin's theme is left alone: the
  // community's admin promotes a new member through the API.
  const admin = await signUpMember(browser, HUB_A, { prefix: 'Kestrel' });
  const heron = await signUpMember(browser, HUB_B, { prefix: 'Heron' });
  const failures = [];
  try {
    // (Plain fetch: no browser cookie, so the bearer token alone speaks.)
    const owner = await fetch(api(HUB_A, '/auth/signin'), {
      method: 'POST', headers: { 'Content-Type': 'application/json', Origin: HUB_A },
      body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD, bearer_token: true }),
    });
    assert.equal(owner.status, 200, await owner.clone().text());
    const bearer = (await owner.json()).token;
    const adminID = await userID(admin.page, HUB_A);
    const promoted = await fetch(api(HUB_A, `/users/${adminID}/roles`), {
      method: 'PUT', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${bearer}` },
      body: JSON.stringify({ roles: ['member', 'admin'] }),
    });
    assert.equal(promoted.status, 200, await promoted.clone().text());

    // Heron confirms their address (the link read from the outbox).
    const confirm = await eventually(() => linkFor(heron.email, 'Confirm your address', 'confirm'), { timeout: 20_000, message: 'no confirmation mail' });
    await heron.page.goto(HUB_B + confirm.pathname + confirm.search);
    await heron.page.getByRole('button', { name: 'Confirm my address', exact: true }).click();
    await heron.page.locator('.notice[role="status"]').filter({ hasText: 'your address is confirmed' }).waitFor();
    const heronID = await userID(heron.page, HUB_B);

    // A member has no members page and no link to one.
    assert.equal(await heron.page.locator('.site-nav').getByRole('link', { name: 'Members', exact: true }).count(), 0);
    assert.equal((await heron.page.goto(t(HUB_B, '/members'))).status(), 403);

    const { page } = admin;
    await page.goto(t(HUB_A, '/groups'));
    await page.locator('.site-nav').getByRole('link', { name: 'Members', exact: true }).click();
    await expectPath(page, (u) => u.pathname.endsWith('/members'), { message: 'the menu did not open the members page' });
    await page.getByRole('heading', { name: 'Members', level: 1 }).waitFor();
    const row = page.locator(`li.member#member-${heronID}`);
    assert.match(await row.innerText(), new RegExp(`${heron.name}[\\s\\S]*Member[\\s\\S]*Joined`));

    for (const theme of THEMES.filter((th) => ['dark', 'light', 'low-contrast'].includes(th.name))) {
      await page.setViewportSize({ width: 1024, height: 768 });
      await chooseTheme(page, theme);
      for (const vp of [{ name: 'wide', width: 1024, height: 768 }, { name: 'phone', width: 390, height: 844 }]) {
        await page.setViewportSize({ width: vp.width, height: vp.height });
        await page.goto(t(HUB_A, '/members'));
        await row.waitFor();
        const v = await violations(page);
        if (v.length) failures.push(`members ${vp.name} ${theme.name}:\n${formatViolations(v)}`);
        const overflow = await page.evaluate(() => document.scrollingElement.scrollWidth - window.innerWidth);
        if (overflow > 0) failures.push(`members ${vp.name} ${theme.name}: the page scrolls sideways by ${overflow}px`);
        await page.screenshot({ path: path.join(SCREENSHOT_DIR, `members-${vp.name}-${theme.name}.png`), fullPage: true });
      }
    }

    // The button is a form: it works with JavaScript off too.
    const noJS = await newPage(browser, { javaScriptEnabled: false });
    try {
      await noJS.context.addCookies(await admin.context.cookies());
      await noJS.page.goto(t(HUB_A, '/members'));
      await noJS.page.locator(`li.member#member-${heronID}`).getByRole('button', { name: 'Send a reset link', exact: true }).click();
      await expectPath(noJS.page, (u) => u.pathname.endsWith('/members'), { message: 'sending did not come back to the members page' });
      assert.match(await noJS.page.locator('.notice[role="status"]').innerText(), /The reset link is on its way/);
      assertNoProblems(noJS.page);
    } finally {
      await noJS.context.close();
    }
    const link = await eventually(() => linkFor(heron.email, 'Choose a new password', 'reset'), { timeout: 20_000, message: 'the reset mail did not reach the outbox' });
    assert.ok(link.pathname.endsWith('/reset'));
    // The page with its notice, checked like the others.
    await page.goto(t(HUB_A, '/members?notice=reset-link-sent'));
    await page.locator('.notice[role="status"]').waitFor();
    const v = await violations(page);
    if (v.length) failures.push(`members after sending:\n${formatViolations(v)}`);
    assertNoProblems(page);
    assert.deepEqual(failures, [], failures.join('\n\n'));
  } finally {
    await admin.context.close();
    await heron.context.close();
  }
});
