// The room's connection and sequence logic: docs/protocol.md §6.5 for one
// group. No DOM here, so it runs under `node --test`: the page passes in a
// socket factory, a history fetcher and a `view` whose methods it calls.
//
// View methods (all optional):
//   status(state, info)     "connecting" | "open" | "reconnecting" {delay} |
//                           "offline" | "closed" {kind: "session"|"access"|"protocol", message}
//   reset(msgs, hasOlder)   the confirmed list was rebuilt from history (oldest first)
//   older(msgs, hasOlder)   an older page, oldest first, to put above the rest
//   message(msg, {clientId}) add or update msg at its seq; with clientId it
//                           replaces that pending send
//   update(msg)             msg was removed or edited
//   pending(p)              a send to show: p.state "sending" | "acked" | "held" | "failed"
//   notice(code, message)   a private word from the service (crisis support)
//   dropPending(clientId)   forget that send's item (it is in older history)
//   fresh(msgs)             messages from others that just arrived (replay or
//                           live, never history), once per burst
//   presence(online, count), typing(author)
//
// A message is {seq, id, author: {id, name, role}, text, at, removed, deleted
// (removed by its author), reason, editedAt, own}.

export const PROTOCOL = "quietroom.v1";
export const PAGE_SIZE = 50;
export const MAX_CHARS = 4000;

const PING_AFTER = 30_000;  // application ping after this long without a frame…
const PONG_WITHIN = 10_000; // …and give up on the socket if nothing comes back
const TYPING_EVERY = 3_000; // the hub drops typing frames more frequent than this
const SEND_RETRIES = 3;     // store_unavailable: automatic resends, 1 s, 2 s, 4 s apart

// Send errors that fail the same way every time: the text has to change (§7.3).
const FIX_TEXT = new Set(["empty_text", "text_too_long", "bad_frame", "missing_field", "invalid_utf8"]);

// Characters as the hub counts them: code points, not UTF-16 units.
export const charCount = (text) => [...text].length;

const defaultClock = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (id) => clearTimeout(id),
  now: () => Date.now(),
};

export class ChatClient {
  constructor({ group, me, openSocket, fetchHistory, view = {}, clock = defaultClock,
                random = Math.random, newId = () => crypto.randomUUID(), online = true }) {
    Object.assign(this, { group, me, openSocket, fetchHistory, view, clock, random, newId, online });

    this.lastSeq = undefined;   // last durable seq processed; undefined: nothing loaded yet
    this.messages = new Map();  // seq -> message, everything on screen
    this.ids = new Map();       // message id -> seq
    this.later = new Map();     // id -> removal/edit seen for a message not loaded yet
    this.nextBefore = 0;        // `before` for the next older page; 0: none
    this.resets = 0;            // bumped whenever the list is rebuilt, to drop stale pages
    this.loadingOlder = false;
    this.pending = new Map();   // client_id -> {clientId, text, at, state, id?, seq?, error?, conn?}

    this.ws = null;
    this.conn = 0;              // counts sockets, so a send knows which one carried it
    this.opened = false;        // the current socket reached onopen
    this.everOpened = false;
    this.ready = false;         // subscribed on the current socket: sends may go out
    this.awaitingSub = false;   // a subscribe is in flight: ignore durable events until it answers
    this.sentSince = undefined; // the `since` of that subscribe
    this.owed = 0;              // replay events still expected
    this.noSince = false;       // the last replay did not finish: next time go live + history
    this.held = null;           // durable events held while history loads (§6.3)
    this.gapRetried = false;    // a gap was already answered with a resubscribe
    this.fresh = [];            // messages from others not yet handed to view.fresh
    this.attempt = 0;           // reconnect backoff exponent
    this.reconnectTimer = null;
    this.pingTimer = null;
    this.lastTyping = -Infinity;
    this.ended = null;          // why the room stopped for good, if it did
  }

  emit(name, ...args) { this.view[name]?.(...args); }

  get hasOlder() { return this.nextBefore > 0; }

  // Confirmed messages in seq order (what the list shows, minus pending sends).
  list() { return [...this.messages.values()].sort((a, b) => a.seq - b.seq); }

  // ---- start-up ---------------------------------------------------------

  // Show the newest page first (it works even when the socket does not), then
  // subscribe with since = the newest message shown. That page's `head` is
  // read after its messages, so a message committed in between could have a
  // seq below `head` and not be on the page: resuming from the newest
  // message's own seq replays it instead. A resume replays events, so the
  // removals between that message and `head` come again; they are idempotent.
  async start() {
    if (!this.online) return this.emit("status", "offline");
    this.emit("status", "connecting");
    try {
      await this.loadLatest(undefined);
    } catch (err) {
      if (this.historyFailed(err)) return;
      // Otherwise subscribe live and load history from its head (§6.3).
    }
    this.connect();
  }

  // Rebuild the list from the newest page: the latest messages (head
  // undefined, first load) or exactly those up to head (after subscribing).
  async loadLatest(head) {
    const reset = ++this.resets;
    const page = await this.fetchHistory({ before: head === undefined ? 0 : head + 1, limit: PAGE_SIZE });
    if (reset !== this.resets) return false; // superseded by a newer rebuild
    this.messages.clear();
    this.ids.clear();
    const msgs = (page.messages ?? []).map(fromHistory).reverse().map((m) => this.store(m));
    this.nextBefore = msgs.length ? page.next_before ?? 0 : 0;
    // An empty page leaves lastSeq unset, so the socket goes live + history.
    this.lastSeq = head ?? msgs.at(-1)?.seq;
    this.emit("reset", msgs, this.hasOlder);
    this.settleAll();
    return true;
  }

  async loadOlder() {
    if (this.loadingOlder || !this.hasOlder) return;
    this.loadingOlder = true;
    const reset = this.resets;
    try {
      const page = await this.fetchHistory({ before: this.nextBefore, limit: PAGE_SIZE });
      if (reset !== this.resets) return; // the list was rebuilt meanwhile
      const msgs = (page.messages ?? []).map(fromHistory).filter((m) => !this.messages.has(m.seq));
      const older = msgs.reverse().map((m) => this.store(m));
      this.nextBefore = page.messages?.length ? page.next_before ?? 0 : 0;
      this.emit("older", older, this.hasOlder);
    } catch (err) {
      this.historyFailed(err);
      throw err;
    } finally {
      this.loadingOlder = false;
    }
  }

  // Keep msg and apply what happened to it while it was not loaded.
  store(m) {
    m.own = Boolean(m.author.id) && m.author.id === this.me;
    const change = this.later.get(m.id);
    if (change && !m.removed) applyChange(m, change);
    this.messages.set(m.seq, m);
    this.ids.set(m.id, m.seq);
    return m;
  }

  // Ends the room on answers that retrying cannot fix; true if it did.
  historyFailed(err) {
    if (err?.status === 401) this.end("session");
    else if (err?.status === 403 || err?.status === 404) this.end("access", err.message);
    else return false;
    return true;
  }

  // ---- the socket -------------------------------------------------------

  connect() {
    this.clock.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    if (this.ended || this.ws) return;
    if (!this.online) return this.emit("status", "offline");
    let ws;
    try {
      ws = this.openSocket();
    } catch {
      return this.scheduleReconnect(false);
    }
    this.ws = ws;
    this.conn++;
    this.opened = false;
    ws.onopen = () => {
      if (ws !== this.ws) return;
      // The hub closes a socket without quietroom.v1 with 1008 anyway.
      if (ws.protocol !== PROTOCOL) return this.end("protocol");
      this.opened = this.everOpened = true;
      this.subscribe();
      this.keepAlive();
    };
    ws.onmessage = (e) => { if (ws === this.ws) this.receive(ws, e.data); };
    ws.onclose = (e) => { if (ws === this.ws) this.closed(e.code); };
  }

  transmit(frame) {
    if (!this.ws || !this.opened) return false;
    this.ws.send(JSON.stringify(frame));
    return true;
  }

  receive(ws, data) {
    this.keepAlive();
    // One frame may hold several events, one JSON object per line (§3).
    for (const line of String(data).split("\n")) {
      if (ws !== this.ws) break; // a handler closed this socket
      let ev;
      try { ev = JSON.parse(line); } catch { continue; }
      if (ev && typeof ev === "object") this.handle(ev);
    }
    this.flush(false);
  }

  handle(ev) {
    // A crisis anywhere reaches a moderator wherever they are reading.
    if (ev.type === "moderation" && ev.code === "crisis") return void this.emit("notice", "moderation_crisis", ev.message ?? "");
    if (ev.group !== undefined && ev.group !== this.group) return; // one room per page
    if (typeof ev.seq === "number" && ev.type !== "ack") return this.durable(ev);
    switch (ev.type) {
      case "subscribed": return this.subscribed(ev);
      case "unsubscribed": // unasked (with a code): access changed; ask again with the new access
        if (ev.code) this.subscribe();
        return;
      case "ack": return this.acked(ev);
      case "error": return this.failed(ev);
      case "presence": return this.emit("presence", ev.online ?? [], ev.online_count ?? 0);
      case "typing":
        if (ev.author && ev.author.id !== this.me) this.emit("typing", ev.author);
        return;
      case "notice": return this.emit("notice", ev.code ?? "", ev.message ?? "");
      default: return; // pong, or an ephemeral type newer than this page
    }
  }

  subscribe() {
    const frame = { type: "subscribe", group: this.group };
    if (this.lastSeq !== undefined && !this.noSince) frame.since = this.lastSeq;
    this.sentSince = frame.since;
    this.awaitingSub = true;
    this.owed = 0;
    this.transmit(frame);
  }

  // Unsubscribe and subscribe back to back: the hub handles them in order.
  resubscribe() {
    if (this.held) { this.held = null; this.resets++; }
    this.transmit({ type: "unsubscribe", group: this.group });
    this.subscribe();
  }

  subscribed(ev) {
    const head = ev.head ?? 0;
    const since = this.sentSince;
    this.awaitingSub = false;
    this.ready = true;
    this.attempt = 0; // the connection works: reset the backoff
    this.owed = ev.replayed ?? 0;
    this.noSince = false;
    this.emit("status", "open");
    // Live-only, truncated (events skipped) or diverged (head went back):
    // rebuild from history up to head; the replay then only repeats it.
    if (since === undefined || ev.truncated || head < since) this.reload(head);
    // Resend what was never acked, after subscribing, so a send that did land
    // shows up in the replay first; the hub answers a repeat with its old ack.
    for (const p of this.pending.values()) {
      if (p.state === "sending" && p.conn !== this.conn) this.transmitSend(p);
    }
  }

  reload(head) {
    const held = this.held = [];
    this.loadLatest(head).then((done) => {
      if (!done || this.held !== held) return; // cancelled by a close or a resubscribe
      this.held = null;
      for (const ev of held) {
        if (this.awaitingSub) break; // a gap made us resubscribe: the replay brings the rest
        this.process(ev);
      }
      this.flush(false);
    }, (err) => {
      if (this.historyFailed(err) || this.held !== held) return;
      this.noSince = true; // try again on a fresh connection, after a backoff
      this.drop();
    });
  }

  // ---- durable events (§6.2) --------------------------------------------

  durable(ev) {
    if (this.awaitingSub) return; // the subscription being set up will replay it
    if (this.owed > 0) this.owed--;
    if (this.held) return void this.held.push(ev);
    this.process(ev);
  }

  process(ev) {
    const last = this.lastSeq ?? 0;
    if (ev.seq <= last) return; // duplicate
    if (ev.seq !== last + 1) return this.gap();
    this.apply(ev);
    this.lastSeq = ev.seq;
    this.gapRetried = false;
  }

  // A gap should not happen on a live subscription. Resume from lastSeq once;
  // if the next event is a gap again, go live and rebuild from history.
  gap() {
    if (this.gapRetried) {
      this.gapRetried = false;
      this.noSince = true;
    } else {
      this.gapRetried = true;
    }
    this.resubscribe();
  }

  apply(ev) {
    switch (ev.type) {
      case "message": {
        const m = this.store({ seq: ev.seq, id: ev.id, author: ev.author ?? { name: "" },
                               text: ev.text ?? "", at: ev.at, removed: false });
        // Our own send whose ack came first: this replaces its item.
        let clientId;
        for (const p of this.pending.values()) {
          if (p.id === m.id || p.seq === m.seq) { clientId = p.clientId; break; }
        }
        if (clientId) this.pending.delete(clientId);
        this.emit("message", m, { clientId });
        if (!m.own) this.fresh.push(m);
        return;
      }
      case "removed":
        return this.change(ev.id, ev.message_seq, { removed: true, reason: ev.reason ?? "" });
      case "deleted":
        return this.change(ev.id, ev.message_seq, { removed: true, deleted: true, reason: "" });
      case "edited":
        return this.change(ev.id, ev.message_seq, { text: ev.text ?? "", editedAt: ev.edited_at });
      case "restored": {
        // A removal undone, or an appeal granted: the message is back.
        const m = this.messages.get(this.ids.get(ev.id) ?? ev.message_seq);
        if (!m || m.id !== ev.id) {
          this.later.set(ev.id, { ...this.later.get(ev.id), removed: false, reason: "", text: ev.text ?? "" });
          return;
        }
        applyChange(m, { removed: false, reason: "", text: ev.text ?? "" });
        return void this.emit("update", m);
      }
      default:
        return; // a durable type newer than this page: it still advances lastSeq
    }
  }

  change(id, messageSeq, change) {
    const m = this.messages.get(this.ids.get(id) ?? messageSeq);
    if (!m || m.id !== id) {
      // Not loaded: remember it in case its page is loaded later.
      this.later.set(id, { ...this.later.get(id), ...change });
      return;
    }
    if (m.removed) return; // nothing revives a removed message
    applyChange(m, change);
    this.emit("update", m);
  }

  // Hand the messages from others to the view, unless a replay is still
  // arriving: a replay is announced as one burst.
  flush(force) {
    if (!this.fresh.length || (this.owed > 0 && !force)) return;
    const fresh = this.fresh;
    this.fresh = [];
    this.emit("fresh", fresh);
  }

  // ---- sending (§7) -----------------------------------------------------

  send(text) {
    const p = { clientId: this.newId(), text, at: new Date(this.clock.now()).toISOString(), state: "sending" };
    this.pending.set(p.clientId, p);
    this.emit("pending", p);
    if (this.ready) this.transmitSend(p);
    return p.clientId;
  }

  // Send a failed message again, with the same client_id.
  retry(clientId) {
    const p = this.pending.get(clientId);
    if (!p || p.state !== "failed") return;
    Object.assign(p, { state: "sending", error: undefined, tries: 0 });
    this.emit("pending", p);
    if (this.ready) this.transmitSend(p);
  }

  // Give up on a failed send (its text goes back to the composer); returns it.
  discard(clientId) {
    const p = this.pending.get(clientId);
    if (!p || p.state !== "failed") return undefined;
    this.pending.delete(clientId);
    this.emit("dropPending", clientId);
    return p.text;
  }

  transmitSend(p) {
    p.conn = this.conn;
    this.transmit({ type: "send", group: this.group, client_id: p.clientId, text: p.text });
  }

  acked(ev) {
    const p = this.pending.get(ev.client_id);
    if (!p || p.seq !== undefined) return;
    if (ev.held) {
      // Waiting for a moderator: no seq yet. If it is approved, its message
      // event carries the same id and takes the item's place.
      Object.assign(p, { id: ev.id, at: ev.at ?? p.at, state: "held", error: undefined });
      this.emit("pending", p);
      return;
    }
    Object.assign(p, { id: ev.id, seq: ev.seq, at: ev.at ?? p.at, error: undefined });
    if (!this.settle(p)) {
      // The message event is still to come (§6.4); show the send at its place.
      p.state = "acked";
      this.emit("pending", p);
    }
  }

  // An acked send whose message is known: hand its item over. True if done.
  // Never advance lastSeq from an ack; only the message event does.
  settle(p) {
    const m = this.messages.get(p.seq);
    if (m) this.emit("message", m, { clientId: p.clientId });
    else if (p.seq <= (this.lastSeq ?? 0)) this.emit("dropPending", p.clientId); // older than the list
    else return false;
    this.pending.delete(p.clientId);
    return true;
  }

  settleAll() {
    for (const p of [...this.pending.values()]) if (p.seq !== undefined) this.settle(p);
  }

  failed(ev) {
    const p = ev.client_id !== undefined ? this.pending.get(ev.client_id) : undefined;
    if (p) {
      if (p.seq !== undefined) return; // already acked: a stale answer to a resend
      if (ev.code === "store_unavailable" && (p.tries ?? 0) < SEND_RETRIES) {
        p.tries = (p.tries ?? 0) + 1;
        const conn = this.conn;
        this.clock.setTimeout(() => {
          // A new connection resends it after subscribing anyway.
          if (this.pending.get(p.clientId) === p && p.state === "sending" && this.conn === conn && this.ready) {
            this.transmitSend(p);
          }
        }, 1000 * 2 ** (p.tries - 1));
        return;
      }
      p.state = "failed";
      p.error = { code: ev.code, message: ev.message ?? "", fixText: FIX_TEXT.has(ev.code) };
      return this.emit("pending", p);
    }
    if (ev.group === undefined) return; // a frame the hub could not read: nothing to match it to
    // With a group and no client_id, the error answers our subscribe or unsubscribe.
    switch (ev.code) {
      case "forbidden":
      case "not_found": return this.end("access", ev.message);
      case "already_subscribed": return this.resubscribe(); // bring the state in line
      case "store_unavailable": return this.drop();         // try again after a backoff
      default: return;                                       // not_subscribed: nothing to do
    }
  }

  typing() {
    const now = this.clock.now();
    if (!this.ready || now - this.lastTyping < TYPING_EVERY) return;
    this.lastTyping = now;
    this.transmit({ type: "typing", group: this.group });
  }

  // ---- keepalive, closing and reconnecting ------------------------------

  // Browsers cannot see WebSocket pings, so the client pings after a silence
  // and treats the socket as dead if nothing at all comes back (§3).
  keepAlive() {
    this.clock.clearTimeout(this.pingTimer);
    this.pingTimer = this.clock.setTimeout(() => this.ping(), PING_AFTER);
  }

  ping() {
    this.clock.clearTimeout(this.pingTimer);
    if (!this.transmit({ type: "ping" })) return;
    this.pingTimer = this.clock.setTimeout(() => this.drop(), PONG_WITHIN);
  }

  // The page came back into view: check the socket now rather than in 30 s,
  // and skip a pending backoff.
  wake() {
    if (this.reconnectTimer) this.connect();
    else if (this.ready) this.ping();
  }

  // Give up on the current socket without waiting for its close handshake
  // (a dead TCP connection can take minutes to report it).
  drop() {
    const ws = this.ws;
    if (!ws) return;
    this.closed(1006);
    try { ws.close(); } catch { /* already closing */ }
  }

  teardown() {
    this.clock.clearTimeout(this.pingTimer);
    this.ws = null;
    this.opened = this.ready = this.awaitingSub = false;
    if (this.owed > 0) this.noSince = true; // the replay did not finish: don't ask for it again
    this.owed = 0;
    if (this.held) { this.held = null; this.resets++; this.noSince = true; }
    this.flush(true);
  }

  closed(code) {
    const opened = this.opened;
    this.teardown();
    if (code === 1008) return this.end("protocol");
    if (code === 4003) return this.end("session");
    if (code === 4004) return this.end("too-many"); // reconnecting would only be refused again
    // A handshake refused before opening (maybe a 401) looks like 1006 too.
    // The history endpoint tells the difference; ask it for an empty page.
    if (!opened && !this.ended) {
      this.fetchHistory({ before: 1, limit: 1 }).catch((err) => this.historyFailed(err));
    }
    // 1001: this instance is restarting and another one is ready: come back
    // soon. Everything else (1006, 4001, 4002, 1009 …): back off, then resume.
    this.scheduleReconnect(code === 1001);
  }

  scheduleReconnect(goingAway) {
    if (this.ended) return;
    if (!this.online) return this.emit("status", "offline");
    let delay;
    if (goingAway) {
      delay = this.random() * 2000;
    } else {
      const cap = Math.min(30_000, 500 * 2 ** this.attempt++);
      delay = cap / 2 + this.random() * cap / 2;
    }
    this.emit("status", "reconnecting", { delay });
    this.clock.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = this.clock.setTimeout(() => this.connect(), delay);
  }

  // Follows the browser's online/offline events.
  setOnline(online) {
    if (online === this.online) return;
    this.online = online;
    if (!online) {
      this.clock.clearTimeout(this.reconnectTimer);
      this.reconnectTimer = null;
      const ws = this.ws;
      if (ws) {
        this.teardown();
        try { ws.close(); } catch { /* already closing */ }
      }
      if (!this.ended) this.emit("status", "offline");
      return;
    }
    if (this.ended) return;
    this.attempt = 0;
    this.emit("status", this.everOpened ? "reconnecting" : "connecting", { delay: 0 });
    this.connect();
  }

  // Stop for good: the session ended, access is gone, or the page is outdated.
  end(kind, message = "") {
    if (this.ended) return;
    this.ended = kind;
    this.clock.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    const ws = this.ws;
    if (ws) {
      this.teardown();
      try { ws.close(1000); } catch { /* already closing */ }
    }
    this.emit("status", "closed", { kind, message });
  }
}

function fromHistory(h) {
  return { seq: h.seq, id: h.id, author: h.author ?? { name: "" }, text: h.removed ? "" : h.text ?? "",
           at: h.at, removed: Boolean(h.removed), deleted: Boolean(h.deleted), reason: "", editedAt: h.edited_at };
}

function applyChange(m, change) {
  if (change.removed) Object.assign(m, { removed: true, deleted: Boolean(change.deleted), reason: change.reason ?? "", text: "" });
  else if (change.removed === false) Object.assign(m, { removed: false, reason: "", text: change.text ?? "" });
  else if (change.text !== undefined) Object.assign(m, { text: change.text, editedAt: change.editedAt });
}
