// Today: the master's visits of a day in planned order, from the phone's copy.
import * as db from "../db.js";
import { t, tn } from "../i18n.js";
import { enqueue } from "../outbox.js";
import { distanceKm, position, quietPosition } from "../place.js";
import { bottomBar, centerDay, clock, dayName, fill, h, statusBadge } from "../ui.js";

const FRESH = 5 * 60 * 1000; // a position older than this is asked for again

function byPlan(a, b) {
  return (a.sequence ?? 0) - (b.sequence ?? 0) ||
    (a.planned_start || "").localeCompare(b.planned_start || "") ||
    (a.window_start || "").localeCompare(b.window_start || "");
}

function dayChips(days, current) {
  const shown = days.filter((d) => d >= centerDay(-1));
  if (shown.length < 2) return null;
  return h("nav", { class: "days", "aria-label": t("Days") }, shown.map((day) =>
    h("a", { href: day === centerDay() ? "#/" : `#/day/${day}`, class: day === current ? "chip active" : "chip",
      "aria-current": day === current ? "date" : null }, dayName(day))));
}

function visitItem(visit, order, here, waiting) {
  const km = distanceKm(here, visit);
  const window = visit.window_start ? `${visit.window_start}–${visit.window_end || ""}` : t("no time agreed");
  return h("li", {},
    h("a", { class: `visit visit-${visit.status}`, href: `#/visit/${visit.id}`, "data-testid": "visit",
      "data-status": visit.status },
      h("span", { class: "window" }, window),
      statusBadge(visit.status),
      h("strong", { class: "who" }, [order.number, order.client?.name].filter(Boolean).join(" · ")),
      h("span", { class: "address" }, visit.address || "—"),
      h("span", { class: "meta" },
        km !== null ? h("span", { "data-testid": "distance" }, `${km < 10 ? km.toFixed(1) : Math.round(km)} ${t("km")}`) : null,
        order.device ? h("span", {}, order.device.title) : null,
        waiting ? h("span", { class: "pending-count" }, `${t("waiting")}: ${waiting}`) : null)));
}

// The dispatcher changed the plan since the master last looked: say what, until "Got it".
function dayChangedNotice(changed, shown) {
  const parts = [
    changed.added ? tn("{n} new visit", "{n} new visits", changed.added) : null,
    changed.removed ? tn("{n} visit taken off", "{n} visits taken off", changed.removed) : null,
    changed.moved ? tn("{n} visit moved", "{n} visits moved", changed.moved) : null,
  ].filter(Boolean);
  return h("div", { class: "notice day-changed", role: "status", "data-testid": "day-changed" },
    h("strong", {}, t("The dispatcher changed your plan")), " ", parts.join(", "), " ",
    h("button", { type: "button", class: "btn small", onclick: async () => {
      await db.setMeta("dayChanged", null);
      await shown();
    } }, t("Got it")));
}

// Check in and out (offline too: the check waits in the outbox with the phone's time).
function timeClock(me, shown) {
  const state = me.clock || {};
  const kind = state.checked_in ? "out" : "in";
  return h("div", { class: "time-clock", "data-testid": "time-clock" },
    h("span", { "data-testid": "clock-state" }, state.checked_in ?
      t("At work since {time}", { time: clock(state.since) }) : t("Not at work")),
    h("button", { type: "button", class: "btn small", "data-testid": "clock-check",
      onclick: async (event) => {
        event.currentTarget.disabled = true;
        const where = await position();
        await enqueue("timeclock.check", me.id,
          { kind, ...(where ? { latitude: where.latitude, longitude: where.longitude } : {}) });
        await shown();
      } }, kind === "in" ? t("Check in") : t("Check out")));
}

export async function today(view, day = null, { locate = true } = {}) {
  const shownDay = day || centerDay();
  const hash = location.hash;
  const visits = await db.all("visits");
  const orders = new Map((await db.all("orders")).map((o) => [o.id, o]));
  const outbox = await db.all("outbox");
  const files = await db.all("files");
  const here = await db.meta("position");
  const me = await db.meta("me");
  const days = [...new Set(visits.map((v) => v.day))].sort();
  const list = visits.filter((v) => v.day === shownDay).sort(byPlan);
  const waitingFor = (visit) =>
    outbox.filter((m) => m.state === "pending" &&
      (m.kind === "visit.status" ? m.entity_id === visit.id : m.entity_id === visit.order_id)).length +
    files.filter((f) => f.state === "pending" && f.order_id === visit.order_id).length;

  const changed = await db.meta("dayChanged");
  fill(view,
    changed ? dayChangedNotice(changed, () => today(view, day, { locate: false })) : null,
    h("div", { class: "day-head" },
      h("h1", {}, dayName(shownDay)),
      me ? h("span", { class: "muted" }, me.full_name) : null),
    me ? timeClock(me, () => today(view, day, { locate: false })) : null,
    dayChips(days.includes(centerDay()) ? days : [...days, centerDay()].sort(), shownDay),
    list.length ? h("ol", { class: "visits", "data-testid": "visits", "data-day": shownDay },
      list.map((v) => visitItem(v, orders.get(v.order_id) || {}, here, waitingFor(v)))) :
      h("p", { class: "empty" }, me ? t("No visits on this day") : t("Loading…")),
    bottomBar(
      h("a", { class: "tab active", href: "#/" }, t("Visits")),
      h("a", { class: "tab", href: "#/schedule", "data-testid": "open-schedule" }, t("My schedule")),
      h("a", { class: "tab", href: "#/sync", "data-testid": "open-sync" }, t("Sync"))),
  );
  if (list.length) performance.mark("servio:today"); // for tests/perf/bench_field.py
  const stale = !here || Date.now() - Date.parse(here.at || 0) > FRESH;
  if (locate && stale && list.length) {
    const found = await quietPosition();
    if (found && location.hash === hash) {
      await today(view, day, { locate: false });
    }
  }
}
