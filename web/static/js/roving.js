// Keyboard movement in the message list (docs/web.md, "The room"): the
// list is one Tab stop, whichever message was last visited (the newest at
// first). Up and Down (and Home, End) move between messages; Right enters
// the message's toolbar, whose buttons are never Tab stops themselves; in
// the toolbar Left and Right move between its buttons, and Escape (or Left
// from the first) goes back to the message. So a keyboard user passes the
// whole conversation with one Tab on the way to the message box.

const ITEM = "li.message";
const TOOL = ".message-actions button:not([disabled])";

/** The toolbar buttons of a message that can take the focus. */
function tools(li) {
  return li ? [...li.querySelectorAll(TOOL)] : [];
}

/**
 * Sets up the roving focus on the <ol> of messages. Returns refresh(),
 * which makes sure exactly one message is the Tab stop; call it after the
 * list changed (it also runs on its own when messages come and go).
 */
export function setupRoving(list) {
  let current = null; // the message that is the list's Tab stop

  const items = () => [...list.querySelectorAll(ITEM)];

  function makeCurrent(li) {
    if (current && current !== li && current.isConnected) current.tabIndex = -1;
    current = li;
    if (li) li.tabIndex = 0;
  }

  function refresh() {
    const all = items();
    for (const li of all) if (li !== current) li.tabIndex = -1;
    for (const b of list.querySelectorAll(".message-actions button")) b.tabIndex = -1;
    if (!current || !current.isConnected || !current.matches(ITEM)) makeCurrent(all.at(-1) ?? null);
    else current.tabIndex = 0;
  }

  function go(li) {
    if (!li) return;
    makeCurrent(li);
    li.focus();
  }

  list.addEventListener("focusin", (e) => {
    const li = e.target.closest(ITEM);
    if (li && list.contains(li)) makeCurrent(li);
  });

  list.addEventListener("keydown", (e) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const li = e.target.closest(ITEM);
    if (!li) return;
    const all = items();
    const i = all.indexOf(li);
    const onItem = e.target === li;
    const buttons = tools(li);
    const b = buttons.indexOf(e.target);
    let handled = true;
    switch (e.key) {
      case "ArrowDown": go(all[i + 1]); break;
      case "ArrowUp": go(all[i - 1]); break;
      case "Home": if (onItem) go(all[0]); else buttons[0]?.focus(); break;
      case "End": if (onItem) go(all.at(-1)); else buttons.at(-1)?.focus(); break;
      case "ArrowRight":
        if (onItem) buttons[0]?.focus();
        else if (b >= 0) buttons[(b + 1) % buttons.length].focus();
        break;
      case "ArrowLeft":
        if (b > 0) buttons[b - 1].focus();
        else if (b === 0) li.focus();
        break;
      case "Escape":
        if (!onItem) li.focus();
        else handled = false;
        break;
      default: handled = false;
    }
    if (handled) e.preventDefault();
  });

  new MutationObserver(refresh).observe(list, { childList: true, subtree: true });
  refresh();
  return refresh;
}
