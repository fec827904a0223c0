// Attack mode on every page (docs/web.md, "Attack mode"): the header's
// switch without a page load, the Alt+Shift+A shortcut, following a change
// made on another device (the hub's attack_mode event), and "still in an
// attack?" when the chosen time runs out while the page is open.
//
// The page itself only reads <html data-attack="on">: CSS does the rest,
// and room.js stays silent while it is set.

const root = document.documentElement;
const form = document.getElementById("attack-control");
if (form) init(form);

function init(form) {
  const button = form.querySelector("button");
  const onField = form.querySelector('input[name="on"]');
  const status = document.getElementById("attack-status");
  const prompt = document.getElementById("attack-return");
  const tenant = form.dataset.tenant;
  const csrf = document.querySelector('meta[name="csrf-token"]')?.content ?? "";
  const api = `/api/v1/t/${encodeURIComponent(tenant)}`;
  let timer = 0;
  let current = {
    on: root.dataset.attack === "on",
    until: root.dataset.attackUntil ?? null,
    lapsed: prompt ? !prompt.hidden : false,
  };

  // apply shows mode on this page; say tells screen readers the change.
  function apply(mode, say) {
    const on = Boolean(mode.on);
    if (on) root.dataset.attack = "on";
    else delete root.dataset.attack;
    if (on && mode.until) root.dataset.attackUntil = mode.until;
    else delete root.dataset.attackUntil;
    button.setAttribute("aria-pressed", String(on));
    onField.value = on ? "false" : "true";
    if (prompt) prompt.hidden = !mode.lapsed;
    if (say && (on !== current.on || Boolean(mode.lapsed) !== Boolean(current.lapsed))) {
      status.textContent = on ? "Attack mode is on. Take it slowly." : mode.lapsed ? "Attack mode has ended. Still in an attack?" : "Attack mode is off.";
    }
    current = { on, until: on ? mode.until ?? null : null, lapsed: Boolean(mode.lapsed) };
    schedule(mode);
  }

  // The mode ends by itself at until: the page follows on time, then
  // asks whether it is still needed.
  function schedule(mode) {
    clearTimeout(timer);
    if (!mode.on || !mode.until) return;
    const wait = Date.parse(mode.until) - Date.now();
    if (!(wait < 2 ** 31)) return; // setTimeout's limit; a reload or resync covers it
    timer = setTimeout(() => apply({ on: false, since: mode.since, until: mode.until, lapsed: true }, true), Math.max(0, wait));
  }

  async function set(on) {
    const res = await fetch(`${api}/me/attack-mode`, {
      method: "PUT",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify({ on }),
    });
    if (!res.ok) throw new Error(`attack mode: ${res.status}`);
    apply(await res.json(), true);
  }

  // Forms post as usual if the API cannot be reached.
  function submitThrough(f, on) {
    f.addEventListener("submit", (e) => {
      e.preventDefault();
      set(on()).catch(() => f.submit());
    });
  }
  submitThrough(form, () => onField.value === "true");
  for (const f of prompt?.querySelectorAll("form") ?? []) {
    submitThrough(f, () => f.querySelector('input[name="on"]').value === "true");
    f.addEventListener("submit", () => button.focus());
  }

  document.addEventListener("keydown", (e) => {
    if (e.altKey && e.shiftKey && !e.ctrlKey && !e.metaKey && e.code === "KeyA" && !e.repeat) {
      e.preventDefault();
      const on = !current.on;
      set(on).catch(() => form.requestSubmit());
    }
  });

  async function resync() {
    try {
      const res = await fetch(`${api}/me`, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } });
      if (!res.ok) return;
      const mode = (await res.json()).user?.attack_mode;
      if (mode) apply(mode, true);
    } catch { /* offline: the socket's reconnect tries again */ }
  }
  document.addEventListener("visibilitychange", () => { if (!document.hidden) resync(); });

  listen(api, (mode) => apply(mode, true), resync);
  schedule(current);
}

// listen keeps a socket open to hear attack_mode events, reconnecting with
// backoff, and resyncs on every (re)connect, since events are not kept for
// a socket that was down.
function listen(api, onMode, resync) {
  const url = new URL(`${api}/ws`, location.href);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  let delay = 1000;
  let first = true;
  const open = () => {
    let ws;
    try { ws = new WebSocket(url, "quietroom.v1"); } catch { return; }
    ws.addEventListener("open", () => {
      delay = 1000;
      if (!first) resync();
      first = false;
    });
    ws.addEventListener("message", (e) => {
      for (const line of String(e.data).split("\n")) {
        let ev;
        try { ev = JSON.parse(line); } catch { continue; }
        if (ev.type === "attack_mode" && ev.attack_mode) onMode(ev.attack_mode);
      }
    });
    ws.addEventListener("close", (e) => {
      // 4003: the session ended (signed out): nothing more to hear.
      if (e.code === 4003 || e.code === 1008) return;
      if (e.code === 4004) delay = Math.max(delay, 60000); // too many tabs: wait for one to close
      setTimeout(open, delay);
      delay = Math.min(delay * 2, 30000);
    });
  };
  open();
}
