// The run's settings, passed in by scripts/browser-test.sh.
import { mkdirSync } from 'node:fs';

function required(name) {
  const v = process.env[name];
  if (!v) {
    throw new Error(`${name} is not set: run the browser tests through scripts/browser-test.sh`);
  }
  return v;
}

/** Base URL of hub instance a, e.g. http://127.0.0.1:40123 */
export const HUB_A = required('HUB_A').replace(/\/$/, '');
/** Base URL of hub instance b: same database and Redis as a. */
export const HUB_B = required('HUB_B').replace(/\/$/, '');
/** Slug of the community the run created. */
export const TENANT = required('TENANT');
export const ADMIN_EMAIL = required('ADMIN_EMAIL');
export const ADMIN_PASSWORD = required('ADMIN_PASSWORD');
export const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR || 'screenshots';
mkdirSync(SCREENSHOT_DIR, { recursive: true });

/** An address inside the community on the given hub: t(HUB_A, '/groups'). */
export function t(base, path = '') {
  return `${base}/t/${TENANT}${path}`;
}

/** The same, for the JSON API. */
export function api(base, path = '') {
  return `${base}/api/v1/t/${TENANT}${path}`;
}
