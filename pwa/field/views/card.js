// The order card of a visit: who, where, what, the work so far; actions at the bottom.
import * as db from "../db.js";
import { changeState, t, visitMove, visitStatus } from "../i18n.js";
import * as outbox from "../outbox.js";
import { mapLinks } from "../place.js";
import {
  back, bottomBar, dateTime, dayDate, dayName, describe, fill, go, h, money, section, statusBadge, thumbnail,
} from "../ui.js";
import { move, NEXT_MOVE } from "./moves.js";

// +79161234567 as +7 916 123-45-67; other numbers as they are.
function phone(number) {
  const m = /^\+7(\d{3})(\d{3})(\d{2})(\d{2})$/.exec(number || "");
  return m ? `+7 ${m[1]} ${m[2]}-${m[3]}-${m[4]}` : number;
}

function clientSection(visit, client, order) {
  const address = (client?.addresses || []).find((a) => a.address === visit.address);
  const phones = client?.phones || [];
  return section(null,
    h("p", { class: "client-name" }, h("strong", {}, order.client?.name || client?.name || "—")),
    h("p", { class: "when" }, `${dayName(visit.day)}, `,
      visit.window_start ? `${visit.window_start}–${visit.window_end || ""}` : t("no time agreed")),
    h("p", { class: "address", "data-testid": "address" }, visit.address || "—"),
    address?.comment ? h("p", { class: "muted" }, address.comment) : null,
    visit.comment ? h("p", { class: "note" }, visit.comment) : null,
    phones.length ? h("div", { class: "row" }, phones.map((p) =>
      h("a", { class: "btn call", href: `tel:${p.number}`, "data-testid": "call" },
        h("span", {}, `${t("Call")} ${phone(p.number)}`),
        p.contact_name ? h("small", { class: "muted" }, p.contact_name) : null))) : null,
    mapLinks(visit));
}

function warranty(device) {
  if (!device?.warranty_until) return null;
  const until = dayDate(device.warranty_until);
  const valid = device.warranty_until >= new Date().toISOString().slice(0, 10);
  return h("p", { class: valid ? "ok" : "muted" }, valid ? t("Under warranty until {date}", { date: until }) : t("Warranty ended {date}", { date: until }));
}

function deviceSection(visit, order, device) {
  const status = order.status || {};
  return section(t("Order"),
    h("p", {}, h("span", { class: "order-status", style: status.color ? { "--status": status.color } : null },
      status.name || ""),
      order.type ? h("span", { class: "muted" }, ` · ${order.type.name}`) : null),
    h("p", { class: "device" }, h("strong", {}, order.device?.title || "—"),
      order.device?.serial ? h("span", { class: "muted" }, ` · S/N ${order.device.serial}`) : null),
    warranty(device),
    device?.notes ? h("p", { class: "muted" }, device.notes) : null,
    h("div", { class: "fault" },
      h("span", { class: "label" }, t("Fault")),
      h("p", { "data-testid": "fault" }, order.declared_fault || "—"),
      h("a", { class: "btn small", href: `#/visit/${visit.id}/fault`, "data-action": "edit-fault",
        onclick: (event) => {
          event.preventDefault();
          go(`#/visit/${visit.id}/fault`, { card: visit.id });
        } }, t("Change"))));
}

function linesSection(order) {
  const lines = order.lines || [];
  return section(t("Work and parts"),
    h("ul", { class: "lines", "data-testid": "lines" }, lines.map((l) =>
      h("li", { class: l.pending ? "pending" : "" },
        h("span", {}, l.name, l.pending ? h("small", {}, ` · ${t("waiting to be sent")}`) : null), h("span", { class: "num" }, `${Number(l.quantity)} × ${money(l.unit_price)}`)))),
    lines.length ? null : h("p", { class: "muted" }, t("No lines yet")),
    h("dl", { class: "totals" },
      h("dt", {}, t("Total")), h("dd", {}, money(order.total)),
      h("dt", {}, t("Paid")), h("dd", {}, money(order.paid)),
      h("dt", {}, t("Due")), h("dd", { "data-testid": "due" }, money(order.amount_due))));
}

function waitingItem(item) {
  const blob = item.blob ? thumbnail(item.blob) : null;
  const state = changeState(item.state);
  return h("li", { class: `waiting state-${item.state}`, "data-testid": "pending" },
    blob, h("div", {}, h("div", { class: "muted" }, `${dateTime(item.at)} · ${state}`), describe(item),
      item.reason ? h("div", { class: "error" }, item.reason) : null));
}

function timelineSection(order, waiting) {
  return section(t("Order timeline"), h("ul", { class: "timeline", "data-testid": "timeline" },
    waiting.map(waitingItem),
    (order.timeline || []).map((e) => h("li", {},
      h("div", { class: "muted" }, [dateTime(e.at), e.author, e.title || e.kind].filter(Boolean).join(" · ")),
      e.text ? h("div", {}, e.text) : null,
      e.summary ? h("div", { class: "summary" }, e.summary) : null))));
}

function historyItem(o) {
  return h("li", {},
    h("div", {}, h("strong", {}, o.number), ` · ${dateTime(o.created_at)} · ${o.status_name || ""}`),
    o.declared_fault ? h("div", {}, o.declared_fault) : null,
    (o.visits || []).map((v) => h("div", { class: "muted" },
      `${t("Visit")} ${dayDate(v.day)} · ${v.master || ""} · ${visitStatus(v.status)}${v.fail_reason ? `: ${v.fail_reason}` : ""}`)));
}

function historySection(order, client) {
  const others = (client?.history || []).filter((o) => o.id !== order.id);
  const ofDevice = others.filter((o) => order.device && o.device === order.device.id);
  const rest = others.filter((o) => !ofDevice.includes(o));
  if (!others.length) return null;
  return section(t("History"),
    ofDevice.length ? [h("h3", {}, t("This device before")), h("ul", { class: "history" }, ofDevice.map(historyItem))] : null,
    rest.length ? [h("h3", {}, t("Other orders of the client")), h("ul", { class: "history" }, rest.map(historyItem))] : null);
}

function primaryMove(visit, rerender) {
  const status = NEXT_MOVE[visit.status];
  if (!status) return null;
  const button = h("button", { class: "btn primary grow", type: "button", "data-move": status }, visitMove(status));
  let armed = false;
  button.addEventListener("click", async () => {
    // "Done" cannot be taken back by the master: the first tap asks, the second does it.
    if (status === "done" && !armed) {
      armed = true;
      button.textContent = t("Really done? Tap again");
      button.classList.add("armed");
      setTimeout(() => { armed = false; button.textContent = t("Mark as done"); button.classList.remove("armed"); }, 5000);
      return;
    }
    button.disabled = true;
    button.textContent = "…";
    await move(visit, status);
    rerender();
  });
  return button;
}

export async function card(view, visitId, rerender) {
  const visit = await db.get("visits", visitId);
  if (!visit) {
    fill(view, back("#/", t("Visits")), h("p", { class: "empty" }, t("This visit is not on the phone")));
    return;
  }
  const order = (await db.get("orders", visit.order_id)) || { id: visit.order_id, lines: [], timeline: [] };
  const client = order.client ? await db.get("clients", order.client.id) : null;
  const device = order.device ? await db.get("devices", order.device.id) : null;
  const waiting = await outbox.forOrder(order.id, visit.id);
  fill(view,
    back("#/", t("Visits")),
    h("div", { class: "card-head" }, h("h1", {}, order.number || `#${order.id}`), statusBadge(visit.status)),
    visit.fail_reason ? h("p", { class: "error" }, visit.fail_reason) : null,
    clientSection(visit, client, order),
    deviceSection(visit, order, device),
    linesSection(order),
    timelineSection(order, waiting),
    historySection(order, client),
    bottomBar(
      primaryMove(visit, rerender),
      h("a", { class: "btn grow", href: `#/visit/${visit.id}/actions`, "data-testid": "actions",
        onclick: (event) => {
          event.preventDefault();
          go(`#/visit/${visit.id}/actions`, { card: visit.id });
        } }, t("Actions"))),
  );
}
