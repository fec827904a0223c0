// Attack mode (issue 22; docs/web.md, "Attack mode"): the header control is
// a named toggle button reached by keyboard; Alt+Shift+A does the same; a
// second browser signed in as the same member, on the other hub instance,
// follows within a second (measured and reported; the wait itself is only a
// generous safety net); the room in attack mode at 390x844 and 1280x800 in
// every theme has zero axe violations, no badge or count, no running
// animation, and shows only the conversation and the message box; the
// library opens on the "during an attack" card.
// Every test here uses a group of its own (lib/room.mjs, createGroup).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { HUB_A, HUB_B, SCREENSHOT_DIR, t } from '../lib/env.mjs';
import { launchBrowser, newPage, assertNoProblems, eventually, expectAttribute } from '../lib/browser.mjs';
import { signUpMember, signIn, signOutButton, joinGroup, openRoom, waitOpen, sendMessage } from '../lib/member.mjs';
import { THEMES, chooseTheme } from '../lib/a11y.mjs';
import { allViolations, formatViolations } from '../lib/axe.mjs';
import { createGroup } from '../lib/room.mjs';
import { focused } from '../lib/moderation.mjs';

const CONTROL = "I'm having an attack";
const VIEWPORTS = [{ width: 390, height: 844 }, { width: 1280, height: 800 }];

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

/** Moves the keyboard's starting point to the top of the page. */
function fromTheTop() {
  const b = document.body;
  b.tabIndex = -1;
  b.focus();
  b.removeAttribute('tabindex');
}

/** Waits until the page's attack mode is on (or off); returns how long it took, in ms, from `since`. */
async function switched(page, on, since) {
  await page.waitForFunction((want) => (document.documentElement.dataset.attack === 'on') === want, on, { timeout: 30_000, polling: 'raf' });
  return Date.now() - since;
}

test('attack mode: the header control by keyboard and by name, the shortcut, and a second browser switching with it', { timeout: 180_000 }, async (tc) => {
  const g = await createGroup(HUB_A, { prefix: 'attack' });
  const a = await signUpMember(browser, HUB_A, { prefix: 'Curlew' });
  const second = await newPage(browser);
  try {
    await joinGroup(a.page, HUB_A, g.slug);
    await waitOpen(a.page);
    // The same member on another device, on the other instance, in the room.
    await signIn(second.page, HUB_B, a);
    await signOutButton(second.page).waitFor();
    await openRoom(second.page, HUB_B, g.slug);

    // Screen readers meet a toggle button with a plain name, off, with its shortcut.
    const control = a.page.getByRole('button', { name: CONTROL, exact: true });
    assert.equal(await control.getAttribute('aria-pressed'), 'false');
    assert.equal(await control.getAttribute('aria-keyshortcuts'), 'Alt+Shift+A');
    const described = await control.evaluate((b) => document.getElementById(b.getAttribute('aria-describedby'))?.textContent ?? '');
    assert.match(described, /Press again to end it/);

    // The keyboard reaches it from the top of the page, with the focus visible.
    await a.page.evaluate(fromTheTop);
    let reached = false;
    for (let i = 0; i < 12 && !reached; i++) {
      await a.page.keyboard.press('Tab');
      reached = (await focused(a.page)).name === CONTROL;
    }
    assert.ok(reached, 'Tab from the top of the page never reached the attack-mode control');
    const outline = await a.page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.notEqual(outline, 'none', 'the focused control shows no focus outline');

    // Enter on it: on here at once, and on the other device within a second.
    let since = Date.now();
    await a.page.keyboard.press('Enter');
    await switched(a.page, true, since);
    const onTook = await switched(second.page, true, since);
    await expectAttribute(a.page.getByRole('button', { name: CONTROL, exact: true }), 'aria-pressed', 'true');
    await eventually(async () => assert.equal(await a.page.locator('#attack-status').textContent(), 'Attack mode is on. Take it slowly.'));
    assert.equal(await second.page.getByRole('button', { name: CONTROL, exact: true }).getAttribute('aria-pressed'), 'true');

    // The shortcut on the second device ends it; the first follows.
    since = Date.now();
    await second.page.locator('#composer-text').focus();
    await second.page.keyboard.press('Alt+Shift+A');
    await switched(second.page, false, since);
    const offTook = await switched(a.page, false, since);
    assert.equal(await second.page.locator('#composer-text').inputValue(), '', 'the shortcut typed into the message box');

    const report = `second browser switched on in ${onTook} ms and off in ${offTook} ms (target: within 1000 ms)`;
    tc.diagnostic(report);
    console.log(`attack mode: ${report}`);
    assert.ok(onTook < 30_000 && offTook < 30_000);
    // Still a working room afterwards.
    await sendMessage(a.page, 'Back again, thank you all.');
    assertNoProblems(a.page);
    assertNoProblems(second.page);
  } finally {
    await a.context.close();
    await second.context.close();
  }
});

test('attack mode room: zero axe violations at 390x844 and 1280x800 in every theme, no badge, nothing moving, only the conversation and the message box', { timeout: 600_000 }, async () => {
  const g = await createGroup(HUB_A, { prefix: 'attack-room' });
  const m = await signUpMember(browser, HUB_A, { prefix: 'Plover' });
  const failures = [];
  try {
    const { page } = m;
    await joinGroup(page, HUB_A, g.slug);
    await waitOpen(page);
    await sendMessage(page, 'Lying down in the dark for a while.');
    for (const theme of THEMES) {
      await page.emulateMedia({ colorScheme: theme.scheme ?? 'dark', reducedMotion: 'no-preference' });
      await chooseTheme(page, theme);
      for (const vp of VIEWPORTS) {
        await page.setViewportSize(vp);
        await openRoom(page, HUB_A, g.slug);
        const control = page.getByRole('button', { name: CONTROL, exact: true });
        if ((await control.getAttribute('aria-pressed')) !== 'true') {
          await control.click();
          await expectAttribute(page.locator('html'), 'data-attack', 'on');
        }
        const where = `${theme.name} ${vp.width}x${vp.height}`;
        const seen = await page.evaluate(() => {
          const shown = (el) => !!el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
          return {
            badges: [...document.querySelectorAll('.count, .badge, [data-badge], [data-count]')].filter(shown).length,
            aside: shown(document.querySelector('.room-aside')),
            typing: shown(document.getElementById('typing')),
            messages: shown(document.getElementById('messages')),
            composer: shown(document.getElementById('composer-text')),
            control: shown(document.getElementById('attack-control')),
            animations: document.getAnimations().length,
            moving: [...document.querySelectorAll('*')].filter((el) => {
              const s = getComputedStyle(el);
              return (s.animationName !== 'none' && s.animationName !== '') || /[1-9]/.test(s.transitionDuration);
            }).length,
            fontSize: parseFloat(getComputedStyle(document.documentElement).fontSize),
          };
        });
        assert.equal(seen.badges, 0, `${where}: a badge or count is shown`);
        assert.equal(seen.aside, false, `${where}: the side panel is shown`);
        assert.equal(seen.typing, false, `${where}: the typing line is shown`);
        assert.ok(seen.messages && seen.composer && seen.control, `${where}: conversation, message box and control: ${JSON.stringify(seen)}`);
        assert.equal(seen.animations, 0, `${where}: an animation is running`);
        assert.equal(seen.moving, 0, `${where}: an element has an animation or a transition`);
        assert.ok(seen.fontSize >= 20, `${where}: text is not larger (${seen.fontSize}px)`);
        const violations = await allViolations(page);
        await page.screenshot({ path: path.join(SCREENSHOT_DIR, `attack-room-${vp.width}-${theme.name}.png`) });
        if (violations.length) failures.push(`${where}:\n${formatViolations(violations)}`);
      }
    }
    assert.deepEqual(failures, [], failures.join('\n\n'));

    // The library opens on the "during an attack" card, before the topics.
    await page.goto(t(HUB_A, '/library'));
    const headings = await page.locator('main h2:visible').allTextContents();
    assert.equal(headings[0]?.trim(), 'During an attack', `library headings: ${JSON.stringify(headings.slice(0, 3))}`);
    const libViolations = await allViolations(page);
    assert.deepEqual(libViolations, [], formatViolations(libViolations));
    await page.getByRole('button', { name: CONTROL, exact: true }).click();
    await expectAttribute(page.locator('html'), 'data-attack', null);
    assertNoProblems(page);
  } finally {
    await m.context.close();
  }
});
