// The group room: renders what ChatClient (chat-client.js) reports into the
// page described in docs/web.md, "The room". User text only ever goes in
// through textContent.

import { ChatClient, PROTOCOL, MAX_CHARS, charCount } from "./chat-client.js";
import { announcement, authorName, inQuietHours, preview, reconnectText, sendErrorText, sentence, typingLine } from "./room-text.js";
import { setupFlags } from "./flag.js";
import { setupRoving } from "./roving.js";

const room = document.getElementById("room");
if (room) init(room);

function init(room) {
  const data = room.dataset;
  const $ = (id) => document.getElementById(id);
  const statusEl = $("connection-status");
  const olderBtn = $("load-older");
  const list = $("messages");
  const typingEl = $("typing");
  const announcer = $("announcer");
  const composer = data.canPost === "true" ? $("composer") : null;
  const input = composer && $("composer-text");
  const composerStatus = $("composer-status");
  // Where the flag dialog says thank you: under the composer, or, for a
  // member who cannot post, a status line of its own after the list.
  let flagThanks = composerStatus;
  if (!flagThanks) {
    flagThanks = document.createElement("p");
    flagThanks.id = "flag-thanks";
    flagThanks.setAttribute("role", "status");
    $("typing").after(flagThanks);
  }
  const flags = setupFlags({ room, list: $("messages"), status: flagThanks });
  const presenceList = $("presence-list");
  const presenceCount = $("presence-count");
  setupRoving(list);

  // ---- the shell ----------------------------------------------------------

  // The side panel is a column on a wide screen and folds away on a narrow
  // one; so does the site menu of the room's app shell (app.css).
  const wide = matchMedia("(min-width: 60rem)");
  const roomy = matchMedia("(min-width: 48rem)");
  const panel = room.querySelector(".room-panel");
  const navMenu = document.body.classList.contains("app-shell") ? document.querySelector(".nav-menu") : null;
  const fit = () => {
    if (panel) panel.open = wide.matches;
    if (navMenu) navMenu.open = roomy.matches;
  };
  fit();
  wide.addEventListener("change", fit);
  roomy.addEventListener("change", fit);
  // The skip link to the message box puts the focus in it.
  for (const a of document.querySelectorAll('a.skip-link[href="#composer-text"], a.skip-link[href="#messages"]')) {
    a.addEventListener("click", (e) => {
      const target = document.querySelector(a.getAttribute("href"));
      if (!target) return;
      e.preventDefault();
      if (target === list) (list.querySelector('li.message[tabindex="0"]') ?? list).focus();
      else target.focus();
    });
  }

  // Attack mode (attack.js sets data-attack on <html>) silences the room too.
  const quiet = () => document.documentElement.dataset.attack === "on" || inQuietHours(data.quietStart, data.quietEnd);
  const smooth = () => document.documentElement.dataset.motion === "allow" &&
    !matchMedia("(prefers-reduced-motion: reduce)").matches;

  // ---- scrolling --------------------------------------------------------

  // The list scrolls itself if the stylesheet makes it a scroll box,
  // otherwise the page does.
  const scroller = () => {
    const overflow = getComputedStyle(list).overflowY;
    return overflow === "auto" || overflow === "scroll" ? list : document.scrollingElement;
  };
  let smoothUntil = 0; // a smooth scroll to the bottom is still moving
  const atBottom = () => {
    const s = scroller();
    return Date.now() < smoothUntil || s.scrollHeight - s.scrollTop - s.clientHeight < 48;
  };
  function scrollToBottom() {
    const s = scroller();
    const behavior = smooth() ? "smooth" : "auto";
    if (behavior === "smooth") smoothUntil = Date.now() + 800;
    s.scrollTo({ top: s.scrollHeight, behavior });
    showNewBelow(false);
  }

  // A calm pointer to new messages for a reader who has scrolled up.
  const newBelow = document.createElement("button");
  newBelow.type = "button";
  newBelow.className = "button button-secondary new-below";
  newBelow.textContent = "New messages below";
  list.after(newBelow);
  // The stylesheet's .button display would win over the hidden attribute alone.
  const showNewBelow = (on) => { newBelow.hidden = !on; newBelow.style.display = on ? "" : "none"; };
  showNewBelow(false);
  newBelow.addEventListener("click", () => {
    scrollToBottom();
    focusQuietly(list.querySelector("li.message:last-child"));
  });
  const onScroll = () => { if (!newBelow.hidden && atBottom()) showNewBelow(false); };
  list.addEventListener("scroll", onScroll, { passive: true });
  window.addEventListener("scroll", onScroll, { passive: true });

  // Note whether the reader is at the bottom before the first change of a
  // burst, then follow the new messages (or offer the button) once, after it.
  let burst = null;
  function beforeChange(fromSocket) {
    if (!burst) {
      burst = { stick: atBottom(), news: false };
      requestAnimationFrame(() => {
        const b = burst;
        burst = null;
        if (b.stick) scrollToBottom();
        else if (b.news) showNewBelow(true);
      });
    }
    if (fromSocket) burst.news = true;
  }

  function firstVisible() {
    const top = scroller() === list ? list.getBoundingClientRect().top : 0;
    for (const li of list.children) if (li.getBoundingClientRect().bottom > top) return li;
    return null;
  }

  function focusQuietly(el) {
    if (!el) return;
    el.tabIndex = -1;
    el.focus({ preventScroll: true });
  }

  // ---- the message list -------------------------------------------------

  const shortTime = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit" });
  const dayTime = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", hour: "numeric", minute: "2-digit" });
  const fullTime = new Intl.DateTimeFormat(undefined, { dateStyle: "full", timeStyle: "short" });

  function node(tag, className, text) {
    const el = document.createElement(tag);
    if (className) el.className = className;
    if (text !== undefined) el.textContent = text;
    return el;
  }

  function timeNode(at) {
    const t = node("time", "message-time");
    const d = new Date(at);
    if (Number.isNaN(d.getTime())) return t;
    t.dateTime = at;
    t.title = fullTime.format(d);
    t.textContent = (d.toDateString() === new Date().toDateString() ? shortTime : dayTime).format(d);
    return t;
  }

  // Fill li for a confirmed message, or an acked send still waiting for it.
  function fillMessage(li, m) {
    li.className = "message";
    li.classList.toggle("message-own", Boolean(m.own));
    li.classList.toggle("message-removed", Boolean(m.removed));
    li.classList.toggle("message-edited", Boolean(m.editedAt) && !m.removed);
    li.dataset.seq = m.seq;
    li.dataset.id = m.id;
    const text = m.deleted ? (m.own ? "You deleted this message" : "Message deleted by its author")
      : m.removed ? (m.reason ? `Message removed (${m.reason})` : "Message removed") : m.text;
    const parts = [node("span", "message-author", m.own && m.provisional ? "You" : authorName(m.author)),
                   timeNode(m.at), node("p", "message-text", text)];
    if (m.editedAt && !m.removed) parts.push(node("span", "message-edited-note", "edited"));
    // The message's actions, one toolbar reached with the arrow keys (roving.js).
    // Delivered messages from others can be flagged (not own, removed or pending ones).
    const flag = flags.button(m);
    const actions = [flag, ...ownActions(m)].filter(Boolean);
    if (actions.length) {
      const bar = node("div", "message-actions");
      bar.setAttribute("role", "toolbar");
      bar.setAttribute("aria-label", `Message from ${m.own ? "you" : authorName(m.author)}`);
      for (const b of actions) b.tabIndex = -1;
      bar.append(...actions);
      parts.splice(2, 0, bar);
    }
    // Staff names are marked from the role the server stored with the
    // message (author.role), so a look-alike name cannot pass for them.
    const role = m.author?.role;
    if (role === "admin" || role === "moderator") parts.splice(1, 0, node("span", "staff-badge", role === "admin" ? "Admin" : "Moderator"));
    // Keep the keyboard focus in the message when its contents are replaced.
    const hadFocus = li.isConnected && li !== document.activeElement && li.contains(document.activeElement);
    li.replaceChildren(...parts);
    if (hadFocus) {
      if (flag && !flag.disabled) flag.focus({ preventScroll: true });
      else focusQuietly(li);
    }
  }

  // Edit (within the community's window) and Delete on your own delivered messages.
  const editMinutes = Number(data.editMinutes) || 0;
  function ownActions(m) {
    if (!m.own || m.removed || !m.id || m.provisional || !composer) return [];
    const out = [];
    const age = Date.now() - new Date(m.at).getTime();
    if (editMinutes > 0 && age < editMinutes * 60_000) {
      const b = node("button", "message-edit button-link", "Edit");
      b.type = "button";
      b.setAttribute("aria-label", "Edit your message");
      out.push(b);
    }
    const d = node("button", "message-delete button-link", "Delete");
    d.type = "button";
    d.setAttribute("aria-label", "Delete your message");
    out.push(d);
    return out;
  }

  const bySeq = (seq) => list.querySelector(`li.message[data-seq="${Number(seq)}"]`);
  const byClientId = (id) => [...list.querySelectorAll("li[data-client-id]")].find((li) => li.dataset.clientId === id);

  // Put li in seq order: after the last item with a smaller seq. Sends still
  // waiting for their ack have no seq and stay at the end.
  function place(li, seq) {
    let ref = list.firstChild;
    for (let el = list.lastElementChild; el; el = el.previousElementSibling) {
      if (el !== li && el.dataset.seq !== undefined && Number(el.dataset.seq) < seq) { ref = el.nextSibling; break; }
    }
    if (ref === li) return; // already there (and keeps focus)
    list.insertBefore(li, ref);
  }

  function setOlder(hasOlder) {
    const hadFocus = document.activeElement === olderBtn;
    olderBtn.hidden = !hasOlder;
    olderBtn.disabled = !hasOlder;
    if (hadFocus && !hasOlder) focusQuietly(list.querySelector("li.message"));
  }

  // ---- pending sends ----------------------------------------------------

  function fillPending(li, p) {
    li.dataset.clientId = p.clientId;
    if (p.state === "acked") {
      // Stored, with its seq: show it as a message; the message event fills in the rest.
      fillMessage(li, { seq: p.seq, id: p.id, at: p.at, text: p.text, author: {}, own: true, provisional: true });
      li.dataset.clientId = p.clientId;
      return place(li, p.seq);
    }
    const failed = p.state === "failed";
    const held = p.state === "held";
    li.className = "message message-own message-pending";
    li.classList.toggle("message-failed", failed);
    li.classList.toggle("message-held", held);
    delete li.dataset.seq;
    delete li.dataset.id;
    // "sending…" comes from the stylesheet (.message-pending .message-time::after).
    const parts = [node("span", "message-author", "You"), timeNode(p.at), node("p", "message-text", p.text)];
    if (held) {
      parts.push(node("span", "message-state", "Waiting for a moderator: others see it once it is approved"));
    }
    if (failed) {
      parts.push(node("span", "message-state", "Not sent"));
      const retry = node("button", "button button-secondary message-retry", "Retry");
      retry.type = "button";
      if (p.error?.fixText) retry.dataset.action = "edit";
      parts.push(retry);
    }
    li.replaceChildren(...parts);
    if (!li.parentNode) list.append(li);
  }

  function setComposerStatus(text) {
    if (!composerStatus) return;
    delete composerStatus.dataset.tone; // the flag dialog's thank-you is not an error
    composerStatus.textContent = text;
  }
  function clearStatusIfSettled() {
    if (!list.querySelector("li.message-failed")) setComposerStatus("");
  }

  // ---- typing, presence, announcements, sound ---------------------------

  const typers = new Map(); // author key -> {name, timer}
  const renderTyping = () => { typingEl.textContent = typingLine([...typers.values()].map((t) => t.name)); };
  const typerKey = (a) => a.id || a.name;
  function showTyping(author) {
    const key = typerKey(author);
    clearTimeout(typers.get(key)?.timer);
    const timer = setTimeout(() => { typers.delete(key); renderTyping(); }, 5000);
    typers.set(key, { name: authorName(author), timer });
    renderTyping();
  }
  function stopTyping(author) {
    const t = typers.get(typerKey(author));
    if (!t) return;
    clearTimeout(t.timer);
    typers.delete(typerKey(author));
    renderTyping();
  }

  function announce(line) {
    announcer.append(node("div", "", line));
    while (announcer.childElementCount > 5) announcer.firstElementChild.remove();
  }

  let audio = null;
  let lastTone = 0;
  function chime() {
    const now = Date.now();
    if (now - lastTone < 10_000) return;
    const Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx) return;
    lastTone = now;
    try {
      audio ??= new Ctx();
      if (audio.state === "suspended") audio.resume().catch(() => {});
      // A low sine that swells in and fades out: no click, barely there.
      const t = audio.currentTime;
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.type = "sine";
      osc.frequency.value = 220;
      gain.gain.setValueAtTime(0, t);
      gain.gain.linearRampToValueAtTime(0.04, t + 0.08);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.7);
      osc.connect(gain).connect(audio.destination);
      osc.start(t);
      osc.stop(t + 0.75);
    } catch { /* no sound then */ }
  }

  function notify(msgs) {
    if (data.notify !== "on" || !document.hidden || !("Notification" in window) ||
        Notification.permission !== "granted") return;
    try {
      const n = new Notification(data.groupName || "Quietroom", {
        body: msgs.length === 1 ? `${authorName(msgs[0].author)}: ${preview(msgs[0].text)}` : `${msgs.length} new messages`,
        tag: `quietroom-${data.tenant}-${data.group}`, // one at a time per room
        silent: true,
      });
      n.onclick = () => { window.focus(); n.close(); };
    } catch { /* some browsers only allow notifications from a service worker */ }
  }

  // ---- what the client reports ------------------------------------------

  let lastPresence = "";
  const view = {
    status(state, info = {}) {
      let text;
      if (state === "connecting") text = "Connecting…";
      else if (state === "open") text = "Connected";
      else if (state === "offline") text = "Offline";
      else if (state === "reconnecting") text = reconnectText(info.delay ?? 0);
      if (state !== "closed") {
        if (statusEl.dataset.state === state && statusEl.textContent === text) return;
        statusEl.dataset.state = state;
        statusEl.textContent = text;
        return;
      }
      // Stopped for good. The contract has no state for this; "offline" is
      // the one that means "not connected and not trying".
      statusEl.dataset.state = "offline";
      if (info.kind === "session") {
        const link = node("a", "", "Sign in again");
        link.href = `/t/${encodeURIComponent(data.tenant)}/signin?next=${encodeURIComponent(location.pathname)}`;
        statusEl.replaceChildren("Your session has ended. ", link, " to keep reading.");
      } else if (info.kind === "too-many") {
        statusEl.textContent = "Quietroom is open in too many tabs or devices. Close one, then reload this page.";
      } else if (info.kind === "access") {
        statusEl.textContent = `This group is not available to you right now. ${sentence(info.message)}`.trim();
      } else {
        statusEl.textContent = "Quietroom has been updated. Reload the page to keep chatting.";
      }
      if (composer) composer.querySelector("button[type=submit]")?.setAttribute("disabled", "");
    },

    reset(msgs, hasOlder) {
      beforeChange(false);
      // Acked sends (data-client-id) stay; the client hands them over itself.
      for (const li of [...list.querySelectorAll("li.message[data-seq]:not([data-client-id])")]) li.remove();
      const frag = document.createDocumentFragment();
      for (const m of msgs) { const li = node("li"); fillMessage(li, m); frag.append(li); }
      list.prepend(frag);
      for (const li of [...list.querySelectorAll("li[data-client-id][data-seq]")]) place(li, Number(li.dataset.seq));
      setOlder(hasOlder);
    },

    older(msgs, hasOlder) {
      // Keep what the reader is looking at in the same place on screen, as
      // the list grows above it and the button above the list may go away.
      const anchor = firstVisible();
      const top = anchor?.getBoundingClientRect().top;
      const frag = document.createDocumentFragment();
      for (const m of msgs) { const li = node("li"); fillMessage(li, m); frag.append(li); }
      list.prepend(frag);
      setOlder(hasOlder);
      if (anchor) scroller().scrollTop += anchor.getBoundingClientRect().top - top;
    },

    message(m, { clientId } = {}) {
      beforeChange(!m.own);
      const own = clientId ? byClientId(clientId) : undefined;
      let li = bySeq(m.seq);
      if (own && li && own !== li) own.remove();
      li ??= own ?? node("li");
      fillMessage(li, m);
      delete li.dataset.clientId;
      place(li, m.seq);
      if (!m.own) stopTyping(m.author);
      if (clientId) clearStatusIfSettled();
    },

    update(m) {
      const li = bySeq(m.seq);
      if (li) fillMessage(li, m);
      if (m.removed) flags.gone(m.id);
    },

    notice(code, message) {
      const box = document.getElementById("room-notice");
      if (!box || !message) return;
      box.dataset.code = code;
      box.textContent = message;
      box.hidden = false;
    },

    pending(p) {
      beforeChange(false);
      const li = byClientId(p.clientId) ?? node("li");
      fillPending(li, p);
      if (p.state === "failed") setComposerStatus(sendErrorText(p.error?.code, p.error?.message));
      else clearStatusIfSettled();
    },

    dropPending(clientId) {
      byClientId(clientId)?.remove();
      clearStatusIfSettled();
    },

    presence(online, count) {
      const names = online.map((a) => (a.status === "away" ? `${authorName(a)} (away)` : authorName(a))).sort((a, b) => a.localeCompare(b));
      const n = Math.max(count, names.length);
      const key = `${n}\n${names.join("\n")}`;
      if (key === lastPresence) return; // the hub sends each list twice
      lastPresence = key;
      presenceList.replaceChildren(...names.map((name) => node("li", "", name)));
      presenceCount.textContent = `${n} online`;
    },

    typing: showTyping,

    fresh(msgs) {
      msgs = msgs.filter((m) => !m.removed);
      if (!msgs.length) return;
      // A few messages are read out one by one; a burst is summed up.
      if (msgs.length > 5) announce(announcement(msgs));
      else for (const m of msgs) announce(announcement([m]));
      if (quiet()) return;
      if (data.sound === "on") chime();
      notify(msgs);
    },
  };

  // ---- wiring -------------------------------------------------------------

  const wsUrl = new URL(data.wsUrl, location.href);
  if (wsUrl.protocol === "https:" || wsUrl.protocol === "http:") wsUrl.protocol = wsUrl.protocol === "https:" ? "wss:" : "ws:";

  async function fetchHistory({ before, limit }) {
    const url = new URL(data.historyUrl, location.href);
    if (before) url.searchParams.set("before", before);
    url.searchParams.set("limit", limit);
    const res = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store" });
    if (!res.ok) {
      const body = await res.json().catch(() => null);
      const err = new Error(body?.error?.message ?? `history answered ${res.status}`);
      err.status = res.status;
      throw err;
    }
    return res.json();
  }

  const client = new ChatClient({
    group: data.group,
    me: data.userId,
    openSocket: () => new WebSocket(wsUrl, [PROTOCOL]),
    fetchHistory,
    view,
    online: navigator.onLine,
  });

  olderBtn.hidden = true; // until the first page says there is something older
  olderBtn.addEventListener("click", async () => {
    // Not disabled while loading: that would take the keyboard focus away.
    // client.loadOlder ignores repeated clicks.
    olderBtn.setAttribute("aria-busy", "true");
    try {
      await client.loadOlder();
      olderBtn.textContent = "Show earlier messages";
    } catch {
      olderBtn.textContent = "Earlier messages did not load. Try again";
    } finally {
      olderBtn.removeAttribute("aria-busy");
      olderBtn.disabled = !client.hasOlder;
    }
  });

  window.addEventListener("online", () => client.setOnline(true));
  window.addEventListener("offline", () => client.setOnline(false));
  document.addEventListener("visibilitychange", () => { if (!document.hidden) client.wake(); });

  const messageUrl = (id) => `/api/v1/t/${encodeURIComponent(data.tenant)}/groups/${encodeURIComponent(data.group)}/messages/${encodeURIComponent(id)}`;
  const csrf = () => document.querySelector('meta[name="csrf-token"]')?.content ?? "";
  async function changeMessage(method, id, body) {
    const res = await fetch(messageUrl(id), {
      method, credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRF-Token": csrf(), ...(body ? { "Content-Type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (res.ok) return null;
    const err = (await res.json().catch(() => null))?.error ?? {};
    return sentence(err.fields?.text ?? err.message ?? "That did not work just now. Please try again.");
  }

  // Editing one of your messages happens in the message box.
  let editing = null; // {id, li}
  const sendButton = composer?.querySelector("button[type=submit]");
  function stopEditing(restoreFocus = true) {
    if (!editing) return;
    const li = editing.li;
    editing = null;
    input.value = "";
    sendButton.textContent = "Send";
    setComposerStatus("");
    if (restoreFocus && li?.isConnected) li.querySelector("button.message-edit")?.focus();
  }

  if (composer && input) {
    list.addEventListener("click", async (e) => {
      const b = e.target.closest("button.message-edit, button.message-delete");
      if (!b) return;
      const li = b.closest("li.message");
      const id = li?.dataset.id;
      if (!id) return;
      if (b.classList.contains("message-edit")) {
        editing = { id, li };
        input.value = li.querySelector(".message-text")?.textContent ?? "";
        sendButton.textContent = "Save";
        composerStatus.dataset.tone = "ok";
        composerStatus.textContent = "Editing your message: Save keeps the change, Escape cancels.";
        input.focus();
        return;
      }
      if (!window.confirm("Delete this message? Everyone will see that you deleted it.")) return;
      const problem = await changeMessage("DELETE", id);
      if (problem) setComposerStatus(problem);
      else { setComposerStatus(""); input.focus(); }
    });
    input.addEventListener("keydown", (e) => {
      if (e.key === "Escape" && editing) { e.preventDefault(); stopEditing(); }
    });
    const saveEdit = async () => {
      const { id } = editing;
      const problem = await changeMessage("PATCH", id, { text: input.value });
      if (problem) { setComposerStatus(problem); return; }
      stopEditing(false);
      input.focus();
    };
    const submit = () => {
      const text = input.value;
      if (!text.trim()) return;
      if (editing) { saveEdit(); return; }
      const n = charCount(text);
      if (n > MAX_CHARS) {
        setComposerStatus(`This message is ${n.toLocaleString()} characters long. The limit is ${MAX_CHARS.toLocaleString()}: please shorten it a little.`);
        return;
      }
      setComposerStatus("");
      client.send(text);
      input.value = "";
      input.focus({ preventScroll: true }); // after a click on Send too: ready for the next one
      requestAnimationFrame(scrollToBottom); // your own message: always show it
    };
    composer.addEventListener("submit", (e) => { e.preventDefault(); submit(); });
    input.addEventListener("keydown", (e) => {
      // Enter sends, Shift+Enter is a new line; never while an IME is composing.
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
        e.preventDefault();
        submit();
      }
    });
    input.addEventListener("input", () => { if (input.value.trim()) client.typing(); });

    list.addEventListener("click", (e) => {
      const button = e.target.closest("button.message-retry");
      if (!button) return;
      const id = button.closest("li").dataset.clientId;
      if (button.dataset.action === "edit") {
        // Sending it again unchanged would fail the same way: back to the composer.
        if (input.value.trim()) {
          setComposerStatus("The message box already has text in it. Send or clear that first, then choose Retry.");
          return;
        }
        input.value = client.discard(id) ?? "";
        setComposerStatus("Your message is back in the message box.");
      } else {
        client.retry(id);
      }
      input.focus(); // the Retry button is gone now
    });
  }

  client.start();
  // Joining or opening a room puts you in the message box.
  if (input && !input.disabled) input.focus({ preventScroll: true });
}
