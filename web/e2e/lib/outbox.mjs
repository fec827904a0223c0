// The mail outbox, read as a person running the hub without a mail server
// reads it: `hub mail list` and `hub mail show ID`.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';

/** Runs the hub's operator command against the run's database. */
export function hub(...args) {
  const bin = process.env.HUB_BIN;
  assert.ok(bin, 'HUB_BIN is not set: run the browser tests through scripts/browser-test.sh');
  return execFileSync(bin, args, {
    env: { ...process.env, DATABASE_URL: process.env.HUB_DATABASE_URL, HUB_LOG_LEVEL: 'error', HUB_PASSWORD_MEMORY_KIB: '1024' },
    encoding: 'utf8',
  });
}

/** The link (to `page`) of the newest pending mail to `email` whose subject has `subject`, read from the outbox. */
export function linkFor(email, subject, page) {
  const list = hub('mail', 'list', '--status', 'pending', '--limit', '200');
  const row = list.split('\n').find((line) => line.includes(email) && line.includes(subject));
  assert.ok(row, `no pending mail "${subject}" to ${email} in:\n${list}`);
  const id = row.trim().split(/\s+/)[0];
  const shown = hub('mail', 'show', id);
  const link = shown.match(new RegExp(`https?://\\S+/${page}\\?token=[0-9a-f]{64}`));
  assert.ok(link, `no ${page} link in mail ${id}:\n${shown}`);
  return new URL(link[0]);
}
