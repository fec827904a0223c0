// Moderation queue page: listens on the member's socket for queue changes
// and says so calmly, with a link to the latest queue, instead of
// reshuffling the list under the moderator's eyes.
const live = document.getElementById("queue-live");

function show(text) {
  live.replaceChildren(document.createTextNode(text + " "));
  const a = document.createElement("a");
  a.href = location.pathname + location.search;
  a.textContent = "Show the latest queue";
  live.append(a);
  live.hidden = false;
}

function connect(attempt = 0) {
  const url = new URL(live.dataset.wsUrl, location.href);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  const ws = new WebSocket(url, ["quietroom.v1"]);
  ws.onmessage = (e) => {
    for (const line of String(e.data).split("\n")) {
      let ev;
      try { ev = JSON.parse(line); } catch { continue; }
      if (ev.type !== "moderation") continue;
      if (ev.code === "crisis") show(ev.message || "A member may be in crisis: please look now.");
      else if (live.hidden) show("The queue has changed.");
    }
  };
  ws.onopen = () => { attempt = 0; };
  ws.onclose = () => setTimeout(() => connect(attempt + 1), Math.min(30_000, 1000 * 2 ** attempt));
}

if (live) connect();
