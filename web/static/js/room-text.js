// Small pure helpers for the room page: wording and quiet hours. No DOM.

// "HH:MM" (seconds allowed) to minutes after midnight; null if empty or invalid.
function minutes(hhmm) {
  const m = /^(\d{1,2}):(\d{2})/.exec(hhmm ?? "");
  if (!m) return null;
  const h = Number(m[1]), min = Number(m[2]);
  return h < 24 && min < 60 ? h * 60 + min : null;
}

// Whether `now` (local time) falls in the quiet hours start..end. The range
// may wrap midnight (22:00–08:00). Empty or equal ends mean no quiet hours.
export function inQuietHours(start, end, now = new Date()) {
  const s = minutes(start), e = minutes(end);
  if (s === null || e === null || s === e) return false;
  const m = now.getHours() * 60 + now.getMinutes();
  return s < e ? m >= s && m < e : m >= s || m < e;
}

// One line of a message for announcements: whitespace collapsed, at most
// `max` characters (code points, so emoji are not cut in half).
export function preview(text, max = 100) {
  const chars = [...String(text ?? "").replace(/\s+/g, " ").trim()];
  return chars.length > max ? chars.slice(0, max).join("") + "…" : chars.join("");
}

export function authorName(author) {
  return author?.name || "Former member";
}

export function typingLine(names) {
  if (names.length === 0) return "";
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return "Several people are typing…";
}

export function announcement(msgs) {
  if (msgs.length === 1) return `${authorName(msgs[0].author)}: ${preview(msgs[0].text)}`;
  return `${msgs.length} new messages`;
}

// A server message ("you are muted …") as a sentence: capital first letter, one full stop.
export function sentence(message) {
  const s = String(message ?? "").trim().replace(/[.!]+$/, "");
  return s ? s[0].toUpperCase() + s.slice(1) + "." : "";
}

// What to say in #composer-status when a send fails, by error code (protocol.md §8).
export function sendErrorText(code, message) {
  switch (code) {
    case "rate_limited":
      return "You are sending a little quickly. Wait a moment, then choose Retry.";
    case "text_too_long":
      return "That message is longer than 4,000 characters. Choose Retry to put it back in the message box and shorten it.";
    case "empty_text":
      return "That message was empty, so it was not sent.";
    case "lurking":
      return "You are lurking in this group, so the message was not sent. Choose Stop lurking, then Retry.";
    case "store_unavailable":
      return "Your message could not be saved just now. Choose Retry in a little while.";
    case "muted":
    case "forbidden":
    case "not_found":
      return `Your message was not sent. ${sentence(message)}`.trim();
    default:
      return `Your message was not sent. ${sentence(message)} Choose Retry to try again.`.replace(/\s+/g, " ");
  }
}

// Short waits are not spelled out: the status is a live region, and a new
// text for every quick attempt would be read out each time.
export function reconnectText(delayMs) {
  const s = Math.round(delayMs / 1000);
  if (s < 5) return "Reconnecting…";
  return `Reconnecting… next try in ${s} second${s === 1 ? "" : "s"}.`;
}
