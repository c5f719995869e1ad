// The sync page: is the server reachable, what waits, and what the server refused or flagged,
// each with a conscious way out: send mine again, or give the change up.
import { changeState, fieldName, t } from "../i18n.js";
import * as outbox from "../outbox.js";
import * as sync from "../sync.js";
import { bottomBar, dateTime, describe, fill, h, thumbnail } from "../ui.js";

const ARMED_FOR = 5000;
// The first taps of two-tap buttons, by button and item, so that the page redrawn by a sync
// between the two taps (fresh data redraws what is shown) does not forget the first one.
const armed = new Map();

// A button that acts on the second tap only (the first one asks).
function twoTap(label, confirm, classes, act, testid, key) {
  const id = `${testid}:${key}`;
  const isArmed = () => (armed.get(id) || 0) > Date.now();
  const button = h("button", { class: classes, type: "button", "data-action": testid },
    isArmed() ? confirm : label);
  button.addEventListener("click", async () => {
    if (!isArmed()) {
      armed.set(id, Date.now() + ARMED_FOR);
      button.textContent = confirm;
      setTimeout(() => { if (!isArmed()) button.textContent = label; }, ARMED_FOR + 50);
      return;
    }
    armed.delete(id);
    button.disabled = true;
    await act();
  });
  return button;
}

function conflicts(item) {
  if (!item.conflicts) return null;
  return h("dl", { class: "conflicts" }, Object.entries(item.conflicts).map(([name, c]) => [
    h("dt", {}, fieldName(name)),
    h("dd", { "data-testid": "mine-value" }, h("span", { class: "muted" }, `${t("mine")}: `), String(c.mine ?? "")),
    h("dd", { "data-testid": "server-value" }, h("span", { class: "muted" }, `${t("server")}: `), String(c.server ?? "")),
  ]));
}

function problem(item, redraw) {
  const where = item.note?.number ? `${item.note.number} · ` : "";
  const again = item.state === "held" ? null :
    h("button", { class: "btn primary", type: "button", "data-action": "insist", onclick: async () => {
      await outbox.insist(item);
      redraw();
    } }, item.state === "conflict" ? t("Send mine again") : t("Send again"));
  return h("li", { class: `card problem state-${item.state}`, "data-testid": "problem", "data-state": item.state },
    item.blob ? thumbnail(item.blob) : null,
    h("div", { class: "muted" }, `${where}${dateTime(item.at)} · ${changeState(item.state)}`),
    h("strong", {}, describe(item)),
    h("p", { class: "reason" }, item.state === "held" ? t("Another employee made this change on this phone: it goes when they log in again") : item.reason || ""),
    conflicts(item),
    h("div", { class: "row" }, again,
      twoTap(t("Give up"), t("Really give it up? Tap again"), "btn danger", async () => {
        await outbox.discard(item);
        redraw();
      }, "discard", item.blob ? `file:${item.id}` : `seq:${item.seq}`)));
}

function errorText(error) {
  if (!error) return null;
  if (error.kind === sync.LOGIN_NEEDED) return t("Your session has ended — log in again; changes are kept on the phone");
  if (error.kind === "offline") return t("The server cannot be reached — changes are kept on the phone");
  return `${t("The server said")}: ${error.message}`;
}

export async function problems(view) {
  const state = await sync.status();
  const { waiting } = await outbox.snapshot(state.me?.id ?? null);
  const redraw = () => problems(view);
  const now = h("button", { class: "btn primary grow", type: "button", "data-action": "sync-now",
    onclick: async () => { now.disabled = true; await sync.flush(); redraw(); } }, t("Sync now"));
  fill(view,
    h("h1", {}, t("Sync")),
    h("section", { class: "card sync-state" },
      h("p", {}, h("strong", {}, state.online ? t("online") : t("no connection"))),
      h("p", {}, `${t("Last sync")}: ${state.lastSync ? dateTime(state.lastSync) : t("never")}`),
      h("p", {}, `${t("Waiting to be sent")}: ${state.waiting}`),
      errorText(state.lastError) ? h("p", { class: "error" }, errorText(state.lastError)) : null,
      state.lastError?.kind === sync.LOGIN_NEEDED ?
        h("a", { class: "btn", href: "/login?next=/field" }, t("Log in")) : null),
    h("h2", {}, t("Problems")),
    state.problems.length ?
      h("ul", { class: "problems", "data-testid": "problems" }, state.problems.map((p) => problem(p, redraw))) :
      h("p", { class: "empty" }, t("No problems")),
    waiting.length ? [h("h2", {}, t("Waiting to be sent")), h("ul", { class: "timeline", "data-testid": "waiting" },
      waiting.map((w) => h("li", { class: "waiting" }, h("div", { class: "muted" }, dateTime(w.at)), describe(w))))] : null,
    bottomBar(h("a", { class: "btn grow", href: "#/" }, t("Visits")), now),
  );
}
