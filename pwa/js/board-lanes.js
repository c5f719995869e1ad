// The day's lanes: one per master on a time axis, with the shift shaded, the lunch window,
// estimated travel, and each visit as a block by planned start and duration.

import { t } from "./board-i18n.js";
import { el } from "./board-dialog.js";
import { slaChip, slaText } from "./board-sla.js";
import { clockOf, hhmm, minutesOf, parseClock } from "./board-time.js";

export const SNAP = 15;
const ROAD_FACTOR = 1.3; // what the server's geodesic matrix assumes
const SPEED_KMH = 30;

export function startOf(visit, zone) {
  if (visit.planned_start) return minutesOf(visit.planned_start, zone);
  return parseClock(visit.window_start) ?? 9 * 60;
}

// 07:00-21:00, wider when a shift or a visit is outside.
export function axisOf(board, zone) {
  let from = 7 * 60;
  let to = 21 * 60;
  for (const m of board.masters) {
    const s = parseClock(m.shift_start);
    const e = parseClock(m.shift_end);
    if (s !== null) from = Math.min(from, s);
    if (e !== null) to = Math.max(to, e);
    for (const item of m.visits) {
      const start = startOf(item.visit, zone);
      from = Math.min(from, start);
      to = Math.max(to, start + item.visit.duration_min);
    }
  }
  return { from: Math.floor(from / 60) * 60, to: Math.min(24 * 60, Math.ceil(to / 60) * 60) };
}

export function km(a, b) {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h)) * ROAD_FACTOR;
}

function driveMinutes(a, b) {
  if (a.lat == null || a.lon == null || b.lat == null || b.lon == null) return 0;
  return Math.round((km(a, b) / SPEED_KMH) * 60);
}

function place(node, from, minutes, length, ppm) {
  node.style.left = `${(minutes - from) * ppm}px`;
  node.style.width = `${Math.max(length * ppm, 4)}px`;
  return node;
}

function pinIcon() {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "0 0 16 16");
  svg.setAttribute("class", "pin");
  svg.setAttribute("aria-label", t("Pinned"));
  const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
  path.setAttribute("d", "M5 1h6l-1 5 3 3H9l-1 6-1-6H3l3-3z");
  svg.append(path);
  return svg;
}

export function visitBlock(item, ctx, extra = {}) {
  const v = item.visit;
  const start = startOf(v, ctx.zone);
  const warned = ctx.warned.has(v.id);
  const block = el("div", {
    class: `block status-${v.status}${item.at_risk ? " at-risk" : ""}${item.sla ? ` sla-${item.sla.state}` : ""}${warned ? " warned" : ""}${extra.pending ? " pending" : ""}${extra.failed ? " failed" : ""}`,
    tabindex: "0", role: "button",
    "data-drag": extra.pending ? null : "visit", "data-visit": v.id, "data-testid": extra.pending ? "pending-block" : "visit-block",
    "data-order": v.order_id, "data-number": item.order_number, "data-start": hhmm(start), "data-sequence": v.sequence,
  },
  el("span", { class: "block-time" }, hhmm(start), slaChip(item.sla, true)),
  (v.pinned_master || v.pinned_time) ? pinIcon() : null,
  el("span", { class: "block-number", text: item.order_number || `#${v.order_id}` }),
  el("span", { class: "block-client", text: item.client_name || v.address }),
  item.eta && ctx.isToday && !["done", "on_site"].includes(v.status)
    ? el("span", { class: "block-eta", text: t("ETA {time}", { time: clockOf(item.eta, ctx.zone) }) }) : null);
  block.style.setProperty("--status", ctx.statusColors[v.status] || "#607d8b");
  block.title = [item.order_number, item.client_name, v.address, item.sla ? `${item.sla.label}: ${slaText(item.sla)}` : null]
    .filter(Boolean).join(" · ");
  return place(block, ctx.axis.from, start, v.duration_min, ctx.ppm);
}

function lane(master, ctx) {
  const { from, to } = ctx.axis;
  const track = el("div", {
    class: `lane-track${master.works ? "" : " off"}`, "data-master": master.id, "data-testid": "lane-track",
    "data-from": from, "data-ppm": ctx.ppm,
  });
  track.style.width = `${(to - from) * ctx.ppm}px`;
  const shiftStart = parseClock(master.shift_start);
  const shiftEnd = parseClock(master.shift_end);
  if (!master.works || shiftStart === null || shiftEnd === null) {
    track.append(place(el("div", { class: "lane-off", text: master.absence || t("Day off") }), from, from, to - from, ctx.ppm));
  } else {
    if (shiftStart > from) track.append(place(el("div", { class: "lane-off" }), from, from, shiftStart - from, ctx.ppm));
    if (shiftEnd < to) track.append(place(el("div", { class: "lane-off" }), from, shiftEnd, to - shiftEnd, ctx.ppm));
  }
  const lunchStart = parseClock(master.lunch_start);
  const lunchEnd = parseClock(master.lunch_end);
  if (master.works && lunchStart !== null && lunchEnd !== null) {
    const lunch = el("div", { class: "lane-lunch", title: `${t("Lunch")} ${master.lunch_minutes}′ ${master.lunch_start}–${master.lunch_end}` },
      el("span", { text: `${t("Lunch")} ${master.lunch_minutes}′` }));
    track.append(place(lunch, from, lunchStart, lunchEnd - lunchStart, ctx.ppm));
  }
  for (let h = Math.ceil(from / 60) * 60; h < to; h += 60) {
    track.append(place(el("div", { class: "lane-hour" }), from, h, 0, ctx.ppm));
  }
  const visits = [...master.visits].sort((a, b) => a.visit.sequence - b.visit.sequence);
  let here = master.start;
  for (const item of visits) {
    const v = item.visit;
    const point = { lat: v.latitude, lon: v.longitude };
    const drive = driveMinutes(here, point);
    if (drive > 0) {
      const start = startOf(v, ctx.zone);
      const travel = el("div", { class: "lane-travel", title: t("≈ {minutes} min on the road", { minutes: drive }) });
      track.append(place(travel, from, start - drive, drive, ctx.ppm));
    }
    track.append(visitBlock(item, ctx));
    if (point.lat != null) here = point;
  }
  for (const p of ctx.pending.filter((x) => x.masterId === master.id)) {
    track.append(visitBlock(p.item, ctx, { pending: true, failed: p.failed }));
  }
  if (ctx.isToday && ctx.now >= from && ctx.now <= to) {
    track.append(place(el("div", { class: "lane-now" }), from, ctx.now, 0, ctx.ppm));
  }
  const count = master.max_visits ? `${visits.length}/${master.max_visits}` : String(visits.length);
  const shift = master.works && master.shift_start ? `${master.shift_start}–${master.shift_end}` : (master.absence || t("Day off"));
  const name = el("div", { class: "lane-name" },
    el("span", { class: "swatch" }), el("b", { text: master.full_name }), el("small", { text: `${shift} · ${count}` }));
  const row = el("div", { class: `lane${master.works ? "" : " lane-offday"}`, "data-testid": "lane", "data-master": master.id, "data-name": master.full_name }, name, track);
  row.style.setProperty("--lane", master.color);
  return row;
}

function axisRow(ctx) {
  const { from, to } = ctx.axis;
  const track = el("div", { class: "lane-track axis" });
  track.style.width = `${(to - from) * ctx.ppm}px`;
  for (let h = from; h <= to; h += 60) {
    track.append(place(el("span", { class: "tick", text: hhmm(h) }), from, h, 0, ctx.ppm));
  }
  return el("div", { class: "lane lane-axis" }, el("div", { class: "lane-name" }), track);
}

export function renderLanes(container, ctx) {
  const scroller = container.querySelector(".lanes-scroll") || el("div", { class: "lanes-scroll" });
  const left = scroller.scrollLeft;
  scroller.replaceChildren(axisRow(ctx), ...ctx.board.masters.map((m) => lane(m, ctx)));
  if (!container.contains(scroller)) container.append(scroller);
  scroller.scrollLeft = left;
  return scroller;
}
