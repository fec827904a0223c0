// The moderation queue's counts (issue 16, items 10 and 11): the page's
// count is the list's, items the moderator may not decide are counted and
// explained, items are named by the group's display name (queue and case
// page); axe in the dark, light and low-contrast themes and on a phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { HUB_A, HUB_B, SCREENSHOT_DIR, TENANT, t } from '../lib/env.mjs';
import { launchBrowser, assertNoProblems, eventually, expectPath, token } from '../lib/browser.mjs';
import { signUpMember, joinGroup, waitOpen, sendMessage, waitForMessage } from '../lib/member.mjs';
import { THEMES, chooseTheme } from '../lib/a11y.mjs';
import { seriousViolations, formatViolations } from '../lib/axe.mjs';
import { createGroup, adminApi, apiMember } from '../lib/room.mjs';
import { messageItem } from '../lib/moderation.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

test('queue: the count is the list\'s, items involving you are counted and explained, groups go by their names', { timeout: 300_000 }, async () => {
  const g = await createGroup(HUB_A, { prefix: 'queue', name: `Evening circle ${token(2)}` });
  const admin = await adminApi(HUB_A);
  const mod = await signUpMember(browser, HUB_A, { prefix: 'Curlew' });
  const failures = [];
  try {
    const { page } = mod;
    const me = await page.request.get(`${HUB_A}/api/v1/t/${TENANT}/me`);
    const modId = (await me.json()).user?.id ?? (await me.json()).id;
    const roles = await admin('PUT', `/users/${modId}/roles`, { roles: ['member', 'moderator'] });
    assert.equal(roles.status, 200, `make a moderator: ${JSON.stringify(roles.body)}`);
    // Roles are read on every request: the moderator's session carries on.
    await page.goto(t(HUB_A, '/moderation'));
    await page.getByRole('heading', { level: 1, name: 'Moderation queue', exact: true }).waitFor();
    await joinGroup(page, HUB_A, g.slug);
    await waitOpen(page);

    // Someone else's message, flagged by a member: the moderator's to decide.
    const reporter = await apiMember(HUB_B, 'Reporter');
    const writer = await apiMember(HUB_B, 'Writer');
    for (const m of [reporter, writer]) assert.equal((await m.call('POST', `/groups/${g.slug}/join`)).status, 200);
    const theirs = `Has anyone tried a cold pack on the neck? ${token(2)}`;
    const mine = `Ginger tea is all I need on a bad day ${token(2)}`;
    const ct = await writer.call('POST', '/auth/connect-token');
    assert.equal(ct.status, 201);
    // The writer posts through the page's own socket protocol: a second browser context.
    const w = await browser.newContext({ bypassCSP: true });
    try {
      const wp = await w.newPage();
      await wp.goto(`${HUB_B}/healthz`);
      const ack = await wp.evaluate(async ({ tenant, slug, text, tok }) => {
        const ws = new WebSocket(`ws://${location.host}/api/v1/t/${tenant}/ws?token=${tok}`, ['quietroom.v1']);
        await new Promise((resolve, reject) => { ws.onopen = resolve; ws.onclose = () => reject(new Error('closed')); });
        const got = new Promise((resolve) => {
          ws.onmessage = (e) => { for (const line of e.data.split('\n')) { const ev = JSON.parse(line); if (ev.client_id === 'q1') resolve(ev); } };
        });
        ws.send(JSON.stringify({ type: 'send', group: slug, client_id: 'q1', text }));
        const ev = await got;
        ws.onclose = null;
        ws.close(1000);
        return ev;
      }, { tenant: TENANT, slug: g.slug, text: theirs, tok: ct.body.token });
      assert.equal(ack.type, 'ack', JSON.stringify(ack));
    } finally {
      await w.close();
    }
    await waitForMessage(page, theirs);
    await sendMessage(page, mine);
    const idOf = async (text) => messageItem(page, text).getAttribute('data-id');
    const theirsId = await idOf(theirs);
    const mineId = await idOf(mine);
    for (const [id, reason] of [[theirsId, 'spam'], [mineId, 'misinformation']]) {
      const f = await reporter.call('POST', `/groups/${g.slug}/messages/${id}/flags`, { reason });
      assert.equal(f.status, 201, JSON.stringify(f.body));
    }

    // The moderator's queue: one item, counted as one, and the other explained.
    // Other tests leave items in other groups: the count is the whole list's.
    await page.goto(t(HUB_A, '/moderation'));
    const all = await page.locator('ol.queue > li.queue-item').count();
    const glance = (await page.locator('#stats-heading + .stat-numbers').innerText()).replace(/\s+/g, ' ');
    assert.match(glance, new RegExp(`\\b${all} waiting for you\\b`), `the count is the list's (${all}): ${glance}`);
    // In this test's group: one item listed, the other one involves the moderator.
    await page.goto(t(HUB_A, `/moderation?group=${g.slug}`));
    const items = page.locator('ol.queue > li.queue-item');
    await eventually(async () => assert.equal(await items.count(), 1, `items listed: ${await items.count()}`));
    const hidden = (await page.locator('#queue-hidden').innerText()).replace(/\s+/g, ' ');
    assert.match(hidden, /1 more involves you .*another moderator must decide/, hidden);
    const title = (await items.first().locator('h2').innerText()).trim();
    assert.equal(title, `${writer.name} in ${g.name}`, 'the queue names the group by its name');
    assert.ok(!title.includes(g.slug), 'not by its address');

    for (const theme of THEMES.filter((th) => ['dark', 'light', 'low-contrast'].includes(th.name))) {
      for (const vp of [{ name: 'wide', width: 1024, height: 768 }, { name: 'phone', width: 390, height: 844 }]) {
        await page.setViewportSize({ width: 1024, height: 768 });
        await chooseTheme(page, theme);
        await page.setViewportSize({ width: vp.width, height: vp.height });
        await page.goto(t(HUB_A, '/moderation'));
        await page.locator('#queue-hidden').waitFor();
        const v = await seriousViolations(page);
        if (v.length) failures.push(`queue ${vp.name} ${theme.name}:\n${formatViolations(v)}`);
        await page.screenshot({ path: path.join(SCREENSHOT_DIR, `queue-counts-${vp.name}-${theme.name}.png`), fullPage: true });
      }
    }

    // The case page names the group too.
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.goto(t(HUB_A, `/moderation?group=${g.slug}`));
    await items.first().locator('h2 a').click();
    await expectPath(page, (u) => /\/moderation\/[0-9a-f]+$/.test(u.pathname));
    assert.equal((await page.locator('h1').innerText()).trim(), `${writer.name} in ${g.name}`);
    assertNoProblems(page);
  } finally {
    await mod.context.close();
  }
  assert.equal(failures.length, 0, `axe violations:\n\n${failures.join('\n\n')}`);
});
