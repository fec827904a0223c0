// Real-time chat across the two hub instances, a dropped network and the
// resume after it, and the scroll-back through older messages.
// Groups used here and nowhere else: `with-aura` and `chronic`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { HUB_A, HUB_B } from '../lib/env.mjs';
import { launchBrowser, assertNoProblems, eventually, expectAttribute, token } from '../lib/browser.mjs';
import {
  signUpMember, joinGroup, waitOpen, sendMessage, waitForMessage, roomMessages, assertWellOrdered,
} from '../lib/member.mjs';
import { startForwarder } from '../lib/netproxy.mjs';
import { seedMessages } from '../lib/seed.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

test('two members on two hubs chat live, and a member who drops offline gets every message once, in order',
  { timeout: 180_000 }, async () => {
    const slug = 'with-aura';
    // B reaches hub b through a TCP forwarder: its network cable (lib/netproxy.mjs).
    const cable = await startForwarder(HUB_B);
    const a = await signUpMember(browser, HUB_A, { prefix: 'Ash' });
    const b = await signUpMember(browser, cable.url, { prefix: 'Birch' });
    try {
      await joinGroup(a.page, HUB_A, slug);
      await joinGroup(b.page, cable.url, slug);
      await waitOpen(a.page);
      await waitOpen(b.page);

      // Both ways, live.
      const hello = `Hello from Ash ${token()}`;
      await sendMessage(a.page, hello);
      const seen = await waitForMessage(b.page, hello);
      assert.equal(seen.author, a.name, 'B sees who wrote it');
      const reply = `Hello back from Birch ${token()}`;
      await sendMessage(b.page, reply);
      await waitForMessage(a.page, reply);

      // B's connection drops, twice, in two ways (see lib/netproxy.mjs):
      //  1. only the cable: every TCP connection of B's browser is reset and
      //     new ones are refused, while the browser still thinks it is online
      //     (a Wi-Fi hiccup, a NAT timeout): the page must notice the dead
      //     socket itself and keep retrying;
      //  2. the cable and the browser's own offline mode (setOffline), as when
      //     a laptop loses its network: navigator.onLine goes false too.
      //     setOffline alone is not enough: in Chromium an open WebSocket
      //     stays open under it.
      const status = b.page.locator('#connection-status');
      for (const mode of ['cable', 'offline']) {
        const acceptedBefore = cable.accepted;
        cable.unplug();
        if (mode === 'offline') await b.context.setOffline(true);
        const lost = mode === 'cable' ? ['reconnecting'] : ['reconnecting', 'offline'];
        await expectAttribute(status, 'data-state', (v) => lost.includes(v),
          { timeout: 20_000, message: `${mode}: B does not show that it lost the connection` });
        assert.match(await status.innerText(), /reconnect|offline/i, `${mode}: the status says so in words`);

        // Meanwhile A writes several messages.
        const missed = [];
        for (let i = 1; i <= 5; i++) {
          const text = `While Birch was away (${mode}) ${i} ${token()}`;
          missed.push({ text, seq: await sendMessage(a.page, text) });
        }
        const shownToB = (await roomMessages(b.page)).map((m) => m.text);
        assert.ok(missed.every((m) => !shownToB.includes(m.text)), `${mode}: B cannot have received anything while cut off`);
        assert.notEqual(await status.getAttribute('data-state'), 'open', `${mode}: B claims to be connected while cut off`);

        // Back: B reconnects by itself and catches up.
        cable.plug();
        if (mode === 'offline') await b.context.setOffline(false);
        await expectAttribute(status, 'data-state', 'open', { timeout: 60_000, message: `${mode}: B did not reconnect` });
        assert.ok(cable.accepted > acceptedBefore, `${mode}: B made new connections through the cable`);
        for (const m of missed) await waitForMessage(b.page, m.text, 20_000);

        const listB = assertWellOrdered(await roomMessages(b.page), `B after the resume (${mode})`);
        const listA = assertWellOrdered(await roomMessages(a.page), 'A');
        for (const m of missed) {
          const found = listB.filter((x) => x.text === m.text);
          assert.equal(found.length, 1, `${mode}: "${m.text}" shown ${found.length} times to B`);
          assert.equal(found[0].seq, m.seq, `${mode}: "${m.text}" has A's seq`);
        }
        assert.deepEqual(listB.map((x) => x.text).filter((x) => missed.some((m) => m.text === x)), missed.map((m) => m.text),
          `${mode}: the missed messages in the order they were sent`);
        assert.deepEqual(listB.map((x) => x.id), listA.map((x) => x.id), `${mode}: B shows exactly what A shows`);
      }

      // And the conversation goes on live.
      const after = `Welcome back ${token()}`;
      await sendMessage(a.page, after);
      await waitForMessage(b.page, after);
      assertWellOrdered(await roomMessages(b.page), 'B after one more message');
      assertNoProblems(a.page, 'A\'s room');
      assertNoProblems(b.page, 'B\'s room');
    } finally {
      await a.context.close();
      await b.context.close();
      await cable.close();
    }
  });

test('"Show earlier messages" loads older messages beyond the first page', { timeout: 120_000 }, async () => {
  const slug = 'chronic';
  const total = 60; // more than one history page (50)
  const texts = Array.from({ length: total }, (_, i) => `Earlier message ${String(i + 1).padStart(2, '0')} ${token(2)}`);
  const seqs = await seedMessages(browser, HUB_A, slug, texts);

  const c = await signUpMember(browser, HUB_B, { prefix: 'Cedar' });
  try {
    const { page } = c;
    await joinGroup(page, HUB_B, slug);
    await waitOpen(page);
    await waitForMessage(page, texts[total - 1]);
    const first = assertWellOrdered(await roomMessages(page), 'first page');
    const head = seqs.at(-1); // the group's newest event: nothing was removed, so seqs 1…head are messages
    assert.equal(first.at(-1).seq, head, 'the newest message is at the bottom');
    assert.ok(first.length < head, `not everything is loaded at first (${first.length} of ${head})`);
    assert.ok(!first.some((m) => m.seq === 1), 'the oldest message is not loaded yet');

    const older = page.getByRole('button', { name: 'Show earlier messages', exact: true });
    assert.equal(await older.getAttribute('id'), 'load-older');
    for (let round = 0; round < 10; round++) {
      const shown = await roomMessages(page);
      if (shown.some((m) => m.seq === 1)) break;
      await older.click();
      await eventually(async () => {
        assert.ok((await roomMessages(page)).length > shown.length, 'more messages are shown');
      }, { message: '"Show earlier messages" loaded nothing' });
    }
    const all = assertWellOrdered(await roomMessages(page), 'after loading earlier messages');
    assert.deepEqual(all.map((m) => m.seq), Array.from({ length: head }, (_, i) => i + 1), 'every message once, oldest first');
    const seeded = all.filter((m) => texts.includes(m.text));
    assert.deepEqual(seeded.map((m) => m.text), texts, 'the seeded messages, each once, in order');
    assert.deepEqual(seeded.map((m) => m.seq), seqs, 'at their seqs');
    assertNoProblems(page);
  } finally {
    await c.context.close();
  }
});
