// The field app: routes, the sync indicator, the service worker and its update prompt.
import * as sync from "./sync.js";
import { t } from "./i18n.js";
import { problems, today, visitCard } from "./views.js";

const view = document.getElementById("view");

async function route() {
  const [, name, id] = location.hash.split("/");
  if (name === "visit") await visitCard(view, Number(id), route);
  else if (name === "problems") await problems(view);
  else await today(view);
}

function showSync(state) {
  const button = document.getElementById("sync");
  button.dataset.online = state.online ? "yes" : "no";
  button.dataset.waiting = String(state.waiting);
  button.dataset.problems = String(state.problems.length);
  button.dataset.lastSync = state.lastSync || "";
  const last = state.lastSync ? new Date(state.lastSync).toLocaleTimeString(document.documentElement.lang,
    { hour: "2-digit", minute: "2-digit" }) : t("never");
  const parts = [state.online ? t("online") : t("offline")];
  if (state.waiting) parts.push(`${state.waiting} ${t("waiting")}`);
  if (state.problems.length) parts.push(`${t("problems")}: ${state.problems.length}`);
  parts.push(`${t("lastSync")} ${last}`);
  document.getElementById("sync-text").textContent = parts.join(" · ");
  // The session ended (logout elsewhere, password change, deactivation): nothing is lost,
  // the outbox waits; the master logs in again and it goes.
  const login = document.getElementById("login-again");
  login.hidden = !(state.lastError === sync.LOGIN_NEEDED && state.online);
  login.textContent = t("loginAgain");
}

let lastSync = null;
sync.onChange((state) => {
  showSync(state);
  const [, name] = location.hash.split("/");
  // Fresh data from the server redraws lists; a card being filled in is left alone.
  if (state.lastSync !== lastSync && name !== "visit") route();
  lastSync = state.lastSync;
});

document.getElementById("sync").addEventListener("click", () => {
  location.hash = "#/problems";
  sync.flush();
});

function offerUpdate(worker) {
  const banner = document.getElementById("update");
  document.getElementById("update-text").textContent = t("update");
  const button = document.getElementById("update-reload");
  button.textContent = t("reload");
  button.onclick = () => worker.postMessage("SKIP_WAITING");
  banner.hidden = false;
}

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
  let reloading = false;
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (reloading || !window.__servioUpdating) return;
    reloading = true;
    location.reload();
  });
  document.getElementById("update-reload").addEventListener("click", () => { window.__servioUpdating = true; });
}

window.addEventListener("hashchange", route);
route();
registerWorker().catch((error) => console.warn("service worker", error));
sync.start();
