// Screens of the field app, drawn from the local copy; every action goes to the outbox first.
import * as db from "./db.js";
import * as sync from "./sync.js";
import { t } from "./i18n.js";
import { downscale, signaturePad } from "./media.js";

const MOVES = {
  planned: ["en_route", "on_site", "failed"],
  en_route: ["on_site", "failed"],
  on_site: ["done", "failed"],
};
const MOVE_LABEL = { en_route: "goEnRoute", on_site: "goOnSite", done: "goDone", failed: "goFailed" };

export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key === "class") node.className = value;
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// Today in the service center's time zone (visit days are the center's days).
function centerDay(timeZone) {
  try {
    return new Intl.DateTimeFormat("en-CA", { timeZone: timeZone || undefined }).format(new Date());
  } catch (error) {
    return new Intl.DateTimeFormat("en-CA").format(new Date());
  }
}

function time(iso) {
  return iso ? new Date(iso).toLocaleString(document.documentElement.lang, {
    day: "2-digit", month: "2-digit", hour: "2-digit", minute: "2-digit" }) : "";
}

function distanceKm(from, visit) {
  if (!from || visit.latitude == null) return null;
  const rad = (x) => (x * Math.PI) / 180;
  const dLat = rad(visit.latitude - from.latitude);
  const dLon = rad(visit.longitude - from.longitude);
  const a = Math.sin(dLat / 2) ** 2 +
    Math.cos(rad(from.latitude)) * Math.cos(rad(visit.latitude)) * Math.sin(dLon / 2) ** 2;
  return 6371 * 2 * Math.asin(Math.sqrt(a));
}

export async function position() {
  if (!navigator.geolocation) return null;
  const found = await Promise.race([
    new Promise((resolve) => navigator.geolocation.getCurrentPosition(
      (p) => resolve({ latitude: p.coords.latitude, longitude: p.coords.longitude }),
      () => resolve(null), { timeout: 2000, maximumAge: 60000 })),
    new Promise((resolve) => setTimeout(() => resolve(null), 2500)),
  ]);
  if (found) await db.setMeta("position", found);
  return found;
}

// Distances need a position: ask for one only where the master already allowed it.
async function refreshPosition(view) {
  const permission = await navigator.permissions?.query({ name: "geolocation" }).catch(() => null);
  if (permission?.state === "granted" && (await position())) today(view);
}

export async function today(view) {
  const day = centerDay(await db.meta("timezone"));
  const visits = (await db.all("visits")).filter((v) => v.day === day)
    .sort((a, b) => a.sequence - b.sequence || (a.planned_start || "").localeCompare(b.planned_start || ""));
  const orders = new Map((await db.all("orders")).map((o) => [o.id, o]));
  const here = await db.meta("position");
  if (!here) refreshPosition(view);
  const me = await db.meta("me");
  view.replaceChildren(
    h("h1", {}, t("today"), me ? h("small", { class: "muted" }, ` · ${me.full_name}`) : null),
    visits.length ? h("ol", { class: "visits", "data-testid": "visits" }, visits.map((visit) => {
      const order = orders.get(visit.order_id) || {};
      const km = distanceKm(here, visit);
      return h("li", {},
        h("a", { class: `visit status-${visit.status}`, href: `#/visit/${visit.id}`, "data-testid": "visit" },
          h("span", { class: "window" }, visit.window_start ? `${visit.window_start}–${visit.window_end || ""}` : "—"),
          h("span", { class: "badge" }, t(visit.status)),
          h("strong", {}, `${order.number || ""} · ${order.client?.name || ""}`),
          h("span", { class: "address" }, visit.address),
          km !== null ? h("span", { class: "muted" }, `${km.toFixed(1)} ${t("km")}`) : null,
          order.device ? h("span", { class: "muted" }, order.device.title) : null));
    })) : h("p", { class: "empty" }, t("noVisits")),
  );
}

function section(title, ...children) {
  return h("section", { class: "card" }, h("h2", {}, title), ...children);
}

function field(label, control) {
  return h("label", { class: "field" }, h("span", {}, label), control);
}

function mapLinks(visit) {
  const q = encodeURIComponent(visit.address);
  const links = [];
  if (visit.latitude != null) {
    const ll = `${visit.latitude},${visit.longitude}`;
    links.push(h("a", { class: "btn", href: `geo:${ll}?q=${ll}` }, t("route")));
    links.push(h("a", { class: "btn", href: `https://yandex.ru/maps/?rtext=~${ll}&rtt=auto` }, "Яндекс"));
    links.push(h("a", { class: "btn", href: `https://www.google.com/maps/dir/?api=1&destination=${ll}` }, "Google"));
  } else {
    links.push(h("a", { class: "btn", href: `geo:0,0?q=${q}` }, t("route")));
    links.push(h("a", { class: "btn", href: `https://yandex.ru/maps/?text=${q}` }, "Яндекс"));
  }
  return h("div", { class: "row" }, links);
}

export async function visitCard(view, id, rerender) {
  const visit = await db.get("visits", id);
  if (!visit) {
    view.replaceChildren(h("p", { class: "empty" }, t("notFound")), h("a", { href: "#/" }, t("back")));
    return;
  }
  const order = (await db.get("orders", visit.order_id)) || { id: visit.order_id, lines: [], timeline: [] };
  const client = order.client ? await db.get("clients", order.client.id) : null;
  const prices = await db.all("price_items");
  const outbox = (await db.all("outbox")).filter((m) =>
    m.entity_id === order.id || (m.kind === "visit.status" && m.entity_id === visit.id));
  const files = (await db.all("files")).filter((f) => f.order_id === order.id);
  const done = () => rerender();

  const moves = (MOVES[visit.status] || []).map((status) => {
    const reason = status === "failed" ? h("input", { name: "reason", placeholder: t("reason") }) : null;
    const button = h("button", { class: `btn ${status === "failed" ? "danger" : "primary"}`, type: "button",
      "data-move": status,
      onclick: async () => {
        if (reason && !reason.value.trim()) { reason.focus(); reason.classList.add("invalid"); return; }
        const where = await position();
        const change = { status, ...(reason ? { reason: reason.value.trim() } : {}), ...(where || {}) };
        await sync.enqueue("visit.status", visit.id, change, { baseVersion: visit.version,
          local: (s) => s.visits.put({ ...visit, status, status_at: new Date().toISOString() }) });
        done();
      } }, t(MOVE_LABEL[status]));
    return reason ? h("div", { class: "row" }, reason, button) : button;
  });

  const fault = h("textarea", { name: "declared_fault", rows: 2 }, order.declared_fault || "");
  const statusSelect = h("select", { name: "order_status" }, h("option", { value: "" }, t("choose")),
    (order.next_statuses || []).map((s) => h("option", { value: s.code }, s.name)));
  const search = h("input", { type: "search", name: "price_search", placeholder: t("search") });
  const qty = h("input", { type: "number", name: "quantity", value: "1", min: "0.001", step: "any", inputmode: "decimal" });
  const choices = h("ul", { class: "choices" });
  const drawChoices = () => {
    const words = search.value.trim().toLowerCase();
    const found = prices.filter((p) => !words || `${p.code} ${p.name}`.toLowerCase().includes(words)).slice(0, 8);
    choices.replaceChildren(...found.map((item) => h("li", {}, h("button", { type: "button", class: "choice",
      "data-price": item.id,
      onclick: async () => {
        const quantity = qty.value || "1";
        const line = { id: `local-${Date.now()}`, kind: item.kind, name: item.name, quantity,
          unit_price: item.price, total: (Number(item.price) * Number(quantity)).toFixed(2), pending: true };
        await sync.enqueue("order.line", order.id, { price_item_id: item.id, quantity }, {
          local: (s) => s.orders.put({ ...order, lines: [...(order.lines || []), line] }) });
        done();
      } }, `${item.name} — ${item.price} ₽`))));
  };
  search.addEventListener("input", drawChoices);
  drawChoices();

  const comment = h("textarea", { name: "comment", rows: 2 });
  const amount = h("input", { name: "amount", inputmode: "decimal", placeholder: "0.00" });
  const method = h("select", { name: "method" }, ["cash", "card", "transfer"].map((m) => h("option", { value: m }, t(m))));
  const photo = h("input", { type: "file", name: "photo", accept: "image/*", capture: "environment" });
  const caption = h("input", { name: "caption", placeholder: t("caption") });
  const canvas = h("canvas", { class: "signature", "data-testid": "signature" });
  const signer = h("input", { name: "signer", placeholder: t("signer"), value: client?.name || "" });

  view.replaceChildren(
    h("a", { href: "#/", class: "back" }, t("back")),
    h("h1", {}, `${order.number || ""} · ${t(visit.status)}`),
    section(order.client?.name || "",
      visit.window_start ? h("p", {}, `${visit.day} ${visit.window_start}–${visit.window_end || ""}`) : null,
      h("p", { class: "address" }, visit.address),
      mapLinks(visit),
      h("div", { class: "row" }, (client?.phones || []).map((p) =>
        h("a", { class: "btn", href: `tel:${p.number}` }, `${t("call")} ${p.number}`))),
      visit.comment ? h("p", { class: "note" }, visit.comment) : null),
    section(t("visit"), h("div", { class: "actions" }, moves),
      visit.fail_reason ? h("p", {}, visit.fail_reason) : null),
    section(t("device"),
      h("p", {}, order.device ? `${order.device.title} ${order.device.serial || ""}` : "—"),
      field(t("fault"), fault),
      h("button", { class: "btn", type: "button", "data-action": "save-fault", onclick: async () => {
        const value = fault.value.trim();
        if (value === (order.declared_fault || "")) return;
        await sync.enqueue("order.fields", order.id, { declared_fault: value }, {
          base: { declared_fault: order.declared_fault || "" }, baseVersion: order.version,
          local: (s) => s.orders.put({ ...order, declared_fault: value }) });
        done();
      } }, t("save"))),
    section(t("orderStatus"), h("p", {}, order.status?.name || ""), statusSelect,
      h("button", { class: "btn", type: "button", "data-action": "order-status", onclick: async () => {
        const code = statusSelect.value;
        if (!code) return;
        const chosen = order.next_statuses.find((s) => s.code === code);
        await sync.enqueue("order.status", order.id, { status: code }, { baseVersion: order.version,
          local: (s) => s.orders.put({ ...order, status: { ...order.status, ...chosen }, next_statuses: [] }) });
        done();
      } }, t("save"))),
    section(t("lines"),
      h("ul", { class: "lines", "data-testid": "lines" }, (order.lines || []).map((l) =>
        h("li", { class: l.pending ? "pending" : "" }, `${l.name} × ${l.quantity} = ${l.total} ₽`))),
      h("p", {}, `${t("total")}: ${order.total ?? "—"} ₽ · ${t("due")}: ${order.amount_due ?? "—"} ₽`),
      h("h3", {}, t("addLine")), h("div", { class: "row" }, search, qty), choices),
    section(t("photo"), photo, caption,
      h("button", { class: "btn", type: "button", "data-action": "save-photo", onclick: async () => {
        if (!photo.files.length) return;
        const blob = await downscale(photo.files[0]);
        await sync.enqueueFile(order.id, "photo", blob, { caption: caption.value.trim() });
        done();
      } }, t("save"))),
    section(t("signature"), canvas, signer,
      h("div", { class: "row" },
        h("button", { class: "btn", type: "button", onclick: () => pad.clear() }, t("clear")),
        h("button", { class: "btn primary", type: "button", "data-action": "save-signature", onclick: async () => {
          if (pad.isEmpty()) return;
          if (!signer.value.trim()) { signer.classList.add("invalid"); signer.focus(); return; }
          await sync.enqueueFile(order.id, "signature", await pad.toBlob(), { signer: signer.value.trim() });
          done();
        } }, t("save")))),
    section(t("payment"), h("div", { class: "row" }, amount, method),
      h("button", { class: "btn", type: "button", "data-action": "save-payment", onclick: async () => {
        const value = amount.value.replace(",", ".").trim();
        if (!/^\d+(\.\d{1,2})?$/.test(value) || Number(value) <= 0) { amount.classList.add("invalid"); return; }
        await sync.enqueue("order.payment", order.id, { amount: value, method: method.value });
        done();
      } }, t("save"))),
    section(t("comment"), comment,
      h("button", { class: "btn", type: "button", "data-action": "save-comment", onclick: async () => {
        const text = comment.value.trim();
        if (!text) return;
        await sync.enqueue("order.comment", order.id, { text });
        done();
      } }, t("send"))),
    section(t("timeline"), h("ul", { class: "timeline", "data-testid": "timeline" },
      outbox.map((m) => h("li", { class: `pending state-${m.state}`, "data-testid": "pending" },
        `${t("pending")}: ${m.kind}`, m.reason ? h("div", { class: "error" }, m.reason) : null)),
      files.map((f) => h("li", { class: "pending", "data-testid": "pending" }, `${t("pending")}: ${t(f.kind)}`)),
      (order.timeline || []).map((e) => h("li", {},
        h("div", { class: "muted" }, `${time(e.at)} · ${e.author || ""} · ${e.title || e.kind}`),
        e.text ? h("div", {}, e.text) : null, e.summary ? h("div", {}, e.summary) : null)))),
    section(t("history"), h("ul", {}, (client?.history || []).map((o) =>
      h("li", {}, `${o.number} · ${time(o.created_at)} · ${o.status_name} · ${o.declared_fault}`,
        (o.visits || []).map((v) => h("div", { class: "muted" },
          `${t("visit")} ${v.day} · ${v.master || ""} · ${t(v.status)}${v.fail_reason ? `: ${v.fail_reason}` : ""}`)))))),
  );
  const pad = signaturePad(canvas);
}

export async function problems(view) {
  const state = await sync.status();
  view.replaceChildren(
    h("a", { href: "#/", class: "back" }, t("back")),
    h("h1", {}, t("problems")),
    state.lastError ? h("p", { class: "error" }, state.lastError) : null,
    state.problems.length ? h("ul", { class: "problems", "data-testid": "problems" }, state.problems.map((p) =>
      h("li", { class: `card state-${p.state}`, "data-testid": "problem" },
        h("strong", {}, p.kind), h("p", {}, p.reason || ""),
        p.conflicts ? h("dl", {}, Object.entries(p.conflicts).map(([name, c]) => [
          h("dt", {}, name), h("dd", {}, `${t("mine")}: ${c.mine}`), h("dd", { "data-testid": "server-value" }, `${t("server")}: ${c.server}`)])) : null,
        h("div", { class: "row" },
          p.conflicts ? h("button", { class: "btn primary", type: "button", onclick: async () => { await sync.insist(p); problems(view); } }, t("apply")) : null,
          h("button", { class: "btn danger", type: "button", onclick: async () => { await sync.discard(p); problems(view); } }, t("discard")))))) :
      h("p", { class: "empty" }, t("noProblems")),
  );
}
