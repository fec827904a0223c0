// The library: searching it signed out (with the keyboard), an admin's own
// resources (a link and an article with hostile markup) read safely by a
// member and deleted again, the "Reading for this group" list of a room, and
// axe-core on the library's pages in every theme (screenshots library-*,
// library-search-*, library-search-none-*, article-*, article-community-*, library-manage-*).
// Reads the group `vestibular` (joins it with a fresh member, posts nothing).
// Every resource created here has a unique title and address and is deleted
// again, also when a test fails.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { HUB_A, HUB_B, TENANT, ADMIN_EMAIL, ADMIN_PASSWORD, t } from '../lib/env.mjs';
import {
  launchBrowser, newPage, assertNoProblems, expectPath, expectText, expectAttribute, token,
} from '../lib/browser.mjs';
import { signUpMember, signIn, signOutButton, joinGroup, waitOpen } from '../lib/member.mjs';
import { THEMES, chooseTheme, checkPage } from '../lib/a11y.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const LIB = `/t/${TENANT}/library`;
const VESTIBULAR = { slug: 'vestibular-migraine', title: 'Vestibular migraine' };

/** A word of random lower-case letters: unique in the library, one search term. */
function randomWord(n = 10) {
  return [...randomBytes(n)].map((b) => String.fromCharCode(97 + (b % 26))).join('');
}

/** The admin of the run's community, signed in through the sign-in form, in a context of its own. */
async function signInAdmin(base = HUB_A) {
  const { context, page } = await newPage(browser);
  await signIn(page, base, { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
  await expectPath(page, (u) => !u.pathname.endsWith('/signin'), { message: 'the admin\'s sign-in did not leave the form' });
  await signOutButton(page).waitFor();
  return { context, page };
}

/** Answers every request to example.org in this context, so links out can be followed offline. */
async function routeOutside(context) {
  await context.route(/^https?:\/\/example\.org\//, (route) => route.fulfill({
    status: 200,
    contentType: 'text/html; charset=utf-8',
    body: '<!doctype html><title>Outside</title><p>Outside Quietroom</p>',
  }));
}

/**
 * Clicks a form's submit button and returns the hub's answer to the POST
 * (a redirect after success, the form again after an error).
 */
async function submit(page, button) {
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && r.request().frame() === page.mainFrame()),
    button.click(),
  ]);
  return res;
}

/**
 * Adds a resource through the manage form; the page lands on the new
 * resource's page. r: { kind (option label), title, slug, summary, url, topic (option label), tags, body }.
 */
async function addResource(page, base, r) {
  await page.goto(t(base, '/library/manage'));
  await page.getByLabel('Kind', { exact: true }).selectOption({ label: r.kind });
  await page.getByLabel('Title', { exact: true }).fill(r.title);
  await page.getByLabel('Address', { exact: true }).fill(r.slug);
  await page.getByLabel('Summary', { exact: true }).fill(r.summary);
  await page.getByLabel('Web address', { exact: true }).fill(r.url ?? '');
  await page.getByLabel('Topic', { exact: true }).selectOption({ label: r.topic });
  await page.getByLabel('Tags', { exact: true }).fill(r.tags ?? '');
  await page.getByLabel('Text', { exact: true }).fill(r.body ?? '');
  const res = await submit(page, page.getByRole('button', { name: 'Add resource', exact: true }));
  assert.equal(res.status(), 303, `adding "${r.title}": POST ${new URL(res.url()).pathname} answered ${res.status()}, want a redirect to the new resource`);
  try {
    await expectPath(page, `${LIB}/${r.slug}`, { message: `adding "${r.title}" did not open its page` });
  } catch (err) {
    const errors = await page.locator('.form-errors, .field-error').allInnerTexts().catch(() => []);
    err.message += `\n  form errors shown: ${JSON.stringify(errors)}`;
    throw err;
  }
  await expectText(page.locator('#main p.notice'), 'The resource is saved.');
  await expectText(page.locator('#main h1'), r.title);
}

/** Deletes a resource with its Delete button on the manage page. */
async function deleteResource(page, base, title) {
  await page.goto(t(base, '/library/manage'));
  const res = await submit(page, page.getByRole('button', { name: `Delete ${title}`, exact: true }));
  assert.equal(res.status(), 303, `deleting "${title}": POST answered ${res.status()}, want a redirect`);
  await expectPath(page, `${LIB}/manage`, { message: `deleting "${title}" did not return to the manage page` });
  await expectText(page.locator('#main p.notice'), 'The resource is deleted.');
  assert.equal(await page.getByRole('button', { name: `Delete ${title}`, exact: true }).count(), 0, `"${title}" is still listed after its deletion`);
}

/** Best-effort removal of resources a failed test left behind. */
async function cleanUp(page, base, titles) {
  for (const title of titles) {
    try {
      await page.goto(t(base, '/library/manage'));
      const button = page.getByRole('button', { name: `Delete ${title}`, exact: true });
      if (await button.count()) {
        await button.click();
        await expectPath(page, `${LIB}/manage`);
      }
    } catch { /* the test's own failure is what matters */ }
  }
}

/** Searches through the library's search form (on /library); with Enter, or with the Search button. */
async function search(page, base, query, { withKeyboard = false } = {}) {
  await page.goto(t(base, '/library'));
  const box = page.getByLabel('Search the library', { exact: true });
  if (withKeyboard) {
    await box.click();
    await page.keyboard.type(query);
    await page.keyboard.press('Enter');
  } else {
    await box.fill(query);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
  }
  await expectPath(page, (u) => u.pathname === `${LIB}/search` && u.searchParams.get('q') === query,
    { message: `searching for "${query}" did not load the results page` });
  await page.locator('#main p[role="status"]').waitFor();
}

/** The titles of the search results, in order. */
function resultLinks(page) {
  return page.locator('ol.results > li.result > h2 > a');
}

/** An article page: one h1 with the title, and the medical note. */
async function expectArticle(page, slug, title) {
  await expectPath(page, `${LIB}/${slug}`, { message: `the article ${slug} did not open` });
  await expectText(page.locator('#main h1'), title);
  assert.equal(await page.locator('h1').count(), 1, `${slug}: one h1`);
  await expectText(page.locator('#main .medical-note'), /not medical advice/);
}

/**
 * Checks that the article's .prose ran and made nothing from the hostile
 * markup, follows every link in it that leads somewhere (each opens in a new
 * tab, without window.opener), and returns the hrefs it found.
 */
async function checkProseIsSafe(page, { safeHref }) {
  const prose = page.locator('#main .prose');
  await prose.waitFor();
  assert.equal(await page.evaluate(() => typeof window.__pwned), 'undefined', 'window.__pwned after loading the article');
  const made = await page.evaluate(() => {
    const found = [];
    for (const el of document.querySelectorAll('script:not([src]), img, iframe, object, embed, svg, form, style, [class^="pwn-"]')) {
      if (el.closest('.prose') || el.matches('img, [class^="pwn-"]')) found.push(el.outerHTML.slice(0, 120));
    }
    for (const el of document.querySelectorAll('.prose *')) {
      const on = [...el.attributes].filter((a) => /^on/i.test(a.name) || a.name === 'style' || a.name === 'srcdoc');
      if (on.length) found.push(el.outerHTML.slice(0, 120));
    }
    return [...new Set(found)];
  });
  assert.deepEqual(made, [], 'elements or event handlers made from the hostile markup');

  const links = await prose.locator('a').evaluateAll((as) => as.map((a) => ({
    href: a.getAttribute('href'), text: a.textContent.trim(), rel: a.getAttribute('rel') || '', target: a.getAttribute('target') || '',
  })));
  const unsafe = links.filter((l) => l.href !== null && !/^(https?:|mailto:|\/(?!\/)|#)/i.test(l.href.trim()));
  assert.deepEqual(unsafe, [], 'links in .prose whose address is not http(s), mailto or on this site');
  assert.ok(links.some((l) => l.href === safeHref), `the safe link ${safeHref} is kept: ${JSON.stringify(links)}`);

  for (let i = 0; i < links.length; i++) {
    const l = links[i];
    const link = prose.locator('a').nth(i);
    if (l.href === null || l.href.startsWith('mailto:')) {
      // An <a> without an address, left from a removed one: clicking it does nothing.
      const before = page.url();
      if (l.href === null) await link.click();
      assert.equal(page.url(), before, `clicking "${l.text}" moved the page`);
      continue;
    }
    const url = new URL(l.href, page.url());
    if (url.origin === new URL(page.url()).origin) {
      const back = page.url();
      await link.click();
      await expectPath(page, url.pathname);
      await page.goto(back);
      continue;
    }
    assert.equal(l.target, '_blank', `the link out "${l.text}" opens a new tab`);
    assert.match(l.rel, /\bnoopener\b/, `the link out "${l.text}" has rel=noopener`);
    assert.match(l.rel, /\bnoreferrer\b/, `the link out "${l.text}" has rel=noreferrer`);
    const [tab] = await Promise.all([page.context().waitForEvent('page'), link.click()]);
    await tab.waitForLoadState('domcontentloaded');
    assert.equal(tab.url(), url.href, `the link "${l.text}" opened its address`);
    assert.equal(await tab.evaluate(() => window.opener), null, `the tab of "${l.text}" cannot reach back (window.opener)`);
    await tab.close();
  }
  assert.equal(await page.evaluate(() => typeof window.__pwned), 'undefined', 'window.__pwned after clicking the links');
  return links.map((l) => l.href);
}

test('library: a signed-out visitor searches with the keyboard and opens the vestibular migraine article', { timeout: 90_000 }, async () => {
  const { context, page } = await newPage(browser);
  try {
    // The header's Library link, signed out.
    await page.goto(t(HUB_A));
    assert.equal(await signOutButton(page).count(), 0, 'signed out');
    const nav = page.locator('.site-nav').getByRole('link', { name: 'Library', exact: true });
    await nav.click();
    await expectPath(page, LIB, { message: 'the header\'s Library link did not open the library' });
    await expectText(page.locator('#main h1'), 'Library');
    await expectAttribute(page.locator('.site-nav').getByRole('link', { name: 'Library', exact: true }), 'aria-current', 'page');

    // The index by topic lists the article under its topic.
    const types = page.locator('section.topic').filter({ has: page.getByRole('heading', { level: 2, name: 'Types of migraine', exact: true }) });
    await types.getByRole('link', { name: VESTIBULAR.title, exact: true }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'Manage this community\'s resources' }).count(), 0, 'no manage link for a visitor');

    // Type in the search box and press Enter.
    const box = page.getByLabel('Search the library', { exact: true });
    assert.equal(await box.getAttribute('id'), 'library-q');
    await search(page, HUB_A, 'dizzy spells', { withKeyboard: true });
    await expectText(page.locator('#main h1'), 'Search results');
    await expectText(page.locator('#main p[role="status"]'), /\d+ articles? match(es)? “dizzy spells”/);
    assert.equal(await page.getByLabel('Search the library', { exact: true }).inputValue(), 'dizzy spells', 'the results page keeps the query in the box');
    const titles = (await resultLinks(page).allTextContents()).map((s) => s.trim());
    const at = titles.indexOf(VESTIBULAR.title);
    assert.ok(at >= 0 && at < 3, `"${VESTIBULAR.title}" is among the first three results for "dizzy spells": ${JSON.stringify(titles)}`);
    // Each snippet is cut with one ellipsis at either end, not two.
    const snippets = await page.locator('ol.results > li.result > p.hint').allInnerTexts();
    assert.ok(snippets.length > 0, 'the results show snippets');
    assert.deepEqual(snippets.filter((s) => /……|^…\s*…/.test(s.trim())), [], 'snippets with a doubled ellipsis');

    // Open it from the results.
    await resultLinks(page).nth(at).click();
    await expectArticle(page, VESTIBULAR.slug, VESTIBULAR.title);
    assert.match(await page.locator('#main .prose').innerText(), /balance/i, 'the article\'s text is shown');
    await page.locator('#main .article-meta').getByRole('heading', { name: 'Sources', exact: true }).waitFor();
    assert.ok(await page.locator('#main .article-meta li a[href^="https://"]').count() >= 1, 'the article lists its sources');

    // A question in a member's own words: the emergency article comes first.
    await search(page, HUB_A, 'when should I go to A&E', { withKeyboard: true });
    await expectText(resultLinks(page).first(), 'When to seek emergency care');

    // A search that finds nothing says so, and offers the closest topics
    // and the community instead of an empty page.
    const nonsense = `qxz${randomWord(9)}`;
    await search(page, HUB_A, nonsense);
    await expectText(page.locator('#main p[role="status"]'), new RegExp(`^Nothing in the library matches “${nonsense}”`));
    assert.equal(await resultLinks(page).count(), 0, 'no results listed');
    const offered = page.locator('#main .no-results section.topic');
    assert.ok(await offered.count() >= 1, 'the page offers at least one topic');
    const ask = page.getByRole('link', { name: 'Ask the community', exact: true });
    await expectAttribute(ask, 'href', `/t/${TENANT}/groups`);
    const firstArticle = offered.first().locator('ul.article-list a').first();
    const href = await firstArticle.getAttribute('href');
    const title = (await firstArticle.innerText()).trim();
    await firstArticle.click();
    await expectArticle(page, href.split('/').pop(), title);
    assertNoProblems(page);
  } finally {
    await context.close();
  }
});

test('library: an admin adds a crisis line and an article with hostile markup; a member reads it safely; deleted, it is gone',
  { timeout: 180_000 }, async () => {
    const id = token(3);
    const word = randomWord();
    const safeHref = `https://example.org/quiet-${id}`;
    const crisis = {
      kind: 'A link to somewhere else',
      title: `Calm crisis line ${id}`,
      slug: `e2e-crisis-line-${id}`,
      summary: 'A phone line answered day and night by trained volunteers.',
      url: `https://example.org/crisis-${id}`,
      topic: 'From your community',
      tags: 'crisis, support',
    };
    const hostile = {
      kind: 'An article written here',
      title: `Quiet corner notes ${id}`,
      slug: `e2e-quiet-corner-${id}`,
      summary: `Notes about ${word} <b class="pwn-summary">from our community</b>.`,
      url: '',
      topic: 'From your community',
      tags: 'community',
      body: [
        `Notes from our quiet corner about ${word}.`,
        '',
        '<script>window.__pwned=1</script>',
        '',
        '<img src=x onerror="window.__pwned=2">',
        '',
        `A [safe link](${safeHref}) and [x](javascript:window.__pwned=3).`,
        '',
        'Inline <span class="pwn-span" onmouseover="window.__pwned=4">raw html</span> and [data](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX19wd25lZD01PC9zY3JpcHQ+).',
        '',
        '<a href="javascript:window.__pwned=6">raw anchor</a>',
        '',
        '**Bold** and *italic* stay.',
      ].join('\n'),
    };
    const admin = await signInAdmin(HUB_A);
    const m = await signUpMember(browser, HUB_B, { prefix: 'Petrel' });
    const dialogs = [];
    for (const p of [admin.page, m.page]) {
      p.on('dialog', async (d) => { dialogs.push(`${d.type()}: ${d.message()}`); await d.dismiss(); });
    }
    await routeOutside(admin.context);
    await routeOutside(m.context);
    const left = new Set();
    try {
      // The admin finds the manage page from the library.
      await admin.page.goto(t(HUB_A, '/library'));
      await admin.page.getByRole('link', { name: 'Manage this community\'s resources', exact: true }).click();
      await expectPath(admin.page, `${LIB}/manage`);
      await expectText(admin.page.locator('#main h1'), 'Community resources');

      // A link without its address, at a built-in article's address: both fields refused, linked.
      await admin.page.getByLabel('Kind', { exact: true }).selectOption({ label: crisis.kind });
      await admin.page.getByLabel('Title', { exact: true }).fill(crisis.title);
      await admin.page.getByLabel('Address', { exact: true }).fill(VESTIBULAR.slug);
      await admin.page.getByLabel('Summary', { exact: true }).fill(crisis.summary);
      const refused = await submit(admin.page, admin.page.getByRole('button', { name: 'Add resource', exact: true }));
      assert.ok(refused.status() >= 400 && refused.status() < 500 && ![401, 403, 404].includes(refused.status()),
        `an invalid resource: POST answered ${refused.status()}, want the form again with a 4xx status`);
      await admin.page.locator('#main .form-errors').waitFor();
      for (const label of ['Address', 'Web address']) {
        const field = admin.page.getByLabel(label, { exact: true });
        await expectAttribute(field, 'aria-invalid', 'true', { message: `${label} is marked invalid` });
        const described = await field.evaluate((el) => (el.getAttribute('aria-describedby') || '').split(/\s+/)
          .map((id) => document.getElementById(id)).filter((e) => e && e.classList.contains('field-error')).map((e) => e.textContent.trim()));
        assert.ok(described.length === 1 && described[0], `${label} is described by its error: ${JSON.stringify(described)}`);
      }
      assert.equal(await admin.page.getByLabel('Title', { exact: true }).inputValue(), crisis.title, 'what was typed is kept');
      assert.equal((await admin.page.request.get(t(HUB_A, `/library/${VESTIBULAR.slug}`))).status(), 200, 'the built-in article is untouched');

      // A crisis line, as a link.
      left.add(crisis.title);
      await addResource(admin.page, HUB_A, crisis);
      const open = admin.page.getByRole('link', { name: `Open ${crisis.title} (opens in a new tab)`, exact: true });
      await expectAttribute(open, 'href', crisis.url);
      await expectAttribute(open, 'target', '_blank');
      await expectAttribute(open, 'rel', /\bnoopener\b/);

      // The article with hostile markup: the admin lands on it first.
      left.add(hostile.title);
      await addResource(admin.page, HUB_A, hostile);
      await checkProseIsSafe(admin.page, { safeHref });
      await admin.page.getByRole('link', { name: 'Edit this resource', exact: true }).waitFor();
      // Both are listed on the manage page.
      await admin.page.goto(t(HUB_A, '/library/manage'));
      for (const r of [crisis, hostile]) {
        await admin.page.locator('table.resources').getByRole('link', { name: r.title, exact: true }).waitFor();
      }

      // The admin edits the crisis line's summary.
      const summary = `Answered day and night, in several languages (${id}).`;
      await admin.page.getByRole('link', { name: `Edit ${crisis.title}`, exact: true }).click();
      await expectPath(admin.page, `${LIB}/manage/${crisis.slug}`);
      await expectText(admin.page.locator('#resource-form-heading'), `Edit “${crisis.title}”`);
      assert.equal(await admin.page.getByLabel('Web address', { exact: true }).inputValue(), crisis.url, 'the form is filled');
      assert.equal(await admin.page.getByLabel('Topic', { exact: true }).evaluate((s) => s.options[s.selectedIndex].text.trim()), crisis.topic);
      await admin.page.getByLabel('Summary', { exact: true }).fill(summary);
      const saved = await submit(admin.page, admin.page.getByRole('button', { name: 'Save changes', exact: true }));
      assert.equal(saved.status(), 303, `saving the changes: POST answered ${saved.status()}, want a redirect`);
      await expectPath(admin.page, `${LIB}/${crisis.slug}`, { message: 'saving the changes did not open the resource' });
      await expectText(admin.page.locator('#main p.notice'), 'The resource is saved.');
      await expectText(admin.page.locator('#main .lead'), summary);

      // A member, on the other hub, sees the crisis line under its topic, as edited.
      await m.page.goto(t(HUB_B, '/library'));
      const local = m.page.locator('section.topic').filter({ has: m.page.getByRole('heading', { level: 2, name: 'From your community', exact: true }) });
      await local.getByRole('link', { name: crisis.title, exact: true }).click();
      await expectArticle(m.page, crisis.slug, crisis.title);
      await expectText(m.page.locator('#main .lead'), summary);
      await expectAttribute(m.page.getByRole('link', { name: `Open ${crisis.title} (opens in a new tab)`, exact: true }), 'href', crisis.url);
      assert.equal(await m.page.getByRole('link', { name: 'Edit this resource' }).count(), 0, 'no Edit link for a member');

      // … searches for the article, opens it from the results.
      await search(m.page, HUB_B, word);
      const item = m.page.locator('ol.results > li.result').filter({ has: m.page.locator('h2 > a', { hasText: hostile.title }) });
      const result = item.locator('h2 > a');
      await expectText(result, hostile.title);
      assert.match(await item.innerText(), /<b class="pwn-summary">from our community<\/b>/, 'the summary\'s markup is shown as text in the results');
      assert.match(await item.innerText(), /From this community/, 'the result is marked as the community\'s');
      await result.click();
      await expectArticle(m.page, hostile.slug, hostile.title);
      assert.match(await m.page.locator('#main .lead').innerText(), /<b class="pwn-summary">/, 'the summary\'s markup is shown as text on the article');
      await expectText(m.page.locator('#main .prose strong').first(), 'Bold');
      await expectText(m.page.locator('#main .prose em').first(), 'italic');
      assert.match(await m.page.locator('#main .prose').innerText(), new RegExp(`quiet corner about ${word}`), 'the article\'s text is shown');
      await checkProseIsSafe(m.page, { safeHref });
      // Hovering the text the onmouseover was on runs nothing either.
      await m.page.locator('#main .prose').getByText('raw html').hover();
      assert.equal(await m.page.evaluate(() => typeof window.__pwned), 'undefined', 'window.__pwned after hovering');

      // A member cannot manage the library.
      const forbidden = await m.page.goto(t(HUB_B, '/library/manage'));
      assert.equal(forbidden.status(), 403, 'a member opening the manage page');
      assert.equal(await m.page.getByRole('button', { name: 'Add resource' }).count(), 0, 'no form for a member');

      // The admin deletes both.
      for (const r of [crisis, hostile]) {
        await deleteResource(admin.page, HUB_A, r.title);
        left.delete(r.title);
      }
      // Gone on both hubs, and from search.
      for (const [who, page, base] of [['admin', admin.page, HUB_A], ['member', m.page, HUB_B]]) {
        for (const r of [crisis, hostile]) {
          const res = await page.goto(t(base, `/library/${r.slug}`));
          assert.equal(res.status(), 404, `${who}: ${r.slug} after its deletion`);
          await expectText(page.locator('#main h1'), 'Not found');
        }
      }
      await search(m.page, HUB_B, word);
      await expectText(m.page.locator('#main p[role="status"]'), new RegExp(`^Nothing in the library matches “${word}”`));
      await m.page.goto(t(HUB_B, '/library'));
      assert.equal(await m.page.getByRole('link', { name: crisis.title, exact: true }).count(), 0, 'the crisis line left the index');

      assert.deepEqual(dialogs, [], 'no dialog opened');
      assertNoProblems(admin.page, 'the admin\'s pages');
      assertNoProblems(m.page, 'the member\'s pages');
    } finally {
      await cleanUp(admin.page, HUB_A, left);
      await admin.context.close();
      await m.context.close();
    }
  });

test('library: the vestibular room lists "Reading for this group" with the vestibular article, which opens', { timeout: 90_000 }, async () => {
  const m = await signUpMember(browser, HUB_A, { prefix: 'Avocet' });
  try {
    const { page } = m;
    await joinGroup(page, HUB_A, 'vestibular');
    await waitOpen(page);
    const aside = page.locator('#main aside.room-aside');
    await aside.getByRole('heading', { level: 2, name: 'Reading for this group', exact: true }).waitFor();
    const reading = aside.getByRole('list', { name: 'Reading for this group', exact: true });
    const link = reading.getByRole('link', { name: VESTIBULAR.title, exact: true });
    await expectAttribute(link, 'href', `${LIB}/${VESTIBULAR.slug}`);
    // Every entry is a library article.
    const hrefs = await reading.getByRole('link').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.ok(hrefs.every((h) => h.startsWith(`${LIB}/`)), `reading links lead into the library: ${JSON.stringify(hrefs)}`);
    await link.click();
    await expectArticle(page, VESTIBULAR.slug, VESTIBULAR.title);
    assertNoProblems(page);
  } finally {
    await m.context.close();
  }
});

test('library: axe finds no serious or critical violation on the library pages, in any theme', { timeout: 300_000 }, async () => {
  const id = token(3);
  const community = {
    kind: 'An article written here',
    title: `Evening walk group ${id}`,
    slug: `e2e-evening-walks-${id}`,
    summary: 'A gentle walk on Thursday evenings, for anyone who wants company.',
    url: `https://example.org/walks-${id}`,
    topic: 'From your community',
    tags: 'community, support',
    body: [
      'We meet by the **library steps** at six and walk slowly for half an hour.',
      '',
      '## What to bring',
      '',
      '- Water',
      '- Sunglasses, if light is hard',
      '',
      `More on [our page](https://example.org/walks-${id}/more).`,
    ].join('\n'),
  };
  const m = await signUpMember(browser, HUB_A, { prefix: 'Ibis' });
  const admin = await signInAdmin(HUB_A);
  const failures = [];
  let adminTheme = null;
  let added = false;
  try {
    await admin.page.goto(t(HUB_A, '/settings'));
    adminTheme = await admin.page.getByLabel('Theme', { exact: true }).evaluate((s) => s.options[s.selectedIndex].text.trim());
    // A resource of the community, so the manage page has its table and there is a community article.
    // If adding it fails, that is a failure, but the other pages are still checked.
    try {
      await addResource(admin.page, HUB_A, community);
      added = true;
    } catch (err) {
      failures.push(`adding the community resource "${community.title}" failed, so article-community was not checked and library-manage has no table:\n  ${err.message}`);
    }

    const MEMBER = [
      { name: 'library', url: () => t(HUB_A, '/library'), ready: (p) => p.locator('section.topic').first().waitFor() },
      {
        name: 'library-search',
        url: () => t(HUB_A, `/library/search?q=${encodeURIComponent('dizzy spells')}`),
        ready: (p) => resultLinks(p).first().waitFor(),
      },
      {
        name: 'library-search-none',
        url: () => t(HUB_A, `/library/search?q=${encodeURIComponent('qxzqxzqxz')}`),
        ready: (p) => p.getByRole('link', { name: 'Ask the community', exact: true }).waitFor(),
      },
      { name: 'article', url: () => t(HUB_A, `/library/${VESTIBULAR.slug}`), ready: (p) => p.locator('#main .medical-note').waitFor() },
      { name: 'article-community', url: () => t(HUB_A, `/library/${community.slug}`), ready: (p) => p.locator('#main .prose').waitFor() },
    ].filter((e) => added || e.name !== 'article-community');
    const ADMIN = [
      {
        name: 'library-manage',
        url: () => t(HUB_A, '/library/manage'),
        ready: (p) => (added
          ? p.locator('table.resources').getByRole('link', { name: community.title, exact: true })
          : p.getByRole('button', { name: 'Add resource', exact: true })).waitFor(),
      },
    ];
    for (const theme of THEMES) {
      for (const [page, entries] of [[m.page, MEMBER], [admin.page, ADMIN]]) {
        await chooseTheme(page, theme);
        await page.emulateMedia({ colorScheme: theme.scheme ?? null });
        for (const entry of entries) {
          const f = await checkPage(page, entry, theme);
          if (f) failures.push(f);
        }
      }
    }
    assertNoProblems(m.page, 'the member\'s library pages');
    assertNoProblems(admin.page, 'the manage page');
  } finally {
    try {
      if (added) await deleteResource(admin.page, HUB_A, community.title);
      if (adminTheme) {
        await admin.page.emulateMedia({ colorScheme: null });
        await chooseTheme(admin.page, THEMES.find((th) => th.label === adminTheme) ?? THEMES[0]);
      }
    } finally {
      await m.context.close();
      await admin.context.close();
    }
  }
  assert.equal(failures.length, 0, `axe violations (serious or critical), or a failed setup:\n\n${failures.join('\n\n')}\n`);
});
