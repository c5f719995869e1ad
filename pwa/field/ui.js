// Small building blocks of the screens: elements, formats in the center's zone, labels.
import { dateStyle, fieldName, lang, paymentMethod, t, visitStatus } from "./i18n.js";

// The center's time zone (set from the last pull): visit days and times are the center's.
export const center = { timeZone: undefined };

export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key === "class") node.className = value;
    // CSSOM, not a style attribute: the CSP allows no inline styles.
    else if (key === "style") for (const [k, v] of Object.entries(value)) node.style.setProperty(k, v);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// Each route draws into a screen of its own. The newest route's screen takes the view at its
// first fill; an older draw finishing later (a sync's redraw of Today still reading when the
// master tapped another day) fills a screen nobody sees instead of covering the newer one.
const shown = { view: null, screen: null };

export function newScreen(view) {
  shown.view = view;
  shown.screen = document.createElement("div");
  shown.screen.className = "screen";
  return shown.screen;
}

// Replace the children of `node`; nulls and false are skipped, arrays flattened.
export function fill(node, ...children) {
  node.replaceChildren(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
  if (node === shown.screen && !node.isConnected) shown.view.replaceChildren(node);
}

function format(options, value) {
  try {
    return new Intl.DateTimeFormat(lang(), { timeZone: center.timeZone, ...options }).format(value);
  } catch {
    return new Intl.DateTimeFormat(lang(), options).format(value);
  }
}

// A moment's day and time in the center's zone and the employee's language, as the server's
// pages show them: 02.12.2026 14:05 / Dec 2, 2026 2:05 PM.
export function date(value) {
  return format({ dateStyle: dateStyle() }, value);
}

export function time(value) {
  return format({ timeStyle: "short" }, value);
}

// A calendar day (YYYY-MM-DD, no zone) the same way: 02.12.2026 / Dec 2, 2026.
export function dayDate(day) {
  const [y, m, d] = day.split("-").map(Number);
  return new Intl.DateTimeFormat(lang(), { dateStyle: dateStyle(), timeZone: "UTC" }).format(new Date(Date.UTC(y, m - 1, d)));
}

// Today in the center's zone, as YYYY-MM-DD.
export function centerDay(offsetDays = 0) {
  const when = new Date(Date.now() + offsetDays * 86400000);
  try {
    return new Intl.DateTimeFormat("en-CA", { timeZone: center.timeZone }).format(when);
  } catch {
    return new Intl.DateTimeFormat("en-CA").format(when);
  }
}

export function dateTime(iso) {
  return iso ? `${date(new Date(iso))} ${time(new Date(iso))}` : "";
}

export function clock(iso) {
  return iso ? time(new Date(iso)) : "";
}

// A visit day (YYYY-MM-DD) as words: today, tomorrow, or the date.
export function dayName(day) {
  if (day === centerDay()) return t("Today");
  if (day === centerDay(1)) return t("Tomorrow");
  if (day === centerDay(-1)) return t("Yesterday");
  const [y, m, d] = day.split("-").map(Number);
  return new Intl.DateTimeFormat(lang(), { weekday: "short", day: "numeric", month: "short", timeZone: "UTC" })
    .format(new Date(Date.UTC(y, m - 1, d)));
}

export function money(value) {
  if (value === null || value === undefined || value === "") return "—";
  return `${Number(value).toLocaleString(lang(), { minimumFractionDigits: 2, maximumFractionDigits: 2 })}\u00a0₽`;
}

export function section(title, ...children) {
  return h("section", { class: "card" }, title ? h("h2", {}, title) : null, ...children);
}

export function field(label, control) {
  return h("label", { class: "field" }, h("span", {}, label), control);
}

// Move to another screen of the app. Action screens opened from a card remember it, so that
// saving goes back to the very card entry (the phone's back button then leaves the card).
export function go(href, { replace = false, card = null } = {}) {
  const state = card === null ? null : { card };
  if (replace) history.replaceState(state, "", href);
  else history.pushState(state, "", href);
  window.dispatchEvent(new HashChangeEvent("hashchange"));
}

// Back to the card of visit `id`: to its history entry when we came from it.
export function backToCard(id) {
  if (history.state?.card === id) history.back();
  else location.replace(`#/visit/${id}`);
}

// The bar at the bottom of the screen, where the thumb is.
export function bottomBar(...buttons) {
  return h("nav", { class: "bottom-bar" }, ...buttons);
}

export function back(href, label) {
  return h("a", { href, class: "back", "data-testid": "back" }, `← ${label}`);
}

// The way back from an action screen to its card (the same history entry, not a new one).
export function cardLink(visitId, label, attrs = {}) {
  return h("a", { href: `#/visit/${visitId}`, class: "back", "data-testid": "back", ...attrs,
    onclick: (event) => {
      event.preventDefault();
      backToCard(visitId);
    } }, label);
}

export function statusBadge(status) {
  return h("span", { class: `badge visit-${status}` }, visitStatus(status));
}

// The screen of one action: back to the card, a title, the form, the save button at the bottom.
export function actionScreen(view, ctx, title, body, action, label, save) {
  const button = h("button", { class: "btn primary grow", type: "button", "data-action": action }, label);
  const error = h("p", { class: "error", role: "alert" });
  button.addEventListener("click", async () => {
    button.disabled = true;
    error.textContent = "";
    try {
      const problem = await save();
      if (problem) error.textContent = problem;
      else ctx.done();
    } finally {
      button.disabled = false;
    }
  });
  fill(view, cardLink(ctx.visit.id, `← ${ctx.order.number || t("Back")}`), h("h1", {}, title),
    ...body, error, bottomBar(button));
}

// What a waiting or refused change is, in words for the master.
export function describe(item) {
  const c = item.change || {};
  const note = item.note || {};
  switch (item.kind) {
    case "visit.status":
      return `${t("Visit")}: ${visitStatus(c.status)}${c.reason ? ` — ${c.reason}` : ""}`;
    case "order.status":
      return `${t("Order status")}: ${note.status?.name || c.status}`;
    case "order.fields":
      return Object.entries(c).map(([name, value]) => `${fieldName(name)}: ${value}`).join("; ");
    case "order.line":
      return `${t("Line")}: ${note.name || c.price_item_id} × ${c.quantity}`;
    case "order.comment":
      return `${t("Comment")}: ${c.text}`;
    case "order.payment":
      return `${t("Payment on site")}: ${money(c.amount)} (${paymentMethod(c.method)})`;
    case "photo":
      return `${t("Photo")}${item.caption ? `: ${item.caption}` : ""}`;
    case "signature":
      return `${t("Customer's signature")}${item.signer ? `: ${item.signer}` : ""}`;
    default:
      return item.kind;
  }
}

// A small picture of a photo or signature still on the phone.
export function thumbnail(blob) {
  const url = URL.createObjectURL(blob);
  const img = h("img", { class: "thumb", src: url, alt: "" });
  img.addEventListener("load", () => URL.revokeObjectURL(url), { once: true });
  return img;
}
