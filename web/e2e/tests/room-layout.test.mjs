// The room as an app shell (issue 16, item 1; docs/web.md, "The room"):
// with 50 messages, at 1280x800, 1024x768, 390x844 and 360x640 and every
// text size, the message box and Send are in view and only the message list
// scrolls; on a phone the side panel and the site menu fold away; the focus
// starts in the message box, a skip link leads there, and the messages are
// one Tab stop with a toolbar per message reached by the arrow keys. axe in
// the dark, light and low-contrast themes at the phone size.
// Every test here uses a group of its own (lib/room.mjs, createGroup).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { HUB_A, HUB_B, SCREENSHOT_DIR, t } from '../lib/env.mjs';
import { launchBrowser, assertNoProblems, eventually, token } from '../lib/browser.mjs';
import { signUpMember, joinGroup, openRoom, waitOpen, roomMessages, sendMessage } from '../lib/member.mjs';
import { seedMessages } from '../lib/seed.mjs';
import { THEMES, chooseTheme } from '../lib/a11y.mjs';
import { seriousViolations, formatViolations } from '../lib/axe.mjs';
import { createGroup, chooseTextSize, roomGeometry, assertInView, TEXT_SIZES, VIEWPORTS } from '../lib/room.mjs';
import { focused } from '../lib/moderation.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

/** 50 messages from others, some long enough to wrap over several lines. */
function fiftyTexts() {
  return Array.from({ length: 50 }, (_, i) => (i % 7 === 3
    ? `Message ${i + 1}: a longer one, the way people write on a bad day, with a few sentences about rest, light, water and how the afternoon went. ${token(2)}`
    : `Message ${i + 1} ${token(2)}`));
}

/** Moves the keyboard's starting point to the top of the page. */
function fromTheTop() {
  const b = document.body;
  b.tabIndex = -1;
  b.focus();
  b.removeAttribute('tabindex');
}

async function waitForMessages(page, n) {
  await eventually(async () => {
    const shown = await roomMessages(page);
    assert.ok(shown.length >= n, `${shown.length} messages shown, want ${n}`);
  }, { timeout: 20_000, message: `the room did not show ${n} messages` });
}

test('room layout: after 50 messages the message box and Send stay in view and only the list scrolls, at every screen and text size', { timeout: 600_000 }, async () => {
  const g = await createGroup(HUB_A, { prefix: 'layout' });
  await seedMessages(browser, HUB_B, g.slug, fiftyTexts());
  const m = await signUpMember(browser, HUB_A, { prefix: 'Heron' });
  const failures = [];
  try {
    const { page } = m;
    await joinGroup(page, HUB_A, g.slug);
    for (const size of TEXT_SIZES) {
      await chooseTextSize(page, HUB_A, size);
      for (const vp of VIEWPORTS) {
        await page.setViewportSize({ width: vp.width, height: vp.height });
        await openRoom(page, HUB_A, g.slug);
        await waitForMessages(page, 50);
        const where = `${vp.name} ${vp.width}x${vp.height}, text ${size.label}`;
        try {
          await eventually(async () => {
            const geo = await roomGeometry(page);
            assertInView(geo, geo.text, `${where}: the message box`);
            assertInView(geo, geo.send, `${where}: Send`);
            assert.equal(geo.pageScrolls, false, `${where}: the page itself scrolls: ${JSON.stringify(geo.pageScroll)} in ${geo.vw}x${geo.vh}`);
            assert.ok(['auto', 'scroll'].includes(geo.listOverflow), `${where}: the list is not a scroll box (${geo.listOverflow})`);
            assert.equal(geo.listScrolls, true, `${where}: 50 messages should overflow the list`);
            assert.ok(geo.list.height >= 60, `${where}: the list is too short to read (${geo.list.height}px)`);
            // The room opens at the newest message.
            assert.ok(geo.last.bottom <= geo.list.bottom + 1 && geo.last.bottom > geo.list.top,
              `${where}: the newest message is not in view: ${JSON.stringify({ last: geo.last, list: geo.list })}`);
          }, { timeout: 5_000, message: where });
          const panel = await page.locator('details.room-panel').evaluate((d) => d.open);
          const menu = await page.locator('details.nav-menu').evaluate((d) => d.open);
          const wideEnough = vp.width >= 960; // 60rem: the side panel is a column
          assert.equal(panel, wideEnough, `${where}: side panel open=${panel}`);
          assert.equal(menu, vp.width >= 768, `${where}: site menu open=${menu}`);
          // A long draft grows the box, which still leaves Send in view.
          await page.getByLabel('Message', { exact: true }).fill(Array.from({ length: 12 }, (_, i) => `line ${i + 1}`).join('\n'));
          const geo = await roomGeometry(page);
          assertInView(geo, geo.text, `${where}: the message box with a long draft`);
          assertInView(geo, geo.send, `${where}: Send with a long draft`);
          assert.equal(geo.pageScrolls, false, `${where}: the page scrolls with a long draft`);
          await page.getByLabel('Message', { exact: true }).fill('');
        } catch (err) {
          failures.push(err.message);
        }
        await page.screenshot({ path: path.join(SCREENSHOT_DIR, `room-layout-${vp.name}-text${size.value}.png`) });
      }
    }
    assertNoProblems(page);
  } finally {
    await m.context.close();
  }
  assert.deepEqual(failures, [], `layout failures:\n${failures.join('\n')}`);
});

test('room keyboard: focus starts in the message box, a skip link leads there, the messages are one Tab stop with a toolbar reached by arrows', { timeout: 180_000 }, async () => {
  const g = await createGroup(HUB_A, { prefix: 'keys' });
  const texts = ['First from someone else', 'Second from someone else', 'Third from someone else'];
  await seedMessages(browser, HUB_B, g.slug, texts);
  const m = await signUpMember(browser, HUB_A, { prefix: 'Plover' });
  try {
    const { page } = m;
    // Joining lands in the room with the focus in the message box.
    await joinGroup(page, HUB_A, g.slug);
    await waitOpen(page);
    await eventually(async () => assert.equal((await focused(page)).id, 'composer-text'), { message: 'joining did not put the focus in the message box' });
    await openRoom(page, HUB_A, g.slug);
    await eventually(async () => assert.equal((await focused(page)).id, 'composer-text'), { message: 'opening the room did not put the focus in the message box' });
    await eventually(async () => assert.equal((await roomMessages(page)).length, 3));

    // The skip links: to the content, then to the message box.
    await page.evaluate(fromTheTop);
    await page.keyboard.press('Tab');
    assert.equal((await focused(page)).name, 'Skip to content');
    await page.keyboard.press('Tab');
    const skip = await focused(page);
    assert.equal(skip.name, 'Skip to the message box');
    await page.keyboard.press('Enter');
    await eventually(async () => assert.equal((await focused(page)).id, 'composer-text'), { message: 'the skip link did not reach the message box' });

    // From the top of the page to the message box: no Flag button, and one message at most.
    await page.evaluate(fromTheTop);
    const stops = [];
    for (let i = 0; i < 60; i++) {
      await page.keyboard.press('Tab');
      const f = await page.evaluate(() => {
        const el = document.activeElement;
        return { id: el.id, cls: String(el.className), tag: el.tagName.toLowerCase(), msg: el.matches('li.message') };
      });
      stops.push(f);
      if (f.id === 'composer-text') break;
    }
    assert.equal(stops.at(-1).id, 'composer-text', `Tab never reached the message box: ${JSON.stringify(stops)}`);
    assert.equal(stops.filter((s) => /message-flag/.test(s.cls)).length, 0, 'a Flag button was a Tab stop on the way to the message box');
    assert.equal(stops.filter((s) => s.msg).length, 1, `the messages are one Tab stop: ${JSON.stringify(stops)}`);

    // Shift+Tab from the box: the newest message; arrows move through the list and into its toolbar.
    await page.keyboard.press('Shift+Tab');
    const text = () => page.evaluate(() => document.activeElement.closest('li.message')?.querySelector('.message-text')?.textContent);
    assert.equal(await text(), texts[2]);
    assert.equal(await page.evaluate(() => document.activeElement.matches('li.message')), true);
    await page.keyboard.press('ArrowUp');
    assert.equal(await text(), texts[1]);
    await page.keyboard.press('Home');
    assert.equal(await text(), texts[0]);
    await page.keyboard.press('ArrowDown');
    assert.equal(await text(), texts[1]);
    await page.keyboard.press('ArrowRight');
    const flag = await focused(page);
    assert.match(flag.name, /^Flag message from Seed /, `ArrowRight reaches the message's Flag button: ${JSON.stringify(flag)}`);
    assert.equal(await page.evaluate(() => document.activeElement.closest('[role=toolbar]')?.getAttribute('aria-label')), `Message from ${flag.name.replace('Flag message from ', '')}`);
    await page.keyboard.press('Escape');
    assert.equal(await page.evaluate(() => document.activeElement.matches('li.message')), true, 'Escape goes back to the message');
    assert.equal(await text(), texts[1]);
    // The message visited last is the list's Tab stop now.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Shift+Tab');
    assert.equal(await text(), texts[1], 'Tab and Shift+Tab come back to the message visited last');
    // And Enter on the Flag button still opens the dialog.
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await eventually(async () => assert.equal(await page.locator('#flag-dialog').evaluate((d) => d.open), true));
    await page.keyboard.press('Escape');
    await eventually(async () => assert.match((await focused(page)).name, /^Flag message from /));

    // Sending still works and the list grows; the box keeps the focus.
    await page.getByLabel('Message', { exact: true }).focus();
    await sendMessage(page, `Hello from the keyboard ${token()}`);
    assert.equal((await focused(page)).id, 'composer-text');
    assertNoProblems(page);
  } finally {
    await m.context.close();
  }
});

test('room on a phone: axe finds nothing serious in the dark, light and low-contrast themes, with the panel and menu folded and open', { timeout: 300_000 }, async () => {
  const g = await createGroup(HUB_A, { prefix: 'phone' });
  await seedMessages(browser, HUB_B, g.slug, ['Someone else says hello.', 'And a second, longer line to wrap on a narrow screen, about light and rest.']);
  const m = await signUpMember(browser, HUB_A, { prefix: 'Wren' });
  const failures = [];
  try {
    const { page } = m;
    await joinGroup(page, HUB_A, g.slug);
    await waitOpen(page);
    await sendMessage(page, 'My own message on a phone.');
    for (const theme of THEMES.filter((th) => ['dark', 'light', 'low-contrast'].includes(th.name))) {
      await page.setViewportSize({ width: 1024, height: 768 });
      await chooseTheme(page, theme);
      await page.setViewportSize({ width: 390, height: 844 });
      await openRoom(page, HUB_A, g.slug);
      await eventually(async () => assert.ok((await roomMessages(page)).length >= 3));
      const check = async (name) => {
        const v = await seriousViolations(page);
        if (v.length) failures.push(`${name} in ${theme.name}:\n${formatViolations(v)}`);
        await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}-${theme.name}.png`) });
      };
      assert.equal(await page.locator('details.room-panel').evaluate((d) => d.open), false, 'the panel is folded on a phone');
      await check('room-phone');
      await page.getByText('About this group', { exact: true }).click();
      await page.getByRole('heading', { name: 'Online now', exact: true }).waitFor();
      await page.getByText(g.description, { exact: true }).waitFor();
      const geo = await roomGeometry(page);
      assertInView(geo, geo.send, `${theme.name}: Send with the panel open`);
      await check('room-phone-panel');
      await page.getByText('About this group', { exact: true }).click();
      await page.locator('.nav-menu > summary').click();
      await page.locator('.site-nav').getByRole('link', { name: 'Settings', exact: true }).waitFor();
      await check('room-phone-menu');
    }
    assertNoProblems(page);
  } finally {
    await m.context.close();
  }
  assert.equal(failures.length, 0, `axe violations:\n\n${failures.join('\n\n')}`);
});
