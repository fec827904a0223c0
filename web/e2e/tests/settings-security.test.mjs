// Settings: change the password with the current one, see where you are
// signed in and sign a device out (issue 16, item 8); axe in the dark,
// light and low-contrast themes and on a phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { HUB_A, HUB_B, SCREENSHOT_DIR, TENANT, t } from '../lib/env.mjs';
import { launchBrowser, newPage, assertNoProblems, eventually, expectPath } from '../lib/browser.mjs';
import { signUpMember, signIn, signOutButton } from '../lib/member.mjs';
import { THEMES, chooseTheme } from '../lib/a11y.mjs';
import { seriousViolations, formatViolations } from '../lib/axe.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const devices = (page) => page.locator('ul.devices > li.device');

test('settings: the devices you are signed in on, signing one out, and changing the password', { timeout: 300_000 }, async () => {
  const m = await signUpMember(browser, HUB_A, { prefix: 'Finch' });
  const phone = await newPage(browser, { viewport: { width: 390, height: 844 }, userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1' });
  const failures = [];
  try {
    const { page } = m;
    // A second device, on the other hub.
    await signIn(phone.page, HUB_B, m);
    await signOutButton(phone.page).waitFor();

    await page.goto(t(HUB_A, '/settings'));
    await page.getByRole('heading', { name: 'Where you are signed in', exact: true }).waitFor();
    assert.equal(await devices(page).count(), 2, 'two devices listed');
    const mine = devices(page).filter({ hasText: 'This device' });
    assert.equal(await mine.count(), 1, 'one is this device');
    const theirs = devices(page).filter({ hasText: 'Safari on iOS' });
    assert.equal(await theirs.count(), 1, 'the phone is named by its browser and system');

    for (const theme of THEMES.filter((th) => ['dark', 'light', 'low-contrast'].includes(th.name))) {
      await page.setViewportSize({ width: 1024, height: 768 });
      await chooseTheme(page, theme);
      for (const vp of [{ name: 'wide', width: 1024, height: 768 }, { name: 'phone', width: 390, height: 844 }]) {
        await page.setViewportSize({ width: vp.width, height: vp.height });
        await page.goto(t(HUB_A, '/settings'));
        await devices(page).first().waitFor();
        const v = await seriousViolations(page);
        if (v.length) failures.push(`settings ${vp.name} ${theme.name}:\n${formatViolations(v)}`);
        await page.screenshot({ path: path.join(SCREENSHOT_DIR, `settings-security-${vp.name}-${theme.name}.png`), fullPage: true });
      }
    }
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.goto(t(HUB_A, '/settings'));

    // Sign the phone out from here: it is signed out there.
    await theirs.getByRole('button', { name: 'Sign out that device', exact: true }).click();
    await expectPath(page, `/t/${TENANT}/settings`);
    await page.locator('.notice').filter({ hasText: 'That device is signed out.' }).waitFor();
    assert.equal(await devices(page).count(), 1);
    await phone.page.goto(t(HUB_B, '/settings'));
    await expectPath(phone.page, (u) => u.pathname.endsWith('/signin'), { message: 'the phone is still signed in' });

    // A wrong current password: the form says so on its field.
    const pw = {
      current: page.getByLabel('Current password', { exact: true }),
      next: page.getByLabel('New password', { exact: true }),
      again: page.getByLabel('New password again', { exact: true }),
      submit: page.getByRole('button', { name: 'Change password', exact: true }),
    };
    await pw.current.fill('not my password at all');
    await pw.next.fill('a brand new calm password');
    await pw.again.fill('a brand new calm password');
    await pw.submit.click();
    await page.locator('.form-errors').waitFor();
    assert.equal(await pw.current.getAttribute('aria-invalid'), 'true');
    assert.match(await page.locator('#current_password-error').innerText(), /not your current password/);
    const v = await seriousViolations(page);
    if (v.length) failures.push(`settings with errors:\n${formatViolations(v)}`);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'settings-security-errors.png'), fullPage: true });

    // Mismatched new passwords.
    await pw.current.fill(m.password);
    await pw.next.fill('a brand new calm password');
    await pw.again.fill('a brand new calm passwort');
    await pw.submit.click();
    await page.locator('#new_password_again-error').waitFor();

    // The right one: changed, and this device stays signed in.
    await pw.current.fill(m.password);
    await pw.next.fill('a brand new calm password');
    await pw.again.fill('a brand new calm password');
    await pw.submit.click();
    await page.locator('.notice').filter({ hasText: 'Your password is changed.' }).waitFor();
    await signOutButton(page).waitFor();

    // The old password no longer signs in; the new one does.
    const fresh = await newPage(browser);
    try {
      await signIn(fresh.page, HUB_B, m);
      await fresh.page.locator('.form-errors').waitFor();
      await signIn(fresh.page, HUB_B, { ...m, password: 'a brand new calm password' });
      await signOutButton(fresh.page).waitFor();
    } finally {
      await fresh.context.close();
    }

    // Sign this device out from the list: back to the community, signed out.
    await page.goto(t(HUB_A, '/settings'));
    await eventually(async () => assert.equal(await devices(page).count(), 2));
    await devices(page).filter({ hasText: 'This device' }).getByRole('button', { name: 'Sign out this device', exact: true }).click();
    await expectPath(page, `/t/${TENANT}`);
    await page.locator('.site-nav').getByRole('link', { name: 'Sign in', exact: true }).waitFor();
    assertNoProblems(page);
  } finally {
    await m.context.close();
    await phone.context.close();
  }
  assert.equal(failures.length, 0, `axe violations:\n\n${failures.join('\n\n')}`);
});
