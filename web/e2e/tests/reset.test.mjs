// Password reset through the pages, as a person running the hub without a
// mail server does it: "Forgot your password?" on the sign-in form, the
// mail read from the outbox with `hub mail list` / `hub mail show`, the
// link opened on the other instance, a new password, the old session
// signed out. No JavaScript is needed for any of it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { HUB_A, HUB_B, t, api, SCREENSHOT_DIR } from '../lib/env.mjs';
import { launchBrowser, newPage, assertNoProblems, expectPath, eventually } from '../lib/browser.mjs';
import { signUpMember, signIn, signOutButton } from '../lib/member.mjs';
import { linkFor } from '../lib/outbox.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const TIMEOUT = { timeout: 120_000 };

test('forgot password: the mailed link sets a new password once and signs out the other session', TIMEOUT, async () => {
  const member = await signUpMember(browser, HUB_A, { prefix: 'Plover' });
  const { context, page } = await newPage(browser, { javaScriptEnabled: false });
  try {
    // First the address is confirmed: until then it gets no reset mail.
    const confirm = await eventually(() => linkFor(member.email, 'Confirm your address', 'confirm'), { timeout: 20_000, message: 'no confirmation mail' });
    await page.goto(HUB_B + confirm.pathname + confirm.search);
    await page.getByRole('button', { name: 'Confirm my address', exact: true }).click();
    assert.match(await page.locator('.notice[role="status"]').innerText(), /your address is confirmed/);

    await page.goto(t(HUB_B, '/signin'));
    await page.getByRole('link', { name: 'Forgot your password?', exact: true }).click();
    await expectPath(page, (u) => u.pathname.endsWith('/forgot'), { message: 'the link did not open the reset form' });

    // An address with no account gets exactly the same answer.
    await page.getByLabel('Email', { exact: true }).fill('nobody-here@e2e.example.org');
    await page.getByRole('button', { name: 'Send me a link', exact: true }).click();
    const noAccount = (await page.locator('.notice[role="status"]').innerText()).replace('nobody-here@e2e.example.org', 'ADDRESS');
    await page.goto(t(HUB_B, '/forgot'));
    await page.getByLabel('Email', { exact: true }).fill(member.email);
    await page.getByRole('button', { name: 'Send me a link', exact: true }).click();
    const withAccount = (await page.locator('.notice[role="status"]').innerText()).replace(member.email, 'ADDRESS');
    assert.equal(withAccount, noAccount, 'the answer reveals whether the address has an account');
    assert.match(withAccount, /a link to choose a new password is on its way/);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/reset-requested.png`, fullPage: true });

    const link = await eventually(() => linkFor(member.email, 'Choose a new password', 'reset'), { timeout: 20_000, message: 'the reset mail did not reach the outbox' });
    assert.equal(link.origin, HUB_A, 'links use HUB_PUBLIC_URL');

    // Open it on the other instance; a weak password is refused first.
    await page.goto(HUB_B + link.pathname + link.search);
    await page.getByRole('heading', { name: 'Choose a new password', level: 1 }).waitFor();
    await page.getByLabel('New password', { exact: true }).fill('short');
    await page.getByRole('button', { name: 'Save the new password', exact: true }).click();
    await page.locator('.form-errors[role="alert"]').waitFor();
    assert.match(await page.locator('#password-error').innerText(), /at least 10 characters/);
    assert.equal(await page.getByLabel('New password', { exact: true }).getAttribute('aria-invalid'), 'true');

    const fresh = `${member.password}-renewed`;
    await page.getByLabel('New password', { exact: true }).fill(fresh);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/reset-form.png`, fullPage: true });
    await page.getByRole('button', { name: 'Save the new password', exact: true }).click();
    await expectPath(page, (u) => u.pathname.endsWith('/groups'), { message: 'the reset did not lead to the directory' });
    assert.match(await page.locator('.notice[role="status"]').innerText(), /Your new password is saved/);

    // The member's other browser is signed out; the old password fails.
    assert.equal((await member.page.request.get(api(HUB_A, '/me'))).status(), 401, 'the other session still works');
    // (From the other browser, whose session ended: this one is signed in.)
    const old = await member.page.request.post(api(HUB_A, '/auth/signin'), {
      data: { email: member.email, password: member.password }, headers: { Origin: HUB_A },
    });
    assert.equal(old.status(), 401, `the old password: ${old.status()} ${await old.text()}`);

    // The link works once.
    await page.goto(HUB_A + link.pathname + link.search);
    await page.getByRole('heading', { name: 'This link does not work any more' }).waitFor();
    await page.getByRole('link', { name: 'Ask for a new link', exact: true }).waitFor();
    assertNoProblems(page);

    // And the new password signs in, as usual.
    await member.context.clearCookies();
    await signIn(member.page, HUB_A, { email: member.email, password: fresh });
    await signOutButton(member.page).waitFor();
  } finally {
    await context.close();
    await member.context.close();
  }
});
