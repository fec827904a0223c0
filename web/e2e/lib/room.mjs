// The room's shell (docs/web.md, "The room"): groups of a test's own made
// through the JSON API as the run's admin, text sizes chosen through
// Settings, and measurements of what is in view.
import assert from 'node:assert/strict';
import { ADMIN_EMAIL, ADMIN_PASSWORD, api, t } from './env.mjs';
import { expectAttribute, token } from './browser.mjs';

/** Signs the admin in over the JSON API (bearer token) on the hub at base; returns a caller. */
export async function adminApi(base) {
  const res = await fetch(api(base, '/auth/signin'), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD, bearer_token: true }),
  });
  const signin = await res.text();
  assert.equal(res.status, 200, `admin sign-in: ${res.status} ${signin}`);
  const { token: bearer } = JSON.parse(signin);
  return async (method, path, body) => {
    const r = await fetch(api(base, path), {
      method,
      headers: { Authorization: `Bearer ${bearer}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await r.text();
    return { status: r.status, body: text ? JSON.parse(text) : null };
  };
}

/** A listed, open group of the test's own; returns {slug, name, description}. */
export async function createGroup(base, { prefix = 'room', name, description } = {}) {
  const call = await adminApi(base);
  const slug = `${prefix}-${token(3)}`;
  const g = {
    slug,
    name: name ?? `Room ${slug}`,
    description: description ?? 'A quiet room for trying things out: attacks, rest, and what helps on a bad day.',
  };
  const res = await call('POST', '/groups', g);
  assert.equal(res.status, 201, `create group ${slug}: ${res.status} ${JSON.stringify(res.body)}`);
  return g;
}

// Text sizes: Settings label and html[data-text-size].
export const TEXT_SIZES = [
  { label: 'Standard', value: '100' },
  { label: 'Large', value: '115' },
  { label: 'Larger', value: '130' },
  { label: 'Largest', value: '150' },
];

/** The four screens the room must fit (issue 16). */
export const VIEWPORTS = [
  { name: 'laptop', width: 1280, height: 800 },
  { name: 'tablet', width: 1024, height: 768 },
  { name: 'phone', width: 390, height: 844 },
  { name: 'small-phone', width: 360, height: 640 },
];

/** Chooses a text size through the Settings form (on the hub at base). */
export async function chooseTextSize(page, base, size) {
  await page.goto(t(base, '/settings'));
  await page.getByLabel('Text size', { exact: true }).selectOption({ label: size.label });
  await page.getByRole('button', { name: 'Save settings', exact: true }).click();
  await expectAttribute(page.locator('html'), 'data-text-size', size.value, { message: `text size ${size.label} not applied` });
}

/**
 * Where things are in the room, in CSS pixels of the viewport: the message
 * box, Send, the list, and whether the page itself can scroll.
 */
export async function roomGeometry(page) {
  return page.evaluate(() => {
    const box = (el) => {
      if (!el) return null;
      const r = el.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, left: r.left, right: r.right, height: r.height };
    };
    const doc = document.scrollingElement;
    const list = document.getElementById('messages');
    const send = document.querySelector('#composer button[type=submit]');
    const last = list.querySelector('li.message:last-child');
    return {
      vw: innerWidth,
      vh: innerHeight,
      pageScrolls: doc.scrollHeight > doc.clientHeight + 1 || doc.scrollWidth > doc.clientWidth + 1,
      pageScroll: { height: doc.scrollHeight, client: doc.clientHeight, width: doc.scrollWidth },
      text: box(document.getElementById('composer-text')),
      send: box(send),
      list: box(list),
      listScrolls: list.scrollHeight > list.clientHeight + 1,
      listOverflow: getComputedStyle(list).overflowY,
      last: box(last),
      messages: list.querySelectorAll('li.message').length,
    };
  });
}

/** Fails unless r (a box) lies inside the viewport of g. */
export function assertInView(g, r, what) {
  assert.ok(r, `${what}: not on the page`);
  assert.ok(r.height > 0, `${what}: has no height`);
  assert.ok(r.top >= -0.5 && r.bottom <= g.vh + 0.5 && r.left >= -0.5 && r.right <= g.vw + 0.5,
    `${what} is outside the ${g.vw}x${g.vh} viewport: ${JSON.stringify(r)}`);
}

/**
 * A member made over the JSON API (bearer token), for test data that is not
 * what a test is about. Returns {call(method, path, body), id, name}.
 */
export async function apiMember(base, prefix = 'Api') {
  const id = token(4);
  const name = `${prefix} ${id}`;
  const res = await fetch(api(base, '/auth/signup'), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      email: `${prefix.toLowerCase()}-${id}@e2e.example.org`, password: `api-password-${id}`, display_name: name,
      age_bracket: 'adult', accept_guidelines: true, bearer_token: true,
    }),
  });
  assert.equal(res.status, 202, `sign-up of ${name}: ${res.status} ${await res.clone().text()}`);
  const signin = await fetch(api(base, '/auth/signin'), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: `${prefix.toLowerCase()}-${id}@e2e.example.org`, password: `api-password-${id}`, bearer_token: true }),
  });
  const text = await signin.text();
  assert.equal(signin.status, 200, `sign-in of ${name}: ${signin.status} ${text}`);
  const session = JSON.parse(text);
  const call = async (method, path, body) => {
    const r = await fetch(api(base, path), {
      method,
      headers: { Authorization: `Bearer ${session.token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const t2 = await r.text();
    return { status: r.status, body: t2 ? JSON.parse(t2) : null };
  };
  return { call, id: session.user.id, name };
}
