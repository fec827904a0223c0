// Accessibility and safety of the pages: axe-core on every page in every
// theme (with a full-page screenshot of each), keyboard use of the room,
// no motion by default, message text shown literally, and the security
// headers. Groups used here and nowhere else: `vestibular` (axe, keyboard,
// motion) and `retinal` (message text).
// The library's pages are checked the same way in library.test.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { HUB_A, HUB_B, TENANT, t } from '../lib/env.mjs';
import { launchBrowser, newPage, assertNoProblems, eventually, expectAttribute, token } from '../lib/browser.mjs';
import {
  signUpMember, joinGroup, openRoom, waitOpen, sendMessage, waitForMessage, roomMessages,
} from '../lib/member.mjs';
import { seedMessages } from '../lib/seed.mjs';
import { THEMES, chooseTheme, checkPage as check } from '../lib/a11y.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

// Themes (lib/a11y.mjs): dark, light, low-contrast, auto-light, auto-dark.

// Signed-out pages, and the pages of a signed-in member. `ready` waits for
// whatever the page fills in by script.
const SIGNED_OUT = [
  { name: 'index', url: () => `${HUB_A}/` },
  { name: 'home-signed-out', url: () => t(HUB_A) },
  { name: 'signin', url: () => t(HUB_A, '/signin') },
  { name: 'signup', url: () => t(HUB_A, '/signup') },
  {
    // The sign-up form sent empty: the error summary and every field error.
    name: 'signup-errors',
    url: () => t(HUB_A, '/signup'),
    load: async (page) => {
      await page.goto(t(HUB_A, '/signup'));
      const [res] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST'),
        page.getByRole('button', { name: 'Create account', exact: true }).click(),
      ]);
      await page.locator('.form-errors').waitFor();
      return res;
    },
    status: [200, 400, 422], // docs/web.md names no status for a re-rendered form
  },
];
const SIGNED_IN = [
  { name: 'home', url: () => t(HUB_A) },
  { name: 'directory', url: () => t(HUB_A, '/groups') },
  {
    name: 'room',
    url: () => t(HUB_A, '/groups/vestibular'),
    ready: async (page) => {
      await waitOpen(page);
      await eventually(async () => assert.ok((await roomMessages(page)).length >= 3, 'messages loaded'));
    },
  },
  { name: 'settings', url: () => t(HUB_A, '/settings') },
  { name: 'not-found', url: () => t(HUB_A, '/groups/no-such-group'), status: 404 },
];

test('axe finds no serious or critical WCAG 2.2 AA violation on any page, in any theme', { timeout: 300_000 }, async () => {
  // A member in the vestibular group, with messages from others and their own.
  await seedMessages(browser, HUB_B, 'vestibular', ['A first message from someone else.', 'And a second one, a little longer, to wrap across the line maybe.']);
  const m = await signUpMember(browser, HUB_A, { prefix: 'Ibis' });
  const anon = await newPage(browser);
  const failures = [];
  try {
    await joinGroup(m.page, HUB_A, 'vestibular');
    await waitOpen(m.page);
    await sendMessage(m.page, 'My own message, to see how it looks.');

    for (const theme of THEMES) {
      // Signed in: the theme comes from the member's saved settings.
      await chooseTheme(m.page, theme);
      await m.page.emulateMedia({ colorScheme: theme.scheme ?? null });
      for (const entry of SIGNED_IN) {
        const f = await check(m.page, entry, theme);
        if (f) failures.push(f);
      }
      // Signed out: there is no preference to save, so the attribute is set
      // as the server would render it.
      await anon.page.emulateMedia({ colorScheme: theme.scheme ?? null });
      for (const entry of SIGNED_OUT) {
        const f = await check(anon.page, entry, theme, { setAttribute: true });
        if (f) failures.push(f);
      }
    }
    assertNoProblems(m.page, 'the signed-in pages');
    assertNoProblems(anon.page, 'the signed-out pages');
  } finally {
    await m.context.close();
    await anon.context.close();
  }
  assert.equal(failures.length, 0, `axe violations (serious or critical):\n\n${failures.join('\n\n')}\n`);
});

// docs/web.md: "auto follows prefers-color-scheme …; the default when nothing
// is chosen is the dim dark theme". With nothing chosen the page is either
// dark or auto; a device that prefers dark gets the dim dark theme, and auto
// follows a light device. (Chromium no longer has a "no preference" colour
// scheme: emulating it matches light.)
test('with nothing chosen the theme is dim dark, unless the device asks for light', { timeout: 60_000 }, async () => {
  const anon = await newPage(browser);
  const m = await signUpMember(browser, HUB_A, { prefix: 'Gannet' });
  const luminance = async (page) => {
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const [r, g, b] = bg.match(/\d+(\.\d+)?/g).map(Number);
    return { bg, lum: 0.2126 * r + 0.7152 * g + 0.0722 * b };
  };
  try {
    for (const [who, page] of [['signed out', anon.page], ['new member', m.page]]) {
      await page.goto(t(HUB_A, '/signin'));
      const theme = await page.locator('html').getAttribute('data-theme');
      assert.ok(theme === 'dark' || theme === 'auto', `${who}: data-theme="${theme}"`);
      await page.emulateMedia({ colorScheme: 'dark' });
      const dark = await luminance(page);
      assert.ok(dark.lum < 80, `${who}: a dark background on a device that prefers dark: ${dark.bg}`);
      await page.emulateMedia({ colorScheme: 'light' });
      const light = await luminance(page);
      if (theme === 'auto') assert.ok(light.lum > 180, `${who}: auto follows a light device: ${light.bg}`);
      else assert.ok(light.lum < 80, `${who}: dark stays dark on a light device: ${light.bg}`);
    }
  } finally {
    await anon.context.close();
    await m.context.close();
  }
});

/** How the focused element shows its focus: a non-empty description, or null. */
function focusIndicator() {
  const el = document.activeElement;
  if (!el || el === document.body) return { tag: 'body', visible: false };
  const cs = getComputedStyle(el);
  const outline = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0;
  const shadow = cs.boxShadow && cs.boxShadow !== 'none';
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    text: (el.textContent || el.value || '').trim().slice(0, 40),
    href: el.getAttribute('href'),
    focusVisible: el.matches(':focus-visible'),
    visible: el.matches(':focus-visible') && (outline || shadow),
    style: `outline: ${cs.outlineStyle} ${cs.outlineWidth} ${cs.outlineColor}; box-shadow: ${cs.boxShadow}`,
  };
}

/** Moves the keyboard's starting point to the top of the page. */
function fromTheTop() {
  const b = document.body;
  b.tabIndex = -1;
  b.focus();
  b.removeAttribute('tabindex');
}

test('keyboard only: Tab reaches the composer and Send, with focus always visible', { timeout: 90_000 }, async () => {
  const m = await signUpMember(browser, HUB_A, { prefix: 'Jay' });
  try {
    const { page } = m;
    await joinGroup(page, HUB_A, 'vestibular');
    await openRoom(page, HUB_A, 'vestibular');
    // Opening the room puts the focus in the message box (issue 16); from
    // the top of the page, the keyboard path is checked here.
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'composer-text', 'the message box has the focus on load');
    await page.evaluate(fromTheTop);

    // The first stop is the skip link to the content.
    await page.keyboard.press('Tab');
    const first = await page.evaluate(focusIndicator);
    assert.equal(first.href, '#main', `the first Tab stop is the skip link: ${JSON.stringify(first)}`);
    assert.ok(first.visible, `skip link focus visible: ${JSON.stringify(first)}`);

    const stops = [first];
    let reached = null;
    for (let i = 0; i < 80 && !reached; i++) {
      await page.keyboard.press('Tab');
      const f = await page.evaluate(focusIndicator);
      stops.push(f);
      assert.ok(f.visible, `focus is not visible on Tab stop ${stops.length}: ${JSON.stringify(f)}`);
      if (f.id === 'composer-text') reached = f;
    }
    assert.ok(reached, `Tab never reached the composer; stops: ${stops.map((s) => s.id || s.tag + ':' + s.text).join(' → ')}`);

    let send = null;
    for (let i = 0; i < 5 && !send; i++) {
      await page.keyboard.press('Tab');
      const f = await page.evaluate(focusIndicator);
      assert.ok(f.visible, `focus is not visible after the composer: ${JSON.stringify(f)}`);
      if (f.tag === 'button' && f.text === 'Send') send = f;
    }
    assert.ok(send, 'Tab after the composer reaches Send');

    // And it works from the keyboard: back to the composer, type, Tab to Send, Enter.
    await page.keyboard.press('Shift+Tab');
    assert.equal((await page.evaluate(focusIndicator)).id, 'composer-text', 'Shift+Tab goes back to the composer');
    const text = `Typed with the keyboard ${token()}`;
    await page.keyboard.type(text);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await waitForMessage(page, text);
    assertNoProblems(page);
  } finally {
    await m.context.close();
  }
});

test('nothing moves by default: no running animations, no transitions', { timeout: 90_000 }, async () => {
  const m = await signUpMember(browser, HUB_A, { prefix: 'Kite' });
  try {
    const { page } = m;
    await joinGroup(page, HUB_A, 'vestibular');
    assert.equal(await page.locator('html').getAttribute('data-motion'), 'reduce', 'motion is off by default');

    const motion = () => {
      const moving = document.getAnimations().map((a) => `${a.constructor.name} ${a.animationName || a.transitionProperty || ''} on ${a.effect?.target?.tagName}`);
      const styled = [...document.querySelectorAll('button, .button, a, input, select, textarea, .message, .notice')].flatMap((el) => {
        const cs = getComputedStyle(el);
        const durations = [...cs.transitionDuration.split(','), ...cs.animationDuration.split(',')].map((d) => parseFloat(d));
        return durations.some((d) => d > 0) || cs.animationName !== 'none'
          ? [`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${el.className}: transition ${cs.transitionDuration}, animation ${cs.animationName} ${cs.animationDuration}`]
          : [];
      });
      return { moving, styled };
    };
    const pages = [t(HUB_A), t(HUB_A, '/groups'), t(HUB_A, '/groups/vestibular'), t(HUB_A, '/settings')];

    for (const url of pages) {
      await page.goto(url);
      if (url.endsWith('/vestibular')) {
        await waitOpen(page);
        await sendMessage(page, `Still ${token()}`);
      }
      // Hovering and focusing a button would start any transition it has.
      await page.locator('button').first().hover();
      const { moving, styled } = await page.evaluate(motion);
      assert.deepEqual(moving, [], `running animations on ${url}`);
      assert.deepEqual(styled, [], `elements with a transition or animation on ${url}`);
    }

    // Gentle animations allowed, but the device asks for reduced motion: still nothing.
    await page.goto(t(HUB_A, '/settings'));
    await page.getByLabel('Allow gentle animations', { exact: true }).check();
    await page.getByRole('button', { name: 'Save settings', exact: true }).click();
    await expectAttribute(page.locator('html'), 'data-motion', 'allow');
    await page.emulateMedia({ reducedMotion: 'reduce' });
    for (const url of pages) {
      await page.goto(url);
      if (url.endsWith('/vestibular')) await waitOpen(page);
      await page.locator('button').first().hover();
      const { moving, styled } = await page.evaluate(motion);
      assert.deepEqual(moving, [], `running animations on ${url} under prefers-reduced-motion`);
      assert.deepEqual(styled, [], `transitions on ${url} under prefers-reduced-motion`);
    }
    assertNoProblems(page);
  } finally {
    await m.context.close();
  }
});

test('message text with markup is shown literally, and runs nothing', { timeout: 90_000 }, async () => {
  const slug = 'retinal';
  const a = await signUpMember(browser, HUB_A, { prefix: 'Loon' });
  const b = await signUpMember(browser, HUB_B, { prefix: 'Merlin' });
  const dialogs = [];
  for (const p of [a.page, b.page]) {
    p.on('dialog', async (d) => { dialogs.push(`${d.type()}: ${d.message()}`); await d.dismiss(); });
  }
  try {
    await joinGroup(a.page, HUB_A, slug);
    await joinGroup(b.page, HUB_B, slug);
    await waitOpen(a.page);
    await waitOpen(b.page);

    const marker = `xss-${token()}`;
    const text = `<img src=x onerror=alert(1)> <i class="${marker}">not italic</i>`;
    await sendMessage(a.page, text);
    await waitForMessage(b.page, text);
    // And once more from the history, after a reload.
    await a.page.reload();
    await waitOpen(a.page);
    await waitForMessage(a.page, text);

    for (const [who, page] of [['sender', a.page], ['receiver', b.page]]) {
      const shown = (await roomMessages(page)).find((m) => m.text === text);
      assert.ok(shown, `${who}: the text is shown literally`);
      assert.equal(await page.locator(`img[src="x"], .${marker}`).count(), 0, `${who}: no element was made from the text`);
    }
    assert.deepEqual(dialogs, [], 'no dialog opened');
    assertNoProblems(a.page);
    assertNoProblems(b.page);
  } finally {
    await a.context.close();
    await b.context.close();
  }
});

/** The directives of a Content-Security-Policy header, by name. */
function parseCSP(header) {
  const out = {};
  for (const part of (header || '').split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) out[name.toLowerCase()] = values;
  }
  return out;
}

test('security headers on the pages, and robots.txt disallows everything', { timeout: 60_000 }, async () => {
  const m = await signUpMember(browser, HUB_A, { prefix: 'Nighthawk' });
  try {
    await joinGroup(m.page, HUB_A, 'vestibular');
    const pages = [`${HUB_A}/`, t(HUB_A), t(HUB_A, '/signin'), t(HUB_A, '/signup'), t(HUB_A, '/groups'), t(HUB_A, '/groups/vestibular'), t(HUB_A, '/settings'), t(HUB_B, '/groups/vestibular')];
    for (const url of pages) {
      const res = await m.page.request.get(url, { maxRedirects: 0 });
      const h = res.headers();
      const where = `${url} (${res.status()})`;
      assert.match(h['content-type'] || '', /^text\/html/, `${where}: an HTML page`);
      const csp = parseCSP(h['content-security-policy']);
      assert.ok(h['content-security-policy'], `${where}: Content-Security-Policy`);
      const scriptSrc = csp['script-src'] ?? csp['default-src'];
      assert.ok(scriptSrc, `${where}: CSP restricts scripts (script-src or default-src)`);
      assert.ok(!scriptSrc.includes("'unsafe-inline'") && !scriptSrc.includes("'unsafe-eval'") && !scriptSrc.includes('*'),
        `${where}: script-src ${scriptSrc.join(' ')}`);
      assert.ok(csp['frame-ancestors'], `${where}: CSP frame-ancestors`);
      assert.ok(!csp['frame-ancestors'].includes('*'), `${where}: frame-ancestors ${csp['frame-ancestors']}`);
      assert.match(h['x-robots-tag'] || '', /noindex/, `${where}: X-Robots-Tag`);
      assert.equal(h['x-content-type-options'], 'nosniff', `${where}: X-Content-Type-Options`);
      assert.ok(h['referrer-policy'], `${where}: Referrer-Policy`);
      assert.ok(!/unsafe-url|no-referrer-when-downgrade/.test(h['referrer-policy']), `${where}: Referrer-Policy ${h['referrer-policy']}`);
    }

    const robots = await fetch(`${HUB_A}/robots.txt`);
    assert.equal(robots.status, 200);
    const body = await robots.text();
    assert.match(body, /^User-agent:\s*\*\s*$/im, 'robots.txt addresses every robot');
    assert.match(body, /^Disallow:\s*\/\s*$/im, 'robots.txt disallows everything');
    assert.ok(!/^Allow:/im.test(body), 'robots.txt allows nothing back');
    // The tenant name is not needed to know the rules.
    assert.ok(!body.includes(TENANT));
  } finally {
    await m.context.close();
  }
});
