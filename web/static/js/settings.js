// Settings page: asks the browser for notification permission only when
// the member ticks the box (never on load), and says what the answer was.
const box = document.getElementById("notifications");
const status = document.getElementById("notifications-status");

function explain() {
  if (!box || !status) return;
  if (!("Notification" in window)) {
    status.textContent = box.checked ? "This browser cannot show notifications." : "";
  } else if (box.checked && Notification.permission === "denied") {
    status.textContent = "Notifications are blocked in your browser's site settings.";
  } else {
    status.textContent = "";
  }
}

box?.addEventListener("change", async () => {
  if (box.checked && "Notification" in window && Notification.permission === "default") {
    await Notification.requestPermission();
  }
  explain();
});
explain();
