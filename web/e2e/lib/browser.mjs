// Chromium and small waiting helpers (playwright-core has no `expect`).
import { randomBytes } from 'node:crypto';
import { chromium } from 'playwright-core';

/** Debian's Chromium; Playwright never downloads a browser here. */
export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/**
 * A fresh browser context (its own cookies: one member) and a page in it.
 * Uncaught page errors and Content-Security-Policy refusals are recorded in
 * page.problems: both mean the page's own code or markup is broken.
 */
export async function newPage(browser, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, ...options });
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(20_000);
  const page = await context.newPage();
  trackProblems(page);
  return { context, page };
}

export function trackProblems(page) {
  page.problems = [];
  page.on('pageerror', (err) => page.problems.push(`uncaught error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text())) {
      page.problems.push(`CSP refusal: ${msg.text()}`);
    }
  });
}

/** Fails when the page logged an uncaught error or a CSP refusal. */
export function assertNoProblems(page, what = page.url()) {
  if (page.problems && page.problems.length) {
    throw new Error(`problems on ${what}:\n  ${page.problems.join('\n  ')}`);
  }
}

/** A short random token, so that every test has its own names. */
export function token(bytes = 3) {
  return randomBytes(bytes).toString('hex');
}

/**
 * Runs fn until it stops throwing (or returns without throwing), polling
 * every `interval` ms; after `timeout` ms it throws fn's last error,
 * prefixed with `message`. This is the "expect.poll" of these tests: it
 * waits on a state of the page, never for a fixed time.
 */
export async function eventually(fn, { timeout = 10_000, interval = 100, message = 'condition not met' } = {}) {
  const deadline = Date.now() + timeout;
  let lastErr;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      lastErr = err;
    }
    if (Date.now() > deadline) {
      const e = new Error(`${message} (after ${timeout} ms): ${lastErr && lastErr.message}`);
      e.cause = lastErr;
      throw e;
    }
    await new Promise((r) => setTimeout(r, interval)); // polling interval, not a wait for a state
  }
}

/** Waits until the locator's text content (trimmed) matches `expected` (string or RegExp). */
export async function expectText(locator, expected, opts = {}) {
  return eventually(async () => {
    const text = ((await locator.textContent({ timeout: 1000 })) || '').trim();
    const ok = expected instanceof RegExp ? expected.test(text) : text === expected;
    if (!ok) throw new Error(`text is ${JSON.stringify(text)}, want ${expected}`);
    return text;
  }, { message: `text of ${locator}`, ...opts });
}

/** Waits until the locator's attribute has the value (string, RegExp or predicate). */
export async function expectAttribute(locator, name, expected, opts = {}) {
  return eventually(async () => {
    const v = await locator.getAttribute(name, { timeout: 1000 });
    const ok = typeof expected === 'function' ? expected(v)
      : expected instanceof RegExp ? expected.test(v ?? '') : v === expected;
    if (!ok) throw new Error(`${name}=${JSON.stringify(v)}, want ${expected}`);
    return v;
  }, { message: `attribute ${name} of ${locator}`, ...opts });
}

/** Waits for the page's path (with query) to satisfy the predicate or equal the string. */
export async function expectPath(page, expected, opts = {}) {
  return eventually(async () => {
    const u = new URL(page.url());
    const p = u.pathname + u.search;
    const ok = typeof expected === 'function' ? expected(u) : expected instanceof RegExp ? expected.test(p) : u.pathname === expected;
    if (!ok) throw new Error(`at ${p}, want ${expected}`);
  }, { message: 'page address', ...opts });
}
