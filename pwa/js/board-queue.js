// The queue: field orders waiting for a visit (and the day's visits with no master), with a
// search box and filters; each item is dragged onto a lane, or tapped and then a lane is.

import { dateStyle, priorityName, t } from "./board-i18n.js";
import { el } from "./board-dialog.js";
import { slaChip } from "./board-sla.js";

const PRIORITIES = ["urgent", "high", "normal", "low"];

function words(item) {
  return [item.number, item.client_name, item.address, item.declared_fault, ...(item.skills || [])]
    .join(" ").toLowerCase();
}

export function matches(item, filters, now) {
  if (filters.text && !words(item).includes(filters.text.toLowerCase())) return false;
  if (filters.priority && item.priority !== filters.priority) return false;
  if (filters.overdue && !(item.due_at && new Date(item.due_at) < now)) return false;
  if (filters.skill && !(item.skills || []).includes(filters.skill)) return false;
  return true;
}

// A moment as the server's pages show it: 02.12.2026 14:05 / Dec 2, 2026 2:05 PM, center's zone.
function dueText(iso, ctx) {
  const when = new Date(iso);
  const date = new Intl.DateTimeFormat(ctx.language, { dateStyle: dateStyle(), timeZone: ctx.zone }).format(when);
  const time = new Intl.DateTimeFormat(ctx.language, { timeStyle: "short", timeZone: ctx.zone }).format(when);
  return `${date} ${time}`;
}

function queueItem(item, ctx) {
  const overdue = item.due_at && new Date(item.due_at) < ctx.now;
  const selected = ctx.selected && ctx.selected.kind === "order" && ctx.selected.id === item.order_id;
  const node = el("li", {
    class: `queue-item priority-${item.priority}${selected ? " selected" : ""}`, "data-drag": "order",
    "data-order": item.order_id, "data-testid": "queue-item", "data-number": item.number, tabindex: "0",
    "aria-pressed": selected ? "true" : "false",
  },
  el("span", { class: "handle", "data-drag-handle": true, "aria-hidden": "true", text: "⠿" }),
  el("div", { class: "queue-body" },
    el("div", { class: "title" }, el("span", { text: item.number }), " · ", el("span", { text: item.client_name })),
    el("div", { class: "meta", text: item.address || "—" }),
    el("div", { class: "meta" },
      el("span", { class: `badge prio-${item.priority}`, text: priorityName(item.priority) }),
      slaChip(item.sla),
      item.due_at ? el("span", { class: `due${overdue ? " overdue" : ""}`, text: t("Due {date}", { date: dueText(item.due_at, ctx) }) }) : null,
      ...(item.skills || []).map((s) => el("span", { class: "skill", text: s }))),
    item.declared_fault ? el("div", { class: "meta fault", text: item.declared_fault }) : null,
    wish(item, ctx),
    proposal(item, ctx)),
  el("button", { type: "button", class: "btn small", "data-suggest": item.order_id, "data-testid": "suggest", text: t("Suggest") }));
  return node;
}

function dayText(isoDay, ctx) {
  return new Intl.DateTimeFormat(ctx.language, { dateStyle: dateStyle(), timeZone: "UTC" })
    .format(new Date(`${isoDay}T00:00:00Z`));
}

// The client's preferred day and time, as taken on intake.
function wish(item, ctx) {
  if (!item.visit_day && !item.visit_from && !item.visit_to) return null;
  const parts = [item.visit_day ? dayText(item.visit_day, ctx) : null,
    item.visit_from || item.visit_to ? `${item.visit_from || ""}–${item.visit_to || ""}` : null];
  return el("div", { class: "meta wish", "data-testid": "wish", text: t("The client asks for {when}", { when: parts.filter(Boolean).join(" ") }) });
}

// The master proposed on intake (order types with auto-assign), booked with one tap.
function proposal(item, ctx) {
  const p = item.proposal;
  if (!p) return null;
  if (!p.master_id) return el("div", { class: "meta proposal none", text: p.reason || t("No master could be proposed") });
  const when = `${dayText(p.day, ctx)} ${p.window_start || ""}–${p.window_end || ""}`;
  return el("div", { class: "meta proposal", "data-testid": "proposal" },
    el("span", { text: t("Proposed: {name}, {when} (+{km} km)", { name: p.full_name, when, km: p.extra_km }) }), " ",
    el("button", { type: "button", class: "btn small", "data-book-proposal": item.order_id, "data-testid": "book-proposal", text: t("Book") }));
}

function unassignedItem(item, ctx) {
  const v = item.visit;
  const selected = ctx.selected && ctx.selected.kind === "visit" && ctx.selected.id === v.id;
  return el("li", {
    class: `queue-item unassigned${selected ? " selected" : ""}`, "data-drag": "visit", "data-visit": v.id,
    "data-testid": "unassigned-item", tabindex: "0",
  },
  el("span", { class: "handle", "data-drag-handle": true, "aria-hidden": "true", text: "⠿" }),
  el("div", { class: "queue-body" },
    el("div", { class: "title", text: `${item.order_number} · ${item.client_name}` }),
    el("div", { class: "meta", text: v.address }),
    item.sla ? el("div", { class: "meta" }, slaChip(item.sla)) : null));
}

export function renderQueue(box, ctx) {
  const { board, filters } = ctx;
  let controls = box.querySelector(".queue-controls");
  if (!controls) {
    const search = el("input", { type: "search", class: "queue-search", placeholder: t("Number, client, address, fault"), "aria-label": t("Number, client, address, fault"), "data-testid": "queue-search" });
    const priority = el("select", { "aria-label": t("Any priority"), "data-filter": "priority" },
      el("option", { value: "", text: t("Any priority") }), PRIORITIES.map((p) => el("option", { value: p, text: priorityName(p) })));
    const skill = el("select", { "aria-label": t("Any skill"), "data-filter": "skill" });
    const overdue = el("label", { class: "check-inline" }, el("input", { type: "checkbox", "data-filter": "overdue" }), t("Overdue"));
    controls = el("div", { class: "queue-controls" }, search, el("div", { class: "queue-filters" }, priority, skill, overdue));
    search.addEventListener("input", () => { filters.text = search.value.trim(); ctx.refresh(); });
    priority.addEventListener("change", () => { filters.priority = priority.value; ctx.refresh(); });
    skill.addEventListener("change", () => { filters.skill = skill.value; ctx.refresh(); });
    overdue.querySelector("input").addEventListener("change", (e) => { filters.overdue = e.target.checked; ctx.refresh(); });
    box.append(el("h2", { class: "queue-title" }), controls, el("p", { class: "hint", text: t("Drag an order onto a master's lane, or tap it and then the lane") }), el("ul", { class: "queue-list", "data-testid": "queue-list" }));
  }
  const skills = [...new Set(board.queue.flatMap((q) => q.skills || []))].sort();
  const skillSelect = controls.querySelector("[data-filter=skill]");
  const chosen = filters.skill;
  skillSelect.replaceChildren(el("option", { value: "", text: t("Any skill") }), ...skills.map((s) => el("option", { value: s, text: s })));
  skillSelect.value = skills.includes(chosen) ? chosen : "";
  box.querySelector(".queue-title").textContent = t("Queue: {count}", { count: board.queue.length });
  const shown = board.queue.filter((q) => matches(q, filters, ctx.now) && !ctx.placed.has(q.order_id));
  const list = box.querySelector(".queue-list");
  const items = shown.map((q) => queueItem(q, ctx));
  if (!board.queue.length) items.push(el("li", { class: "muted empty", text: t("Nothing waits for a visit") }));
  else if (!shown.length) items.push(el("li", { class: "muted empty", text: t("Nothing matches") }));
  if (board.unassigned.length) {
    items.push(el("li", { class: "queue-heading", text: t("Without a master") }), ...board.unassigned.map((u) => unassignedItem(u, ctx)));
  }
  list.replaceChildren(...items);
}
