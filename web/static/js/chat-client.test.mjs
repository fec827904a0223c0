// Unit tests for the room's protocol logic: node --test web/static/js/
import { test } from "node:test";
import assert from "node:assert/strict";
import { ChatClient, PROTOCOL } from "./chat-client.js";
import { inQuietHours, preview, typingLine, announcement } from "./room-text.js";

// ---- fakes --------------------------------------------------------------

class FakeClock {
  constructor() { this.t = 0; this.timers = new Map(); this.next = 1; }
  setTimeout(fn, ms) { const id = this.next++; this.timers.set(id, { at: this.t + ms, fn }); return id; }
  clearTimeout(id) { this.timers.delete(id); }
  now() { return this.t; }
  advance(ms) {
    const end = this.t + ms;
    for (;;) {
      const due = [...this.timers].filter(([, x]) => x.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.t = due[1].at;
      due[1].fn();
    }
    this.t = end;
  }
}

class FakeSocket {
  constructor() { this.sent = []; this.protocol = PROTOCOL; this.closed = false; }
  send(s) { this.sent.push(JSON.parse(s)); }
  close() { this.closed = true; }
  open() { this.onopen?.(); }
  recv(...events) { this.onmessage({ data: events.map((e) => JSON.stringify(e)).join("\n") }); }
  serverClose(code) { this.onclose({ code }); }
  frames(type) { return this.sent.filter((f) => f.type === type); }
}

const msg = (seq, author = "moth", text = `m${seq}`) =>
  ({ type: "message", group: "g", seq, id: `id${seq}`, author: { id: author, name: author }, text, at: "2026-11-28T01:00:00Z" });

// A hub's history: messages by seq, answered newest first like the endpoint.
function fakeHistory(seqs, head = Math.max(0, ...seqs)) {
  const calls = [];
  const fetchHistory = async ({ before, limit }) => {
    calls.push({ before, limit });
    const page = seqs.filter((s) => !before || s < before).sort((a, b) => b - a).slice(0, limit);
    const messages = page.map((s) => ({ ...msg(s), type: undefined, group: undefined, removed: false }));
    const nextBefore = page.length === limit && page.at(-1) > 1 ? page.at(-1) : 0;
    return { messages, head, next_before: nextBefore };
  };
  return { fetchHistory, calls };
}

function setup({ seqs = [], head, me = "me" } = {}) {
  const clock = new FakeClock();
  const sockets = [];
  const events = [];
  const history = fakeHistory(seqs, head);
  let n = 0;
  const view = new Proxy({}, { get: (_, name) => (...args) => events.push([name, ...args]) });
  const client = new ChatClient({
    group: "g", me, clock, view, random: () => 0.5, newId: () => `c${++n}`,
    openSocket: () => { const s = new FakeSocket(); sockets.push(s); return s; },
    fetchHistory: history.fetchHistory,
  });
  const seqsShown = () => client.list().map((m) => m.seq);
  const last = () => sockets.at(-1);
  return { client, clock, sockets, last, events, history, seqsShown };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

// Start, open and subscribe: returns the socket.
async function started(t, subscribed = {}) {
  await t.client.start();
  const ws = t.last();
  ws.open();
  ws.recv({ type: "subscribed", group: "g", ...subscribed });
  await settle();
  return ws;
}

// ---- start-up -------------------------------------------------------------

test("loads history first, then subscribes since the newest message shown", async () => {
  const t = setup({ seqs: [1, 2, 3, 5], head: 6 });
  await t.client.start();
  assert.deepEqual(t.history.calls, [{ before: 0, limit: 50 }]);
  assert.deepEqual(t.seqsShown(), [1, 2, 3, 5]);
  t.last().open();
  // Not head (6): head is read after the page, so seq 6 might be a message the page missed.
  assert.deepEqual(t.last().sent[0], { type: "subscribe", group: "g", since: 5 });
});

test("an empty first page subscribes live and loads history up to head, holding live events", async () => {
  const t = setup({ seqs: [] });
  await t.client.start();
  const ws = t.last();
  ws.open();
  assert.deepEqual(ws.sent[0], { type: "subscribe", group: "g" });
  // Meanwhile the group got messages 1..3; seq 4 arrives live while history loads.
  const h = fakeHistory([1, 2, 3]);
  t.client.fetchHistory = h.fetchHistory;
  ws.recv({ type: "subscribed", group: "g", head: 3 }, msg(4));
  assert.deepEqual(t.seqsShown(), []); // held
  await settle();
  assert.deepEqual(h.calls, [{ before: 4, limit: 50 }]);
  assert.deepEqual(t.seqsShown(), [1, 2, 3, 4]);
  assert.equal(t.client.lastSeq, 4);
});

// ---- dedupe and ordering --------------------------------------------------

test("duplicates are dropped and every message is shown once, in seq order", async () => {
  const t = setup({ seqs: [1, 2, 3] });
  const ws = await started(t, { head: 5, replayed: 2 });
  ws.recv(msg(4), msg(5));
  ws.recv(msg(3), msg(5), msg(4)); // old and repeated
  ws.recv(msg(6));
  assert.deepEqual(t.seqsShown(), [1, 2, 3, 4, 5, 6]);
  assert.equal(t.client.lastSeq, 6);
  const shown = t.events.filter(([n]) => n === "message").map(([, m]) => m.seq);
  assert.deepEqual(shown, [4, 5, 6]);
});

test("older pages go before the rest and stop when there are no more", async () => {
  const seqs = Array.from({ length: 120 }, (_, i) => i + 1);
  const t = setup({ seqs });
  await started(t, { head: 120 });
  assert.equal(t.client.list()[0].seq, 71);
  assert.ok(t.client.hasOlder);
  await t.client.loadOlder();
  await t.client.loadOlder();
  assert.deepEqual(t.seqsShown(), seqs);
  assert.equal(t.client.hasOlder, false);
  assert.deepEqual(t.history.calls.slice(1), [{ before: 71, limit: 50 }, { before: 21, limit: 50 }]);
});

test("removals apply to shown messages and are remembered for ones not loaded yet", async () => {
  const seqs = Array.from({ length: 60 }, (_, i) => i + 1);
  const t = setup({ seqs });
  const ws = await started(t, { head: 60 });
  ws.recv({ type: "removed", group: "g", seq: 61, id: "id60", message_seq: 60, reason: "off topic" },
          { type: "removed", group: "g", seq: 62, id: "id5", message_seq: 5 },
          { type: "mystery", group: "g", seq: 63 });
  assert.equal(t.client.lastSeq, 63); // unknown durable types still count
  const m60 = t.client.messages.get(60);
  assert.equal(m60.removed, true);
  assert.equal(m60.text, "");
  assert.equal(m60.reason, "off topic");
  await t.client.loadOlder(); // the page still has id5's text; the remembered removal wins
  const m5 = t.client.messages.get(5);
  assert.equal(m5.removed, true);
  assert.equal(m5.text, "");
});

test("edits change the text; a deletion by the author is a tombstone that nothing edits back", async () => {
  const t = setup({ seqs: [1, 2] });
  const ws = await started(t, { head: 2 });
  ws.recv({ type: "edited", group: "g", seq: 3, id: "id2", message_seq: 2, text: "better words", edited_at: "2026-12-03T08:00:00Z" },
          { type: "deleted", group: "g", seq: 4, id: "id1", message_seq: 1 },
          { type: "edited", group: "g", seq: 5, id: "id1", message_seq: 1, text: "too late", edited_at: "2026-12-03T08:01:00Z" });
  assert.equal(t.client.lastSeq, 5);
  const m2 = t.client.messages.get(2);
  assert.equal(m2.text, "better words");
  assert.equal(m2.editedAt, "2026-12-03T08:00:00Z");
  const m1 = t.client.messages.get(1);
  assert.equal(m1.removed, true);
  assert.equal(m1.deleted, true);
  assert.equal(m1.text, "");
});

// ---- gaps -----------------------------------------------------------------

test("a gap resubscribes since lastSeq and ignores events until subscribed", async () => {
  const t = setup({ seqs: [1, 2] });
  const ws = await started(t, { head: 2 });
  ws.sent.length = 0;
  ws.recv(msg(4));
  assert.deepEqual(ws.sent, [{ type: "unsubscribe", group: "g" }, { type: "subscribe", group: "g", since: 2 }]);
  ws.recv(msg(5)); // from the old subscription: ignored
  ws.recv({ type: "unsubscribed", group: "g" }, { type: "subscribed", group: "g", head: 5, replayed: 3 },
          msg(3), msg(4), msg(5));
  assert.deepEqual(t.seqsShown(), [1, 2, 3, 4, 5]);
});

test("a gap that persists after resubscribing rebuilds from history", async () => {
  const t = setup({ seqs: [1, 2] });
  const ws = await started(t, { head: 2 });
  ws.recv(msg(4));
  ws.sent.length = 0;
  ws.recv({ type: "subscribed", group: "g", head: 5, replayed: 2 }, msg(4)); // still nothing at 3
  assert.deepEqual(ws.sent, [{ type: "unsubscribe", group: "g" }, { type: "subscribe", group: "g" }]);
  t.client.fetchHistory = fakeHistory([1, 2, 3, 4, 5]).fetchHistory;
  ws.recv({ type: "subscribed", group: "g", head: 5 });
  await settle();
  assert.deepEqual(t.seqsShown(), [1, 2, 3, 4, 5]);
  assert.equal(t.client.lastSeq, 5);
});

test("a truncated replay reloads from history up to head; the replay is then dropped as duplicate", async () => {
  const t = setup({ seqs: [1, 2] });
  const ws = await started(t, { head: 2 });
  ws.serverClose(1006);
  t.clock.advance(1000);
  const ws2 = t.last();
  ws2.open();
  assert.deepEqual(ws2.sent[0], { type: "subscribe", group: "g", since: 2 });
  const h = fakeHistory(Array.from({ length: 700 }, (_, i) => i + 1));
  t.client.fetchHistory = h.fetchHistory;
  ws2.recv({ type: "subscribed", group: "g", head: 700, replayed: 2, truncated: true }, msg(699), msg(700), msg(701));
  await settle();
  assert.deepEqual(h.calls, [{ before: 701, limit: 50 }]);
  assert.deepEqual(t.seqsShown(), Array.from({ length: 51 }, (_, i) => i + 651));
  assert.equal(t.client.lastSeq, 701);
});

// ---- sends and acks ---------------------------------------------------------

test("ack after the message event: the pending item becomes that message", async () => {
  const t = setup({ seqs: [1] });
  const ws = await started(t, { head: 1 });
  const id = t.client.send("hello");
  assert.deepEqual(ws.frames("send"), [{ type: "send", group: "g", client_id: id, text: "hello" }]);
  ws.recv(msg(2, "me", "hello"), { type: "ack", group: "g", seq: 2, id: "id2", client_id: id });
  assert.equal(t.client.pending.size, 0);
  assert.deepEqual(t.events.filter(([n]) => n === "message").map(([, m, o]) => [m.seq, o.clientId]),
                   [[2, undefined], [2, id]]);
  assert.equal(t.client.messages.get(2).own, true);
  assert.equal(t.events.some(([n]) => n === "fresh"), false); // own messages are not announced
});

test("ack before the message event: the send shows at its seq, the message replaces it", async () => {
  const t = setup({ seqs: [1] });
  const ws = await started(t, { head: 1 });
  const id = t.client.send("hello");
  ws.recv({ type: "ack", group: "g", seq: 2, id: "id2", client_id: id });
  assert.equal(t.client.pending.get(id).state, "acked");
  assert.equal(t.client.lastSeq, 1); // never from an ack
  ws.recv(msg(2, "me", "hello"));
  assert.equal(t.client.pending.size, 0);
  assert.deepEqual(t.events.at(-1).slice(0, 3), ["message", t.client.messages.get(2), { clientId: id }]);
  assert.equal(t.client.lastSeq, 2);
});

test("a held send waits for a moderator, is not resent, and the approved message replaces it", async () => {
  const t = setup({ seqs: [1] });
  const ws = await started(t, { head: 1 });
  const id = t.client.send("first post");
  ws.recv({ type: "ack", group: "g", id: "held1", client_id: id, held: true });
  assert.equal(t.client.pending.get(id).state, "held");
  assert.deepEqual(t.events.at(-1).slice(0, 1), ["pending"]);
  ws.serverClose(4001);
  t.clock.advance(500);
  const ws2 = t.last();
  ws2.open();
  ws2.recv({ type: "subscribed", group: "g", head: 1 });
  assert.deepEqual(ws2.frames("send"), []); // held is stored: nothing to resend
  ws2.recv({ ...msg(2, "me", "first post"), id: "held1" }); // approved
  assert.equal(t.client.pending.size, 0);
  assert.deepEqual(t.events.at(-1).slice(0, 3), ["message", t.client.messages.get(2), { clientId: id }]);
});

test("a restored message comes back with its text", async () => {
  const t = setup({ seqs: [1] });
  const ws = await started(t, { head: 1 });
  ws.recv({ type: "removed", group: "g", seq: 2, id: "id1", message_seq: 1, reason: "removed by a moderator" });
  assert.equal(t.client.messages.get(1).removed, true);
  ws.recv({ type: "restored", group: "g", seq: 3, id: "id1", message_seq: 1, text: "m1 again" });
  const m = t.client.messages.get(1);
  assert.equal(m.removed, false);
  assert.equal(m.text, "m1 again");
  assert.equal(t.client.lastSeq, 3);
});

test("a crisis alert for moderators reaches the view from any group", async () => {
  const t = setup();
  const ws = await started(t, { head: 0 });
  ws.recv({ type: "moderation", group: "other", code: "item_created", item: "i1" });
  assert.notEqual(t.events.at(-1)[0], "notice");
  ws.recv({ type: "moderation", group: "other", code: "crisis", item: "i2", message: "A member may be in crisis in other: please look now." });
  assert.deepEqual(t.events.at(-1), ["notice", "moderation_crisis", "A member may be in crisis in other: please look now."]);
});

test("a private notice reaches the view", async () => {
  const t = setup();
  const ws = await started(t, { head: 0 });
  ws.recv({ type: "notice", group: "g", code: "crisis_support", message: "You are not alone." });
  assert.deepEqual(t.events.at(-1), ["notice", "crisis_support", "You are not alone."]);
});

test("unacked sends are resent after reconnecting, after subscribed, with the same client_id", async () => {
  const t = setup({ seqs: [1] });
  const ws = await started(t, { head: 1 });
  const a = t.client.send("one");
  const b = t.client.send("two");
  ws.recv({ type: "ack", group: "g", seq: 2, id: "id2", client_id: a });
  ws.serverClose(4001);
  assert.equal(t.events.at(-1)[0], "status");
  assert.equal(t.events.at(-1)[1], "reconnecting");
  const c = t.client.send("three"); // while disconnected: waits
  t.clock.advance(500);
  const ws2 = t.last();
  assert.notEqual(ws2, ws);
  ws2.open();
  assert.deepEqual(ws2.sent, [{ type: "subscribe", group: "g", since: 1 }]); // nothing before subscribed
  ws2.recv({ type: "subscribed", group: "g", head: 2, replayed: 1 });
  assert.deepEqual(ws2.frames("send").map((f) => f.client_id), [b, c]); // a was acked: not resent
  ws2.recv(msg(2, "me", "one"));
  assert.equal(t.client.pending.has(a), false);
});

test("a failed send keeps its text and Retry resends the same client_id", async () => {
  const t = setup({ seqs: [1] });
  const ws = await started(t, { head: 1 });
  const id = t.client.send("hi");
  ws.recv({ type: "error", group: "g", client_id: id, code: "rate_limited", message: "slow down" });
  const p = t.client.pending.get(id);
  assert.equal(p.state, "failed");
  assert.equal(p.text, "hi");
  assert.equal(p.error.fixText, false);
  t.client.retry(id);
  assert.deepEqual(ws.frames("send").map((f) => f.client_id), [id, id]);

  const long = t.client.send("x");
  ws.recv({ type: "error", group: "g", client_id: long, code: "text_too_long", message: "too long" });
  assert.equal(t.client.pending.get(long).error.fixText, true);
  assert.equal(t.client.discard(long), "x");
});

test("store_unavailable on a send is retried automatically with backoff", async () => {
  const t = setup({ seqs: [1] });
  const ws = await started(t, { head: 1 });
  const id = t.client.send("hi");
  ws.recv({ type: "error", group: "g", client_id: id, code: "store_unavailable", message: "later" });
  assert.equal(ws.frames("send").length, 1);
  t.clock.advance(1000);
  assert.equal(ws.frames("send").length, 2);
  assert.equal(t.client.pending.get(id).state, "sending");
});

// ---- connection ---------------------------------------------------------------

test("close codes: 4003, 4004 and 1008 stop, 1001 comes back within 2 s, others back off", async () => {
  for (const code of [4003, 4004, 1008]) {
    const t = setup({ seqs: [1] });
    const ws = await started(t, { head: 1 });
    ws.serverClose(code);
    t.clock.advance(60_000);
    assert.equal(t.sockets.length, 1, `no reconnect after ${code}`);
    assert.equal(t.events.at(-1)[1], "closed");
  }
  const t = setup({ seqs: [1] });
  let ws = await started(t, { head: 1 });
  ws.serverClose(1001);
  assert.ok(t.events.at(-1)[2].delay <= 2000);
  t.clock.advance(2000);
  assert.equal(t.sockets.length, 2);
  // Backoff doubles while connections keep failing before subscribing.
  const delays = [];
  for (let i = 0; i < 4; i++) {
    t.last().open();
    t.last().serverClose(1006);
    delays.push(t.events.at(-1)[2].delay);
    t.clock.advance(delays.at(-1));
  }
  assert.deepEqual(delays, [375, 750, 1500, 3000]); // cap/2 + random(0.5)*cap/2
  ws = t.last();
  ws.open();
  ws.recv({ type: "subscribed", group: "g", head: 1 });
  assert.equal(t.client.attempt, 0);
});

test("a replay cut short by a close resubscribes live and reloads history", async () => {
  const t = setup({ seqs: [1] });
  const ws = await started(t, { head: 1 });
  ws.serverClose(1006);
  t.clock.advance(1000);
  const ws2 = t.last();
  ws2.open();
  ws2.recv({ type: "subscribed", group: "g", head: 400, replayed: 399 }, msg(2), msg(3));
  ws2.serverClose(4001);
  t.clock.advance(1000);
  const ws3 = t.last();
  ws3.open();
  assert.deepEqual(ws3.sent[0], { type: "subscribe", group: "g" });
});

test("keepalive pings after 30 s of silence and drops the socket 10 s later", async () => {
  const t = setup({ seqs: [1] });
  const ws = await started(t, { head: 1 });
  t.clock.advance(29_000);
  assert.equal(ws.frames("ping").length, 0);
  t.clock.advance(1_000);
  assert.equal(ws.frames("ping").length, 1);
  t.clock.advance(9_000);
  assert.equal(ws.closed, false);
  t.clock.advance(1_000);
  assert.equal(ws.closed, true);
  assert.equal(t.events.at(-1)[1], "reconnecting");
});

test("offline stops reconnecting; online connects at once and resumes", async () => {
  const t = setup({ seqs: [1, 2] });
  const ws = await started(t, { head: 2 });
  t.client.setOnline(false);
  assert.equal(ws.closed, true);
  assert.equal(t.events.at(-1)[1], "offline");
  t.clock.advance(60_000);
  assert.equal(t.sockets.length, 1);
  t.client.setOnline(true);
  assert.equal(t.sockets.length, 2);
  t.last().open();
  assert.deepEqual(t.last().sent[0], { type: "subscribe", group: "g", since: 2 });
});

test("replay bursts are handed over once; typing from yourself is ignored", async () => {
  const t = setup({ seqs: [1] });
  const ws = await started(t, { head: 1 });
  ws.serverClose(1006);
  t.clock.advance(1000);
  const ws2 = t.last();
  ws2.open();
  ws2.recv({ type: "subscribed", group: "g", head: 8, replayed: 7 }, msg(2), msg(3), msg(4));
  assert.equal(t.events.filter(([n]) => n === "fresh").length, 0); // replay still arriving
  ws2.recv(msg(5), msg(6), msg(7, "me"), msg(8));
  const fresh = t.events.filter(([n]) => n === "fresh");
  assert.equal(fresh.length, 1);
  assert.deepEqual(fresh[0][1].map((m) => m.seq), [2, 3, 4, 5, 6, 8]);
  ws2.recv({ type: "typing", group: "g", author: { id: "me", name: "Me" } },
           { type: "typing", group: "g", author: { id: "moth", name: "Moth" } });
  assert.deepEqual(t.events.filter(([n]) => n === "typing").map(([, a]) => a.name), ["Moth"]);
});

test("typing frames go out at most every 3 s", async () => {
  const t = setup({ seqs: [1] });
  const ws = await started(t, { head: 1 });
  for (let i = 0; i < 10; i++) { t.client.typing(); t.clock.advance(500); }
  assert.equal(ws.frames("typing").length, 2);
});

// ---- helpers --------------------------------------------------------------------

test("quiet hours, including ranges over midnight", () => {
  const at = (h, m = 0) => new Date(2026, 0, 1, h, m);
  assert.equal(inQuietHours("22:00", "08:00", at(23)), true);
  assert.equal(inQuietHours("22:00", "08:00", at(7, 59)), true);
  assert.equal(inQuietHours("22:00", "08:00", at(8)), false);
  assert.equal(inQuietHours("13:00", "14:30", at(14, 0)), true);
  assert.equal(inQuietHours("13:00", "14:30", at(15)), false);
  assert.equal(inQuietHours("", "08:00", at(3)), false);
  assert.equal(inQuietHours("08:00", "08:00", at(8)), false);
});

test("announcement wording", () => {
  assert.equal(preview("a\n\nb"), "a b");
  assert.equal(preview("😀".repeat(101)), "😀".repeat(100) + "…");
  assert.equal(typingLine(["Moth"]), "Moth is typing…");
  assert.equal(typingLine(["Moth", "Heron"]), "Moth and Heron are typing…");
  assert.equal(announcement([{ author: { name: "Moth" }, text: "hi" }]), "Moth: hi");
  assert.equal(announcement([{}, {}, {}, {}, {}, {}]), "6 new messages");
});
