// Flagging a message for the moderators: the small "Flag" button on each
// message from someone else, and the native <dialog id="flag-dialog"> of
// room.html (docs/web.md, "The room"; docs/api.md, "Moderation").
//
// The wording and the reading of the API's answers are plain functions at
// the top, unit-tested with `node --test web/static/js/`; the DOM code is in
// setupFlags and runs only in the page. Message text goes in through
// textContent only.

export const THANKS = "Thank you. A moderator will look at it; you'll see what happened under Settings.";
export const ALREADY = "You had already flagged this message. A moderator will look at it; you'll see what happened under Settings.";
export const GONE = "This message can't be flagged any more: it may have been removed meanwhile.";
export const RETRY = "The flag could not be sent just now. Please try again in a moment.";
export const SIGNED_OUT = "Your session has ended. Sign in again, then flag the message.";
export const NO_REASON = "Choose what is wrong first.";

/** The API address of a message's flags. */
export function flagUrl(tenant, group, messageId) {
  return `/api/v1/t/${encodeURIComponent(tenant)}/groups/${encodeURIComponent(group)}/messages/${encodeURIComponent(messageId)}/flags`;
}

/** The Flag button's accessible name. */
export function flagLabel(authorName) {
  return `Flag message from ${authorName}`;
}

/** Its name once flagged (the visible text, "Flagged", comes first). */
export function flaggedLabel(authorName) {
  return `Flagged message from ${authorName}`;
}

// "say briefly what is wrong" -> "Say briefly what is wrong."
function sentence(message) {
  const s = String(message ?? "").trim().replace(/[.!]+$/, "");
  return s ? s[0].toUpperCase() + s.slice(1) + "." : "";
}

/**
 * What an answer of the flags endpoint means for the page:
 *   {kind: "done" | "already", text}  the dialog closes and the button says Flagged;
 *   {kind: "invalid", text, field}    the dialog stays open with text in #flag-status
 *                                     (field: "note", "reason" or another field name);
 *   {kind: "gone" | "signed-out" | "retry", text}  the dialog stays open, nothing flagged.
 * body is the parsed JSON answer, or null.
 */
export function flagOutcome(status, body) {
  // The hub says so when no moderator can look at it now (docs/api.md, "notice").
  if (status === 201) return { kind: "done", text: body?.notice || THANKS };
  if (status === 409) return { kind: "already", text: ALREADY };
  const err = body?.error ?? {};
  if (status === 422) {
    const fields = err.fields ?? {};
    const field = ["reason", "note"].find((f) => fields[f]) ?? Object.keys(fields)[0];
    const text = field ? sentence(fields[field]) : sentence(err.message);
    return { kind: "invalid", text: text || RETRY, field };
  }
  if (status === 404) return { kind: "gone", text: GONE };
  if (status === 401) return { kind: "signed-out", text: SIGNED_OUT };
  if (status === 403 && err.code === "csrf_failed") {
    return { kind: "retry", text: "The page is out of date. Reload it, then flag the message again." };
  }
  return { kind: "retry", text: RETRY };
}

/**
 * Sets up flagging in the room. Returns
 *   button(m)  the Flag button for a rendered message, or null when it gets
 *              none (own, removed, or without an id yet);
 *   gone(id)   the message was removed: if the dialog is open for it, close it.
 * options: {room, list, status (the element for the thank-you line), fetch}.
 */
export function setupFlags({ room, list, status, fetch = globalThis.fetch.bind(globalThis) }) {
  const doc = room.ownerDocument;
  const dialog = doc.getElementById("flag-dialog");
  const form = doc.getElementById("flag-form");
  if (!dialog || !form || typeof dialog.showModal !== "function") {
    return { button: () => null, gone: () => {} };
  }
  const quote = doc.getElementById("flag-quote");
  const note = doc.getElementById("flag-note");
  const flagStatus = doc.getElementById("flag-status");
  const cancel = doc.getElementById("flag-cancel");
  const sendButton = form.querySelector("button[type=submit]");
  const radios = () => [...form.querySelectorAll("input[name=reason]")];
  const { tenant, group } = room.dataset;

  const flagged = new Set(); // message ids this member has flagged
  let target = null;         // {id} of the message the dialog is about
  let sending = false;

  // The form's `required` radios would show the browser's own bubble; the
  // dialog says it in #flag-status instead, like every other answer.
  form.noValidate = true;

  const liOf = (id) => [...list.querySelectorAll("li.message[data-id]")].find((li) => li.dataset.id === id);
  const buttonOf = (id) => liOf(id)?.querySelector("button.message-flag") ?? null;

  function markFlagged(button) {
    button.textContent = "Flagged";
    button.disabled = true;
    button.setAttribute("aria-label", flaggedLabel(button.dataset.author));
  }

  function button(m) {
    if (m.own || m.removed || !m.id) return null;
    const b = doc.createElement("button");
    b.type = "button";
    b.className = "message-flag button-link";
    b.textContent = "Flag";
    b.dataset.author = m.author?.name || "Former member";
    b.setAttribute("aria-label", flagLabel(b.dataset.author));
    if (flagged.has(m.id)) markFlagged(b);
    return b;
  }

  function say(text) {
    if (!status) return;
    status.dataset.tone = "ok";
    status.textContent = text;
  }

  function setFlagStatus(text, field) {
    flagStatus.textContent = text;
    const invalid = field === "note" ? note : null;
    if (note) {
      if (invalid) {
        note.setAttribute("aria-invalid", "true");
        note.setAttribute("aria-describedby", "flag-status");
      } else {
        note.removeAttribute("aria-invalid");
        note.removeAttribute("aria-describedby");
      }
    }
    return invalid;
  }

  function open(li) {
    const id = li.dataset.id;
    if (!id || dialog.open) return;
    target = { id };
    form.reset();
    setFlagStatus("");
    sendButton.disabled = false;
    quote.textContent = li.querySelector(".message-text")?.textContent ?? "";
    dialog.showModal();
    radios()[0]?.focus();
  }

  // Back to the Flag button (or, once it is disabled, to its message).
  function restoreFocus(id) {
    const b = buttonOf(id);
    if (b && !b.disabled) return b.focus();
    const li = liOf(id);
    if (li) {
      li.tabIndex = -1;
      li.focus({ preventScroll: true });
    }
  }

  dialog.addEventListener("close", () => {
    const id = target?.id;
    target = null;
    if (id) restoreFocus(id);
  });
  cancel?.addEventListener("click", () => dialog.close());

  list.addEventListener("click", (e) => {
    const b = e.target.closest("button.message-flag");
    if (!b || b.disabled) return;
    const li = b.closest("li.message");
    if (li) open(li);
  });

  form.addEventListener("submit", async (e) => {
    e.preventDefault(); // method="dialog" would close it before the answer
    if (!target || sending) return;
    const reason = radios().find((r) => r.checked)?.value;
    if (!reason) {
      setFlagStatus(NO_REASON);
      radios()[0]?.focus();
      return;
    }
    const id = target.id;
    sending = true;
    sendButton.disabled = true;
    setFlagStatus("Sending…");
    let outcome;
    try {
      const res = await fetch(flagUrl(tenant, group, id), {
        method: "POST",
        credentials: "same-origin",
        headers: {
          "Content-Type": "application/json",
          Accept: "application/json",
          "X-CSRF-Token": doc.querySelector('meta[name="csrf-token"]')?.content ?? "",
        },
        body: JSON.stringify({ reason, note: note?.value ?? "" }),
      });
      const body = await res.json().catch(() => null);
      outcome = flagOutcome(res.status, body);
    } catch {
      outcome = flagOutcome(0, null); // the network: try again
    } finally {
      sending = false;
      sendButton.disabled = false;
    }
    if (outcome.kind === "done" || outcome.kind === "already") {
      flagged.add(id);
      const b = buttonOf(id);
      if (b) markFlagged(b);
      say(outcome.text);
      if (target?.id === id) dialog.close();
      return;
    }
    if (target?.id !== id) return; // closed meanwhile: nothing was flagged, nothing to say
    const invalid = setFlagStatus(outcome.text, outcome.field);
    if (invalid) invalid.focus();
    else if (outcome.field === "reason") radios()[0]?.focus();
  });

  // Messages flagged before this page was loaded keep saying so.
  fetch(`/api/v1/t/${encodeURIComponent(tenant)}/me/flags`, {
    credentials: "same-origin", headers: { Accept: "application/json" }, cache: "no-store",
  }).then((res) => (res.ok ? res.json() : null)).then((body) => {
    for (const f of body?.flags ?? []) {
      if (!f.message_id || flagged.has(f.message_id)) continue;
      flagged.add(f.message_id);
      const b = buttonOf(f.message_id);
      if (b) markFlagged(b);
    }
  }).catch(() => { /* only a courtesy */ });

  return {
    button,
    gone(id) {
      if (target?.id === id && dialog.open) {
        dialog.close();
        say(GONE);
      }
    },
  };
}
