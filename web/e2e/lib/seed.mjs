// Test data that is not what a test is about: many messages in a group,
// written by members created over the JSON API, sent over the real-time
// protocol (docs/protocol.md), not through the page under test.
import assert from 'node:assert/strict';
import { TENANT } from './env.mjs';
import { token } from './browser.mjs';

// The hub lets a member send 10 messages at once, then 1 a second (per
// instance), so each seeding member writes at most this many.
const PER_MEMBER = 10;

/**
 * Posts `texts` to the group `slug` on the hub at `base`, in order, and
 * returns their seqs. It runs in a throwaway page on the hub's own origin,
 * because the hub only accepts WebSockets from there; that context bypasses
 * CSP, since the JSON page it opens (/healthz) allows no connections.
 */
export async function seedMessages(browser, base, slug, texts) {
  const context = await browser.newContext({ bypassCSP: true });
  try {
    const page = await context.newPage();
    await page.goto(`${base}/healthz`);
    const seqs = [];
    for (let i = 0; i < texts.length; i += PER_MEMBER) {
      const id = token(4);
      const batch = texts.slice(i, i + PER_MEMBER);
      const got = await page.evaluate(async ({ tenant, slug, batch, id }) => {
        const apiBase = `/api/v1/t/${tenant}`;
        const call = async (method, path, body, bearer) => {
          const res = await fetch(apiBase + path, {
            method,
            headers: {
              ...(body ? { 'Content-Type': 'application/json' } : {}),
              ...(bearer ? { Authorization: `Bearer ${bearer}` } : {}),
            },
            body: body ? JSON.stringify(body) : undefined,
          });
          const text = await res.text();
          if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
          return text ? JSON.parse(text) : null;
        };
        await call('POST', '/auth/signup', {
          email: `seed-${id}@e2e.example.org`, password: `seed-password-${id}`,
          display_name: `Seed ${id}`, age_bracket: 'adult', accept_guidelines: true,
        });
        const session = await call('POST', '/auth/signin', {
          email: `seed-${id}@e2e.example.org`, password: `seed-password-${id}`, bearer_token: true,
        });
        await call('POST', `/groups/${slug}/join`, null, session.token);
        const { token: connectToken } = await call('POST', '/auth/connect-token', null, session.token);
        const ws = new WebSocket(`ws://${location.host}${apiBase}/ws?token=${connectToken}`, ['quietroom.v1']);
        const acks = new Map();
        ws.onmessage = (e) => {
          for (const line of e.data.split('\n')) {
            const ev = JSON.parse(line);
            if (ev.type === 'ack' || ev.type === 'error') {
              const waiter = acks.get(ev.client_id);
              if (waiter) waiter(ev);
            }
          }
        };
        await new Promise((resolve, reject) => { ws.onopen = resolve; ws.onclose = () => reject(new Error('seed socket closed')); });
        const seqs = [];
        for (let k = 0; k < batch.length; k++) {
          const clientId = `seed-${id}-${k}`;
          const ev = await new Promise((resolve) => {
            acks.set(clientId, resolve);
            ws.send(JSON.stringify({ type: 'send', group: slug, client_id: clientId, text: batch[k] }));
          });
          if (ev.type !== 'ack') throw new Error(`send "${batch[k]}": ${JSON.stringify(ev)}`);
          seqs.push(ev.seq);
        }
        ws.onclose = null;
        ws.close(1000);
        return seqs;
      }, { tenant: TENANT, slug, batch, id });
      seqs.push(...got);
    }
    for (let i = 1; i < seqs.length; i++) assert.ok(seqs[i] > seqs[i - 1], `seeded seqs not increasing: ${seqs}`);
    return seqs;
  } finally {
    await context.close();
  }
}
