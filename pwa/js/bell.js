// The bell in the top bar: the unread count, asked again every minute, when the page comes
// back into view and when a push arrives; on /notifications, turning push on and off.

const COUNT = document.querySelector("[data-unread]");
const EVERY = 60 * 1000;

function csrf() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

async function send(method, url, body) {
  const response = await fetch(url, {
    method, credentials: "same-origin",
    headers: { Accept: "application/json", "Content-Type": "application/json", "X-CSRFToken": csrf() },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error((await response.json().catch(() => ({}))).detail || `HTTP ${response.status}`);
  return response.status === 204 ? null : response.json();
}

async function recount() {
  if (!COUNT || document.hidden) return;
  try {
    const { unread } = await send("GET", "/api/v1/notifications/unread");
    COUNT.textContent = unread > 99 ? "99+" : String(unread);
    COUNT.hidden = unread === 0;
    COUNT.closest("a")?.setAttribute("data-count", String(unread));
  } catch {
    // offline or logged out: the count stays as it was
  }
}

if (COUNT) {
  recount();
  setInterval(recount, EVERY);
  document.addEventListener("visibilitychange", recount);
  navigator.serviceWorker?.addEventListener("message", (event) => {
    if (event.data?.type === "NOTIFIED") recount();
  });
}

function keyBytes(base64url) {
  const text = atob(base64url.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (base64url.length % 4)) % 4));
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

async function registration() {
  await navigator.serviceWorker.register("/sw.js", { scope: "/" });
  return navigator.serviceWorker.ready;
}

const PANEL = document.querySelector("[data-push]");

async function showPush() {
  const state = PANEL.querySelector("[data-push-state]");
  const on = PANEL.querySelector("[data-push-on]");
  const off = PANEL.querySelector("[data-push-off]");
  if (!("serviceWorker" in navigator) || !("PushManager" in window)) {
    state.textContent = PANEL.dataset.unsupported;
    on.hidden = off.hidden = true;
    return;
  }
  const current = await (await registration()).pushManager.getSubscription();
  const blocked = Notification.permission === "denied";
  state.textContent = blocked ? PANEL.dataset.blocked : current ? PANEL.dataset.enabled : PANEL.dataset.disabled;
  PANEL.dataset.subscribed = current ? "yes" : "no";
  on.hidden = Boolean(current) || blocked;
  off.hidden = !current;
}

async function turnOn() {
  const error = PANEL.querySelector("[data-push-error]");
  error.textContent = "";
  try {
    if ((await Notification.requestPermission()) !== "granted") throw new Error(PANEL.dataset.blocked);
    const { public_key: key } = await send("GET", "/api/v1/push/key");
    const reg = await registration();
    const subscription = await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(key) });
    await send("POST", "/api/v1/push/subscriptions", subscription.toJSON());
  } catch (problem) {
    error.textContent = problem.message || String(problem);
  }
  await showPush();
}

async function turnOff() {
  const subscription = await (await registration()).pushManager.getSubscription();
  if (subscription) {
    await send("DELETE", "/api/v1/push/subscriptions", { endpoint: subscription.endpoint }).catch(() => null);
    await subscription.unsubscribe();
  }
  await showPush();
}

if (PANEL) {
  PANEL.querySelector("[data-push-on]").addEventListener("click", turnOn);
  PANEL.querySelector("[data-push-off]").addEventListener("click", turnOff);
  showPush().catch((problem) => { PANEL.querySelector("[data-push-error]").textContent = problem.message; });
}
