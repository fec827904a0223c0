// The themes, choosing one through the Settings form, and the per-page
// check (axe-core plus a full-page screenshot) shared by the accessibility
// tests (tests/a11y.test.mjs, tests/library.test.mjs).
import assert from 'node:assert/strict';
import path from 'node:path';
import { HUB_A, SCREENSHOT_DIR, t } from './env.mjs';
import { expectAttribute } from './browser.mjs';
import { seriousViolations, formatViolations } from './axe.mjs';

// Themes: name in the screenshot file, data-theme value, Theme option label,
// and the emulated prefers-color-scheme (for auto).
export const THEMES = [
  { name: 'dark', value: 'dark', label: 'Dim dark' },
  { name: 'light', value: 'light', label: 'Light' },
  { name: 'low-contrast', value: 'low-contrast', label: 'Low contrast' },
  { name: 'auto-light', value: 'auto', label: 'Follow my device', scheme: 'light' },
  { name: 'auto-dark', value: 'auto', label: 'Follow my device', scheme: 'dark' },
];

/** Chooses a theme through the Settings form and checks it took. */
export async function chooseTheme(page, theme, base = HUB_A) {
  await page.goto(t(base, '/settings'));
  await page.getByLabel('Theme', { exact: true }).selectOption({ label: theme.label });
  await page.getByRole('button', { name: 'Save settings', exact: true }).click();
  await expectAttribute(page.locator('html'), 'data-theme', theme.value, { message: `theme ${theme.label} not applied after saving` });
  await page.goto(t(base, '/settings'));
  const selected = await page.getByLabel('Theme', { exact: true }).evaluate((s) => s.options[s.selectedIndex].text.trim());
  assert.equal(selected, theme.label, 'the Settings form shows the saved theme');
}

/**
 * Loads a page (entry.load(page) or page.goto(entry.url())), checks its
 * status (entry.status, default 200), waits for entry.ready, runs axe and
 * saves a screenshot `${entry.name}-${theme.name}.png`. Returns a failure
 * report, or null when axe found nothing serious or critical.
 * setAttribute: set html[data-theme] as the server would render it (for
 * signed-out pages, which have no saved preference).
 */
export async function checkPage(page, entry, theme, { setAttribute = false } = {}) {
  const res = entry.load ? await entry.load(page) : await page.goto(entry.url());
  const want = [entry.status ?? 200].flat();
  assert.ok(want.includes(res.status()), `${entry.name}: HTTP status ${res.status()}, want ${want.join(' or ')}`);
  if (setAttribute) {
    await page.evaluate((v) => { document.documentElement.dataset.theme = v; }, theme.value);
  }
  if (entry.ready) await entry.ready(page);
  assert.equal(await page.locator('html').getAttribute('data-theme'), theme.value, `${entry.name}: html[data-theme]`);
  const violations = await seriousViolations(page);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${entry.name}-${theme.name}.png`), fullPage: true });
  return violations.length ? `${entry.name} in theme ${theme.name} (${page.url()}):\n${formatViolations(violations)}` : null;
}
