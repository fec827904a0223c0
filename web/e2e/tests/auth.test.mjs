// Accounts through the pages: sign up (guidelines shown and accepted), sign
// out, sign in (also with ?next=), a wrong password, and an invalid sign-up.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { HUB_A, HUB_B, t, api } from '../lib/env.mjs';
import { launchBrowser, newPage, assertNoProblems, expectPath, expectAttribute, eventually } from '../lib/browser.mjs';
import { identity, fillSignUp, signIn, signOutButton } from '../lib/member.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const TIMEOUT = { timeout: 90_000 };

test('sign up with the guidelines, sign out, sign in, and ?next=', TIMEOUT, async () => {
  const { context, page } = await newPage(browser);
  try {
    const who = identity('Heron');

    // The community's guidelines are on the sign-up page itself.
    const community = await (await page.request.get(api(HUB_A))).json();
    const firstLine = community.guidelines.split('\n').map((l) => l.trim()).find(Boolean);
    assert.ok(firstLine, 'the community has guidelines');
    await page.goto(t(HUB_A, '/signup'));
    const guidelines = page.locator('.guidelines');
    await guidelines.waitFor();
    assert.ok((await guidelines.innerText()).includes(firstLine),
      `sign-up page shows the guidelines (looked for ${JSON.stringify(firstLine)})`);

    await fillSignUp(page, who);
    // Sign-up answers alike for new and taken addresses and signs nobody
    // in: it leads to the sign-in form with a notice.
    await expectPath(page, (u) => u.pathname.endsWith('/signin'), { message: 'sign-up did not lead to the sign-in form' });
    assert.match(await page.locator('.notice[role="status"]').innerText(), /sign in with the email and password you chose/);
    assert.equal((await page.request.get(api(HUB_A, '/me'))).status(), 401, 'sign-up signed nobody in');
    await signIn(page, HUB_A, who);
    await signOutButton(page).waitFor();
    const me = await (await page.request.get(api(HUB_A, '/me'))).json();
    assert.equal(me.user.display_name, who.name);
    assert.equal(me.user.age_bracket, 'adult');
    assert.equal(me.guidelines_pending, false, 'the guidelines were accepted');

    // Sign out: back home, signed out.
    await signOutButton(page).click();
    await expectPath(page, `/t/${community.slug}`, { message: 'sign out did not lead home' });
    const nav = page.locator('.site-nav');
    await nav.getByRole('link', { name: 'Sign in', exact: true }).waitFor();
    await nav.getByRole('link', { name: 'Create account', exact: true }).waitFor();
    assert.equal(await signOutButton(page).count(), 0, 'no Sign out button once signed out');
    assert.equal((await page.request.get(api(HUB_A, '/me'))).status(), 401, 'the session ended');

    // Sign in again, on the other instance: same database.
    await signIn(page, HUB_B, who);
    await expectPath(page, (u) => !u.pathname.endsWith('/signin'), { message: 'sign-in did not leave the form' });
    await signOutButton(page).waitFor();

    // ?next= brings the member back to where they were going.
    await signOutButton(page).click();
    await expectPath(page, `/t/${community.slug}`);
    await page.goto(t(HUB_B, `/signin?next=${encodeURIComponent(`/t/${community.slug}/settings`)}`));
    await page.getByLabel('Email', { exact: true }).fill(who.email);
    await page.getByLabel('Password', { exact: true }).fill(who.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expectPath(page, `/t/${community.slug}/settings`, { message: 'sign-in did not follow ?next=' });
    assertNoProblems(page);
  } finally {
    await context.close();
  }
});

test('a wrong password shows an error and keeps the email', TIMEOUT, async () => {
  const { context, page } = await newPage(browser);
  try {
    const who = identity('Wren');
    await page.goto(t(HUB_A, '/signup'));
    await fillSignUp(page, who);
    await expectPath(page, (u) => u.pathname.endsWith('/signin'), { message: 'sign-up did not lead to the sign-in form' });

    await signIn(page, HUB_A, { email: who.email, password: `${who.password}-wrong` });
    const summary = page.locator('.form-errors[role="alert"]');
    await summary.waitFor();
    assert.match(await summary.innerText(), /\S/, 'the error summary says something');
    await expectPath(page, (u) => u.pathname.endsWith('/signin'), { message: 'a failed sign-in stays on the form' });
    assert.equal(await page.getByLabel('Email', { exact: true }).inputValue(), who.email, 'the email is kept');
    assert.equal(await page.getByLabel('Password', { exact: true }).inputValue(), '', 'the password is never sent back');
    assert.equal(await signOutButton(page).count(), 0, 'still signed out');
    assert.equal((await page.request.get(api(HUB_A, '/me'))).status(), 401, 'no session');
    assertNoProblems(page);
  } finally {
    await context.close();
  }
});

test('an invalid sign-up shows each field error, linked and marked aria-invalid', TIMEOUT, async () => {
  const { context, page } = await newPage(browser);
  try {
    await page.goto(t(HUB_A, '/signup'));
    // Every field wrong at once; no age chosen, guidelines not accepted.
    await fillSignUp(page, { name: 'x', email: 'not-an-email', password: 'short' }, { age: null, accept: false });

    await page.locator('.form-errors[role="alert"]').waitFor();
    await expectPath(page, (u) => u.pathname.endsWith('/signup'), { message: 'an invalid sign-up stays on the form' });

    const fields = [
      page.getByLabel('Display name', { exact: true }),
      page.getByLabel('Email', { exact: true }),
      page.getByLabel('Password', { exact: true }),
      page.getByLabel('I have read and accept the community guidelines', { exact: true }),
    ];
    for (const field of fields) {
      await expectAttribute(field, 'aria-invalid', 'true', { timeout: 2000 });
      const describedBy = (await field.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
      const errors = [];
      for (const id of describedBy) {
        const el = page.locator(`[id="${id}"]`);
        if (await el.count() && await el.evaluate((e) => e.classList.contains('field-error'))) {
          errors.push((await el.innerText()).trim());
        }
      }
      assert.ok(errors.length === 1 && errors[0],
        `${field} is described by one non-empty .field-error (aria-describedby="${describedBy.join(' ')}", found ${JSON.stringify(errors)})`);
    }
    // The age question has its error too, tied to the fieldset or its radios.
    const ageError = await page.getByRole('group', { name: 'Age' }).evaluate((fs) => {
      const ids = [fs, ...fs.querySelectorAll('input')].flatMap((e) => (e.getAttribute('aria-describedby') || '').split(/\s+/)).filter(Boolean);
      return ids.map((id) => document.getElementById(id)).filter((e) => e && e.classList.contains('field-error')).map((e) => e.textContent.trim());
    });
    assert.ok(ageError.length >= 1 && ageError[0], `the Age fieldset has a linked .field-error (found ${JSON.stringify(ageError)})`);

    // What was typed comes back, except the password.
    assert.equal(await fields[0].inputValue(), 'x');
    assert.equal(await fields[1].inputValue(), 'not-an-email');
    assert.equal(await fields[2].inputValue(), '', 'the password is never sent back');
    // And nobody was signed in.
    assert.equal((await page.request.get(api(HUB_A, '/me'))).status(), 401);
    assertNoProblems(page);
  } finally {
    await context.close();
  }
});

test('a valid sign-up without accepting the guidelines is refused', TIMEOUT, async () => {
  const { context, page } = await newPage(browser);
  try {
    const who = identity('Lark');
    await page.goto(t(HUB_A, '/signup'));
    await fillSignUp(page, who, { accept: false });
    const box = page.getByLabel('I have read and accept the community guidelines', { exact: true });
    await expectAttribute(box, 'aria-invalid', 'true');
    assert.equal(await box.isChecked(), false);
    await eventually(async () => assert.equal(await page.getByLabel('Display name', { exact: true }).inputValue(), who.name));
    assert.equal((await page.request.get(api(HUB_A, '/me'))).status(), 401, 'no account was signed in');
  } finally {
    await context.close();
  }
});
