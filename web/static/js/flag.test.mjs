// Unit tests for the flag dialog's wording and its reading of the API's
// answers: node --test web/static/js/
import { test } from "node:test";
import assert from "node:assert/strict";
import { flagUrl, flagLabel, flaggedLabel, flagOutcome, THANKS, ALREADY, GONE, RETRY, SIGNED_OUT } from "./flag.js";

test("flagUrl: the message's flags under the tenant and group", () => {
  assert.equal(flagUrl("demo", "chronic", "9c41ab"), "/api/v1/t/demo/groups/chronic/messages/9c41ab/flags");
  assert.equal(flagUrl("a b", "g/h", "x?y"), "/api/v1/t/a%20b/groups/g%2Fh/messages/x%3Fy/flags");
});

test("the button's names start with its visible text", () => {
  assert.equal(flagLabel("Lark"), "Flag message from Lark");
  assert.equal(flaggedLabel("Lark"), "Flagged message from Lark");
});

test("201 and 409 close the dialog with a thank-you", () => {
  assert.deepEqual(flagOutcome(201, null), { kind: "done", text: THANKS });
  assert.deepEqual(flagOutcome(201, { id: "f1", reason: "spam" }), { kind: "done", text: THANKS });
  // When no moderator can look now, the hub says so and the page says it too.
  const notice = "Thank you. Right now no moderator is able to look at this; it waits until one can.";
  assert.deepEqual(flagOutcome(201, { id: "f1", notice }), { kind: "done", text: notice });
  const conflict = { error: { code: "conflict", message: "you already flagged this message: thank you, a moderator will look" } };
  assert.deepEqual(flagOutcome(409, conflict), { kind: "already", text: ALREADY });
  assert.match(THANKS, /Settings/);
  assert.match(ALREADY, /already flagged/);
});

test("422 shows the field's own message, the note first when it is the problem", () => {
  const note = { error: { code: "invalid", message: "some fields need attention", fields: { note: "say briefly what is wrong" } } };
  assert.deepEqual(flagOutcome(422, note), { kind: "invalid", text: "Say briefly what is wrong.", field: "note" });
  const own = { error: { code: "invalid", message: "some fields need attention", fields: { message: "you cannot flag your own message" } } };
  assert.deepEqual(flagOutcome(422, own), { kind: "invalid", text: "You cannot flag your own message.", field: "message" });
  const both = { error: { code: "invalid", fields: { note: "must be at most 500 characters", reason: "must be one of …" } } };
  assert.equal(flagOutcome(422, both).field, "reason");
  const bare = { error: { code: "invalid", message: "text is not valid." } };
  assert.deepEqual(flagOutcome(422, bare), { kind: "invalid", text: "Text is not valid.", field: undefined });
  assert.deepEqual(flagOutcome(422, null), { kind: "invalid", text: RETRY, field: undefined });
});

test("other answers keep the dialog open with a calm line", () => {
  assert.deepEqual(flagOutcome(404, { error: { code: "not_found" } }), { kind: "gone", text: GONE });
  assert.deepEqual(flagOutcome(401, null), { kind: "signed-out", text: SIGNED_OUT });
  assert.equal(flagOutcome(403, { error: { code: "csrf_failed" } }).kind, "retry");
  assert.match(flagOutcome(403, { error: { code: "csrf_failed" } }).text, /Reload/);
  for (const status of [0, 400, 403, 500, 503]) {
    assert.deepEqual(flagOutcome(status, null), { kind: "retry", text: RETRY }, `status ${status}`);
  }
});
