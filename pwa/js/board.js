// The dispatcher's board (/dispatch): lanes of the day per master, the queue, drag and drop
// (or tap an order, then a lane), checks before saving, pins, suggestions, the plan of the day
// with its proposal, the map and the week. The page without this script is a readable list.

import { ApiError, get, patch, post } from "./board-api.js";
import { t, tabName, visitStatusName } from "./board-i18n.js";
import { closeDialogs, dialog, el, toast } from "./board-dialog.js";
import { setupDrag, minuteAt } from "./board-drag.js";
import { axisOf, renderLanes } from "./board-lanes.js";
import { renderQueue } from "./board-queue.js";
import { Planner } from "./board-plan.js";
import { BoardMap } from "./board-map.js";
import { mondayOf, renderWeek } from "./board-week.js";
import { book, loadOptions, renderOptions } from "./board-suggest.js";
import { clockOf, isoAt, minutesOf } from "./board-time.js";

const LIVE_MS = 20000;
const PX_PER_MIN = 1.4;
const NAME_WIDTH = 132;

const settings = JSON.parse(document.getElementById("board-settings").textContent);
const { day, zone } = settings;
const language = document.documentElement.lang || "ru";
const state = {
  board: settings.board,
  selected: null,
  pending: [],
  filters: { text: "", priority: "", overdue: false, skill: "" },
  view: "day",
  loadedAt: new Date(),
};

// ---- layout -------------------------------------------------------------------------------
const app = document.getElementById("board-app");
const tabs = el("div", { class: "board-tabs", role: "tablist" },
  ["day", "week", "map"].map((name) => el("button", {
    type: "button", class: "tab", role: "tab", "data-view": name, "data-testid": `tab-${name}`, text: tabName(name),
    onclick: () => show(name),
  })));
const queueToggle = el("button", { type: "button", class: "btn queue-toggle", "data-testid": "queue-toggle", onclick: () => document.body.classList.toggle("queue-open") });
const planBar = el("div", { class: "plan-bar", "data-testid": "plan-bar" });
const updated = el("span", { class: "updated muted" });
const risk = el("div", { class: "alert risk", role: "alert", "data-testid": "at-risk", hidden: true });
const banner = el("div", { class: "alert select-banner", role: "status", "data-testid": "select-banner", hidden: true });
const proposal = el("section", { class: "card proposal", "data-testid": "proposal", hidden: true });
const queueBox = el("aside", { class: "board-queue", "data-testid": "queue" });
queueBox.append(el("button", { type: "button", class: "btn small queue-close", "data-testid": "queue-close", text: t("Close"), onclick: () => document.body.classList.remove("queue-open") }));
const lanesBox = el("section", { class: "board-lanes", "data-testid": "lanes" });
const warningsBox = el("details", { class: "board-warnings", "data-testid": "warnings", hidden: true });
const dayView = el("div", { class: "board-day" }, queueBox, el("div", { class: "board-day-main" }, lanesBox, warningsBox));
const weekView = el("section", { class: "board-week", "data-testid": "week-view", hidden: true });
const mapView = el("section", { class: "board-map", "data-testid": "map-view", hidden: true });
app.append(el("div", { class: "board-bar" }, tabs, queueToggle, planBar, updated), risk, banner, proposal, dayView, weekView, mapView);
app.hidden = false;
document.querySelector("[data-board-static]").hidden = true;

const planner = new Planner({
  bar: planBar, proposal, day, me: settings.me, zone, onSaved: () => reload(),
  previous: (visitId) => {
    const found = visitId ? findVisit(visitId) : null;
    return found ? clockOf(found.item.visit.planned_start, zone) : null;
  },
});
planner.onShown = () => show("day");
const boardMap = new BoardMap(mapView, { tiles: settings.tiles, zone });

// ---- rendering ----------------------------------------------------------------------------
function shownBoard() {
  const moving = new Set(state.pending.filter((p) => p.what.kind === "visit").map((p) => p.what.id));
  if (!moving.size) return state.board;
  return {
    ...state.board,
    masters: state.board.masters.map((m) => ({ ...m, visits: m.visits.filter((v) => !moving.has(v.visit.id)) })),
    unassigned: state.board.unassigned.filter((v) => !moving.has(v.visit.id)),
  };
}

function laneContext(board) {
  const axis = axisOf(board, zone);
  const free = Math.max(0, lanesBox.clientWidth - NAME_WIDTH);
  const ppm = Math.max(PX_PER_MIN, free / (axis.to - axis.from));
  const now = minutesOf(new Date().toISOString(), zone);
  return {
    board, zone, axis, ppm, now, isToday: board.is_today, statusColors: settings.statusColors,
    pending: state.pending, warned: new Set(board.warnings.map((w) => w.visit_id).filter(Boolean)),
  };
}

function render() {
  const board = shownBoard();
  renderLanes(lanesBox, laneContext(board));
  renderQueue(queueBox, {
    board, filters: state.filters, now: new Date(), language, zone, selected: state.selected,
    placed: new Set(state.pending.filter((p) => p.what.kind === "order").map((p) => p.what.id)),
    refresh: render,
  });
  queueToggle.textContent = t("Queue: {count}", { count: board.queue.length });
  renderWarnings(board);
  const atRisk = board.is_today ? board.at_risk : 0;
  risk.hidden = !atRisk;
  risk.replaceChildren(t("Windows at risk: {count}", { count: atRisk }), " ",
    el("button", { type: "button", class: "btn", "data-testid": "replan-rest", text: t("Re-plan the rest of the day"), onclick: () => planner.replanToday() }));
  updated.textContent = t("Updated {time}", { time: clockOf(state.loadedAt.toISOString(), zone) });
  if (state.view === "map") boardMap.render(board).catch((error) => toast(String(error), "error"));
}

function renderWarnings(board) {
  warningsBox.hidden = !board.warnings.length;
  warningsBox.replaceChildren(
    el("summary", { text: `${t("Warnings")} (${board.warnings.length})` }),
    el("ul", {}, board.warnings.map((w) => el("li", { "data-kind": w.kind, text: w.text }))));
}

async function reload() {
  try {
    state.board = await get(`/api/v1/dispatch/board?day=${day}`);
    state.loadedAt = new Date();
  } catch (error) {
    toast(error instanceof ApiError ? error.text : t("No connection to the server"), "error");
  }
  render();
  planner.resume(state.board.plan);
}

function show(view) {
  state.view = view;
  for (const tab of tabs.children) tab.setAttribute("aria-selected", String(tab.dataset.view === view));
  dayView.hidden = view !== "day";
  proposal.classList.toggle("elsewhere", view !== "day");
  weekView.hidden = view !== "week";
  mapView.hidden = view !== "map";
  history.replaceState(null, "", view === "day" ? location.pathname + location.search : `#${view}`);
  if (view === "week") {
    renderWeek(weekView, { start: mondayOf(day), day, today: settings.today, language })
      .catch((error) => { weekView.textContent = error instanceof ApiError ? error.text : String(error); });
  }
  if (view === "map") render();
}

// ---- finding things -----------------------------------------------------------------------
function findVisit(id) {
  for (const m of state.board.masters) {
    const item = m.visits.find((v) => v.visit.id === id);
    if (item) return { item, master: m };
  }
  const item = state.board.unassigned.find((v) => v.visit.id === id);
  return item ? { item, master: null } : null;
}

function findOrder(id) {
  return state.board.queue.find((q) => q.order_id === id);
}

function describe(node) {
  if (node.dataset.drag === "order") {
    const order = findOrder(Number(node.dataset.order));
    return order ? { kind: "order", id: order.order_id, duration: 60, label: order.number } : null;
  }
  const found = findVisit(Number(node.dataset.visit));
  if (!found || found.item.visit.status !== "planned") return null;
  return { kind: "visit", id: found.item.visit.id, duration: found.item.visit.duration_min, label: found.item.order_number };
}

// ---- placing: check, warn, save -----------------------------------------------------------
function pendingItem(what, plannedStart) {
  if (what.kind === "visit") {
    const { item } = findVisit(what.id);
    return { ...item, visit: { ...item.visit, planned_start: plannedStart } };
  }
  const order = findOrder(what.id);
  return {
    order_number: order.number, client_name: order.client_name, at_risk: false, eta: null,
    visit: { id: -what.id, order_id: what.id, status: "planned", planned_start: plannedStart, duration_min: what.duration,
      sequence: 999, address: order.address, latitude: order.lat, longitude: order.lon, pinned_master: false, pinned_time: false },
  };
}

function forget(pending) {
  state.pending = state.pending.filter((p) => p !== pending);
}

async function placeAt(what, { masterId, minutes }) {
  select(null);
  const plannedStart = isoAt(day, minutes, zone);
  const pending = { what, masterId, plannedStart, item: pendingItem(what, plannedStart), failed: false };
  state.pending.push(pending);
  render();
  const check = { order_id: pending.item.visit.order_id, master_id: masterId, planned_start: plannedStart };
  if (what.kind === "visit") Object.assign(check, { visit_id: what.id, duration_min: what.duration });
  let warnings;
  try {
    warnings = (await post("/api/v1/dispatch/check", check)).warnings;
  } catch (error) {
    await failed(pending, error);
    return;
  }
  if (warnings.length) {
    const go = await dialog({
      title: t("This placement has problems"), testid: "warn-dialog",
      body: el("ul", { class: "warn-list" }, warnings.map((w) => el("li", { "data-kind": w.kind, "data-testid": "warning", text: w.text }))),
      buttons: [
        { value: false, label: t("Cancel"), testid: "warn-cancel" },
        { value: true, label: t("Save anyway"), primary: true, testid: "warn-save" },
      ],
    });
    if (!go) {
      forget(pending);
      render();
      return;
    }
  }
  await save(pending);
}

async function save(pending) {
  const { what, masterId, plannedStart } = pending;
  try {
    if (what.kind === "order") {
      await post("/api/v1/visits", { order_id: what.id, day, master_id: masterId, planned_start: plannedStart });
    } else {
      const { item } = findVisit(what.id);
      await patch(`/api/v1/visits/${what.id}`, { version: item.visit.version, master_id: masterId, day, planned_start: plannedStart });
    }
  } catch (error) {
    if (error instanceof ApiError && error.status === 409) {
      forget(pending);
      toast(t("Someone else changed this visit; the board is reloaded"), "error");
      await reload();
      return;
    }
    await failed(pending, error);
    return;
  }
  forget(pending);
  toast(t("Saved"));
  await reload();
}

// A failed save keeps the placement on the lane until the dispatcher retries or drops it.
async function failed(pending, error) {
  pending.failed = true;
  render();
  const again = await dialog({
    title: t("Not saved: {error}", { error: error instanceof ApiError ? error.text : String(error) }), testid: "save-failed",
    buttons: [{ value: false, label: t("Discard"), testid: "save-discard" }, { value: true, label: t("Try again"), primary: true, testid: "save-retry" }],
  });
  if (!again) {
    forget(pending);
    render();
    return;
  }
  pending.failed = false;
  render();
  await save(pending);
}

// ---- tap to place -------------------------------------------------------------------------
function select(what) {
  state.selected = what;
  banner.hidden = !what;
  if (what) {
    const label = what.kind === "order" ? findOrder(what.id)?.number : findVisit(what.id)?.item.order_number;
    banner.replaceChildren(t("Tap a master's lane at the time for {number}", { number: label || "" }), " ",
      el("button", { type: "button", class: "btn", "data-testid": "cancel-select", text: t("Cancel"), onclick: () => select(null) }));
    document.body.classList.remove("queue-open");
  }
  render();
}

app.addEventListener("click", (event) => {
  const proposed = event.target.closest("[data-book-proposal]");
  if (proposed) {
    bookProposal(Number(proposed.dataset.bookProposal));
    return;
  }
  const suggest = event.target.closest("[data-suggest]");
  if (suggest) {
    openSuggestions(Number(suggest.dataset.suggest));
    return;
  }
  const queued = event.target.closest(".queue-item");
  if (queued && !event.target.closest("button, a, input, select")) {
    const what = describe(queued);
    if (what) select(state.selected && state.selected.kind === what.kind && state.selected.id === what.id ? null : what);
    return;
  }
  const block = event.target.closest(".block[data-visit]");
  if (block && !state.selected) {
    openVisit(Number(block.dataset.visit));
    return;
  }
  const track = event.target.closest(".lane-track[data-master]");
  if (track && state.selected) placeAt(state.selected, { masterId: Number(track.dataset.master), minutes: minuteAt(track, event.clientX) });
});

app.addEventListener("keydown", (event) => {
  if (event.key !== "Enter" && event.key !== " ") return;
  const node = event.target.closest(".queue-item, .block[data-visit]");
  if (!node) return;
  event.preventDefault();
  node.click();
});

setupDrag(app, { describe, onDrop: placeAt });

// ---- a visit's details, pins --------------------------------------------------------------
async function openVisit(id) {
  const found = findVisit(id);
  if (!found) return;
  let { visit } = found.item;
  const item = found.item;
  const warnings = state.board.warnings.filter((w) => w.visit_id === id);
  const pin = (name, label) => {
    const box = el("input", { type: "checkbox", "data-testid": name, checked: visit[name] });
    box.addEventListener("change", async () => {
      box.disabled = true;
      try {
        visit = await patch(`/api/v1/visits/${id}`, { version: visit.version, [name]: box.checked });
        toast(t("Saved"));
        reload();
      } catch (error) {
        box.checked = !box.checked;
        toast(t("Not saved: {error}", { error: error instanceof ApiError ? error.text : String(error) }), "error");
        if (error instanceof ApiError && error.status === 409) reload();
      }
      box.disabled = false;
    });
    return el("label", { class: "check" }, box, label);
  };
  const lines = [
    el("p", {}, el("a", { href: `/orders/${visit.order_id}`, "data-testid": "order-link", text: `${t("Order card")} ${item.order_number}` }), " · ",
      el("a", { href: `/dispatch/visits/${id}`, text: t("Visit page") })),
    el("p", { text: item.client_name }),
    el("p", { class: "meta", text: visit.address }),
    el("p", { text: t("Starts at {time}, {minutes} min", { time: clockOf(visit.planned_start, zone) || "—", minutes: visit.duration_min }) }),
    el("p", { text: visit.window_start ? t("Window {from}–{to}", { from: visit.window_start, to: visit.window_end || "" }) : t("No window agreed") }),
    el("p", {}, el("span", { class: "badge status", text: visitStatusName(visit.status) }),
      item.eta && state.board.is_today ? ` · ${t("ETA {time}", { time: clockOf(item.eta, zone) })}` : "",
      item.at_risk ? el("strong", { class: "late", text: ` · ${t("Window at risk")}` }) : ""),
    warnings.length ? el("ul", { class: "warn-list" }, warnings.map((w) => el("li", { text: w.text }))) : null,
    found.master ? el("div", { class: "pins" }, pin("pinned_master", t("Keep the master")), pin("pinned_time", t("Keep the time"))) : null,
  ];
  const buttons = [{ value: "close", label: t("Close"), testid: "visit-close" }];
  if (visit.status === "planned") buttons.unshift({ value: "move", label: t("Move"), testid: "visit-move" });
  const chosen = await dialog({ title: `${item.order_number} · ${clockOf(visit.planned_start, zone)}`, body: lines, buttons, testid: "visit-dialog" });
  if (chosen === "move") select({ kind: "visit", id, duration: visit.duration_min });
}

// ---- suggestions --------------------------------------------------------------------------
async function bookProposal(orderId) {
  const order = findOrder(orderId);
  if (!order?.proposal?.master_id) return;
  try {
    await book(orderId, order.proposal.day, order.proposal);
    toast(t("Saved"));
  } catch (error) {
    toast(error instanceof ApiError ? error.text : String(error));
  }
  reload();
}

async function openSuggestions(orderId) {
  const order = findOrder(orderId);
  const body = el("div", { class: "suggest-box" }, el("p", { class: "hint", text: t("Loading…") }));
  const shown = dialog({ title: `${t("Options")}: ${order ? order.number : orderId}`, body, testid: "suggest-dialog" });
  try {
    const answer = await loadOptions(orderId, day);
    renderOptions(body, answer, {
      orderId, day, zone,
      onBooked: () => {
        closeDialogs();
        toast(t("Saved"));
        reload();
      },
    });
  } catch (error) {
    body.replaceChildren(el("p", { class: "error", text: error instanceof ApiError ? error.text : String(error) }));
  }
  await shown;
}

// ---- start and follow the phones ----------------------------------------------------------
render();
show(["week", "map"].includes(location.hash.slice(1)) ? location.hash.slice(1) : "day");
planner.resume(state.board.plan);
if (state.board.is_today) {
  setInterval(() => {
    if (document.hidden || document.body.classList.contains("board-dragging") || state.pending.length) return;
    if (document.querySelector(".board-dialog")) return;
    reload();
  }, LIVE_MS);
}
window.addEventListener("resize", () => render());
