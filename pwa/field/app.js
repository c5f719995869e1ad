// The field app: routes, the sync indicator, the service worker and its update prompt.
import * as db from "./db.js";
import { lang, setLanguage, t } from "./i18n.js";
import * as sync from "./sync.js";
import { center, clock, newScreen } from "./ui.js";
import { action } from "./views/actions.js";
import { card } from "./views/card.js";
import { problems } from "./views/problems.js";
import { schedule } from "./views/schedule.js";
import { today } from "./views/today.js";

const place = document.getElementById("view");

// #/  #/day/2026-11-24  #/visit/12  #/visit/12/photo  #/sync  #/schedule
function parse() {
  const [, name = "", id = "", sub = ""] = location.hash.split("/");
  return { name, id, sub };
}

async function route() {
  const { name, id, sub } = parse();
  const view = newScreen(place);
  if (name === "visit" && sub) await action(view, Number(id), sub);
  else if (name === "visit") await card(view, Number(id), route);
  else if (name === "sync" || name === "problems") await problems(view);
  else if (name === "schedule") await schedule(view);
  else await today(view, name === "day" ? id : null);
}

function showSync(state) {
  const button = document.getElementById("sync");
  button.dataset.online = state.online ? "yes" : "no";
  button.dataset.waiting = String(state.waiting);
  button.dataset.problems = String(state.problems.length);
  button.dataset.lastSync = state.lastSync || "";
  button.dataset.running = state.running ? "yes" : "no";
  const last = state.lastSync ? clock(state.lastSync) : t("never");
  const parts = [state.online ? t("online") : t("no connection")];
  if (state.waiting) parts.push(`${t("waiting")}: ${state.waiting}`);
  if (state.problems.length) parts.push(`⚠ ${state.problems.length}`);
  parts.push(last);
  document.getElementById("sync-text").textContent = parts.join(" · ");
  button.title = `${t("Last sync")}: ${last}`;
  button.setAttribute("aria-label", `${t("Sync")}: ${parts.join(", ")}`);
  // The session ended (logout elsewhere, password change): nothing is lost, the outbox
  // waits; the master logs in again and it goes.
  const login = document.getElementById("login-again");
  login.hidden = state.lastError?.kind !== sync.LOGIN_NEEDED;
  login.textContent = t("Your session has ended — log in again; changes are kept on the phone");
}

// The bell: the unread count of one's notifications, asked after each sync while online
// (the list itself is a page of the server: hidden offline).
let counted = "";
async function ring(state) {
  const bell = document.getElementById("bell");
  if (!state.online || !state.me) {
    bell.hidden = true;
    return;
  }
  if (counted === state.lastSync) return;
  counted = state.lastSync;
  try {
    const response = await fetch("/api/v1/notifications/unread", { credentials: "same-origin" });
    if (!response.ok) return;
    const { unread } = await response.json();
    bell.dataset.count = String(unread);
    bell.setAttribute("aria-label", `${t("Notifications")}: ${unread}`);
    document.getElementById("bell-count").textContent = unread ? String(unread) : "";
    bell.hidden = false;
  } catch {
    bell.hidden = true;
  }
}

let seen = "";
sync.onChange((state) => {
  ring(state);
  center.timeZone = state.timezone || undefined;
  if (state.me?.language && state.me.language !== lang()) {
    setLanguage(state.me.language);
    seen = "";
  }
  // Never logged in on this phone (or the copy was wiped): the login page, not an empty app.
  if (state.lastError?.kind === sync.LOGIN_NEEDED && !state.me && navigator.onLine) {
    location.assign("/login?next=/field");
    return;
  }
  showSync(state);
  // Fresh data or a settled change redraws what is shown; a form being filled in is left alone.
  const key = [state.lastSync, state.waiting, state.problems.length, state.me?.id].join("|");
  if (key !== seen && !parse().sub) route();
  seen = key;
});

document.getElementById("sync").addEventListener("click", () => {
  location.hash = "#/sync";
  sync.flush();
});

function offerUpdate(worker) {
  document.getElementById("update-text").textContent = t("A new version is available");
  const button = document.getElementById("update-reload");
  button.textContent = t("Reload");
  button.onclick = () => {
    reloadOnChange = true;
    worker.postMessage("SKIP_WAITING");
  };
  document.getElementById("update").hidden = false;
}

let reloadOnChange = false;

async function registerWorker() {
  if (!("serviceWorker" in navigator)) return;
  const registration = await navigator.serviceWorker.register("/sw.js", { scope: "/" });
  if (registration.waiting && navigator.serviceWorker.controller) offerUpdate(registration.waiting);
  registration.addEventListener("updatefound", () => {
    const worker = registration.installing;
    worker?.addEventListener("statechange", () => {
      if (worker.state === "installed" && navigator.serviceWorker.controller) offerUpdate(worker);
    });
  });
  // The new worker took over because the master asked: load the new shell.
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (!reloadOnChange) return;
    reloadOnChange = false;
    location.reload();
  });
}

async function main() {
  const me = await db.meta("me");
  setLanguage(me?.language || document.documentElement.lang);
  center.timeZone = (await db.meta("timezone")) || document.body.dataset.timezone || undefined;
  window.addEventListener("hashchange", route);
  await route();
  registerWorker().catch((error) => console.warn("service worker", error));
  sync.start();
}

main();
